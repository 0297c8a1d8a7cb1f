// One watch over one or more byte streams: feeds the session, prints alerts, keeps the status line, and says when a --fail-on finding appears.

import type { DiagnoseOptions, Report, ReportFinding } from '../diagnose.js';
import { fmtStep } from '../format.js';
import { InputError } from '../read/errors.js';
import { fails, type FailPolicy } from '../policy.js';
import { AlertPrinter, LineState, type AlertOptions } from './alerts.js';
import { WatchSession, type SessionInput } from './session.js';
import { StatusLine } from './status.js';

export interface WatcherOptions {
  name: string;
  formatId?: string;
  diagnose: DiagnoseOptions;
  /** --fail-on: a finding it fails on is a stop finding. */
  failOn: FailPolicy;
  alerts: AlertOptions;
  /** Draw the status line (stderr is a terminal). */
  status: boolean;
  /** Our stdout is the same terminal as stderr: bytes passed through to it share the screen with the status line. */
  stdoutOnScreen: boolean;
  /** A --fail-on finding appeared in the run being written (the first one only). */
  onExitOn: (finding: ReportFinding) => void;
  /** The input cannot be read as a log (or a bug of ours hit); watching has stopped (the bytes may still pass through). */
  onProblem: (problem: Error) => void;
  now?: () => number;
}

const GZIP_MAGIC = [0x1f, 0x8b]; // the first two bytes of every gzip stream

export class Watcher {
  /** The first --fail-on finding, once one appeared. */
  stopFinding: ReportFinding | undefined;
  /** Why watching stopped early: the input could not be read (InputError), or a bug of ours, which must not stop the bytes. */
  problem: Error | undefined;
  /** Where the program's stderr and stdout stand on the screen, for alerts and the status line. */
  readonly errLine = new LineState();
  readonly outLine = new LineState();
  private readonly session: WatchSession;
  private readonly alerts: AlertPrinter;
  private readonly status: StatusLine | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstChunk = true;

  constructor(private readonly options: WatcherOptions) {
    // number formatting loads its locale data on first use (~20 ms): pay that now, not between a NaN and its alert
    fmtStep(1000);
    this.session = new WatchSession({
      name: options.name,
      formatId: options.formatId,
      diagnose: options.diagnose,
      now: options.now,
      onFindings: (fresh, report, updated) => this.found(fresh, report, updated),
    });
    if (options.status) {
      const sharing = options.stdoutOnScreen ? [this.errLine, this.outLine] : [this.errLine];
      this.status = new StatusLine(process.stderr, () => ({
        progress: this.session.progress, patterns: this.session.alertedPatterns, format: this.session.formatId,
      }), sharing);
      this.status.start();
    }
    this.alerts = new AlertPrinter(process.stderr, options.alerts, this.errLine, () => this.status?.clear());
  }

  /** A new byte stream to watch. Reading problems are caught here and reported once through onProblem. */
  input(): SessionInput {
    const input = this.session.input();
    return {
      push: (chunk) => this.guard(() => {
        if (this.firstChunk && chunk.length >= 2) {
          this.firstChunk = false;
          if (chunk[0] === GZIP_MAGIC[0] && chunk[1] === GZIP_MAGIC[1]) {
            throw new InputError('is gzip-compressed; decompress it into the pipe (zcat FILE | losscurve watch)', this.options.name);
          }
        }
        input.push(chunk);
      }),
      restart: () => this.guard(() => input.restart()),
      end: () => this.guard(() => input.end()),
    };
  }

  /** Call before bytes of the watched program are written to our stdout or stderr. */
  passing(stream: 'out' | 'err', chunk: Uint8Array): void {
    if (stream === 'err' || this.options.stdoutOnScreen) this.status?.clear();
    (stream === 'err' ? this.errLine : this.outLine).saw(chunk);
  }

  /** One line of ours on stderr (a notice), placed like an alert. */
  notice(text: string): void {
    this.alerts.notice(text);
  }

  /** The full report on everything read; throws the reading problem, if there was one. */
  finish(): Report {
    this.close();
    if (this.problem) throw this.problem;
    return this.session.finish();
  }

  /** Stops the timers and takes the status line down. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.status?.stop();
  }

  private guard(work: () => void): void {
    if (this.problem) return;
    try {
      work();
    } catch (error) {
      this.problem = error instanceof Error ? error : new Error(String(error));
      this.close();
      this.options.onProblem(this.problem);
      return;
    }
    this.schedule();
  }

  /** Wakes for the next format guess or detection pass; one timer at a time, since new data never makes either earlier. */
  private schedule(): void {
    if (this.timer || this.problem) return;
    const wait = this.session.wakeIn();
    if (wait === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.guard(() => this.session.poll());
    }, wait);
    this.timer.unref();
  }

  private found(fresh: ReportFinding[], report: Report, updated?: ReadonlySet<ReportFinding>): void {
    for (const f of fresh) {
      this.alerts.finding(f, report.series.step, report.runs.count, updated?.has(f) === true);
      // as diagnose judges the last run: an old run's finding does not stop the one being written
      if (!this.stopFinding && f.run === report.runs.count && fails(this.options.failOn, f)) {
        this.stopFinding = f;
        this.options.onExitOn(f);
      }
    }
  }
}
