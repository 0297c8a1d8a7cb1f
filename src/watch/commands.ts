// The two live commands end to end: watch a file or stdin (optionally teeing it), or run a training command and watch its output.

import type { DiagnoseOptions, Report, ReportFinding } from '../diagnose.js';
import { InputError } from '../read/errors.js';
import type { FailPolicy } from '../policy.js';
import type { AlertOptions } from './alerts.js';
import { ChildRun, type ChildExit } from './child.js';
import { FileFollower, StreamSource, type ChunkSource } from './follow.js';
import { Tee } from './tee.js';
import { Watcher } from './watcher.js';

export interface LiveOptions {
  formatId?: string;
  diagnose: DiagnoseOptions;
  failOn: FailPolicy;
  alerts: AlertOptions;
}

/** What happened; cli.ts turns it into the printed report and the exit code. */
export interface LiveOutcome {
  report?: Report;
  /** The input could not be read as a log, an InputError (watching stopped; a tee or a child went on), or a bug of ours. */
  error?: Error;
  /** The first --fail-on finding: it ended the watch (not with --tee) or stopped the command. */
  stoppedBy?: ReportFinding;
  /** How the command ended (run only). */
  exit?: ChildExit;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Listens for the signals that end a watch; returns the function that stops listening. */
function onSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const s of SIGNALS) process.on(s, handler);
  return () => { for (const s of SIGNALS) process.off(s, handler); };
}

function screen(): { status: boolean; stdoutOnScreen: boolean } {
  const status = process.stderr.isTTY === true;
  return { status, stdoutOnScreen: status && process.stdout.isTTY === true };
}

/**
 * `losscurve watch [FILE|-]`: reads until the end of input (a file: until a signal), then reports.
 * The first signal ends it once what is written is read; a second ends it now. With `tee`, every
 * byte goes to stdout first, whatever happens to the watching, and to the end of input: a --fail-on
 * finding is alerted but does not cut the pipe (stopping the trainer is `run`'s job); the exit code comes at the end.
 */
export async function watchInput(file: string | undefined, tee: boolean, options: LiveOptions): Promise<LiveOutcome> {
  const fromFile = file !== undefined && file !== '-';
  const name = fromFile ? file : '<stdin>';
  const source: ChunkSource = fromFile ? await FileFollower.open(file) : new StreamSource(process.stdin);
  const watcher = new Watcher({
    name, formatId: options.formatId, diagnose: options.diagnose, failOn: options.failOn, alerts: options.alerts, ...screen(),
    onExitOn: () => { if (!tee) source.stop(); },
    onProblem: (problem) => {
      if (!tee) return source.stop();
      watcher.notice(`${describe(problem)} (not watching; the input still passes through)`);
    },
  });
  const input = watcher.input();
  if (source instanceof FileFollower) source.onRestart = () => input.restart();
  // a reader that goes away (| head) ends the watch quietly; a failing output (disk full) is said once
  const out = tee ? new Tee(process.stdout, (failure) => {
    if (failure) watcher.notice(`stdout: ${failure.message}`);
    source.stop();
  }) : undefined;
  let signals = 0;
  const stopListening = onSignals(() => (++signals === 1 ? source.finishSoon() : source.stop()));
  try {
    for await (const chunk of source.chunks()) {
      if (out) watcher.passing('out', chunk);
      const wait = out?.write(chunk);
      input.push(chunk);
      if (wait) await wait;
      if (!tee && (watcher.stopFinding || watcher.problem)) break;
    }
  } finally {
    stopListening();
    source.stop();
    watcher.close();
  }
  return conclude(watcher);
}

/**
 * `losscurve run -- CMD ARGS...`: runs the command, passing its stdout and stderr through unchanged
 * and watching both. A --fail-on finding stops it (SIGTERM, then SIGKILL after `graceMs`).
 */
export async function runCommand(command: string, args: string[], graceMs: number, options: LiveOptions, reportTo: 'stdout' | 'stderr' | 'file' = 'stderr'): Promise<LiveOutcome> {
  let child: ChildRun | undefined;
  const watcher = new Watcher({
    name: [command, ...args].join(' '), formatId: options.formatId, diagnose: options.diagnose, failOn: options.failOn,
    alerts: options.alerts, ...screen(),
    onExitOn: () => child?.stop(),
    onProblem: (problem) => watcher.notice(`${describe(problem)} (not watching; the command runs on)`),
  });
  const fromStdout = watcher.input();
  const fromStderr = watcher.input();
  // a reader of our stdout that goes away does not end the training: its output is dropped from then on
  const out = new Tee(process.stdout, () => {});
  const err = new Tee(process.stderr, () => {});
  child = new ChildRun(command, args, (chunk) => {
    watcher.passing('out', chunk);
    const wait = out.write(chunk);
    fromStdout.push(chunk);
    return wait;
  }, (chunk) => {
    watcher.passing('err', chunk);
    const wait = err.write(chunk);
    fromStderr.push(chunk);
    return wait;
  }, graceMs);
  let exit: ChildExit;
  try {
    exit = await child.exited;
  } finally {
    watcher.close();
  }
  const outcome = conclude(watcher); // may alert what only the whole output shows, so before the line ends are checked
  // the report starts on a line of its own, after a progress bar the command left half-drawn
  if (reportTo === 'stderr' && watcher.errLine.midLine) process.stderr.write('\n');
  if (reportTo === 'stdout' && watcher.outLine.midLine) process.stdout.write('\n');
  return { ...outcome, exit };
}

/** A problem in one line: where and what for bad input, an internal error otherwise. */
function describe(problem: Error): string {
  return problem instanceof InputError ? problem.describe() : `internal error: ${problem.message} (please report this with the log that caused it)`;
}

function conclude(watcher: Watcher): LiveOutcome {
  try {
    return { report: watcher.finish(), stoppedBy: watcher.stopFinding };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)), stoppedBy: watcher.stopFinding };
  }
}
