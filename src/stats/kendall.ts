// Kendall's rank correlation between position and value (is a series going down, and how consistently?), in O(n log n).

import { finiteSlice } from './robust.js';

/**
 * Kendall's S over the finite values: pairs (i < j) with values[j] > values[i], minus pairs with values[j] < values[i].
 * The falling pairs are the inversions a merge sort counts; tied pairs are neither, and are counted from the sorted runs.
 * Exact, as the pair-by-pair double loop is, but a short log no longer spends milliseconds in that loop.
 * Sorts `finite` (the callers' own copy) on the way.
 */
function kendallS(finite: Float64Array): number {
  const n = finite.length;
  let sorted: Float64Array = finite;
  let spare: Float64Array = new Float64Array(n);
  let falling = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // a tie is taken from the left first: not an inversion
        if (sorted[i] <= sorted[j]) spare[k++] = sorted[i++];
        else {
          falling += mid - i;
          spare[k++] = sorted[j++];
        }
      }
      while (i < mid) spare[k++] = sorted[i++];
      while (j < hi) spare[k++] = sorted[j++];
    }
    [sorted, spare] = [spare, sorted];
  }
  let tied = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    tied += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const pairs = (n * (n - 1)) / 2;
  const rising = pairs - tied - falling;
  return rising - falling;
}

/** Kendall's tau between position and value: −1 for a curve that only falls, 0 for no trend. */
export function kendallTau(values: ArrayLike<number>): number {
  const finite = finiteSlice(values);
  const n = finite.length;
  if (n < 3) return 0;
  return kendallS(finite) / ((n * (n - 1)) / 2);
}

/**
 * Mann–Kendall trend statistic as a z-score (no tie correction): below −3, a fall this consistent
 * would happen by chance less than once in 700 trendless series of the same length.
 */
export function mannKendallZ(values: ArrayLike<number>): number {
  const finite = finiteSlice(values);
  const n = finite.length;
  if (n < 3) return 0;
  const s = kendallS(finite);
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  return s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
}
