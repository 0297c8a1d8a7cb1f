// step: the loss drops suddenly where a step-decay schedule cuts the learning rate. Context, not a failure.

import { at, fmtLoss, fmtPct, fmtRate, round } from '../format.js';
import { MAD_TO_SIGMA, mad, median } from '../stats/robust.js';
import type { Curve, DetectContext, Detector, Finding, Series } from '../types.js';
import { indexAtStep, profileOf, type Profile } from './profile.js';

const LR_CUT = 1.5; // step decay divides the LR by 2–10; a cosine moves it under 1% between two logs
const LR_HELD = 0.01; // "held" before the cut: not falling more than 1% from the previous logged value (a cosine falls before it cuts nothing)
const MIN_DROP = 0.03; // the loss must fall at least 3% across the cut...
const OVER_TREND = 3; // ...and three times what its own slope just before would give over the same span (with an lr column)
const NO_LR_DROP = 0.08; // without an lr column, only an 8% fall between neighbouring buckets is sudden enough
const SPIKE_TOLERANCE = 0.03; // the level before a drop must not sit 3% above its own history (that is a spike recovering)
const HOLD = 0.3; // after a step the level moves under a third of the drop over the next stretch, either way (cuts measure under 0.1)
const SUDDEN = 0.6; // at least 60% of the fall within two buckets
const STARTED = 0.05; // learning has begun once the loss is 5% below its start
const DROP_OF_SCALE = 0.02; // and 2% of where the run started: near zero, the last printed digit moves in such steps
const DROP_OVER_NOISE = 3; // and the fall must be three standard errors of the prediction it is measured against

interface Drop { step: number; before: number; after: number; lrFrom?: number; lrTo?: number }

type Cut = { step: number; from: number; to: number };
const cutsOf = new WeakMap<Curve, readonly Cut[]>(); // plateau and step both ask: a long lr column is walked once

/** Steps where the logged LR was cut by ×1.5 or more after being held (or warming up): a step schedule, not a smooth decay. */
export function lrCuts(lr: Curve): readonly Cut[] {
  let cuts = cutsOf.get(lr);
  if (!cuts) cutsOf.set(lr, (cuts = findLrCuts(lr)));
  return cuts;
}

function findLrCuts(lr: Curve): Cut[] {
  const cuts: Cut[] = [];
  const v = lr.values;
  for (let j = 2; j < v.length; j++) {
    // a cut is rare: its test first, so a long lr column costs one comparison per point
    if (!(v[j] * LR_CUT <= v[j - 1])) continue;
    if (!(v[j] > 0 && v[j - 1] > 0 && v[j - 2] > 0)) continue;
    // held, or rising into it: detectron2's multi-step schedules cut right where the linear warm-up ends
    const held = v[j - 1] >= v[j - 2] * (1 - LR_HELD);
    if (held && v[j] * LR_CUT <= v[j - 1]) cuts.push({ step: lr.steps[j], from: v[j - 1], to: v[j] });
  }
  return cuts;
}

/** Did the train loss fall across this index by more than its trend and 3%? Windows of k points each side. */
function dropAcross(p: Profile, i: number, k: number): { before: number; after: number } | undefined {
  if (i - 2 * k < 0 || i + k > p.n) return undefined;
  const prior = median(p.values, i - 2 * k, i - k);
  const before = median(p.values, i - k, i);
  const after = median(p.values, i, i + k);
  const ref = Math.max(Math.abs(before), p.floor);
  const fall = (before - after) / ref;
  const trend = Math.max(0, (prior - before) / ref);
  return fall >= MIN_DROP && fall >= OVER_TREND * trend ? { before, after } : undefined;
}

function dropsAtLrCuts(p: Profile, lr: Curve): Drop[] {
  const cuts = lrCuts(lr);
  const drops: Drop[] = [];
  cuts.forEach((cut, c) => {
    const i = indexAtStep(p, cut.step);
    // a window must stay inside the stretch between two cuts, so neighbouring cuts do not blur each other
    const prevStep = c > 0 ? cuts[c - 1].step : -Infinity;
    const nextStep = c + 1 < cuts.length ? cuts[c + 1].step : Infinity;
    const room = Math.min(i - indexAtStep(p, prevStep), indexAtStep(p, nextStep) - i);
    const k = Math.max(1, Math.min(50, Math.floor(room / 3)));
    const drop = dropAcross(p, i, k);
    if (drop) drops.push({ step: p.steps[Math.min(i, p.n - 1)], ...drop, lrFrom: cut.from, lrTo: cut.to });
  });
  return drops;
}

/** The step of the largest fall from one point to the next within two buckets of bucket e: where the cut was, not a bucket's middle. */
function sharpestFallNear(p: Profile, e: number): number {
  const B = p.bucketFrom.length;
  const from = Math.max(1, p.bucketFrom[Math.max(0, e - 2)]);
  const to = e + 3 < B ? p.bucketFrom[e + 3] : p.n;
  let best = from;
  for (let i = from; i < to; i++) if (p.values[i - 1] - p.values[i] > p.values[best - 1] - p.values[best]) best = i;
  return p.steps[best];
}

/**
 * Without an lr column: a fall between buckets that the trend before it does not explain. The line
 * through the medians of the two w-bucket windows before the candidate, carried over the gap,
 * predicts where the loss would be had nothing happened (medians, so a spike in a window does not
 * tilt it); the median of the w buckets after must sit well below that, beyond the noise, and stay
 * down. The early descent and a spike's recovery are what this has to tell apart from a step.
 */
function levelDrops(p: Profile): Drop[] {
  const b = p.bucketValues;
  const B = b.length;
  const w = Math.max(3, Math.round(B / 25)); // each side spans 4% of the run and three buckets: two points cannot show a trend
  const ref = (x: number) => Math.max(Math.abs(x), p.floor);
  const drops: Drop[] = [];
  // room for two windows before the candidate and two after it (the second checks that the new level holds)
  for (let e = 2 * w; e + 1 + 2 * w <= B; e++) {
    const prior = median(b, e - 2 * w, e - w);
    const before = median(b, e - w, e);
    // bucket e may straddle the drop, so "after" starts past it
    const after = median(b, e + 1, e + 1 + w);
    const predicted = before - ((prior - before) * (w + 1)) / w;
    const fall = (predicted - after) / ref(before);
    // noise here, not just the run's: near zero a log's last printed digit is a large share of the loss
    const local = (MAD_TO_SIGMA * (mad(b, prior, e - 2 * w, e - w) + mad(b, before, e - w, e) + mad(b, after, e + 1, e + 1 + w))) / 3;
    // error of the prediction (three medians of w buckets, one carried (w+1)/w times as far): about 2.8σ/√w
    const stderr = (2.8 * Math.max(p.bucketNoise, local / ref(before))) / Math.sqrt(w);
    if (fall < NO_LR_DROP || fall < DROP_OVER_NOISE * stderr || before - after < DROP_OF_SCALE * p.scale) continue;
    if (before > prior + SPIKE_TOLERANCE * ref(prior)) continue;
    // a schedule's cut is sudden: most of the fall happens within two buckets (1% of the run), where noise drifts over many
    let sharpest = 0;
    for (let j = e - 2; j <= e; j++) sharpest = Math.max(sharpest, b[j] - b[j + 2]);
    if (sharpest < SUDDEN * (before - after)) continue;
    const later = median(b, e + 1 + w, e + 1 + 2 * w);
    // a step is an isolated fall to a new level: it must hold (not bounce back, as after a spike) and not
    // keep falling as steeply (as when a warmup ends, or a dying run slides to zero)
    if (later > after + HOLD * (before - after) || after - later > HOLD * (before - after)) continue;
    const further = median(b, Math.min(e + 1 + 2 * w, B - 1), Math.min(e + 1 + 4 * w, B));
    if (after - further > 2 * HOLD * (before - after)) continue;
    // the first fall from where a run started is learning beginning (a warmup ending), not a schedule's cut
    if (before > (1 - STARTED) * p.start) continue;
    drops.push({ step: sharpestFallNear(p, e), before, after });
    e += w; // one drop per transition
  }
  return drops;
}

export const step: Detector = {
  id: 'step',
  title: 'Sudden drops at learning-rate cuts',
  severity: 'info',
  detect(series: Series, _context: DetectContext): Finding[] {
    if (!series.train) return [];
    const p = profileOf(series.train);
    if (p.n < 6) return [];
    const hasLr = series.lr !== undefined && series.lr.values.length >= 3;
    const drops = hasLr ? dropsAtLrCuts(p, series.lr!) : levelDrops(p);
    if (drops.length === 0) return [];
    const describe = (d: Drop) => {
      const lr = d.lrFrom !== undefined ? ` (LR ${fmtRate(d.lrFrom)} → ${fmtRate(d.lrTo!)})` : '';
      return `${at(series.stepName, d.step)}${lr}: ${fmtLoss(d.before)} → ${fmtLoss(d.after)} (${fmtPct((d.after - d.before) / Math.abs(d.before))})`;
    };
    const cause = hasLr ? 'at learning-rate cuts' : 'in sudden steps, as at learning-rate cuts';
    return [{
      pattern: 'step',
      severity: 'info',
      series: 'train',
      start_step: drops[0].step,
      end_step: drops[drops.length - 1].step,
      message: `train loss dropped ${cause}: ${drops.map(describe).join('; ')}`,
      evidence: { drops: drops.map((d) => d.step), before: drops.map((d) => round(d.before)), after: drops.map((d) => round(d.after)), from_lr_column: hasLr },
      fixes: [
        'nothing is broken: this is a step-decay schedule working',
        'prefer a cosine decay (with warmup): the loss falls as smoothly and the optimizer state is never jolted',
        'if you keep step decay, cut where the loss has flattened out, not on a fixed timetable',
      ],
    }];
  },
};
