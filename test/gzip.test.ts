// Gzip-compressed logs of any format read exactly as the plain ones, and a stream cut off mid-write keeps what it holds.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readFileSource, readTable } from '../src/read/index.js';
import type { Table } from '../src/read/table.js';
import { FIXTURES } from './helpers.js';

const SAMPLES = [
  'patterns/spike/positive-pretrain-spike-at-6000.csv',
  'patterns/overfit/positive-few-evals.jsonl',
  'formats/stdout/llmc-main.log',
  'formats/hf-trainer-state/eval-and-summary.json',
  'formats/tensorboard/pytorch-simple-value.tfevents',
];

const DIR = mkdtempSync(join(tmpdir(), 'losscurve-gzip-'));

/** Reads compressed bytes the way a user's file arrives: through the file source, which decompresses. */
function readGzip(name: string, bytes: Buffer): Table {
  const path = join(DIR, `${basename(name)}.gz`);
  writeFileSync(path, bytes);
  return readTable(readFileSource(path));
}

function summary(t: Table) {
  return { format: t.format, rows: t.rows, columns: t.columns.filter((c) => c.count > 0).map((c) => [c.name, c.count, Array.from(c.values)]) };
}

for (const name of SAMPLES) {
  test(`gzip: ${name} reads the same compressed`, () => {
    const bytes = readFileSync(join(FIXTURES, name));
    const plain = readTable({ name, bytes });
    const zipped = readGzip(name, gzipSync(bytes));
    assert.deepEqual(summary(zipped), summary(plain));
  });
}

test('gzip: a stream cut off mid-write keeps the rows it holds', () => {
  const lines = ['step,loss', ...Array.from({ length: 2000 }, (_, i) => `${i + 1},${(3 * Math.exp(-i / 500) + 1).toFixed(5)}`)];
  const zipped = gzipSync(Buffer.from(lines.join('\n') + '\n'));
  const cut = zipped.subarray(0, Math.floor(zipped.length * 0.6));
  const t = readGzip('cut.csv', cut);
  assert.ok(t.rows > 100 && t.rows < 2000, `rows ${t.rows}`);
});
