// Table → Report: normalise into runs, run the detectors on each, and judge the diagnosed run. No printing, no exit codes.

import { recogniseBaseline, type Baseline } from './detect/baseline.js';
import { detectAll } from './detect/index.js';
import { profileOf } from './detect/profile.js';
import { median } from './stats/robust.js';
import { at, fmtStep } from './format.js';
import { classify } from './normalise/columns.js';
import { normalise, type Run } from './normalise/index.js';
import type { ColumnOverrides } from './normalise/roles.js';
import { makePlan, type Plan } from './plan/index.js';
import { InputError } from './read/errors.js';
import type { Table } from './read/table.js';
import type { Finding, Series, Severity } from './types.js';

/** `no-loss`: a trainer's log that holds no loss series (see Table.trainerLog), so there is nothing to judge. */
export type Verdict = 'healthy' | 'warning' | 'failing' | 'no-loss';

export interface DiagnoseOptions extends ColumnOverrides {
  /** Vocabulary size for the ln(V) baseline; ignored when `baseline` is given. */
  vocab: number;
  /** The user chose the vocabulary (--vocab): the baseline then applies whatever the loss starts at. */
  vocabGiven?: boolean;
  baseline?: number;
  /** 1-based run to diagnose; the last when undefined. */
  run?: number;
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
  /** Every run's findings, most severe first; verdict and exit code read only the diagnosed run's. */
  findings: ReportFinding[];
  /** What to try, in order: the diagnosed run's fixes merged into one list (src/plan/). */
  plan: Plan;
  /** The diagnosed run's curves, for the chart. */
  curves: Series;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const COMPONENT_RANK = 30; // columns.ts ranks a loss name with one word beyond train/val/granularity (a component) at 30 or more

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
  const verdict: Verdict = mine.some((f) => f.severity === 'error') ? 'failing' : mine.some((f) => f.severity === 'warning') ? 'warning' : 'healthy';

  const run = runs[diagnosed - 1];
  const s = run.series;
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
    findings,
    plan: makePlan(mine),
    curves: s,
  };
}

/** The report on a trainer's log without a loss: what it holds, and no findings. */
function noLossReport(table: Table, file: string, stepName: string, options: DiagnoseOptions): Report {
  const curves: Series = { stepName };
  const seen = table.columns.filter((c) => c.count > 0 && c.name !== stepName).map((c) => c.name);
  const what = seen.length ? `it holds ${seen.join(', ')}` : 'it holds no values yet';
  return {
    file,
    format: table.format,
    rows: table.rows,
    steps: { first: NaN, last: NaN },
    series: { step: stepName, other_losses: [] },
    baseline: baselineOf(curves, { ...recogniseBaseline(undefined, options), applies: false }),
    runs: { count: 0, diagnosed: 0 },
    notes: [...table.notes, table.skipped.describe(), `no loss series in this log (${what}): nothing to diagnose; if one of them is the loss, name it with --loss`]
      .filter((note): note is string => Boolean(note)),
    verdict: 'no-loss',
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
  const lookBacks = runs[diagnosed - 1].lookBacks;
  if (lookBacks.length) {
    notes.push(`left out ${lookBacks.length} line${lookBacks.length > 1 ? 's' : ''} quoting an earlier ${stepName} after which the log never went on (a checkpoint or summary): line${lookBacks.length > 1 ? 's' : ''} ${lookBacks.map(fmtStep).join(', ')}`);
  }
  for (const resume of runs[diagnosed - 1].resumes) {
    notes.push(`the run was resumed at ${at(stepName, resume.step)} (line ${fmtStep(resume.line)}): the later rows replace the repeated ones`);
  }
  return notes;
}
