// sawtooth: the train loss bounces up and down from one log to the next far more than a full batch would. Context, not a failure.

import { at, round } from '../format.js';
import type { DetectContext, Detector, Finding, Series } from '../types.js';
import { profileOf } from './profile.js';

const MIN_POINTS = 8; // a bounce needs a few ups and downs to be a pattern
// Bounces: the loss moves between two logs, beyond what its trend moves, by a median of 15% of its level or more
// (jitter ≈ 0.95σ of the noise): the corpus calls 20% a sawtooth; noisy healthy runs stay under 10%, real sawtooths measure 26–39%.
const MIN_JITTER = 0.15;

export const sawtooth: Detector = {
  id: 'sawtooth',
  title: 'Loss bounces every few steps',
  severity: 'info',
  detect(series: Series, _context: DetectContext): Finding[] {
    if (!series.train) return [];
    const p = profileOf(series.train);
    if (p.n < MIN_POINTS || p.jitter < MIN_JITTER) return [];
    const swing = Math.round(p.jitter * 100);
    return [{
      pattern: 'sawtooth',
      severity: 'info',
      series: 'train',
      start_step: p.steps[0],
      end_step: p.steps[p.n - 1],
      message: `train loss swings about ±${swing}% around its own trend from one log to the next (median over ${p.n} points, from ${at(series.stepName, p.steps[0])}); a large enough batch keeps that within a few percent`,
      evidence: { step_jitter: round(p.jitter, 3), points: p.n },
      fixes: [
        'raise gradient accumulation for a larger effective batch without more memory (typical: if grad_accum_steps is 2, try 4 or 8)',
        'or raise the batch size itself, scaling the learning rate with it',
        'if the smoothed trend still falls, the noise is harmless: judge the run by a moving average',
      ],
    }];
  },
};
