// Command-line wiring: parse arguments, run the pipeline, print the report, and decide the exit code (here, once).

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { diagnose, type Report } from './diagnose.js';
import { explainPage, listPatterns } from './explain.js';
import { readFileSource, readStdinSource, readTable, type Source } from './read/index.js';
import { InputError } from './read/errors.js';
import { toJson } from './report/json.js';
import { safeLine, toText } from './report/text.js';
import { PATTERN_IDS, type PatternId } from './types.js';

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;

const DEFAULT_FAIL_ON = 'nan,divergence';
const VERSION = '0.1.0';

/** Thrown for bad usage that commander cannot see (no input on a terminal, a bad --fail-on list). */
class UsageError extends Error {}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function finiteNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
}

/** "nan,divergence", "any" (every pattern but good) or "none" → the set of patterns that fail the run. */
export function parseFailOn(value: string): Set<PatternId> {
  const words = value.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  if (words.length === 1 && words[0] === 'none') return new Set();
  if (words.length === 1 && words[0] === 'any') return new Set(PATTERN_IDS.filter((p) => p !== 'good'));
  const unknown = words.filter((w) => !(PATTERN_IDS as readonly string[]).includes(w));
  if (unknown.length > 0 || words.length === 0) {
    throw new UsageError(`--fail-on: unknown pattern ${unknown.join(', ') || '(empty)'}; use any, none or a list of ${PATTERN_IDS.join(', ')}`);
  }
  return new Set(words as PatternId[]);
}

/** Exit 1 when the diagnosed run has a finding whose pattern is in the fail-on set, else 0. */
export function exitCodeFor(report: Report, failOn: Set<PatternId>): number {
  const mine = report.findings.filter((f) => f.run === report.runs.diagnosed);
  return mine.some((f) => failOn.has(f.pattern)) ? EXIT_FINDING : EXIT_OK;
}

interface DiagnoseFlags {
  format: 'text' | 'json';
  vocab: number;
  baseline?: number;
  step?: string;
  loss?: string;
  val?: string;
  run?: number;
  failOn: string;
  width?: number;
  height?: number;
  color: boolean;
  inputFormat?: string;
}

async function sourceFor(file: string | undefined): Promise<Source> {
  if (file !== undefined && file !== '-') return readFileSource(file);
  if (file === undefined && process.stdin.isTTY) {
    throw new UsageError('no input: give a log file, or pipe one in (python train.py | losscurve diagnose)');
  }
  return readStdinSource();
}

async function runDiagnose(file: string | undefined, flags: DiagnoseFlags): Promise<number> {
  const failOn = parseFailOn(flags.failOn);
  const source = await sourceFor(file);
  const table = readTable(source, flags.inputFormat);
  const report = diagnose(table, source.name, {
    vocab: flags.vocab, baseline: flags.baseline, step: flags.step, loss: flags.loss, val: flags.val, run: flags.run,
  });
  const code = exitCodeFor(report, failOn);
  if (flags.format === 'json') process.stdout.write(toJson(report) + '\n');
  else {
    const useColor = flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
    const width = flags.width ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 100;
    process.stdout.write(toText(report, { color: useColor, width, height: flags.height, failOn, exitCode: code }));
  }
  return code;
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('losscurve')
    .description('Diagnose a training loss curve from the log you already have: what is wrong, where, and what to try.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  program
    .command('diagnose')
    .description('read a training log (file, or - / a pipe for stdin) and report what its loss curve shows')
    .argument('[file]', 'log file; - or omitted with a pipe reads stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--vocab <n>', 'vocabulary size; the random-guess baseline is ln(n)', positiveInt, 50257)
    .option('--baseline <loss>', 'random-guess loss to compare against, instead of ln(vocab)', finiteNumber)
    .option('--step <column>', 'column holding the step (default: found by name)')
    .option('--loss <column>', 'column holding the train loss (default: found by name)')
    .option('--val <column>', 'column holding the validation loss (default: found by name)')
    .option('--run <n>', 'which run to diagnose when the log holds several (default: the last)', positiveInt)
    .option('--fail-on <patterns>', 'exit 1 when one of these is found: a comma list, any, or none', DEFAULT_FAIL_ON)
    .option('--width <columns>', 'chart width in columns (default: the terminal width)', positiveInt)
    .option('--height <rows>', 'chart height in rows', positiveInt)
    .option('--no-color', 'no colour (also when NO_COLOR is set or stdout is not a terminal)')
    .option('--input-format <format>', 'read as this format instead of recognising it (csv, jsonl, ...)')
    .action(async (file: string | undefined, flags: DiagnoseFlags) => setExit(await runDiagnose(file, flags)));

  program
    .command('explain')
    .description('explain a pattern: what it looks like, likely causes, fixes in order, when it is not a problem')
    .argument('[pattern]', `one of ${PATTERN_IDS.join(', ')}`)
    .action((pattern: string | undefined) => {
      if (pattern === undefined) {
        process.stdout.write(listPatterns());
        return setExit(EXIT_OK);
      }
      const page = explainPage(pattern);
      if (page === undefined) throw new UsageError(`explain: unknown pattern ${pattern}; use one of ${PATTERN_IDS.join(', ')}`);
      process.stdout.write(page);
      setExit(EXIT_OK);
    });
  return program;
}

/** Runs the CLI and resolves to the exit code. Errors become one line on stderr; nothing else escapes. */
export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => { code = c; });
  try {
    if (argv.length <= 2) {
      process.stderr.write(program.helpInformation());
      return EXIT_USAGE;
    }
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  // messages may quote the input (file and column names): escaped, so they stay one harmless line
  const say = (text: string) => process.stderr.write(`losscurve: ${safeLine(text)}\n`);
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_OK;
    say(error.message.replace(/^error: /, '').replace(/\n/g, ' ')); // commander's own second line ("Did you mean ...?") joins the first
    return EXIT_USAGE;
  }
  if (error instanceof InputError) {
    say(error.describe());
    return EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    say(error.message);
    return EXIT_USAGE;
  }
  // a bug of ours: still one line, with enough to report it
  const message = error instanceof Error ? error.message : String(error);
  say(`internal error: ${message} (please report this with the log that caused it)`);
  return EXIT_USAGE;
}
