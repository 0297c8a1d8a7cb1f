// Robust, NaN-safe statistics on curves: medians, MADs, quantiles, all skipping non-finite values.

import { largeQuantile } from './bracket.js';
import { valueAtRank } from './select.js';

/** The finite values of a[from, to), copied (so callers may reorder them). */
export function finiteSlice(a: ArrayLike<number>, from = 0, to = a.length): Float64Array {
  let n = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(a[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(a[i])) out[k++] = a[i];
  return out;
}

// Detectors take medians of short stretches by the thousand: those are copied into one scratch array, not a new
// array each (a short run spends more time collecting thousands of small buffers than computing)
const SCRATCH_MAX = 1 << 16;
const scratch = new Float64Array(SCRATCH_MAX);
// up to this many values a quantile sorts them natively, with no loop to warm up; beyond, selection's O(n)
// wins (sorting up to 256 made a 10^7-point profile 25% slower)
const SORTED_UP_TO = 64;

/** Quantile q in [0, 1] of the finite values of a[from, to), by linear interpolation; NaN when there are none. */
export function quantile(a: ArrayLike<number>, q: number, from = 0, to = a.length): number {
  if (to - from > SCRATCH_MAX) return largeQuantile(a, q, from, to);
  let n = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(a[i])) scratch[n++] = a[i];
  return quantileOf(scratch, n, q);
}

/**
 * Quantile q of `v`, whose values must all be finite, reordering `v`: for a caller that built the
 * array itself, so a long curve is not copied once more.
 */
export function quantileInPlace(v: Float64Array, q: number): number {
  return quantileOf(v, v.length, q);
}

/** Quantile q of the first n values of `v` (all finite), reordering them. */
export function quantileOf(v: Float64Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  if (n > SORTED_UP_TO) return valueAtRank(v, n, pos, 0);
  // the same two order statistics by the engine's sort: a short log's quantiles run before selection is compiled
  const sorted = v.subarray(0, n).sort();
  const lower = Math.floor(pos);
  return pos === lower ? sorted[lower] : sorted[lower] + (pos - lower) * (sorted[lower + 1] - sorted[lower]);
}

export function median(a: ArrayLike<number>, from = 0, to = a.length): number {
  return quantile(a, 0.5, from, to);
}

/** Median absolute deviation from `center` (not scaled to a standard deviation). */
export function mad(a: ArrayLike<number>, center: number, from = 0, to = a.length): number {
  if (to - from > SCRATCH_MAX) {
    const v = finiteSlice(a, from, to);
    for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i] - center);
    return v.length ? quantile(v, 0.5) : NaN;
  }
  let finite = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isFinite(a[i])) continue;
    finite++;
    const deviation = Math.abs(a[i] - center);
    if (Number.isFinite(deviation)) scratch[n++] = deviation; // as quantile() skips an overflowed one
  }
  return finite ? quantileOf(scratch, n, 0.5) : NaN;
}

/** MAD × 1.4826 estimates a standard deviation when the noise is Gaussian, and ignores outliers when it is not. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * The typical size of point-to-point noise, from second differences: a straight or slowly bending
 * trend cancels out, so a steadily falling curve reads as quiet. For white noise of deviation σ,
 * median |x[i-1] - 2x[i] + x[i+1]| = 0.6745·√6·σ.
 */
export function noiseSigma(a: ArrayLike<number>): number {
  const v = finiteSlice(a);
  if (v.length < 3) return 0;
  const d = new Float64Array(v.length - 2);
  for (let i = 1; i < v.length - 1; i++) d[i - 1] = Math.abs(v[i - 1] - 2 * v[i] + v[i + 1]);
  return quantile(d, 0.5) / (0.6745 * Math.sqrt(6));
}

/** Index of the smallest finite value, -1 when none. */
export function argMin(a: ArrayLike<number>, from = 0, to = a.length): number {
  let best = -1;
  for (let i = from; i < to; i++) if (Number.isFinite(a[i]) && (best < 0 || a[i] < a[best])) best = i;
  return best;
}
