// sawtooth: the loss bounces from one log to the next far more than a large batch would, or repeats one shape every period (an epoch of data in the same order). Context, not a failure.

import { at, fmtStep, round } from '../format.js';
import { MAD_TO_SIGMA, median } from '../stats/robust.js';
import { MAX_POINTS, strongestPeriod } from '../stats/periodicity.js';
import type { Curve, DetectContext, Detector, Finding, Series, SeriesName } from '../types.js';
import { profileOf, type Profile } from './profile.js';
import { lrCuts } from './step.js';
import { epochIndexOf } from './epochs.js';

const MIN_POINTS = 8; // a bounce needs a few ups and downs to be a pattern
// validation's noise needs more: under 15 points the jitter comes from second differences, which one step or knee inflates
const MIN_VAL_POINTS = 15;
// Bounces: the loss moves between two logs, beyond what its trend moves, by a median of 9% of its level or more
// (jitter ≈ 0.95σ of the noise, and per-step noise shrinks like 1/√batch). Measured on the labelled real logs:
// healthy runs reach 7% (a BERT fine-tune 0.070, a PINN 0.071), small-batch sawtooths start at 9.7%.
const MIN_JITTER = 0.09;
const MIN_PERIODIC_POINTS = 48; // in fewer, four cycles hold under 12 points each, and a knee or an LR cut matches itself at such lags as often as a period does (synthetic step-decay curves of 24–40 points)
const MIN_REPEATS = 4; // a period must come round four times: two or three turns of a slow wander look periodic too
const MIN_PERIOD = 5; // points: a shorter bounce is the jitter's business, and over 3–4 points a smooth bend of the trend correlates with itself like a period
// For white noise the correlation one period later scatters by 1/√pairs (≤ 0.15 at 24 points and more); 0.6 is
// four such widths even after trying every period
const MIN_ACF = 0.6;
// and the shape must be out of phase with itself half a period later (a sawtooth wave gives −0.5 there, a
// square wave −1), where a smooth residual that merely correlates with itself at every short lag stays high
const HALF_GAP = 0.5;
// the repeating part must be visible: an RMS of 1% of the loss is ~3.5% peak to peak for a sawtooth wave
const MIN_AMPLITUDE = 0.01;
// and it must come back in three cycles in four: two LR cuts one period apart correlate at that lag too, once
const MIN_CONSISTENCY = 0.75;
const MIN_BOUNDARIES = 2; // an epoch staircase needs two epoch starts to repeat
// at an epoch start the loss drops 3% more than over the same span inside an epoch (healthy multi-epoch
// fine-tunes drop 0-2% there; the staircases in the labelled logs drop 4-17%)...
const EPOCH_DROP = 0.03;
const EPOCH_SIGMAS = 3; // ...and three standard deviations of the changes inside epochs
const EPOCH_SHARE = 0.75; // and at three epoch starts in four, so one lucky boundary does not make a staircase
const EPOCH_MATCH = 0.1; // a period within a tenth of an epoch of a whole number of epochs is the epoch's (likewise a schedule's)

type Kind = 'noise' | 'periodic' | 'epoch';

interface Shape {
  kind: Kind;
  periodSteps?: number;
  epochSteps?: number;
  epochs?: number;
  /** noise: the median move; periodic: correlation one period later; epoch: median extra drop at an epoch start. */
  strength: number;
}

/**
 * Means of the log-loss over consecutive groups of `group` points (bounces are multiplicative), or undefined
 * when a point is not positive. A long curve is searched for periods on at most MAX_POINTS of these, so no
 * array of its length is made (ten million points would be 80 MB).
 */
function logGroupMeans(p: Profile, group: number): Float64Array | undefined {
  const out = new Float64Array(Math.ceil(p.n / group));
  for (let g = 0; g < out.length; g++) {
    const to = Math.min(p.n, (g + 1) * group);
    let sum = 0;
    for (let i = g * group; i < to; i++) {
      const v = p.values[i];
      if (!(v > 0)) return undefined;
      sum += Math.log(v);
    }
    out[g] = sum / (to - g * group);
  }
  return out;
}

/** Steps per point on average: a period in points, in the log's own step units. */
function stepInterval(p: Profile): number {
  return p.n > 1 ? (p.steps[p.n - 1] - p.steps[0]) / (p.n - 1) : 1;
}

/**
 * The points of each epoch, as a range [from, to) (points are in step order, so an epoch's points are
 * consecutive), by epochIndexOf.
 */
function epochGroups(p: Profile, epoch: Curve): Map<number, [number, number]> | undefined {
  const indexOf = epochIndexOf(epoch);
  const groups = new Map<number, [number, number]>();
  let j = 0;
  for (let i = 0; i < p.n; i++) {
    // the epoch logged at this step, or the last one logged before it
    while (j + 1 < epoch.steps.length && epoch.steps[j + 1] <= p.steps[i]) j++;
    if (epoch.steps[j] > p.steps[i] || !Number.isFinite(epoch.values[j])) continue;
    const index = indexOf(epoch.values[j]);
    const range = groups.get(index);
    if (range) range[1] = i + 1;
    else groups.set(index, [i, i + 1]);
  }
  return groups.size >= MIN_BOUNDARIES + 1 ? groups : undefined;
}

/** Steps per epoch, from the epoch counter's first and last values (a fractional counter is exact; an integer one close). */
function epochLength(epoch: Curve): number | undefined {
  let first = -1, last = -1;
  for (let i = 0; i < epoch.values.length; i++) if (Number.isFinite(epoch.values[i])) { if (first < 0) first = i; last = i; }
  if (first < 0 || !(epoch.values[last] > epoch.values[first])) return undefined;
  return (epoch.steps[last] - epoch.steps[first]) / (epoch.values[last] - epoch.values[first]);
}

/**
 * A staircase (or a creep up within each epoch): the change across each epoch start, from the last third of
 * one epoch to the first third of the next, against the changes between neighbouring thirds inside epochs,
 * which a smooth descent makes just as large.
 */
function epochStaircase(p: Profile, groups: Map<number, [number, number]>): Shape | undefined {
  const thirds = new Map<number, [number, number, number]>();
  const logMedian = (from: number, to: number) => {
    const x = new Float64Array(to - from);
    for (let i = from; i < to; i++) x[i - from] = Math.log(p.values[i]);
    return median(x);
  };
  for (const [e, [from, to]] of groups) {
    const c = to - from;
    if (c < 3) continue;
    const a = from + Math.floor(c / 3), b = from + Math.floor((2 * c) / 3);
    thirds.set(e, [logMedian(from, a), logMedian(a, b), logMedian(b, to)]);
  }
  const within: number[] = [];
  for (const [a, b, c] of thirds.values()) within.push(b - a, c - b);
  const across: number[] = [];
  for (const [e, t] of thirds) {
    const next = thirds.get(e + 1);
    if (next) across.push(next[0] - t[2]);
  }
  if (across.length < MIN_BOUNDARIES) return undefined;
  const usual = median(Float64Array.from(within));
  const spread = MAD_TO_SIGMA * median(Float64Array.from(within, (w) => Math.abs(w - usual)));
  const excess = across.map((a) => a - usual);
  const typical = median(Float64Array.from(excess));
  if (!(typical <= -EPOCH_DROP && typical <= -EPOCH_SIGMAS * spread)) return undefined;
  const clear = excess.filter((d) => d <= -Math.max(EPOCH_DROP, EPOCH_SIGMAS * spread) / 2).length;
  if (clear < EPOCH_SHARE * excess.length) return undefined;
  return { kind: 'epoch', strength: -Math.expm1(typical), epochs: thirds.size };
}

/**
 * Steps between the learning-rate cuts of a regular step schedule (the lr column's cuts, or the drops the
 * step detector found without one): its drops one period apart are that schedule, not a repeating data order.
 */
function scheduleSpacing(series: Series, context: DetectContext): number | undefined {
  const drops = context.earlier.find((f) => f.pattern === 'step' && f.series === 'train')?.evidence.drops;
  const at = series.lr && series.lr.values.length >= 3 ? lrCuts(series.lr).map((c) => c.step) : Array.isArray(drops) ? drops : [];
  if (at.length < 2) return undefined;
  return median(Float64Array.from(at.slice(1), (s, k) => s - at[k]));
}

/** The shape of one curve's bounces, or undefined when it bounces no more than a healthy run. */
function shapeOf(p: Profile, epoch: Curve | undefined, schedule: number | undefined): Shape | undefined {
  if (p.n < MIN_POINTS) return undefined;
  if (p.jitter >= MIN_JITTER) return { kind: 'noise', strength: p.jitter };
  for (let i = 0; i < p.n; i++) if (!(p.values[i] > 0)) return undefined; // read in log space: bounces are multiplicative
  // an epoch counter says where to look: a staircase in step with it is the plainer reading than a period
  const groups = epoch ? epochGroups(p, epoch) : undefined;
  const epochSteps = epoch ? epochLength(epoch) : undefined;
  const staircase = groups ? epochStaircase(p, groups) : undefined;
  if (staircase) return { ...staircase, epochSteps };
  if (p.n < MIN_PERIODIC_POINTS) return undefined;
  const group = Math.max(1, Math.ceil(p.n / MAX_POINTS));
  const means = logGroupMeans(p, group)!;
  const found = strongestPeriod(means, MIN_PERIOD / group, MIN_REPEATS, MIN_CONSISTENCY);
  if (!found || found.acf < MIN_ACF || found.acf - found.acfHalf < HALF_GAP || found.amplitude < MIN_AMPLITUDE || found.consistency < MIN_CONSISTENCY) return undefined;
  const periodSteps = found.period * group * stepInterval(p);
  if (schedule !== undefined && Math.abs(periodSteps - schedule) <= EPOCH_MATCH * schedule) return undefined;
  return { kind: 'periodic', strength: found.acf, periodSteps, epochSteps };
}

function describe(shape: Shape, name: SeriesName, p: Profile, stepName: string): string {
  const unit = at(stepName, 0).split(' ')[0]; // "step", "epoch" or "row"
  const from = `from ${at(stepName, p.steps[0])}`;
  if (shape.kind === 'noise') {
    return `${name === 'val' ? 'validation' : 'train'} loss swings about ±${Math.round(shape.strength * 100)}% around its own trend from one log to the next (median over ${p.n} points, ${from})`;
  }
  const epochNote = shape.epochSteps === undefined ? '' : ` (an epoch is ${fmtStep(Math.round(shape.epochSteps))} ${unit}s)`;
  if (shape.kind === 'epoch') {
    return `train loss drops ${Math.round(shape.strength * 100)}% more at each epoch start than within an epoch, over ${shape.epochs} epochs${epochNote}: a staircase in step with the data order`;
  }
  const period = shape.periodSteps!;
  // a period of a whole number of epochs (within a tenth of one) is the data order coming round again
  const epochs = shape.epochSteps !== undefined ? period / shape.epochSteps : NaN;
  const whole = Math.round(epochs);
  const epochPart = whole >= 1 && Math.abs(epochs - whole) <= EPOCH_MATCH
    ? `, ${whole === 1 ? 'the length of an epoch' : `${whole} epochs`}${epochNote}`
    : epochNote;
  return `train loss repeats the same shape every ${fmtStep(period)} ${unit}s${epochPart} (correlation ${round(shape.strength, 2)} one period apart, ${from})`;
}

function fixesFor(shape: Shape, name: SeriesName): string[] {
  if (name === 'val') {
    return [
      'evaluate on more batches or a larger validation set: a small one makes each evaluation a noisy estimate',
      'judge the run by a moving average of the validation loss, and pick checkpoints by it, not by one evaluation',
      'if validation runs in train mode by mistake, call model.eval() (dropout and BatchNorm change the loss)',
    ];
  }
  if (shape.kind === 'noise') {
    return [
      'raise gradient accumulation for a larger effective batch without more memory (typical: if grad_accum_steps is 2, try 4 or 8)',
      'or raise the batch size itself, scaling the learning rate with it',
      'if the smoothed trend still falls, the noise is harmless: judge the run by a moving average',
    ];
  }
  return [
    'shuffle the training data every epoch (DataLoader(shuffle=True), or a new sampler seed per epoch): the same order gives the same bumps',
    'a drop at each epoch start means the model recognises examples it has seen: watch the validation loss for overfitting',
    'if the data is small, train fewer epochs or add more (and more varied) data',
  ];
}

export const sawtooth: Detector = {
  id: 'sawtooth',
  title: 'Loss bounces every few steps',
  severity: 'info',
  detect(series: Series, context: DetectContext): Finding[] {
    const findings: Finding[] = [];
    for (const name of ['train', 'val'] as const) {
      const curve = series[name];
      if (!curve) continue;
      const p = profileOf(curve);
      // validation is judged by its noise alone: its points are too few and too far apart for an epoch's shape
      const shape = name === 'train' ? shapeOf(p, series.epoch, scheduleSpacing(series, context)) : p.n >= MIN_VAL_POINTS && p.jitter >= MIN_JITTER ? { kind: 'noise' as const, strength: p.jitter } : undefined;
      if (!shape) continue;
      findings.push({
        pattern: 'sawtooth',
        severity: 'info',
        series: name,
        start_step: p.steps[0],
        end_step: p.steps[p.n - 1],
        message: describe(shape, name, p, series.stepName),
        evidence: {
          kind: shape.kind, step_jitter: round(p.jitter, 3), points: p.n,
          period_steps: shape.periodSteps ?? null, epoch_steps: shape.epochSteps ?? null, strength: round(shape.strength, 3),
        },
        fixes: fixesFor(shape, name),
      });
    }
    return findings;
  },
};
