// The profile's two measures of point-to-point noise: the median residual around the rolling median, and the step jitter.

import { BracketedQuantile, samplePosition } from '../stats/bracket.js';
import { MAD_TO_SIGMA, median, quantileInPlace, quantileOf } from '../stats/robust.js';
import { centredTrimmedMean } from '../stats/rolling.js';

const SHORT_LOG = 15; // under 15 points a moving window of 7 leaves too few points clear of the ends
const BRACKETED_FROM = 1 << 16; // below this many residuals, copying them costs less than the bracketed pass's sample
// From about a million points, the jitter's median is taken over evenly spaced stretches of the curve: 2^18
// moves fix a median to about 0.2%, where every point (a log and a trimmed mean each) costs 0.6 s at 10^7
const JITTER_SAMPLED_FROM = 1 << 20;
const JITTER_STRETCHES = 512; // spread over the whole run, so every phase of it counts
const JITTER_STRETCH = 512; // consecutive moves per stretch: the trimmed mean's window is set up once per stretch
const BLOCK_WINDOWS = 5; // local noise is taken per block of five rolling-median windows
const MIN_BLOCK = 8; // a median of fewer residuals says little about the noise

/**
 * The median of |value − level| / max(|level|, floor) over the points clear of the `half` points at each
 * end, where the window is one-sided and a steep start would read as noise. A long curve's is taken in one
 * bracketed pass (the same value, without an array of every residual).
 */
export function medianResidual(values: Float64Array, level: Float64Array, floor: number, half: number): number {
  const n = values.length;
  const edge = Math.min(half, Math.floor((n - 1) / 2));
  const count = Math.max(0, n - 2 * edge);
  if (count > BRACKETED_FROM) {
    const sample = new Float64Array(BracketedQuantile.SAMPLE);
    for (let k = 0; k < sample.length; k++) {
      const i = edge + samplePosition(k, count, sample.length);
      sample[k] = Math.abs(values[i] - level[i]) / Math.max(Math.abs(level[i]), floor);
    }
    const bracket = new BracketedQuantile(0.5, sample, count);
    for (let i = edge; i < n - edge; i++) bracket.add(Math.abs(values[i] - level[i]) / Math.max(Math.abs(level[i]), floor));
    const result = bracket.result();
    if (result !== undefined) return result;
  }
  const rel = new Float64Array(count);
  let k = 0;
  for (let i = edge; i < n - edge; i++) {
    const r = Math.abs(values[i] - level[i]) / Math.max(Math.abs(level[i]), floor);
    if (Number.isFinite(r)) rel[k++] = r;
  }
  return quantileInPlace(rel.subarray(0, k), 0.5);
}

/**
 * Median of |(v[i] − v[i−1]) − (m[i] − m[i−1])| / max(|level[i]|, floor), away from the one-sided
 * ends, where m is a centred trimmed mean: a mean averages a whole bounce away (a median of an odd
 * window over a curve alternating high/low alternates itself), and trimming keeps a spike out of it.
 * A very long curve's is the median over evenly spaced stretches (see JITTER_SAMPLED_FROM).
 */
export function stepJitter(values: Float64Array, level: Float64Array, floor: number, half: number, positive = allPositive(values)): number {
  const n = values.length;
  // batch noise is multiplicative and descents are often geometric: on a positive loss (every value > 0, as
  // `positive` says when the caller knows), measure in log space, where a loss falling ×0.6 per epoch is a
  // straight line and a ±30% bounce is ±0.3 at any level
  if (n >= JITTER_SAMPLED_FROM) return sampledJitter(values, level, floor, half, positive);
  const x = positive ? values.map((v) => Math.log(Math.max(v, floor))) : values;
  if (n < SHORT_LOG) return secondDifferenceJitter(x, level, floor, positive);
  const mean = centredTrimmedMean(x, half);
  const edge = Math.min(half, Math.floor((n - 2) / 2));
  const d = new Float64Array(Math.max(0, n - 1 - 2 * edge));
  let k = 0;
  for (let i = edge + 1; i < n - edge; i++) {
    const move = Math.abs(x[i] - x[i - 1] - (mean[i] - mean[i - 1]));
    const r = positive ? move : move / Math.max(Math.abs(level[i]), floor);
    if (Number.isFinite(r)) d[k++] = r; // as median() would: non-finite values are skipped
  }
  return k ? quantileInPlace(d.subarray(0, k), 0.5) : 0;
}

/**
 * For a short log, where a moving window would leave few points away from the ends: half the median
 * |x[i−1] − 2x[i] + x[i+1]|. A straight (or geometric, in log space) descent gives 0, a bounce of ±a gives
 * 2a, white noise of deviation σ about 0.83σ; a spike moves only three of the terms.
 */
function secondDifferenceJitter(x: Float64Array, level: Float64Array, floor: number, relative: boolean): number {
  const d = new Float64Array(Math.max(0, x.length - 2));
  for (let i = 1; i < x.length - 1; i++) {
    const bend = Math.abs(x[i - 1] - 2 * x[i] + x[i + 1]) / 2;
    d[i - 1] = relative ? bend : bend / Math.max(Math.abs(level[i]), floor);
  }
  return d.length ? median(d) : 0;
}


function allPositive(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i] > 0)) return false;
  return true;
}

/**
 * stepJitter's median over JITTER_STRETCHES stretches of consecutive moves spread evenly over the run,
 * each move computed as stepJitter computes it (the trimmed mean over the full window around each point).
 */
function sampledJitter(values: Float64Array, level: Float64Array, floor: number, half: number, positive: boolean): number {
  const n = values.length;
  const first = half + 1; // the first move clear of the one-sided start
  const span = n - half - first; // moves i in [first, n − half)
  const x = new Float64Array(JITTER_STRETCH + 2 * half + 1);
  const d = new Float64Array(JITTER_STRETCHES * JITTER_STRETCH);
  let k = 0;
  for (let s = 0; s < JITTER_STRETCHES; s++) {
    const a = first + Math.floor((s * (span - JITTER_STRETCH)) / (JITTER_STRETCHES - 1));
    // x[t] is point base + t: the stretch's moves and the windows of the points they join
    const base = a - 1 - half;
    for (let t = 0; t < x.length; t++) {
      const v = values[base + t];
      x[t] = positive ? Math.log(Math.max(v, floor)) : v;
    }
    const mean = centredTrimmedMean(x, half);
    for (let i = a; i < a + JITTER_STRETCH; i++) {
      const t = i - base;
      const move = Math.abs(x[t] - x[t - 1] - (mean[t] - mean[t - 1]));
      const r = positive ? move : move / Math.max(Math.abs(level[i]), floor);
      if (Number.isFinite(r)) d[k++] = r;
    }
  }
  return k ? quantileInPlace(d.subarray(0, k), 0.5) : 0;
}

/** Points per block of local noise (localNoise): five windows of the rolling median. */
export function noiseBlock(half: number): number {
  return BLOCK_WINDOWS * (2 * half + 1);
}

/**
 * out[k + 1] = the median relative residual |value − level| / max(|level|, floor) of block k, for blocks
 * from ≤ k < to of `block` points (those clear of the one-sided ends); blocks too short to say anything
 * are left for localNoise to fill. One block-sized scratch array.
 */
export function blockResidualMedians(values: Float64Array, level: Float64Array, floor: number, half: number, block: number, from: number, to: number, out: Float64Array): void {
  const n = values.length;
  const edge = Math.min(half, Math.floor((n - 1) / 2));
  const scratch = new Float64Array(block);
  for (let k = from; k < to; k++) {
    const first = Math.max(k * block, edge);
    const last = Math.min((k + 1) * block, n - edge);
    if (last - first < MIN_BLOCK) continue;
    let finite = 0; // residuals kept in scratch: a median skips the non-finite ones
    for (let i = first; i < last; i++) {
      const r = Math.abs(values[i] - level[i]) / Math.max(Math.abs(level[i]), floor);
      if (Number.isFinite(r)) scratch[finite++] = r;
    }
    out[k + 1] = quantileOf(scratch, finite, 0.5);
  }
}

/**
 * The local noise of each block (noiseBlock points) from the block medians: out[k] is the typical relative
 * residual of the block before block k, so a noisy early phase does not hide a spike later, nor a quiet
 * phase turn batch noise into spikes. out[0] is the run's own (σ / MAD_TO_SIGMA); a block too short to say
 * anything keeps the noise before it.
 */
export function finishLocalNoise(out: Float64Array, n: number, half: number, noise: number): void {
  const block = noiseBlock(half);
  const edge = Math.min(half, Math.floor((n - 1) / 2));
  out[0] = noise / MAD_TO_SIGMA;
  for (let k = 0; k + 1 < out.length; k++) {
    if (Math.min((k + 1) * block, n - edge) - Math.max(k * block, edge) < MIN_BLOCK) out[k + 1] = out[k];
  }
}
