// flat: the train loss never leaves where it started (or the random-guess baseline): the model is not learning at all.

import { at, fmtLoss, fmtPct, round } from '../format.js';
import type { DetectContext, Detector, Finding, Series } from '../types.js';
import { median } from '../stats/robust.js';
import { mannKendallZ } from '../stats/kendall.js';
import { profileOf, type Profile } from './profile.js';

const MIN_POINTS = 8; // a shorter log (an excerpt, a first few logs) cannot tell "not yet" from "never"
const BAND = 0.05; // learning moves the loss more than 5% below its start; flat runs wander ±2%
const NOISE_BANDS = 3; // on a noisy curve the smoothed level wanders by its own noise: widen the band to 3× that...
const MAX_BAND = 0.2; // ...but a curve that falls 20% has moved, however noisy
const CLEAR_BAND = 0.1; // away from the baseline, a curve whose noise needs a band over 10% is too noisy to call flat
const MIN_SHARE = 1 / 3; // stuck for a third of the run is no slow start: warmups take a few percent
const TREND_Z = -3; // a fall that Mann–Kendall finds significant (z below −3, p < 0.002) is slow learning, not a flat line
const TREND_DROP = 0.02; // ...when it adds up to at least 2%
const AFTER_RATE = 4; // a loss unstuck by an LR change falls 10–100× faster at once; a steady decline keeps its rate (×1)
const BASELINE_DROP = 0.03; // at the random-guess loss, a fall of 3% or more...
const BASELINE_Z = -2; // ...that is consistent (Mann–Kendall z below −2) means the model is learning something
const RISE_BANDS = 2; // leaving the band upwards takes twice its width (see bucketsStuck)
// Settled at chance: the second half of the run sits within 0.5% of a recognised random-guess loss (ln k, ln V): a
// classifier predicting the class prior or an LM predicting uniformly, which costs ln k on every example; a model that
// learns anything ends further below (the healthy binary and 4-way fine-tunes in the labelled logs end 30-60% under
// ln k; the stuck binary classifier sits 0.2% off), and synthetic plateaus landed within 1% of ln 10 by chance
const AT_CHANCE = 0.005;
const AT_CLASSES = 0.05; // within 5% above ln k: the window detect/baseline.ts recognises a start at chance by
// and at chance the loss barely moves between logs: predicting the prior, every example costs the same (the stuck
// binary classifier in the labelled logs moves 0.2%; a noisy plateau that happens to end near ln k moves 1-5%)
const CHANCE_JITTER = 0.005;
const NEAR_BASELINE = 0.9; // within 10% of ln(V) (or above it) the model predicts no better than uniform guessing

/**
 * How long the curve stays within the band around its start: the index of the first bucket that leaves it
 * (buckets when none). Either way: a loss that shoots up from its start (×6 at a learning rate of 5) has moved
 * too, and whatever it is, it is not a model that never learned.
 */
function bucketsStuck(p: Profile, band: number): number {
  const width = band * Math.max(Math.abs(p.start), p.floor);
  // above the start the band is twice as wide: batch noise is skewed upwards, and a flat run drifts up a little as often as down
  for (let b = 0; b < p.trend.length; b++) if (p.trend[b] < p.start - width || p.trend[b] > p.start + RISE_BANDS * width) return b;
  return p.trend.length;
}

/** Whether the trend falls at least AFTER_RATE times faster in the stretch after `stuck` buckets than within them. */
function fallsFasterAfter(p: Profile, stuck: number): boolean {
  const t = p.trend;
  const end = Math.min(t.length - 1, 2 * stuck - 1);
  const within = (p.start - t[stuck - 1]) / stuck;
  const after = (t[stuck - 1] - t[end]) / Math.max(1, end - stuck + 1);
  return after >= AFTER_RATE * Math.max(within, 0);
}

const FLAT_FIXES = [
  'check optimizer.step() is called every iteration and the learning rate is not 0 (print it from the scheduler)',
  'check optimizer.zero_grad() runs after step(), not between backward() and step()',
  'after loss.backward(), check some p.grad is non-zero: frozen parameters, a detached graph or requires_grad=False give zeros',
  'check logits and targets are aligned (targets shifted by one token for next-token prediction) and the loss is on logits',
  'print a few batches: inputs equal to targets, all-identical targets or an all-padding mask make learning impossible',
];

/**
 * A loss that may start anywhere (a fresh head's first batches often sit above chance) but spends the second half
 * of the run at the random-guess loss: the model has learned the class prior at best. Undefined when it is not.
 */
function settledAtChance(p: Profile, context: DetectContext): ((series: Series) => Finding) | undefined {
  if (!context.baselineApplies || !(context.baseline > 0)) return undefined;
  const t = p.trend;
  const from = Math.floor(t.length / 2);
  if (t.length - from < 3) return undefined;
  const level = median(t, from, t.length);
  const tolerance = Math.max(AT_CHANCE, NOISE_BANDS * p.trendNoise) * context.baseline;
  if (Math.abs(level - context.baseline) > AT_CHANCE * context.baseline || p.jitter > CHANCE_JITTER) return undefined;
  for (let b = from; b < t.length; b++) if (Math.abs(t[b] - context.baseline) > 2 * tolerance) return undefined;
  const name = context.baselineName ?? 'ln(V)';
  return (series: Series) => ({
    pattern: 'flat',
    severity: 'error',
    series: 'train',
    start_step: p.steps[p.bucketFrom[from]],
    end_step: p.steps[p.n - 1],
    message: `train loss settled at about ${fmtLoss(level)} (the median of the second half) from ${at(series.stepName, p.steps[p.bucketFrom[from]])} to the end: the random-guess loss ${name} is ${fmtLoss(context.baseline)}, so the model predicts no better than chance`,
    evidence: { start_level: round(p.start), level: round(level), baseline: round(context.baseline), at_baseline: true, settled_at_chance: true },
    fixes: [...FLAT_FIXES],
  });
}

export const flat: Detector = {
  id: 'flat',
  title: 'Loss never moves from where it started',
  severity: 'error',
  assumesFallingLoss: true,
  detect(series: Series, context: DetectContext): Finding[] {
    if (!series.train) return [];
    const p = profileOf(series.train);
    if (p.n < MIN_POINTS) return [];
    const stuck = stuckAtStart(series, context, p);
    if (stuck.length) return stuck;
    const chance = settledAtChance(p, context);
    return chance ? [chance(series)] : [];
  },
};

/** The loss never left the band around where it started (the usual flat run). */
function stuckAtStart(series: Series, context: DetectContext, p: Profile): Finding[] {
  const band = Math.min(MAX_BAND, Math.max(BAND, NOISE_BANDS * p.trendNoise));
  // a k-way guess is a narrow mark: a start a fifth above ln 4 is no start at chance, however noisy (an LM's ln V is judged as before)
  const atBaseline = context.baselineApplies && p.start >= NEAR_BASELINE * context.baseline
    && (context.baselineKind !== 'classes' || p.start <= (1 + AT_CLASSES) * context.baseline);
  // only ln(V) excuses a noisy curve: 10.8 nats is far from where fine-tunes live, where ln 4 or ln 10 is a start they meet by chance
  if ((!atBaseline || context.baselineKind === 'classes') && band > CLEAR_BAND) return [];
  const stuck = bucketsStuck(p, band);
  const buckets = p.trend.length;
  if (stuck < Math.max(2, Math.ceil(buckets * MIN_SHARE))) return [];

  // the fall across the stuck stretch: its start against the median of its last fifth, so one noisy bucket does not decide
  const tail = median(p.trend, Math.max(0, stuck - Math.max(1, Math.ceil(stuck / 5))), stuck);
  const drop = (p.start - tail) / Math.max(Math.abs(p.start), p.floor);
  // Mann–Kendall on the bucket medians, not the smoothed trend: neighbouring trend values share points and would overstate it
  const z = mannKendallZ(p.bucketValues.subarray(0, stuck));
  // a steady fall is slow learning; at the baseline a 1–2% drift is still no learning, a consistent 3% fall is some
  if (atBaseline ? drop >= BASELINE_DROP && z <= BASELINE_Z : drop >= TREND_DROP && z <= TREND_Z) return [];

  const whole = stuck === buckets;
  // stuck for part of the run, then moving: only flat if it then moves much faster (an LR change unstuck it),
  // not when a steady decline simply took a while to leave the band
  if (!whole && !fallsFasterAfter(p, stuck)) return [];
  const endIndex = whole ? p.n - 1 : Math.max(0, p.bucketFrom[stuck] - 1);
  const startStep = p.steps[0];
  const endStep = p.steps[endIndex];
  const span = whole ? 'for the whole run' : `until ${at(series.stepName, endStep)}`;
  const baselineNote = context.baselineApplies
    ? `; the random-guess loss ${context.baselineName ?? 'ln(V)'} is ${fmtLoss(context.baseline)}${atBaseline ? ', so the model predicts no better than chance' : ''}`
    : '';
  return [{
    pattern: 'flat',
    severity: whole ? 'error' : 'warning',
    series: 'train',
    start_step: startStep,
    end_step: endStep,
    message: `train loss stayed at about ${fmtLoss(p.start)} (the median of its first points) ${span} (${fmtPct(-drop)} from its start, within the ±${Math.round(band * 100)}% band a learning run leaves early)${baselineNote}`,
    evidence: { start_level: round(p.start), change: round(-drop, 3), band: round(band, 3), stuck_share: round(stuck / buckets, 3), baseline: round(context.baseline), at_baseline: atBaseline },
    fixes: [...FLAT_FIXES],
  }];
}

