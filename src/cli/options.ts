// The options diagnose, watch and run share, their parsing, and the one way a report is printed.

import { InvalidArgumentError, Option, type Command } from 'commander';
import type { DiagnoseOptions, Report } from '../diagnose.js';
import { FOLDER_FORMATS } from '../read/folders.js';
import { FORMATS } from '../read/formats.js';
import { toJson } from '../report/json.js';
import { toText } from '../report/text.js';
import { PATTERN_IDS, type PatternId } from '../types.js';

/** Bad usage that commander cannot see (no input on a terminal, a bad --fail-on list). */
export class UsageError extends Error {}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

// A chart taller than this is not read on any screen; 3,000,000 rows took 30 s to draw
export const MAX_HEIGHT = 1000;

export function chartHeight(value: string): number {
  const n = positiveInt(value);
  if (n > MAX_HEIGHT) throw new InvalidArgumentError(`must be at most ${MAX_HEIGHT} rows`);
  return n;
}

export function finiteNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

/** "nan,divergence", "any" (every pattern but good) or "none" → the set of patterns that fail the run. */
export function parseFailOn(value: string, flag = '--fail-on'): Set<PatternId> {
  const words = value.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  if (words.length === 1 && words[0] === 'none') return new Set();
  if (words.length === 1 && words[0] === 'any') return new Set(PATTERN_IDS.filter((p) => p !== 'good'));
  const unknown = words.filter((w) => !(PATTERN_IDS as readonly string[]).includes(w));
  if (unknown.length > 0 || words.length === 0) {
    throw new UsageError(`${flag}: unknown pattern ${unknown.join(', ') || '(empty)'}; use any, none or a list of ${PATTERN_IDS.join(', ')}`);
  }
  return new Set(words as PatternId[]);
}

/** What every reading command takes: how to read the log, which columns, and how to show the report. */
export interface ReadingFlags {
  format: 'text' | 'json';
  vocab: number;
  baseline?: number;
  step?: string;
  loss?: string;
  val?: string;
  width?: number;
  height?: number;
  color: boolean;
  inputFormat?: string;
}

const INPUT_FORMATS = [...FORMATS.map((f) => f.id), ...FOLDER_FORMATS.map((f) => f.id)].filter((id, i, all) => all.indexOf(id) === i);

/** Adds the reading options to a command (diagnose, watch, run), so all three read and report alike. */
export function withReadingOptions(command: Command, formatHelp: string): Command {
  return command
    .addOption(new Option('--format <format>', formatHelp).choices(['text', 'json']).default('text'))
    .option('--vocab <n>', 'vocabulary size; the random-guess baseline is ln(n)', positiveInt, 50257)
    .option('--baseline <loss>', 'random-guess loss to compare against, instead of ln(vocab)', finiteNumber)
    .option('--step <column>', 'column holding the step (default: found by name)')
    .option('--loss <column>', 'column holding the train loss (default: found by name)')
    .option('--val <column>', 'column holding the validation loss (default: found by name)')
    .option('--width <columns>', 'chart width in columns (default: the terminal width)', positiveInt)
    .option('--height <rows>', `chart height in rows (1 to ${MAX_HEIGHT})`, chartHeight)
    .option('--no-color', 'no colour (also when NO_COLOR is set or the output is not a terminal)')
    .option('--input-format <format>', `read as this format instead of recognising it: ${INPUT_FORMATS.join(', ')}`);
}

/** The diagnose options the flags ask for; whether --vocab was typed (not defaulted) decides if the baseline always applies. */
export function diagnoseOptionsOf(flags: ReadingFlags, command: Command, run?: number): DiagnoseOptions {
  return {
    vocab: flags.vocab,
    vocabGiven: command.getOptionValueSource('vocab') === 'cli',
    baseline: flags.baseline,
    step: flags.step,
    loss: flags.loss,
    val: flags.val,
    run,
  };
}

/** Whether a stream gets colour: asked for, not vetoed by NO_COLOR, and a terminal. */
export function colourFor(flags: ReadingFlags, out: NodeJS.WriteStream): boolean {
  return flags.color && !process.env.NO_COLOR && out.isTTY === true;
}

/** Prints a report as the flags ask; `failFlag` names the option whose patterns decided the exit code. */
export function printReport(report: Report, flags: ReadingFlags, out: NodeJS.WriteStream, failOn: Set<PatternId>, code: number, failFlag?: string): void {
  if (flags.format === 'json') return void out.write(toJson(report) + '\n');
  const width = flags.width ?? (out.isTTY ? out.columns : undefined) ?? 100;
  out.write(toText(report, { color: colourFor(flags, out), width, height: flags.height, failOn, exitCode: code, failFlag }));
}
