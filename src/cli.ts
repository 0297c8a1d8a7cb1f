// Command-line wiring: parse arguments, run the pipeline, print the report, and decide the exit code (here, once).

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { diagnose, type Report } from './diagnose.js';
import { explainPage, listPatterns } from './explain.js';
import { FOLDER_FORMATS } from './read/folders.js';
import { FORMATS } from './read/formats.js';
import { readFileSource, readStdinSource, readTable, type Source } from './read/index.js';
import { InputError } from './read/errors.js';
import { toJson } from './report/json.js';
import { safeLine, toText } from './report/text.js';
import { PATTERN_IDS, type PatternId } from './types.js';
import { signalExitCode } from './watch/child.js';
import { runCommand, watchInput, type LiveOptions } from './watch/commands.js';

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;

const DEFAULT_FAIL_ON = 'nan,divergence';
const DEFAULT_EXIT_ON = 'nan,divergence'; // the two that waste every GPU hour after them; the rest are worth a look, not a kill
const DEFAULT_GRACE_SECONDS = 5; // time to save a checkpoint on SIGTERM before SIGKILL
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

/** Exit 1 when the diagnosed run has a finding whose pattern is in the fail-on set, else 0. */
export function exitCodeFor(report: Report, failOn: Set<PatternId>): number {
  const mine = report.findings.filter((f) => f.run === report.runs.diagnosed);
  return mine.some((f) => failOn.has(f.pattern)) ? EXIT_FINDING : EXIT_OK;
}

interface DiagnoseFlags {
  format: 'text' | 'json';
  vocab: number;
  /** Set from commander: whether --vocab was on the command line rather than defaulted. */
  vocabGiven?: boolean;
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
    vocab: flags.vocab, vocabGiven: flags.vocabGiven, baseline: flags.baseline, step: flags.step, loss: flags.loss, val: flags.val, run: flags.run,
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

interface LiveFlags {
  format: 'text' | 'json';
  json: boolean;
  exitOn: string;
  vocab: number;
  baseline?: number;
  step?: string;
  loss?: string;
  val?: string;
  width?: number;
  height?: number;
  color: boolean;
  inputFormat?: string;
  tee?: boolean;
  grace?: number;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

function liveOptions(flags: LiveFlags, exitOn: Set<PatternId>): LiveOptions {
  return {
    formatId: flags.inputFormat,
    diagnose: { vocab: flags.vocab, baseline: flags.baseline, step: flags.step, loss: flags.loss, val: flags.val },
    exitOn,
    alerts: { json: flags.json, color: flags.color && !process.env.NO_COLOR && process.stderr.isTTY === true },
  };
}

/** The final report of watch or run, on stdout when it is free, else on stderr (where the alerts went). */
function printLiveReport(report: Report, flags: LiveFlags, out: NodeJS.WriteStream, exitOn: Set<PatternId>, code: number): void {
  if (flags.format === 'json') return void out.write(toJson(report) + '\n');
  const useColor = flags.color && !process.env.NO_COLOR && out.isTTY === true;
  const width = flags.width ?? (out.isTTY ? out.columns : undefined) ?? 100;
  out.write(toText(report, { color: useColor, width, height: flags.height, failOn: exitOn, exitCode: code, failFlag: '--exit-on' }));
}

async function runWatch(file: string | undefined, flags: LiveFlags): Promise<number> {
  const exitOn = parseFailOn(flags.exitOn, '--exit-on');
  if ((file === undefined || file === '-') && process.stdin.isTTY) {
    throw new UsageError('no input: give a log file to follow, or pipe training output in (python train.py 2>&1 | losscurve watch --tee)');
  }
  const outcome = await watchInput(file, flags.tee === true, liveOptions(flags, exitOn));
  if (outcome.error) throw outcome.error;
  const code = outcome.stoppedBy ? EXIT_FINDING : exitCodeFor(outcome.report!, exitOn);
  printLiveReport(outcome.report!, flags, flags.tee ? process.stderr : process.stdout, exitOn, code);
  return code;
}

async function runRun(command: string[], flags: LiveFlags): Promise<number> {
  const exitOn = parseFailOn(flags.exitOn, '--exit-on');
  const graceMs = (flags.grace ?? DEFAULT_GRACE_SECONDS) * 1000;
  const outcome = await runCommand(command[0], command.slice(1), graceMs, liveOptions(flags, exitOn));
  const exit = outcome.exit!;
  const childCode = exit.signal ? signalExitCode(exit.signal) : exit.code ?? EXIT_USAGE;
  if (outcome.error) {
    // the command ran but its output was no log we read: its own failure matters more than ours
    const ours = reportError(outcome.error);
    return childCode !== EXIT_OK ? childCode : ours;
  }
  const report = outcome.report!;
  const code = outcome.stoppedBy || exitCodeFor(report, exitOn) === EXIT_FINDING ? EXIT_FINDING : childCode;
  printLiveReport(report, flags, process.stderr, exitOn, code);
  return code;
}

/** The options watch and run share with diagnose (reading, columns, report) plus the live ones. */
function liveCommand(program: Command, name: string): Command {
  return program
    .command(name)
    .option('--exit-on <patterns>', 'stop (exit 1) as soon as one of these is found: a comma list, any, or none', DEFAULT_EXIT_ON)
    .option('--json', 'alerts as JSON, one finding per line (the shape diagnose --format json uses)', false)
    .addOption(new Option('--format <format>', 'format of the final report').choices(['text', 'json']).default('text'))
    .option('--vocab <n>', 'vocabulary size; the random-guess baseline is ln(n)', positiveInt, 50257)
    .option('--baseline <loss>', 'random-guess loss to compare against, instead of ln(vocab)', finiteNumber)
    .option('--step <column>', 'column holding the step (default: found by name)')
    .option('--loss <column>', 'column holding the train loss (default: found by name)')
    .option('--val <column>', 'column holding the validation loss (default: found by name)')
    .option('--width <columns>', 'chart width in columns (default: the terminal width)', positiveInt)
    .option('--height <rows>', 'chart height in rows', positiveInt)
    .option('--no-color', 'no colour (also when NO_COLOR is set or the stream is not a terminal)')
    .option('--input-format <format>', 'read as this format instead of recognising it (csv, jsonl, ...)');
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('losscurve')
    .description('Diagnose a training loss curve from the log you already have: what is wrong, where, and what to try.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .enablePositionalOptions();

  program
    .command('diagnose')
    .description('read a training log (file, or - / a pipe for stdin) and report what its loss curve shows')
    .argument('[file]', 'log file or log folder (TensorBoard, MLflow, Lightning); - or omitted with a pipe reads stdin')
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
    .option('--input-format <format>', `read as this format instead of recognising it: ${[...FORMATS.map((f) => f.id), ...FOLDER_FORMATS.map((f) => f.id)].filter((id, i, all) => all.indexOf(id) === i).join(', ')}`)
    .action(async (file: string | undefined, flags: DiagnoseFlags, command: Command) => {
      setExit(await runDiagnose(file, { ...flags, vocabGiven: command.getOptionValueSource('vocab') === 'cli' }));
    });

  liveCommand(program, 'watch')
    .description('follow a log as it is written (a file, like tail -F, or stdin): alert the moment something goes wrong, report at the end')
    .argument('[file]', 'log file to follow; - or omitted with a pipe reads stdin')
    .option('--tee', 'copy the input to stdout unchanged, so watch can sit in the middle of a pipe', false)
    .action(async (file: string | undefined, flags: LiveFlags) => setExit(await runWatch(file, flags)));

  liveCommand(program, 'run')
    .description('run a training command, watch its output, and stop it (SIGTERM, then SIGKILL) when an --exit-on finding appears')
    .argument('<command...>', 'the command and its arguments, after -- (losscurve run -- python train.py --lr 3e-4)')
    .option('--grace <seconds>', 'after SIGTERM, wait this long before SIGKILL', nonNegativeNumber, DEFAULT_GRACE_SECONDS)
    .passThroughOptions()
    .action(async (command: string[], flags: LiveFlags) => setExit(await runRun(command, flags)));

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
