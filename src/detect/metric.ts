// The validation metric beside the loss (accuracy, F1, BLEU, WER): where it is best, and whether it still improved after the loss's best step.

import { noiseSigma } from '../stats/robust.js';
import type { Series } from '../types.js';

// the best of a noisy curve sits about two of its noise widths above its level by chance (the largest of some tens
// of draws): a metric "still improves" after the loss's best only when it gains more than that
const NOISE_MARGIN = 2;
const MIN_POINTS = 3; // a best and a value before it need at least three evaluations

export interface MetricView {
  name: string;
  higherIsBetter: boolean;
  /** Where the metric is best (the first step, on ties), and its value there. */
  bestStep: number;
  best: number;
  /** The metric at (or last logged before) the loss's best step. */
  atLossBest: number;
  /** The metric improved after the loss's best step by more than its noise: overfitting by loss only. */
  improvesAfter: boolean;
}

/** The metric's view of a validation loss that is best at `lossBestStep`, or undefined without a metric curve. */
export function metricAfter(series: Series, lossBestStep: number): MetricView | undefined {
  const m = series.valMetric;
  if (!m) return undefined;
  const sign = m.higherIsBetter ? 1 : -1;
  let best = -1;
  let before = -1;
  let count = 0;
  for (let i = 0; i < m.values.length; i++) {
    const v = m.values[i];
    if (!Number.isFinite(v)) continue;
    count++;
    if (best < 0 || sign * v > sign * m.values[best]) best = i;
    if (m.steps[i] <= lossBestStep || before < 0) before = i;
  }
  if (count < MIN_POINTS || best < 0) return undefined;
  const gain = sign * (m.values[best] - m.values[before]);
  const improvesAfter = m.steps[best] > lossBestStep && gain > 0 && gain > NOISE_MARGIN * noiseSigma(m.values);
  return { name: m.name, higherIsBetter: m.higherIsBetter, bestStep: m.steps[best], best: m.values[best], atLossBest: m.values[before], improvesAfter };
}
