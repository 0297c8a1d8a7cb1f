// Many runs in one call: each diagnosed in turn (input order), every report format over the entries, and summarize's reading of JSONL shards.

import { appendFileSync, readFileSync } from 'node:fs';
import { diagnose, type DiagnoseOptions, type Report } from '../diagnose.js';
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

/** Diagnoses one run; an input that cannot be read is an error entry, its one line also on stderr. */
export async function diagnoseRun(
  run: RunInput, sourceFor: (path: string) => Promise<Source>, inputFormat: string | undefined, options: DiagnoseOptions, onReport?: (report: Report) => void,
): Promise<SweepEntry> {
  let entry: SweepEntry;
  if (run.problem) entry = errorEntry(run.path, `${run.path}: ${run.problem}`);
  else {
    try {
      const source = await sourceFor(run.path);
      const report = diagnose(readTable(source, inputFormat), source.name, options);
      onReport?.(report); // --html keeps the run's curves (decimated), which the entry leaves out
      entry = entryOf(report);
    } catch (error) {
      if (error instanceof InputError) entry = errorEntry(error.file || run.path, error.describe());
      // a bug of ours on one log is that log's row, not the end of the sweep
      else entry = errorEntry(run.path, `${run.path}: internal error: ${error instanceof Error ? error.message : String(error)} (please report this with the log that caused it)`);
    }
  }
  if (isErrorEntry(entry)) process.stderr.write(`losscurve: ${safeLine(entry.error)}\n`);
  return entry;
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
