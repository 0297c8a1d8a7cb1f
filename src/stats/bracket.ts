// Exact quantiles of millions of values without copying them all: a sample brackets the answer, one pass keeps what falls inside.

import { valueAtRank } from './select.js';

// A sample of 2^14 values puts the wanted rank within a few hundred sample ranks of its place; the
// bracket then keeps a few percent of the values (a 10^7-point curve: a few MB, not 80)
const SAMPLE = 1 << 14;
const MARGIN_SIGMAS = 5; // the bracket reaches five binomial standard deviations each side: it misses about never
const MIN_BRACKET = 64; // and never fewer sample ranks than this, for extreme q

/**
 * Where the k-th of `SAMPLE` sample values is taken among `n`: evenly spaced strata with a fixed
 * pseudo-random offset in each, so a curve that repeats with the stride is not sampled at one phase.
 */
export function samplePosition(k: number, n: number, samples: number): number {
  const stride = n / samples;
  const offset = ((k * 2654435761) >>> 0) / 2 ** 32; // Knuth's multiplicative hash: deterministic, well spread
  return Math.min(n - 1, Math.floor((k + offset) * stride));
}

/**
 * Quantile q of a stream of values (non-finite ones skipped), exactly as quantile() gives it for the
 * same values in an array. The caller first hands in a sample (values at `samplePosition` for k below
 * `BracketedQuantile.SAMPLE`), then offers every value once with `add`; `result` is the quantile, or
 * undefined in the rare case the bracket missed (the caller then takes the slow way).
 */
export class BracketedQuantile {
  static readonly SAMPLE = SAMPLE;
  private lo = -Infinity;
  private hi = Infinity;
  private finite = 0;
  private below = 0;
  private inside: Float64Array;
  private kept = 0;

  constructor(private readonly q: number, sample: Float64Array, total: number) {
    const s = sample.filter(Number.isFinite).sort();
    const m = s.length;
    this.inside = new Float64Array(1024);
    if (m === 0) return; // no bracket: every value is kept (the caller's sample said nothing)
    const rank = q * (m - 1);
    const margin = Math.max(MIN_BRACKET, Math.ceil(MARGIN_SIGMAS * Math.sqrt(m * Math.max(q * (1 - q), 1 / m))));
    const loRank = Math.floor(rank) - margin;
    const hiRank = Math.ceil(rank) + margin;
    if (loRank >= 0) this.lo = s[loRank];
    if (hiRank < m) this.hi = s[hiRank];
    // room for the expected share of the values, doubled; it grows if that was not enough
    this.inside = new Float64Array(Math.max(1024, Math.ceil(((2 * (hiRank - loRank + 1)) / m) * total)));
  }

  add(x: number): void {
    if (!Number.isFinite(x)) return;
    this.finite++;
    if (x < this.lo) this.below++;
    else if (x <= this.hi) {
      if (this.kept === this.inside.length) this.grow();
      this.inside[this.kept++] = x;
    }
  }

  /** The quantile (NaN when no value was finite), or undefined when the wanted ranks fell outside the bracket. */
  result(): number | undefined {
    if (this.finite === 0) return NaN;
    const pos = this.q * (this.finite - 1);
    const lower = Math.floor(pos);
    const upper = pos === lower ? lower : lower + 1;
    if (lower < this.below || upper >= this.below + this.kept) return undefined;
    // the same order statistics as in the whole array, at ranks shifted by the values below the bracket
    return valueAtRank(this.inside, this.kept, pos, this.below);
  }

  private grow(): void {
    const bigger = new Float64Array(this.inside.length * 2);
    bigger.set(this.inside);
    this.inside = bigger;
  }
}

/**
 * Quantile q of the finite values of a[from, to), as quantile() gives it, for a range too long to copy:
 * the bracketed pass, or (if the bracket missed) a copy of the finite values after all.
 */
export function largeQuantile(a: ArrayLike<number>, q: number, from: number, to: number): number {
  const n = to - from;
  const sample = new Float64Array(SAMPLE);
  for (let k = 0; k < SAMPLE; k++) sample[k] = a[from + samplePosition(k, n, SAMPLE)];
  const bracket = new BracketedQuantile(q, sample, n);
  for (let i = from; i < to; i++) bracket.add(a[i]);
  const result = bracket.result();
  if (result !== undefined) return result;
  let count = 0;
  const finite = new Float64Array(n);
  for (let i = from; i < to; i++) if (Number.isFinite(a[i])) finite[count++] = a[i];
  return count === 0 ? NaN : valueAtRank(finite, count, q * (count - 1), 0);
}
