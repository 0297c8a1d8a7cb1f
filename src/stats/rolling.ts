// Rolling medians over finite values in O(n·log w + n·w/8): a sorted window updated by binary search and block moves.

/** A multiset of numbers kept sorted, for a sliding window. */
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

  min(): number {
    return this.data[0];
  }

  max(): number {
    return this.data[this.size - 1];
  }

  median(): number {
    const h = this.size >>> 1;
    return this.size % 2 ? this.data[h] : (this.data[h - 1] + this.data[h]) / 2;
  }
}

/**
 * Centred rolling median with half-width `half` (window 2·half+1, shrinking at the ends).
 * Values must be finite: callers pass the finite points of a curve.
 */
export function centredMedian(values: Float64Array, half: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const window = new SortedWindow(2 * half + 1);
  let hi = 0; // next index to enter
  for (let i = 0; i < n; i++) {
    // leave before entering: the window never holds more than 2·half+1 values
    const leaving = i - half - 1;
    if (leaving >= 0) window.remove(values[leaving]);
    const wantHi = Math.min(n, i + half + 1);
    while (hi < wantHi) window.insert(values[hi++]);
    out[i] = window.median();
  }
  return out;
}

/** out[i] = median of values[i-w, i), the w points before i (fewer near the start; NaN at i = 0). */
export function trailingMedian(values: Float64Array, w: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const window = new SortedWindow(w);
  for (let i = 0; i < n; i++) {
    out[i] = window.size > 0 ? window.median() : NaN;
    if (i - w >= 0) window.remove(values[i - w]);
    window.insert(values[i]);
  }
  return out;
}

/**
 * Centred moving average without the window's smallest and largest value (half-width `half`, shrinking
 * at the ends): a single spike does not move it, and an alternating curve still averages to its middle.
 */
export function centredTrimmedMean(values: Float64Array, half: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const window = new SortedWindow(2 * half + 1);
  let sum = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const leaving = i - half - 1;
    if (leaving >= 0) { window.remove(values[leaving]); sum -= values[leaving]; }
    const wantHi = Math.min(n, i + half + 1);
    while (hi < wantHi) { window.insert(values[hi]); sum += values[hi++]; }
    out[i] = window.size >= 3 ? (sum - window.min() - window.max()) / (window.size - 2) : sum / window.size;
  }
  return out;
}
