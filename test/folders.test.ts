// Folder inputs: TensorBoard run folders (splits, restarts, several runs), Lightning versions, and folders holding no log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { normalise } from '../src/normalise/index.js';
import { InputError } from '../src/read/errors.js';
import { readFileSource, readTable } from '../src/read/index.js';
import {
  KERAS_EPOCHS, LIGHTNING_EPOCHS, LIGHTNING_STEPS_PER_EPOCH, LIGHTNING_VERSION_SHIFT, RESTART_FIRST, RESTART_SECOND, RESTART_SHIFT,
  allFormatFixtures, range, trainLossAt, valLossAt,
} from '../scripts/format-fixtures.js';
import { eventFile } from '../scripts/tfevents-writer.js';
import { columnNames, fixture, points, tempFolder } from './helpers/formats.js';

const readPath = (path: string, format?: string) => readTable(readFileSource(path), format);
const f32 = Math.fround;

test('Keras train/ and validation/ folders become train and validation series; a header-only file beside them is ignored', () => {
  const path = fixture('tensorboard/keras-run');
  const table = readPath(path);
  assert.deepEqual(columnNames(table), ['step', 'train/epoch_loss', 'validation/epoch_loss']);
  const { choice } = normalise(table, {}, path);
  assert.equal(choice.train?.name, 'train/epoch_loss');
  assert.equal(choice.val?.name, 'validation/epoch_loss');
  assert.deepEqual(points(table, 'validation/epoch_loss'), KERAS_EPOCHS.map((e) => [e, f32(valLossAt(e * 25))]));
});

test('event files of a restarted run in one folder merge by step, the later file winning a repeated step', () => {
  const table = readPath(fixture('tensorboard/restarted-run'));
  const firstOnly = RESTART_FIRST.filter((s) => !RESTART_SECOND.includes(s));
  const expected = [
    ...firstOnly.map((s) => [s, f32(trainLossAt(s * 10))]),
    ...RESTART_SECOND.map((s) => [s, f32(trainLossAt(s * 10) + RESTART_SHIFT)]),
  ];
  assert.deepEqual(points(table, 'loss'), expected);
  assert.equal(table.notes.length, 1);
});

test('sibling run folders are separate runs: the one started last is read, and the choice is noted', () => {
  const dir = tempFolder();
  try {
    const run = (wall: number, base: number) => eventFile(range(1, 20, 1).map((step) => ({ wallTime: wall + step, step, values: [{ tag: 'train/loss', simple: base / step }] })));
    dir.write('runs/Mar24_10-00-00_host/events.out.tfevents.1.host.0', run(2_000_000_000, 2));
    dir.write('runs/Mar23_10-00-00_host/events.out.tfevents.2.host.0', run(1_000_000_000, 7));
    const table = readPath(join(dir.path, 'runs'));
    assert.deepEqual(columnNames(table), ['step', 'train/loss']);
    assert.deepEqual(points(table, 'train/loss'), range(1, 20, 1).map((s) => [s, f32(2 / s)]));
    assert.equal(table.notes.length, 1);
  } finally {
    dir.cleanup();
  }
});

test('lightning_logs is read through its highest version that logged; a version folder directly; a project folder above it', () => {
  const cases: Array<[string, number]> = [
    ['lightning/lightning_logs', LIGHTNING_VERSION_SHIFT[1]],
    ['lightning/lightning_logs/version_0', LIGHTNING_VERSION_SHIFT[0]],
    ['lightning', LIGHTNING_VERSION_SHIFT[1]],
  ];
  for (const [folder, shift] of cases) {
    const path = fixture(folder);
    const table = readPath(path);
    const { choice, runs } = normalise(table, {}, path);
    assert.equal(choice.train?.name, 'train_loss_step', folder);
    assert.equal(choice.val?.name, 'val_loss', folder);
    const train = runs[runs.length - 1].series.train!;
    assert.equal(train.values.length, LIGHTNING_EPOCHS * LIGHTNING_STEPS_PER_EPOCH, folder);
    assert.equal(train.values[0], trainLossAt(0) + shift, folder);
  }
});

test('a Lightning version written by TensorBoardLogger (event files, no metrics.csv) is read as TensorBoard', () => {
  const dir = tempFolder();
  try {
    dir.write('lightning_logs/version_0/metrics.csv', 'step,train_loss\n0,3\n1,2\n');
    dir.write('lightning_logs/version_1/events.out.tfevents.1.host.0', eventFile(range(0, 9, 1).map((step) => ({ wallTime: step + 1, step, values: [{ tag: 'train_loss', simple: 1 + 1 / (step + 1) }] }))));
    const table = readPath(join(dir.path, 'lightning_logs'));
    assert.ok(table.format.startsWith('tensorboard'));
    assert.deepEqual(points(table, 'train_loss'), range(0, 9, 1).map((s) => [s, f32(1 + 1 / (s + 1))]));
  } finally {
    dir.cleanup();
  }
});

test('folders that hold no log are one-line errors; a TensorBoard run with only empty event files is read as logging no loss', () => {
  const dir = tempFolder();
  try {
    dir.write('empty/README.md', '# notes\n');
    dir.write('headers/train/events.out.tfevents.1.host.profile-empty', readFileSync(fixture('tensorboard/header-only.tfevents')));
    dir.write('crashed/lightning_logs/version_0/hparams.yaml', 'lr: 1\n');
    for (const name of ['empty', 'crashed']) assert.throws(() => readPath(join(dir.path, name)), InputError, name);
    const headers = readPath(join(dir.path, 'headers'));
    assert.equal(headers.rows, 0);
    assert.equal(headers.trainerLog, true);
  } finally {
    dir.cleanup();
  }
});

test('--input-format: a folder format forces that reader; a file format on a folder, or a folder format on a file, is refused', () => {
  assert.ok(readPath(fixture('tensorboard/keras-run'), 'tensorboard').format.startsWith('tensorboard'));
  assert.throws(() => readPath(fixture('tensorboard/keras-run'), 'mlflow'), InputError);
  assert.throws(() => readPath(fixture('tensorboard/keras-run'), 'csv'), InputError);
  assert.throws(() => readPath(fixture('lightning/lightning_logs/version_0/metrics.csv'), 'lightning'), InputError);
});

test('the committed TensorBoard and Lightning fixtures are what the generator writes', () => {
  for (const { path, bytes } of allFormatFixtures()) {
    if (!path.startsWith('mlflow/')) assert.deepEqual(readFileSync(join(fixture(''), path)), bytes, path);
  }
});
