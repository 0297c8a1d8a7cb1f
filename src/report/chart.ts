// The terminal chart: curves downsampled by min/max buckets (a one-step spike still shows), drawn by asciichart on round 1-2-5 ticks, layered, both axes labelled.

import asciichart from 'asciichart';
import { firstIndex } from '../stats/search.js';

export interface Layer {
  /** Never falling, as a curve's steps are: the chart finds each column's points by binary search. */
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Colours the layer's cells (identity when colour is off). */
  paint: (text: string) => string;
  /** Dashed lines, so a second curve stays apart from the first without colour. */
  dashed?: boolean;
  /** Dotted lines: the raw curve under its smoothed copy (--smooth), told apart without colour too. */
  faint?: boolean;
}

/** How the y axis is scaled: chosen by the chart (auto), or asked for (--log-y, --linear-y). */
export type YScale = 'auto' | 'log' | 'linear';

/** A stretch of one layer the automatic scale must not flatten: a finding's steps on its curve. */
export interface Keep {
  layer: number;
  from: number;
  to: number;
}

export interface ChartOptions {
  /** Total width in columns, labels included. */
  width: number;
  /** Rows of the plot (the x axis and its labels come below). */
  height: number;
  /** A horizontal line at this loss (the random-guess baseline), drawn when it falls near the curves. */
  baseline?: number;
  paintBaseline: (text: string) => string;
  paintAxis: (text: string) => string;
  paintBad: (text: string) => string;
  /** What the x axis counts ("step", "epoch", "row"), written under the labels. */
  stepName: string;
  /** Default auto. */
  yScale?: YScale;
  /** The window of steps drawn (--from, --to); the whole run when unset. */
  from?: number;
  to?: number;
  /** Findings' stretches that must span several rows (see MIN_FINDING_ROWS). */
  keep?: Keep[];
  /** ASCII characters only (a locale that is not UTF-8, or --ascii). */
  ascii?: boolean;
}

export interface Chart {
  /** The plot rows, the x axis and its labels; empty when there is nothing to draw (see tooShort). */
  lines: string[];
  /** Whether any NaN/Inf column was marked. */
  nanShown: boolean;
  logScale: boolean;
  baselineShown: boolean;
  /** Whether the scale was the chart's own choice (so the axis says log when it chose log). */
  autoScale: boolean;
  /** The value above which curves were cut off so that a finding shows (auto scale only). */
  clippedAbove?: number;
  /** Why no chart was drawn although the layers hold a value (one point, or none in the window). */
  tooShort?: string;
}

const LABEL_WIDTH = 9;
export const NAN_MARK = '×';
export const NAN_MARK_ASCII = 'x';
export const CLIP_MARK = '↑';
export const CLIP_MARK_ASCII = '^';
// curves spanning more than ×50 (11 → 0.2) are read on a log axis, or their end is a flat line
export const LOG_SCALE_RANGE = 50;
// a finding drawn over fewer rows reads as noise: one row is a flat line, two a single step; three show a slope
export const MIN_FINDING_ROWS = 3;
// a label on every row is a wall of digits: from this many rows up, ticks are at least two rows apart
const SPARSE_TICKS_FROM = 4;
// a plot of this many rows or more (the default 14) gets at least three labelled ticks, so the spacing can be read;
// below it, demanding three forces a coarse step (8 rows of 3.1–10.8 would be drawn 0–17.5)
const THREE_TICKS_FROM = 12;
// x labels about this many columns apart read as a scale, not as a row of numbers
const X_TICK_COLUMNS = 10;
// more x labels than this (0, 1k ... 10k) say nothing the others do not
const MAX_X_TICKS = 11;
// lowering a cut-off top: by a fifth each try, a few tries (the layout rounds the row value up by under ×2.5)
const CUT_SHRINK = 0.8;
const CUT_TRIES = 8;

// asciichart's symbols, in its order: axis, axis, two unused, horizontal, four corners (╰ ╭ ╮ ╯), vertical
const SOLID = ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
const DASHED = ['┼', '┤', '╶', '╴', '╌', '╰', '╭', '╮', '╯', '┆'];
const DOTTED = ['┼', '┤', '╶', '╴', '·', '·', '·', '·', '·', '·'];
const BASELINE = ['┼', '┤', '╶', '╴', '┄', '╰', '╭', '╮', '╯', '│'];
const SOLID_ASCII = ['+', '|', '-', '-', '-', "'", '.', '.', "'", '|'];
const DASHED_ASCII = ['+', '|', '-', '-', '~', "'", '.', '.', "'", ':'];
const DOTTED_ASCII = ['+', '|', '-', '-', '.', '.', '.', '.', '.', '.'];
const BASELINE_ASCII = ['+', '|', '-', '-', '=', "'", '.', '.', "'", '|'];

/** The axis characters: a labelled row, an unlabelled one, the corner, the x axis line and its tick mark. */
const AXIS = { tick: '┤', plain: '│', corner: '└', line: '─', mark: '┬' };
const AXIS_ASCII = { tick: '+', plain: '|', corner: '+', line: '-', mark: '+' };

/** The line symbols of each kind of layer, for the chart and its legend. */
export function lineSymbols(ascii: boolean): { solid: string; dashed: string; dotted: string; baseline: string; nan: string; clip: string } {
  return ascii
    ? { solid: '--', dashed: '~~', dotted: '..', baseline: '==', nan: NAN_MARK_ASCII, clip: CLIP_MARK_ASCII }
    : { solid: '──', dashed: '╌╌', dotted: '··', baseline: '┄┄', nan: NAN_MARK, clip: CLIP_MARK };
}

// ---------------------------------------------------------------------------------------------------------------
// Ticks and their labels (exported for every chart of the package: compare's overlay too)

/** 1, 2, 5, 10, 20, 50 ... × 10^e: the steps people read at a glance. */
function stepsAround(range: number, minStep: number): number[] {
  const out: number[] = [];
  const from = Math.floor(Math.log10(Math.max(range, Number.MIN_VALUE))) - 4;
  for (let e = from; e <= from + 8; e++) {
    for (const m of [1, 2, 5]) {
      const s = Number((m * 10 ** e).toPrecision(12));
      if (s >= minStep) out.push(s);
    }
  }
  return out;
}

/** Multiples of `step` from `first` to `last` (whole multiples, so 0.1 × 3 is 0.3, not 0.30000000000000004). */
function multiples(first: number, last: number, step: number): number[] {
  const out: number[] = [];
  // counted, not stepped: past 2^53 first + 1 is first, and a loop on it would never end
  const count = Math.min(MAX_MULTIPLES, Math.round(last - first));
  for (let i = 0; i <= count; i++) out.push(Number(((first + i) * step).toPrecision(12)));
  return out;
}

// no axis is read with more ticks than this; a bound, so a range lost in float rounding cannot make millions
const MAX_MULTIPLES = 1000;

/** Whether hi is above lo by more than float rounding: a range within 1e-12 of the values is drawn as flat. */
function spread(lo: number, hi: number): boolean {
  return hi - lo > Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12;
}

/**
 * Round ticks covering [lo, hi]: multiples of a 1-2-5 step, the first at or below lo and the last at or above hi,
 * at most `maxTicks` of them (at least 2). `minStep`: 1 for a whole-number axis (steps), so no tick falls between.
 */
export function niceTicks(lo: number, hi: number, maxTicks: number, minStep = 0): number[] {
  if (!spread(lo, hi)) hi = lo + Math.max(minStep, Math.abs(lo) * 0.1 || 1);
  const limit = Math.max(2, maxTicks);
  for (const step of stepsAround(hi - lo, minStep)) {
    const first = Math.floor(lo / step + 1e-9);
    const last = Math.ceil(hi / step - 1e-9);
    if (last - first + 1 <= limit) return multiples(first, last, step);
  }
  const step = 10 ** Math.ceil(Math.log10(hi - lo));
  return multiples(Math.floor(lo / step), Math.ceil(hi / step), step);
}

/** The fewest decimals (up to `most`) that write every value exactly enough to tell ticks `spacing` apart. */
function decimalsFor(values: readonly number[], most: number, spacing: number): number {
  for (let d = 0; d < most; d++) {
    if (values.every((v) => Math.abs(Number(v.toFixed(d)) - v) <= 1e-6 * spacing)) return d;
  }
  return most;
}

/** The smallest gap between neighbouring ticks (1 for a single tick). */
function spacingOf(ticks: readonly number[]): number {
  let gap = Infinity;
  for (let i = 1; i < ticks.length; i++) if (Math.abs(ticks[i] - ticks[i - 1]) > 0) gap = Math.min(gap, Math.abs(ticks[i] - ticks[i - 1]));
  return Number.isFinite(gap) ? gap : Math.abs(ticks[0] ?? 1) || 1;
}

const SUFFIXES: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
// fixed decimals beyond this many are hard to tell apart (0.0001 beside 0.0002): exponent form instead
const MAX_FIXED_DECIMALS = 3;

/**
 * One number format for all the ticks of an axis: the same decimals and the same unit suffix for every label
 * (0, 2.5k, 5.0k, 7.5k; 0.50, 0.75, 1.00; 2.0e-4, 4.0e-4), so labels never mix 0.008933 with 6.86e-4. Zero is
 * written 0 when the others carry a suffix or an exponent. `suffix`: thousands as k, M, G (a step axis, big losses).
 */
export function axisFormatter(ticks: readonly number[], suffix = true): (x: number) => string {
  const biggest = Math.max(0, ...ticks.map(Math.abs));
  const smallest = Math.min(Infinity, ...ticks.filter((t) => t !== 0).map(Math.abs));
  // 500, 1000, 1500 reads better than 0.5k, 1.0k, 1.5k; from 10,000 up the digits get too many to count
  const unit = suffix && biggest < 1e15 ? SUFFIXES.find(([u]) => biggest >= u && (smallest >= u || biggest >= 10 * u)) : undefined;
  if (unit) {
    const [size, name] = unit;
    const d = decimalsFor(ticks.map((t) => t / size), MAX_FIXED_DECIMALS, spacingOf(ticks) / size);
    return (x) => (x === 0 ? '0' : `${(x / size).toFixed(d)}${name}`);
  }
  const d = decimalsFor([...ticks], MAX_FIXED_DECIMALS + 1, spacingOf(ticks));
  if (d <= MAX_FIXED_DECIMALS && biggest < 1e5) return (x) => (Math.abs(x) < 0.5 * 10 ** -d ? 0 : x).toFixed(d);
  const nonzero = ticks.filter((t) => t !== 0);
  let md = 0;
  const gap = spacingOf(ticks);
  while (md < 3 && !nonzero.every((t) => Math.abs(Number(t.toExponential(md)) - t) <= 1e-6 * gap)) md++;
  return (x) => (x === 0 ? '0' : x.toExponential(md));
}

/** The y axis: the value of the bottom row, the value a row stands for, and which rows are labelled ticks. */
export interface YLayout {
  /** In scale units: log10 of the loss on a log axis. */
  bottom: number;
  rowValue: number;
  /** Rows between two ticks. */
  rowsPerTick: number;
  /** The row (from the bottom, 0) of the lowest tick. */
  firstTickRow: number;
  /** The tick values in scale units, bottom up; tick i is on row firstTickRow + i × rowsPerTick. */
  ticks: number[];
}

/**
 * The tightest y layout of `rows` rows holding [lo, hi] whose labelled rows are round 1-2-5 values: a tick step s
 * and k rows per tick, so each row stands for s/k and every tick falls exactly on a row. `minStep`: 1 on a log
 * axis (decades).
 */
export function yLayout(lo: number, hi: number, rows: number, minStep = 0): YLayout {
  const intervals = Math.max(1, rows - 1);
  if (!spread(lo, hi)) {
    hi = lo;
    // one value: put it in the middle, a round step above and below
    const ticks = niceTicks(lo, lo, 2, minStep);
    const pad = Math.max(minStep, ticks[1] - ticks[0]);
    lo -= pad / 2;
    hi += pad / 2;
  }
  const fewest = intervals >= SPARSE_TICKS_FROM ? 2 : 1;
  const ticksWanted = intervals >= THREE_TICKS_FROM ? 3 : 2;
  let best: YLayout | undefined;
  for (const s of stepsAround((hi - lo) / intervals, minStep)) {
    for (let k = fewest; k <= intervals; k++) {
      const rowValue = s / k;
      if (best && rowValue > best.rowValue * (1 + 1e-9)) continue;
      const bottomRow = Math.floor(lo / rowValue + 1e-9);
      const bottom = bottomRow * rowValue;
      if (bottom + intervals * rowValue < hi - 1e-9 * (hi - lo)) continue;
      const firstTick = Math.ceil(bottomRow / k - 1e-9);
      const lastTick = Math.floor((bottomRow + intervals) / k + 1e-9);
      if (lastTick - firstTick + 1 < ticksWanted) continue;
      // tightest first; of equally tight, ticks about three rows apart
      if (best && rowValue > best.rowValue * (1 - 1e-9) && Math.abs(k - 3) >= Math.abs(best.rowsPerTick - 3)) continue;
      best = { bottom, rowValue, rowsPerTick: k, firstTickRow: firstTick * k - bottomRow, ticks: multiples(firstTick, lastTick, s) };
    }
  }
  if (best) return best;
  // nothing fits (a range beyond the steps tried): the bottom and the top row labelled
  const rowValue = (hi - lo) / intervals;
  return { bottom: lo, rowValue, rowsPerTick: intervals, firstTickRow: 0, ticks: [lo, hi] };
}

// ---------------------------------------------------------------------------------------------------------------
// The chart

/** The points of [i0, i1) of a curve, as a view when it is a typed array. */
function cut(a: ArrayLike<number>, i0: number, i1: number): ArrayLike<number> {
  const typed = a as Float64Array;
  return typeof typed.subarray === 'function' ? typed.subarray(i0, i1) : Array.prototype.slice.call(a, i0, i1);
}

/**
 * The first point of each of `parts` equal stretches of [from, to] in steps, and the end: the point ranges
 * a loop over `i` with `part(i) = clamp(floor((steps[i] − from) / span · parts))` would give each part.
 * Steps must not decrease (a curve's never do), which makes part(i) monotone, so a binary search with the
 * same formula finds each boundary: long curves are then walked without a division per point.
 */
function partStarts(steps: ArrayLike<number>, from: number, to: number, parts: number): Int32Array {
  const span = to - from || 1;
  const part = (i: number) => Math.min(parts - 1, Math.max(0, Math.floor(((steps[i] - from) / span) * parts)));
  const starts = new Int32Array(parts + 1);
  for (let b = 0; b <= parts; b++) {
    starts[b] = firstIndex(b === 0 ? 0 : starts[b - 1], steps.length, (i) => part(i) >= b);
  }
  starts[parts] = steps.length;
  return starts;
}

/**
 * One layer's points, column by column: the lowest and highest finite value and where each is, and whether
 * the column holds any point. One pass over the values gives the y range, the samples and the NaN marks.
 */
interface ColumnStats {
  lo: Float64Array;
  hi: Float64Array;
  loAt: Int32Array;
  hiAt: Int32Array;
  points: Uint8Array;
}

function columnStats(values: ArrayLike<number>, starts: Int32Array, columns: number): ColumnStats {
  const stats = {
    lo: new Float64Array(columns).fill(NaN), hi: new Float64Array(columns).fill(NaN),
    loAt: new Int32Array(columns), hiAt: new Int32Array(columns), points: new Uint8Array(columns),
  };
  for (let c = 0; c < columns; c++) {
    let lo = NaN;
    let hi = NaN;
    let loAt = 0;
    let hiAt = 0;
    for (let i = starts[c]; i < starts[c + 1]; i++) {
      const v = values[i];
      if (!(v > -Infinity && v < Infinity)) continue; // NaN fails too
      if (!(v >= lo)) { lo = v; loAt = i; }
      if (!(v <= hi)) { hi = v; hiAt = i; }
    }
    stats.lo[c] = lo;
    stats.hi[c] = hi;
    stats.loAt[c] = loAt;
    stats.hiAt[c] = hiAt;
    stats.points[c] = starts[c + 1] > starts[c] ? 1 : 0;
  }
  return stats;
}

/**
 * Samples per column, in rows above the bottom (clamped to the plot; `clipped` marks the columns cut at the top):
 * bucket k covers two columns, its extreme values in the order they occur. NaN outside the curve.
 */
function sample(stats: ColumnStats, columns: number, y: (v: number) => number, top: number, clipped: Uint8Array): Float64Array {
  const out = new Float64Array(columns).fill(NaN);
  for (let b = 0; b < columns >> 1; b++) {
    // the bucket's first column, then its second where that holds a lower (higher) value: the first of equals wins
    let lo = stats.lo[2 * b];
    let loAt = stats.loAt[2 * b];
    let hi = stats.hi[2 * b];
    let hiAt = stats.hiAt[2 * b];
    if (Number.isNaN(lo) || stats.lo[2 * b + 1] < lo) { lo = stats.lo[2 * b + 1]; loAt = stats.loAt[2 * b + 1]; }
    if (Number.isNaN(hi) || stats.hi[2 * b + 1] > hi) { hi = stats.hi[2 * b + 1]; hiAt = stats.hiAt[2 * b + 1]; }
    if (Number.isNaN(lo)) continue;
    const loFirst = loAt <= hiAt;
    out[2 * b] = y(loFirst ? lo : hi);
    out[2 * b + 1] = y(loFirst ? hi : lo);
  }
  // join sparse points (an epoch log on a wide chart) with straight lines between the columns that hold data
  let prev = -1;
  for (let c = 0; c < columns; c++) {
    if (Number.isNaN(out[c])) continue;
    for (let g = prev + 1; prev >= 0 && g < c; g++) out[g] = out[prev] + ((out[c] - out[prev]) * (g - prev)) / (c - prev);
    prev = c;
  }
  for (let c = 0; c < columns; c++) {
    if (out[c] > top + 0.5) clipped[c] = 1;
    if (!Number.isNaN(out[c])) out[c] = Math.min(top, Math.max(0, out[c]));
  }
  return out;
}

/** Draws one layer with asciichart on rows 0..rows−1 and returns its grid of plot cells (axis cut off). */
function drawLayer(samples: Float64Array, rows: number, symbols: string[]): string[][] {
  const first = samples.findIndex((v) => !Number.isNaN(v));
  let last = samples.length - 1;
  while (last > first && Number.isNaN(samples[last])) last--;
  // asciichart draws from column 0 and knows no gaps: fill outside the layer, then blank those cells again
  const filled = Array.from(samples, (v, c) => (c < first ? samples[first] : c > last ? samples[last] : v));
  const text: string = asciichart.plot(filled, { min: 0, max: rows - 1, height: rows - 1, format: () => ' ', symbols });
  return text.split('\n').map((row) => {
    const cells = [...row].slice(3);
    return cells.map((ch, c) => (c < first || c > last ? ' ' : ch));
  });
}

/** The lowest and highest finite value of a layer between two steps. */
function rangeBetween(layer: Layer, from: number, to: number): [number, number] {
  const i0 = firstIndex(0, layer.steps.length, (i) => layer.steps[i] >= from);
  const i1 = firstIndex(i0, layer.steps.length, (i) => layer.steps[i] > to);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = i0; i < i1; i++) {
    const v = layer.values[i];
    if (!(v > -Infinity && v < Infinity)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

interface Scaled {
  log: boolean;
  layout: YLayout;
  /** The loss above which the curves are cut off, when they are. */
  clip?: number;
}

/**
 * The y scale: asked for, or chosen. Chosen: log when the curves span more than ×LOG_SCALE_RANGE, linear otherwise,
 * either only if every kept finding spans MIN_FINDING_ROWS rows on it; when neither does (a +31% validation rise
 * under a train loss that fell from 10), a linear axis cut off above, just high enough for the findings to show.
 */
function chooseScale(min: number, max: number, rows: number, options: ChartOptions, spans: Array<[number, number]>): Scaled {
  const linear = (lo: number, hi: number): Scaled => ({ log: false, layout: yLayout(lo, hi, rows) });
  const log = (): Scaled => ({ log: true, layout: yLayout(Math.log10(min), Math.log10(max), rows, 1) });
  const asked = options.yScale ?? 'auto';
  if (asked === 'log') return min > 0 ? log() : linear(min, max);
  if (asked === 'linear') return linear(min, max);
  // the rows the flattest kept finding spans on a scale
  const rowsOf = (s: Scaled) => Math.min(Infinity, ...spans.map(([lo, hi]) => {
    const f = s.log ? Math.log10 : (x: number) => x;
    return (f(hi) - f(lo)) / s.layout.rowValue;
  }));
  const shows = (s: Scaled) => rowsOf(s) >= MIN_FINDING_ROWS;
  const candidates = min > 0 && max / min > LOG_SCALE_RANGE ? [log(), linear(min, max)] : [linear(min, max)];
  const fit = candidates.find(shows);
  if (fit) return fit;
  // cut the top: the smallest rise must span MIN_FINDING_ROWS of the rows, and every finding must fit below the cut
  const smallest = Math.min(...spans.map(([lo, hi]) => hi - lo));
  const highest = Math.max(...spans.map(([, hi]) => hi));
  let top = Math.max(highest, min + (smallest * (rows - 1)) / (MIN_FINDING_ROWS + 1));
  let scaled = linear(min, top);
  // the layout rounds the row value up: lower the cut until the rise shows, while the findings still fit
  for (let tries = 0; tries < CUT_TRIES && !shows(scaled) && top > highest; tries++) {
    top = Math.max(highest, min + (top - min) * CUT_SHRINK);
    scaled = linear(min, top);
  }
  const clip = scaled.layout.bottom + (rows - 1) * scaled.layout.rowValue;
  if (clip < max) candidates.push({ ...scaled, clip });
  // none shows every finding over MIN_FINDING_ROWS: the one that shows the flattest best (the first of equals)
  return candidates.reduce((best, s) => (rowsOf(s) > rowsOf(best) * (1 + 1e-9) ? s : best));
}

export function renderChart(layers: Layer[], options: ChartOptions): Chart {
  const ascii = options.ascii === true;
  const none: Chart = { lines: [], logScale: false, baselineShown: false, nanShown: false, autoScale: (options.yScale ?? 'auto') === 'auto' };
  // the window: the steps asked for, else every logged step, NaN ones too (where a run died is part of the picture)
  let first = Infinity;
  let last = -Infinity;
  for (const { steps } of layers) {
    if (steps.length > 0) {
      first = Math.min(first, steps[0]);
      last = Math.max(last, steps[steps.length - 1]);
    }
  }
  if (first > last) return none;
  const from = options.from ?? first;
  const to = options.to ?? last;
  const windowed = layers.map((layer) => {
    const i0 = firstIndex(0, layer.steps.length, (i) => layer.steps[i] >= from);
    const i1 = firstIndex(i0, layer.steps.length, (i) => layer.steps[i] > to);
    return { ...layer, steps: cut(layer.steps, i0, i1), values: cut(layer.values, i0, i1) };
  });
  const finite = windowed.map((l) => { let n = 0; for (let i = 0; i < l.values.length && n < 2; i++) if (Number.isFinite(l.values[i])) n++; return n; });
  if (Math.max(...finite) === 0) {
    return layers.some((l) => l.values.length > 0) && (options.from !== undefined || options.to !== undefined) ? { ...none, tooShort: 'no point in the window' } : none;
  }
  // whole-number steps get whole-number ticks; the first thousand steps and the last tell (a 10^7-point curve is not walked for it)
  const wholeSteps = windowed.every((l) => { for (let i = 0; i < Math.min(1000, l.steps.length); i++) if (!Number.isInteger(l.steps[i])) return false; return l.steps.length === 0 || Number.isInteger(l.steps[l.steps.length - 1]); });
  const plotWidth = Math.max(16, (options.width - LABEL_WIDTH - 2) & ~1);
  const columns = plotWidth;
  // x: round ticks covering the window, as many as fit under the chart with room between their labels
  let lowStep = Infinity;
  let highStep = -Infinity;
  for (const l of windowed) {
    if (l.steps.length === 0) continue;
    lowStep = Math.min(lowStep, l.steps[0]);
    highStep = Math.max(highStep, l.steps[l.steps.length - 1]);
  }
  const xLo = options.from ?? lowStep;
  const xHi = options.to ?? highStep;
  const xTicks = stepTicks(xLo, xHi, columns, wholeSteps ? 1 : 0);
  const x0 = xTicks[0];
  const x1 = xTicks[xTicks.length - 1];

  // a bucket of two columns per sample: both are read off the same per-column pass (columnStats)
  const stats = windowed.map((l) => columnStats(l.values, partStarts(l.steps, x0, x1, columns), columns));
  const visible = windowed.map((layer, k) => ({ layer, stats: stats[k] })).filter((v) => v.stats.lo.some((y) => !Number.isNaN(y)));
  let min = Infinity;
  let max = -Infinity;
  for (const { lo, hi } of stats) {
    for (let c = 0; c < columns; c++) {
      if (lo[c] < min) min = lo[c];
      if (hi[c] > max) max = hi[c];
    }
  }
  const baseline = options.baseline;
  // the baseline is drawn only when it sits inside (or just above) the curves' range; otherwise it would flatten them
  let baselineShown = baseline !== undefined && baseline >= min && baseline <= max * 1.25;
  if (baselineShown) max = Math.max(max, baseline!);
  const rows = Math.max(3, options.height);
  const spans: Array<[number, number]> = [];
  for (const keep of options.keep ?? []) {
    const layer = windowed[keep.layer];
    if (!layer) continue;
    const [lo, hi] = rangeBetween(layer, keep.from, keep.to);
    if (hi > lo) spans.push([lo, hi]);
  }
  const scaled = chooseScale(min, max, rows, options, spans);
  const { layout, log } = scaled;
  if (scaled.clip !== undefined && baselineShown && baseline! > scaled.clip) baselineShown = false;
  const top = rows - 1;
  const y = (v: number) => ((log ? Math.log10(v) : v) - layout.bottom) / layout.rowValue;

  const grid: string[][] = Array.from({ length: rows }, () => new Array<string>(columns).fill(' '));
  const clipped = new Uint8Array(columns);
  const stack: Array<{ samples: Float64Array; paint: (t: string) => string; symbols: string[] }> = [];
  if (baselineShown) stack.push({ samples: new Float64Array(columns).fill(Math.min(top, Math.max(0, y(baseline!)))), paint: options.paintBaseline, symbols: ascii ? BASELINE_ASCII : BASELINE });
  // later layers are drawn over earlier ones: validation first, so train (the main curve) stays on top; raw under smoothed
  const order = [...visible].reverse().sort((a, b) => Number(b.layer.faint === true) - Number(a.layer.faint === true));
  for (const { layer, stats: columnsOf } of order) {
    const symbols = layer.faint ? (ascii ? DOTTED_ASCII : DOTTED) : layer.dashed ? (ascii ? DASHED_ASCII : DASHED) : (ascii ? SOLID_ASCII : SOLID);
    stack.push({ samples: sample(columnsOf, columns, y, top, clipped), paint: layer.paint, symbols });
  }
  for (const layer of stack) {
    const cells = drawLayer(layer.samples, rows, layer.symbols);
    cells.forEach((row, r) => row.forEach((ch, c) => {
      if (ch !== ' ' && r < grid.length && c < columns) grid[r][c] = layer.paint(ch);
    }));
  }
  // columns cut off at the top say so on the top row
  const clipMark = ascii ? CLIP_MARK_ASCII : CLIP_MARK;
  for (let c = 0; c < columns; c++) if (clipped[c] && scaled.clip !== undefined) grid[0][c] = options.paintBad(clipMark);
  // columns where a curve logged only NaN or Inf get a mark on the bottom row
  const nanMark = ascii ? NAN_MARK_ASCII : NAN_MARK;
  let nanShown = false;
  for (const { lo, points } of stats) {
    for (let c = 0; c < columns; c++) {
      // a column holding non-finite values of the layer and no finite one
      if (points[c] && Number.isNaN(lo[c]) && grid[top][c] === ' ') {
        grid[top][c] = options.paintBad(nanMark);
        nanShown = true;
      }
    }
  }

  // y labels on the tick rows only, all in one format
  const axis = ascii ? AXIS_ASCII : AXIS;
  const values = layout.ticks.map((t) => (log ? 10 ** t : t));
  const yFormat = axisFormatter(values.map((v) => Number(v.toPrecision(12))));
  const lines = grid.map((cells, r) => {
    const fromBottom = top - r;
    const above = fromBottom - layout.firstTickRow;
    const tick = above >= 0 && above % layout.rowsPerTick === 0 ? above / layout.rowsPerTick : -1;
    const label = tick >= 0 && tick < values.length ? yFormat(Number(values[tick].toPrecision(12))) : '';
    return options.paintAxis(`${label.padStart(LABEL_WIDTH).slice(-LABEL_WIDTH)} ${label ? axis.tick : axis.plain}`) + cells.join('');
  });
  // x axis: a tick mark at each labelled column, the labels centred under them
  const column = (t: number) => Math.round(((t - x0) / (x1 - x0 || 1)) * (columns - 1));
  const line = new Array<string>(columns).fill(axis.line);
  for (const t of xTicks) line[column(t)] = axis.mark;
  lines.push(options.paintAxis(' '.repeat(LABEL_WIDTH) + ' ' + axis.corner + line.join('')));
  lines.push(options.paintAxis(options.stepName.slice(0, LABEL_WIDTH).padStart(LABEL_WIDTH)) + '  ' + xLabels(xTicks, column, columns));
  return { lines, logScale: log, baselineShown, nanShown, autoScale: (options.yScale ?? 'auto') === 'auto', clippedAbove: scaled.clip };
}

/**
 * Round step ticks covering [lo, hi] whose labels fit in `columns` with two blanks between them: of those, the ones
 * that stretch the axis least past the steps logged (0–1,200 rather than 0–1,500), then the count nearest one
 * label per X_TICK_COLUMNS.
 */
function stepTicks(lo: number, hi: number, columns: number, minStep: number): number[] {
  const wanted = Math.max(2, Math.min(MAX_X_TICKS, Math.floor(columns / X_TICK_COLUMNS)));
  let best: { ticks: number[]; waste: number; off: number } | undefined;
  for (let most = 2; most <= MAX_X_TICKS; most++) {
    const ticks = niceTicks(lo, hi, most, minStep);
    const format = axisFormatter(ticks);
    const widest = Math.max(...ticks.map((t) => format(t).length));
    if (ticks.length > 2 && (ticks.length - 1) * (widest + 2) > columns - 1) continue;
    // the stretch in twentieths of the range: a few percent either way is no difference to the eye
    const waste = Math.round(((ticks[ticks.length - 1] - ticks[0]) / (hi - lo || 1) - 1) * 20);
    const off = Math.abs(ticks.length - wanted);
    if (!best || waste < best.waste || (waste === best.waste && off < best.off)) best = { ticks, waste, off };
  }
  return best!.ticks;
}

/** The x labels, each centred under its tick (the first and last kept inside the chart). */
function xLabels(ticks: number[], column: (t: number) => number, columns: number): string {
  const format = axisFormatter(ticks);
  const out = new Array<string>(columns).fill(' ');
  let free = 0;
  for (const t of ticks) {
    const label = format(t);
    const start = Math.min(columns - label.length, Math.max(0, column(t) - Math.floor((label.length - 1) / 2)));
    if (start < free) continue;
    for (let k = 0; k < label.length; k++) out[start + k] = label[k];
    free = start + label.length + 1;
  }
  return out.join('').trimEnd();
}

/**
 * TensorBoard's smoothing: an exponential moving average debiased for its start (so the first points are not
 * pulled towards 0), skipping non-finite values, which stay as they are. `weight` in [0, 1): 0 is the raw curve.
 */
export function ema(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    seen++;
    out[i] = weight === 0 ? v : last / (1 - weight ** seen);
  }
  return out;
}
