// Selection of order statistics in place (quickselect), shared by the quantiles of short stretches and of whole curves.

// Ranges longer than this first select within a sample (Floyd and Rivest): the pivots then land near the
// wanted rank, and a long range is partitioned about 1.5 times instead of 3.4
const SAMPLED_FROM = 600;

/** The k-th smallest (0-based) of the first n values of `a`, reordering them in place; expected O(n). */
export function selectIn(a: Float64Array, n: number, k: number): number {
  return selectRange(a, 0, n - 1, k);
}

/**
 * Floyd–Rivest selection of rank k within a[left, right]: afterwards a[k] holds it, with nothing larger
 * before it and nothing smaller after it (the caller reads the next order statistic from what follows).
 */
function selectRange(a: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    if (right - left > SAMPLED_FROM) {
      // recurse on a sample around k's expected place, so the pivot below is close to the k-th value
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m < n / 2 ? -1 : 1);
      selectRange(a, Math.max(left, Math.floor(k - (m * s) / n + sd)), Math.min(right, Math.floor(k + ((n - m) * s) / n + sd)), k);
    }
    const pivot = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > pivot) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
    }
    if (a[left] === pivot) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
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
