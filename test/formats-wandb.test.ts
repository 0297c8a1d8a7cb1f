// Weights & Biases: chart exports (first run diagnosed, bands dropped), wandb-history.jsonl (media, sparse keys, NaN), runs tables refused.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { InputError } from '../src/read/errors.js';
import { columnNames, fixtureText, normalised, readFixture, readText, ROOT, stepsOf, valuesOf } from './format-fixtures.js';

/** The chart export parsed independently: the header and each row's cells, quotes removed. */
function chartCells(path: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = fixtureText(path).trim().split('\n').map((l) => l.split(',').map((c) => c.slice(1, -1)));
  return { header, rows };
}

test('a chart export diagnoses its first run, even one with fewer points or "val" in its name', () => {
  const path = 'wandb-chart/two-runs.csv';
  const { header, rows } = chartCells(path);
  const table = readFixture(path);
  const { choice, runs } = normalised(table);
  const first = header[1];
  assert.equal(choice.stepName, 'Step');
  assert.equal(choice.train?.name, first);
  assert.equal(choice.val, undefined);
  const filled = rows.filter((r) => r[1] !== '');
  assert.ok(filled.length < rows.length, 'the first run must be the shorter one');
  assert.deepEqual(stepsOf(runs[0].series.train), filled.map((r) => Number(r[0])));
  assert.deepEqual(valuesOf(runs[0].series.train), filled.map((r) => Number(r[1])));
  const others = header.slice(1).filter((c) => c !== first && !c.endsWith('__MIN') && !c.endsWith('__MAX'));
  assert.deepEqual(choice.otherTrain, others);
});

test('__MIN and __MAX band columns are not read', () => {
  const table = readFixture('wandb-chart/two-runs.csv');
  assert.ok(columnNames(table).every((name) => !name.endsWith('__MIN') && !name.endsWith('__MAX')));
});

test('with two metrics per run, train and val both come from the first run; --loss and --val pick another', () => {
  const table = readFixture('wandb-chart/two-runs-two-metrics.csv');
  const { choice } = normalised(table);
  assert.deepEqual([choice.train?.name, choice.val?.name], ['warm-river-7 - train/loss', 'warm-river-7 - val/loss']);
  assert.deepEqual(choice.otherTrain.concat(choice.otherVal).sort(), ['cold-lake-2 - train/loss', 'cold-lake-2 - val/loss']);
  const other = normalised(table, { loss: 'cold-lake-2 - train/loss', val: 'cold-lake-2 - val/loss' });
  assert.deepEqual([other.choice.train?.name, other.choice.val?.name], ['cold-lake-2 - train/loss', 'cold-lake-2 - val/loss']);
});

test('a runs table (one row per run) is refused with one InputError, and the CLI exits 2 with one line', () => {
  assert.throws(() => readFixture('wandb-runs/runs-table.csv'), InputError);
  const cli = spawnSync(process.execPath, [`${ROOT}bin/losscurve.js`, 'diagnose', `${ROOT}fixtures/formats/wandb-runs/runs-table.csv`], { encoding: 'utf8' });
  assert.equal(cli.status, 2);
  assert.equal(cli.stdout, '');
  assert.equal(cli.stderr.trimEnd().split('\n').length, 1);
});

/** The history parsed independently, NaN read as JSON null. */
function historyRows(): Array<Record<string, unknown>> {
  return fixtureText('wandb-history/wandb-history.jsonl').trim().split('\n').map((l) => JSON.parse(l.replace(': NaN', ': null')));
}

test('wandb-history.jsonl: the trainer\'s own step beats _step; sparse train and eval keys keep their steps; NaN is a value', () => {
  const rows = historyRows();
  const { choice, runs } = normalised(readFixture('wandb-history/wandb-history.jsonl'));
  assert.deepEqual([choice.stepName, choice.train?.name, choice.val?.name, choice.lr?.name],
    ['train/global_step', 'train/loss', 'eval/loss', 'train/learning_rate']);
  const s = runs[0].series;
  const train = rows.filter((r) => 'train/loss' in r);
  assert.deepEqual(stepsOf(s.train), train.map((r) => r['train/global_step']));
  assert.deepEqual(valuesOf(s.train), train.map((r) => (r['train/loss'] === null ? NaN : r['train/loss'])));
  assert.ok(valuesOf(s.train).some(Number.isNaN), 'the fixture must hold a NaN');
  assert.deepEqual(stepsOf(s.val), rows.filter((r) => 'eval/loss' in r).map((r) => r['train/global_step']));
});

test('wandb-history.jsonl: media values (images, histograms) make no columns', () => {
  const table = readFixture('wandb-history/wandb-history.jsonl');
  const isMedia = (v: unknown) => typeof v === 'object' && v !== null && '_type' in v;
  const media = historyRows().flatMap((r) => Object.keys(r).filter((k) => isMedia(r[k])));
  assert.ok(media.length > 0, 'the fixture must hold media values');
  for (const key of media) assert.ok(columnNames(table).every((name) => !name.startsWith(`${key}/`)), key);
});

test('wandb-history.jsonl without a trainer step is stepped by _step', () => {
  const text = fixtureText('wandb-history/wandb-history.jsonl').replace(/"train\/global_step": \d+, /g, '');
  const { choice, runs } = normalised(readText(text));
  assert.equal(choice.stepName, '_step');
  assert.deepEqual(stepsOf(runs[0].series.train), historyRows().filter((r) => 'train/loss' in r).map((r) => r._step));
});
