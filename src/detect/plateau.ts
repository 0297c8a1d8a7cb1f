// plateau: after real progress the train loss stops improving for a long stretch, well above where it should be.

import { at, fmtLoss, fmtPct, fmtRate, round } from '../format.js';
import type { Curve, DetectContext, Detector, Finding, Series } from '../types.js';
import { earlyDecay, peakLr } from './lr.js';
import { lrCuts } from './step.js';
import { epochIndexOf } from './epochs.js';
import { profileOf, type Profile } from './profile.js';
import { median } from '../stats/robust.js';
import { GrowingMedian } from '../stats/growing-median.js';

const MIN_POINTS = 6; // a stall needs a fall before it and a few points in it
const STALL = 0.03; // under 3% better across the whole stretch: stalled, not slowly descending
const MIN_SHARE = 0.25; // the stall must last a quarter of the run; shorter pauses are noise or warmup
const MIN_PROGRESS = 0.1; // it must first have fallen 10% from its start, or it never learned (that is flat)
const KNEE = 8; // falling 8× faster just before the stall than inside it: plateaus measure 15–250, power-law descents 1–5
const RESOLVE = 0.2; // a window's noise must be under a fifth of the fall before it to call its flatness a stall
const KNEE_WINDOW = 0.2; // "just before" is the fifth of the run before the stall starts
const HIGH_STALL = 0.5; // a knee counts when the loss stalls above half its start (it has barely learned)...
const LONG_STALL = 0.6; // ...or stays stalled for 60% of the run (it stopped learning almost at once)
const LM_START = 0.7; // a run starting above 70% of ln(V) is training from scratch...
const LM_STALL = 0.5; // ...and stalling above half of ln(V) is far above where language models get (2–4 nats)
const ABOVE_BEST = 0.15; // stalled 15% above the best level it had already reached: it got worse and stuck there
const CONVERGED = 0.1; // a loss already 90% below its start has converged: stalling there is not "well above" anything
const DROP_AFTER = 0.1; // a 10% fall between two buckets ends a stall early (an LR step pulled it down)

interface Stall { from: number; to: number; improvement: number; knee: number; reason: string }

/**
 * Stall windows end at the run's end, or just before a sudden fall of the trend. Where the log has
 * an lr column, only a fall at a learning-rate cut counts: a multi-epoch fine-tune also drops at each
 * epoch boundary, and the stretch between is no plateau. A spike's recovery never counts: on a short
 * log the smoothed trend still carries the spike, and its way back down is no fall of the level.
 */
function candidateEnds(p: Profile, series: Series, context: DetectContext): number[] {
  const t = p.trend;
  const cuts = series.lr && series.lr.values.length >= 3 ? lrCuts(series.lr).map((c) => c.step) : undefined;
  const spikes = context.earlier.filter((f) => f.pattern === 'spike' && f.series === 'train');
  const ends = [t.length - 1];
  for (let e = 1; e < t.length - 1; e++) {
    if (!(t[e + 1] < t[e] - DROP_AFTER * Math.max(Math.abs(t[e]), p.floor))) continue;
    const from = p.bucketSteps[Math.max(0, e - 2)];
    const to = p.bucketSteps[Math.min(t.length - 1, e + 2)];
    if (cuts && !cuts.some((s) => s >= from && s <= to)) continue;
    if (spikes.some((f) => f.start_step <= to && f.end_step >= from)) continue;
    ends.push(e);
  }
  return ends;
}

/**
 * The earliest bucket a stall ending at `e` reaches back to. Walking back one bucket at a time, a
 * least-squares line through the trend of the window measures its relative fall, and the front of the
 * window must stay at the window's median level. The walk goes on
 * while the fall is within STALL plus three standard errors (a few noisy buckets must not end it);
 * the stall is the longest window whose fall is within STALL plus half a standard error.
 */
function longestStallEndingAt(p: Profile, e: number): { from: number; improvement: number } {
  const t = p.trend;
  const head = Math.max(p.values[0], t[0]);
  const window = 2 * (t.length < 20 ? 1 : 2) + 1; // neighbouring trend values share points: about one in `window` is independent
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  let from = e;
  let improvement = 0;
  const stretch = new GrowingMedian(e + 1); // t[a..e]: one value more each step, not a median from scratch each
  for (let a = e, k = 1; a >= 0; a--, k++) {
    const x = a - e;
    sx += x; sy += t[a]; sxx += x * x; sxy += x * t[a];
    stretch.add(t[a]);
    if (k < 3) { from = a; continue; }
    const slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
    const level = sy / k;
    const fall = (-slope * (k - 1)) / Math.max(Math.abs(level), p.floor);
    // the standard error of a fitted line's total change over k points of noise σ is about σ·√(12/k)
    const stderr = p.trendNoise * Math.sqrt((12 * window) / k);
    if (Math.abs(fall) >= STALL + 3 * stderr) break;
    // a stall is a claim that the loss stopped moving: only windows whose noise can resolve that count, either
    // a change of STALL, or a fifth of the fall that came before (a short log that fell 30% and then held is plain)
    const front = median(t, a, Math.min(e + 1, a + 3));
    const middle = stretch.median();
    const fallBefore = (head - middle) / Math.max(Math.abs(head), p.floor);
    if (stderr >= Math.max(STALL, RESOLVE * fallBefore)) continue;
    // a line through a knee-shaped window dilutes the knee: the front must also sit at the window's own level
    if (Math.abs(front - middle) >= Math.max(STALL, 3 * p.trendNoise) * Math.max(Math.abs(middle), p.floor)) break;
    if (Math.abs(fall) < STALL + stderr / 2) { from = a; improvement = fall; }
  }
  return { from, improvement };
}

/** Whether the steps from..to lie in one epoch of a log that spans two or more (1.0 ends epoch 1 of a fractional counter). */
function withinOneEpoch(epoch: Curve, from: number, to: number): boolean {
  const at = (step: number) => {
    let e = NaN;
    for (let i = 0; i < epoch.steps.length && epoch.steps[i] <= step; i++) if (Number.isFinite(epoch.values[i])) e = epoch.values[i];
    return e;
  };
  const index = epochIndexOf(epoch);
  const first = index(at(from)), last = index(at(to)), end = index(at(Infinity));
  return Number.isFinite(first) && first === last && end >= 1;
}

/** The first bucket at or after `from` that no spike finding covers: a spike's recovery is no evidence of a knee. */
function pastSpikes(p: Profile, from: number, upTo: number, context: DetectContext): number {
  const spikes = context.earlier.filter((f) => f.pattern === 'spike' && f.series === 'train');
  let b = from;
  while (b < upTo && spikes.some((f) => p.bucketSteps[b] >= f.start_step && p.bucketSteps[b] <= f.end_step + (f.end_step - f.start_step))) b++;
  return b;
}

function findStall(p: Profile, series: Series, context: DetectContext): Stall | undefined {
  const t = p.trend;
  const B = t.length;
  const head = Math.max(p.values[0], t[0]);
  const ref = (x: number) => Math.max(Math.abs(x), p.floor);
  let best: Stall | undefined;
  for (const e of candidateEnds(p, series, context)) {
    const { from, improvement } = longestStallEndingAt(p, e);
    const length = e - from;
    if (length + 1 < Math.max(3, Math.ceil(B * MIN_SHARE))) continue;
    const level = t[e];
    const progress = (head - t[from]) / ref(head);
    let bestBefore = Infinity;
    for (let a = 0; a <= from; a++) bestBefore = Math.min(bestBefore, t[a]);
    const aboveBest = (level - bestBefore) / ref(bestBefore);
    if (progress < MIN_PROGRESS && aboveBest < ABOVE_BEST) continue;
    if (Math.abs(level) < CONVERGED * Math.abs(head) && aboveBest < ABOVE_BEST) continue;
    // how fast it fell just before the stall, against how fast it falls inside it
    const preFrom = pastSpikes(p, Math.max(0, from - Math.max(2, Math.round(KNEE_WINDOW * B))), from, context);
    const preStart = preFrom === 0 ? head : t[preFrom];
    const preRate = (preStart - t[from]) / ref(preStart) / Math.max(1, from - preFrom);
    const inRate = Math.max(improvement, 1e-4) / Math.max(1, length);
    const knee = preRate / inRate;
    // a k-way classifier's ln(k) says where chance is, not where a trained model gets: only a vocabulary's ln(V) does
    const lmLike = context.baselineApplies && context.baselineKind !== 'classes' && head >= LM_START * context.baseline;
    let reason = '';
    if (aboveBest >= ABOVE_BEST) reason = `${fmtPct(aboveBest)} above the best level it had reached`;
    else if (lmLike && level >= LM_STALL * context.baseline) reason = `still ${Math.round((100 * level) / context.baseline)}% of the random-guess loss ${fmtLoss(context.baseline)}`;
    else if (knee >= KNEE && (level >= HIGH_STALL * head || (length + 1) / B >= LONG_STALL)) {
      reason = `after falling ${fmtPct(-(preStart - t[from]) / ref(preStart))} in the stretch just before`;
    }
    if (!reason) continue;
    if (!best || length > best.to - best.from) best = { from, to: e, improvement, knee, reason };
  }
  return best;
}

export const plateau: Detector = {
  id: 'plateau',
  title: 'Loss stalls well above where it should be',
  severity: 'warning',
  assumesFallingLoss: true,
  detect(series: Series, context: DetectContext): Finding[] {
    if (!series.train) return [];
    // "well above where it should be" needs a loss with a floor at zero; a likelihood that goes negative has none
    if (!context.crossEntropy) return [];
    if (context.earlier.some((f) => f.pattern === 'flat' && f.series === 'train' && f.severity === 'error')) return [];
    const p = profileOf(series.train);
    if (p.n < MIN_POINTS) return [];
    const stall = findStall(p, series, context);
    if (!stall) return [];
    const fromStep = p.steps[p.bucketFrom[stall.from]];
    const toIndex = stall.to + 1 < p.trend.length ? p.bucketFrom[stall.to + 1] - 1 : p.n - 1;
    const toStep = p.steps[toIndex];
    // in a run of several epochs, a stall that ends inside the epoch it began in is a staircase's flat tread (the loss
    // drops at each epoch start and holds between), which sawtooth reports: a plateau outlasts an epoch
    if (series.epoch && withinOneEpoch(series.epoch, fromStep, toStep)) return [];
    const level = p.trend[stall.to];
    const peak = peakLr(series);
    const early = earlyDecay(series, fromStep);
    const lrNote = early
      ? `the learning rate was already ${fmtRate(early.lr)}, under a tenth of its peak ${fmtRate(early.peak)}, at ${at(series.stepName, early.step)} with ${Math.round(early.left * 100)}% of the run to go: the schedule decays too early; decay over the whole run`
      : undefined;
    const fixes = [
      peak !== undefined
        ? `raise the peak learning rate from ${fmtRate(peak)} to about ${fmtRate(peak * 3)} (×3)`
        : 'raise the peak learning rate (typical: ×3, as 3e-4 → 1e-3), with a cosine schedule',
      'if the schedule has already decayed to its minimum, restart from a checkpoint with a higher peak',
      'if a higher learning rate does not help, capacity is exhausted: train a bigger model or on more (and more varied) data',
    ];
    if (lrNote) fixes.unshift(lrNote);
    return [{
      pattern: 'plateau',
      severity: 'warning',
      series: 'train',
      start_step: fromStep,
      end_step: toStep,
      message: `train loss stalled at about ${fmtLoss(level)} (smoothed) from ${at(series.stepName, fromStep)} to ${at(series.stepName, toStep)} (${fmtPct(-stall.improvement)} over that stretch), ${stall.reason}`,
      evidence: { level: round(level), improvement: round(stall.improvement, 4), knee: round(stall.knee, 3), stall_share: round((stall.to - stall.from + 1) / p.trend.length, 3) },
      fixes,
    }];
  },
};
