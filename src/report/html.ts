// The report as one self-contained HTML page (inline SVG, CSS and a little script; nothing fetched): one run, or a sweep's table and a chart per run.

import type { Report } from '../diagnose.js';
import { DETECTORS } from '../detect/index.js';
import { at, escapeText, fmtLoss, fmtStep } from '../format.js';
import type { Curve, EvidenceValue } from '../types.js';
import { entryOf, isErrorEntry, rowCells, TABLE_HEADER, worstFirst, countsLine, type ReportEntry, type SweepEntry } from './sweep.js';

/**
 * Curves are decimated to at most 2 points (the min and the max) per pixel column of the plot, so a page's size is
 * bounded by the chart's width, not the log's length: a 10^7-row log gives at most 2 × 720 points a curve.
 */
export const MAIN_COLUMNS = 720;
// the sweep's small charts are half as wide: 2 × 360 points a curve at most
export const SMALL_COLUMNS = 360;
// past this ratio of the largest to the smallest loss a linear axis squeezes the rest of the run into a few pixels
const LOG_Y_RATIO = 100;
// on a log axis each curve must span at least this share of it, or the axis is linear (the issue's +31% rise flattened into one row)
const MIN_LOG_SHARE = 0.2;
// a one-step finding is still a visible band, this many pixels wide
const MIN_BAND_PX = 3;
// the label font's average advance per character at 11 px (measured on the page's sans-serif stack), to keep labels apart
const LABEL_CHAR_PX = 6.2;
// more label rows than this and the chart would be mostly labels; further labels share the last row
const MAX_LABEL_LANES = 6;
// a curve of this many points or fewer is also drawn as dots (a chart wide enough keeps them apart at 12 px each)
const MAX_DOTTED_POINTS = 60;
// the hover data keeps this many significant digits: the tooltip shows 4, and the page stays small (a sweep has one chart a run)
const HOVER_DIGITS = 6;
// evidence arrays longer than this are cut (the JSON report holds them whole)
const MAX_EVIDENCE_ITEMS = 12;

/** A curve as the page draws it: decimated points (null breaks the line where a column held only NaN/Inf) and where it went non-finite. */
export interface HtmlCurve {
  steps: number[];
  values: Array<number | null>;
  /** Steps (one per pixel column at most) where the loss was NaN or infinite. */
  bad: number[];
}

/** What a chart needs of a run beyond its JSON entry; small (bounded by the columns) and plain, so it can cross a thread. */
export interface HtmlChart {
  columns: number;
  first: number;
  last: number;
  train?: HtmlCurve;
  val?: HtmlCurve;
}

/** A run as a page shows it: its entry (as --format json has it) and, when it was diagnosed, its decimated curves. */
export interface HtmlRun {
  entry: SweepEntry;
  chart?: HtmlChart;
}

/** The decimated curves of a report's diagnosed run, for a chart `columns` pixels wide. */
export function chartOf(report: Report, columns = MAIN_COLUMNS): HtmlChart | undefined {
  const { train, val } = report.curves;
  if (!train && !val) return undefined;
  const first = report.steps.first;
  const last = report.steps.last;
  if (!Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  return { columns, first, last, train: train && decimate(train, first, last, columns), val: val && decimate(val, first, last, columns) };
}

/** Min and max per pixel column, in step order; a column of only NaN/Inf gives a break. All points when they fit. */
export function decimate(curve: Curve, first: number, last: number, columns: number): HtmlCurve {
  const { steps, values } = curve;
  const n = values.length;
  const out: HtmlCurve = { steps: [], values: [], bad: [] };
  const span = last - first;
  if (n <= 2 * columns || span <= 0) {
    for (let i = 0; i < n; i++) {
      const finite = Number.isFinite(values[i]);
      out.steps.push(steps[i]);
      out.values.push(finite ? values[i] : null);
      if (!finite) out.bad.push(steps[i]);
    }
    return out;
  }
  let column = -1;
  let lo = -1;
  let hi = -1;
  let badAt = NaN;
  const flush = () => {
    if (column < 0) return;
    if (lo >= 0) {
      const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
      out.steps.push(steps[a]);
      out.values.push(values[a]);
      if (b !== a) {
        out.steps.push(steps[b]);
        out.values.push(values[b]);
      }
    } else {
      out.steps.push(badAt);
      out.values.push(null);
    }
    if (!Number.isNaN(badAt)) out.bad.push(badAt);
  };
  for (let i = 0; i < n; i++) {
    const c = Math.min(columns - 1, Math.max(0, Math.floor(((steps[i] - first) / span) * columns)));
    if (c !== column) {
      flush();
      column = c;
      lo = hi = -1;
      badAt = NaN;
    }
    const v = values[i];
    if (!Number.isFinite(v)) {
      if (Number.isNaN(badAt)) badAt = steps[i];
      continue;
    }
    if (lo < 0 || v < values[lo]) lo = i;
    if (hi < 0 || v > values[hi]) hi = i;
  }
  flush();
  return out;
}

/** One run's page. */
export function htmlReport(report: Report): string {
  const run: HtmlRun = { entry: entryOf(report), chart: chartOf(report, MAIN_COLUMNS) };
  const entry = run.entry as ReportEntry;
  const body = `<main class="single">${runSection(run, 'main')}</main>`;
  return page(`losscurve · ${entry.file}`, body, run.chart !== undefined);
}

/** A sweep's page: the table worst first, then each run (worst first too) with a small chart. */
export function htmlSweep(runs: readonly HtmlRun[]): string {
  const order = worstFirst(runs.map((r) => r.entry));
  const sorted = order.map((entry) => runs.find((r) => r.entry === entry)!);
  const rows = sorted.map((r, i) => {
    const cells = rowCells(r.entry);
    return `<tr class="v-${esc(r.entry.verdict)}">${cells.map((cell, k) => (k === 0 ? `<td><a href="#run-${i + 1}">${esc(cell)}</a></td>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`;
  });
  const table = `<section class="sweep"><h1>losscurve <span class="dim">· ${sorted.length} runs, worst first</span></h1>
<table class="runs"><thead><tr>${TABLE_HEADER.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="summary"><b>Summary:</b> ${esc(countsLine(sorted.map((r) => r.entry)))}</p></section>`;
  const sections = sorted.map((r, i) => runSection(r, 'small', i + 1)).join('\n');
  return page(`losscurve · ${sorted.length} runs`, `<main class="sweep">${table}\n${sections}</main>`, sorted.some((r) => r.chart));
}

type Size = 'main' | 'small';

function runSection(run: HtmlRun, size: Size, index?: number): string {
  const id = index === undefined ? '' : ` id="run-${index}"`;
  const entry = run.entry;
  if (isErrorEntry(entry)) {
    return `<section class="run"${id} data-verdict="unreadable"><h2>${esc(entry.file)}</h2><p class="verdict v-unreadable"><b>UNREADABLE</b> — ${esc(entry.error)}</p></section>`;
  }
  const s = entry.series;
  const seriesText = [`train: ${s.train ?? 'none'}`, s.val && `val: ${s.val}`, s.lr && `lr: ${s.lr}`, `step: ${s.step}`].filter(Boolean).join(' · ');
  const span = Number.isFinite(entry.steps.first) ? ` · ${at(s.step, entry.steps.first)} → ${fmtStep(entry.steps.last)}` : '';
  const head = [`<h${size === 'main' ? 1 : 2}>losscurve <span class="file">${esc(entry.file)}</span> <span class="dim">· ${esc(entry.format)}</span></h${size === 'main' ? 1 : 2}>`,
    `<p class="meta">${esc(`${fmtStep(entry.rows)} row${entry.rows === 1 ? '' : 's'}${span} · ${entry.verdict === 'no-loss' ? `loss: none · step: ${s.step}` : seriesText}`)}</p>`];
  if (s.other_losses.length) head.push(`<p class="meta dim">also seen, not plotted: ${esc(s.other_losses.join(', '))}</p>`);
  if (entry.verdict !== 'no-loss' && entry.baseline.applies) head.push(`<p class="meta">baseline ${esc(fmtLoss(entry.baseline.value))} (${esc(entry.baseline.source)})</p>`);
  const verdict = `<p class="verdict v-${esc(entry.verdict)}" data-verdict="${esc(entry.verdict)}"><b>${esc(entry.verdict.toUpperCase().replace('-', ' '))}</b> — ${esc(entry.verdict_reason)}</p>`;
  const chart = run.chart ? chartSvg(entry, run.chart, size) : '';
  return `<section class="run"${id} data-verdict="${esc(entry.verdict)}">
${head.join('\n')}
${entry.notes.length ? `<ul class="notes">${entry.notes.map((n) => `<li>note: ${esc(n)}</li>`).join('')}</ul>` : ''}
${verdict}
${chart}
${findingsHtml(entry, size)}
${planHtml(entry)}
</section>`;
}

const TITLES: ReadonlyMap<string, string> = new Map(DETECTORS.map((d) => [d.id, d.title]));

function titleOf(pattern: string): string {
  return TITLES.get(pattern) ?? pattern;
}

function mineOf(entry: ReportEntry) {
  return entry.findings.filter((f) => f.run === entry.runs.diagnosed);
}

function spanText(entry: ReportEntry, start: number, end: number): string {
  return start === end ? at(entry.series.step, start) : `${at(entry.series.step, start)}–${fmtStep(end)}`;
}

function findingsHtml(entry: ReportEntry, size: Size): string {
  const mine = mineOf(entry);
  const others = entry.findings.filter((f) => f.run !== entry.runs.diagnosed && f.pattern !== 'good');
  const items = mine.map((f) => {
    const evidence = size === 'main' ? evidenceHtml(f.evidence) : '';
    return `<li class="finding sev-${esc(f.severity)}" data-pattern="${esc(f.pattern)}" data-series="${esc(f.series)}" data-start-step="${f.start_step}" data-end-step="${f.end_step}">
<span class="sev">${esc(f.severity)}</span> <b>${esc(f.pattern)}</b> ${esc(titleOf(f.pattern))} <span class="dim">${esc(`${f.series} · ${spanText(entry, f.start_step, f.end_step)}`)}</span>
<div class="message">${esc(f.message)}</div>${evidence}</li>`;
  });
  let html = `<h3>${mine.length ? `Findings (${mine.length})` : 'Findings: none'}</h3>${items.length ? `<ul class="findings">${items.join('\n')}</ul>` : ''}`;
  if (others.length) {
    html += `<h3>Other runs in this log</h3><ul class="findings">${others.map((f) => `<li class="sev-${esc(f.severity)}"><b>${esc(f.pattern)}</b> <span class="dim">run ${f.run} · ${esc(at(entry.series.step, f.start_step))}</span> ${esc(f.message)}</li>`).join('')}</ul>`;
  }
  return html;
}

function evidenceHtml(evidence: Record<string, EvidenceValue>): string {
  const keys = Object.keys(evidence);
  if (!keys.length) return '';
  const value = (v: EvidenceValue): string => {
    if (Array.isArray(v)) return v.slice(0, MAX_EVIDENCE_ITEMS).map((x) => value(x)).join(', ') + (v.length > MAX_EVIDENCE_ITEMS ? `, … (${v.length})` : '');
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : fmtLoss(v);
    return String(v);
  };
  return `<dl class="evidence">${keys.map((k) => `<dt>${esc(k)}</dt><dd>${esc(value(evidence[k]))}</dd>`).join('')}</dl>`;
}

function planHtml(entry: ReportEntry): string {
  if (!entry.plan.length && !entry.plan_left_out.length) return '';
  const items = entry.plan.map((item) => `<li>${esc(item.text)} <span class="dim">[${esc(item.serves.join(', '))}]</span></li>`).join('');
  const reasons = entry.plan_left_out.map((item) => item.reason).filter((r, i, all) => all.indexOf(r) === i);
  const left = reasons.map((reason) => {
    const those = entry.plan_left_out.filter((item) => item.reason === reason);
    const serves = those.flatMap((item) => item.serves).filter((p, i, all) => all.indexOf(p) === i);
    return `<p class="dim">not now [${esc(serves.join(', '))}]: ${esc(those.map((item) => item.text).join('; '))}. Why: ${esc(reason)}</p>`;
  }).join('');
  return `<h3>What to try, in order</h3>${items ? `<ol class="plan">${items}</ol>` : ''}${left}`;
}

// ---- the chart

interface Geometry {
  width: number;
  height: number;
  left: number;
  top: number;
  plotWidth: number;
  plotHeight: number;
}

function chartSvg(entry: ReportEntry, chart: HtmlChart, size: Size): string {
  const small = size === 'small';
  const mine = mineOf(entry);
  const baseline = entry.baseline.applies ? entry.baseline.value : undefined;
  const { first, last } = chart;
  const stepSpan = last > first ? last - first : 1;

  // y range over every finite drawn value and the baseline
  let min = Infinity;
  let max = -Infinity;
  for (const curve of [chart.train, chart.val]) {
    if (!curve) continue;
    for (const v of curve.values) if (v !== null) { if (v < min) min = v; if (v > max) max = v; }
  }
  if (baseline !== undefined) { min = Math.min(min, baseline); max = Math.max(max, baseline); }
  if (!Number.isFinite(min)) { min = 0; max = 1; }
  // log only when every curve keeps a good share of the axis: a +31% validation rise must not be drawn as a flat line
  const spans = [chart.train, chart.val].filter((c): c is HtmlCurve => c !== undefined).map((c) => {
    const finite = c.values.filter((v): v is number => v !== null && v > 0);
    return finite.length ? Math.log(Math.max(...finite) / Math.min(...finite)) : 0;
  });
  const log = min > 0 && max / min > LOG_Y_RATIO && spans.every((span) => span >= MIN_LOG_SHARE * Math.log(max / min));
  if (!log && max - min < 1e-12) { min -= 0.5; max += 0.5; }

  // labels above the plot, in as many rows as keep them apart
  const width = small ? 2 * 240 + 70 : MAIN_COLUMNS + 80;
  const left = small ? 52 : 62;
  const plotWidth = chart.columns;
  const scaleX = small ? (width - left - 18) / plotWidth : 1;
  const pw = plotWidth * scaleX;
  const xOf = (step: number) => left + ((step - first) / stepSpan) * pw;
  const labels = mine.map((f) => ({ f, text: `${f.pattern} · ${titleOf(f.pattern)}`, x0: xOf(f.start_step), x1: Math.max(xOf(f.end_step), xOf(f.start_step) + MIN_BAND_PX), lane: 0, x: 0 }));
  const laneEnds: number[] = [];
  for (const label of [...labels].sort((a, b) => a.x0 - b.x0)) {
    const w = label.text.length * LABEL_CHAR_PX * (small ? 0.9 : 1);
    label.x = Math.max(left, Math.min(label.x0, left + pw - w));
    let lane = laneEnds.findIndex((end) => end < label.x);
    if (lane < 0) lane = laneEnds.length < MAX_LABEL_LANES ? laneEnds.length : MAX_LABEL_LANES - 1;
    laneEnds[lane] = label.x + w + 8;
    label.lane = lane;
  }
  const laneHeight = small ? 12 : 14;
  const top = 10 + Math.max(1, laneEnds.length) * laneHeight;
  const plotHeight = small ? 150 : 300;
  const height = top + plotHeight + 36;
  const g: Geometry = { width, height, left, top, plotWidth: pw, plotHeight };

  const yLo = log ? Math.log10(min) : min - (max - min) * 0.04;
  const yHi = log ? Math.log10(max) : max + (max - min) * 0.04;
  const yOf = (v: number) => {
    const t = log ? Math.log10(v) : v;
    return top + plotHeight - ((t - yLo) / (yHi - yLo || 1)) * plotHeight;
  };

  const parts: string[] = [];
  // axes and grid
  const xTicks = ticksWithin(first, last, small ? 4 : 7);
  const yTicks = log ? logTicks(min, max) : ticksWithin(min, max, small ? 5 : 6);
  for (const t of yTicks) {
    const y = yOf(t);
    if (y < top - 0.5 || y > top + plotHeight + 0.5) continue;
    parts.push(`<line class="grid" x1="${r(left)}" x2="${r(left + pw)}" y1="${r(y)}" y2="${r(y)}"/><text class="tick" x="${r(left - 6)}" y="${r(y + 4)}" text-anchor="end">${esc(tickText(t, yTicks))}</text>`);
  }
  for (const t of xTicks) {
    const x = xOf(t);
    if (x < left - 0.5 || x > left + pw + 0.5) continue;
    parts.push(`<line class="grid" x1="${r(x)}" x2="${r(x)}" y1="${top}" y2="${top + plotHeight}"/><text class="tick" x="${r(x)}" y="${top + plotHeight + 16}" text-anchor="middle">${esc(stepTick(t, xTicks))}</text>`);
  }
  parts.push(`<rect class="frame" x="${left}" y="${top}" width="${r(pw)}" height="${plotHeight}"/>`);
  parts.push(`<text class="axis-name" x="${r(left + pw)}" y="${top + plotHeight + 31}" text-anchor="end">${esc(axisName(entry.series.step))}${log ? ' · loss on a log scale' : ''}</text>`);

  // the findings' bands and labels
  for (const label of labels) {
    const f = label.f;
    const ly = 10 + label.lane * laneHeight + (small ? 8 : 10);
    parts.push(`<g class="region sev-${esc(f.severity)} pat-${esc(f.pattern)}" data-pattern="${esc(f.pattern)}" data-series="${esc(f.series)}" data-start-step="${f.start_step}" data-end-step="${f.end_step}">`
      + `<title>${esc(`${f.pattern} · ${titleOf(f.pattern)} · ${f.series} · ${spanText(entry, f.start_step, f.end_step)}`)}</title>`
      + `<rect class="band" x="${r(label.x0)}" y="${top}" width="${r(label.x1 - label.x0)}" height="${plotHeight}"/>`
      + `<line class="leader" x1="${r(label.x0)}" x2="${r(label.x0)}" y1="${r(ly + 2)}" y2="${top}"/>`
      + `<text class="label" x="${r(label.x)}" y="${r(ly)}">${esc(label.text)}</text></g>`);
  }

  // the baseline, then the curves, then the NaN marks
  if (baseline !== undefined) parts.push(`<line class="baseline" x1="${left}" x2="${r(left + pw)}" y1="${r(yOf(baseline))}" y2="${r(yOf(baseline))}"><title>${esc(`baseline ${fmtLoss(baseline)} (${entry.baseline.source})`)}</title></line>`);
  const path = (curve: HtmlCurve) => {
    let d = '';
    let pen = false;
    for (let i = 0; i < curve.steps.length; i++) {
      const v = curve.values[i];
      if (v === null || (log && v <= 0)) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${r(xOf(curve.steps[i]))},${r(yOf(v))}`;
      pen = true;
    }
    return d;
  };
  // a few points are also drawn as dots: one point makes no line, and three evaluations are three facts, not a curve
  const dots = (curve: HtmlCurve, name: string) => (curve.steps.length > MAX_DOTTED_POINTS ? '' : curve.steps.map((step, i) => {
    const v = curve.values[i];
    return v === null || (log && v <= 0) ? '' : `<circle class="dot ${name}" cx="${r(xOf(step))}" cy="${r(yOf(v))}" r="${small ? 2 : 2.5}"/>`;
  }).join(''));
  if (chart.train) parts.push(`<path class="curve train" d="${path(chart.train)}"/>${dots(chart.train, 'train')}`);
  if (chart.val) parts.push(`<path class="curve val" d="${path(chart.val)}"/>${dots(chart.val, 'val')}`);
  const bad = [...(chart.train?.bad ?? []), ...(chart.val?.bad ?? [])];
  for (const step of bad) parts.push(`<line class="nan" x1="${r(xOf(step))}" x2="${r(xOf(step))}" y1="${top}" y2="${top + 8}"/>`);
  parts.push(`<line class="cursor" x1="0" x2="0" y1="${top}" y2="${top + plotHeight}" visibility="hidden"/>`);

  const s = entry.series;
  const legend = [chart.train && `<span class="key train">── train (${esc(s.train ?? '')})</span>`, chart.val && `<span class="key val">╌╌ val (${esc(s.val ?? '')})</span>`,
    baseline !== undefined && `<span class="key base">┄┄ baseline ${esc(fmtLoss(baseline))}</span>`, bad.length && '<span class="key nan">▮ NaN/Inf</span>'].filter(Boolean).join(' ');
  // the hover script reads the points from here: numbers only, no name from the input
  const pointsOf = (c: HtmlCurve) => [c.steps, c.values.map((v) => (v === null ? null : Number(v.toPrecision(HOVER_DIGITS))))];
  const data = JSON.stringify({ t: chart.train && pointsOf(chart.train), v: chart.val && pointsOf(chart.val), step: axisName(s.step) });
  return `<figure class="chart ${size}"><svg viewBox="0 0 ${g.width} ${g.height}" width="${g.width}" height="${g.height}" role="img" aria-label="loss curve"`
    + ` data-first-step="${first}" data-last-step="${last}" data-plot-left="${left}" data-plot-width="${r(pw)}" data-plot-top="${top}" data-plot-height="${plotHeight}" data-y-scale="${log ? 'log' : 'linear'}" data-points="${esc(data)}">`
    + `${parts.join('')}<rect class="hover" x="${left}" y="${top}" width="${r(pw)}" height="${plotHeight}"/></svg><figcaption>${legend}</figcaption></figure>`;
}

function r(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** The x axis unit: "epoch" for epoch columns, "row" without a step column, else "step" (as the text chart says it). */
function axisName(stepName: string): string {
  return /epoch/i.test(stepName) ? 'epoch' : stepName === 'row' ? 'row' : 'step';
}

/**
 * Round ticks (1-2-2.5-5 steps) inside [lo, hi], about `count` of them. Not chart.ts's niceTicks, whose ticks must
 * cover the range (a terminal row per tick, the plot stretched to the outer ones): an SVG axis spans the data exactly.
 */
export function ticksWithin(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((u) => u >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / unit) * unit; t <= hi + unit * 1e-9; t += unit) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Powers of ten (with 2 and 5 between them when there are few) on a log axis. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const decades = Math.log10(hi) - Math.log10(lo);
  const mults = decades < 3 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of mults) {
    const t = Number((m * 10 ** e).toPrecision(12));
    if (t >= lo && t <= hi) ticks.push(t);
  }
  return ticks;
}

/** One number format per axis: as many decimals as the finest tick needs. */
function tickText(t: number, all: number[]): string {
  const big = Math.max(...all.map(Math.abs));
  if (big >= 1e5 || (big > 0 && big < 1e-3)) return t === 0 ? '0' : t.toExponential(1).replace('.0e', 'e');
  const decimals = Math.max(0, ...all.map((x) => { const s = String(x); const dot = s.indexOf('.'); return dot < 0 ? 0 : s.length - dot - 1; }));
  return t.toFixed(Math.min(decimals, 6));
}

/** Steps as 2.5k, 10k, 1.2M; small ones as they are. */
function stepTick(t: number, all: number[]): string {
  const big = Math.max(...all.map(Math.abs));
  if (big >= 1e6) return `${Number((t / 1e6).toPrecision(3))}M`;
  if (big >= 1e4) return `${Number((t / 1e3).toPrecision(3))}k`;
  return fmtStep(t);
}

// ---- the page

/** HTML-escaped text from the input, its control and bidi characters shown as escapes first (as the text report prints them). */
export function esc(text: string): string {
  return escapeText(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// no network at all: only this page's own inline style and script may run; nothing loads, no form posts, no base redirects links
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b1f24;background:#fff;margin:0;padding:16px 24px}
main{max-width:980px;margin:0 auto}h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:0 0 4px}h3{font-size:15px;margin:14px 0 4px}
.dim{color:#656d76;font-weight:normal}.file{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.9em}.meta{margin:0;color:#424a53;font-size:13px}
.verdict{margin:10px 0;padding:8px 12px;border-left:5px solid #999;background:#f6f8fa}
.v-failing,.v-crashed,.v-unreadable{border-color:#cf222e;background:#ffebe9}.v-warning,.v-inconclusive,.v-no-loss{border-color:#bf8700;background:#fff8c5}.v-healthy{border-color:#1a7f37;background:#dafbe1}
table.runs tr.v-failing,table.runs tr.v-crashed,table.runs tr.v-unreadable,table.runs tr.v-warning,table.runs tr.v-healthy,table.runs tr.v-inconclusive,table.runs tr.v-no-loss{background:none}
table.runs{border-collapse:collapse;width:100%;font-size:13px}table.runs th,table.runs td{text-align:left;padding:3px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
table.runs tr.v-failing td:nth-child(3),table.runs tr.v-crashed td:nth-child(3),table.runs tr.v-unreadable td:nth-child(3){color:#cf222e;font-weight:600}
table.runs tr.v-healthy td:nth-child(3){color:#1a7f37}table.runs tr.v-warning td:nth-child(3){color:#9a6700}
section.run{margin:18px 0 28px}main.sweep section.run{border-top:1px solid #d0d7de;padding-top:14px}
figure.chart{margin:6px 0;position:relative}figure.chart svg{max-width:100%;height:auto;display:block}figure.main svg{width:100%}figcaption{font-size:12px;color:#424a53}
.key{margin-right:14px;white-space:nowrap}.key.train{color:#0969da}.key.val{color:#8250df}.key.base{color:#656d76}.key.nan{color:#cf222e}
.grid{stroke:#eaeef2}.frame{fill:none;stroke:#8c959f}.tick,.axis-name{font-size:11px;fill:#57606a}
.curve{fill:none;stroke-width:1.5;stroke-linejoin:round}.curve.train{stroke:#0969da}.curve.val{stroke:#8250df;stroke-dasharray:5 3}.dot.train{fill:#0969da}.dot.val{fill:#8250df}
.baseline{stroke:#8c959f;stroke-dasharray:2 3}.nan{stroke:#cf222e;stroke-width:2}.cursor{stroke:#57606a;stroke-width:.8}
.band{opacity:.16}.sev-error .band{fill:#cf222e}.sev-warning .band{fill:#d4a72c;opacity:.25}.sev-info .band{fill:#0969da;opacity:.08}.pat-good .band{fill:#1a7f37;opacity:.06}
.leader{stroke:#8c959f;stroke-width:.7;stroke-dasharray:1 2}.label{font-size:11px;fill:#24292f}.sev-error .label{fill:#a40e26}.sev-warning .label{fill:#7d4e00}
figure.small .label{font-size:10px}.hover{fill:transparent;pointer-events:all}
.tip{position:absolute;pointer-events:none;background:#24292f;color:#fff;font-size:12px;padding:3px 7px;border-radius:4px;white-space:nowrap;display:none;z-index:2}
ul.findings{list-style:none;padding:0;margin:0}li.finding{margin:6px 0;padding-left:10px;border-left:3px solid #d0d7de}
li.sev-error{border-color:#cf222e}li.sev-warning{border-color:#d4a72c}li.sev-info{border-color:#54aeff}
.sev{font-size:11px;text-transform:uppercase;letter-spacing:.03em;color:#57606a}.message{margin:2px 0}
dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:2px 0 0;font-size:12px;color:#424a53}dl.evidence dt{font-family:ui-monospace,"DejaVu Sans Mono",monospace}dl.evidence dd{margin:0}
ol.plan{margin:4px 0;padding-left:24px}ul.notes{font-size:12px;color:#656d76;padding-left:18px;margin:4px 0}
@media print{body{padding:0}.tip,.cursor{display:none}main.sweep section.run{break-before:page;border:0}section.run{break-inside:avoid-page}a{color:inherit;text-decoration:none}}
`;

// the tooltip: on each chart, the nearest point of each curve to the mouse (step, train, val), kept inside the chart; about 1.6 kB
const SCRIPT = `
(function(){
function fmt(v){if(v===null||v===undefined)return'\\u2014';var a=Math.abs(v);return a!==0&&(a>=1e5||a<1e-3)?v.toExponential(2):String(+v.toPrecision(4));}
function near(c,s){if(!c)return null;var st=c[0],lo=0,hi=st.length-1;if(hi<0)return null;while(hi-lo>1){var m=(lo+hi)>>1;if(st[m]<s)lo=m;else hi=m;}var i=Math.abs(st[lo]-s)<=Math.abs(st[hi]-s)?lo:hi;return[st[i],c[1][i]];}
document.querySelectorAll('figure.chart').forEach(function(fig){
var svg=fig.querySelector('svg'),d=JSON.parse(svg.getAttribute('data-points')),tip=document.createElement('div');tip.className='tip';fig.appendChild(tip);
var L=+svg.dataset.plotLeft,W=+svg.dataset.plotWidth,a=+svg.dataset.firstStep,b=+svg.dataset.lastStep,cur=svg.querySelector('.cursor'),hov=svg.querySelector('.hover');
hov.addEventListener('mousemove',function(e){var p=svg.createSVGPoint();p.x=e.clientX;p.y=e.clientY;var q=p.matrixTransform(svg.getScreenCTM().inverse());
var s=a+(q.x-L)/W*(b-a),t=near(d.t,s),v=near(d.v,s),at=(t||v)[0];var x=L+(at-a)/((b-a)||1)*W;cur.setAttribute('x1',x);cur.setAttribute('x2',x);cur.setAttribute('visibility','visible');
tip.textContent=d.step+' '+at.toLocaleString('en-US')+(t?' \\u00b7 train '+fmt(t[1]):'')+(v?' \\u00b7 val '+fmt(v[1])+(v[0]!==at?' ('+d.step+' '+v[0].toLocaleString('en-US')+')':''):'');
var r=fig.getBoundingClientRect(),lx=e.clientX-r.left;tip.style.display='block';tip.style.left=(lx+12+tip.offsetWidth>r.width?lx-12-tip.offsetWidth:lx+12)+'px';tip.style.top=(e.clientY-r.top+12)+'px';});
hov.addEventListener('mouseleave',function(){tip.style.display='none';cur.setAttribute('visibility','hidden');});});
})();
`;

function page(title: string, body: string, script: boolean): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="losscurve">
<title>${esc(title)}</title>
<style>${STYLE}</style></head>
<body>
${body}
${script ? `<script>${SCRIPT}</script>` : ''}
</body></html>
`;
}
