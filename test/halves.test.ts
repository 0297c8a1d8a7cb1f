// Files read in two halves (the helper thread reads the second) give exactly the table one thread gives, whatever the second half holds.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MAIN_SHARE, halving } from '../src/read/engine/halves.js';
import { readFileSource, readTable } from '../src/read/index.js';
import { tableData } from './helpers/tables.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-halves-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// files just over two 4 MiB chunks, so the first chunk ends before the middle and the split happens
const ROWS = 330_000;
const SPLIT_FROM = 8 * 1024 * 1024;

/** Reads a file in halves and by one thread: the tables must be the same, and the halves must have gone as `expected`. */
function sameBothWays(name: string, text: string, expected: typeof halving.last): void {
  const path = join(dir, name);
  writeFileSync(path, text);
  assert.ok(text.length > SPLIT_FROM, `${name} is big enough to split`);
  const read = (fromBytes: number) => {
    halving.fromBytes = fromBytes;
    // as JSON text: comparing hundreds of thousands of cells one by one takes seconds
    return JSON.stringify(tableData(readTable(readFileSource(path))));
  };
  const halves = read(SPLIT_FROM);
  assert.equal(halving.last, expected, `${name}: the second half was ${halving.last}`);
  const one = read(Infinity);
  if (halves !== one) {
    let at = 0;
    while (halves[at] === one[at]) at++;
    assert.fail(`${name}: the tables differ at character ${at}: ${halves.slice(at - 80, at + 80)} vs ${one.slice(at - 80, at + 80)}`);
  }
}

const csvRow = (i: number) => `${i},${(10 / i).toFixed(6)},${i % 100 ? '' : (11 / i).toFixed(5)},${(1e-3 / (1 + i / ROWS)).toPrecision(6)}`;
const csv = (edit: (i: number, row: string) => string = (_, row) => row, ending = '\n') =>
  `step,train_loss,val_loss,lr${ending}${Array.from({ length: ROWS }, (_, k) => edit(k + 1, csvRow(k + 1))).join(ending)}${ending}`;
const late = (i: number) => i > ROWS * 0.75; // in the helper's half

const at = (share: number) => Math.floor(ROWS * share);
/** `text` with `inserted` at a line start a little before the split, so that the split falls inside it. */
function aroundSplit(text: string, inserted: string): string {
  const from = text.indexOf('\n', (text.length + inserted.length) * MAIN_SHARE - inserted.length / 2) + 1;
  return text.slice(0, from) + inserted + text.slice(from);
}
const CSV_CASES: Array<[string, string, typeof halving.last]> = [
  ['clean', csv(), 'joined'],
  // the helper stops at the first oddity; this thread reads on from there
  ['CRLF, with text in a cell, a loss missing, a blank line, a repeated header and a cut-off last line late on', `${csv((i, row) => {
    if (i === at(0.8)) return row.replace(/^\d+,[^,]*/, `${i},oops`);
    if (i === at(0.85)) return row.replace(/^(\d+),[^,]*/, '$1,');
    if (i === at(0.9)) return `\r\nstep,train_loss,val_loss,lr\r\n${row}`;
    return row;
  }, '\r\n')}${ROWS + 1},0.5`, 'joined'],
  // a column with a mask (a row of this thread's half lacks it): the helper's rows are marked in it
  ['a loss missing early on', csv((i, row) => (i === at(0.3) ? row.replace(/^(\d+),[^,]*/, '$1,') : row)), 'joined'],
  ['validation on every row from three quarters on', csv((i, row) => (late(i) ? row.replace(/^(\d+,[^,]*),[^,]*/, `$1,${(11 / i).toFixed(5)}`) : row)), 'joined'],
  // a quoted field open at the split: this thread's reader would not take the helper's rows as they are
  ['a quoted field open across the split', aroundSplit(csv(), `"a\n${'x\n'.repeat(10_000)}",1,2,3\n`), 'read again'],
  // the first chunk's density underestimates the rows of this thread's half: it outgrows its room
  ['long lines first, short lines after', csv((i, row) => (i < 40_000 ? `${row}${' '.repeat(60)}` : row.replace(/(\.\d{3})\d+/g, '$1'))), 'read again'],
];

for (const [name, text, expected] of CSV_CASES) {
  test(`halves == one thread (CSV): ${name}`, () => sameBothWays(`${name}.csv`, text, expected));
}

const JSON_ROWS = 150_000; // JSONL rows run over twice as long
const jsonRow = (i: number) => JSON.stringify({ step: i, train_loss: 10 / i, ...(i % 100 ? {} : { val_loss: 11 / i }), lr: 1e-3 / (1 + i / ROWS) });
const jsonl = (edit: (i: number, row: string) => string = (_, row) => row) => `${Array.from({ length: JSON_ROWS }, (_, k) => edit(k + 1, jsonRow(k + 1))).join('\n')}\n`;

const JSONL_CASES: Array<[string, string, typeof halving.last]> = [
  ['clean', jsonl(), 'joined'],
  ['a new key, a loss missing and an object without numbers late on', jsonl((i, row) => {
    if (i === Math.floor(JSON_ROWS * 0.8)) return row.replace('{', '{"grad_norm": 1.5, ');
    if (i === Math.floor(JSON_ROWS * 0.85)) return JSON.stringify({ step: i, lr: 1 });
    if (i === Math.floor(JSON_ROWS * 0.9)) return `{"note": "eval"}\n${row}`;
    return row;
  }), 'joined'],
  ['validation on every row from three quarters on', jsonl((i, row) => (i > JSON_ROWS * 0.75 ? row.replace('{', `{"val_loss": ${11 / i}, `) : row)), 'joined'],
];

for (const [name, text, expected] of JSONL_CASES) {
  test(`halves == one thread (JSONL): ${name}`, () => sameBothWays(`${name}.jsonl`, text, expected));
}
