// Command-line wiring: parse arguments, run the pipeline, print the report, and decide the exit code (here, once).

import { Command, CommanderError } from 'commander';
import { diagnose, type Report } from './diagnose.js';
import { explainPage, listPatterns } from './explain.js';
import { readFileSource, readStdinSource, readTable, type Source } from './read/index.js';
import { stdinIsTerminal } from './read/source.js';
import { InputError } from './read/errors.js';
import { settleBeforeExit } from './parallel/helper.js';
import { safeLine } from './report/text.js';
import { PATTERN_IDS, type PatternId } from './types.js';
import {
  colourFor, diagnoseOptionsOf, nonNegativeNumber, parseFailOn, positiveInt, printReport, UsageError, withReadingOptions, type ReadingFlags,
} from './cli/options.js';
import { signalExitCode } from './watch/child.js';
import { runCommand, watchInput, type LiveOptions } from './watch/commands.js';

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;

const DEFAULT_FAIL_ON = 'nan,divergence';
const DEFAULT_EXIT_ON = 'nan,divergence'; // the two that waste every GPU hour after them; the rest are worth a look, not a kill
const DEFAULT_GRACE_SECONDS = 5; // time to save a checkpoint on SIGTERM before SIGKILL
const VERSION = '0.1.0';

/** Exit 1 when the diagnosed run has a finding whose pattern is in the fail-on set, else 0. */
export function exitCodeFor(report: Report, failOn: Set<PatternId>): number {
  const mine = report.findings.filter((f) => f.run === report.runs.diagnosed);
  return mine.some((f) => failOn.has(f.pattern)) ? EXIT_FINDING : EXIT_OK;
}

async function sourceFor(file: string | undefined): Promise<Source> {
  if (file !== undefined && file !== '-') return readFileSource(file);
  // not process.stdin.isTTY: making process.stdin turns a piped fd 0 non-blocking, and the reader reads it itself
  if (file === undefined && stdinIsTerminal()) {
    throw new UsageError('no input: give a log file, or pipe one in (python train.py | losscurve diagnose)');
  }
  return readStdinSource();
}

interface DiagnoseFlags extends ReadingFlags {
  run?: number;
  failOn: string;
}

async function runDiagnose(file: string | undefined, flags: DiagnoseFlags, command: Command): Promise<number> {
  const failOn = parseFailOn(flags.failOn);
  const source = await sourceFor(file);
  const table = readTable(source, flags.inputFormat);
  const report = diagnose(table, source.name, diagnoseOptionsOf(flags, command, flags.run));
  const code = exitCodeFor(report, failOn);
  printReport(report, flags, process.stdout, failOn, code);
  return code;
}

interface LiveFlags extends ReadingFlags {
  json: boolean;
  exitOn: string;
  tee?: boolean;
  grace?: number;
}

function liveOptions(flags: LiveFlags, command: Command, exitOn: Set<PatternId>): LiveOptions {
  return {
    formatId: flags.inputFormat,
    diagnose: diagnoseOptionsOf(flags, command),
    exitOn,
    alerts: { json: flags.json, color: colourFor(flags, process.stderr) },
  };
}

async function runWatch(file: string | undefined, flags: LiveFlags, command: Command): Promise<number> {
  const exitOn = parseFailOn(flags.exitOn, '--exit-on');
  if ((file === undefined || file === '-') && process.stdin.isTTY) {
    throw new UsageError('no input: give a log file to follow, or pipe training output in (python train.py 2>&1 | losscurve watch --tee)');
  }
  const outcome = await watchInput(file, flags.tee === true, liveOptions(flags, command, exitOn));
  if (outcome.error) throw outcome.error;
  const code = outcome.stoppedBy ? EXIT_FINDING : exitCodeFor(outcome.report!, exitOn);
  printReport(outcome.report!, flags, flags.tee ? process.stderr : process.stdout, exitOn, code, '--exit-on');
  return code;
}

async function runRun(args: string[], flags: LiveFlags, command: Command): Promise<number> {
  const exitOn = parseFailOn(flags.exitOn, '--exit-on');
  const graceMs = (flags.grace ?? DEFAULT_GRACE_SECONDS) * 1000;
  const outcome = await runCommand(args[0], args.slice(1), graceMs, liveOptions(flags, command, exitOn));
  const exit = outcome.exit!;
  const childCode = exit.signal ? signalExitCode(exit.signal) : exit.code ?? EXIT_USAGE;
  if (outcome.error) {
    // the command ran but its output was no log we read: its own failure matters more than ours
    const ours = reportError(outcome.error);
    return childCode !== EXIT_OK ? childCode : ours;
  }
  const report = outcome.report!;
  const code = outcome.stoppedBy || exitCodeFor(report, exitOn) === EXIT_FINDING ? EXIT_FINDING : childCode;
  printReport(report, flags, process.stderr, exitOn, code, '--exit-on');
  return code;
}

/** watch and run: the reading options plus the live ones. */
function liveCommand(program: Command, name: string): Command {
  return withReadingOptions(program.command(name), 'format of the final report')
    .option('--exit-on <patterns>', 'stop (exit 1) as soon as one of these is found: a comma list, any, or none', DEFAULT_EXIT_ON)
    .option('--json', 'alerts as JSON, one finding per line (the shape diagnose --format json uses)', false);
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('losscurve')
    .description('Diagnose a training loss curve from the log you already have: what is wrong, where, and what to try.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .enablePositionalOptions();

  withReadingOptions(program.command('diagnose'), 'output format')
    .description('read a training log (file, or - / a pipe for stdin) and report what its loss curve shows')
    .argument('[file]', 'log file or log folder (TensorBoard, MLflow, Lightning); - or omitted with a pipe reads stdin')
    .option('--run <n>', 'which run to diagnose when the log holds several (default: the last)', positiveInt)
    .option('--fail-on <patterns>', 'exit 1 when one of these is found: a comma list, any, or none', DEFAULT_FAIL_ON)
    .action(async (file: string | undefined, flags: DiagnoseFlags, command: Command) => setExit(await runDiagnose(file, flags, command)));

  liveCommand(program, 'watch')
    .description('follow a log as it is written (a file, like tail -F, or stdin): alert the moment something goes wrong, report at the end')
    .argument('[file]', 'log file to follow; - or omitted with a pipe reads stdin')
    .option('--tee', 'copy the input to stdout unchanged, so watch can sit in the middle of a pipe', false)
    .action(async (file: string | undefined, flags: LiveFlags, command: Command) => setExit(await runWatch(file, flags, command)));

  liveCommand(program, 'run')
    .description('run a training command, watch its output, and stop it (SIGTERM, then SIGKILL) when an --exit-on finding appears')
    .argument('<command...>', 'the command and its arguments, after -- (losscurve run -- python train.py --lr 3e-4)')
    .option('--grace <seconds>', 'after SIGTERM, wait this long before SIGKILL', nonNegativeNumber, DEFAULT_GRACE_SECONDS)
    .passThroughOptions()
    .action(async (args: string[], flags: LiveFlags, command: Command) => setExit(await runRun(args, flags, command)));

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
  } finally {
    await settleBeforeExit();
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
