// MLflow file store metric files: metric lines, metric keys from paths, NaN and cut-off lines, a validation metric alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { InputError } from '../src/read/errors.js';
import { readFileSource, readTable } from '../src/read/index.js';
import { metricKeyOf, parseMetricLine } from '../src/read/mlflow/metric-file.js';
import { MLFLOW_OLD_EPOCHS, MLFLOW_OLD_RUN, allFormatFixtures, trainLossAt } from '../scripts/format-fixtures.js';
import { fixture, points } from './helpers/formats.js';

const TS = '1700000000000';

test('metric lines: timestamp, value (any NaN spelling), optional integer step; anything else is no metric line', () => {
  const cases: Array<[string, { value: number; step?: number } | undefined]> = [
    [`${TS} 0.25 7`, { value: 0.25, step: 7 }],
    [`${TS} 1e-05 0`, { value: 1e-5, step: 0 }],
    [`${TS} nan 3`, { value: NaN, step: 3 }],
    [`${TS} inf 4`, { value: Infinity, step: 4 }],
    [`${TS} -inf 5`, { value: -Infinity, step: 5 }],
    [`${TS} 2.5`, { value: 2.5 }],
    [`${TS} 2.5 -1`, { value: 2.5, step: -1 }],
    ['1700000000 0.5 2', { value: 0.5, step: 2 }],
    ['12 0.5 2', undefined],
    [`${TS} abc 2`, undefined],
    [`${TS} 0.5 2.5`, undefined],
    [`${TS} 0.5 2 9`, undefined],
    ['loss 0.5 2', undefined],
    [TS, undefined],
  ];
  for (const [line, expect] of cases) assert.deepEqual(parseMetricLine(line), expect, line);
});

test('the metric key comes from the path below metrics/ (nested keys keep their slash), else the file name', () => {
  const cases: Array<[string | undefined, string]> = [
    ['/runs/abc/metrics/train/loss', 'train/loss'],
    ['mlruns/1/abc/metrics/val_loss', 'val_loss'],
    ['C:\\mlruns\\1\\abc\\metrics\\eval\\loss', 'eval/loss'],
    ['loss', 'loss'],
    ['/tmp/copied-loss', 'copied-loss'],
    ['<stdin>', 'value'],
    [undefined, 'value'],
  ];
  for (const [path, key] of cases) assert.equal(metricKeyOf(path), key, String(path));
});

test('a metric file is recognised by content and read into step and value columns', () => {
  const lines = MLFLOW_OLD_EPOCHS.map((e, i) => `${Number(TS) + i} ${trainLossAt(e)} ${e}`).join('\n') + '\n';
  const table = readTable({ name: '/somewhere/metrics/loss', bytes: Buffer.from(lines) });
  assert.equal(table.format, 'mlflow metric file');
  assert.deepEqual(points(table, 'loss'), MLFLOW_OLD_EPOCHS.map((e) => [e, trainLossAt(e)]));
  // the same bytes under any name are still a metric file
  assert.equal(readTable({ name: 'data.txt', bytes: Buffer.from(lines) }).format, 'mlflow metric file');
});

test('space-separated numbers without a timestamp are not claimed as a metric file', () => {
  const bytes = Buffer.from('1 0.5 2\n2 0.4 2\n3 0.3 2\n');
  assert.throws(() => readTable({ name: 'log.txt', bytes }), InputError);
});

test('NaN lines stay values; a cut-off last line is noted, a garbage line counted', () => {
  const text = `${TS} 1.5 0\n${TS} nan 1\n${TS} 1.2 2\nTraceback (most recent call last)\n${TS} 1.1 3\n17000000`;
  const table = readTable({ name: 'metrics/loss', bytes: Buffer.from(text) });
  const got = points(table, 'loss');
  assert.deepEqual(got.map(([s]) => s), [0, 1, 2, 3]);
  assert.ok(Number.isNaN(got[1][1]));
  assert.equal(table.skipped.count, 1);
  assert.deepEqual(table.skipped.lines, [4]);
  assert.equal(table.notes.length, 1);
});

test('a validation metric alone is diagnosed as the validation series, not refused', () => {
  const path = fixture(`mlflow/mlruns/1/${MLFLOW_OLD_RUN}/metrics/val_loss`);
  const report = diagnose(readTable(readFileSource(path)), path, { vocab: 50257 });
  assert.equal(report.series.train, undefined);
  assert.equal(report.series.val, 'val_loss');
  assert.equal(report.curves.val?.values.length, MLFLOW_OLD_EPOCHS.length);
});

test('the committed metric files are what the generator writes', () => {
  for (const { path, bytes } of allFormatFixtures()) {
    if (path.startsWith('mlflow/')) assert.deepEqual(readFileSync(join(fixture(''), path)), bytes, path);
  }
});
