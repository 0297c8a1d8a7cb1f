// The JSON array scanner: top-level keys only, strings with brackets and escapes, line counting, and text cut off mid-write.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanTopLevelArray } from '../src/read/engine/json-scan.js';

test('only the top-level key counts, and the elements are whole JSON texts with their lines', () => {
  const text = '{"a": {"log_history": [{"x": 1}]},\n "log_history": [\n  {"y": 2},\n  {"z": [3, {"w": 4}]}\n ],\n "b": 1}';
  const scan = scanTopLevelArray(text, 'log_history');
  assert.equal(scan.found, true);
  assert.equal(scan.closed, true);
  assert.deepEqual(scan.elements.map((e) => JSON.parse(e.text)), [{ y: 2 }, { z: [3, { w: 4 }] }]);
  assert.deepEqual(scan.elements.map((e) => e.line), [3, 4]);
});

test('brackets, quotes and backslashes inside strings are not structure', () => {
  const values = ['}]', '\\"{[', '\\\\', 'log_history', '\\\\\\"]'];
  const text = `{"k": "log_history", "log_history": [${values.map((v) => `{"s": "${v}"}`).join(', ')}]}`;
  const scan = scanTopLevelArray(text, 'log_history');
  assert.equal(scan.closed, true);
  assert.deepEqual(scan.elements.map((e) => JSON.parse(e.text).s), values.map((v) => JSON.parse(`"${v}"`)));
});

for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']]) {
  test(`lines are counted across ${name} line ends`, () => {
    const text = ['{', '"log_history": [', '{"a": 1},', '', '{"b": 2}', ']}'].join(eol);
    assert.deepEqual(scanTopLevelArray(text, 'log_history').elements.map((e) => e.line), [3, 5]);
  });
}

test('text cut off inside an element, a string or between elements keeps the complete elements', () => {
  const full = '{"log_history": [{"a": 1}, {"b": "two"}, {"c": 3}]}';
  for (let cut = full.indexOf('[') + 1; cut < full.length; cut++) {
    const scan = scanTopLevelArray(full.slice(0, cut), 'log_history');
    const complete = [...full.slice(0, cut).matchAll(/\}/g)].length;
    assert.equal(scan.found, true, `cut at ${cut}`);
    assert.equal(scan.elements.length, complete, `cut at ${cut}`);
    assert.equal(scan.closed, cut > full.lastIndexOf(']'), `cut at ${cut}`);
  }
});

test('a key that holds no array, or no such key, is not found', () => {
  for (const text of ['{"log_history": {"a": 1}}', '{"other": [1]}', '[{"log_history": []}]', '{"log_history"']) {
    assert.equal(scanTopLevelArray(text, 'log_history').found, false, text);
  }
});
