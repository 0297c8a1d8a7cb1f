// The options diagnose, watch and run share, their parsing, and the one way a report is printed.

import { closeSync, openSync, statSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { DiagnoseOptions } from '../diagnose.js';
import { FORMAT_IDS, renderJson, renderText, type DiagnoseOptions as ApiOptions, type Report } from '../index.js';
import { errorPatterns, parsePolicy, PolicyError, type FailPolicy } from '../policy.js';

/** Bad usage that commander cannot see (no input on a terminal, a bad --fail-on list). */
export class UsageError extends Error {}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

// each worker thread holds its own heap and code (measured: ~25 MB more resident per worker on 10,000-row logs):
// past this many a sweep's threads alone take gigabytes
export const MAX_JOBS = 256;

/** --jobs: how many runs of a sweep are diagnosed at once. */
export function jobCount(value: string): number {
  const n = positiveInt(value);
  if (n > MAX_JOBS) throw new InvalidArgumentError(`must be at most ${MAX_JOBS}`);
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

/** --smooth: TensorBoard's slider, from 0 (raw) up to but not including 1 (a curve that never moves). */
export function smoothingWeight(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('must be a weight from 0 up to (not including) 1, such as 0.9');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

/** --fail-on, parsed by policy.ts; a bad list is bad usage (one line, exit 2). */
export function parseFailOn(value: string, flag = '--fail-on'): FailPolicy {
  try {
    return parsePolicy(value, flag);
  } catch (error) {
    if (error instanceof PolicyError) throw new UsageError(error.message);
    throw error;
  }
}

/** The default policy, said with the patterns it can fail on (from the detectors' severities). */
export function failOnHelp(): string {
  return `exit 1 when a finding matches: a severity (error, warning, info: that or worse), a comma list of patterns, any, or none; error is what ${errorPatterns().join(', ')} findings are rated`;
}

/** What every reading command takes: how to read the log, which columns, and how to show the report. */
export interface ReadingFlags {
  format: ReportFormat;
  vocab: number;
  baseline?: number;
  step?: string;
  loss?: string;
  val?: string;
  width?: number;
  height?: number;
  /** --color / --no-color; undefined when neither was given (then FORCE_COLOR, NO_COLOR and the terminal decide). */
  color?: boolean;
  inputFormat?: string;
  /** --json: the alias of --format json. */
  json?: boolean;
  failOn: string;
  /** --exit-on: the old name of --fail-on on watch and run, still read. */
  exitOn?: string;
  output?: string;
  quiet?: boolean;
  printConfig?: boolean;
  logY?: boolean;
  linearY?: boolean;
  from?: number;
  to?: number;
  smooth?: number;
  /** --ascii; undefined when not given (then the locale decides). */
  ascii?: boolean;
}

/** The report formats: text and json everywhere; the others (one line per run, CI annotations, a PR comment, JUnit XML) for diagnose and summarize. */
export const REPORT_FORMATS = ['text', 'json', 'jsonl', 'github', 'markdown', 'junit'] as const;
export type ReportFormat = typeof REPORT_FORMATS[number];
export const LIVE_FORMATS: readonly ReportFormat[] = ['text', 'json'];


/** Adds the reading options to a command (diagnose, watch, run), so all three read and report alike. */
export function withReadingOptions(command: Command, formatHelp: string, formats: readonly ReportFormat[] = LIVE_FORMATS): Command {
  return command
    .addOption(new Option('--format <format>', formatHelp).choices(formats).default('text'))
    .option('--vocab <n>', 'vocabulary size; the random-guess baseline is ln(n)', positiveInt, 50257)
    .option('--baseline <loss>', 'random-guess loss to compare against, instead of ln(vocab)', finiteNumber)
    .option('--step <column>', 'column holding the step (default: found by name)')
    .option('--loss <column>', 'column holding the train loss (default: found by name)')
    .option('--val <column>', 'column holding the validation loss (default: found by name)')
    .option('--width <columns>', 'chart width in columns (default: the terminal width)', positiveInt)
    .option('--height <rows>', `chart height in rows (1 to ${MAX_HEIGHT})`, chartHeight)
    .addOption(new Option('--log-y', 'chart the losses on a log axis').conflicts('linearY'))
    .option('--linear-y', 'chart the losses on a linear axis (default: log when they span more than ×50, unless that flattens a finding)')
    .option('--from <step>', 'chart from this step on (findings outside the window are still listed)', finiteNumber)
    .option('--to <step>', 'chart up to this step', finiteNumber)
    .option('--smooth <weight>', 'draw an EMA of this weight (0 to 0.999, as TensorBoard\'s slider) over the raw curves, which are dimmed', smoothingWeight)
    .option('--ascii', 'ASCII characters only (default when the locale, LC_ALL, LC_CTYPE or LANG, is not UTF-8)')
    .option('--json', 'the same as --format json')
    .option('--fail-on <policy>', failOnHelp(), 'error')
    .addOption(new Option('--exit-on <policy>', 'the old name of --fail-on').hideHelp())
    .option('--output <file>', 'write the report to this file instead of the terminal')
    .option('--quiet', 'print only the verdict line of the report (JSON is printed whole)')
    .option('--color', 'colour even when the output is no terminal (as FORCE_COLOR=1 does; GitHub Actions shows it)')
    .option('--no-color', 'no colour (as NO_COLOR=1 does)')
    .option('--input-format <format>', `read as this format instead of recognising it: ${FORMAT_IDS.join(', ')}`)
    .option('--print-config', 'print the resolved settings and where each came from (flag, config file, default), then exit');
}

/** Whether the user chose an option's value (typed it, or the config file set it: cli/config.ts), not a default. */
export function chosen(command: Command, name: string): boolean {
  const source = command.getOptionValueSource(name);
  return source === 'cli' || source === 'config';
}

/** The fail policy the flags ask for: --fail-on, or its old name --exit-on when that was typed. */
export function policyOf(flags: ReadingFlags, command: Command): FailPolicy {
  const old = command.getOptionValueSource('exitOn') === 'cli' && command.getOptionValueSource('failOn') !== 'cli';
  return old ? parseFailOn(flags.exitOn!, '--exit-on') : parseFailOn(flags.failOn);
}

/** JSON when --format json or its alias --json was given. */
export function formatOf(flags: Pick<ReadingFlags, 'json' | 'format'>): ReportFormat {
  return flags.json ? 'json' : flags.format;
}

/** The diagnose options the flags ask for; whether --vocab was chosen (typed or in the config file, not defaulted) decides if the baseline always applies. */
export function diagnoseOptionsOf(flags: ReadingFlags, command: Command, run?: number): DiagnoseOptions {
  return {
    failOn: policyOf(flags, command),
    vocab: flags.vocab,
    vocabGiven: chosen(command, 'vocab'),
    baseline: flags.baseline,
    step: flags.step,
    loss: flags.loss,
    val: flags.val,
    run,
  };
}

/** The library's diagnose options the flags ask for: --vocab only when typed (the library's default is the same 50257). */
export function apiOptionsOf(flags: ReadingFlags, command: Command, run?: number): ApiOptions {
  return {
    failOn: policyOf(flags, command),
    vocab: chosen(command, 'vocab') ? flags.vocab : undefined,
    baseline: flags.baseline,
    step: flags.step,
    loss: flags.loss,
    val: flags.val,
    run,
  };
}

/**
 * Whether an output gets colour: --color or --no-color when given; else NO_COLOR turns it off (it wins over
 * FORCE_COLOR: "no" is the safer reading of both), FORCE_COLOR (other than 0) forces it; else only a terminal gets it.
 */
export function colourFor(flags: Pick<ReadingFlags, 'color'>, out: { isTTY?: boolean }): boolean {
  if (flags.color !== undefined) return flags.color;
  if (process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return out.isTTY === true;
}

/** What printing a report reads of the flags (summarize has these and no reading options). */
export type OutputFlags = Pick<ReadingFlags, 'format' | 'json' | 'output' | 'quiet' | 'color' | 'width' | 'height'>
  & Partial<Pick<ReadingFlags, 'logY' | 'linearY' | 'from' | 'to' | 'smooth' | 'ascii'>>;

/**
 * Whether the locale's characters are UTF-8, read as setlocale reads it: the first of LC_ALL, LC_CTYPE and LANG
 * that is set and not empty; none set is the C locale, which is ASCII. Windows consoles are taken to show UTF-8.
 */
export function utf8Locale(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale === undefined) return platform === 'win32';
  return /utf-?8/i.test(locale);
}

/** The --from/--to window, checked: a window that ends before it starts is bad usage. */
export function chartWindow(flags: Pick<ReadingFlags, 'from' | 'to'>): { from?: number; to?: number } {
  if (flags.from !== undefined && flags.to !== undefined && flags.to <= flags.from) {
    throw new UsageError(`--from ${flags.from} --to ${flags.to}: the window must end after it starts; give --to a larger step`);
  }
  return { from: flags.from, to: flags.to };
}

/** Where the report goes: the --output file (opened when the command starts, so a bad path fails before any work) or a stream. */
export class ReportOutput {
  private fd: number | undefined;

  /** `input`: the log's path, which the report must never overwrite. */
  constructor(private readonly flags: OutputFlags, private readonly stream: NodeJS.WriteStream, input?: string) {
    chartWindow(flags); // a bad window fails before any work
    if (flags.output === undefined) return;
    if (input !== undefined && sameFile(input, flags.output)) {
      throw new UsageError(`--output ${flags.output} is the log being read; name another file for the report`);
    }
    try {
      this.fd = openSync(flags.output, 'w');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new UsageError(`--output ${flags.output}: cannot write the report there (${code}); check the folder exists and is writable`);
    }
  }

  /** Prints the report as the flags ask: JSON, the text report, or (--quiet) its verdict line only. */
  print(report: Report): void {
    const isTTY = this.fd === undefined && this.stream.isTTY === true;
    const color = colourFor(this.flags, { isTTY });
    let text: string;
    if (formatOf(this.flags) === 'json') text = renderJson(report) + '\n';
    else if (this.flags.quiet) text = renderText(report, { color, verdictOnly: true });
    else {
      const width = this.flags.width ?? (isTTY ? this.stream.columns : undefined) ?? 100;
      // findings and the plan are wrapped at --width or the terminal's width; a file or a pipe gets one line each (grep, diff)
      const wrap = this.flags.width ?? (isTTY ? this.stream.columns : undefined);
      // --ascii (or the config's "ascii": true or false) decides; else the locale does
      const ascii = this.flags.ascii ?? !utf8Locale();
      const yScale = this.flags.logY ? 'log' : this.flags.linearY ? 'linear' : 'auto';
      text = renderText(report, { color, width, height: this.flags.height, wrap, ascii, yScale, ...chartWindow(this.flags), smooth: this.flags.smooth });
    }
    this.write(text);
    this.close();
  }

  /** Whether the report goes to a terminal (for colour and width). */
  get isTTY(): boolean {
    return this.fd === undefined && this.stream.isTTY === true;
  }

  /** Writes part of a report (a JSONL line as soon as its run is done); close() ends it. */
  write(text: string): void {
    if (this.fd === undefined) return void this.stream.write(text);
    writeFileSync(this.fd, text);
  }

  /** Closes the file unwritten (the command failed before it had a report). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Whether two paths name one existing file (same device and inode). */
export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
