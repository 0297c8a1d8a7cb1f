// Two diagnosed runs → a Comparison: aligned on one axis, where they part, which is lower at the end and at its best validation, and whether that is more than noise.

import type { Report, Verdict } from '../diagnose.js';
import { levelHalfWidth } from '../detect/profile.js';
import { at, fmtStep } from '../format.js';
import { MAD_TO_SIGMA, median, noiseSigma } from '../stats/robust.js';
import { centredMedian, centredTrimmedMean } from '../stats/rolling.js';
import { lowerBound } from '../stats/search.js';
import type { Curve, SeriesName } from '../types.js';
import { stepMapOf, type AxisName, type StepMap } from './axis.js';

export { AXES, isTokensName, tokensCurve, type AxisName } from './axis.js';

// Gaussian noise: |z| > 3 happens by chance 0.27% of the time. Measured (scripts/compare-pairs.ts, README) on 400 pairs
// of healthy generated runs differing only in noise seed: 5 called significant (1.25%), four of them 100-point logs of a
// running average (ρ 0.9, about two independent values in the tail); 1 of the 200 with white noise (z 3.1)
export const SIGNIFICANCE_Z = 3;
// A gap below 0.1% of the loss is two units of the last digit most trainers print a loss with (4 significant digits): no difference anyone can act on
export const MIN_GAP = 0.001;
// A parting is a stretch of bins, every one 2σ apart on the same side to the end: by chance 2.3% per bin, and the stretch holds at least two
export const PART_Z = 2;
const MIN_PART_BINS = 2; // one bin apart at the very end is the tail's own test, not a place where the runs part
// Bin counts tried for the parting, finest first: 2% of the shared span, then coarser until every bin holds points of both runs
const PART_BINS = [50, 25, 12, 6];
const MIN_BIN_POINTS = 2; // a bin's median of one point is that point: it needs two to be a median at all
// The end of a run, as the profile reads it (detect/profile.ts's `end`): its last fifth
export const TAIL_SHARE = 0.2;
const MIN_TAIL_POINTS = 3; // the median of three points is the fewest that one odd value cannot decide
// The noise of a curve is read from at least this many points (flat and sawtooth need 8 to tell "not yet" from "never")
const MIN_NOISE_POINTS = 8;
const SPARSE_POINTS = 30; // a window of 7 (the profile's least) spans a quarter of a 30-point curve and cuts its bend
const MIN_SHARED_POINTS = 3;
const NOTE_SHARE = 0.01; // a run's span beyond the shared one is noted when it is more than 1% of it // fewer points of a run inside the shared span is no curve to compare
// The standard error of a median of n Gaussian values is √(π/2)·σ/√n (the level is a rolling median)
const MEDIAN_SE = Math.sqrt(Math.PI / 2);
// The paired gap is read on a grid of twice the points of the denser run in the window, within these bounds
const GRID_MIN = 16;
const GRID_MAX = 2000;
// Batch means: 10 blocks of the tail's gaps leave 8 degrees of freedom about their line, enough to see slow wander
const BATCHES = 10;
const MIN_BATCH_POINTS = 4; // a block's mean needs a few points of each run, or the level's own smoothing joins the blocks
// Residuals that follow each other (a logged running average) carry fewer independent values: (1+ρ)/(1−ρ) fewer, ρ capped
// here, where the cap's 19× already says "almost one value"
const MAX_RHO = 0.9;
// The wide median spans a twentieth of the run each side: a running average over up to ~30 logs keeps its wander in the residuals
const WIDE_SHARE = 0.05;
// Below this many points a wide window mostly reads the curve's bend (a sparse validation curve): the near noise stands alone
const WIDE_MIN_POINTS = 50;
const RHO_WIDEN = 0.5; // residuals this correlated about the wide median (white noise gives about 0) still hold wander it followed
const MAX_WIDE_HALF = 500; // past a thousand points a window is wider than any trainer's running average

/** A bad pair of runs to compare (no shared steps, no common loss, no tokens column): one line, exit 2. */
export class CompareError extends Error {
  override name = 'CompareError';
}

/** One side of a comparison: the diagnosed run's report and, where the log counts them, its tokens seen per step. */
export interface CompareInput {
  report: Report;
  tokens?: Curve;
}

export interface CompareOptions {
  /** The axis the runs are aligned on (default step): tokens and epoch need that column in both logs. */
  axis?: AxisName;
}

type Side = 'a' | 'b';

/** The difference at the end of the shared span: a median over the tail window of each run. */
export interface FinalComparison {
  /** The tail window, on the axis. */
  from: number;
  to: number;
  a: number;
  b: number;
  /** b against a: b / a − 1 on a log scale, (b − a) / |a| on a linear one. */
  change: number;
  lower: Side | null;
  /** The gap in standard errors of the two medians (each from its curve's own noise). */
  z: number | null;
  /** null when a curve has too few points to know its noise. */
  significant: boolean | null;
}

export interface CurveComparison {
  series: SeriesName;
  /** log: the gap is judged on log-loss (scale-aware); linear when a value is at or below zero. */
  scale: 'log' | 'linear';
  /** The span both runs cover, on the axis. */
  shared: { from: number; to: number };
  final: FinalComparison;
  /** Where the gap starts to stay larger than the noise to the end (the start of the first bin of that stretch). */
  parted_at: { x: number; step_a: number; step_b: number } | null;
  /** Each curve's point-to-point noise: one σ of its log-loss residuals about a rolling median (a share of the loss). */
  noise: { a: number | null; b: number | null };
}

export interface BestVal {
  step: number;
  x: number;
  value: number;
}

/** A run's curve on the axis, inside the shared span: what the chart draws. */
export interface AxisCurve {
  x: Float64Array;
  values: Float64Array;
}

export interface Comparison {
  files: { a: string; b: string };
  axis: AxisName;
  /** The series the chart draws and `parted_at`/`significant` speak of: train when both have one, else val. */
  primary: SeriesName;
  train?: CurveComparison;
  val?: CurveComparison;
  best_val: { a: BestVal | null; b: BestVal | null; lower: Side | null };
  verdicts: { a: { verdict: Verdict; reason: string }; b: { verdict: Verdict; reason: string } };
  notes: string[];
  curves: { a: AxisCurve; b: AxisCurve };
  /** The first step at which each run's compared loss is NaN or Inf (null when it never is): compared only before it. */
  nan_from: { a: number | null; b: number | null };
  /** The two reports compared (diagnose's, on the run it judged). */
  reports: { a: Report; b: Report };
}

/** A curve's finite points on the axis, in axis order, with its y (log-loss or the loss), its level and its noise. */
interface Prepared {
  x: Float64Array;
  steps: Float64Array;
  values: Float64Array;
  y: Float64Array;
  /** Centred rolling median of y (the profile's half-width): the curve without its point-to-point noise. */
  level: Float64Array;
  n: number;
  /** One σ of the residuals of y about the level; NaN with too few points. */
  sigma: number;
  /** How many points one independent value is worth (1 for white noise). */
  inflation: number;
}

function prepare(curve: Curve, map: (s: number) => number, log: boolean): Prepared {
  const keep = (v: number, x: number) => Number.isFinite(v) && Number.isFinite(x) && (!log || v > 0);
  // two passes into typed arrays (a curve may hold millions of points): count, then fill
  let n = 0;
  for (let i = 0; i < curve.values.length; i++) if (keep(curve.values[i], map(curve.steps[i]))) n++;
  let x = new Float64Array(n);
  let steps = new Float64Array(n);
  let values = new Float64Array(n);
  let rising = true;
  for (let i = 0, j = 0; i < curve.values.length; i++) {
    const v = curve.values[i];
    const at = map(curve.steps[i]);
    if (!keep(v, at)) continue;
    x[j] = at;
    steps[j] = curve.steps[i];
    values[j] = v;
    if (j > 0 && at < x[j - 1]) rising = false;
    j++;
  }
  // a counter logged beside the step rises with it; sorted anyway, so a resumed counter cannot break the search
  if (!rising) {
    const idx = Array.from({ length: n }, (_, k) => k).sort((p, q) => x[p] - x[q] || p - q);
    x = Float64Array.from(idx, (k) => x[k]);
    steps = Float64Array.from(idx, (k) => steps[k]);
    values = Float64Array.from(idx, (k) => values[k]);
  }
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) y[j] = log ? Math.log(values[j]) : values[j];
  const level = n > 0 ? symmetricEnds(y, centredMedian(y, levelHalf(n)), levelHalf(n)) : new Float64Array(0);
  const { sigma, inflation } = noiseOf(y, level);
  return { x, steps, values, y, level, n, sigma, inflation };
}

/**
 * The rolling median's first and last `half` points again, on windows that shrink on both sides: a window cut on one
 * side only leans on the trend (the last point's level would be the loss of some logs before it), and the end of a
 * run is where two runs are compared.
 */
function symmetricEnds(y: Float64Array, level: Float64Array, half: number): Float64Array {
  const n = y.length;
  for (let i = 0; i < Math.min(half, n); i++) {
    for (const at of [i, n - 1 - i]) {
      const k = Math.min(half, at, n - 1 - at);
      level[at] = median(y, at - k, at + k + 1);
    }
  }
  return level;
}

/**
 * The level's half-width: the profile's (about 1% of the points, 3 to 25), but a sparse curve (a validation loss
 * logged 10 times) is not flattened: under MIN_NOISE_POINTS its points are its level, under SPARSE_POINTS a median of 3.
 */
function levelHalf(n: number): number {
  return n < MIN_NOISE_POINTS ? 0 : n < SPARSE_POINTS ? 1 : levelHalfWidth(n);
}

/**
 * The noise of a curve: MAD of the residuals about its rolling median, as a σ; and how many points one independent
 * value is worth. That is read twice: about the level itself, and about a median WIDE_SHARE of the run wide, whose
 * residuals keep the slow wander a logged running average has (the level follows it, and a mean of the level
 * carries it). The larger long-run variance σ²·(1+ρ)/(1−ρ) of the two is the one a mean of n points sees.
 */
function noiseOf(y: Float64Array, level: Float64Array): { sigma: number; inflation: number } {
  const n = y.length;
  if (n < MIN_NOISE_POINTS) return { sigma: NaN, inflation: 1 };
  const near = residualNoise(y, level);
  // a rolling median over a curve whose trend moves more per point than its noise (a sparse validation curve) is the
  // point itself and reads no residual: second differences, which a straight trend cancels, see that noise
  const sigma = Math.max(near.sigma, noiseSigma(y));
  if (!(sigma > 0)) return { sigma: 0, inflation: 1 };
  let longRun = sigma ** 2 * near.inflation;
  // about a median, a smooth stretch (a running average) reads no residual at all, the median being the point itself:
  // the wide smoother is a trimmed mean, and only the points with a full window are read (a short one leans on the trend)
  for (let half = Math.max(levelHalfWidth(n), Math.round(n * WIDE_SHARE)); n >= WIDE_MIN_POINTS; half *= 2) {
    const h = Math.min(MAX_WIDE_HALF, half);
    const wide = residualNoise(y, centredTrimmedMean(y, h), h, n - h);
    longRun = Math.max(longRun, wide.sigma ** 2 * wide.inflation);
    // residuals still strongly correlated: the wander is slower still, so the window is widened
    if (wide.rho < RHO_WIDEN || 2 * half > n / 4 || h >= MAX_WIDE_HALF) break;
  }
  return { sigma, inflation: longRun / sigma ** 2 };
}

/** σ of the residuals of y about a smooth version (MAD), and (1+ρ)/(1−ρ) of their lag-1 correlation ρ (clipped at 4σ, so one spike cannot decide). */
function residualNoise(y: Float64Array, smooth: Float64Array, from = 0, to = y.length): { sigma: number; inflation: number; rho: number } {
  const n = Math.max(0, to - from);
  if (n < MIN_NOISE_POINTS) return { sigma: 0, inflation: 1, rho: 0 };
  const r = new Float64Array(n);
  const abs = new Float64Array(n);
  for (let i = 0; i < n; i++) { r[i] = y[from + i] - smooth[from + i]; abs[i] = Math.abs(r[i]); }
  const sigma = MAD_TO_SIGMA * median(abs);
  if (!(sigma > 0)) return { sigma: 0, inflation: 1, rho: 0 };
  const clip = (v: number) => Math.max(-4 * sigma, Math.min(4 * sigma, v));
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const c = clip(r[i]);
    den += c * c;
    if (i > 0) num += c * clip(r[i - 1]);
  }
  const rho = Math.min(MAX_RHO, den > 0 ? num / den : 0);
  return { sigma, inflation: rho > 0 ? (1 + rho) / (1 - rho) : 1, rho };
}

/** The level at x, linear between the points around it (a curve's own ends outside them). */
function levelAt(p: Prepared, x: number): number {
  const i = lowerBound(p.x, x);
  if (i >= p.n) return p.level[p.n - 1];
  if (i === 0 || p.x[i] === x) return p.level[i];
  const t = (x - p.x[i - 1]) / (p.x[i] - p.x[i - 1]);
  return p.level[i - 1] + t * (p.level[i] - p.level[i - 1]);
}

function countIn(p: Prepared, from: number, to: number): number {
  let j = lowerBound(p.x, to);
  while (j < p.n && p.x[j] === to) j++;
  return j - lowerBound(p.x, from);
}

/** The standard error of a mean of the level over n points of this curve (the level is a median: √(π/2) of a mean's). */
function standardError(p: Prepared, n: number): number {
  return MEDIAN_SE * p.sigma * Math.sqrt(p.inflation / Math.max(1, n));
}

/** Back from the log scale. */
function lossOf(y: number, log: boolean): number {
  return log ? Math.exp(y) : y;
}

/**
 * The two levels over [from, to], paired at the same x: each run's mean level there and the mean gap, with the gap's
 * standard error from each curve's noise and the points it has in the window. Pairing at equal x cancels the trend
 * both runs share; a median of a falling stretch would instead scatter with the fall.
 */
function gapOver(a: Prepared, b: Prepared, from: number, to: number): { a: number; b: number; gap: number; na: number; nb: number; se: number; d: Float64Array } {
  const na = countIn(a, from, to);
  const nb = countIn(b, from, to);
  const g = Math.min(GRID_MAX, Math.max(GRID_MIN, 2 * Math.max(na, nb)));
  const d = new Float64Array(g);
  let sa = 0;
  let sb = 0;
  for (let k = 0; k < g; k++) {
    const x = g === 1 ? from : from + ((to - from) * k) / (g - 1);
    const la = levelAt(a, x);
    const lb = levelAt(b, x);
    sa += la;
    sb += lb;
    d[k] = lb - la;
  }
  return { a: sa / g, b: sb / g, gap: (sb - sa) / g, na, nb, se: Math.hypot(standardError(a, na), standardError(b, nb)), d };
}

/**
 * The gap's standard error from the gap itself (batch means): the window's paired gaps cut into blocks, their means
 * about a straight line (a gap that grows is no noise), scattered as noise the model of white residuals cannot see
 * (slow wander, a logged running average). Undefined when a block would hold too few points of a run.
 */
function batchError(d: Float64Array, na: number, nb: number): number | undefined {
  if (Math.min(na, nb) < BATCHES * MIN_BATCH_POINTS) return undefined;
  const means = new Float64Array(BATCHES);
  for (let j = 0; j < BATCHES; j++) {
    const i0 = Math.floor((j * d.length) / BATCHES);
    const i1 = Math.floor(((j + 1) * d.length) / BATCHES);
    let s = 0;
    for (let i = i0; i < i1; i++) s += d[i];
    means[j] = s / Math.max(1, i1 - i0);
  }
  const mid = (BATCHES - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let mean = 0;
  for (let j = 0; j < BATCHES; j++) mean += means[j] / BATCHES;
  for (let j = 0; j < BATCHES; j++) { sxy += (j - mid) * (means[j] - mean); sxx += (j - mid) ** 2; }
  const slope = sxy / sxx;
  let ss = 0;
  for (let j = 0; j < BATCHES; j++) ss += (means[j] - mean - slope * (j - mid)) ** 2;
  return Math.sqrt(ss / (BATCHES - 2) / BATCHES);
}

function compareCurves(series: SeriesName, a: Prepared, b: Prepared, log: boolean, shared: { from: number; to: number }): CurveComparison {
  // the tail: the last fifth of the span, widened until it holds a few points of each run
  let from = shared.to - TAIL_SHARE * (shared.to - shared.from);
  for (const p of [a, b]) {
    let end = lowerBound(p.x, shared.to);
    while (end < p.n && p.x[end] === shared.to) end++;
    const k = end - MIN_TAIL_POINTS;
    if (k >= 0 && p.x[k] < from) from = Math.max(shared.from, p.x[k]);
  }
  // from the first point either run logged in the window, so the window reads as the log's own steps
  from = Math.min(...[a, b].map((p) => p.x[Math.min(p.n - 1, lowerBound(p.x, from))]).filter((x) => x >= from && x <= shared.to), shared.to);
  const tail = gapOver(a, b, from, shared.to);
  const known = Number.isFinite(a.sigma) && Number.isFinite(b.sigma);
  const batch = known ? batchError(tail.d, tail.na, tail.nb) : undefined;
  const se = Math.max(tail.se, batch ?? 0);
  const gap = tail.gap;
  const z = known ? (se > 0 ? gap / se : gap === 0 ? 0 : Math.sign(gap) * Infinity) : null;
  const relative = log ? Math.abs(gap) : Math.abs(gap) / Math.max(Math.abs(tail.a), 1e-12);
  const significant = z === null ? null : Math.abs(z) > SIGNIFICANCE_Z && relative > MIN_GAP;
  const final: FinalComparison = {
    from, to: shared.to,
    a: lossOf(tail.a, log), b: lossOf(tail.b, log),
    change: log ? Math.expm1(gap) : gap / Math.max(Math.abs(tail.a), 1e-12),
    lower: gap < 0 ? 'b' : gap > 0 ? 'a' : null,
    z,
    significant,
  };
  // the noise the model missed at the end (se / model) is missed in every bin too
  const widen = tail.se > 0 ? se / tail.se : 1;
  const parted = significant ? partedAt(a, b, log, shared, Math.sign(gap), widen) : null;
  const stepAt = (p: Prepared, x: number) => p.steps[Math.min(p.n - 1, lowerBound(p.x, x))];
  return {
    series,
    scale: log ? 'log' : 'linear',
    shared,
    final,
    parted_at: parted === null ? null : { x: parted, step_a: stepAt(a, parted), step_b: stepAt(b, parted) },
    noise: { a: Number.isFinite(a.sigma) ? a.sigma : null, b: Number.isFinite(b.sigma) ? b.sigma : null },
  };
}

/**
 * The first x from which the gap stays beyond the noise, on the same side as at the end: the span cut into bins
 * (finest first), each bin's paired gap against its standard error; the stretch of bins all apart that reaches the
 * end must hold MIN_PART_BINS. A single noisy point moves the level, a median, by little, and one bin decides nothing.
 */
function partedAt(a: Prepared, b: Prepared, log: boolean, shared: { from: number; to: number }, side: number, widen: number): number | null {
  const span = shared.to - shared.from;
  if (!(span > 0)) return null;
  for (const bins of PART_BINS) {
    const edges = Array.from({ length: bins + 1 }, (_, k) => shared.from + (span * k) / bins);
    const apart: boolean[] = [];
    let usable = true;
    for (let k = 0; k < bins && usable; k++) {
      const cell = gapOver(a, b, edges[k], edges[k + 1]);
      // a bin's count includes a point on its upper edge, which the next bin counts too: a bin needs its own points
      if (cell.na < MIN_BIN_POINTS || cell.nb < MIN_BIN_POINTS) usable = false;
      const size = log ? Math.abs(cell.gap) : Math.abs(cell.gap) / Math.max(Math.abs(cell.a), 1e-12);
      apart.push(Math.sign(cell.gap) === side && Math.abs(cell.gap) > PART_Z * cell.se * widen && size > MIN_GAP);
    }
    if (!usable) continue;
    let first = bins;
    while (first > 0 && apart[first - 1]) first--;
    // at the first step either run logged in that bin, so the place reads as the log's own step
    if (bins - first >= MIN_PART_BINS) return first === 0 ? shared.from : Math.min(...[a, b].map((p) => p.x[Math.min(p.n - 1, lowerBound(p.x, edges[first]))]));
  }
  return null;
}

/** The lowest validation loss inside the shared span, with its step. */
function bestVal(p: Prepared | undefined, shared: { from: number; to: number }): BestVal | null {
  if (!p) return null;
  let best = -1;
  for (let i = lowerBound(p.x, shared.from); i < p.n && p.x[i] <= shared.to; i++) if (best < 0 || p.values[i] < p.values[best]) best = i;
  return best < 0 ? null : { step: p.steps[best], x: p.x[best], value: p.values[best] };
}

function allPositive(curves: Array<Curve | undefined>): boolean {
  return curves.every((c) => !c || c.values.every((v) => !Number.isFinite(v) || v > 0));
}

/** The first step at which a curve's value is not finite, or undefined. */
function firstNonFinite(curve: Curve | undefined): number | undefined {
  if (!curve) return undefined;
  for (let i = 0; i < curve.values.length; i++) if (!Number.isFinite(curve.values[i])) return curve.steps[i];
  return undefined;
}

/**
 * Compares two diagnosed runs on one axis. Throws CompareError when they cannot be compared: no loss series in
 * common, an axis one log has no column for, or no span of that axis both runs cover.
 */
export function compareRuns(a: CompareInput, b: CompareInput, options: CompareOptions = {}): Comparison {
  const axis = options.axis ?? 'step';
  const ra = a.report;
  const rb = b.report;
  const sa = ra.curves;
  const sb = rb.curves;
  const primary: SeriesName | undefined = sa.train && sb.train ? 'train' : sa.val && sb.val ? 'val' : undefined;
  if (!primary) {
    const what = (r: Report) => (r.curves.train ? 'a train loss' : r.curves.val ? 'only a validation loss' : 'no loss');
    throw new CompareError(`${ra.file} has ${what(ra)} and ${rb.file} has ${what(rb)}: no loss series in common to compare`);
  }
  const maps: Record<Side, StepMap> = { a: stepMapOf(axis, sa, a.tokens), b: stepMapOf(axis, sb, b.tokens) };
  for (const side of ['a', 'b'] as const) {
    if (maps[side]) continue;
    const file = side === 'a' ? ra.file : rb.file;
    throw new CompareError(`${file} has no ${axis === 'tokens' ? 'tokens-seen' : 'epoch'} column beside its steps; compare with --x step`);
  }
  const log = allPositive([sa.train, sa.val, sb.train, sb.val]);
  const prep = (curve: Curve | undefined, map: StepMap) => (curve ? prepare(curve, map!, log) : undefined);
  const pa = { train: prep(sa.train, maps.a), val: prep(sa.val, maps.a) };
  const pb = { train: prep(sb.train, maps.b), val: prep(sb.val, maps.b) };
  const ca = pa[primary]!;
  const cb = pb[primary]!;
  const unit = axis === 'step' ? 'steps' : axis === 'tokens' ? 'tokens' : 'epochs';
  const span = (p: Prepared) => (p.n ? `${fmtStep(p.x[0])}–${fmtStep(p.x[p.n - 1])}` : 'none');
  if (ca.n === 0 || cb.n === 0) {
    const empty = ca.n === 0 ? ra.file : rb.file;
    throw new CompareError(`${empty} has no finite ${primary} loss on the ${axis} axis: nothing to compare`);
  }
  const shared = { from: Math.max(ca.x[0], cb.x[0]), to: Math.min(ca.x[ca.n - 1], cb.x[cb.n - 1]) };
  const inside = (p: Prepared) => (shared.from <= shared.to ? countIn(p, shared.from, shared.to) : 0);
  if (inside(ca) < MIN_SHARED_POINTS || inside(cb) < MIN_SHARED_POINTS) {
    const how = shared.from > shared.to ? 'share no' : `share too few ${unit} (at least ${MIN_SHARED_POINTS} points of each are needed in`;
    const tail = shared.from > shared.to ? ` ${unit}` : ` ${fmtStep(shared.from)}–${fmtStep(shared.to)})`;
    throw new CompareError(`${ra.file} (${axis} ${span(ca)}) and ${rb.file} (${axis} ${span(cb)}) ${how}${tail}: compare runs that cover the same ${unit}${axis === 'step' ? ', or align them with --x tokens or --x epoch' : ''}`);
  }

  const comparisons: { train?: CurveComparison; val?: CurveComparison } = {};
  for (const series of ['train', 'val'] as const) {
    const x = pa[series];
    const y = pb[series];
    if (!x || !y || x.n === 0 || y.n === 0) continue;
    // each series on the span both of its curves cover (validation may start later than train)
    const own = { from: Math.max(x.x[0], y.x[0]), to: Math.min(x.x[x.n - 1], y.x[y.n - 1]) };
    if (series !== primary && (own.from > own.to || countIn(x, own.from, own.to) < MIN_SHARED_POINTS || countIn(y, own.from, own.to) < MIN_SHARED_POINTS)) continue;
    comparisons[series] = compareCurves(series, x, y, log, series === primary ? shared : own);
  }
  const valSpan = comparisons.val?.shared ?? shared;
  const bestA = bestVal(pa.val, valSpan);
  const bestB = bestVal(pb.val, valSpan);
  const lowerBest: Side | null = bestA && bestB ? (bestB.value < bestA.value ? 'b' : bestA.value < bestB.value ? 'a' : null) : null;

  const notes = notesOf(a, b, axis, primary, { a: ca, b: cb }, shared, log);
  const window = (p: Prepared): AxisCurve => {
    const i = lowerBound(p.x, shared.from);
    let j = lowerBound(p.x, shared.to);
    while (j < p.n && p.x[j] === shared.to) j++;
    return { x: p.x.subarray(i, j), values: p.values.subarray(i, j) };
  };
  return {
    files: { a: ra.file, b: rb.file },
    axis,
    primary,
    ...comparisons,
    best_val: { a: bestA, b: bestB, lower: lowerBest },
    verdicts: { a: { verdict: ra.verdict, reason: ra.verdict_reason }, b: { verdict: rb.verdict, reason: rb.verdict_reason } },
    notes,
    curves: { a: window(ca), b: window(cb) },
    nan_from: { a: firstNonFinite(sa[primary]) ?? null, b: firstNonFinite(sb[primary]) ?? null },
    reports: { a: ra, b: rb },
  };
}

function notesOf(
  a: CompareInput, b: CompareInput, axis: AxisName, primary: SeriesName, p: Record<Side, Prepared>, shared: { from: number; to: number }, log: boolean,
): string[] {
  const notes: string[] = [];
  const unit = axis === 'step' ? 'step' : axis === 'tokens' ? 'tokens' : 'epoch';
  const where = (x: number) => (axis === 'tokens' ? `${fmtStep(x)} tokens` : `${unit} ${fmtStep(x)}`);
  for (const [side, input] of [['a', a], ['b', b]] as const) {
    const r = input.report;
    if (r.runs.count > 1) notes.push(`${r.file} holds ${r.runs.count} runs: compared run ${r.runs.diagnosed}, the one diagnose judges`);
    const bad = firstNonFinite(r.curves[primary]);
    if (bad !== undefined) notes.push(`${r.file}: the ${primary} loss is NaN or Inf from ${at(r.series.step, bad)}; compared on its finite points`);
    const end = p[side].x[p[side].n - 1];
    if (end > shared.to + NOTE_SHARE * (shared.to - shared.from)) notes.push(`${r.file} goes on to ${where(end)}; both are compared up to ${where(shared.to)}, the last both reach`);
    const start = p[side].x[0];
    // a run that starts a log or two earlier (step 0 beside step 1) is not worth a note
    if (start < shared.from - NOTE_SHARE * (shared.to - shared.from)) notes.push(`${r.file} starts at ${where(start)}; both are compared from ${where(shared.from)}`);
  }
  if (!log) notes.push('a loss at or below zero: the runs are compared on the loss itself, not its log');
  if (axis === 'step' && a.tokens && b.tokens) notes.push('both logs count tokens seen: --x tokens aligns them by tokens, fairer when their batch sizes differ');
  return notes;
}
