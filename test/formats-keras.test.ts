// Keras: History JSON in its saved forms, and CSVLogger files with any delimiter, NA cells, CRLF and appended runs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../src/read/errors.js';
import { columnNames, fixtureText, normalised, readFixture, readText, stepsOf, valuesOf } from './format-fixtures.js';

const HISTORY_FORMS = ['keras-history/history.json', 'keras-history/history-indented.json', 'keras-history/pandas-to-json.json'];

for (const path of HISTORY_FORMS) {
  test(`${path}: one row per epoch from 0, each metric list a column, loss/val_loss/lr mapped`, () => {
    const history: Record<string, number[]> = JSON.parse(fixtureText('keras-history/history.json'));
    const table = readFixture(path);
    const { choice, runs } = normalised(table);
    assert.equal(table.rows, history.loss.length);
    assert.deepEqual(columnNames(table).sort(), [...Object.keys(history), 'epoch'].sort());
    assert.deepEqual([choice.stepName, choice.train?.name, choice.val?.name, choice.lr?.name], ['epoch', 'loss', 'val_loss', 'lr']);
    const s = runs[0].series;
    assert.deepEqual(stepsOf(s.train), history.loss.map((_, epoch) => epoch));
    assert.deepEqual(valuesOf(s.train), history.loss);
    assert.deepEqual(valuesOf(s.val), history.val_loss);
    assert.deepEqual(valuesOf(s.lr), history.lr);
  });
}

test('a val list shorter by a whole factor sits at the epochs validation_freq logs it; a bare NaN is a value', () => {
  const { runs } = normalised(readFixture('keras-history/validation-freq-nan.json'));
  const s = runs[0].series;
  assert.deepEqual(stepsOf(s.train), [0, 1, 2, 3, 4, 5]);
  assert.ok(Number.isNaN(s.train!.values[3]));
  assert.deepEqual(stepsOf(s.val), [1, 3, 5]);
  assert.deepEqual(valuesOf(s.val), [1.8, 1.5, 1.3]);
});

test('a history cut short is one InputError that names the line', () => {
  const text = fixtureText('keras-history/history-indented.json');
  const cut = text.slice(0, text.indexOf('"val_loss"'));
  assert.throws(() => readText(cut), (error: unknown) => error instanceof InputError && (error.line ?? 0) > 1);
});

// The semicolon fixture rewritten with every delimiter CSVLogger(separator=...) is given, with LF and CRLF.
const DELIMITERS = [';', ',', '\t', '|'];
for (const delimiter of DELIMITERS) {
  for (const eol of ['\n', '\r\n']) {
    test(`CSVLogger with ${JSON.stringify(delimiter)} and ${JSON.stringify(eol)}: NA is a gap, not a NaN`, () => {
      const text = fixtureText('keras-csv/semicolon-na.log').replaceAll(';', delimiter).replace(/\n/g, eol);
      const table = readText(text);
      assert.ok(table.format.startsWith('keras csvlogger'), table.format);
      const { choice, runs } = normalised(table);
      assert.deepEqual([choice.stepName, choice.train?.name, choice.val?.name, choice.lr?.name], ['epoch', 'loss', 'val_loss', 'lr']);
      const rows = text.split(eol).slice(1).filter(Boolean).map((l) => l.split(delimiter));
      const s = runs[0].series;
      assert.deepEqual(stepsOf(s.train), rows.map((r) => Number(r[0])));
      const filled = rows.filter((r) => r[3] !== 'NA');
      assert.ok(filled.length < rows.length, 'the fixture must hold NA cells');
      assert.deepEqual(stepsOf(s.val), filled.map((r) => Number(r[0])));
      assert.deepEqual(valuesOf(s.val), filled.map((r) => Number(r[3])));
    });
  }
}

test('runs appended under one header (epoch back to 0) become separate runs', () => {
  const text = fixtureText('keras-csv/appended-runs.log');
  const epochs = text.split('\r\n').slice(1).filter(Boolean).map((l) => Number(l.split(',')[0]));
  const expected: number[][] = [];
  for (const epoch of epochs) {
    if (epoch === 0) expected.push([]);
    expected[expected.length - 1].push(epoch);
  }
  assert.ok(expected.length > 1, 'the fixture must hold several runs');
  const { runs } = normalised(readText(text));
  assert.deepEqual(runs.map((r) => stepsOf(r.series.train)), expected);
  assert.ok(runs.every((r) => r.resumes.length === 0));
});

test('a Lightning CSV (sorted header starting with epoch, but a step column) is not taken for CSVLogger', () => {
  const table = readText('epoch,loss,step,val_loss\n0,2.1,50,\n0,,99,2.0\n1,1.8,149,\n');
  assert.ok(table.format.startsWith('csv'), table.format);
});
