// The robust view of one curve that detectors share: finite points, a rolling-median level, noise, and coarse buckets.

import { LineRuns, type LineNumbers } from '../line-numbers.js';
import { MAD_TO_SIGMA, median, quantile } from '../stats/robust.js';
import { centredMedian } from '../stats/rolling.js';
import { lowerBound } from '../stats/search.js';
import { isShared, runOnHelper, sharedFloat64 } from '../parallel/helper.js';
import { finishLocalNoise } from './noise.js';
import { profilePasses } from './profile-passes.js';
import type { Curve } from '../types.js';

export interface Profile {
  /** Finite points only, in step order. */
  steps: Float64Array;
  /** Index in the curve of the first point left out (not finite, or below zero for a cross-entropy); −1 when none. */
  firstLeftOut: number;
  values: Float64Array;
  lines: LineNumbers;
  n: number;
  /** Centred rolling median of the values (half-width `half`): the curve without its step-to-step noise. */
  level: Float64Array;
  half: number;
  /** Where the curve starts: the median of its first few points, so one odd first value does not decide. */
  start: number;
  /** Where it ends: the median of its last fifth. */
  end: number;
  /** The size a change must be compared with: |start|, but never below a tenth of the curve's largest level. */
  scale: number;
  /** Ratios are taken against max(level, floor): near zero, a tiny absolute wobble is not a huge relative one. */
  floor: number;
  /** Point-to-point noise as a share of the loss, in standard deviations of Gaussian noise of the same spread. */
  noise: number;
  /** Median |Δvalue − Δlevel| / level: how far the loss moves between two logs beyond what its trend moves (bounces). */
  jitter: number;
  /** How much the trend itself wanders from noise alone, as a share of the loss (one standard deviation). */
  trendNoise: number;
  /** The same for one bucket median. */
  bucketNoise: number;
  /** Up to 200 buckets of equal width in steps (profile-passes.ts): their middle step, median value and first point. */
  bucketSteps: Float64Array;
  bucketValues: Float64Array;
  bucketFrom: Int32Array;
  /** The bucket medians smoothed once more (centred median of 3 or 5): the curve's slow shape. */
  trend: Float64Array;
  /** The typical relative residual of the block of noiseBlock(half) points before each block (see finishLocalNoise). */
  localNoise: Float64Array;
}

const FLOOR_SHARE = 0.05; // below 5% of the curve's scale a loss is "near zero" and ratios stop meaning much

export const NEGATIVE_TOLERANCE = -1e-6; // float32 rounding prints a cross-entropy of 0 as -1e-7; lower is a real negative

/** result[0] = quantile q of values (robust.ts); src/worker.ts registers its runner. */
export interface QuantileTask {
  kind: 'quantile';
  values: Float64Array;
  q: number;
  result: Float64Array;
}

const SHARED_FROM = 1 << 20; // a curve copied without its bad points goes to shared memory from a million points on
const cache = new WeakMap<Curve, Profile>();

/** True when the first finite value is not negative: the loss may be a cross-entropy. */
export function startsNonNegative(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) return values[i] >= 0;
  return true;
}

export function profileOf(curve: Curve): Profile {
  let profile = cache.get(curve);
  if (!profile) {
    profile = buildProfile(curve);
    cache.set(curve, profile);
  }
  return profile;
}

/**
 * Half-width of the rolling median: about 1% of the points, at least 3 (a window of 7 spans a whole
 * bounce of a sawtooth with a period up to 6), at most 25 (a spike wider than that is a level change).
 */
export function levelHalfWidth(n: number): number {
  return Math.max(3, Math.min(25, Math.round(n / 100)));
}

function buildProfile(curve: Curve): Profile {
  // a cross-entropy below zero is as broken as a NaN (the nan detector reports it): the shape is read without it
  const crossEntropy = startsNonNegative(curve.values);
  const keep = (v: number) => Number.isFinite(v) && (!crossEntropy || v >= NEGATIVE_TOLERANCE);
  let { steps, values, lines } = curve; // read once, not per point: a curve may have ten million
  let count = 0;
  let positive = true; // every point kept is above zero (the step jitter then reads the loss in log space)
  let rising = true; // no step below the one before (checked here, in a loop that runs anyway, for the buckets)
  let firstLeftOut = -1;
  for (let i = 0; i < values.length; i++) {
    if (i > 0 && steps[i] < steps[i - 1]) rising = false;
    const v = values[i];
    if (!keep(v)) {
      if (firstLeftOut < 0) firstLeftOut = i;
      continue;
    }
    count++;
    if (!(v > 0)) positive = false;
  }
  // a clean curve (the usual case) is used as it is; only a curve with bad points is copied
  if (count !== values.length) {
    const from = { steps, values, lines };
    steps = new Float64Array(count);
    // (in shared memory when long, so the helper thread can take half of the rolling median)
    values = count >= SHARED_FROM ? sharedFloat64(count) : new Float64Array(count);
    const kept = new LineRuns();
    for (let i = 0, k = 0; i < from.values.length; i++) {
      if (!keep(from.values[i])) continue;
      steps[k] = from.steps[i];
      values[k++] = from.values[i];
      kept.push(from.lines.at(i));
    }
    lines = kept.view(count);
  }
  const n = values.length;
  const half = levelHalfWidth(n);
  const level = centredMedian(values, half);

  // the helper thread finds the level's 98th percentile of a long curve while this one takes start and end
  const largestTask: QuantileTask = { kind: 'quantile', values: level, q: 0.98, result: n >= SHARED_FROM ? sharedFloat64(1) : new Float64Array(1) };
  const helper = n >= SHARED_FROM && isShared(level) ? runOnHelper(largestTask) : undefined;
  // the first 5% of the points, at least 3 to tame noise; but one in a log under 20 points, where 3 are a sixth of the run
  const head = n < 20 ? 1 : Math.max(3, Math.round(n * 0.05));
  const start = median(values, 0, Math.min(n, head));
  const end = median(values, Math.max(0, n - Math.max(1, Math.ceil(n / 5))), n);
  const largest = helper?.wait() ? largestTask.result[0] : quantile(level, 0.98);
  const scale = Math.max(Math.abs(start), 0.1 * Math.abs(largest), 1e-12);
  const floor = FLOOR_SHARE * scale;

  const passes = profilePasses(steps, values, level, floor, half, positive, rising);
  const { jitter, localNoise, bucketSteps, bucketValues, bucketFrom } = passes;
  // σ from the median residual (0.6745σ) or from the step jitter (0.954σ), whichever sees more: a median
  // window over a curve that alternates high/low sits on one of the two and reads no residual at all
  const noise = n >= 5 ? Math.max(MAD_TO_SIGMA * passes.residual, jitter / 0.954) : 0;
  finishLocalNoise(localNoise, n, half, noise);

  const buckets = bucketValues.length;
  // short epoch logs get a window of 3; longer curves 5 buckets, which smooths batch noise without hiding a knee
  const trendHalf = buckets < 20 ? 1 : 2;
  const trend = centredMedian(bucketValues, trendHalf);
  // a median of m points with Gaussian noise σ scatters by about 1.25·σ/√m; σ ≈ 1.4826 × the median residual
  const pointsPerBucket = Math.max(1, n / buckets);
  // a bucket of one point is that point; a median of more scatters by about 1.25·σ/√m for independent noise,
  // but never less than the bucket medians are seen to scatter around the trend (a bounce in step with the
  // buckets does not average away: a median of a square wave is one of its two levels)
  const seen = bucketScatter(bucketValues, trend, floor);
  const bucketNoise = Math.max(pointsPerBucket < 2 ? noise : (1.25 * noise) / Math.sqrt(pointsPerBucket), seen);
  const trendNoise = Math.max((1.25 * noise) / Math.sqrt(pointsPerBucket * (2 * trendHalf + 1)), seen / Math.sqrt(2 * trendHalf + 1));
  return {
    steps, firstLeftOut, values, lines, n, level, half, start, end, scale, floor, noise, jitter, trendNoise, bucketNoise,
    bucketSteps, bucketValues, bucketFrom, trend, localNoise,
  };
}

/** Robust relative scatter (one standard deviation) of the bucket medians around the trend. */
function bucketScatter(bucketValues: Float64Array, trend: Float64Array, floor: number): number {
  if (bucketValues.length < 5) return 0;
  const d = new Float64Array(bucketValues.length);
  for (let b = 0; b < d.length; b++) d[b] = Math.abs(bucketValues[b] - trend[b]) / Math.max(Math.abs(trend[b]), floor);
  return MAD_TO_SIGMA * median(d);
}

/** Index of the first point at or after `step` (n when none). */
export function indexAtStep(p: Profile, step: number): number {
  return lowerBound(p.steps, step, 0, p.n);
}

/**
 * The level of the curve around `step`: the median of the points within a twentieth of the run of
 * the nearest point (at least one each side), so a short curve keeps its shape where the profile's
 * wider rolling median would flatten it.
 */
export function levelAtStep(p: Profile, step: number): number {
  if (p.n === 0) return NaN;
  let i = Math.min(p.n - 1, indexAtStep(p, step));
  if (i > 0 && Math.abs(p.steps[i - 1] - step) < Math.abs(p.steps[i] - step)) i--;
  const k = Math.max(1, Math.min(p.half, Math.round(p.n / 20)));
  return median(p.values, Math.max(0, i - k), Math.min(p.n, i + k + 1));
}
