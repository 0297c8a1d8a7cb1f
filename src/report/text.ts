// The report a person reads: header, chart, findings most severe first with their evidence, one plan of what to try, a one-line verdict.

import { Chalk } from 'chalk';
import type { Report, ReportFinding } from '../diagnose.js';
import { at, escapeText, fmtLoss, fmtStep } from '../format.js';
import type { Severity } from '../types.js';
import { NAN_MARK, renderChart } from './chart.js';

export interface TextOptions {
  color: boolean;
  width: number;
  height?: number;
}

const MAX_WIDTH = 120; // wider charts add columns, not information
const DEFAULT_HEIGHT = 14;
const SEVERITY_MARK: Record<Severity, string> = { error: '✖ error', warning: '▲ warning', info: '● info' };

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
  const layers = [];
  if (curves.train) layers.push({ steps: curves.train.steps, values: curves.train.values, paint: c.blue });
  if (curves.val) layers.push({ steps: curves.val.steps, values: curves.val.values, paint: c.magenta, dashed: true });
  const chart = renderChart(layers, {
    width: Math.min(MAX_WIDTH, Math.max(40, options.width)),
    height: options.height ?? DEFAULT_HEIGHT,
    baseline: report.baseline.applies ? report.baseline.value : undefined,
    paintBaseline: c.dim,
    paintAxis: c.dim,
    paintBad: c.red,
    stepName: axisName(report.series.step),
  });
  if (chart.lines.length) {
    out.push(...chart.lines);
    const legend = [curves.train && c.blue(`── train (${safe(s.train ?? '')})`), curves.val && c.magenta(`╌╌ val (${safe(s.val ?? '')})`), chart.baselineShown && c.dim(`┄┄ baseline ${fmtLoss(report.baseline.value)}`), chart.nanShown && c.red(`${NAN_MARK} NaN/Inf`), chart.logScale && c.dim('(log scale)')];
    out.push(`  ${legend.filter(Boolean).join('   ')}`);
    out.push('');
  }

  const mine = report.findings.filter((f) => f.run === report.runs.diagnosed);
  const others = report.findings.filter((f) => f.run !== report.runs.diagnosed && f.pattern !== 'good');
  out.push(c.bold(mine.length ? `Findings (${mine.length})` : 'Findings: none'));
  for (const f of mine) out.push(...findingLines(f, report, paint, c.dim));
  out.push(...planLines(report, c.bold, c.dim));
  if (others.length) {
    out.push('', c.bold('Other runs in this log'));
    for (const f of others) out.push(`  ${paint[f.severity](f.pattern)} ${c.dim(`run ${f.run} · ${at(report.series.step, f.start_step)}`)}  ${safe(f.message)}`);
  }
  out.push('', verdictLine(report, options.color));
  return out.join('\n') + '\n';
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
