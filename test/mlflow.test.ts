// MLflow file store: metric lines, metric keys from paths, run folders merged by step, experiments and stores (latest run).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { InputError } from '../src/read/errors.js';
import { readFileSource, readTable } from '../src/read/index.js';
import { metricKeyOf, parseMetricLine } from '../src/read/formats/mlflow/metric-file.js';
import {
  MLFLOW_NEW_RUN, MLFLOW_NEW_STEPS, MLFLOW_OLD_EPOCHS, MLFLOW_OLD_RUN, allFormatFixtures, trainLossAt, valLossAt,
} from '../scripts/format-fixtures.js';
import { columnNames, fixture, points, tempFolder } from './helpers/formats.js';

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

test('a run folder merges its metric files by step; nested keys become slash names', () => {
  const old = readTable(readFileSource(fixture(`mlflow/mlruns/1/${MLFLOW_OLD_RUN}`)));
  assert.equal(old.format, 'mlflow run');
  assert.deepEqual(points(old, 'loss'), MLFLOW_OLD_EPOCHS.map((e) => [e, trainLossAt(e * 40)]));
  assert.deepEqual(points(old, 'val_loss'), MLFLOW_OLD_EPOCHS.map((e) => [e, valLossAt(e * 40)]));
  const recent = readTable(readFileSource(fixture(`mlflow/mlruns/1/${MLFLOW_NEW_RUN}`)));
  assert.deepEqual(columnNames(recent).sort(), ['eval/loss', 'learning_rate', 'step', 'train/loss']);
  assert.deepEqual(points(recent, 'train/loss'), MLFLOW_NEW_STEPS.map((s) => [s, trainLossAt(s)]));
  const report = diagnose(recent, 'run', { vocab: 50257 });
  assert.equal(report.series.train, 'train/loss');
  assert.equal(report.series.val, 'eval/loss');
  assert.equal(report.series.lr, 'learning_rate');
});

test('an experiment or a whole store is read through its latest run, and says which', () => {
  for (const folder of ['mlflow/mlruns/1', 'mlflow/mlruns']) {
    const table = readTable(readFileSource(fixture(folder)));
    assert.deepEqual(points(table, 'train/loss'), MLFLOW_NEW_STEPS.map((s) => [s, trainLossAt(s)]), folder);
    assert.ok(table.notes.some((n) => n.includes(MLFLOW_NEW_RUN)), folder);
  }
});

test('deleted runs are passed over, and a lone run is taken; with no times, the newer meta.yaml wins', () => {
  const dir = tempFolder();
  try {
    for (const { path, bytes } of allFormatFixtures()) {
      if (!path.startsWith('mlflow/mlruns/1/')) continue;
      const text = path.endsWith(`${MLFLOW_NEW_RUN}/meta.yaml`) ? bytes.toString().replace('lifecycle_stage: active', 'lifecycle_stage: deleted') : bytes;
      dir.write(path.slice('mlflow/mlruns/1/'.length), text);
    }
    const table = readTable(readFileSource(dir.path));
    assert.deepEqual(columnNames(table).sort(), ['loss', 'step', 'val_loss']);
    assert.ok(table.notes.some((n) => n.includes(MLFLOW_OLD_RUN)));
  } finally {
    dir.cleanup();
  }
});

test('a folder that looks like a run but has no metric values is a one-line error', () => {
  const dir = tempFolder();
  try {
    dir.write('meta.yaml', `run_id: abc\nstart_time: ${TS}\n`);
    dir.write('metrics/loss', '');
    assert.throws(() => readTable(readFileSource(dir.path)), InputError);
  } finally {
    dir.cleanup();
  }
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
