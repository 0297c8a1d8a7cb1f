// The detectors in the order they run: later ones may read earlier findings (plateau skips a flat run; good runs last).

import type { Curve, DetectContext, Detector, Finding, Series, SeriesName } from '../types.js';
import type { Baseline } from './baseline.js';
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
  /** The user set the baseline (--vocab or --baseline), so it applies whatever the loss starts at. */
  baselineGiven?: boolean;
  /** The loss is adversarial (a GAN's generator loss): detectors that assume a falling loss are not run. */
  adversarial?: boolean;
  /** The baseline recognised for this run (detect/baseline.ts): whether it applies, and what it is. */
  recognised?: Pick<Baseline, 'applies' | 'kind' | 'name'>;
}

const BASELINE_REACH = 1.5; // an LM from scratch starts near ln(V); far above it, the default baseline is about another loss

/**
 * Runs every detector on one run's series. Pure: the same series give the same findings. A log holding only a
 * validation loss (a speedrun record, an eval-only job) has that curve judged as the run's loss curve: every
 * detector sees it where it would see train, and its findings are given back on series `val`.
 */
export function detectAll(series: Series, run: RunContext): Finding[] {
  if (!series.train && series.val) {
    return detectOn({ ...series, train: series.val, val: undefined }, run).map((f) => ({
      ...f, series: 'val', message: f.message.replace(/^train loss/, 'validation loss'),
    }));
  }
  return detectOn(series, run);
}

function detectOn(series: Series, run: RunContext): Finding[] {
  const findings: Finding[] = [];
  // a cross-entropy starts at or above zero; a loss logged negative from the start is some other likelihood
  const crossEntropy = startsNonNegative(series.train?.values ?? []);
  const baselineApplies = run.recognised ? run.recognised.applies : appliesTo(series, run);
  let live = series;
  for (const detector of DETECTORS) {
    if (run.adversarial && detector.assumesFallingLoss) continue;
    const context: DetectContext = {
      baseline: run.baseline, crossEntropy, baselineApplies, baselineKind: run.recognised?.kind, baselineName: run.recognised?.name, earlier: findings.slice(),
      adversarial: run.adversarial === true,
    };
    findings.push(...detector.detect(live, context));
    // once a curve has died (NaN, or a disguised NaN's zeros), its shape after death says nothing: later detectors see the live part
    if (detector === nan) live = beforeDeath(series, findings);
  }
  return findings;
}

/**
 * Whether the random-guess baseline speaks about this run's loss: a cross-entropy (not negative from
 * the start), and either the user set the baseline or the loss starts within reach of it.
 */
export function appliesTo(series: Series, run: RunContext): boolean {
  if (!startsNonNegative(series.train?.values ?? [])) return false;
  const first = series.train ? firstFinite(series.train.values) : NaN;
  return run.baselineGiven === true || !(first > BASELINE_REACH * run.baseline);
}

function firstFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) return values[i];
  return NaN;
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
