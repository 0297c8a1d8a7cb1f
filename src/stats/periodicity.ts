// The strongest repeating period of a series: for each candidate period P, the series minus its moving average over P, correlated with itself P later.

/** At most this many points are searched: longer series are averaged in groups first (O(m²) candidates × points). */
export const MAX_POINTS = 1024;

export interface Period {
  /** The period in points of the series given (not of the averaged one). */
  period: number;
  /** Correlation of the detrended series with itself one period later (1 = the same shape every period). */
  acf: number;
  /** The same half a period later: a repeating shape is out of phase with itself there (a sawtooth wave gives −0.5). */
  acfHalf: number;
  /** Root mean square of the detrended series: how large the repeating part is, in the series' units. */
  amplitude: number;
  /**
   * Share of the whole cycles whose detrended shape correlates positively with the mean shape of the others:
   * a real period repeats in every cycle, where two isolated events one period apart (two LR cuts) match only theirs.
   */
  consistency: number;
}

/** Means of consecutive groups of `group` points (the last group may be shorter). */
function groupMeans(x: ArrayLike<number>, group: number): Float64Array {
  const out = new Float64Array(Math.ceil(x.length / group));
  for (let g = 0; g < out.length; g++) {
    let sum = 0;
    const to = Math.min(x.length, (g + 1) * group);
    for (let i = g * group; i < to; i++) sum += x[i];
    out[g] = sum / (to - g * group);
  }
  return out;
}

/** Pearson correlation of r[i] and r[i + lag] over i in [from, to − lag). */
function lagCorrelation(r: Float64Array, lag: number, from: number, to: number): number {
  let sab = 0, saa = 0, sbb = 0, sa = 0, sb = 0, k = 0;
  for (let i = from; i + lag < to; i++) {
    const a = r[i], b = r[i + lag];
    sa += a; sb += b; sab += a * b; saa += a * a; sbb += b * b; k++;
  }
  if (k < 2) return 0;
  const cov = sab - (sa * sb) / k;
  const va = saa - (sa * sa) / k, vb = sbb - (sb * sb) / k;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * The period P in [minPeriod, points / minRepeats] whose detrended series repeats best. A moving average
 * over exactly one period turns "a trend plus a shape that repeats every P" into the trend alone, so the
 * residual is the repeating shape (plus noise) whatever the trend does; its correlation one period later is
 * near 1 for a real period and near 0 for noise. Of periods scoring within 90% of the best, the shortest that
 * repeats in `minConsistency` of its cycles wins, since every multiple of a period repeats too (else the best
 * scoring, with its consistency, for the caller to judge). Finite values only (the caller filters).
 */
export function strongestPeriod(x: ArrayLike<number>, minPeriod: number, minRepeats: number, minConsistency = 0.75): Period | undefined {
  const group = Math.max(1, Math.ceil(x.length / MAX_POINTS));
  const y = group > 1 ? groupMeans(x, group) : Float64Array.from(x);
  const m = y.length;
  const prefix = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) prefix[i + 1] = prefix[i] + y[i];
  const residual = new Float64Array(m);
  const lowest = Math.max(2, Math.ceil(minPeriod / group));
  const candidates: Period[] = [];
  for (let P = lowest; P * minRepeats <= m; P++) {
    const back = Math.floor(P / 2);
    // residual over the points whose whole window lies inside the series
    const from = back, to = m - (P - back) + 1;
    if (to - from < 2 * P) continue;
    let sq = 0;
    for (let i = from; i < to; i++) {
      residual[i] = y[i] - (prefix[i - back + P] - prefix[i - back]) / P;
      sq += residual[i] * residual[i];
    }
    const acf = lagCorrelation(residual, P, from, to);
    const acfHalf = P >= 3 ? lagCorrelation(residual, Math.round(P / 2), from, to) : 0;
    candidates.push({ period: P * group, acf, acfHalf, amplitude: Math.sqrt(sq / (to - from)), consistency: 0 });
  }
  if (candidates.length === 0) return undefined;
  const best = Math.max(...candidates.map((c) => c.acf));
  const near = candidates.filter((c) => c.acf >= best - 0.1 * Math.abs(best));
  // shortest first, each cycle check only as far as the first that passes: on noise, hundreds of periods score
  // "near" a best of almost nothing, and checking them all cost megabytes of garbage on a log of 800 points
  for (const c of near) {
    c.consistency = cycleConsistency(y, prefix, c.period / group);
    if (c.consistency >= minConsistency) return c;
  }
  return near.reduce((a, b) => (b.acf > a.acf ? b : a));
}

const CYCLE_MATCH = 0.2; // a cycle "has the shape" when it correlates at least this much with the others' mean shape

/** See Period.consistency: each whole cycle of the detrended series against the mean of all the other cycles. */
function cycleConsistency(y: Float64Array, prefix: Float64Array, P: number): number {
  const back = Math.floor(P / 2);
  const from = back, to = y.length - (P - back) + 1;
  const cycles = Math.floor((to - from) / P);
  if (cycles < 2) return 0;
  const r = new Float64Array(cycles * P);
  for (let k = 0; k < r.length; k++) {
    const i = from + k;
    r[k] = y[i] - (prefix[i - back + P] - prefix[i - back]) / P;
  }
  const sum = new Float64Array(P);
  for (let k = 0; k < r.length; k++) sum[k % P] += r[k];
  const others = new Float64Array(P);
  let matching = 0;
  for (let c = 0; c < cycles; c++) {
    for (let j = 0; j < P; j++) others[j] = (sum[j] - r[c * P + j]) / (cycles - 1);
    if (pearson(r, c * P, others) >= CYCLE_MATCH) matching++;
  }
  return matching / cycles;
}

/** Pearson correlation of a[from .. from + b.length) with b (an offset, not a subarray: no object per cycle). */
function pearson(a: Float64Array, from: number, b: Float64Array): number {
  const n = b.length;
  let sa = 0, sb = 0;
  for (let i = 0; i < n; i++) { sa += a[from + i]; sb += b[i]; }
  const ma = sa / n, mb = sb / n;
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) { ab += (a[from + i] - ma) * (b[i] - mb); aa += (a[from + i] - ma) ** 2; bb += (b[i] - mb) ** 2; }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
