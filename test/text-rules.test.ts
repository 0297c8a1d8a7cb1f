// The rules a text log must get right: NaN spellings are values, non-losses never are, dead updates are NaN, cut-off lines are noted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise } from '../src/normalise/index.js';
import { readTable } from '../src/read/index.js';
import type { Table } from '../src/read/table.js';
import { tokenize } from '../src/read/formats/text/tokens.js';
import { readFixture } from './fixtures.js';

const text = (s: string): Table => readTable({ name: 'log', bytes: Buffer.from(s) });
const column = (t: Table, name: string) => t.columns.find((c) => c.name === name);
const valuesOf = (t: Table, name: string) => {
  const c = column(t, name);
  return c ? Array.from(c.values).filter((_, r) => c.present[r]) : [];
};
const trainOf = (t: Table) => normalise(t, {}, 'log').runs.at(-1)!.series.train!;

const NAN_SPELLINGS: Array<[line: string, value: number]> = [
  ['loss nan', NaN], ['loss     nan (+nanz)| norm 1.0', NaN], ['loss: -nan', NaN], ['loss=NaN', NaN], ["'loss': nan,", NaN],
  ['loss: inf ', Infinity], ['loss -inf |', -Infinity], ['loss=Infinity', Infinity], ['loss: 1.#INF', Infinity],
  ['loss: -1.#IND', NaN], ['loss nan(ind) |', NaN], ['"loss": "nan"', NaN], ['loss   nan | ppl      nan', NaN],
];

test('every NaN and infinity spelling is the loss value', () => {
  for (const [line, want] of NAN_SPELLINGS) {
    const loss = tokenize(line).pairs.find((p) => p.key === 'loss');
    assert.ok(loss, line);
    assert.ok(Object.is(loss.value, want), `${line}: ${loss.value}`);
  }
});

test('nan inside words, z-scores and timings is no value', () => {
  for (const line of ['step:5/9 train_loss:3.2 train_time:10ms step_avg:nanms', 'loss 3.2 (+nanz)| norm 1.1 (+nanz)', 'number of nan iterations: 0']) {
    for (const pair of tokenize(line).pairs) assert.ok(!Number.isNaN(pair.value), `${line}: ${pair.key}`);
  }
});

test('llm.c (+nanz) and modded-nanogpt step_avg:nanms leave every value finite', () => {
  for (const file of ['llmc-stdout.txt', 'modded-nanogpt.txt']) {
    const table = readFixture(file);
    for (const c of table.columns) assert.ok(valuesOf(table, c.name).every(Number.isFinite), `${file}: ${c.name}`);
  }
});

test('accuracy is never read: build-nanogpt hella and llm.c eval lines make no column', () => {
  assert.equal(column(readFixture('build-nanogpt-log.txt'), 'hella'), undefined);
  assert.equal(column(readFixture('llmc-main.log'), 'eval'), undefined);
  const choice = normalise(readFixture('keras.txt'), {}, 'keras').choice;
  assert.equal(choice.val?.name, 'val_loss'); // not val_acc
});

test('source code before the records is not read: the first val loss is the logged one, not "val_loss = 0.0"', () => {
  const val = normalise(readFixture('modded-nanogpt.txt'), {}, 'm').runs[0].series.val!;
  assert.deepEqual(Array.from(val.steps), [0, 4, 8]);
  assert.ok(val.values.every((v) => v > 1));
});

test('Megatron: an iteration with a nan grad norm and no lm loss is a NaN loss at that iteration', () => {
  const train = trainOf(readFixture('megatron-nan.txt'));
  assert.equal(train.name, 'lm loss');
  assert.deepEqual(Array.from(train.steps), [100, 101, 102, 103]);
  assert.deepEqual(Array.from(train.values, Number.isNaN), [false, false, true, true]);
});

test('Keras: TerminateOnNaN glued to a line keeps its loss; loss: inf and loss: nan are values', () => {
  assert.deepEqual(Array.from(trainOf(readFixture('keras-nan.txt')).values), [12.5, 48.0312, Infinity]);
  const epochs = normalise(readFixture('keras-epoch-nan.txt'), {}, 'k').runs[0].series;
  assert.deepEqual(Array.from(epochs.train!.steps), [64, 128]);
  assert.ok(Number.isNaN(epochs.train!.values[1]) && Number.isNaN(epochs.val!.values[1]));
});

test('a grad norm that is nan beside a real loss leaves the loss alone', () => {
  const table = readFixture('hf-trainer.txt');
  assert.ok(valuesOf(table, 'grad_norm').some(Number.isNaN));
  assert.ok(trainOf(table).values.every(Number.isFinite));
});

test('OLMo: thousands separators, one row per block, the config line and traceback ignored', () => {
  const table = readFixture('olmo.log');
  assert.equal(table.rows, 6);
  assert.deepEqual(valuesOf(table, 'train/Perplexity').slice(0, 2), [8955, 5710]);
  assert.equal(valuesOf(table, 'System/Peak GPU Memory')[0], 114390);
  assert.equal(column(table, 'seed'), undefined);
  assert.equal(column(table, 'line'), undefined);
});

test('CycleGAN: banners mark boundaries, epochs continue the step, a repeated epoch is a resume', () => {
  const table = readFixture('cyclegan-loss_log.txt');
  assert.deepEqual(table.boundaries, [6]);
  const { runs } = normalise(table, {}, 'c');
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0].resumes.map((r) => r.step), [440]);
  assert.deepEqual(Array.from(runs[0].series.train!.steps), [100, 200, 300, 440, 540, 640, 820, 920]);
});

test('word language model: step = (epoch − 1) · batches + batch; the valid loss lands at the end of its epoch', () => {
  const series = normalise(readFixture('wordlm.txt'), {}, 'w').runs[0].series;
  assert.deepEqual(Array.from(series.train!.steps), [200, 400, 600, 800, 1200, 1400, 1600, 1800]);
  assert.deepEqual(Array.from(series.val!.steps), [1000, 2000]);
});

test('a cut-off last line is noted and ignored, not counted as garbage; a complete last line without an ending is read', () => {
  const cut = readFixture('llmc-stdout.txt');
  assert.equal(cut.skipped.count, 0);
  assert.ok(cut.notes.length > 0);
  assert.equal(trainOf(cut).steps.at(-1), 8);
  const whole = readFixture('build-nanogpt-log.txt'); // ends "11 train 8.650000" with no newline
  assert.equal(trainOf(whole).steps.at(-1), 11);
  const log = 'step 1 | loss 2.5 | lr 0.1\nstep 2 | loss 2.4 | lr 0.1\nstep 3 | loss 2.3 | lr 0.1';
  assert.deepEqual(Array.from(trainOf(text(log)).steps), [1, 2, 3]);
  const cutMid = 'step 1 | loss 2.5 | lr 0.1\nstep 2 | loss 2.4 | lr 0.1\nstep 3 | loss 2.3 | l';
  assert.deepEqual(Array.from(trainOf(text(cutMid)).steps), [1, 2]);
});

test('a record whose loss does not parse is counted as skipped; noise lines are not', () => {
  const table = text('step 1: loss 2.5\nWARNING: something odd\nstep 2: loss 2.4.1\nsaving checkpoint to out\nstep 3: loss 2.3\n');
  assert.equal(table.skipped.count, 1);
  assert.deepEqual(table.skipped.lines, [3]);
  assert.deepEqual(Array.from(trainOf(table).steps), [1, 3]);
});

test('tutorial and ImageNet-example lines: a batch counter restarting each epoch continues the step', () => {
  const tutorial = 'Epoch [1/2], Step [100/300], Loss: 2.20\nEpoch [1/2], Step [200/300], Loss: 2.10\nEpoch [2/2], Step [100/300], Loss: 1.90\n';
  assert.deepEqual(Array.from(trainOf(text(tutorial)).steps), [100, 200, 400]);
  const imagenet = 'Epoch: [0][   0/5005]\tTime  3.512 ( 3.512)\tLoss 6.9350e+00 (6.9350e+00)\tAcc@1   0.00 (  0.00)\n'
    + 'Epoch: [0][  10/5005]\tTime  0.222 ( 0.512)\tLoss 6.9010e+00 (6.9200e+00)\tAcc@1   0.39 (  0.10)\n'
    + 'Epoch: [1][   0/5005]\tTime  0.222 ( 0.512)\tLoss 5.9010e+00 (5.9200e+00)\tAcc@1   0.39 (  0.10)\n';
  const train = trainOf(text(imagenet));
  assert.deepEqual(Array.from(train.steps), [0, 10, 5005]);
  assert.deepEqual(Array.from(train.values), [6.935, 6.901, 5.901]);
});
