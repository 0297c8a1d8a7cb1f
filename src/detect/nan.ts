// nan: the loss became NaN or infinite, a cross-entropy went below zero, or a zero loss hides a NaN gradient.

import { at, fmtLoss, fmtRatio, round } from '../format.js';
import { median } from '../stats/robust.js';
import type { Curve, DetectContext, Detector, Finding, Series, SeriesName } from '../types.js';
import { lrAdvice } from './lr.js';
import { NEGATIVE_TOLERANCE, profileOf, startsNonNegative } from './profile.js';


function fixes(series: Series): string[] {
  return [
    lrAdvice(series, 0.1, 'lower the learning rate sharply (×0.1) and restart from the last good checkpoint'),
    'clip gradients: torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0) after backward(), before step()',
    'check the attention scores are divided by sqrt(head_dim) before the softmax, so exp() cannot overflow in bf16/fp16',
    'check the loss code: cross-entropy on raw logits (not probabilities), targets aligned with logits, no log(0)',
    'under mixed precision, check autocast covers the forward pass and keeps softmax and layer norm in float32',
  ];
}

/** Where a curve first goes bad: a non-finite value, or (for a cross-entropy) a negative one; none before `from`. */
function firstBad(curve: Curve, crossEntropy: boolean, from: number): { index: number; kind: 'NaN' | 'Inf' | 'negative' } | undefined {
  const values = curve.values; // read once, not per point: a curve may have ten million
  const lowest = crossEntropy ? NEGATIVE_TOLERANCE : -Infinity;
  for (let i = from; i < values.length; i++) {
    const v = values[i];
    if (v >= lowest && v < Infinity && v > -Infinity) continue; // the usual value, in one test (NaN fails it)
    if (Number.isNaN(v)) return { index: i, kind: 'NaN' };
    if (!Number.isFinite(v)) return { index: i, kind: 'Inf' };
    if (crossEntropy && v < NEGATIVE_TOLERANCE) return { index: i, kind: 'negative' };
  }
  return undefined;
}

function checkCurve(curve: Curve, name: SeriesName, series: Series): Finding | undefined {
  // a loss that starts negative is a likelihood that may go below zero (Gaussian, Student-t NLL), not a cross-entropy
  const crossEntropy = startsNonNegative(curve.values);
  // the train curve's profile, which the other detectors read too, found its first bad point in its own pass
  // (the same test): a ten-million-point curve is then not scanned twice
  const goodUntil = name === 'train' ? profileOf(curve).firstLeftOut : 0;
  const bad = goodUntil < 0 ? undefined : firstBad(curve, crossEntropy, goodUntil);
  if (!bad) return undefined;
  const { steps, values } = curve;
  let count = 0;
  let last = bad.index;
  for (let i = bad.index; i < values.length; i++) {
    if (!Number.isFinite(values[i]) || (crossEntropy && values[i] < NEGATIVE_TOLERANCE)) { count++; last = i; }
  }
  const before = bad.index > 0 ? values[bad.index - 1] : NaN;
  const line = curve.lines.at(bad.index);
  const where = `${at(series.stepName, steps[bad.index])}${line ? ` (line ${line})` : ''}`;
  const what = bad.kind === 'negative'
    ? `went below zero (${fmtLoss(values[bad.index])}), which a cross-entropy cannot do,`
    : `became ${bad.kind === 'NaN' ? 'NaN' : fmtLoss(values[bad.index])}`;
  const from = bad.index === 0 ? 'from the first logged value' : `after ${fmtLoss(before)}`;
  const tail = `${count} of the ${values.length - bad.index} values from there on are bad`;
  return {
    pattern: 'nan',
    severity: 'error',
    series: name,
    start_step: steps[bad.index],
    end_step: steps[last],
    message: `${name} loss ${what} at ${where} ${from}; ${tail}`,
    evidence: { kind: bad.kind, first_bad_step: steps[bad.index], bad_values: count, last_good_value: round(before), line: curve.lines.at(bad.index) || null },
    fixes: fixes(series),
  };
}

/** Hugging Face logs a loss of exactly 0.0 on steps where the gradient norm is NaN: the NaN in disguise. */
function zeroLossNanGradient(series: Series): Finding | undefined {
  const { train, gradNorm } = series;
  if (!train || !gradNorm) return undefined;
  const gradAt = new Map<number, number>();
  for (let i = 0; i < gradNorm.steps.length; i++) gradAt.set(gradNorm.steps[i], gradNorm.values[i]);
  let first = -1;
  let count = 0;
  let last = -1;
  for (let i = 0; i < train.values.length; i++) {
    const g = gradAt.get(train.steps[i]);
    if (train.values[i] === 0 && g !== undefined && Number.isNaN(g)) {
      if (first < 0) first = i;
      last = i;
      count++;
    }
  }
  if (first < 0) return undefined;
  return {
    pattern: 'nan',
    severity: 'error',
    series: 'train',
    start_step: train.steps[first],
    end_step: train.steps[last],
    message: `train loss reads exactly 0 at ${at(series.stepName, train.steps[first])} while ${gradNorm.name} is NaN: the loss is NaN in disguise (${count} such steps)`,
    evidence: { kind: 'zero loss, NaN gradient norm', first_bad_step: train.steps[first], bad_values: count, line: train.lines.at(first) || null },
    fixes: fixes(series),
  };
}

/**
 * MetricLogger prints each loss with its running average, "loss: 44.53 (inf)": an average that turns
 * non-finite means a batch between two prints had a non-finite loss, even though every printed value is
 * finite. Only finiteness is judged here: an average is smooth by construction, so its shape says nothing.
 */
function averageTurnsNonFinite(series: Series): Finding | undefined {
  const average = series.trainAverage;
  if (!average) return undefined;
  const values = average.values;
  let first = -1;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) continue;
    if (first < 0) first = i;
    count++;
  }
  if (first < 0) return undefined;
  const step = average.steps[first];
  const line = average.lines.at(first);
  const shown = Number.isNaN(values[first]) ? 'NaN' : fmtLoss(values[first]);
  const printed = series.train ? printedAt(series.train, step) : undefined;
  const value = printed !== undefined && Number.isFinite(printed) ? ` while the printed value stayed finite (${fmtLoss(printed)})` : '';
  return {
    pattern: 'nan',
    severity: 'error',
    series: 'train',
    start_step: step,
    end_step: average.steps[values.length - 1],
    message: `the running average printed beside ${series.train?.name ?? 'the train loss'} became ${shown} at ${at(series.stepName, step)}${line ? ` (line ${line})` : ''}${value}: a batch between two prints had a non-finite loss; ${count} of the ${values.length - first} averages from there on are bad`,
    evidence: { kind: `running average ${shown}`, first_bad_step: step, bad_values: count, printed_value: printed === undefined ? null : round(printed), line: line || null },
    fixes: fixes(series),
  };
}

const RUNAWAY = 100; // a likelihood negative from the start settles (Gaussian NLL −1 → −3); one whose size grows ×100 has no floor
const RUNAWAY_POINTS = 6; // a start and an end of three points each

/**
 * A loss negative from its first value may be a legitimate likelihood, but not one whose magnitude grows by
 * two orders of magnitude and ends at its most negative: the sign is wrong (binary cross-entropy on targets
 * outside [0, 1]), or a variance is collapsing. The guide's "cross-entropy below zero", caught where the
 * curve never was non-negative to begin with.
 */
function runawayNegative(curve: Curve, name: SeriesName, series: Series): Finding | undefined {
  if (startsNonNegative(curve.values)) return undefined;
  const p = profileOf(curve);
  if (p.n < RUNAWAY_POINTS) return undefined;
  const start = median(p.values, 0, 3);
  const end = median(p.values, p.n - 3, p.n);
  if (!(start < 0 && end < 0 && end <= RUNAWAY * start)) return undefined;
  let lowest = 0;
  for (let i = 1; i < p.n; i++) if (p.values[i] < p.values[lowest]) lowest = i;
  if (lowest < p.n - 3) return undefined; // it must still be running away at the end, not have settled after a dip
  const growth = p.values[p.n - 1] / p.values[0]; // as the file says; the test above is on medians, so one odd value does not decide
  return {
    pattern: 'nan',
    severity: 'error',
    series: name,
    start_step: p.steps[0],
    end_step: p.steps[p.n - 1],
    message: `${name} loss is negative from its first value and its size grew ${fmtRatio(growth)} (${fmtLoss(p.values[0])} → ${fmtLoss(p.values[p.n - 1])}), still falling at the end: no likelihood falls without bound, so the loss is broken, not learning`,
    evidence: { kind: 'negative runaway', first_bad_step: p.steps[0], growth: round(growth, 1), first_value: round(p.values[0]), last_value: round(p.values[p.n - 1]), line: p.lines.at(0) || null },
    fixes: [
      'check the targets: binary cross-entropy needs labels in [0, 1] (one-hot or 0/1), not class indices or raw values',
      'check the sign: a loss to minimise must not be a log-likelihood to maximise (negate it)',
      'for a Gaussian or other likelihood, bound the predicted variance from below (e.g. softplus + 1e-6) so it cannot collapse to zero',
    ],
  };
}

/** The train loss printed at `step`, if a point is there. */
function printedAt(train: Curve, step: number): number | undefined {
  for (let i = 0; i < train.steps.length; i++) if (train.steps[i] === step) return train.values[i];
  return undefined;
}

export const nan: Detector = {
  id: 'nan',
  title: 'Loss is NaN, infinite or negative',
  severity: 'error',
  detect(series: Series, _context: DetectContext): Finding[] {
    const found: Finding[] = [];
    const train = series.train && checkCurve(series.train, 'train', series);
    const disguised = zeroLossNanGradient(series);
    // the first sign is reported, where the run really died (on a tie the printed value, then the disguised NaN):
    // a zero loss beside a NaN grad norm, or a running average that turned non-finite while the values printed stayed finite
    const average = averageTurnsNonFinite(series);
    const runaway = series.train && runawayNegative(series.train, 'train', series);
    const first = [train, disguised, average, runaway].filter((f): f is Finding => f !== undefined)
      .reduce<Finding | undefined>((best, f) => (!best || f.start_step < best.start_step ? f : best), undefined);
    if (first) found.push(first);
    const val = series.val && (checkCurve(series.val, 'val', series) ?? (runaway ? undefined : runawayNegative(series.val, 'val', series)));
    if (val) found.push(val);
    return found;
  },
};
