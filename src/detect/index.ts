// The detectors in the order they run: later ones may read earlier findings (plateau skips a flat run; good runs last).

import type { Curve, DetectContext, Detector, Finding, Series, SeriesName } from '../types.js';
import { divergence } from './divergence.js';
import { flat } from './flat.js';
import { good } from './good.js';
import { nan } from './nan.js';
import { overfit } from './overfit.js';
import { plateau } from './plateau.js';
import { startsNonNegative } from './profile.js';
import { sawtooth } from './sawtooth.js';
import { spike } from './spike.js';
import { step } from './step.js';

export const DETECTORS: readonly Detector[] = [nan, divergence, flat, spike, plateau, overfit, step, sawtooth, good];

export interface RunContext {
  baseline: number;
}

/** Runs every detector on one run's series. Pure: the same series give the same findings. */
export function detectAll(series: Series, run: RunContext): Finding[] {
  const findings: Finding[] = [];
  // a cross-entropy starts at or above zero; a loss logged negative from the start is some other likelihood
  const crossEntropy = startsNonNegative(series.train?.values ?? []);
  let live = series;
  for (const detector of DETECTORS) {
    const context: DetectContext = { baseline: run.baseline, crossEntropy, earlier: findings.slice() };
    findings.push(...detector.detect(live, context));
    // once a curve has died (NaN, or a disguised NaN's zeros), its shape after death says nothing: later detectors see the live part
    if (detector === nan) live = beforeDeath(series, findings);
  }
  return findings;
}

/** The series with each curve cut where the nan detector found it going bad. */
function beforeDeath(series: Series, findings: readonly Finding[]): Series {
  const cut = (curve: Curve | undefined, name: SeriesName) => {
    const death = findings.find((f) => f.pattern === 'nan' && f.series === name);
    if (!curve || !death) return curve;
    let end = 0;
    while (end < curve.steps.length && curve.steps[end] < death.start_step) end++;
    return { ...curve, steps: curve.steps.subarray(0, end), values: curve.values.subarray(0, end), lines: curve.lines.subarray(0, end) };
  };
  return { ...series, train: cut(series.train, 'train'), val: cut(series.val, 'val') };
}
