// Holds the detectors' score on a seeded synthetic corpus (every pattern, lengths 10 to 50,000, noise, pre-training and fine-tuning).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, synthLogs } from '../scripts/evaluate.js';

const PER_PATTERN = 30; // 270 logs: enough to see a regression, fast enough for every run of the suite
const MIN_SCORE = 0.99; // the bar for synthetic curves

test(`synthetic corpus (${PER_PATTERN} per pattern) scores at least ${MIN_SCORE * 100}%`, () => {
  const score = evaluate(synthLogs(PER_PATTERN, 7));
  const ratio = score.ok / score.total;
  assert.ok(ratio >= MIN_SCORE, `score ${(100 * ratio).toFixed(2)}% (${score.ok}/${score.total}); misses:\n${score.misses.join('\n')}`);
});
