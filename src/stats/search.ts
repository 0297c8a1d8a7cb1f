// Binary search over data in rising order: the one loop that rolling windows, profiles, sparse columns and the chart all need.

/** The first index in [lo, hi) whose value is not below `x` (hi when there is none); `sorted` must not fall over that range. */
export function lowerBound(sorted: ArrayLike<number>, x: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [lo, hi) where `reached(i)` holds, for a test that stays true once it holds (hi when it never does). */
export function firstIndex(lo: number, hi: number, reached: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reached(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
