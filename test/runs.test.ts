// Runs and resumes: a step that goes back part way is a resume only if the log goes on past it; else the row quotes an earlier step.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { readTable } from '../src/read/index.js';

const report = (text: string) => diagnose(readTable({ name: 'run.csv', bytes: Buffer.from(text) }), 'run.csv', { vocab: 50257 });
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => `${from + k},${(2 - 0.03 * (from + k)).toFixed(3)},${(2.1 - 0.02 * (from + k)).toFixed(3)}`);

test('a row quoting an earlier epoch at the end (a checkpoint loaded for evaluation) leaves the curve whole', () => {
  const r = report(['epoch,train_loss,val_loss', ...rows(1, 30), '20,,1.5'].join('\n'));
  assert.equal(r.curves.train!.steps.length, 30);
  assert.equal(r.curves.val!.steps.at(-1), 30);
  assert.ok(r.notes.some((n) => n.includes('line 32')), r.notes.join('; '));
});

test('a resume that goes on past the step it went back to replaces the repeated rows', () => {
  const r = report(['epoch,train_loss,val_loss', ...rows(1, 25), ...rows(21, 30)].join('\n'));
  assert.equal(r.curves.train!.steps.length, 30);
  assert.equal(r.curves.train!.lines.at(20), 27); // epoch 21 now comes from the resumed session's first row
  assert.ok(r.notes.some((n) => n.includes('resumed')));
});

test('a step column that never moves is no step axis: the epoch beside it orders the rows', () => {
  const lines = ['step,epoch,loss', ...Array.from({ length: 20 }, (_, i) => `72,${((i + 1) / 4).toFixed(2)},${(2 - 0.05 * i).toFixed(3)}`)];
  const r = report(lines.join('\n'));
  assert.equal(r.series.step, 'epoch');
  assert.equal(r.curves.train!.steps.length, 20);
});
