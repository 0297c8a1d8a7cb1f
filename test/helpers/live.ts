// Helpers for watch tests: seeded logs, chunked feeding of a session on a fake clock, and a toy line format for training stdout.

import type { Report, ReportFinding } from '../../src/diagnose.js';
import { diagnose } from '../../src/diagnose.js';
import type { Format, LineParser } from '../../src/read/format.js';
import { FORMATS } from '../../src/read/formats/index.js';
import { readTable } from '../../src/read/index.js';
import { LineSplitter } from '../../src/read/engine/lines.js';
import { TableBuilder, type Table } from '../../src/read/table.js';
import { WatchSession, type SessionOptions } from '../../src/watch/session.js';

export const OPTIONS = { vocab: 50257 };

/** A seeded curve: healthy, or going NaN / diverging at a known step. Deterministic, so a failure can be replayed. */
export function curve(kind: 'healthy' | 'nan' | 'divergence', steps: number, eventStep: number, seed = 7): number[] {
  let s = seed >>> 0;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
  return Array.from({ length: steps + 1 }, (_, step) => {
    const healthy = 2 + 8 * Math.exp(-step / (steps / 5)) + 0.05 * noise();
    if (kind === 'nan' && step >= eventStep) return NaN;
    if (kind === 'divergence' && step >= eventStep) return healthy + 0.02 * (step - eventStep); // a steady climb: an accelerating one is never called divergence (see the report)
    return healthy;
  });
}

const num = (x: number) => (Number.isNaN(x) ? 'nan' : x.toFixed(4));

export function csvLog(losses: number[]): string {
  return 'step,loss\n' + losses.map((x, step) => `${step},${num(x)}\n`).join('');
}

export function jsonlLog(losses: number[]): string {
  return losses.map((x, step) => `{"step": ${step}, "loss": ${Number.isNaN(x) ? 'NaN' : num(x)}}\n`).join('');
}

/** Training stdout in a shape no built-in format reads: "step 12 | loss 2.3456". */
export function stepLog(losses: number[]): string {
  return 'starting run\n' + losses.map((x, step) => `step ${step} | loss ${num(x)}\n`).join('');
}

/** A line parser for stepLog's shape, to show watch works with any LineParser, not just CSV and JSONL. */
class StepLineParser implements LineParser {
  readonly builder = new TableBuilder();
  private readonly step = this.builder.column('step');
  private readonly loss = this.builder.column('loss');

  line(text: string, lineNo: number): void {
    const m = /^step (\d+) \| loss (\S+)$/.exec(text);
    if (!m) return this.builder.skipped.add(lineNo);
    this.builder.beginRow(lineNo);
    this.builder.set(this.step, Number(m[1]));
    this.builder.set(this.loss, m[2] === 'nan' ? NaN : Number(m[2]));
  }

  overlong(lineNo: number): void {
    this.builder.skipped.add(lineNo);
  }

  finish(): Table {
    return this.builder.finish('step lines');
  }
}

export const STEP_FORMAT: Format = {
  id: 'steps',
  matches: (head) => head.lines.some((l) => l.startsWith('step ')),
  lines: () => new StepLineParser(),
};
// first, so the general text-log reader (which would also read these lines) does not claim them
export const FORMATS_WITH_STEPS: readonly Format[] = [STEP_FORMAT, ...FORMATS];

/** diagnose on the whole log at once, as `losscurve diagnose` reads it. */
export function offline(text: string): Report {
  return diagnose(readTable({ name: 'log', bytes: Buffer.from(text) }), 'log', OPTIONS);
}

/** diagnose on a whole log read by a test format's parser, split as readTable splits. */
export function offlineSteps(text: string): Report {
  const parser = STEP_FORMAT.lines!({ bytes: Buffer.alloc(0), lines: [], binary: false });
  const splitter = new LineSplitter((line, n, terminated) => parser.line(line, n, terminated), (n) => parser.overlong(n));
  splitter.push(Buffer.from(text));
  splitter.end();
  return diagnose(parser.finish(), 'log', OPTIONS);
}

export interface Fed {
  session: WatchSession;
  /** Every first alert of a finding, with the number of lines fed when it came. */
  alerts: Array<{ finding: ReportFinding; linesFed: number }>;
  /** The alerts at the end that said an alerted finding again with the whole log's numbers. */
  updates: ReportFinding[];
  report: Report;
}

/**
 * Feeds a log to a session line by line on a fake clock that advances `msPerLine` per line, polling
 * as a timer would; then finishes it. Nothing here waits for real time.
 */
export function feedLines(text: string, msPerLine: number, extra: Partial<SessionOptions> = {}): Fed {
  let now = 0;
  let linesFed = 0;
  const alerts: Fed['alerts'] = [];
  const updates: ReportFinding[] = [];
  const session = new WatchSession({
    name: 'log', diagnose: OPTIONS, now: () => now,
    onFindings: (fresh, _report, updated) => {
      for (const finding of fresh) (updated?.has(finding) ? updates.push(finding) : alerts.push({ finding, linesFed }));
    },
    ...extra,
  });
  const input = session.input();
  for (const line of text.split(/(?<=\n)/)) {
    linesFed++;
    input.push(Buffer.from(line));
    now += msPerLine;
    session.poll();
  }
  return { session, alerts, updates, report: session.finish() };
}

/** Feeds bytes in chunks of the given sizes (cycled), ignoring time: what a pipe does to a fast producer. */
export function feedChunks(bytes: Buffer, sizes: number[], extra: Partial<SessionOptions> = {}): Report {
  const session = new WatchSession({ name: 'log', diagnose: OPTIONS, onFindings: () => {}, ...extra });
  const input = session.input();
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    input.push(bytes.subarray(at, at + size));
    at += size;
  }
  return session.finish();
}

/** What two reports must agree on: the findings, with their numbers, and what was read. */
export function essence(report: Report) {
  const { curves: _curves, file: _file, ...rest } = report;
  return rest;
}
