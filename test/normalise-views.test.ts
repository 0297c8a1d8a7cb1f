// A log whose steps rise on every row is one run whose dense curves are views of the table; sparse and irregular logs still come out as before.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify } from '../src/column-names.js';
import { normalise } from '../src/normalise/index.js';
import { readTable } from '../src/read/index.js';
import { sourceOf } from './helpers/tables.js';

const plain = (a: ArrayLike<number> | Iterable<number> | undefined) => (a ? Array.from(a) : undefined);

test('a dense column of a rising log is the table column itself, not a copy', () => {
  const table = readTable(sourceOf('step,loss,val_loss\n10,3,\n20,2.5,2.8\n30,2,\n40,1.5,1.9\n'));
  const { runs } = normalise(table, {}, 'x.csv');
  assert.equal(runs.length, 1);
  const { train, val } = runs[0].series;
  assert.deepEqual(plain(train!.steps), [10, 20, 30, 40]);
  assert.deepEqual(plain(train!.values), [3, 2.5, 2, 1.5]);
  assert.deepEqual(plain(train!.lines), [2, 3, 4, 5]);
  const loss = table.columns.find((c) => c.name === 'loss')!;
  assert.equal(train!.values.buffer, loss.values.buffer); // a view
  assert.deepEqual(plain(val!.steps), [20, 40]);
  assert.deepEqual(plain(val!.values), [2.8, 1.9]);
  assert.deepEqual(plain(val!.lines), [3, 5]);
  assert.deepEqual(runs[0].lines, [2, 5]);
});

const CASES: Array<[string, string, number[][]]> = [
  // [name, log, [steps, values] of the last run's train curve]
  ['a repeated step: the later row wins', 'step,loss\n1,3\n2,2.5\n2,2.4\n3,2\n', [[1, 2, 3], [3, 2.4, 2]]],
  ['a resume part way', 'step,loss\n1,3\n2,2.5\n3,2\n2,2.6\n3,2.1\n4,1.8\n', [[1, 2, 3, 4], [3, 2.6, 2.1, 1.8]]],
  ['a restart from the beginning', 'step,loss\n1,3\n2,2.5\n1,3.1\n2,2.7\n', [[1, 2], [3.1, 2.7]]],
  ['a row without a step', 'step,loss,lr\n1,3,0.1\n,,0.05\n2,2.5,0.05\n', [[1, 2], [3, 2.5]]],
  ['a NaN step: the row belongs to the step before', 'step,loss\n1,3\nnan,2.9\n2,2.5\n', [[1, 2], [2.9, 2.5]]],
  ['no step column', 'loss,note\n3,a\n2.5,b\n2,c\n', [[1, 2, 3], [3, 2.5, 2]]],
];

for (const [name, log, [steps, values]] of CASES) {
  test(`irregular logs normalise as before: ${name}`, () => {
    const { runs } = normalise(readTable(sourceOf(log)), {}, 'x.csv');
    const train = runs[runs.length - 1].series.train!;
    assert.deepEqual(plain(train.steps), steps);
    assert.deepEqual(plain(train.values), values);
  });
}

test('validation metrics are classified by name, with the direction they improve in; losses and timings are not metrics', () => {
  for (const name of ['val_accuracy', 'eval_accuracy', 'val_acc', 'eval_f1', 'eval_bleu', 'val/acc', 'val_sparse_categorical_accuracy', 'test_acc']) {
    assert.deepEqual([name, classify(name).role, classify(name).higherIsBetter], [name, 'valMetric', true]);
  }
  for (const name of ['eval_wer', 'eval/cer']) assert.deepEqual([name, classify(name).role, classify(name).higherIsBetter], [name, 'valMetric', false]);
  for (const name of ['accuracy', 'train_acc', 'val_loss', 'eval_runtime', 'eval_samples_per_second', 'val_acc_std']) {
    assert.notEqual(classify(name).role, 'valMetric', name);
  }
  assert.equal(classify('val_loss').role, 'val');
});
