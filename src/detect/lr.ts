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
