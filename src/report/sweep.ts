// Many runs in one report: each run's JSON entry (today's report plus its final and best losses), one table worst first, the failing runs' details.

import { Chalk } from 'chalk';
import type { Report, Verdict } from '../diagnose.js';
import { at, escapeText, fmtLoss, fmtStep } from '../format.js';
import { REPORT_SCHEMA, jsonText, reportObject } from './json.js';

/** A point of a curve: the step and the value there. */
export interface StepValue {
  step: number;
  value: number;
}

/** What the sweep table shows of a run besides its findings; kept in the JSON so that summarize can rebuild the table. */
export interface RunSummary {
  final_train: StepValue | null;
  best_val: StepValue | null;
}

export type ReportEntry = ReturnType<typeof reportObject> & { summary: RunSummary };

/** An input that gave no report (it cannot be read): one row of the table, one line of JSONL. */
export interface ErrorEntry {
  schema: number;
  file: string;
  verdict: 'unreadable';
  error: string;
}

export type SweepEntry = ReportEntry | ErrorEntry;
export type SweepVerdict = Verdict | 'unreadable';

// worst first: a failed policy, a crash, an input that could not be judged at all, then the milder verdicts
export const VERDICT_ORDER: readonly SweepVerdict[] = ['failing', 'crashed', 'unreadable', 'warning', 'inconclusive', 'no-loss', 'healthy'];
const SEVERITY_ORDER = ['error', 'warning', 'info'];

export function isErrorEntry(entry: SweepEntry): entry is ErrorEntry {
  return entry.verdict === 'unreadable';
}

/** A run's entry: the report's JSON object and the losses the table shows. */
export function entryOf(report: Report): ReportEntry {
  const train = report.curves.train;
  const val = report.curves.val;
  return { ...reportObject(report), summary: { final_train: train ? lastFinite(train.steps, train.values) : null, best_val: val ? lowest(val.steps, val.values) : null } };
}

export function errorEntry(file: string, error: string): ErrorEntry {
  return { schema: REPORT_SCHEMA, file, verdict: 'unreadable', error };
}

function lastFinite(steps: ArrayLike<number>, values: ArrayLike<number>): StepValue | null {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return { step: steps[i], value: values[i] };
  return null;
}

function lowest(steps: ArrayLike<number>, values: ArrayLike<number>): StepValue | null {
  let best = -1;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]) && (best < 0 || values[i] < values[best])) best = i;
  return best < 0 ? null : { step: steps[best], value: values[best] };
}

/** The diagnosed run's most severe finding other than good, or undefined. */
export function worstFinding(entry: ReportEntry) {
  return entry.findings.find((f) => f.run === entry.runs.diagnosed && f.pattern !== 'good');
}

/** Entries worst first: by verdict, then the worst finding's severity, then by path, so any sharding of a sweep gives one order. */
export function worstFirst(entries: readonly SweepEntry[]): SweepEntry[] {
  const severity = (e: SweepEntry) => {
    const w = isErrorEntry(e) ? undefined : worstFinding(e);
    return w ? SEVERITY_ORDER.indexOf(w.severity) : SEVERITY_ORDER.length;
  };
  return [...entries].sort((a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || severity(a) - severity(b)
    || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** How many runs got each verdict, worst first, and the call's own verdict word. */
export function verdictCounts(entries: readonly SweepEntry[]): Array<[SweepVerdict, number]> {
  return VERDICT_ORDER.map((v) => [v, entries.filter((e) => e.verdict === v).length] as [SweepVerdict, number]).filter(([, n]) => n > 0);
}

/** "12 runs: 3 failing, 1 unreadable, 8 healthy". */
export function countsLine(entries: readonly SweepEntry[]): string {
  const counts = verdictCounts(entries).map(([v, n]) => `${n} ${v}`).join(', ');
  return `${entries.length} run${entries.length === 1 ? '' : 's'}: ${counts || 'none'}`;
}

/** The cells of a row as plain text: run, format, verdict, worst finding, final train, best validation. */
export function rowCells(entry: SweepEntry): string[] {
  if (isErrorEntry(entry)) return [entry.file, '—', 'unreadable', entry.error, '—', '—'];
  const stepName = entry.series.step;
  const worst = worstFinding(entry);
  const finding = worst ? `${worst.pattern} (${worst.series}) at ${at(stepName, worst.start_step)}` : '—';
  const { final_train: train, best_val: val } = entry.summary;
  return [
    entry.file, entry.format, entry.verdict, finding,
    train ? fmtLoss(train.value) : '—',
    val ? `${fmtLoss(val.value)} at ${at(stepName, val.step)}` : '—',
  ];
}

export const TABLE_HEADER = ['run', 'format', 'verdict', 'worst finding', 'final train', 'best val'];

export interface SweepTextOptions {
  color: boolean;
}

/** The fail policies the runs were judged by, as the summary line says them (shards may have used different ones). */
function policiesOf(entries: readonly SweepEntry[]): string {
  const policies = [...new Set(entries.filter((e) => !isErrorEntry(e)).map((e) => (e as ReportEntry).fail_on))];
  return policies.length ? ` (--fail-on ${policies.map(escapeText).join(' / ')})` : '';
}

/** The text report of many runs: one table worst first, the details of the failing and unreadable ones, the summary line. */
export function sweepText(entries: readonly SweepEntry[], options: SweepTextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const sorted = worstFirst(entries);
  const rows = [TABLE_HEADER, ...sorted.map((e) => rowCells(e).map(escapeText))];
  const widths = TABLE_HEADER.map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  const paintVerdict = (v: string) => (v === 'failing' || v === 'crashed' || v === 'unreadable' ? c.red(v) : v === 'healthy' ? c.green(v) : c.yellow(v));
  const out: string[] = [`${c.bold('losscurve')} ${c.dim(`· ${sorted.length} runs, worst first`)}`, ''];
  rows.forEach((row, i) => {
    // the verdict cell is padded before it is painted, so colour codes do not shift the columns
    const cells = row.map((cell, k) => (k === row.length - 1 ? cell : cell.padEnd(widths[k])));
    if (i === 0) out.push(c.bold(`  ${cells.join('  ')}`));
    else out.push(`  ${cells.map((cell, k) => (k === 2 ? paintVerdict(cell) : cell)).join('  ')}`);
  });
  const failing = sorted.filter((e) => e.verdict === 'failing' || e.verdict === 'crashed' || e.verdict === 'unreadable');
  if (failing.length) out.push('', c.bold('Failing runs'));
  for (const entry of failing) out.push('', ...detailLines(entry, c));
  out.push('', `${c.bold('Summary:')} ${countsLine(sorted)}${policiesOf(sorted)}`);
  return out.join('\n') + '\n';
}

/** A failing run in a few lines: where, its findings, the plan, the verdict's reason. */
function detailLines(entry: SweepEntry, c: InstanceType<typeof Chalk>): string[] {
  if (isErrorEntry(entry)) return [`  ${c.bold(escapeText(entry.file))}`, `    ${c.red('cannot be read')}: ${escapeText(entry.error)}`];
  const stepName = entry.series.step;
  const lines = [`  ${c.bold(escapeText(entry.file))} ${c.dim(`· ${escapeText(entry.format)}`)}`];
  for (const f of entry.findings.filter((x) => x.run === entry.runs.diagnosed && x.pattern !== 'good')) {
    const span = f.start_step === f.end_step ? at(stepName, f.start_step) : `${at(stepName, f.start_step)}–${fmtStep(f.end_step)}`;
    lines.push(`    ${f.severity} ${f.pattern} ${c.dim(`${f.series} · ${span}`)}: ${escapeText(f.message)}`);
  }
  entry.plan.forEach((item, i) => lines.push(`    ${i === 0 ? 'try' : '   '} ${i + 1}. ${escapeText(item.text)}`));
  lines.push(`    ${c.dim(`${entry.verdict}: ${escapeText(entry.verdict_reason)}`)}`);
  return lines;
}

/** --format json over many runs: an array of entries, in input order. */
export function sweepJson(entries: readonly SweepEntry[]): string {
  return jsonText(entries, 2) + '\n';
}

/** --format jsonl: one entry on one line. */
export function jsonlLine(entry: SweepEntry): string {
  return jsonText(entry, 0) + '\n';
}
