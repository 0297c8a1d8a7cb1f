// The expectation table for fixtures/patterns/: per file, the findings that must appear (pattern, series, where) and those that must not.

import type { PatternId, SeriesName } from '../src/types.js';

export interface Expected {
  pattern: PatternId;
  series: SeriesName;
  /** The finding's start_step must fall in [from, to]. */
  start?: [number, number];
  /** And its end_step, where the location of the end matters. */
  end?: [number, number];
  /** Evidence fields that must hold these values (the kind of a sawtooth, a period), never the message. */
  evidence?: Record<string, string | number | boolean>;
}

export interface PatternCase {
  /** Path under fixtures/patterns/. */
  file: string;
  present: Expected[];
  absent: PatternId[];
  /** --vocab to pass, for pre-training curves from another vocabulary. */
  vocab?: number;
}

export const PATTERN_CASES: PatternCase[] = [
  // nan
  { file: 'nan/positive-pretrain-nan-at-1200.csv', present: [{ pattern: 'nan', series: 'train', start: [1210, 1210], end: [2000, 2000] }], absent: ['good', 'divergence', 'step', 'spike'] },
  { file: 'nan/positive-negative-cross-entropy.jsonl', present: [{ pattern: 'nan', series: 'train', start: [270, 270] }], absent: ['good', 'step', 'divergence'] },
  { file: 'nan/positive-val-inf.csv', present: [{ pattern: 'nan', series: 'val', start: [41, 45] }], absent: ['good'] },
  { file: 'nan/positive-zero-loss-nan-grad.jsonl', present: [{ pattern: 'nan', series: 'train', start: [430, 430] }], absent: ['good', 'step'] },
  { file: 'nan/positive-negative-runaway.csv', present: [{ pattern: 'nan', series: 'train', start: [0, 0], evidence: { kind: 'negative runaway' } }], absent: ['good', 'divergence', 'plateau'] },
  { file: 'nan/negative-student-t-nll.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['nan', 'plateau', 'flat'] },

  // divergence
  { file: 'divergence/positive-climb-after-4000.csv', present: [{ pattern: 'divergence', series: 'train', start: [3600, 4400], end: [8000, 8000] }], absent: ['good', 'nan', 'flat'] },
  { file: 'divergence/positive-epochs.csv', present: [{ pattern: 'divergence', series: 'train', start: [9, 15] }], absent: ['good', 'nan'] },
  { file: 'divergence/positive-exponential-blowup.csv', present: [{ pattern: 'divergence', series: 'train', start: [250, 330], end: [600, 600] }], absent: ['good', 'nan'] },
  { file: 'divergence/negative-recovered-spike.csv', present: [{ pattern: 'spike', series: 'train', start: [1800, 1820] }, { pattern: 'good', series: 'train' }], absent: ['divergence'] },
  { file: 'divergence/positive-climb-during-warmup.csv', present: [{ pattern: 'divergence', series: 'train', start: [10, 30], end: [4000, 4000] }], absent: ['good', 'overfit', 'nan'] },
  { file: 'divergence/positive-short-blowup.jsonl', present: [{ pattern: 'divergence', series: 'train', start: [1, 1], end: [10, 10] }], absent: ['good', 'nan', 'flat'] },
  { file: 'divergence/positive-val-and-train-climb.jsonl', present: [{ pattern: 'divergence', series: 'val', start: [25, 25] }], absent: ['good', 'nan', 'overfit'] },
  { file: 'divergence/positive-gan-discriminator-wins.txt', present: [{ pattern: 'divergence', series: 'train', evidence: { discriminator: 'D_A' } }], absent: ['nan'] },
  { file: 'divergence/negative-gan-generator-rises.txt', present: [], absent: ['divergence', 'nan', 'flat', 'plateau', 'good'] },
  { file: 'divergence/negative-restart-then-recovers.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['divergence', 'nan'] },

  // flat
  { file: 'flat/positive-at-baseline.csv', present: [{ pattern: 'flat', series: 'train', start: [10, 10], end: [3000, 3000] }], absent: ['good', 'plateau', 'divergence'] },
  { file: 'flat/positive-finetune-noisy.jsonl', present: [{ pattern: 'flat', series: 'train', start: [10, 10] }], absent: ['good', 'plateau', 'sawtooth'] },
  { file: 'flat/positive-settles-at-ln2.jsonl', present: [{ pattern: 'flat', series: 'train', evidence: { settled_at_chance: true } }], absent: ['good', 'plateau'] },
  { file: 'flat/negative-binary-learns.jsonl', present: [{ pattern: 'good', series: 'train' }], absent: ['flat', 'plateau'] },
  { file: 'flat/negative-noisy-start-near-ln4.csv', present: [], absent: ['flat'] },
  { file: 'flat/negative-slow-finetune.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['flat', 'plateau'] },
  { file: 'flat/negative-warmup-then-falls.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['flat', 'plateau', 'step'] },

  // spike
  { file: 'spike/positive-pretrain-spike-at-6000.csv', present: [{ pattern: 'spike', series: 'train', start: [5990, 6010] }, { pattern: 'good', series: 'train' }], absent: ['divergence', 'plateau', 'step', 'overfit'] },
  { file: 'spike/positive-epoch-spike.csv', present: [{ pattern: 'spike', series: 'train', start: [25, 25] }], absent: ['divergence', 'step'] },
  { file: 'spike/positive-modest-spike.jsonl', present: [{ pattern: 'spike', series: 'train', start: [401, 401] }], absent: ['divergence'] },
  { file: 'spike/negative-near-zero-blips.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['spike', 'sawtooth'] },
  { file: 'spike/negative-noisy-no-spike.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['spike', 'sawtooth'] },
  { file: 'spike/positive-val-spike.csv', present: [{ pattern: 'spike', series: 'val', start: [2200, 2200] }, { pattern: 'good', series: 'train' }], absent: ['divergence', 'overfit'] },
  { file: 'spike/positive-burst-recovers.csv', present: [{ pattern: 'spike', series: 'train', start: [6010, 6010], end: [6100, 7000] }, { pattern: 'good', series: 'train' }], absent: ['divergence', 'plateau'] },
  { file: 'spike/positive-wrecked-first-steps.csv', present: [{ pattern: 'spike', series: 'train', start: [2, 2] }], absent: ['good', 'flat'] },
  { file: 'spike/negative-skewed-noise.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['spike'] },
  { file: 'spike/negative-heavy-tailed-noise.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['spike', 'nan', 'divergence'] },
  { file: 'spike/positive-spike-in-heavy-tails.csv', present: [{ pattern: 'spike', series: 'train', start: [30000, 30000] }, { pattern: 'good', series: 'train' }], absent: ['divergence', 'plateau'] },

  // plateau
  { file: 'plateau/positive-lm-stuck-at-6.5.csv', present: [{ pattern: 'plateau', series: 'train', start: [2000, 6000], end: [30000, 30000] }], absent: ['good', 'flat'] },
  { file: 'plateau/positive-finetune-stall.jsonl', present: [{ pattern: 'plateau', series: 'train', start: [100, 500] }], absent: ['good', 'flat'] },
  { file: 'plateau/positive-stall-until-lr-cut.csv', present: [{ pattern: 'plateau', series: 'train', start: [5, 14], end: [28, 32] }, { pattern: 'step', series: 'train', start: [32, 34] }], absent: ['good', 'flat'] },
  { file: 'plateau/negative-epoch-staircase-last-epoch.jsonl', present: [{ pattern: 'sawtooth', series: 'train', evidence: { kind: 'epoch' } }], absent: ['plateau', 'flat'] },
  { file: 'plateau/negative-power-law.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['plateau', 'flat'] },
  { file: 'plateau/negative-converged-finetune.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['plateau'] },

  // overfit
  { file: 'overfit/positive-val-turns-at-20.csv', present: [{ pattern: 'overfit', series: 'val', start: [18, 24] }], absent: ['divergence', 'good'] },
  { file: 'overfit/positive-few-evals.jsonl', present: [{ pattern: 'overfit', series: 'val', start: [1000, 1000], end: [5000, 5000] }], absent: ['divergence'] },
  { file: 'overfit/negative-unstable-spikes.csv', present: [{ pattern: 'spike', series: 'train' }], absent: ['overfit'] },
  { file: 'overfit/positive-modest-sustained-rise.csv', present: [{ pattern: 'overfit', series: 'val', start: [3800, 4200], end: [6000, 6000] }], absent: ['divergence'] },
  { file: 'overfit/negative-val-noise.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['overfit'] },
  { file: 'overfit/negative-val-below-train.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['overfit'] },
  { file: 'overfit/negative-both-rise.csv', present: [{ pattern: 'divergence', series: 'train' }], absent: ['overfit', 'good'] },

  // step
  { file: 'step/positive-multistep-lr.csv', present: [{ pattern: 'step', series: 'train', start: [31, 31], end: [61, 61] }], absent: ['nan', 'divergence', 'spike'] },
  { file: 'step/positive-no-lr-column.csv', present: [{ pattern: 'step', series: 'train', start: [2880, 3120], end: [4380, 4620] }], absent: ['nan', 'divergence', 'spike'] },
  { file: 'step/negative-cosine.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['step'] },
  { file: 'step/negative-epoch-boundaries.jsonl', present: [{ pattern: 'good', series: 'train' }], absent: ['step', 'plateau'] },

  { file: 'step/positive-epoch-multistep-no-lr.csv', present: [{ pattern: 'step', series: 'train', start: [30, 30], end: [60, 60] }], absent: ['plateau', 'nan', 'divergence'] },

  // sawtooth
  { file: 'sawtooth/positive-alternating.csv', present: [{ pattern: 'sawtooth', series: 'train' }], absent: ['nan', 'divergence', 'flat', 'plateau'] },
  { file: 'sawtooth/positive-small-batch-noise.jsonl', present: [{ pattern: 'sawtooth', series: 'train' }], absent: ['nan', 'divergence', 'flat'] },
  { file: 'sawtooth/negative-smooth.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['sawtooth'] },
  { file: 'sawtooth/negative-moderate-noise.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['sawtooth'] },
  { file: 'sawtooth/positive-epoch-staircase.jsonl', present: [{ pattern: 'sawtooth', series: 'train', evidence: { kind: 'epoch' } }, { pattern: 'good', series: 'train' }], absent: ['nan', 'divergence', 'flat', 'spike', 'plateau'] },
  { file: 'sawtooth/positive-periodic-data-order.csv', present: [{ pattern: 'sawtooth', series: 'train', evidence: { kind: 'periodic', period_steps: 400 } }], absent: ['nan', 'divergence', 'flat', 'spike'] },
  { file: 'sawtooth/positive-noisy-val.csv', present: [{ pattern: 'sawtooth', series: 'val', evidence: { kind: 'noise' } }, { pattern: 'good', series: 'train' }], absent: ['spike', 'divergence'] },
  { file: 'sawtooth/negative-regular-step-decay.csv', present: [{ pattern: 'step', series: 'train' }], absent: ['sawtooth', 'nan', 'divergence'] },

  // good
  { file: 'good/positive-pretrain-with-val.csv', present: [{ pattern: 'good', series: 'train' }], absent: ['plateau', 'overfit', 'spike', 'step', 'sawtooth', 'flat'] },
  { file: 'good/positive-val-only.csv', present: [{ pattern: 'good', series: 'val', start: [0, 0] }], absent: ['flat', 'plateau', 'divergence', 'overfit'] },
  { file: 'good/positive-finetune.jsonl', present: [{ pattern: 'good', series: 'train' }], absent: ['plateau', 'flat', 'step'] },
  { file: 'good/negative-stuck.csv', present: [{ pattern: 'flat', series: 'train' }], absent: ['good'] },
  { file: 'good/negative-too-short.csv', present: [], absent: ['good', 'flat', 'plateau'] },
];
