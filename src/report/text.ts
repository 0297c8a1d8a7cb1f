// The report a person reads: header, chart, findings most severe first with their evidence, one plan of what to try, a one-line verdict.

import { Chalk } from 'chalk';
import type { Report, ReportFinding } from '../diagnose.js';
import { at, escapeText, fmtLoss, fmtStep } from '../format.js';
import type { Severity } from '../types.js';
import { ema, lineSymbols, LOG_SCALE_RANGE, renderChart, type Keep, type Layer, type YScale } from './chart.js';

export interface TextOptions {
  color: boolean;
  width: number;
  height?: number;
  /** ASCII characters only, in the whole report (a locale that is not UTF-8, or --ascii). */
  ascii?: boolean;
  /** --log-y, --linear-y; the chart chooses when unset. */
  yScale?: YScale;
  /** The steps the chart shows (--from, --to); findings anywhere are still listed. */
  from?: number;
  to?: number;
  /** --smooth: the EMA weight of a smoothed curve drawn over the raw one (dimmed); 0 or unset draws the raw curve only. */
  smooth?: number;
  /** Findings and the plan wrapped at word boundaries to this many columns; unset: one line each. */
  wrap?: number;
}

const MAX_WIDTH = 120; // wider charts add columns, not information
const DEFAULT_HEIGHT = 14;
const SEVERITY_MARK: Record<Severity, string> = { error: '✖ error', warning: '▲ warning', info: '● info' };
// findings whose point is a rise or a jump of the curve: the chart's automatic scale must not flatten them
const KEPT_PATTERNS = new Set(['overfit', 'spike', 'divergence']);

/** Text from the input as printed (src/format.ts): control characters, newlines included, escaped. */
export const safe = escapeText;
/** The same: kept for the callers that asked for one line. */
export const safeLine = escapeText;

export function toText(report: Report, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Severity, (t: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  const out: string[] = [];
  const s = report.series;

  out.push(`${c.bold('losscurve')} ${safe(report.file)} ${c.dim(`· ${report.format}`)}`);
  const seriesText = [`train: ${s.train ?? 'none'}`, s.val && `val: ${s.val}`, s.lr && `lr: ${s.lr}`, `step: ${s.step}`].filter(Boolean).join(' · ');
  const span = Number.isFinite(report.steps.first) ? ` · ${at(s.step, report.steps.first)} → ${fmtStep(report.steps.last)}` : '';
  out.push(`  ${fmtStep(report.rows)} row${report.rows === 1 ? '' : 's'}${span} · ${safe(report.verdict === 'no-loss' ? `loss: none · step: ${s.step}` : seriesText)}`);
  if (s.other_losses.length) out.push(c.dim(`  also seen, not plotted: ${safe(s.other_losses.join(', '))}`));
  const baseline = baselineSentence(report);
  // the baseline speaks only where one fits the loss (a k-way guess, an LM's vocabulary, or the one given)
  if (report.verdict !== 'no-loss' && report.baseline.applies) out.push(`  baseline ${fmtLoss(report.baseline.value)} (${report.baseline.source})${baseline ? `: the train loss ${baseline}` : ''}`);
  for (const note of report.notes) out.push(c.dim(`  note: ${safe(note)}`));
  out.push('');

  const curves = report.curves;
  const symbols = lineSymbols(options.ascii === true);
  const smooth = options.smooth !== undefined && options.smooth > 0 ? options.smooth : undefined;
  const layers: Layer[] = [];
  const layerOf: Partial<Record<'train' | 'val', number>> = {};
  const add = (name: 'train' | 'val', curve: { steps: Float64Array; values: Float64Array } | undefined, paint: (t: string) => string, dashed: boolean) => {
    if (!curve) return;
    // with --smooth the raw curve is drawn dimmed and dotted under its EMA, which is what the findings are read against
    if (smooth !== undefined) layers.push({ steps: curve.steps, values: curve.values, paint: c.dim, faint: true });
    layerOf[name] = layers.length;
    layers.push({ steps: curve.steps, values: smooth !== undefined ? ema(curve.values, smooth) : curve.values, paint, dashed });
  };
  add('train', curves.train, c.blue, false);
  add('val', curves.val, c.magenta, true);
  const mineForChart = report.findings.filter((f) => f.run === report.runs.diagnosed && KEPT_PATTERNS.has(f.pattern));
  const keep: Keep[] = mineForChart.flatMap((f) => (layerOf[f.series] === undefined ? [] : [{ layer: layerOf[f.series]!, from: f.start_step, to: f.end_step }]));
  const chart = renderChart(layers, {
    width: Math.min(MAX_WIDTH, Math.max(40, options.width)),
    height: options.height ?? DEFAULT_HEIGHT,
    baseline: report.baseline.applies ? report.baseline.value : undefined,
    paintBaseline: c.dim,
    paintAxis: c.dim,
    paintBad: c.red,
    stepName: axisName(report.series.step),
    yScale: options.yScale,
    from: options.from,
    to: options.to,
    keep,
    ascii: options.ascii,
  });
  const windowed = options.from !== undefined || options.to !== undefined;
  if (chart.lines.length) {
    // what the y axis is, said above it when it is not the plain linear axis of the whole range
    const title = [
      chart.logScale && `y: log scale${chart.autoScale ? ` (the losses span more than ×${LOG_SCALE_RANGE}; --linear-y: linear)` : ''}`,
      chart.clippedAbove !== undefined && `y: cut off above ${fmtLoss(chart.clippedAbove)} (${symbols.clip}) to show ${findingNames(mineForChart)}; --linear-y: the whole range`,
      windowed && `${windowText(report, options)} (--from/--to; findings anywhere are listed below)`,
    ].filter(Boolean);
    if (title.length) out.push(...wrapLine(c.dim(`  ${title.join(' · ')}`), options.wrap, 4));
    out.push(...chart.lines);
    const smoothed = smooth !== undefined ? `, EMA ${smooth}` : '';
    const legend = [
      curves.train && c.blue(`${symbols.solid} train (${safe(s.train ?? '')}${smoothed})`),
      curves.val && c.magenta(`${symbols.dashed} val (${safe(s.val ?? '')}${smoothed})`),
      smooth !== undefined && c.dim(`${symbols.dotted} raw`),
      chart.baselineShown && c.dim(`${symbols.baseline} baseline ${fmtLoss(report.baseline.value)}`),
      chart.nanShown && c.red(`${symbols.nan} NaN/Inf`),
      chart.logScale && c.dim('(log scale)'),
    ];
    out.push(`  ${legend.filter(Boolean).join('   ')}`);
    out.push('');
  } else if (chart.tooShort) {
    out.push(c.dim(`  chart: ${chart.tooShort}${windowed ? ` (${windowText(report, options)})` : ''}`), '');
  }

  const mine = report.findings.filter((f) => f.run === report.runs.diagnosed);
  const others = report.findings.filter((f) => f.run !== report.runs.diagnosed && f.pattern !== 'good');
  out.push(c.bold(mine.length ? `Findings (${mine.length})` : 'Findings: none'));
  const wrap = (line: string, indent?: number) => wrapLine(line, options.wrap, indent);
  for (const f of mine) out.push(...findingLines(f, report, paint, c.dim).flatMap((line) => wrap(line)));
  out.push(...planLines(report, c.bold, c.dim).flatMap((line) => wrap(line, planIndent(line))));
  if (others.length) {
    out.push('', c.bold('Other runs in this log'));
    for (const f of others) out.push(...wrap(`  ${paint[f.severity](f.pattern)} ${c.dim(`run ${f.run} · ${at(report.series.step, f.start_step)}`)}  ${safe(f.message)}`, 4));
  }
  // the verdict stays one line whatever the width: scripts grep for it
  out.push('', verdictLine(report, options.color));
  const text = out.join('\n') + '\n';
  return options.ascii ? toAscii(text) : text;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a line takes on a terminal: colour codes take none, every other character one. */
function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** A plan item's lines continue under its text, after the "  3. " of its number; a "not now" line under its words. */
function planIndent(line: string): number {
  const numbered = /^ {2}\d+\. /.exec(line.replace(ANSI, ''));
  return numbered ? numbered[0].length : 4;
}

/**
 * A line broken at spaces into lines of at most `width` columns (a word longer than that stays whole), each
 * continuation indented by `indent` (default: the line's own indent). No width: the line as it is.
 */
export function wrapLine(line: string, width: number | undefined, indent?: number): string[] {
  if (width === undefined || visibleLength(line) <= width) return [line];
  const lead = /^ */.exec(line)![0].length;
  const pad = ' '.repeat(Math.min(indent ?? lead, Math.max(0, width - 10)));
  const words = line.slice(lead).split(' ');
  const lines: string[] = [];
  let current = ' '.repeat(lead);
  let bare = true; // nothing but the indent yet
  for (const word of words) {
    if (!bare && visibleLength(current) + 1 + visibleLength(word) > width) {
      lines.push(current);
      current = pad;
      bare = true;
    }
    current += (bare ? '' : ' ') + word;
    bare = false;
  }
  lines.push(current);
  return lines;
}

// the report's own characters in ASCII: what a terminal in the C locale can show
const ASCII_FOR: Record<string, string> = {
  '·': '-', '−': '-', '–': '-', '—': '--', '→': '->', '×': 'x', '✖': 'x', '▲': '!', '●': '*', '±': '+/-', '≤': '<=', '≥': '>=',
  '≈': '~', '…': '...', '↑': '^', '↓': 'v', '∞': 'inf', 'σ': 'sigma', '√': 'sqrt', 'µ': 'u', '²': '^2', 'Δ': 'delta', 'π': 'pi', 'Σ': 'sum',
  '‘': "'", '’': "'", '“': '"', '”': '"',
};

/** The whole text report in ASCII only: the report's own characters spelled out, any other (a file's name in UTF-8) as ?. */
export function toAscii(text: string): string {
  return text.replace(/[^\x00-\x7f]/gu, (ch) => ASCII_FOR[ch] ?? '?');
}

/** "the overfit rise and the spike": the findings the chart was scaled for. */
function findingNames(findings: readonly ReportFinding[]): string {
  const names = findings.map((f) => (f.pattern === 'spike' ? 'the spike' : `the ${f.pattern}`)).filter((n, i, all) => all.indexOf(n) === i);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "steps 5,000–6,000": the window --from/--to asked for, in the log's unit. */
function windowText(report: Report, options: TextOptions): string {
  const unit = axisName(report.series.step);
  const lo = options.from !== undefined ? fmtStep(options.from) : 'the start';
  const hi = options.to !== undefined ? fmtStep(options.to) : 'the end';
  return `${unit}s ${lo}–${hi}`;
}

/** The x axis unit: "epoch" for epoch columns, "row" without a step column, else "step". */
function axisName(stepName: string): string {
  return /epoch/i.test(stepName) ? 'epoch' : stepName === 'row' ? 'row' : 'step';
}

function findingLines(f: ReportFinding, report: Report, paint: Record<Severity, (t: string) => string>, dim: (t: string) => string): string[] {
  const span = f.start_step === f.end_step ? at(report.series.step, f.start_step) : `${at(report.series.step, f.start_step)}–${fmtStep(f.end_step)}`;
  return [`  ${paint[f.severity](`${SEVERITY_MARK[f.severity]}  ${f.pattern}`)}  ${dim(`${f.series} · ${span}`)}`, `    ${safe(f.message)}`];
}

/** The one list a person follows: every finding's fixes merged (src/plan/), each with the patterns it serves. */
function planLines(report: Report, bold: (t: string) => string, dim: (t: string) => string): string[] {
  const { items, leftOut } = report.plan;
  if (!items.length && !leftOut.length) return [];
  const lines = ['', bold('What to try, in order')];
  items.forEach((item, i) => lines.push(`  ${i + 1}. ${safe(item.text)} ${dim(`[${item.serves.join(', ')}]`)}`));
  // advice left out for one reason is said with it once
  const reasons = leftOut.map((item) => item.reason).filter((r, i, all) => all.indexOf(r) === i);
  for (const reason of reasons) {
    const those = leftOut.filter((item) => item.reason === reason);
    const serves = those.flatMap((item) => item.serves).filter((p, i, all) => all.indexOf(p) === i);
    lines.push(dim(`  not now [${serves.join(', ')}]: ${those.map((item) => safe(item.text)).join('; ')}. Why: ${safe(reason)}`));
  }
  return lines;
}

/** The last line: the verdict and why (with --quiet, the only line). */
export function verdictLine(report: Report, color = false): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const word = {
    healthy: c.green.bold('HEALTHY'), warning: c.yellow.bold('WARNING'), failing: c.red.bold('FAILING'),
    inconclusive: c.yellow.bold('INCONCLUSIVE'), 'no-loss': c.yellow.bold('NO LOSS'), crashed: c.red.bold('CRASHED'),
  }[report.verdict];
  return `Verdict: ${word} — ${safeLine(report.verdict_reason)}`;
}

/** One phrase placing the train loss against the random-guess baseline, or undefined when it says nothing useful. */
export function baselineSentence(report: Report): string | undefined {
  const { start_ratio: start, end_ratio: end, applies } = report.baseline;
  if (start === null || end === null || !applies) return undefined;
  const pct = (r: number) => `${Math.round(r * 100)}%`;
  const where = `starts at ${pct(start)} and ends at ${pct(end)} of it`;
  if (end > 1.02) return `${where}: worse than guessing uniformly`;
  if (start < 0.5) return `${where} (far below from the start, as for a fine-tune or a non-LM loss)`;
  return where;
}
