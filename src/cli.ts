// Command-line wiring: parse arguments, run the pipeline, print the report, and decide the exit code (here, once).

import { Command, CommanderError, Option } from 'commander';
import {
  compare, CompareError, diagnose, escapeText as safeLine, renderCompareJson, renderCompareText, explainPattern, InputError, listPatterns, PATTERN_IDS, readLog, readLogFromStdin, settleBeforeExit, type Report, type ReportFinding,
  type Table,
} from './index.js';
// the live commands' own machinery (files followed, pipes teed, a child process) and a sweep's: the CLI's, not the library's
import { nothingSeenReport } from './diagnose.js';
import { at, fmtLoss } from './format.js';
import { readFileSource, readStdinSource, type Source } from './read/index.js';
import { stdinIsTerminal } from './read/engine/source.js';
import { jsonlLine, type SweepEntry } from './report/sweep.js';
import {
  apiOptionsOf, colourFor, diagnoseOptionsOf, formatOf, jobCount, nonNegativeNumber, positiveInt, REPORT_FORMATS, ReportOutput, sameFile, UsageError, withReadingOptions,
  LIVE_FORMATS, type OutputFlags, type ReadingFlags, type ReportFormat,
} from './cli/options.js';
import { applyConfig, describeConfig, findConfig } from './cli/config.js';
import { runsOf } from './cli/inputs.js';
import { defaultJobs, diagnoseSweep, printOne, printSweep, readShards } from './cli/sweep.js';

import { AXES, type AxisName } from './compare/index.js';
import { resultLine } from './report/compare.js';
import { signalExitCode, type ChildExit } from './watch/child.js';
import { runCommand, watchInput, type LiveOptions } from './watch/commands.js';

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;

const DEFAULT_GRACE_SECONDS = 5; // time to save a checkpoint on SIGTERM before SIGKILL
const VERSION = '0.1.0';

// the CLI's bundle is also the package's CommonJS entry (require('losscurve')): it carries the library
export * from './index.js';

/** The exit code follows the verdict, so the two never disagree: 1 exactly when the fail policy failed the run. */
export function exitCodeFor(report: Report): number {
  return report.verdict === 'failing' ? EXIT_FINDING : EXIT_OK;
}

async function sourceFor(file: string | undefined): Promise<Source> {
  if (file !== undefined && file !== '-') return readFileSource(file);
  // not process.stdin.isTTY: making process.stdin turns a piped fd 0 non-blocking, and the reader reads it itself
  if (file === undefined && stdinIsTerminal()) {
    throw new UsageError('no input: give a log file, or pipe one in (python train.py | losscurve diagnose)');
  }
  return readStdinSource();
}

async function tableFor(file: string | undefined, format: string | undefined): Promise<Table> {
  if (file !== undefined && file !== '-') return readLog(file, { format });
  if (file === undefined && stdinIsTerminal()) {
    throw new UsageError('no input: give a log file, or pipe one in (python train.py | losscurve diagnose)');
  }
  return readLogFromStdin({ format });
}

interface DiagnoseFlags extends ReadingFlags {
  run?: number;
  jobs?: number;
}

/**
 * The exit code of many runs: 2 when any input could not be read (after the table showed it), else 1 when any
 * run failed its policy, else 0. A sweep with a broken log is a broken sweep, whatever the other runs say.
 */
export function exitCodeOfSweep(entries: readonly SweepEntry[]): number {
  if (entries.some((e) => e.verdict === 'unreadable')) return EXIT_USAGE;
  return entries.some((e) => e.verdict === 'failing' || e.verdict === 'crashed') ? EXIT_FINDING : EXIT_OK;
}

async function runDiagnose(files: string[], flags: DiagnoseFlags, command: Command): Promise<number> {
  const options = diagnoseOptionsOf(flags, command, flags.run);
  const runs = files.length === 0 ? [] : runsOf(files);
  if (runs.length > 1) return runSweep(runs, flags, options);
  if (runs.length === 1 && runs[0].problem) throw new UsageError(`${runs[0].path}: ${runs[0].problem}`);
  // one file, or a folder holding one run: read exactly as it always was
  const file = runs.length === 1 ? runs[0].path : undefined;
  const output = new ReportOutput(flags, process.stdout, file === '-' ? undefined : file);
  try {
    const table = await tableFor(file, flags.inputFormat);
    const report = diagnose(table, apiOptionsOf(flags, command, flags.run));
    const format = formatOf(flags);
    if (format === 'text' || format === 'json') output.print(report);
    else printOne(report, format, output);
    return exitCodeFor(report);
  } finally {
    output.close();
  }
}

async function runSweep(runs: ReturnType<typeof runsOf>, flags: DiagnoseFlags, options: ReturnType<typeof diagnoseOptionsOf>): Promise<number> {
  if (runs.filter((r) => r.path === '-').length > 1) throw new UsageError('- (stdin) can be given once');
  if (flags.output !== undefined && runs.some((r) => r.path !== '-' && sameFile(r.path, flags.output!))) {
    throw new UsageError(`--output ${flags.output} is one of the logs being read; name another file for the report`);
  }
  const output = new ReportOutput(flags, process.stdout);
  const jsonl = formatOf(flags) === 'jsonl';
  try {
    const entries: SweepEntry[] = [];
    await diagnoseSweep(runs, flags.jobs ?? defaultJobs(), flags.inputFormat, options, (path) => sourceFor(path), (entry) => {
      // one line per run as soon as it and the runs before it are done, for huge sweeps; the other formats need every run first
      if (jsonl) output.write(jsonlLine(entry));
      entries.push(jsonl ? slim(entry) : entry);
    });
    printSweep(entries, flags, output);
    return exitCodeOfSweep(entries);
  } finally {
    output.close();
  }
}

/** What the exit code needs of an entry already written as a JSONL line. */
function slim(entry: SweepEntry): SweepEntry {
  return entry.verdict === 'unreadable' ? entry : { ...entry, findings: [], plan: [], plan_left_out: [], notes: [] };
}

interface SummarizeFlags extends OutputFlags {
  format: ReadingFlags['format'];
}

function runSummarize(files: string[], flags: SummarizeFlags): number {
  const entries = readShards(files);
  if (entries.length === 0) throw new UsageError(`${files.join(', ')}: no report in ${files.length === 1 ? 'it' : 'them'}; give the --format jsonl output of diagnose shards`);
  const output = new ReportOutput(flags, process.stdout);
  try {
    if (formatOf(flags) === 'jsonl') for (const entry of entries) output.write(jsonlLine(entry));
    printSweep(entries, flags, output);
    return exitCodeOfSweep(entries);
  } finally {
    output.close();
  }
}

interface CompareFlags extends DiagnoseFlags {
  x: AxisName;
}

/** One side of `compare`: the log to read (a folder of several runs gives its first, said in a note) and its table. */
async function compareSide(path: string, flags: CompareFlags): Promise<{ table: Table; notes: string[] }> {
  const runs = runsOf([path]);
  if (runs.length === 0) throw new UsageError(`${path}: no log in it; give a log file or a run folder`);
  if (runs[0].problem) throw new UsageError(`${runs[0].path}: ${runs[0].problem}`);
  const notes = runs.length > 1 ? [`${path} holds ${runs.length} runs: compared the first, ${runs[0].path}; name a run to compare another`] : [];
  return { table: await tableFor(runs[0].path, flags.inputFormat), notes };
}

async function runCompare(a: string, b: string, flags: CompareFlags, command: Command): Promise<number> {
  if (a === '-' && b === '-') throw new UsageError('- (stdin) can be given once; name a file for the other run');
  if (flags.output !== undefined) {
    for (const input of [a, b]) if (input !== '-' && sameFile(input, flags.output)) throw new UsageError(`--output ${flags.output} is one of the logs being read; name another file for the report`);
  }
  const output = new ReportOutput(flags, process.stdout);
  try {
    const sideA = await compareSide(a, flags);
    const sideB = await compareSide(b, flags);
    let comparison;
    try {
      comparison = compare(sideA.table, sideB.table, { ...apiOptionsOf(flags, command, flags.run), axis: flags.x });
    } catch (error) {
      if (error instanceof CompareError) throw new UsageError(error.message);
      throw error;
    }
    comparison.notes.unshift(...sideA.notes, ...sideB.notes);
    const color = colourFor(flags, { isTTY: output.isTTY });
    if (formatOf(flags) === 'json') output.write(renderCompareJson(comparison) + '\n');
    else if (flags.quiet) output.write(resultLine(comparison) + '\n');
    else {
      const width = flags.width ?? (output.isTTY ? process.stdout.columns : undefined) ?? 100;
      output.write(renderCompareText(comparison, { color, width, height: flags.height }));
    }
    return EXIT_OK;
  } finally {
    output.close();
  }
}

interface LiveFlags extends ReadingFlags {
  tee?: boolean;
  grace?: number;
}

function liveOptions(flags: LiveFlags, command: Command): LiveOptions {
  const diagnose = diagnoseOptionsOf(flags, command);
  return {
    formatId: flags.inputFormat,
    diagnose,
    failOn: diagnose.failOn!,
    alerts: { json: formatOf(flags) === 'json', color: colourFor(flags, process.stderr) },
  };
}

/** The report when a live --fail-on finding ended the watch or stopped the command: failing, whatever the last pass saw. */
function stoppedReport(report: Report, finding: ReportFinding): Report {
  if (report.verdict === 'failing') return report;
  const where = at(report.series.step, finding.start_step);
  return { ...report, verdict: 'failing', verdict_reason: `${finding.pattern} at ${where}, alerted live (exit 1: --fail-on ${report.fail_on})` };
}

async function runWatch(file: string | undefined, flags: LiveFlags, command: Command): Promise<number> {
  const options = liveOptions(flags, command);
  if ((file === undefined || file === '-') && process.stdin.isTTY) {
    throw new UsageError('no input: give a log file to follow, or pipe training output in (python train.py 2>&1 | losscurve watch --tee)');
  }
  const output = new ReportOutput(flags, flags.tee ? process.stderr : process.stdout, file === '-' ? undefined : file);
  try {
    const outcome = await watchInput(file, flags.tee === true, options);
    if (outcome.error) throw outcome.error;
    const report = outcome.stoppedBy ? stoppedReport(outcome.report!, outcome.stoppedBy) : outcome.report!;
    output.print(report);
    return exitCodeFor(report);
  } finally {
    output.close();
  }
}

async function runRun(args: string[], flags: LiveFlags, command: Command): Promise<number> {
  const options = liveOptions(flags, command);
  const graceMs = (flags.grace ?? DEFAULT_GRACE_SECONDS) * 1000;
  // JSON goes to stdout after the command's own output (or to --output), never among the command's stderr lines
  const json = formatOf(flags) === 'json';
  const output = new ReportOutput(flags, json ? process.stdout : process.stderr);
  try {
    const outcome = await runCommand(args[0], args.slice(1), graceMs, options, flags.output !== undefined ? 'file' : json ? 'stdout' : 'stderr');
    const exit = outcome.exit!;
    const childCode = exit.signal ? signalExitCode(exit.signal) : exit.code ?? EXIT_USAGE;
    const name = [args[0], ...args.slice(1)].join(' ');
    // output that was no log, or held no loss, is said in the report; the command's own exit code stands
    let report = outcome.error ? nothingSeenReport(name, describeProblem(outcome.error), options.diagnose) : outcome.report!;
    if (outcome.stoppedBy) report = stoppedReport(report, outcome.stoppedBy);
    report = withCommand(report, exit, childCode);
    output.print(report);
    return report.verdict === 'failing' ? EXIT_FINDING : childCode;
  } finally {
    output.close();
  }
}

/** How the command ended, in the report; a command that failed on its own is reported as a crash unless the policy failed the run. */
function withCommand(report: Report, exit: ChildExit, childCode: number): Report {
  const train = report.curves.train;
  const last = train && train.steps.length ? train.steps.length - 1 : -1;
  const lastStep = last >= 0 ? train!.steps[last] : null;
  const lastLoss = last >= 0 ? train!.values[last] : null;
  const command = { exit_code: exit.code, signal: exit.signal, last_step: lastStep, last_loss: lastLoss };
  if (childCode === EXIT_OK || report.verdict === 'failing') return { ...report, command };
  const how = exit.signal ? `was ended by ${exit.signal}` : `exited ${childCode}`;
  const where = lastStep === null ? ' before logging a loss' : ` at ${at(report.series.step, lastStep)}; last loss ${fmtLoss(lastLoss!)}`;
  const was = report.verdict === 'no-loss' ? '' : `; before it: ${report.verdict}, ${report.verdict_reason}`;
  return { ...report, command, verdict: 'crashed', verdict_reason: `the command ${how}${where}${was}` };
}

/** A reading problem in one line, as a note of the report. */
function describeProblem(problem: Error): string {
  if (problem instanceof InputError) return problem.describe();
  return `internal error: ${problem.message} (please report this with the log that caused it)`;
}

const EXIT_CODES_HELP = `
Exit codes:
  0  the run passes its --fail-on policy (also: inconclusive, no loss)
  1  a finding the --fail-on policy fails on (default: error-severity findings: nan, divergence, a fully flat run)
  2  bad usage or input that cannot be read (one line on stderr says why)`;

const RUN_EXIT_CODES_HELP = `
Exit codes:
  1  a --fail-on finding stopped the command (SIGTERM to its process group, SIGKILL after --grace)
  N  otherwise the command's own exit code (128 + the signal's number if a signal ended it)
  2  bad usage, or the command cannot be started`;

/**
 * The config file (found from the working directory up) applied below the flags; with --print-config the
 * resolved settings are printed and true returned: the command then exits 0 without reading anything.
 */
function configured(command: Command, formats: readonly ReportFormat[]): boolean {
  const found = findConfig(process.cwd());
  applyConfig(command, found, formats);
  if (!command.opts().printConfig) return false;
  process.stdout.write(describeConfig(command, found));
  return true;
}

/** watch and run: the reading options plus the live ones. */
function liveCommand(program: Command, name: string): Command {
  return withReadingOptions(program.command(name), 'alerts and the final report as text, or JSON (alerts one finding per line)');
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('losscurve')
    .description('Diagnose a training loss curve from the log you already have: what is wrong, where, and what to try.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .enablePositionalOptions()
    .addHelpText('after', `
Examples:
  losscurve diagnose train.log
  python train.py 2>&1 | losscurve watch --tee > train.log
  losscurve run -- python train.py --lr 3e-4
${EXIT_CODES_HELP}`);

  withReadingOptions(program.command('diagnose'), 'report format: text, json (an array for several runs), jsonl (one run a line), github (workflow commands), markdown, junit', REPORT_FORMATS)
    .description('read training logs (files, folders, globs, or - / a pipe for stdin) and report what each loss curve shows')
    .argument('[paths...]', 'log files, log folders (TensorBoard, MLflow, Lightning, a folder of logs: each run in it) or quoted globs (runs/**/*.csv); - or omitted with a pipe reads stdin')
    .option('--run <n>', 'which run to diagnose when the log holds several (default: the last)', positiveInt)
    .option('--jobs <n>', 'runs of a sweep diagnosed at once, each on its own thread (default: one per core; 1: one after another)', jobCount)
    .addHelpText('after', `
Examples:
  losscurve diagnose train.log
  losscurve diagnose --fail-on warning --format json --output report.json runs/exp1
  losscurve diagnose 'sweep/**/trainer_state.json' lightning_logs/
${EXIT_CODES_HELP}
  Several runs: 1 when any run fails --fail-on; 2 when any input cannot be read (the table still shows the rest).`)
    .action(async (files: string[], flags: DiagnoseFlags, command: Command) => setExit(configured(command, REPORT_FORMATS) ? EXIT_OK : await runDiagnose(files, flags, command)));

  program
    .command('summarize')
    .description('merge the --format jsonl outputs of diagnose shards into one sweep report and exit code')
    .argument('<reports...>', 'files written by diagnose --format jsonl (or --format json)')
    .addOption(new Option('--format <format>', 'report format').choices(REPORT_FORMATS).default('text'))
    .option('--json', 'the same as --format json')
    .option('--output <file>', 'write the report to this file instead of the terminal')
    .option('--quiet', 'print only the summary line (other formats are printed whole)')
    .option('--color', 'colour even when the output is no terminal')
    .option('--no-color', 'no colour')
    .addHelpText('after', `
Each shard's verdicts were judged by its own --fail-on; summarize counts them.

Examples:
  parallel losscurve diagnose --format jsonl --output shard-{#}.jsonl {} ::: runs/*/
  losscurve summarize shard-*.jsonl

Exit codes:
  0  no run failed
  1  a run failed its --fail-on policy
  2  a report cannot be read, or a shard says an input could not be read`)
    .action((files: string[], flags: SummarizeFlags) => setExit(runSummarize(files, flags)));

  withReadingOptions(program.command('compare'), 'report format: text (the chart and the comparison) or json')
    .description('two runs on one chart, aligned at equal steps (or tokens, epochs): where they part, which is lower at the end and at its best validation, and whether that is more than noise')
    .argument('<a>', 'the first run: a log file or run folder in any format diagnose reads (- for stdin)')
    .argument('<b>', 'the second run')
    .addOption(new Option('--x <axis>', 'align the runs at equal steps, tokens seen (a tokens column in both logs) or epochs').choices(AXES).default('step'))
    .option('--run <n>', 'which run of a log holding several to compare (default: the last, as diagnose)', positiveInt)
    .addHelpText('after', `
Each log is diagnosed as diagnose would (its verdict is one line of the report; --fail-on words it, the exit code
stays 0); a folder holding several runs gives its first. The runs are compared over the steps both reach: the gap
at the end is the mean gap between their smoothed curves over the last fifth, judged against each run's own noise
(more than noise: |z| > 3); where they part is where the gap starts to stay beyond the noise to the end.
--quiet prints only the result line.

Examples:
  losscurve compare runs/baseline.csv runs/new-recipe.csv
  losscurve compare --x tokens --format json old/trainer_state.json new/trainer_state.json

Exit codes:
  0  the runs were compared (whichever is lower)
  2  bad usage, a log that cannot be read, or two runs that cannot be compared (no steps in common,
     no loss series in common, --x tokens or epoch on a log without that column): one line on stderr`)
    .action(async (a: string, b: string, flags: CompareFlags, command: Command) => setExit(configured(command, LIVE_FORMATS) ? EXIT_OK : await runCompare(a, b, flags, command)));

  liveCommand(program, 'watch')
    .description('follow a log as it is written (a file, like tail -F, or stdin): alert the moment something goes wrong, report at the end')
    .argument('[file]', 'log file to follow; - or omitted with a pipe reads stdin')
    .option('--tee', 'copy the input to stdout unchanged, to its end (a --fail-on finding is alerted, never cuts the pipe); the report goes to stderr', false)
    .addHelpText('after', `
Without --tee, a --fail-on finding ends the watch at once (exit 1). With --tee every byte passes through
to the end of input and the exit code comes then; to stop the trainer, use losscurve run.

Examples:
  losscurve watch train.log
  python train.py 2>&1 | losscurve watch --tee --fail-on nan > train.log
${EXIT_CODES_HELP}`)
    .action(async (file: string | undefined, flags: LiveFlags, command: Command) => setExit(configured(command, LIVE_FORMATS) ? EXIT_OK : await runWatch(file, flags, command)));

  liveCommand(program, 'run')
    .description('run a training command, watch its output, and stop it (its whole process group: SIGTERM, then SIGKILL) when a --fail-on finding appears')
    .argument('[command...]', 'the command and its arguments, after -- (losscurve run -- python train.py --lr 3e-4)')
    .option('--grace <seconds>', 'after SIGTERM, wait this long before SIGKILL (a second Ctrl-C kills at once)', nonNegativeNumber, DEFAULT_GRACE_SECONDS)
    .passThroughOptions()
    .addHelpText('after', `
The command's stdout and stderr pass through unchanged; the text report goes to stderr, the JSON report
to stdout after the command's output (or to --output FILE).

Examples:
  losscurve run -- python train.py --lr 3e-4
  losscurve run --fail-on nan,divergence --grace 30 --format json --output report.json -- bash train.sh
${RUN_EXIT_CODES_HELP}`)
    .action(async (args: string[], flags: LiveFlags, command: Command) => {
      if (configured(command, LIVE_FORMATS)) return setExit(EXIT_OK);
      // optional to commander so --print-config needs no command; required here, with commander's own words
      if (args.length === 0) throw new UsageError("missing required argument 'command'");
      setExit(await runRun(args, flags, command));
    });

  program
    .command('explain')
    .description('explain a pattern: what it looks like, likely causes, fixes in order, when it is not a problem')
    .argument('[pattern]', `one of ${PATTERN_IDS.join(', ')}`)
    .addHelpText('after', `
Examples:
  losscurve explain
  losscurve explain plateau

Exit codes:
  0  the page was printed
  2  no such pattern`)
    .action((pattern: string | undefined) => {
      if (pattern === undefined) {
        process.stdout.write(listPatterns());
        return setExit(EXIT_OK);
      }
      const page = explainPattern(pattern);
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
