// LLaMA-Factory trainer_log.jsonl: current_steps is the step, text times are skipped, the closing line without loss adds nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnNames, fixtureText, normalised, readFixture, readText, stepsOf, valuesOf } from './format-fixtures.js';

const PATH = 'llamafactory/trainer_log.jsonl';
const lines = () => fixtureText(PATH).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('current_steps is the step; loss, eval_loss and learning_rate map to their series', () => {
  const rows = lines();
  const { choice, runs } = normalised(readFixture(PATH));
  assert.deepEqual([choice.stepName, choice.train?.name, choice.val?.name, choice.lr?.name],
    ['current_steps', 'loss', 'eval_loss', 'learning_rate']);
  const s = runs[0].series;
  assert.deepEqual(stepsOf(s.train), rows.filter((r) => 'loss' in r).map((r) => r.current_steps));
  assert.deepEqual(valuesOf(s.train), rows.filter((r) => 'loss' in r).map((r) => r.loss));
  assert.deepEqual(stepsOf(s.val), rows.filter((r) => 'eval_loss' in r).map((r) => r.current_steps));
});

test('elapsed and remaining times (text) make no columns; the last line without loss is read and harmless', () => {
  const rows = lines();
  assert.ok(!('loss' in rows[rows.length - 1]), 'the fixture must end with a line without loss');
  const table = readFixture(PATH);
  assert.equal(table.rows, rows.length);
  assert.equal(table.skipped.count, 0);
  assert.ok(!columnNames(table).includes('elapsed_time') && !columnNames(table).includes('remaining_time'));
});

for (const spelling of ['NaN', '"NaN"', '"nan"']) {
  test(`a loss spelled ${spelling} is a NaN value at its step`, () => {
    const text = fixtureText(PATH).replace('"loss": 1.702', `"loss": ${spelling}`);
    const { runs } = normalised(readText(text));
    const train = runs[0].series.train!;
    const at = stepsOf(train).indexOf(40);
    assert.ok(at >= 0 && Number.isNaN(train.values[at]));
  });
}

test('a loss null between numbers is a value not logged (Python None), not NaN', () => {
  const text = fixtureText(PATH).replace('"loss": 1.702', '"loss": null');
  const table = readText(text);
  const train = normalised(table).runs[0].series.train!;
  assert.ok(!stepsOf(train).includes(40));
  assert.ok(train.values.every(Number.isFinite));
  assert.ok(table.notes.some((n) => n.startsWith('loss is null on 1 row')));
});
