// The incremental diagnosis: lines from any number of streams into one line parser, NaN checked per line, detection re-run at a bounded rate.

import { CR, LF } from '../read/engine/bytes.js';
import { diagnose, type DiagnoseOptions, type Report, type ReportFinding } from '../diagnose.js';
import { EMPTY_INPUT, InputError } from '../read/errors.js';
import { finishedTable, withFormatMarks, type Format, type LineParser } from '../read/format.js';
import { FORMATS } from '../read/formats/index.js';
import { LineSplitter } from '../read/engine/lines.js';
import { FindingLedger, type PassShape } from './ledger.js';
import { NanTrigger } from './nan-trigger.js';
import { DetectionPacer } from './pace.js';
import { Progress } from './progress.js';
import { HeadSniffer, type HeldLine } from './sniff.js';

export interface SessionOptions {
  /** How reports and errors name the input: a path, "<stdin>" or the command. */
  name: string;
  /** --input-format: read as this format instead of recognising it. */
  formatId?: string;
  diagnose: DiagnoseOptions;
  /**
   * Findings a pass established (never the same one twice), with that pass's report. At the end, the final
   * report's findings not alerted yet, and those in `updated`: alerted before, with numbers the full log changed.
   */
  onFindings: (fresh: ReportFinding[], report: Report, updated?: ReadonlySet<ReportFinding>) => void;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
  /** The formats to recognise, in order (default: every format losscurve reads); tests add their own line formats. */
  formats?: readonly Format[];
}

/** One byte stream into the session (a file, stdin, a child's stdout or stderr); each splits its own lines. */
export interface SessionInput {
  push(chunk: Uint8Array): void;
  /** The stream restarted (a truncated or rotated file): a half-written line before it is a line of its own. */
  restart(): void;
  end(): void;
}


/**
 * The table lives in the parser's TableBuilder (typed arrays, no lines kept), so memory grows with
 * the points, not the bytes. The final report is diagnose() on that same table: what watch reports
 * at the end is what diagnose says about the saved log.
 */
export class WatchSession {
  readonly progress = new Progress();
  private readonly sniffer = new HeadSniffer();
  private readonly pacer = new DetectionPacer();
  private readonly ledger = new FindingLedger();
  private readonly trigger: NanTrigger;
  private readonly now: () => number;
  private readonly formats: readonly Format[];
  private readonly inputs: Array<{ splitter: LineSplitter; ended: boolean }> = [];
  private format: Format | undefined;
  private parser: LineParser | undefined;
  private settled = false;
  private lineNo = 0;
  private checkedRows = 0;
  private fresh = false;
  private bytesSeen = 0;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? (() => performance.now());
    this.formats = options.formats ?? FORMATS;
    this.trigger = new NanTrigger(options.diagnose);
  }

  input(): SessionInput {
    const splitter = new LineSplitter(
      (text, _lineNo, terminated) => this.line({ text, lineNo: ++this.lineNo, terminated, overlong: false }),
      () => this.line({ text: '', lineNo: ++this.lineNo, terminated: true, overlong: true }),
    );
    const input = { splitter, ended: false };
    this.inputs.push(input);
    let last = LF;
    return {
      push: (chunk) => {
        if (chunk.length === 0 || input.ended) return;
        this.bytesSeen += chunk.length;
        last = chunk[chunk.length - 1];
        splitter.push(chunk);
      },
      restart: () => {
        if (last !== LF && last !== CR) splitter.pushText('\n');
        last = LF;
      },
      end: () => {
        if (input.ended) return;
        input.ended = true;
        splitter.end();
      },
    };
  }

  /** The format chosen so far (a guess until the head is complete). */
  get formatId(): string | undefined {
    return this.format?.id;
  }

  /** Runs what is due by now: a format guess, a detection pass. */
  poll(): void {
    const now = this.now();
    if (!this.settled && this.sniffer.guessDue(now)) this.settle(false);
    if (this.pacer.due(now, this.passWanted)) this.detect(true);
  }

  /** Milliseconds until poll() has something to do, or undefined when only new input can give it work. */
  wakeIn(): number | undefined {
    const now = this.now();
    const guess = this.settled ? undefined : this.sniffer.guessWakeIn(now);
    const pass = this.pacer.wakeIn(now, this.passWanted);
    if (guess === undefined) return pass;
    return pass === undefined ? guess : Math.min(guess, pass);
  }

  /** New rows came since the last pass, or a finding waits for its confirming pass. */
  private get passWanted(): boolean {
    return this.fresh || this.ledger.pending;
  }

  /** Ends every input and gives the full report: diagnose() on the table read. Throws InputError as diagnose would. */
  finish(): Report {
    for (const input of this.inputs) if (!input.ended) { input.ended = true; input.splitter.end(); }
    if (this.bytesSeen === 0) throw new InputError(EMPTY_INPUT, this.options.name);
    if (!this.settled) this.settle(true, true);
    const report = diagnose(finishedTable(this.parser!.finish(), this.format!, this.options.name), this.options.name, this.options.diagnose);
    // alerts and the report agree: every finding the report lists was alerted, its last alert with the report's numbers
    const { fresh, updated } = this.ledger.settle(report.findings, this.shapeOf(report));
    if (fresh.length > 0) this.options.onFindings(fresh, report, updated);
    return report;
  }

  private shapeOf(report: Report): PassShape {
    return {
      stepSpan: report.steps.last - report.steps.first,
      points: Math.max(report.curves.train?.steps.length ?? 0, report.curves.val?.steps.length ?? 0),
    };
  }

  private line(line: HeldLine): void {
    if (this.settled) return this.feed(line);
    const now = this.now();
    this.sniffer.hold(line, now);
    if (this.sniffer.complete) this.settle(true);
    else if (!(this.sniffer.guessDue(now) && this.settle(false)) && this.parser) this.feed(line);
  }

  /**
   * Chooses the format from the held head and reads the held lines again with a new parser. For
   * good (`final`) once the head is complete: then the lines are let go. A complete head no format
   * recognises slides on (a long preamble); binary data, or the end of input (`atEnd`), is an input error.
   * True when the held lines were read again.
   */
  private settle(final: boolean, atEnd = false): boolean {
    const chosen = this.sniffer.choose(this.formats, this.options.formatId, this.options.name, this.now());
    if (!chosen || (!chosen.format.lines && !final)) {
      if (final && (atEnd || this.sniffer.binary)) throw this.unrecognised();
      if (final) this.sniffer.slide();
      return false;
    }
    if (!chosen.format.lines) {
      throw new InputError(`reads as ${chosen.format.id}, which is read whole, not line by line; use losscurve diagnose on it once it is written`, this.options.name);
    }
    this.format = chosen.format;
    this.parser = chosen.format.lines(chosen.head);
    this.checkedRows = 0;
    this.trigger.reset();
    this.progress.reset();
    const held = this.sniffer.lines;
    if (final) {
      this.settled = true;
      this.sniffer.release();
    }
    for (const line of held) this.feed(line);
    return true;
  }

  private feed(line: HeldLine): void {
    const parser = this.parser!;
    if (line.overlong) parser.overlong(line.lineNo);
    else parser.line(line.text, line.lineNo, line.terminated);
    const builder = parser.builder;
    const rows = builder.rows;
    let fired = false;
    // the last row is checked again: a format may fill a row over several lines (a step line, then its losses)
    for (let r = Math.max(0, Math.min(this.checkedRows, rows) - 1); r < rows; r++) {
      if (r >= this.checkedRows) this.progress.observe(builder, r);
      if (this.trigger.check(builder, r)) fired = true;
    }
    if (rows !== this.checkedRows) this.fresh = true;
    this.checkedRows = rows;
    // a NaN is alerted on the line that shows it, not at the next regular pass
    if (fired) this.detect(false);
  }

  /** One detection pass over the table so far; new findings go to onFindings. Too little data yet is not an error. */
  private detect(regular: boolean): void {
    if (!this.parser || !this.format) return;
    const start = this.now();
    this.fresh = false;
    const table = withFormatMarks(this.parser.builder.snapshot(this.format.id), this.format);
    let report: Report | undefined;
    try {
      if (table.rows > 0) report = diagnose(table, this.options.name, this.options.diagnose);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
    this.pacer.ran(start, this.now());
    if (!report) return;
    const lastRun = report.runs.count;
    this.progress.prefer(report.series.train, report.series.step);
    if (regular && !report.findings.some((f) => f.pattern === 'nan' && f.run === lastRun)) this.trigger.rearm();
    const fresh = this.ledger.update(report.findings, this.shapeOf(report));
    if (fresh.length > 0) this.options.onFindings(fresh, report);
  }

  /** Patterns alerted so far, for the status line. */
  get alertedPatterns(): string[] {
    return this.ledger.patterns;
  }

  private unrecognised(): InputError {
    const tried = this.formats.filter((f) => f.lines).map((f) => f.id).join(', ');
    const n = this.lineNo;
    const what = this.sniffer.binary ? 'binary data' : 'text';
    return new InputError(`is ${what} in no log format losscurve reads line by line (tried ${tried} on ${n} line${n === 1 ? '' : 's'}); give a training log, or --input-format to force one`, this.options.name);
  }
}
