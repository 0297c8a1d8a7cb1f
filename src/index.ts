// The public API (`import { readLog, diagnose, renderText } from 'losscurve'`): read a log, diagnose it, render the report, or watch values as a training loop gives them. The CLI is built on it.

import { diagnose as diagnoseTable, type DiagnoseOptions as InternalOptions, type Report, type ReportFinding } from './diagnose.js';
import { explainPage, listPatterns as patternList } from './explain.js';
import { FOLDER_FORMATS, FORMATS } from './read/formats/index.js';
import { readFileSource, readStdinSource, readTable, type Source } from './read/index.js';
import type { Table } from './read/table.js';
import { toJson } from './report/json.js';
import { toText, verdictLine } from './report/text.js';
import { parsePolicy, type FailPolicy } from './policy.js';
import { WatchSession, type SessionInput } from './watch/session.js';
import { compareRuns, tokensCurve, type AxisName, type Comparison } from './compare/index.js';
import { compareJson, compareText } from './report/compare.js';

export { DETECTORS } from './detect/index.js';
export { PATTERN_IDS } from './types.js';
export { InputError } from './read/errors.js';
export { PolicyError } from './policy.js';
export { REPORT_SCHEMA } from './report/json.js';
export { escapeText } from './format.js';
export { settleBeforeExit } from './parallel/helper.js';
export type { Report, ReportFinding, Verdict } from './diagnose.js';
export type { Table, Column } from './read/table.js';
export type { FailPolicy } from './policy.js';
export type { Curve, Detector, DetectContext, EvidenceValue, Finding, PatternId, Series, SeriesName, Severity } from './types.js';
export type { Plan } from './plan/index.js';
export { CompareError, SIGNIFICANCE_Z } from './compare/index.js';
export type { AxisName, Comparison, CurveComparison, FinalComparison, BestVal } from './compare/index.js';
export { COMPARE_SCHEMA } from './report/compare.js';

// GPT-2's vocabulary: the --vocab default, the ln(V) a language model from scratch starts near
export const DEFAULT_VOCAB = 50257;
// The chart's width when nothing says otherwise: what the CLI draws for output that is no terminal
const DEFAULT_WIDTH = 100;

/** Every format readLog reads, file formats first, in the order they are tried, then the folder formats: the values of ReadLogOptions.format. */
export const FORMAT_IDS: readonly string[] = [...FORMATS.map((f) => f.id), ...FOLDER_FORMATS.map((f) => f.id)].filter((id, i, all) => all.indexOf(id) === i);

/** How readLog reads. */
export interface ReadLogOptions {
  /** Read as this format instead of recognising it by content (csv, jsonl, text, tensorboard, ...: the CLI's --input-format). */
  format?: string;
  /** How reports and errors name bytes given in memory (default "<bytes>"); a path names itself. */
  name?: string;
}

/** How diagnose judges a table; every field may be left out. */
export interface DiagnoseOptions {
  /** Which findings fail the run (verdict "failing"): "error" (the default), "warning", "nan,spike", "any", "none", or a parsed policy. */
  failOn?: string | FailPolicy;
  /** Vocabulary size of a language model: its loss is then judged against ln(vocab) whatever it starts at. */
  vocab?: number;
  /** The random-guess loss to compare against, instead of ln(vocab). */
  baseline?: number;
  /** Columns to use instead of the ones found by name. */
  step?: string;
  loss?: string;
  val?: string;
  /** 1-based run to diagnose when the log holds several (default: the last). */
  run?: number;
  /** How the report names the log (default: the name readLog read it under). */
  name?: string;
}

/** How renderText lays the report out. */
export interface RenderTextOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** Chart width in columns (default 100, at most 120). */
  width?: number;
  /** Chart height in rows. */
  height?: number;
  /** Only the verdict line (the CLI's --quiet). */
  verdictOnly?: boolean;
  /** ASCII characters only, in the whole report (default false; the CLI sets it for a locale that is not UTF-8). */
  ascii?: boolean;
  /** The chart's y axis: 'log', 'linear', or 'auto' (default: log when the losses span more than ×50 and no finding is flattened). */
  yScale?: 'auto' | 'log' | 'linear';
  /** The steps the chart shows (findings anywhere are still listed). */
  from?: number;
  to?: number;
  /** An EMA of this weight (0 ≤ w < 1, TensorBoard's smoothing) drawn over the raw curves, which are dimmed. */
  smooth?: number;
  /** Findings and the plan wrapped at word boundaries to this many columns (default: not wrapped). */
  wrap?: number;
}

// the name each table was read under, for its report (a Table itself has no name: readers never see one)
const names = new WeakMap<Table, string>();

function remember(table: Table, name: string): Table {
  names.set(table, name);
  return table;
}

/** The table of a source the caller made: the CLI's own sources (a file, stdin) come through here. */
function readFrom(source: Source, options: ReadLogOptions): Table {
  return remember(readTable(source, options.format), source.name);
}

/**
 * Reads a training log: a file or folder path (CSV, JSONL, training stdout, TensorBoard, MLflow, W&B, ...,
 * gzip too), or its bytes. Throws InputError (with `describe()`, one line naming the file and line) when it is no log.
 */
export function readLog(input: string | Uint8Array, options: ReadLogOptions = {}): Table {
  if (typeof input === 'string') return readFrom(readFileSource(input), options);
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return readFrom({ name: options.name ?? '<bytes>', bytes }, options);
}

/** Reads a log from this process's stdin (a pipe or a redirected file), as `losscurve diagnose` with no file does. */
export async function readLogFromStdin(options: ReadLogOptions = {}): Promise<Table> {
  return readFrom(await readStdinSource(), options);
}

/** The internal options: the same defaults the CLI has. */
function internalOptions(options: DiagnoseOptions): InternalOptions {
  const failOn = options.failOn === undefined ? undefined : typeof options.failOn === 'string' ? parsePolicy(options.failOn, 'failOn') : options.failOn;
  return {
    failOn,
    vocab: options.vocab ?? DEFAULT_VOCAB,
    vocabGiven: options.vocab !== undefined,
    baseline: options.baseline,
    step: options.step,
    loss: options.loss,
    val: options.val,
    run: options.run,
  };
}

/**
 * Diagnoses a table: every run's findings, the diagnosed run's verdict ("failing" exactly when the fail policy
 * fails it: the CLI then exits 1) and plan. Throws InputError when the columns asked for are not there.
 */
export function diagnose(table: Table, options: DiagnoseOptions = {}): Report {
  return diagnoseTable(table, options.name ?? names.get(table) ?? '<table>', internalOptions(options));
}

/** The text report a person reads (what `losscurve diagnose` prints), ending in a newline. */
export function renderText(report: Report, options: RenderTextOptions = {}): string {
  const color = options.color ?? false;
  if (options.verdictOnly) return verdictLine(report, color) + '\n';
  const { ascii, yScale, from, to, smooth, wrap } = options;
  return toText(report, { color, width: options.width ?? DEFAULT_WIDTH, height: options.height, ascii, yScale, from, to, smooth, wrap });
}

/** The JSON report (the documented schema, REPORT_SCHEMA), without a final newline. */
export function renderJson(report: Report): string {
  return toJson(report);
}

/** A pattern's page from docs/patterns/ (Markdown), or undefined for an id that is no pattern. */
export function explainPattern(id: string): string | undefined {
  return explainPage(id);
}

/** The patterns with their severities and titles, one a line. */
export function listPatterns(): string {
  return patternList();
}

/** How compare aligns and judges two logs: each is diagnosed with these options (its verdict is part of the comparison). */
export interface CompareOptions extends Omit<DiagnoseOptions, 'name'> {
  /** Align at equal steps (default), tokens seen (a tokens column in both logs) or epochs. */
  axis?: AxisName;
  /** How the comparison names the two logs (default: the names readLog read them under). */
  names?: [string, string];
}

/**
 * Compares two logs, each diagnosed as diagnose() does (the same run of a log holding several): aligned on one axis,
 * where they part, which is lower at the end and at its best validation, and whether that is larger than the noise.
 * Throws CompareError when they cannot be compared (no steps in common, no loss in common, an axis a log has no column for).
 */
export function compare(a: Table, b: Table, options: CompareOptions = {}): Comparison {
  const side = (table: Table, k: 0 | 1) => {
    const name = options.names?.[k] ?? names.get(table) ?? (k === 0 ? '<a>' : '<b>');
    const report = diagnoseTable(table, name, internalOptions(options));
    const columns = { step: options.step, loss: options.loss, val: options.val };
    return { report, tokens: report.runs.diagnosed > 0 ? tokensCurve(table, columns, name, report.runs.diagnosed) : undefined };
  };
  return compareRuns(side(a, 0), side(b, 1), { axis: options.axis });
}

/** The comparison as text: the two runs on one chart, where they part, the ends, best validation, both verdicts, the result line. */
export function renderCompareText(comparison: Comparison, options: Omit<RenderTextOptions, 'verdictOnly'> = {}): string {
  return compareText(comparison, { color: options.color ?? false, width: options.width ?? DEFAULT_WIDTH, height: options.height });
}

/** The comparison as its documented JSON object (COMPARE_SCHEMA), without a final newline. */
export function renderCompareJson(comparison: Comparison): string {
  return compareJson(comparison);
}

/** How createWatcher watches. */
export interface WatcherOptions extends DiagnoseOptions {
  /**
   * Called for each finding as soon as it is established (a NaN on the value that shows it; others once they held for
   * two passes), never twice for one finding, except that end() may call it again with `updated` true when the whole
   * run changed its numbers. `report` is the pass's report, on the values pushed so far.
   */
  onFinding?: (finding: ReportFinding, report: Report, updated: boolean) => void;
  /** Milliseconds on a monotonic clock (default performance.now); tests pass their own. */
  now?: () => number;
}

/** Values from a training loop, diagnosed as they come. */
export interface LossWatcher {
  /** One step's train loss and, when this step has one, its validation loss. NaN and Infinity are values (the nan pattern). */
  push(step: number, loss: number, val?: number): void;
  /** Ends the watch: the full report on every value pushed, the one diagnose gives on the same values (InputError when none was). */
  end(): Report;
}

/** A value as a CSV cell: JavaScript's shortest round-trip form, so the number read back is the number pushed. */
function cell(x: number): string {
  if (typeof x !== 'number') throw new TypeError(`losscurve watcher: a loss must be a number, got ${typeof x}`);
  return String(x);
}

/**
 * The `watch` engine for a training loop: push each step's values; findings come to onFinding as the CLI's
 * `losscurve watch` would alert them (passes at a bounded rate, a NaN at once), and end() gives the report.
 * Detection runs inside push (never on a timer), so a loop that stops pushing gets the rest at end().
 */
export function createWatcher(options: WatcherOptions = {}): LossWatcher {
  const name = options.name ?? '<watcher>';
  const session = new WatchSession({
    name,
    formatId: 'csv',
    diagnose: internalOptions(options),
    now: options.now,
    onFindings: (fresh, report, updated) => { for (const f of fresh) options.onFinding?.(f, report, updated?.has(f) === true); },
  });
  // the values become the lines of a CSV log, so the engine is the one `losscurve watch` runs on a file
  const input: SessionInput = session.input();
  input.push(Buffer.from('step,loss,val_loss\n'));
  let ended = false;
  return {
    push(step: number, loss: number, val?: number): void {
      if (ended) throw new Error('losscurve watcher: push() after end()');
      if (typeof step !== 'number' || !Number.isFinite(step)) throw new TypeError(`losscurve watcher: a step must be a finite number, got ${String(step)}`);
      input.push(Buffer.from(`${step},${cell(loss)},${val === undefined ? '' : cell(val)}\n`));
      session.poll();
    },
    end(): Report {
      ended = true;
      return session.finish();
    },
  };
}
