// `losscurve compare A B` as text (two curves on one asciichart plot, where they part, the ends, the verdicts) or JSON.

import asciichart from 'asciichart';
import { Chalk } from 'chalk';
import type { Comparison, CurveComparison } from '../compare/index.js';
import { at, escapeText as safe, fmtLoss, fmtPct, fmtRatio, fmtStep, round } from '../format.js';
import { median } from '../stats/robust.js';
import { lowerBound } from '../stats/search.js';
import { jsonText } from './json.js';
import { verdictLine } from './text.js';

/** The compare JSON's shape version. */
export const COMPARE_SCHEMA = 1;

export interface CompareTextOptions {
  color: boolean;
  width: number;
  height?: number;
}

const MAX_WIDTH = 120; // wider charts add columns, not information
const DEFAULT_HEIGHT = 16; // two rows more than diagnose's chart: two curves a few percent apart need the rows
const LABEL_WIDTH = 9;
// Curves falling by more than ×3 are drawn on a log axis: a gap between two runs is a share of the loss, and on a linear
// axis the end, where runs differ by a few percent, is pressed into the bottom rows by the start's fall
const LOG_RANGE = 3;
// asciichart marks a series' cells with its "colour" string: these two are markers, replaced by each run's glyphs and paint
const MARK = ['\u0001', '\u0002'];
// Run B is dashed, so the two lines stay apart without colour (asciichart's glyph order: horizontal 4, vertical 9)
const DASH: Record<string, string> = { '─': '╌', '│': '┆' };

type Side = 'a' | 'b';

/** How much lower the lower run is, against the other: "7.5%", or "×9.4" when one is several times the other. */
function lowerBy(c: CurveComparison): string {
  const f = c.final;
  const ratio = f.lower === 'b' ? f.a / f.b : f.b / f.a;
  if (c.scale === 'log' && ratio >= 2) return fmtRatio(ratio);
  const share = f.lower === 'b' ? -f.change : f.change / (1 + f.change);
  return fmtPct(Math.abs(share)).replace('+', '');
}

/** A number short enough for an axis label: 950, 2.5k, 1.2M, 3B. */
export function shortNumber(x: number): string {
  const a = Math.abs(x);
  const unit = a >= 1e9 ? ['B', 1e9] as const : a >= 1e6 ? ['M', 1e6] as const : a >= 1e3 ? ['k', 1e3] as const : ['', 1] as const;
  return `${Number((x / unit[1]).toPrecision(3))}${unit[0]}`;
}

/** Round ticks over [from, to]: 1, 2 or 5 times a power of ten apart, at most `most` of them. */
export function roundTicks(from: number, to: number, most: number): number[] {
  if (!(to > from)) return [from];
  // the finest 1-2-5 step that gives at most `most` ticks
  const raw = (to - from) / Math.max(1, most);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Each column's median of a run's values (a bucket of the axis; x rises), columns without a point joined by straight lines. */
function columnMedians(x: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, columns: number): number[] {
  const span = to - from || 1;
  const out = new Array<number>(columns).fill(NaN);
  let i = 0;
  for (let c = 0; c < columns; c++) {
    const end = c === columns - 1 ? x.length : lowerBound(x, from + (span * (c + 1)) / columns, i);
    if (end > i) out[c] = median(values, i, end);
    i = end;
  }
  const known = out.map((v, c) => (Number.isNaN(v) ? -1 : c)).filter((c) => c >= 0);
  for (let c = 0, k = 0; c < columns; c++) {
    if (!Number.isNaN(out[c])) continue;
    while (k < known.length && known[k] < c) k++;
    const before = k > 0 ? known[k - 1] : undefined;
    const after = k < known.length ? known[k] : undefined;
    if (before === undefined) out[c] = out[after!];
    else if (after === undefined) out[c] = out[before];
    else out[c] = out[before] + ((out[after] - out[before]) * (c - before)) / (after - before);
  }
  return out;
}

/** The two runs on one plot (asciichart's multi-series), A solid and B dashed, over the span both cover. */
export function compareChart(comparison: Comparison, options: { width: number; height: number; paint: Record<Side, (t: string) => string>; dim: (t: string) => string }): { lines: string[]; logScale: boolean } {
  const { a, b } = comparison.curves;
  const from = Math.max(a.x[0], b.x[0]);
  const to = Math.min(a.x[a.x.length - 1], b.x[b.x.length - 1]);
  const columns = Math.max(16, options.width - LABEL_WIDTH - 2);
  const ma = columnMedians(a.x, a.values, from, to, columns);
  const mb = columnMedians(b.x, b.values, from, to, columns);
  const all = [...ma, ...mb];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const logScale = min > 0 && max / min > LOG_RANGE;
  const y = (v: number) => (logScale ? Math.log10(v) : v);
  const lo = y(min);
  const hi = y(max) > lo ? y(max) : lo + (Math.abs(lo) || 1) * 0.01;
  const height = Math.max(3, options.height - 1);
  const format = (v: number) => fmtLoss(logScale ? 10 ** v : v).padStart(LABEL_WIDTH).slice(-LABEL_WIDTH);
  // B first, then A over it: where the two lines meet, the solid one shows
  const text = asciichart.plot([mb.map(y), ma.map(y)], { min: lo, max: hi, height, format, colors: [MARK[1], MARK[0]] });
  const reset = '\u001b[0m';
  const lines = text.split('\n').map((row) => {
    const label = row.slice(0, LABEL_WIDTH + 1);
    let plot = row.slice(LABEL_WIDTH + 1);
    // a series' first value is marked on the axis column: the axis stays
    const marked = plot.startsWith(MARK[0]) || plot.startsWith(MARK[1]);
    const axisCell = marked || plot[0] === '┼' ? '┤' : plot[0]; // asciichart's ┼ marks its zero row: no mark inside the axis
    plot = plot.slice(marked ? 2 + reset.length : 1);
    plot = plot.split(reset).join('').replace(/([\u0001\u0002])(.)/g, (_m, mark: string, glyph: string) => (mark === MARK[0] ? options.paint.a(glyph) : options.paint.b(DASH[glyph] ?? glyph)));
    return options.dim(label + axisCell) + plot;
  });
  lines.push(' '.repeat(LABEL_WIDTH + 1) + options.dim('└' + '─'.repeat(columns)));
  lines.push(options.dim(axisTitle(comparison).slice(0, LABEL_WIDTH).padStart(LABEL_WIDTH)) + '  ' + xLabels(from, to, columns));
  return { lines, logScale };
}

function axisTitle(c: Comparison): string {
  return c.axis === 'tokens' ? 'tokens' : c.axis;
}

/** Round tick labels under the plot, never overlapping. */
function xLabels(from: number, to: number, columns: number): string {
  const cells = new Array<string>(columns).fill(' ');
  let free = 0;
  for (const t of roundTicks(from, to, Math.max(2, Math.min(7, Math.floor(columns / 12))))) {
    const label = shortNumber(t);
    const c = Math.round(((t - from) / (to - from || 1)) * (columns - 1));
    const start = Math.min(Math.max(c - Math.floor(label.length / 2), free), columns - label.length);
    if (start < free) continue;
    for (let k = 0; k < label.length; k++) cells[start + k] = label[k];
    free = start + label.length + 2;
  }
  return cells.join('').trimEnd();
}

/** "step 1,200", "1.2B tokens", "epoch 3". */
function where(c: Comparison, x: number): string {
  if (c.axis === 'tokens') return `${shortNumber(x)} tokens`;
  return `${c.axis} ${fmtStep(x)}`;
}

function span(c: Comparison, from: number, to: number): string {
  return c.axis === 'tokens' ? `${shortNumber(from)}–${shortNumber(to)} tokens` : `${c.axis}s ${fmtStep(from)}–${fmtStep(to)}`;
}

function nameOf(c: Comparison, side: Side): string {
  return `${side.toUpperCase()} (${safe(c.files[side])})`;
}

function finalLine(c: Comparison, cc: CurveComparison): string {
  const f = cc.final;
  const values = `A ${fmtLoss(f.a)}, B ${fmtLoss(f.b)}`;
  if (f.lower === null) return `${cc.series}: ${values}: the same`;
  const lower = f.lower.toUpperCase();
  const by = `${lower} is lower ${lowerBy(cc).startsWith('×') ? `(the other ${lowerBy(cc)})` : `by ${lowerBy(cc)}`}`;
  const judged = f.significant === null
    ? 'too few points to know the noise'
    : `${f.z === null || !Number.isFinite(f.z) ? 'no noise at all' : `z ${Math.abs(f.z).toFixed(1)}`}, ${f.significant ? 'larger than the noise' : 'within the noise'}`;
  void c;
  return `${cc.series}: ${values}: ${by} (${judged})`;
}

export function compareText(c: Comparison, options: CompareTextOptions): string {
  const reports = c.reports;
  const k = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Side, (t: string) => string> = { a: k.blue, b: k.yellow };
  const out: string[] = [];
  const axisWords = c.axis === 'step' ? 'equal steps' : c.axis === 'tokens' ? 'equal tokens seen' : 'equal epochs';
  out.push(`${k.bold('losscurve compare')} ${safe(c.files.a)} ${k.dim('vs')} ${safe(c.files.b)} ${k.dim(`· aligned at ${axisWords} (--x ${c.axis})`)}`);
  for (const side of ['a', 'b'] as const) {
    const r = reports[side];
    const s = r.series;
    const series = [`train: ${s.train ?? 'none'}`, s.val && `val: ${s.val}`, `step: ${s.step}`].filter(Boolean).join(' · ');
    out.push(`  ${paint[side](side.toUpperCase())} ${safe(r.file)} ${k.dim(`· ${r.format} · ${fmtStep(r.rows)} rows · ${safe(series)}`)}`);
  }
  for (const note of c.notes) out.push(k.dim(`  note: ${safe(note)}`));
  out.push('');

  const primary = c[c.primary]!;
  const chart = compareChart(c, { width: Math.min(MAX_WIDTH, Math.max(40, options.width)), height: options.height ?? DEFAULT_HEIGHT, paint, dim: k.dim });
  out.push(...chart.lines);
  const legend = [paint.a(`── A ${safe(c.files.a)}`), paint.b(`╌╌ B ${safe(c.files.b)}`), k.dim(`${c.primary} loss, a median per column${chart.logScale ? ' (log scale)' : ''}`)];
  out.push(`  ${legend.join('   ')}`, '');

  const lowerEnd = primary.final.lower;
  if (primary.parted_at) {
    const p = primary.parted_at;
    const steps = c.axis === 'step' ? '' : ` (step ${fmtStep(p.step_a)} of A, ${fmtStep(p.step_b)} of B)`;
    out.push(`${k.bold('Where they part:')} from ${where(c, p.x)}${steps} the gap stays larger than the noise, ${lowerEnd!.toUpperCase()} lower`);
  } else if (primary.final.significant) {
    out.push(`${k.bold('Where they part:')} no one place: the gap at the end is larger than the noise, but it never stays apart bin by bin before it`);
  } else {
    out.push(`${k.bold('Where they part:')} nowhere: the ${c.primary} losses stay within the noise of each other`);
  }
  out.push(`${k.bold('At the end')} ${k.dim(`(mean level over ${span(c, primary.final.from, primary.final.to)}${c.val && c.primary === 'train' && (c.val.final.from !== primary.final.from || c.val.final.to !== primary.final.to) ? `; val over ${span(c, c.val.final.from, c.val.final.to)}` : ''})`)}`);
  for (const cc of [c.train, c.val]) if (cc) out.push(`  ${finalLine(c, cc)}`);
  const best = c.best_val;
  if (best.a || best.b) {
    const one = (side: Side) => {
      const b = best[side];
      return b ? `${side.toUpperCase()} ${fmtLoss(b.value)} at ${where(c, b.x)}${c.axis === 'step' ? '' : ` (step ${fmtStep(b.step)})`}` : `${side.toUpperCase()} has none`;
    };
    const lower = best.lower ? `: ${best.lower.toUpperCase()} is lower` : best.a && best.b ? ': the same' : '';
    out.push(`${k.bold('Best validation')}  ${one('a')}; ${one('b')}${lower}`);
  }
  out.push(k.bold('Verdicts'));
  for (const side of ['a', 'b'] as const) out.push(`  ${paint[side](side.toUpperCase())} ${verdictLine(reports[side], options.color)}`);
  out.push('', resultLine(c, k));
  return out.join('\n') + '\n';
}

/** The last line: which run is lower at the end, and whether that is more than noise. */
export function resultLine(c: Comparison, k = new Chalk({ level: 0 })): string {
  const p = c[c.primary]!;
  const f = p.final;
  if (f.lower === null) return `${k.bold('Result:')} the runs end at the same ${c.primary} loss`;
  const who = nameOf(c, f.lower);
  // a run that went NaN is lower only on the steps before it: the result says so beside it
  const broken = (['a', 'b'] as const).filter((side) => c.nan_from[side] !== null)
    .map((side) => `; ${side.toUpperCase()}'s ${c.primary} loss is NaN or Inf from ${at(c.reports[side].series.step, c.nan_from[side]!)}`).join('');
  const by = lowerBy(p).startsWith('×') ? `the other ${lowerBy(p)}` : `by ${lowerBy(p)}`;
  if (f.significant === null) return `${k.bold('Result:')} ${who} ends lower (${c.primary} loss, ${by}); too few points to judge the noise${broken}`;
  if (!f.significant) return `${k.bold('Result:')} no clear winner: ${who} ends lower (${c.primary} loss, ${by}), within the noise${broken}`;
  return `${k.bold('Result:')} ${k.bold(who)} is lower at the end (${c.primary} loss, ${by}), larger than the noise${broken}`;
}

const num = (x: number | null | undefined) => (x === null || x === undefined ? null : round(x));

function curveJson(cc: CurveComparison | undefined) {
  if (!cc) return null;
  const f = cc.final;
  return {
    scale: cc.scale,
    shared: { from: cc.shared.from, to: cc.shared.to },
    window: { from: num(f.from), to: f.to },
    a: num(f.a), b: num(f.b), change: num(f.change), lower: f.lower,
    z: f.z === null ? null : Number.isFinite(f.z) ? round(f.z, 4) : null,
    significant: f.significant,
    noise: { a: num(cc.noise.a), b: num(cc.noise.b) },
    parted_at: cc.parted_at && { x: num(cc.parted_at.x), step_a: cc.parted_at.step_a, step_b: cc.parted_at.step_b },
  };
}

/** The comparison as the documented JSON object (README: compare --format json). */
export function compareObject(c: Comparison) {
  const p = c[c.primary]!;
  const best = (side: Side) => c.best_val[side] && { step: c.best_val[side]!.step, x: num(c.best_val[side]!.x), value: num(c.best_val[side]!.value) };
  return {
    schema: COMPARE_SCHEMA,
    files: c.files,
    axis: c.axis,
    series: c.primary,
    shared: p.shared,
    parted_at: p.parted_at && { x: num(p.parted_at.x), step_a: p.parted_at.step_a, step_b: p.parted_at.step_b },
    lower: p.final.lower,
    significant: p.final.significant,
    final: { train: curveJson(c.train), val: curveJson(c.val) },
    best_val: { a: best('a'), b: best('b'), lower: c.best_val.lower },
    nan_from: c.nan_from,
    verdicts: c.verdicts,
    notes: c.notes,
  };
}

export function compareJson(c: Comparison): string {
  return jsonText(compareObject(c), 2);
}
