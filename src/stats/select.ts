// Selection of order statistics in place (quickselect), shared by the quantiles of short stretches and of whole curves.

/** The k-th smallest (0-based) of the first n values of `a`, reordering them in place; expected O(n). */
export function selectIn(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    // median of three keeps sorted and reversed inputs (common in loss curves) linear
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * The value at fractional rank `pos` (interpolated between the two order statistics around it) among
 * values of which the first n of `v` hold ranks `offset` onwards, all finite; reorders them.
 */
export function valueAtRank(v: Float64Array, n: number, pos: number, offset: number): number {
  const lower = Math.floor(pos);
  const low = selectIn(v, n, lower - offset);
  if (pos === lower) return low;
  // after select, everything above `lower` is >= low: the next order statistic is their minimum
  let next = Infinity;
  for (let i = lower - offset + 1; i < n; i++) if (v[i] < next) next = v[i];
  return low + (pos - lower) * (next - low);
}
