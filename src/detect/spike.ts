// spike: the train loss jumps well above its recent level in one step, far outside its noise, usually then recovering.

import { at, fmtLoss, fmtRatio, round } from '../format.js';
import { MAD_TO_SIGMA, median } from '../stats/robust.js';
import type { Curve, DetectContext, Detector, Finding, Series, SeriesName } from '../types.js';
import { lrAdvice } from './lr.js';
import { noiseBlock } from './noise.js';
import { profileOf, type Profile } from './profile.js';

const MIN_HISTORY = 3; // a jump needs at least three earlier points to be a jump from something...
// ...except at the very start of a log of 10 points or more, where a jump ×3 from the first values (a fine-tune
// wrecked by its first updates, before any warm-up) is judged against them and the run's own noise
const EARLY_FROM = 1;
const EARLY_MIN_POINTS = 10;
const MIN_RATIO = 0.25; // ×1.25 over the recent level: real pre-training spikes are ×1.3–1.5, the guide's ×2–3
const MIN_SIGMAS = 6; // six robust standard deviations of the local noise, as OLMo's spike rule...
// ...but batch noise is skewed: healthy noisy runs in the labelled logs reach 7σ jumps (×1.7 at 9% noise), so a
// jump under 10σ must also double the loss (the guide's ×2–3); from 10σ any size counts (×1.3 on a quiet pre-training curve)
const CLEAR_SIGMAS = 10;
const DOUBLE = 1; // a jump of 100% of the level: the loss doubled
const MIN_OF_SCALE = 0.05; // and 5% of where the run started: a 0.0002 → 0.016 blip near zero is not a spike
const RECOVERED = 0.3; // recovered once back within 30% of the jump above the old level
const MAX_REPORTED = 5; // beyond five, list the biggest: the rest say nothing new (the count is in the evidence)
// Heavy-tailed batch noise (a Student-t, not a Gaussian) throws single points far past 10 MAD-σ in both directions,
// so the σ rule alone cannot tell its tail from a spike. Noise is two-sided; a gradient explosion only goes up. A jump
// under ×2 is the noise's own tail when the run also holds two one-point dips at least half its size: a jump of 10σ
// then needs two dips of 5σ, under Gaussian noise 3 in 10^7 points (a spike of ×1.3 on a quiet pre-training curve,
// 30σ, would need two of 15σ: never), under t(3) noise 1 point in 200
const TAIL_DIPS = 2;
const TAIL_DIP_SHARE = 0.5;


interface Spike {
  first: number;
  peak: number;
  last: number;
  before: number;
  recoveredAt: number; // index, -1 when it never came back
}

/** Spikes as index ranges into the profile's finite points. */
export function findSpikes(p: Profile): Spike[] {
  const { n, values, level, floor, scale } = p; // read once, not per point: a curve may have ten million
  const noise = p.localNoise;
  // a point's jump is measured from the median of the 2·half + 1 points just before it: the profile's centred
  // rolling median `lag` points back, whose window is exactly those (all of them, near the start), so the level
  // costs nothing beyond the profile's one rolling median
  const lag = p.half + 1;
  // never quieter than the run's step-to-step jitter: a curve alternating high/low has no median residual at all
  const floorSigma = p.jitter / 0.954;
  const block = noiseBlock(p.half);

  const minJump = MIN_OF_SCALE * scale;

  const spikes: Spike[] = [];
  let open: Spike | undefined;
  for (let i = n >= EARLY_MIN_POINTS ? EARLY_FROM : MIN_HISTORY; i < n; i++) {
    if (!open && i >= lag) {
      // the quiet stretches, in a tight loop: a point that fails these two cheap tests cannot start a spike
      while (i < n) {
        const base = level[i - lag];
        const jump = values[i] - base;
        if (jump >= MIN_RATIO * Math.max(Math.abs(base), floor) && jump >= minJump) break;
        i++;
      }
      if (i === n) break;
    }
    const b = Math.floor(i / block); // the local-noise block of point i
    const base = open ? open.before : i >= lag ? level[i - lag] : median(values, 0, i);
    const ref = Math.max(Math.abs(base), floor);
    const jump = values[i] - base;
    // the cheap test first: most points are nowhere near a quarter above their level
    const sigma = open ? 0 : Math.max(MAD_TO_SIGMA * noise[b], floorSigma) * ref;
    const isHigh = jump >= MIN_RATIO * ref && jump >= minJump && jump >= MIN_SIGMAS * sigma && (jump >= DOUBLE * ref || jump >= CLEAR_SIGMAS * sigma);
    if (isHigh) {
      if (!open) open = { first: i, peak: i, last: i, before: base, recoveredAt: -1 };
      else open.last = i;
      if (values[i] > values[open.peak]) open.peak = i;
      continue;
    }
    if (open) {
      spikes.push(open);
      open = undefined;
    }
  }
  if (open) spikes.push(open);
  mergeBursts(spikes, values, lag);
  // each stretch between two spikes is searched once: a spike that has not come down before the next one did not recover
  spikes.forEach((s, k) => {
    const limit = s.before + RECOVERED * (p.values[s.peak] - s.before);
    const until = k + 1 < spikes.length ? spikes[k + 1].first : n;
    for (let j = s.last + 1; j < until; j++) if (p.values[j] <= limit) { s.recoveredAt = j; break; }
  });
  return spikes;
}

/**
 * Spikes closer together than the level's window (lag points) are one burst: the level before the second still
 * holds the first, and the burst's recovery is judged after its last jump, not cut short by its own next jump.
 */
function mergeBursts(spikes: Spike[], values: Float64Array, lag: number): void {
  let k = 0;
  for (let j = 1; j < spikes.length; j++) {
    const a = spikes[k], b = spikes[j];
    if (b.first - a.last > lag) { spikes[++k] = b; continue; }
    a.last = b.last;
    if (values[b.peak] > values[a.peak]) a.peak = b.peak;
  }
  spikes.length = Math.min(spikes.length, k + 1);
}

const MIN_VAL_POINTS = 8; // a validation spike stands out against a few evaluations either side
// One evaluation on a fixed set is a few numbers' average away from the next: too few points for a tail of its own
// noise, so a validation spike must double the loss (the labelled ones are ×2.3–5) whatever the σ says...
const VAL_RATIO = 2;
// ...and come back down: a validation loss that jumps and stays is a rise, which overfit and divergence judge

/** Fixes for a jump in the validation loss alone: the evaluation, not the optimiser, is the first suspect. */
const VAL_FIXES = [
  'check the evaluation batches at that step: one corrupt or unusually hard batch, or a different eval set, moves the whole average',
  'if the model has BatchNorm, check model.eval() is set for validation and the running statistics are not updated by a few odd batches',
  'if checkpoints or EMA weights are swapped in for evaluation, check the right weights were loaded at that step',
  'if the train loss jumped at the same step too, treat it as a training spike: clip gradients (max_norm 1.0)',
];

function spikesOn(curve: Curve, name: SeriesName, series: Series, context: DetectContext): Finding[] {
  const p = profileOf(curve);
  if (p.n < (name === 'val' ? MIN_VAL_POINTS : MIN_HISTORY + 2)) return [];
  // a "jump" still under way at the end of the log inside a climb reported as divergence is that climb
  // accelerating, not a spike (a sudden jump that then holds, as before a plateau, is still a spike)
  const climbing = context.earlier.some((f) => f.pattern === 'divergence' && f.series === name);
  let spikes = findSpikes(p).filter((s) => !(climbing && s.recoveredAt < 0 && s.last === p.n - 1))
    .filter((s) => name === 'train' || (s.recoveredAt >= 0 && p.values[s.peak] >= VAL_RATIO * Math.max(Math.abs(s.before), p.floor)));
  // the deepest one-point dips, found only when some train jump rests on the σ rule alone (it is an O(n) pass)
  const dips = name === 'train' && spikes.some((s) => !doubled(p, s)) ? deepestDips(p, TAIL_DIPS) : [];
  const tailDip = dips.length === TAIL_DIPS ? dips[TAIL_DIPS - 1] : 0;
  if (tailDip > 0) spikes = spikes.filter((s) => doubled(p, s) || tailDip < TAIL_DIP_SHARE * (p.values[s.peak] - s.before) / Math.max(Math.abs(s.before), p.floor));
  if (spikes.length === 0) return [];
  const biggest = [...spikes]
    .sort((a, b) => p.values[b.peak] / Math.max(b.before, p.floor) - p.values[a.peak] / Math.max(a.before, p.floor))
    .slice(0, MAX_REPORTED)
    .sort((a, b) => a.first - b.first);
  const several = spikes.length >= 3;
  return biggest.map((s) => {
    const peak = p.values[s.peak];
    const ratio = peak / Math.max(Math.abs(s.before), p.floor);
    const recovered = s.recoveredAt >= 0;
    const back = recovered
      ? `back to ${fmtLoss(p.values[s.recoveredAt])} by ${at(series.stepName, p.steps[s.recoveredAt])}`
      : `and not back down by the end of the log (${at(series.stepName, p.steps[p.n - 1])})`;
    const fixes = name === 'val' ? [...VAL_FIXES] : [
      'clip gradients: clip_grad_norm_(model.parameters(), max_norm=1.0) between backward() and step()',
      'if clipping is already on, halve max_norm (typical: 1.0 → 0.5)',
      lrAdvice(series, 0.5, 'if spikes persist, lower the learning rate (e.g. halve it)'),
      'inspect the batches just before the spike for corrupt or unusually long examples; skip them',
    ];
    // several spikes are systematic: the data or the learning rate, before clipping can help
    const listed = spikes.length > biggest.length ? ` (the ${biggest.length} largest are listed)` : '';
    if (several && name === 'train') fixes.unshift(`${spikes.length} spikes in one run${listed} point at the data or the learning rate: check the batches at these steps and ${lrAdvice(series, 0.5, 'lower the learning rate')}`);
    return {
      pattern: 'spike' as const,
      severity: 'warning' as const,
      series: name,
      start_step: p.steps[s.first],
      end_step: p.steps[recovered ? s.recoveredAt : s.last],
      message: `${name === 'val' ? 'validation' : 'train'} loss jumped from ${fmtLoss(s.before)} (the median just before) to ${fmtLoss(peak)} (${fmtRatio(ratio)}) at ${at(series.stepName, p.steps[s.peak])}, ${back}`,
      evidence: {
        level_before: round(s.before), peak: round(peak), ratio: round(ratio, 3), peak_step: p.steps[s.peak],
        recovered_step: recovered ? p.steps[s.recoveredAt] : null, spikes_in_run: spikes.length, line: p.lines.at(s.peak) || null,
      },
      fixes,
    };
  });
}

/** Whether a spike at least doubled the loss over its level (then no noise model is needed to call it one). */
function doubled(p: Profile, s: Spike): boolean {
  return p.values[s.peak] - s.before >= DOUBLE * Math.max(Math.abs(s.before), p.floor);
}

/**
 * The `count` deepest one-point dips of the curve, deepest first, each as a share of the level there: how far a point
 * lies below both its neighbours. A point below both is an outlier of the noise; a cut of the learning rate moves the
 * points after it down too, so it makes no dip.
 */
function deepestDips(p: Profile, count: number): number[] {
  const { values, level, floor, n } = p;
  const top: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const depth = (Math.min(values[i - 1], values[i + 1]) - values[i]) / Math.max(Math.abs(level[i]), floor);
    if (depth <= 0 || (top.length === count && depth <= top[count - 1])) continue;
    let k = Math.min(top.length, count - 1);
    top[k] = depth;
    while (k > 0 && top[k - 1] < top[k]) { [top[k - 1], top[k]] = [top[k], top[k - 1]]; k--; }
  }
  return top;
}

export const spike: Detector = {
  id: 'spike',
  title: 'Sudden jump in the loss',
  severity: 'warning',
  detect(series: Series, context: DetectContext): Finding[] {
    return [
      ...(series.train ? spikesOn(series.train, 'train', series, context) : []),
      ...(series.val ? spikesOn(series.val, 'val', series, context) : []),
    ];
  },
};
