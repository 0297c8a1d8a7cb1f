// TensorBoard event files: CRC32C, TFRecord framing, protobuf decoding of every scalar encoding, damage, and refusals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { normalise } from '../src/normalise/index.js';
import { InputError } from '../src/read/errors.js';
import { readFileSource, readTable } from '../src/read/index.js';
import { crc32c, maskedCrc32c } from '../src/read/formats/tensorboard/crc32c.js';
import { startsWithTfRecord } from '../src/read/formats/tensorboard/tfrecord.js';
import {
  INF_AT_STEP, NAN_FROM_STEP, PYTORCH_EVAL_STEPS, PYTORCH_STEPS, TF2_EPOCHS, lrAt, trainLossAt, valLossAt,
} from '../scripts/format-fixtures.js';
import { encodeEvent, eventFile, FILE_VERSION, tfRecord, type ValueSpec } from '../scripts/tfevents-writer.js';
import { columnNames, fixture, points, tempFolder } from './helpers/formats.js';

const read = (bytes: Buffer, name = 'events.bin') => readTable({ name, bytes });
const f32 = Math.fround;

test('CRC32C gives the standard check value, and the masked form matches a real TFRecord header', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  // the length CRC of a 24-byte record, as every TF2 event file's first header holds it
  assert.equal(maskedCrc32c(Buffer.from([0x18, 0, 0, 0, 0, 0, 0, 0])), 0x224b7fa3);
});

test('an event file is recognised by its framing, whatever its name; a CSV named like one is still CSV', () => {
  const dir = tempFolder();
  try {
    const renamed = dir.write('trainlog.dat', readFileSync(fixture('tensorboard/pytorch-simple-value.tfevents')));
    assert.ok(readTable(readFileSource(renamed)).format.startsWith('tensorboard'));
    const csv = dir.write('events.out.tfevents.1700000000.host.0', 'step,loss\n1,2.5\n2,2.4\n');
    assert.ok(readTable(readFileSource(csv)).format.startsWith('csv'));
  } finally {
    dir.cleanup();
  }
});

test('PyTorch simple_value scalars map to train, val and lr series at their steps', () => {
  const path = fixture('tensorboard/pytorch-simple-value.tfevents');
  const table = readTable(readFileSource(path));
  // the text summary is no scalar: no column for it
  assert.deepEqual(columnNames(table), ['step', 'train/loss', 'train/learning_rate', 'eval/loss']);
  const { choice, runs } = normalise(table, {}, path);
  assert.equal(choice.train?.name, 'train/loss');
  assert.equal(choice.val?.name, 'eval/loss');
  assert.equal(choice.lr?.name, 'train/learning_rate');
  assert.equal(choice.stepName, 'step');
  assert.equal(runs.length, 1);
  const train = runs[0].series.train!;
  assert.deepEqual([...train.steps], PYTORCH_STEPS);
  assert.deepEqual([...train.values], PYTORCH_STEPS.map((s) => f32(trainLossAt(s))));
  assert.deepEqual(points(table, 'eval/loss'), PYTORCH_EVAL_STEPS.map((s) => [s, f32(valLossAt(s))]));
  assert.deepEqual(points(table, 'train/learning_rate').map(([, v]) => v), PYTORCH_STEPS.map((s) => f32(lrAt(s))));
});

test('TF2 tensor scalars read in every encoding; histograms and graphs are skipped; a zero step left out reads as 0', () => {
  const table = readTable(readFileSource(fixture('tensorboard/tf2-tensor-scalars.tfevents')));
  assert.deepEqual(columnNames(table), ['step', 'epoch_loss', 'epoch_accuracy', 'epoch_learning_rate', 'epoch_val_ratio']);
  assert.deepEqual(points(table, 'epoch_loss'), TF2_EPOCHS.map((e) => [e, f32(trainLossAt(e * 50))]));
  assert.deepEqual(points(table, 'epoch_accuracy').map(([, v]) => v), TF2_EPOCHS.map((e) => f32(1 - trainLossAt(e * 50) / 3)));
  assert.deepEqual(points(table, 'epoch_learning_rate').map(([, v]) => v), TF2_EPOCHS.map((e) => lrAt(e * 50)));
  assert.deepEqual(points(table, 'epoch_val_ratio').map(([, v]) => v), TF2_EPOCHS.map((e) => valLossAt(e * 50) / trainLossAt(e * 50)));
});

test('each scalar encoding decodes to its value; non-scalar tensors and other plugins do not', () => {
  const cases: Array<{ spec: ValueSpec; expect: number | undefined }> = [
    { spec: { tag: 'm', simple: 0.1 }, expect: f32(0.1) },
    { spec: { tag: 'm', simple: 0 }, expect: 0 },
    { spec: { tag: 'm', tensor: 'float-content', value: 0.3 }, expect: f32(0.3) },
    { spec: { tag: 'm', tensor: 'float-val', value: -2.5e-7 }, expect: f32(-2.5e-7) },
    { spec: { tag: 'm', tensor: 'double-content', value: 0.1 }, expect: 0.1 },
    { spec: { tag: 'm', tensor: 'double-val', value: 1e300 }, expect: 1e300 },
    { spec: { tag: 'm', tensor: 'float-content', value: 0.3, scalarsPlugin: false }, expect: f32(0.3) },
    { spec: { tag: 'm', floatVector: [1, 2, 3] }, expect: undefined },
    { spec: { tag: 'm', floatVector: [4] }, expect: 4 },
    { spec: { tag: 'm', floatVector: [4], shape: [] }, expect: 4 },
    // one value with a shape of three is TensorFlow's fill: a vector, not a scalar
    { spec: { tag: 'm', floatVector: [4], shape: [3] }, expect: undefined },
    { spec: { tag: 'm', floatVector: [4], shape: [1, 1] }, expect: 4 },
    { spec: { tag: 'm', floatVector: [4], plugin: 'hparams' }, expect: undefined },
    { spec: { tag: 'm', text: 'hello' }, expect: undefined },
  ];
  for (const { spec, expect } of cases) {
    const bytes = eventFile([{ wallTime: 1, step: 3, values: [{ tag: 'loss', simple: 1 }, spec] }]);
    const table = read(bytes);
    const got = table.columns.find((c) => c.name === 'm');
    if (expect === undefined) assert.equal(got, undefined, JSON.stringify(spec));
    else assert.deepEqual(points(table, 'm'), [[3, expect]], JSON.stringify(spec));
  }
});

test('int64 steps beyond 2^31 and unknown fields of every wire type are read past', () => {
  const steps = [2 ** 31 + 5, 5_000_000_000, 2 ** 40 + 1];
  const bytes = eventFile(steps.map((step, i) => ({ wallTime: 10 + i, step, unknownFields: true, values: [{ tag: 'loss', simple: i + 0.5 }] })));
  assert.deepEqual(points(read(bytes), 'loss'), steps.map((s, i) => [s, i + 0.5]));
});

test('NaN and Inf values stay values, and the nan pattern is found where they start', () => {
  const path = fixture('tensorboard/nan-loss.tfevents');
  const table = readTable(readFileSource(path));
  for (const [step, value] of points(table, 'train/loss')) {
    if (step === INF_AT_STEP) assert.equal(value, Infinity);
    else if (step >= NAN_FROM_STEP) assert.ok(Number.isNaN(value), `step ${step}`);
    else assert.ok(Number.isFinite(value), `step ${step}`);
  }
  const nan = diagnose(table, path, { vocab: 50257 }).findings.find((f) => f.pattern === 'nan');
  assert.equal(nan?.series, 'train');
  assert.equal(nan?.start_step, NAN_FROM_STEP);
});

/** An event file of one scalar per step, with each record's byte offset (the header record first). */
function numberedFile(count: number): { bytes: Buffer; offsets: number[]; steps: number[] } {
  const steps = Array.from({ length: count }, (_, i) => i + 1);
  const records = [tfRecord(encodeEvent({ wallTime: 0, fileVersion: FILE_VERSION })),
    ...steps.map((step) => tfRecord(encodeEvent({ wallTime: step, step, values: [{ tag: 'loss', simple: 1 / step }] })))];
  const offsets: number[] = [];
  let at = 0;
  for (const r of records) { offsets.push(at); at += r.length; }
  return { bytes: Buffer.concat(records), offsets, steps };
}

test('a cut-off last record (a file still being written) is ignored with a note', () => {
  const { bytes, steps } = numberedFile(20);
  const extra = tfRecord(encodeEvent({ wallTime: 99, step: 99, values: [{ tag: 'loss', simple: 9 }] }));
  const cuts = [
    Buffer.concat([bytes, extra.subarray(0, 6)]), // inside the length
    Buffer.concat([bytes, extra.subarray(0, 12)]), // header whole, no data
    Buffer.concat([bytes, extra.subarray(0, extra.length - 2)]), // inside the data CRC
  ];
  for (const cut of cuts) {
    const table = read(cut);
    assert.deepEqual(points(table, 'loss').map(([s]) => s), steps);
    assert.equal(table.notes.length, 1);
  }
  assert.equal(read(bytes).notes.length, 0);
});

test('a record with a bad CRC is skipped and counted; the records after it still read', () => {
  const { bytes, offsets, steps } = numberedFile(30);
  const k = 12; // record index (0 is the header), so step 12 is lost
  const places: Array<[string, number]> = [['length', 0], ['length CRC', 9], ['data', 14], ['data CRC', offsets[k + 1] - offsets[k] - 2]];
  for (const [where, at] of places) {
    const damaged = Buffer.from(bytes);
    damaged[offsets[k] + at] ^= 0x40;
    const table = read(damaged);
    assert.deepEqual(points(table, 'loss').map(([s]) => s), steps.filter((s) => s !== k), where);
    assert.equal(table.notes.length, 1, where);
  }
});

test('a file holding only the file-version header, or events with no scalars, is a run that logged no loss: read, and reported as such', () => {
  const inputs = [
    readFileSync(fixture('tensorboard/header-only.tfevents')),
    eventFile([{ wallTime: 1, graphBytes: 300 }, { wallTime: 2, values: [{ tag: 'notes', text: 'hi' }] }]),
  ];
  for (const bytes of inputs) {
    const table = read(bytes);
    assert.equal(table.rows, 0);
    assert.equal(table.trainerLog, true);
    assert.match(table.notes.join(' '), /no scalars|no scalar summaries/);
    const report = diagnose(table, 'events.bin', { vocab: 50257 });
    assert.equal(report.verdict, 'no-loss');
    assert.deepEqual(report.findings, []);
  }
});

test('an event file whose only scalar is no loss (accuracy) is reported as holding no loss, never diagnosed on accuracy', () => {
  const table = read(eventFile([{ wallTime: 1, step: 77, values: [{ tag: 'accuracy', simple: 0.99 }] }]));
  assert.deepEqual(columnNames(table), ['step', 'accuracy']);
  const report = diagnose(table, 'events.bin', { vocab: 50257 });
  assert.equal(report.verdict, 'no-loss');
  assert.equal(report.series.train, undefined);
  assert.match(report.notes.join(' '), /accuracy/);
});

test('binary data that is not TFRecord is refused, not read as an event file', () => {
  let seed = 7;
  const random = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff));
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), random.subarray(0, 500)]);
  const shortRecord = readFileSync(fixture('tensorboard/header-only.tfevents')).subarray(0, 11);
  for (const bytes of [random, png, shortRecord]) {
    assert.equal(startsWithTfRecord(bytes), false);
    assert.throws(() => read(bytes), InputError);
  }
});

test('--input-format tensorboard forces the event-file reader, and refuses what is not one', () => {
  const bytes = readFileSync(fixture('tensorboard/pytorch-simple-value.tfevents'));
  assert.ok(readTable({ name: 'x', bytes }, 'tensorboard').format.startsWith('tensorboard'));
  assert.throws(() => readTable({ name: 'x', bytes: Buffer.from('step,loss\n1,2\n') }, 'tensorboard'), InputError);
});
