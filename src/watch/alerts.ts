// Alert lines on stderr, one per finding as it is established: a sentence for people or a JSON object for machines.

import { Chalk } from 'chalk';
import type { ReportFinding } from '../diagnose.js';
import { at, fmtStep } from '../format.js';
import { findingJson } from '../report/json.js';
import { safe } from '../report/text.js';
import type { Severity } from '../types.js';

/** Where a stream shared with the watched program stands: mid-line after a partial line it wrote. */
export class LineState {
  private mid = false;

  /** Notes bytes the program wrote to the stream. */
  saw(chunk: Uint8Array): void {
    if (chunk.length > 0) this.mid = chunk[chunk.length - 1] !== 10;
  }

  /** Notes a whole line of ours. */
  ended(): void {
    this.mid = false;
  }

  get midLine(): boolean {
    return this.mid;
  }
}

export interface AlertOptions {
  json: boolean;
  color: boolean;
}

const MARK: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

export class AlertPrinter {
  private readonly paint: Record<Severity, (t: string) => string>;

  /** `beforeWrite` lets a status line step aside first. */
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly options: AlertOptions,
    private readonly line: LineState = new LineState(),
    private readonly beforeWrite: () => void = () => {},
  ) {
    const c = new Chalk({ level: options.color ? 1 : 0 });
    this.paint = { error: c.red.bold, warning: c.yellow.bold, info: c.cyan };
  }

  /**
   * One finding: "losscurve: ✖ nan · train · step 3,000: <message with the numbers>". An `update` is a finding
   * alerted before, said again at the end with the numbers of the whole log (JSON: the same object with `"update": true`).
   */
  finding(f: ReportFinding, stepName: string, runs: number, update = false): void {
    if (this.options.json) return this.write(JSON.stringify(update ? { ...findingJson(f), update: true } : findingJson(f), jsonSafe));
    const span = f.start_step === f.end_step ? at(stepName, f.start_step) : `${at(stepName, f.start_step)}–${fmtStep(f.end_step)}`;
    const run = runs > 1 ? ` · run ${f.run}` : '';
    const again = update ? ' (updated with the whole log)' : '';
    this.write(`losscurve: ${this.paint[f.severity](`${MARK[f.severity]} ${f.pattern}`)} · ${f.series} · ${span}${run}${again}: ${safe(f.message)}`);
  }

  /** A one-line notice that is not a finding (the log cannot be read; watching stopped, the stream goes on). */
  notice(text: string): void {
    this.write(`losscurve: ${safe(text)}`);
  }

  private write(text: string): void {
    this.beforeWrite();
    // an alert starts on a line of its own, even after a progress bar the program left half-drawn
    this.out.write(`${this.line.midLine ? '\n' : ''}${text}\n`);
    this.line.ended();
  }
}

/** NaN and Infinity are not JSON: evidence holding them says null, as in diagnose --format json. */
export function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
