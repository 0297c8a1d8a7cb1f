// The fast whole-file readers (csv-fast, jsonl-fast) give exactly the Table the line parsers give, on every fixture and on edge cases.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readTable } from '../src/read/index.js';
import { FlatObjects } from '../src/read/engine/json-objects.js';
import { sourceOf, tableData } from './helpers/tables.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const TEXT_LOG = /\.(csv|tsv|jsonl|ndjson|log|txt)$/;
// chunk sizes that cut lines, CRLF pairs and UTF-8 characters at every kind of place
const CHUNKS = [undefined, 1, 2, 3, 7, 64, 4096];

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(filesUnder(path));
    else if (TEXT_LOG.test(name)) out.push(path);
  }
  return out;
}

/** Both readings of the same bytes, or the same error from both. */
function bothWays(bytes: Buffer, chunk?: number): { fast: unknown; lines: unknown } {
  const read = (lineByLine: boolean) => {
    try {
      return tableData(readTable(sourceOf(bytes, chunk), undefined, { lineByLine }));
    } catch (error) {
      return { error: (error as Error).constructor.name, line: (error as { line?: number }).line };
    }
  };
  return { fast: read(false), lines: read(true) };
}

const fixtures = filesUnder(FIXTURES);

test('the repository has CSV and JSONL fixtures to compare on', () => {
  assert.ok(fixtures.some((f) => f.endsWith('.csv')));
  assert.ok(fixtures.some((f) => f.endsWith('.jsonl')));
});

for (const file of fixtures) {
  test(`fast path == line path: ${file.slice(FIXTURES.length + 1)}`, () => {
    const bytes = readFileSync(file);
    for (const chunk of CHUNKS) {
      const { fast, lines } = bothWays(bytes, chunk);
      assert.deepEqual(fast, lines, `chunk size ${chunk}`);
    }
  });
}

const row = (i: number) => `${i},${(10 / i).toFixed(5)},${i % 3 ? '' : (11 / i).toFixed(4)}`;
const rows = (n: number, sep = '\n') => Array.from({ length: n }, (_, i) => row(i + 1)).join(sep);
const plainJson = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ step: i + 1, loss: 10 / (i + 1), ...(i % 7 ? {} : { val_loss: 11 / (i + 1) }), lr: 1e-3 })).join('\n');
const rows4 = (n: number) => Array.from({ length: n }, (_, i) => `${row(i + 1)},${(1e-3 / (i + 1)).toPrecision(3)}`).join('\n');

// Generated edge cases: each is some bytes both readers must agree on.
const EDGE_CASES: Array<[string, string | Buffer]> = [
  ['LF', `step,loss,val_loss\n${rows(50)}\n`],
  ['CRLF', `step,loss,val_loss\r\n${rows(50, '\r\n')}\r\n`],
  ['bare CR', `step,loss,val_loss\r${rows(50, '\r')}\r`],
  ['mixed endings', `step,loss,val_loss\n1,2,3\r\n2,1.5,\r3,1.2,1.1\n\r\n4,1,`],
  ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`step,loss,val_loss\n${rows(20)}\n`)])],
  ['BOM in the middle', Buffer.concat([Buffer.from(`step,loss,val_loss\n${rows(5)}\n`), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`6,1,1\n`)])],
  ['trailing delimiter', `step,loss,\n1,2,\n2,1.5,\n3,1.25,\n`],
  ['extra filled cell', `step,loss\n1,2\n2,1.5,9\n3,1.25,\n`],
  ['sparse cells', `step,loss,val_loss,lr\n1,,,\n2,2,,\n3,,1.5,\n4,,,0.1\n,,,\n5,1,1,1\n`],
  ['NaN spellings', `step,loss\n1,nan\n2,NaN\n3,-inf\n4,Infinity\n5,NA\n6,n/a\n7,-\n8,None\n9,null\n10,1.#INF\n11,nan(ind)\n12,1.5\n`],
  ['numbers at the edge', `step,loss\n1,1e999\n2,-0\n3,0x10\n4,1_000\n5,.5\n6,5.\n7,+3\n8,1e-400\n9,0.30000000000000004\n10,123456789012345678\n11,1e22\n12,1e23\n13,4.9e-324\n14, 7 \n15,1e\n16,--1\n`],
  ['cut-off last line', `step,loss,val_loss\n${rows(10)}\n11,0.9`],
  ['cut-off last line, too few cells', `step,loss,val_loss\n${rows(10)}\n11`],
  ['garbage lines', `step,loss\n1,2\nTraceback (most recent call last):\n  File "x", line 1\nValueError: bad\n2,1.5\n\n   \n3,oops\n4,1\n`],
  ['NUL bytes and control bytes', Buffer.from('step,loss\n1,2\n2,1\u0000.5\n3,\u00011\n4,1\f\n5,\u000b1\n6,1\n')],
  ['invalid UTF-8', Buffer.concat([Buffer.from('step,loss\n1,2\n2,'), Buffer.from([0xff, 0xc3]), Buffer.from('1.5\n3,1\n4,\u00e91\n5,0.9\n')])],
  ['quotes', `"step","loss"\n1,"2.5"\n2,"1,5"\n"3",1.2\n4,"multi\nline"\n5,1\n6,"unclosed\n`],
  ['headerless', `1,2.5\n2,2.1\n3,1.9\n`],
  ['header only', `step,loss\n`],
  ['repeated header', `step,loss\n1,2\n2,1\nstep,loss\n1,3\n2,2\n`],
  ['text column', `step,loss,phase\n1,2,warmup\n2,1.5,train\n3,1.2,7\n`],
  ['tabs and spaces', `step\tloss\n 1\t 2 \n2 \t\t\n\t3\t1.5\n`],
  ['an overlong line', `step,loss\n1,2\n${'9'.repeat(1.2 * 1024 * 1024)}\n2,1\n`],
  ['an overlong last line', `step,loss\n1,2\n2,1\n${'9,'.repeat(700 * 1024)}`],
  ['a long multi-byte line under the limit in characters', `step,loss\n1,2\n${'é'.repeat(700 * 1024)}\n2,1\n`],
  // the bulk reader (csv-rows.ts) takes over once rows are plain: every oddity again, between runs of plain rows
  ['oddities among plain rows', `step,loss,val_loss,lr\n${[
    '1,2,3,4', '2,-0,,1e-5', '3,+1,.5,5.', '4,1E5,1e999,-1e-400', '5,1234567890123456,0.0000000000000001234,7', '6,nan,NaN,inf',
    '7,1.2.3,1,1', '8,--1,1,1', '9,-,1,1', '10,.,1,1', '11, 2 ,\t3\t,4 ', '12,,,', '13,1,2', '14,1,2,3,', '15,1,2,3,4',
    '', '   ', '16,1,2,3\r17,1,2,3', '18,1,2,3\r\n19,1,2,3', '"20",1,2,3', 'step,loss,val_loss,lr', '21,x,2,3', '22,1,2,3\u0000',
    '23,0x10,1,1', '24,1_000,1,1', '25,1e,1,1', '26,1e+5,1e-05,-.5e2', '27,999999999999999,0.999999999999999,1',
  ].map((odd, k) => `${rows4(40 + k)}\n${odd}`).join('\n')}\n`],
  // the bulk JSONL reader (jsonl-fast.ts) takes runs of flat objects: oddities between such runs
  ['JSONL oddities among plain rows', `${[
    '{"step": 0, "loss": -0, "x": -0.0}', '{"step": 1, "loss": 01}', '{"step": 2, "loss": 1.}', '{"step": 3, "loss": -}', '{"step": 4, "loss": 1e5, "v": 2E-3}',
    '{"step": 5, "loss": 1234567890123456}', '{"step": 6, "loss": 0.0000000000000001234}', '{"step": 7, "loss": -Infinity}', '{"step": 8, "loss": NaN}',
    '{"step": 9}', '{}', '{"name": "x"}', '', '  ', '{"step": 10, "loss": 1}\r{"step": 11, "loss": 1}', '{"step": 12, "loss": 1}\r\n{"step": 13, "loss": 2}',
    '{"step": 14, "new_metric": 5, "loss": 1}', '{"step": 15, "loss": 1} x', '{"step": 16, "loss": 1, "step": 2}', '{"step": 17, "2": 1}',
    '{"step": 18, "loss": "1.5"}', '{"step": 19, "loss": null, "ok": true, "bad": false}', '{"step": 20, "loss": -1.5, "val_loss": 999999999999999}',
  ].map((odd, k) => `${plainJson(40 + k)}\n${odd}`).join('\n')}\n`],
  // lines that share a layout (the bytes between values) with those before: only short numbers between may take it
  ['JSONL near-layouts', `${[
    '{"step": 1, "loss": 2.5}', '{"step": 2, "loss": 2.25}', '{"step": 3, "loss": -0}', '{"step": 4, "loss": 1e5}', '{"step": 5, "loss": 01}',
    '{"step": 6, "loss": 1.}', '{"step": 7, "loss": -}', '{"step": 8, "loss": null}', '{"step": 9, "loss": true}', '{"step": 10, "loss": "3"}',
    '{"step": 11, "loss": 2.5} ', ' {"step": 12, "loss": 2.5}', '{"step": 13 , "loss": 2.5}', '{"step": 14, "loss": 2.5, "val": 3}',
    '{"loss": 2.5, "step": 15}', '{"step": 16, "loss": 2.5}', '{"step": 17, "loss": 1234567890123456}', '{"step": 18, "loss": 2.5}x',
    '{"step": 19, "loss": NaN}', '{"step": 20, "loss": -Infinity}', '{"step": 21, "loss": 2.55555}', '{"step": 22, "step": 2.5}',
    '{"step": 23, "loss": 0.5}',
  ].join('\n')}\n`],
  ['JSONL', `${Array.from({ length: 30 }, (_, i) => JSON.stringify({ step: i, loss: 5 / (i + 1), ...(i % 5 ? {} : { val_loss: 6 / (i + 1) }) })).join('\n')}\n`],
  ['JSONL CRLF and blank lines', `{"step": 1, "loss": 2}\r\n\r\n{"step": 2, "loss": 1.5}\r\n   \r\n{"step": 3,"loss":1}`],
  ['JSONL Python tokens', `{"step": 1, "loss": NaN}\n{"step": 2, "loss": Infinity}\n{"step": 3, "loss": -Infinity}\n{"step": 4, "loss": -NaN}\n{"step": 5, "loss": NaNa}\n{"step": 6, "loss": 1}\n`],
  ['JSONL strings, nulls, booleans, arrays, objects', `{"step": 1, "loss": "2.5", "ok": true, "v": null, "a": [1], "o": {"x": 1, "y": {"z": 2}}}\n{"step": 2, "loss": "nan", "s": "x\\"y"}\n{"step": 3, "loss": 1}\n`],
  ['JSONL keys that JavaScript reorders or repeats', `{"b": 1, "2": 3, "a": 2}\n{"a": 1, "a": 2, "b": 3}\n{"10": 1, "01": 2, "loss": 1}\n{"4294967295": 1, "4294967294": 2, "loss": 3}\n`],
  ['JSONL __proto__ and constructor', `{"__proto__": 1, "constructor": 2, "loss": 3}\n{"__proto__": {"polluted": 1}, "loss": 2}\n{"prototype": 3, "loss": 1}\n`],
  ['JSONL malformed', `{"loss": 1}\n{"loss": }\n{loss: 1}\n{"loss": 1,}\n{"loss": 01}\n{"loss": 1.}\n{"loss": .5}\n{"loss": +1}\n{"loss": 1e}\n{"loss": 2} x\n["loss", 1]\n{"loss": 1.5}\n`],
  ['JSONL escapes and non-ASCII', `{"lo\\u0073s": 1}\n{"loss": 2, "\\u001b[31m": 1}\n{"loss": 3, "café": 4}\n{"los\u00e9": 1}\n`],
  ['JSONL a cut-off last line', `{"step": 1, "loss": 2}\n{"step": 2, "loss": 1.5}\n{"step": 3, "lo`],
  ['JSONL an empty object and a number-free one', `{"loss": 2}\n{}\n{"name": "x", "ok": false}\n{"loss": 1}\n`],
];

for (const [name, bytes] of EDGE_CASES) {
  test(`fast path == line path: ${name}`, () => {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    for (const chunk of CHUNKS) {
      // one-byte chunks of a megabyte line take long and find nothing new
      if (data.length > 100_000 && chunk !== undefined && chunk < 64) continue;
      const { fast, lines } = bothWays(data, chunk);
      assert.deepEqual(fast, lines, `chunk size ${chunk}`);
    }
  });
}

test('the fast CSV reader reads rows of numbers into the columns the header names', () => {
  const table = readTable(sourceOf(`step,loss,val_loss\n1,2.5,\n2,2,1.5\n3,1e-3,\n`));
  assert.deepEqual(table.columns.map((c) => c.name), ['step', 'loss', 'val_loss']);
  assert.deepEqual(Array.from(table.columns[1].values), [2.5, 2, 0.001]);
  assert.deepEqual(Array.from(table.columns[2].present), [0, 1, 0]);
  assert.deepEqual(Array.from(table.rowLine), [2, 3, 4]);
});

test('a JSONL layout is kept as copies: the chunk it came from may be overwritten by the next read', () => {
  const objects = new FlatObjects();
  const chunk = Buffer.from('{"step": 1, "loss": 2.5}\n');
  assert.ok(objects.parse(chunk, 0, chunk.length, 1) > 0);
  chunk.write('{"xxxx": 1, "yyyy": 2.5}\n'); // the next read into the same buffer
  const line = Buffer.from('{"xxxx": 3, "yyyy": 4.5}\n');
  assert.ok(objects.parse(line, 0, line.length, 2) > 0);
  assert.deepEqual(objects.pairKeys.slice(0, objects.pairs).map((k) => k.name), ['xxxx', 'yyyy']);
  assert.deepEqual(Array.from(objects.pairValues.subarray(0, objects.pairs)), [3, 4.5]);
});

test('a JSONL line that differs from a kept layout in any one byte is read as what it says, or refused', () => {
  const template = '{"train_loss": 1.5, "lr": 0.25, "s": 7}';
  for (let at = 0; at < template.length; at++) {
    const changed = `${template.slice(0, at)}${template[at] === 'x' ? 'y' : 'x'}${template.slice(at + 1)}`;
    let expected: Record<string, number> | undefined;
    try {
      expected = JSON.parse(changed);
    } catch {
      expected = undefined; // not JSON: the fast reader must refuse it (the text path then decides)
    }
    for (const offset of [0, 1, 2, 3]) { // lines at every alignment of a word
      const objects = new FlatObjects();
      const bytes = Buffer.from(`${' '.repeat(offset)}${template}\n${changed}\n`);
      const first = objects.parse(bytes, 0, bytes.length, 1);
      assert.equal(bytes[first], 10);
      const end = objects.parse(bytes, first + 1, bytes.length, 2);
      if (!expected) {
        assert.ok(end < 0 || bytes[end] !== 10, `byte ${at} changed, offset ${offset}: ${changed} taken`);
        continue;
      }
      assert.equal(bytes[end], 10);
      const read = Object.fromEntries(objects.pairKeys.slice(0, objects.pairs).map((k, p) => [k.name, objects.pairValues[p]]));
      assert.deepEqual(read, expected, `byte ${at} changed, offset ${offset}`);
    }
  }
});
