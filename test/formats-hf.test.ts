// Hugging Face trainer_state.json: series mapping, several eval sets, NaN spellings, the summary row, and files cut off mid-write.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { InputError } from '../src/read/errors.js';
import { columnNames, fixtureText, normalised, readFixture, readText, stepsOf, valuesOf } from './format-fixtures.js';

const EVAL_AND_SUMMARY = 'hf-trainer-state/eval-and-summary.json';

/** The fixture's log_history, parsed independently of the reader (it holds no NaN tokens). */
function historyOf(path: string): Array<Record<string, number>> {
  return JSON.parse(fixtureText(path)).log_history;
}

test('train rows, eval rows, learning rate and grad norm map to their series at their steps', () => {
  const history = historyOf(EVAL_AND_SUMMARY);
  const { choice, runs } = normalised(readFixture(EVAL_AND_SUMMARY));
  assert.equal(choice.stepName, 'step');
  assert.equal(runs.length, 1);
  const s = runs[0].series;
  const withKey = (key: string) => history.filter((r) => key in r);
  assert.deepEqual([s.train?.name, s.val?.name, s.lr?.name, s.gradNorm?.name], ['loss', 'eval_loss', 'learning_rate', 'grad_norm']);
  assert.deepEqual(stepsOf(s.train), withKey('loss').map((r) => r.step));
  assert.deepEqual(valuesOf(s.train), withKey('loss').map((r) => r.loss));
  assert.deepEqual(stepsOf(s.val), withKey('eval_loss').map((r) => r.step));
  assert.deepEqual(valuesOf(s.val), withKey('eval_loss').map((r) => r.eval_loss));
  assert.deepEqual(valuesOf(s.gradNorm), withKey('grad_norm').map((r) => r.grad_norm));
});

test('the final summary row (train_loss, train_runtime, total_flos) is left out, and said so', () => {
  const history = historyOf(EVAL_AND_SUMMARY);
  const table = readFixture(EVAL_AND_SUMMARY);
  assert.ok(history.some((r) => 'train_loss' in r), 'the fixture must hold a summary row');
  assert.equal(table.rows, history.length - 1);
  for (const key of ['train_loss', 'train_runtime', 'total_flos', 'train_samples_per_second']) {
    assert.ok(!columnNames(table).includes(key), key);
  }
  assert.equal(table.notes.length, 1);
});

test('with several eval sets and no plain eval_loss, the first set is validation and the others are other losses', () => {
  const path = 'hf-trainer-state/two-eval-sets.json';
  const history = historyOf(path);
  const { choice, runs } = normalised(readFixture(path));
  const evalKeys = [...new Set(history.flatMap((r) => Object.keys(r)).filter((k) => /^eval_\w+_loss$/.test(k)))];
  assert.equal(choice.val?.name, evalKeys[0]);
  assert.deepEqual(choice.otherVal, evalKeys.slice(1));
  assert.deepEqual(stepsOf(runs[0].series.val), history.filter((r) => evalKeys[0] in r).map((r) => r.step));
});

test('bare NaN and Infinity tokens and "NaN" strings are values, not gaps; null is read by the rows around it', () => {
  const { runs } = normalised(readFixture('hf-trainer-state/nan-spellings.json'));
  const s = runs[0].series;
  assert.deepEqual(stepsOf(s.train), [10, 20, 30, 40, 50, 60]);
  assert.deepEqual(valuesOf(s.train), [1.9375, 1.7012, 0, NaN, NaN, -Infinity]);
  // grad_norm turns null after its last number while the learning rate stays finite: NaN
  assert.deepEqual(valuesOf(s.gradNorm), [2.41, 2.07, NaN, NaN, Infinity, NaN]);
  // eval_loss holds no number, only null: not logged
  assert.equal(s.val, undefined);
});

test('a zero loss logged with a NaN grad norm reaches the nan detector', () => {
  const report = diagnose(readFixture('hf-trainer-state/nan-spellings.json'), 'nan-spellings.json', { vocab: 50257 });
  const nan = report.findings.find((f) => f.pattern === 'nan' && f.series === 'train');
  assert.ok(nan, 'a nan finding on train');
  assert.equal(nan.start_step, 30);
});

test('a one-line document, with log_history quoted inside a string value, reads like the indented one', () => {
  const { runs } = normalised(readFixture('hf-trainer-state/one-line.json'));
  assert.deepEqual(stepsOf(runs[0].series.train), [10, 20, 30]);
  assert.deepEqual(stepsOf(runs[0].series.val), [30]);
});

test('CRLF line ends change nothing but the bytes: same rows, same lines', () => {
  const lf = readText(fixtureText(EVAL_AND_SUMMARY));
  const crlf = readText(fixtureText(EVAL_AND_SUMMARY).replace(/\n/g, '\r\n'));
  assert.equal(crlf.format, lf.format);
  assert.deepEqual(crlf.columns, lf.columns);
  assert.deepEqual(crlf.rowLine, lf.rowLine);
});

test('rows point at the line where their entry starts', () => {
  const text = fixtureText(EVAL_AND_SUMMARY);
  const table = readText(text);
  const lines = text.split('\n');
  for (const line of table.rowLine) assert.equal(lines[line - 1].trim(), '{', `line ${line}`);
});

test('a file cut off anywhere inside log_history reads its complete entries, or fails with one InputError before the first', () => {
  const text = fixtureText(EVAL_AND_SUMMARY);
  const history = historyOf(EVAL_AND_SUMMARY);
  // json.dumps(indent=2) closes each entry of log_history with a line of four spaces and "}"
  const entryEnds = [...text.matchAll(/\n {4}\}/g)].map((m) => m.index! + m[0].length);
  assert.equal(entryEnds.length, history.length);
  const isSummary = history.map((r) => 'train_runtime' in r);
  const from = text.indexOf('"log_history"');
  const closedAt = text.indexOf('\n  ]') + '\n  ]'.length;
  for (let cut = from; cut < text.length; cut++) {
    const complete = entryEnds.filter((end) => end <= cut).length;
    const partial = text.slice(0, cut);
    if (complete === 0) {
      assert.throws(() => readText(partial), InputError, `cut at ${cut}`);
      continue;
    }
    const table = readText(partial);
    const summaries = isSummary.slice(0, complete).filter(Boolean).length;
    assert.equal(table.rows, complete - summaries, `cut at ${cut}`);
    // one note for the cut (until the list is closed), one for the summary row once it is read
    assert.equal(table.notes.length, (cut < closedAt ? 1 : 0) + summaries, `cut at ${cut}`);
  }
});

test('a document without log_history, forced with --input-format, is one InputError', () => {
  assert.throws(() => readText('{"loss": 1.0, "step": 3}\n', 'hf-trainer-state'), InputError);
});
