// The learning-rate facts fixes quote ("peak LR 6e-4"), read from the log's lr column where it has one.

import { fmtRate } from '../format.js';
import type { Series } from '../types.js';

/** The largest finite, positive learning rate logged, or undefined. */
export function peakLr(series: Series): number | undefined {
  let peak: number | undefined;
  for (const v of series.lr?.values ?? []) if (Number.isFinite(v) && v > 0 && (peak === undefined || v > peak)) peak = v;
  return peak;
}

/** The learning rate in force at `step` (the last logged at or before it), or undefined. */
export function lrAt(series: Series, step: number): number | undefined {
  if (!series.lr) return undefined;
  const { steps, values } = series.lr;
  let found: number | undefined;
  for (let i = 0; i < steps.length && steps[i] <= step; i++) if (Number.isFinite(values[i])) found = values[i];
  return found;
}

/** "peak LR 6e-4 → try 2e-4": a suggested new rate from the log's own, or the generic advice when the log has none. */
export function lrAdvice(series: Series, factor: number, generic: string): string {
  const peak = peakLr(series);
  if (peak === undefined) return generic;
  const verb = factor < 1 ? 'lower' : 'raise';
  return `${verb} the peak learning rate from ${fmtRate(peak)} to about ${fmtRate(peak * factor)}`;
}

const DECAYED = 0.1; // "decayed": under a tenth of the peak, where a schedule has done most of its work
// a cosine decay to zero falls under a tenth of its peak only in its last fifth (0.5·(1 + cos πx) < 0.1 for x > 0.8),
// a linear one in its last tenth: with a third of the run still to go, the schedule ended early, not at the run's end
const RUN_LEFT = 1 / 3;

/**
 * Where the learning rate fell under a tenth of its peak, when that happened no later than `stallStart` and with a
 * third of the run still to go: a schedule that decays too early. Undefined otherwise (a cosine's end is no such thing).
 */
export function earlyDecay(series: Series, stallStart: number): { step: number; lr: number; peak: number; left: number } | undefined {
  const lr = series.lr;
  const peak = peakLr(series);
  if (!lr || peak === undefined) return undefined;
  const axis = series.train ?? lr;
  const first = Math.min(axis.steps[0], lr.steps[0]);
  const last = Math.max(axis.steps[axis.steps.length - 1], lr.steps[lr.steps.length - 1]);
  let seenPeak = false;
  for (let i = 0; i < lr.steps.length; i++) {
    const v = lr.values[i];
    if (!Number.isFinite(v)) continue;
    if (v === peak) seenPeak = true;
    if (!seenPeak || v >= DECAYED * peak) continue;
    const step = lr.steps[i];
    const left = last > first ? (last - step) / (last - first) : 0;
    return step <= stallStart && left >= RUN_LEFT ? { step, lr: v, peak, left } : undefined;
  }
  return undefined;
}
