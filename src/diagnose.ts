// Table → Report: normalise into runs, run the detectors on each, and judge the diagnosed run. No printing, no exit codes.

import { recogniseBaseline, type Baseline } from './detect/baseline.js';
import { detectAll } from './detect/index.js';
import { profileOf } from './detect/profile.js';
import { median } from './stats/robust.js';
import { at, fmtLoss, fmtStep } from './format.js';
import { classify } from './column-names.js';
import { normalise, type Run } from './normalise/index.js';
import type { ColumnOverrides } from './normalise/roles.js';
import { makePlan, type Plan } from './plan/index.js';
import { InputError } from './read/errors.js';
import type { Table } from './read/table.js';
import { DEFAULT_POLICY, fails, type FailPolicy } from './policy.js';
import type { Finding, Series, Severity } from './types.js';

/**
 * `failing` exactly when the fail policy fails the run (exit 1); `no-loss`: a trainer's log that holds no loss
 * series (see Table.trainerLog); `inconclusive`: too short or too noisy to judge; `crashed`: set by `run` when the command failed.
 */
export type Verdict = 'healthy' | 'warning' | 'failing' | 'inconclusive' | 'no-loss' | 'crashed';

export interface DiagnoseOptions extends ColumnOverrides {
  /** Vocabulary size for the ln(V) baseline; ignored when `baseline` is given. */
  vocab: number;
  /** The user chose the vocabulary (--vocab): the baseline then applies whatever the loss starts at. */
  vocabGiven?: boolean;
  baseline?: number;
  /** 1-based run to diagnose; the last when undefined. */
  run?: number;
  /** Which findings fail the run (--fail-on); the default fails on error-severity findings. */
  failOn?: FailPolicy;
}

export interface ReportFinding extends Finding {
  /** 1-based run the finding belongs to. */
  run: number;
}

export interface Report {
  file: string;
  format: string;
  rows: number;
  steps: { first: number; last: number };
  series: { step: string; train?: string; val?: string; lr?: string; grad_norm?: string; other_losses: string[] };
  /** `applies` is false when the loss is no cross-entropy over this vocabulary (negative, or far above ln(V) unasked). */
  baseline: { value: number; source: string; applies: boolean; start_ratio: number | null; end_ratio: number | null };
  runs: { count: number; diagnosed: number };
  notes: string[];
  verdict: Verdict;
  /** One sentence on why: the policy that failed the run, the worst finding, or what would make the log judgeable. */
  verdict_reason: string;
  /** The fail policy the verdict was judged by (--fail-on), as given. */
  fail_on: string;
  /** How the command ended (`run` only): its exit code or signal, and the last step and train loss it logged. */
  command?: { exit_code: number | null; signal: string | null; last_step: number | null; last_loss: number | null };
  /** Every run's findings, most severe first; verdict and exit code read only the diagnosed run's. */
  findings: ReportFinding[];
  /** What to try, in order: the diagnosed run's fixes merged into one list (src/plan/). */
  plan: Plan;
  /** The diagnosed run's curves, for the chart. */
  curves: Series;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const COMPONENT_RANK = 30; // column-names.ts ranks a loss name with one word beyond train/val/granularity (a component) at 30 or more

export function diagnose(table: Table, file: string, options: DiagnoseOptions): Report {
  const { choice, runs } = normalise(table, options, file);
  if (!choice.train && !choice.val) return noLossReport(table, file, choice.stepName, options);
  if (runs.length === 0) throw new InputError(`has no loss values in column ${choice.train?.name}; check --loss`, file);
  const diagnosed = options.run ?? runs.length;
  if (diagnosed < 1 || diagnosed > runs.length) {
    throw new InputError(`--run ${options.run}: the log has ${runs.length} run${runs.length > 1 ? 's' : ''}; pick 1 to ${runs.length}`, file);
  }
  const findings: ReportFinding[] = [];
  const baselineGiven = options.baseline !== undefined || options.vocabGiven === true;
  // each run's own baseline (a log may hold runs of different models): ln(k) of a k-way classifier, ln(V), or none
  // component losses beside the train loss (words beyond train/val/granularity: loss_cls, train/box_loss) make it a multi-task sum
  const componentLosses = choice.otherTrain.some((name) => classify(name).rank >= COMPONENT_RANK);
  const baselines = runs.map((run) => recogniseBaseline(run.series.train, { ...options, componentLosses }));
  runs.forEach((run, k) => {
    const b = baselines[k];
    for (const f of detectAll(run.series, { baseline: b.value, baselineGiven, adversarial: table.adversarial, recognised: b })) findings.push({ ...f, run: k + 1 });
  });
  findings.sort((a, b) => Number(b.run === diagnosed) - Number(a.run === diagnosed)
    || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.run - b.run || a.start_step - b.start_step);
  const mine = findings.filter((f) => f.run === diagnosed);
  const run = runs[diagnosed - 1];
  const s = run.series;
  const policy = options.failOn ?? DEFAULT_POLICY;
  const { verdict, reason } = verdictOf(mine, policy, s);
  const allSteps = [s.train, s.val].filter((c) => c !== undefined).flatMap((c) => [c!.steps[0], c!.steps[c!.steps.length - 1]]);
  return {
    file,
    format: table.format,
    rows: table.rows,
    steps: { first: Math.min(...allSteps), last: Math.max(...allSteps) },
    series: {
      step: choice.stepName, train: choice.train?.name, val: choice.val?.name, lr: choice.lr?.name, grad_norm: choice.gradNorm?.name,
      other_losses: [...choice.otherTrain, ...choice.otherVal],
    },
    baseline: baselineOf(s, baselines[diagnosed - 1]),
    runs: { count: runs.length, diagnosed },
    notes: notesOf(table, runs, diagnosed, choice.stepName),
    verdict,
    verdict_reason: reason,
    fail_on: policy.text,
    findings,
    plan: makePlan(mine),
    curves: s,
  };
}

const MIN_JUDGEABLE_POINTS = 8; // flat and sawtooth, the detectors that need the most points, need 8 to tell "not yet" from "never"

/** The verdict on the diagnosed run's findings: failing exactly when the policy fails the run, so it never contradicts the exit code. */
function verdictOf(mine: readonly ReportFinding[], policy: FailPolicy, s: Series): { verdict: Verdict; reason: string } {
  const where = (f: ReportFinding) => `${f.pattern} at ${at(s.stepName, f.start_step)}`;
  const failing = mine.filter((f) => fails(policy, f));
  if (failing.length) {
    const patterns = failing.map((f) => f.pattern).filter((p, i, all) => all.indexOf(p) === i);
    return { verdict: 'failing', reason: `${patterns.join(', ')} (exit 1: --fail-on ${policy.text})` };
  }
  const worst = mine.find((f) => f.severity !== 'info');
  if (worst) return { verdict: 'warning', reason: `${where(worst)}; see what to try above (not failing: --fail-on ${policy.text})` };
  // a problem shows in a few points; health does not: a short fall is no healthy run yet
  const curve = s.train ?? s.val;
  const profile = curve ? profileOf(curve) : undefined;
  const points = profile?.n ?? 0;
  if (points < MIN_JUDGEABLE_POINTS) {
    return { verdict: 'inconclusive', reason: `only ${points} point${points === 1 ? '' : 's'}: log at least ${MIN_JUDGEABLE_POINTS} to judge the curve` };
  }
  if (mine.some((f) => f.pattern === 'good')) return { verdict: 'healthy', reason: 'the loss falls the way a healthy run does' };
  return {
    verdict: 'inconclusive',
    reason: `${fmtStep(points)} points, but the ${s.train ? 'train' : 'val'} loss (${fmtLoss(profile!.start)} → ${fmtLoss(profile!.end)}) neither clearly falls nor shows a known problem: log a longer run (or the loss more often) to judge it`,
  };
}

/** The report on a trainer's log without a loss: what it holds, and no findings. */
function noLossReport(table: Table, file: string, stepName: string, options: DiagnoseOptions): Report {
  const seen = table.columns.filter((c) => c.count > 0 && c.name !== stepName).map((c) => c.name);
  const what = seen.length ? `it holds ${seen.join(', ')}` : 'it holds no values yet';
  const notes = [...table.notes, table.skipped.describe(), `no loss series in this log (${what}): nothing to diagnose; if one of them is the loss, name it with --loss`]
    .filter((note): note is string => Boolean(note));
  return emptyReport({ file, format: table.format, rows: table.rows, stepName, notes, reason: 'the log holds no loss series: nothing to diagnose (see the note above)' }, options);
}

/** The report on output in which no loss was seen at all (`run`: a command that printed none); `why` is its note. */
export function nothingSeenReport(file: string, why: string, options: DiagnoseOptions): Report {
  return emptyReport({ file, format: 'none', rows: 0, stepName: 'step', notes: [why], reason: 'no loss was seen in the output: nothing to judge' }, options);
}

/** A `no-loss` report: no curves, no findings, no plan; only what was read and why there is nothing to judge. */
function emptyReport(
  at: { file: string; format: string; rows: number; stepName: string; notes: string[]; reason: string }, options: DiagnoseOptions,
): Report {
  const curves: Series = { stepName: at.stepName };
  return {
    file: at.file,
    format: at.format,
    rows: at.rows,
    steps: { first: NaN, last: NaN },
    series: { step: at.stepName, other_losses: [] },
    baseline: baselineOf(curves, { ...recogniseBaseline(undefined, options), applies: false }),
    runs: { count: 0, diagnosed: 0 },
    notes: at.notes,
    verdict: 'no-loss',
    verdict_reason: at.reason,
    fail_on: (options.failOn ?? DEFAULT_POLICY).text,
    findings: [],
    plan: { items: [], leftOut: [] },
    curves,
  };
}

function baselineOf(s: Series, b: Baseline): Report['baseline'] {
  const { value, source, applies } = b;
  const rounded = Number(value.toFixed(4));
  if (!s.train) return { value: rounded, source, applies, start_ratio: null, end_ratio: null };
  const p = profileOf(s.train);
  if (p.n === 0) return { value: rounded, source, applies, start_ratio: null, end_ratio: null };
  const ratio = (x: number) => Number((x / value).toFixed(3));
  // where the curve starts, as a person reads it: its first few points (the profile's start spans 5% of the run)
  const start = median(p.values, 0, Math.min(p.n, 3));
  return { value: rounded, source, applies, start_ratio: ratio(start), end_ratio: ratio(p.end) };
}

function notesOf(table: Table, runs: Run[], diagnosed: number, stepName: string): string[] {
  const notes = [...table.notes];
  if (table.adversarial) {
    notes.push('an adversarial (GAN) loss need not fall to be healthy: only nan, spike, overfit, step and sawtooth are judged');
  }
  const skipped = table.skipped.describe();
  if (skipped) notes.push(skipped);
  if (runs.length > 1) {
    const spans = runs.map((r, k) => `run ${k + 1}: lines ${fmtStep(r.lines[0])}–${fmtStep(r.lines[1])}`).join(', ');
    notes.push(`the log holds ${runs.length} runs (the steps start over): ${spans}; diagnosing run ${diagnosed}, --run N picks another`);
  }
  if (runs[diagnosed - 1].countedAcrossEpochs) {
    notes.push(`the ${stepName} column starts over every epoch, so steps are counted on across epochs`);
  }
  const judged = runs[diagnosed - 1].series;
  if (!judged.train && judged.val) notes.push(`the log holds only a validation loss (${judged.val.name}): it is judged as the run's loss curve`);
  const lookBacks = runs[diagnosed - 1].lookBacks;
  if (lookBacks.length) {
    notes.push(`left out ${lookBacks.length} line${lookBacks.length > 1 ? 's' : ''} quoting an earlier ${stepName} after which the log never went on (a checkpoint or summary): line${lookBacks.length > 1 ? 's' : ''} ${lookBacks.map(fmtStep).join(', ')}`);
  }
  for (const resume of runs[diagnosed - 1].resumes) {
    notes.push(`the run was resumed at ${at(stepName, resume.step)} (line ${fmtStep(resume.line)}): the later rows replace the repeated ones`);
  }
  return notes;
}
