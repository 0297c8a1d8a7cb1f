// Rolling medians and trimmed means over finite values in O(n·log w): full windows by window-medians.ts, the short ones at the ends directly.

import { isShared, runOnHelper, sharedFloat64 } from '../parallel/helper.js';
import { lowerBound } from './search.js';
import { windowMedians } from './window-medians.js';

// Below this many points one sorted window is quick enough, and its little code warms up sooner: a short log starts faster
const BLOCK_METHOD_MIN = 20_000;
// From a million points the second thread takes half the windows: its start (tens of ms) is then a small part of the work
const PARALLEL_MIN = 1 << 20;

/** A multiset of numbers kept sorted, for short curves and the short windows at a curve's ends. */
class SortedWindow {
  private readonly data: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }

  insert(x: number): void {
    const at = lowerBound(this.data, x, 0, this.size);
    this.data.copyWithin(at + 1, at, this.size);
    this.data[at] = x;
    this.size++;
  }

  remove(x: number): void {
    const at = lowerBound(this.data, x, 0, this.size);
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
  const w = 2 * half + 1;
  const parallel = n >= PARALLEL_MIN && isShared(values);
  const out = parallel ? sharedFloat64(n) : new Float64Array(n);
  if (n < w || n < BLOCK_METHOD_MIN) {
    medianRange(values, half, half, out, 0, n);
    return out;
  }
  // out[i] for i in [half, n − half) is the full window starting at i − half; the ends have shorter ones
  if (parallel) halvedWindowMedians(values, w, out, half);
  else windowMedians(values, w, out, half);
  medianRange(values, half, half, out, 0, half);
  medianRange(values, half, half, out, n - half, n);
  return out;
}

/** out[at + s] = median of values[s, s + w), as windowMedians: the rolling median's second half (src/worker.ts registers its runner). */
export interface MediansTask {
  kind: 'medians';
  values: Float64Array;
  w: number;
  out: Float64Array;
  at: number;
}

/**
 * windowMedians with the later half of the windows given to the helper thread (each window's median is
 * its own, whoever computes it); this thread does them all if the helper cannot.
 */
function halvedWindowMedians(values: Float64Array, w: number, out: Float64Array, at: number): void {
  const split = (values.length - w + 1) >> 1; // windows starting before this are this thread's
  const second: MediansTask = { kind: 'medians', values: values.subarray(split), w, out, at: at + split };
  const helper = runOnHelper(second);
  windowMedians(values.subarray(0, split + w - 1), w, out, at);
  if (!helper?.wait()) windowMedians(second.values, w, out, second.at);
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
 * The smallest and largest value of every full window of w, by van Herk and Gil-Werman's method: with
 * the input cut into blocks of w, a window is a block's tail and the next block's head, so it is the
 * extreme of one suffix and one prefix, each computed once per block. Three comparisons per value,
 * whatever the data. Windows must be asked for in order of their start.
 */
class WindowExtremes {
  private block = -1;
  private readonly suffixMin: Float64Array;
  private readonly suffixMax: Float64Array;
  private readonly prefixMin: Float64Array;
  private readonly prefixMax: Float64Array;

  constructor(private readonly values: Float64Array, private readonly w: number) {
    this.suffixMin = new Float64Array(w);
    this.suffixMax = new Float64Array(w);
    this.prefixMin = new Float64Array(w);
    this.prefixMax = new Float64Array(w);
  }

  /** Sets min and max of values[s, s+w) on `out`. */
  at(s: number, out: { min: number; max: number }): void {
    const w = this.w;
    const block = Math.floor(s / w);
    if (block !== this.block) this.load(block);
    const k = s - block * w;
    if (k === 0) {
      out.min = this.suffixMin[0];
      out.max = this.suffixMax[0];
    } else {
      out.min = Math.min(this.suffixMin[k], this.prefixMin[k - 1]);
      out.max = Math.max(this.suffixMax[k], this.prefixMax[k - 1]);
    }
  }

  private load(block: number): void {
    const { values, w } = this;
    const from = block * w;
    const n = values.length;
    this.block = block;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = w - 1; k >= 0; k--) {
      const v = from + k < n ? values[from + k] : NaN;
      if (v === v) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      this.suffixMin[k] = lo;
      this.suffixMax[k] = hi;
    }
    lo = Infinity;
    hi = -Infinity;
    for (let k = 0; k < w; k++) {
      const at = from + w + k;
      if (at < n) { lo = Math.min(lo, values[at]); hi = Math.max(hi, values[at]); }
      this.prefixMin[k] = lo;
      this.prefixMax[k] = hi;
    }
  }
}

/**
 * Centred moving average without the window's smallest and largest value (half-width `half`, shrinking
 * at the ends): a single spike does not move it, and an alternating curve still averages to its middle.
 * The sum is kept in the same order of additions and subtractions as ever, so the result does not move
 * in the last bit; the extremes of full windows come from WindowExtremes, those of the short ones at
 * the ends from a look at their few values.
 */
export function centredTrimmedMean(values: Float64Array, half: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const w = 2 * half + 1;
  const extremes = new WindowExtremes(values, w);
  const window = { min: 0, max: 0 };
  let sum = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const leaving = i - half - 1;
    if (leaving >= 0) sum -= values[leaving];
    const wantHi = Math.min(n, i + half + 1);
    while (hi < wantHi) sum += values[hi++];
    const from = Math.max(0, i - half);
    const size = wantHi - from;
    if (size === w) extremes.at(from, window);
    else {
      window.min = Infinity;
      window.max = -Infinity;
      for (let k = from; k < wantHi; k++) {
        window.min = Math.min(window.min, values[k]);
        window.max = Math.max(window.max, values[k]);
      }
    }
    out[i] = size >= 3 ? (sum - window.min - window.max) / (size - 2) : sum / size;
  }
  return out;
}
