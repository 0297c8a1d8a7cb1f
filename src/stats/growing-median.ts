// The median of a set of values that only grows, kept sorted: the number median() gives for the same values (a zero's sign aside), without a selection per question.

import { lowerBound } from './search.js';

export class GrowingMedian {
  private readonly sorted: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.sorted = new Float64Array(capacity);
  }

  /** Adds x; a non-finite value is skipped, as median() skips it. */
  add(x: number): void {
    if (!Number.isFinite(x)) return;
    const at = lowerBound(this.sorted, x, 0, this.size);
    this.sorted.copyWithin(at + 1, at, this.size);
    this.sorted[at] = x;
    this.size++;
  }

  /** The median, interpolated between the two middle values as quantile() does; NaN when empty. */
  median(): number {
    const n = this.size;
    if (n === 0) return NaN;
    const pos = 0.5 * (n - 1);
    const lower = Math.floor(pos);
    const low = this.sorted[lower];
    return pos === lower ? low : low + (pos - lower) * (this.sorted[lower + 1] - low);
  }
}
