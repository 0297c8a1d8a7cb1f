// The ASCII chart: curves downsampled by min/max buckets (a one-step spike still shows), drawn by asciichart, layered, with a step axis.

import asciichart from 'asciichart';
import { fmtLoss } from '../format.js';
import { firstIndex } from '../stats/search.js';

export interface Layer {
  /** Never falling, as a curve's steps are: the chart finds each column's points by binary search. */
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Colours the layer's cells (identity when colour is off). */
  paint: (text: string) => string;
  /** Dashed lines, so a second curve stays apart from the first without colour. */
  dashed?: boolean;
}

// asciichart's symbols, in its order: axis, axis, two unused, horizontal, four corners, vertical
const SOLID = ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
const DASHED = ['┼', '┤', '╶', '╴', '╌', '╰', '╭', '╮', '╯', '┆'];

export interface ChartOptions {
  /** Total width in columns, labels included. */
  width: number;
  height: number;
  /** A horizontal line at this loss (the random-guess baseline), drawn when it falls near the curves. */
  baseline?: number;
  paintBaseline: (text: string) => string;
  paintAxis: (text: string) => string;
  paintBad: (text: string) => string;
  /** What the x axis counts ("step", "epoch", "row"), written under the labels. */
  stepName: string;
}

export interface Chart {
  lines: string[];
  /** Whether any NaN/Inf column was marked. */
  nanShown: boolean;
  logScale: boolean;
  baselineShown: boolean;
}

const LABEL_WIDTH = 9;
export const NAN_MARK = '×';
const LOG_SCALE_RANGE = 50; // curves spanning more than ×50 (11 → 0.2) are read on a log axis, or their end is a flat line

/** How values map to the chart's y: log10 or not, less a shift (see `exact` in renderChart). */
interface Axis { log: boolean; shift: number }

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
 * Samples per column: bucket k covers two columns, its extreme values in the order they occur. NaN outside
 * the curve. The axis is monotone, so only each bucket's lowest and highest value are put on it.
 */
function sample(stats: ColumnStats, columns: number, axis: Axis): Float64Array {
  const out = new Float64Array(columns).fill(NaN);
  const y = (v: number) => (axis.log ? Math.log10(v) : v) - axis.shift;
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
  return out;
}

/** Draws one layer with asciichart on the shared scale and returns its grid of plot cells (labels cut off). */
function drawLayer(samples: Float64Array, min: number, max: number, height: number, format: (y: number) => string, symbols = SOLID): string[][] {
  const first = samples.findIndex((v) => !Number.isNaN(v));
  let last = samples.length - 1;
  while (last > first && Number.isNaN(samples[last])) last--;
  // asciichart draws from column 0 and knows no gaps: fill outside the layer, then blank those cells again
  const filled = Array.from(samples, (v, c) => (c < first ? samples[first] : c > last ? samples[last] : v));
  const text: string = asciichart.plot(filled, { min, max, height, format, symbols });
  return text.split('\n').map((row) => {
    const cells = [...row.slice(LABEL_WIDTH + 2)];
    return cells.map((ch, c) => (c < first || c > last ? ' ' : ch));
  });
}

export function renderChart(layers: Layer[], options: ChartOptions): Chart {
  let from = Infinity;
  let to = -Infinity;
  for (const { steps } of layers) {
    // the x axis spans every logged step, NaN ones too: where a run died is part of the picture (steps rise)
    if (steps.length > 0) {
      from = Math.min(from, steps[0]);
      to = Math.max(to, steps[steps.length - 1]);
    }
  }
  const columns = Math.max(16, (options.width - LABEL_WIDTH - 2) & ~1);
  // a bucket of two columns per sample: both are read off the same per-column pass (columnStats)
  const stats = layers.map((l) => columnStats(l.values, partStarts(l.steps, from, to, columns), columns));
  // a layer is drawn when some column holds a finite value of it
  const visible = layers.map((layer, k) => ({ layer, stats: stats[k] })).filter((v) => v.stats.lo.some((y) => !Number.isNaN(y)));
  if (visible.length === 0) return { lines: [], logScale: false, baselineShown: false, nanShown: false };
  let min = Infinity;
  let max = -Infinity;
  for (const { lo, hi } of stats) {
    for (let c = 0; c < columns; c++) {
      if (lo[c] < min) min = lo[c];
      if (hi[c] > max) max = hi[c];
    }
  }
  const logScale = min > 0 && max / min > LOG_SCALE_RANGE;
  const baseline = options.baseline;
  // the baseline is drawn only when it sits inside (or just above) the curves' range; otherwise it would flatten them
  const baselineShown = baseline !== undefined && baseline >= min && baseline <= max * 1.25;
  if (baselineShown) max = Math.max(max, baseline!);
  const scale = logScale ? Math.log10 : (x: number) => x;
  const bottom = scale(min);
  const top = scale(max) === bottom ? bottom + 1 : scale(max);
  const height = Math.max(3, options.height - 1);
  // asciichart counts rows in integers of |value| × height / range; past 2^52 (huge values, or a range lost in
  // their rounding) adding one changes nothing and its loop never ends: such a chart is drawn relative to its bottom
  const exact = Math.max(Math.abs(bottom), Math.abs(top)) * (height / (top - bottom)) < 2 ** 52;
  const shift = exact ? 0 : bottom;
  const axis: Axis = { log: logScale, shift };
  const transform = (x: number) => scale(x) - shift;
  const lo = bottom - shift;
  const hi = exact ? top : top > bottom ? top - bottom : 1;
  const format = (y: number) => fmtLoss(logScale ? 10 ** (y + shift) : y + shift).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH);

  const axisText: string = asciichart.plot(new Array(columns).fill(lo), { min: lo, max: hi, height, format });
  const rows = axisText.split('\n').map((row) => row.slice(0, LABEL_WIDTH + 2));
  const grid: string[][] = rows.map(() => new Array(columns).fill(' '));
  const stack: Array<{ samples: Float64Array; paint: (t: string) => string; symbols: string[] }> = [];
  if (baselineShown) {
    stack.push({ samples: new Float64Array(columns).fill(transform(baseline!)), paint: options.paintBaseline, symbols: [...SOLID.slice(0, 4), '┄', ...SOLID.slice(5)] });
  }
  // later layers are drawn over earlier ones: validation first, so train (the main curve) stays on top
  for (const { layer, stats: columnsOf } of [...visible].reverse()) stack.push({ samples: sample(columnsOf, columns, axis), paint: layer.paint, symbols: layer.dashed ? DASHED : SOLID });
  for (const layer of stack) {
    const cells = drawLayer(layer.samples, lo, hi, height, format, layer.symbols);
    cells.forEach((row, r) => row.forEach((ch, c) => {
      if (ch !== ' ' && r < grid.length && c < columns) grid[r][c] = layer.paint(ch);
    }));
  }
  // columns where a curve logged only NaN or Inf get a mark on the bottom row
  for (const { lo, points } of stats) {
    for (let c = 0; c < columns; c++) {
      // a column holding non-finite values of the layer and no finite one
      if (points[c] && Number.isNaN(lo[c]) && grid[grid.length - 1][c] === ' ') grid[grid.length - 1][c] = options.paintBad(NAN_MARK);
    }
  }
  const lines = rows.map((label, r) => options.paintAxis(label) + grid[r].join(''));
  lines.push(' '.repeat(LABEL_WIDTH + 1) + options.paintAxis('└' + '─'.repeat(columns)));
  lines.push(options.paintAxis(options.stepName.slice(0, LABEL_WIDTH).padStart(LABEL_WIDTH)) + '  ' + stepAxis(from, to, columns));
  return { lines, logScale, baselineShown, nanShown: lines.some((l) => l.includes(NAN_MARK)) };
}

/** Step labels under the chart: the first, the last and a few between, never overlapping. */
function stepAxis(from: number, to: number, columns: number): string {
  const axis = new Array<string>(columns).fill(' ');
  const ticks = Math.max(2, Math.min(6, Math.floor(columns / 14)));
  let free = 0;
  let previous = '';
  for (let t = 0; t < ticks; t++) {
    const c = Math.round((t * (columns - 1)) / (ticks - 1));
    const step = from + ((to - from) * c) / Math.max(1, columns - 1);
    const label = shortStep(Number.isInteger(from) && Number.isInteger(to) ? Math.round(step) : step);
    if (label === previous) continue; // a short integer axis has fewer distinct steps than ticks
    previous = label;
    const start = Math.min(Math.max(c - (t === ticks - 1 ? label.length - 1 : 0), free), columns - label.length);
    if (start < free) continue;
    for (let k = 0; k < label.length; k++) axis[start + k] = label[k];
    free = start + label.length + 2;
  }
  return axis.join('').trimEnd();
}

/** 950, 12k, 1.2M: step labels short enough to sit under a chart. */
export function shortStep(step: number): string {
  const a = Math.abs(step);
  if (a >= 1e6) return `${Number((step / 1e6).toPrecision(2))}M`;
  if (a >= 1e4) return `${Math.round(step / 1e3)}k`;
  if (a >= 1e3) return `${Number((step / 1e3).toPrecision(2))}k`;
  return String(Number(step.toPrecision(3)));
}
