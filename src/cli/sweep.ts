// Many runs in one call: diagnosed on every core (a pool of worker threads, or one after another in this thread), handed on in input order; every report format over the entries, and summarize's reading of JSONL shards.

import { appendFileSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { diagnose, type DiagnoseOptions, type Report } from '../diagnose.js';
import { orderedRuns } from '../parallel/ordered.js';
import { startPool, WorkerStopped } from '../parallel/pool.js';
import { InputError } from '../read/errors.js';
import { readTable, type Source } from '../read/index.js';
import { githubCommands } from '../report/github.js';
import { junitXml } from '../report/junit.js';
import { markdownReport, markdownSweep } from '../report/markdown.js';
import { countsLine, entryOf, errorEntry, isErrorEntry, jsonlLine, sweepJson, sweepText, type SweepEntry } from '../report/sweep.js';
import { safeLine } from '../report/text.js';
import { colourFor, formatOf, type OutputFlags, type ReportOutput, type ReportFormat } from './options.js';
import type { RunInput } from './inputs.js';

// a shard's JSONL line is one report: past this a line is no report of ours (a run's report is a few kB)
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

// the sweep's worker script (cli/sweep-worker.ts): beside this module as tsc compiles it (dist/src/cli/), and
// dist/bundle/sweep-worker.js beside the CLI's bundle, where import.meta.url is the bundle's
const SWEEP_WORKER = new URL('./sweep-worker.js', import.meta.url);
// results a slow run may hold back, per worker: past window = this × workers, the workers wait for it, so a sweep
// holds at most `workers` runs in flight and window - 1 finished entries (a few kB each) besides those handed on
const REORDER_PER_WORKER = 4;

/** A run for a sweep's worker: what diagnoseRun needs, as plain data (it crosses by structured clone). */
export interface SweepJob {
  run: RunInput;
  inputFormat: string | undefined;
  options: DiagnoseOptions;
}

/** Diagnoses one run; an input that cannot be read (or a bug of ours on it) is an error entry. */
export async function diagnoseRun(run: RunInput, sourceFor: (path: string) => Source | Promise<Source>, inputFormat: string | undefined, options: DiagnoseOptions): Promise<SweepEntry> {
  if (run.problem) return errorEntry(run.path, `${run.path}: ${run.problem}`);
  try {
    const source = await sourceFor(run.path);
    return entryOf(diagnose(readTable(source, inputFormat), source.name, options));
  } catch (error) {
    if (error instanceof InputError) return errorEntry(error.file || run.path, error.describe());
    // a bug of ours on one log is that log's row, not the end of the sweep
    return internalError(run, error instanceof Error ? error.message : String(error));
  }
}

function internalError(run: RunInput, message: string): SweepEntry {
  return errorEntry(run.path, `${run.path}: internal error: ${message} (please report this with the log that caused it)`);
}

/** The number of runs diagnosed at once when --jobs is not given: one per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Diagnoses every run, `jobs` at a time, and hands each entry to `emit` in input order, as soon as it and every
 * run before it are done (an error entry's line is also written to stderr then, so stderr keeps that order too).
 * More than one job: a pool of worker threads, each reading and diagnosing one run at a time; stdin and an
 * argument that names no run stay in this thread. One job, or no pool possible: one after another in this thread.
 */
export async function diagnoseSweep(runs: readonly RunInput[], jobs: number, inputFormat: string | undefined, options: DiagnoseOptions,
  sourceFor: (path: string) => Source | Promise<Source>, emit: (entry: SweepEntry) => void): Promise<void> {
  const hand = (entry: SweepEntry) => {
    if (isErrorEntry(entry)) process.stderr.write(`losscurve: ${safeLine(entry.error)}\n`);
    emit(entry);
  };
  const here = (run: RunInput) => diagnoseRun(run, sourceFor, inputFormat, options);
  const forWorkers = (run: RunInput) => run.path !== '-' && !run.problem;
  const size = Math.min(jobs, runs.filter(forWorkers).length);
  // each worker may start the big-log helper thread only while workers and helpers together fit on the cores
  const pool = size > 1 ? startPool(SWEEP_WORKER, size, { helper: 2 * size <= availableParallelism() }) : undefined;
  if (!pool) {
    for (const run of runs) hand(await here(run));
    return;
  }
  const inWorker = (run: RunInput) => {
    const job: SweepJob = { run, inputFormat, options };
    return (pool.run(job) as Promise<SweepEntry>).catch((error: Error) => internalError(run,
      error instanceof WorkerStopped ? `the worker thread diagnosing it stopped (${error.message})` : error.message));
  };
  try {
    await orderedRuns(runs.length, size, size * REORDER_PER_WORKER, (i) => (forWorkers(runs[i]) ? inWorker(runs[i]) : here(runs[i])), hand);
  } finally {
    await pool.close();
  }
}

/** Prints the entries of many runs in the format asked for (jsonl lines were written as each run ended). */
export function printSweep(entries: readonly SweepEntry[], flags: OutputFlags, output: ReportOutput): void {
  const format = formatOf(flags);
  const color = colourFor(flags, { isTTY: output.isTTY });
  if (format === 'json') output.write(sweepJson(entries));
  else if (format === 'jsonl') { /* already written */ }
  else if (format === 'github') {
    output.write(githubCommands(entries));
    appendStepSummary(markdownSweep(entries));
  } else if (format === 'markdown') output.write(markdownSweep(entries));
  else if (format === 'junit') output.write(junitXml(entries));
  else if (flags.quiet) output.write(`Summary: ${countsLine(entries)}\n`);
  else output.write(sweepText(entries, { color }));
}

/** One run in a format only diagnose and summarize have (text and json print as they always did). */
export function printOne(report: Report, format: ReportFormat, output: ReportOutput): void {
  const entry = entryOf(report);
  if (format === 'jsonl') output.write(jsonlLine(entry));
  else if (format === 'github') {
    output.write(githubCommands([entry]));
    appendStepSummary(markdownReport(entry, report));
  } else if (format === 'markdown') output.write(markdownReport(entry, report));
  else if (format === 'junit') output.write(junitXml([entry]));
}

/** GitHub Actions shows the Markdown appended to $GITHUB_STEP_SUMMARY on the run's page; elsewhere the variable is unset. */
function appendStepSummary(markdown: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  try {
    appendFileSync(path, markdown + '\n');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    process.stderr.write(`losscurve: GITHUB_STEP_SUMMARY ${safeLine(path)}: cannot append the summary (${code}); the annotations were printed\n`);
  }
}

/** The entries of shard outputs (--format jsonl lines, or a --format json array or object), in file and line order. */
export function readShards(paths: string[]): SweepEntry[] {
  const entries: SweepEntry[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new InputError(`cannot be read (${code}); give the --format jsonl output of a diagnose shard`, path);
    }
    const trimmed = text.trimStart();
    if (trimmed.startsWith('[') || (trimmed.startsWith('{') && trimmed.includes('\n  "'))) {
      // a --format json output: one indented object, or an array of them
      const parsed = parseEntry(trimmed, path, 1);
      for (const value of Array.isArray(parsed) ? parsed : [parsed]) entries.push(checkEntry(value, path, 1));
      continue;
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      if (line.length > MAX_ENTRY_BYTES) throw new InputError('holds a line too long to be a report; give the --format jsonl output of a diagnose shard', path, i + 1);
      entries.push(checkEntry(parseEntry(line, path, i + 1), path, i + 1));
    });
  }
  return entries;
}

function parseEntry(text: string, path: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('is not JSON; give the --format jsonl output of a diagnose shard (one report per line)', path, line);
  }
}

/** A report of ours has a schema, a file and a verdict; one from another tool is refused with its line. */
function checkEntry(value: unknown, path: string, line: number): SweepEntry {
  const v = value as Record<string, unknown> | null;
  const ok = v !== null && typeof v === 'object' && typeof v.schema === 'number' && typeof v.file === 'string' && typeof v.verdict === 'string'
    && (v.verdict === 'unreadable' ? typeof v.error === 'string' : Array.isArray(v.findings) && Array.isArray(v.plan) && typeof v.series === 'object' && typeof v.runs === 'object');
  if (!ok) throw new InputError('is no losscurve report (needs schema, file, verdict, findings); give the --format jsonl output of a diagnose shard', path, line);
  // a report of an older losscurve has no summary: the table shows no losses for it
  if (v!.verdict !== 'unreadable' && !v!.summary) return { ...(v as object), summary: { final_train: null, best_val: null } } as SweepEntry;
  return v as unknown as SweepEntry;
}
