// The detectors in the order they run: later ones may read earlier findings (plateau skips a flat run; good runs last).

import type { DetectContext, Detector, Finding, Series } from '../types.js';
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
  for (const detector of DETECTORS) {
    const context: DetectContext = { baseline: run.baseline, crossEntropy, earlier: findings.slice() };
    findings.push(...detector.detect(series, context));
  }
  return findings;
}
