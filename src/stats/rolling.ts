// Rolling medians and trimmed means over finite values in O(n·log w): full windows by window-medians.ts, the short ones at the ends directly.

import { windowMedians } from './window-medians.js';

// Below this many points one sorted window is quick enough, and its little code warms up sooner: a short log starts faster
const BLOCK_METHOD_MIN = 20_000;

/** A multiset of numbers kept sorted, for short curves and the short windows at a curve's ends. */
class SortedWindow {
  private readonly data: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }

  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(x: number): void {
    const at = this.lowerBound(x);
    this.data.copyWithin(at + 1, at, this.size);
    this.data[at] = x;
    this.size++;
  }

  remove(x: number): void {
    const at = this.lowerBound(x);
    this.data.copyWithin(at, at + 1, this.size);
    this.size--;
  }

  median(): number {
    const h = this.size >>> 1;
    return this.size % 2 ? this.data[h] : (this.data[h - 1] + this.data[h]) / 2;
  }
}

/** out[i] for i in [from, to) = median of values[max(0, i − before), min(n, i + after + 1)), by one sorted window slid along. */
function medianRange(values: Float64Array, before: number, after: number, out: Float64Array, from: number, to: number): void {
  const n = values.length;
  const window = new SortedWindow(before + after + 1);
  let lo = Math.max(0, from - before);
  let hi = lo;
  for (let i = from; i < to; i++) {
    while (lo < i - before) window.remove(values[lo++]);
    const wantHi = Math.min(n, i + after + 1);
    while (hi < wantHi) window.insert(values[hi++]);
    out[i] = window.median();
  }
}

/**
 * Centred rolling median with half-width `half` (window 2·half+1, shrinking at the ends).
 * Values must be finite: callers pass the finite points of a curve.
 */
export function centredMedian(values: Float64Array, half: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const w = 2 * half + 1;
  if (n < w || n < BLOCK_METHOD_MIN) {
    medianRange(values, half, half, out, 0, n);
    return out;
  }
  // out[i] for i in [half, n − half) is the full window starting at i − half; the ends have shorter ones
  windowMedians(values, w, out, half);
  medianRange(values, half, half, out, 0, half);
  medianRange(values, half, half, out, n - half, n);
  return out;
}

/** out[i] = median of values[i-w, i), the w points before i (fewer near the start; NaN at i = 0). */
export function trailingMedian(values: Float64Array, w: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  out[0] = NaN;
  if (n < BLOCK_METHOD_MIN) {
    medianRange(values, w, -1, out, 1, n);
    return out;
  }
  // out[i] for i in [w, n) is the full window starting at i − w; before that the window is all the points so far
  windowMedians(values.subarray(0, n - 1), w, out, w);
  medianRange(values, w, -1, out, 1, Math.min(n, w));
  return out;
}

/**
 * Centred moving average without the window's smallest and largest value (half-width `half`, shrinking
 * at the ends): a single spike does not move it, and an alternating curve still averages to its middle.
 * The window's extremes come from monotonic queues of indices (O(1) per step); the sum is kept in the
 * same order of additions and subtractions as ever, so the result does not move in the last bit.
 */
export function centredTrimmedMean(values: Float64Array, half: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  // ring buffers of a power-of-two size (a mask, not a division, per step) holding at least a window
  const mask = 2 ** Math.ceil(Math.log2(2 * half + 2)) - 1;
  const minQueue = new Int32Array(mask + 1); // indices whose values increase: the front is the window's minimum
  const maxQueue = new Int32Array(mask + 1); // indices whose values decrease: the front is the maximum
  let minHead = 0, minTail = 0, maxHead = 0, maxTail = 0; // head ≤ tail, positions taken & mask
  let sum = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const leaving = i - half - 1;
    if (leaving >= 0) {
      sum -= values[leaving];
      if (minQueue[minHead & mask] === leaving) minHead++;
      if (maxQueue[maxHead & mask] === leaving) maxHead++;
    }
    const wantHi = Math.min(n, i + half + 1);
    while (hi < wantHi) {
      const v = values[hi];
      while (minTail > minHead && values[minQueue[(minTail - 1) & mask]] > v) minTail--;
      minQueue[minTail++ & mask] = hi;
      while (maxTail > maxHead && values[maxQueue[(maxTail - 1) & mask]] < v) maxTail--;
      maxQueue[maxTail++ & mask] = hi;
      sum += values[hi++];
    }
    const size = wantHi - Math.max(0, i - half);
    const min = values[minQueue[minHead & mask]];
    const max = values[maxQueue[maxHead & mask]];
    out[i] = size >= 3 ? (sum - min - max) / (size - 2) : sum / size;
  }
  return out;
}
