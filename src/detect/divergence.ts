// divergence: the loss climbs back up from its best level and stays up, without ever becoming NaN: train, or validation while train rises too.

import { at, fmtLoss, fmtPct, fmtRatio, round } from '../format.js';
import { argMin, median } from '../stats/robust.js';
import type { DetectContext, Detector, Finding, Series, SeriesName } from '../types.js';
import { lrAdvice } from './lr.js';
import { mannKendallZ } from '../stats/kendall.js';
import { levelAtStep, profileOf, type Profile } from './profile.js';

const MIN_POINTS = 5; // fewer points cannot show a fall and a climb
const MIN_RISE = 0.2; // 20% above the best level, for good: bucket medians of a healthy run never drift back that far
const MIN_RISE_OF_SCALE = 0.05; // and 5% of where the run started, so a near-zero loss wobbling 0.0002 → 0.0004 is not a climb
const NOISE_MARGIN = 4; // the climb must stand four trend-noise widths above the best (a noisy minimum sits ~2 low by chance)
const CLIMB_Z = 2; // Mann–Kendall z of 2 (p ≈ 0.05): a monotone climb over 5 points passes, 3 noisy points do not
const LEVEL_SHARE = 0.03; // a level is the median of the trend over 3% of the run each side (at least one bucket)
const TAIL_SHARE = 0.1; // "stays up": the last 10% of the run must all sit clearly above the best level
const SHORT = 20; // under 20 points there are no buckets to smooth: the points themselves are read
const EARLY_BEST = 3; // the first three logs: a median of three buckets, the trend's window, hides a best among them
const SHORT_RISE = 0.5; // and with no trend to test, only a rise no noise makes: half again above the best, and staying there
const GAN_RISE = 0.5; // a generator's loss climbing half again above its best is more than a GAN's usual drift...
const GAN_COLLAPSE = 0.1; // ...when its discriminator's loss falls under a tenth of its level then: the discriminator wins
const TRAIN_RISING = 0.02; // validation climbing is divergence, not overfit, when train ends 2% or more above its level at val's best

/** The best level, where it was reached, and how far the end sits above it; undefined when the curve never climbs back. */
export function climbFromBest(p: Profile): { best: number; bestStep: number; end: number; rise: number } | undefined {
  const { trend } = p;
  const buckets = trend.length;
  const m = argMin(trend);
  if (m < 0 || m >= buckets - 1) return undefined;
  // levels, not single values: the lowest point of a noisy trend sits low by chance, and its last point is one draw
  const w = Math.max(1, Math.round(buckets * LEVEL_SHARE));
  const best = median(trend, Math.max(0, m - w), Math.min(buckets, m + w + 1));
  const endLevel = median(trend, Math.max(0, buckets - w - 1), buckets);
  const end = trend[buckets - 1];
  const rise = endLevel - best;
  const ref = Math.max(Math.abs(best), p.floor);
  const minimumRise = Math.max(MIN_RISE * ref, MIN_RISE_OF_SCALE * p.scale, NOISE_MARGIN * p.trendNoise * ref);
  if (rise < minimumRise) return undefined;
  // it stays up: the whole last tenth sits clearly above the best (a climb that keeps accelerating
  // never has its tail in the upper half of the climb, so the bar is half the smallest rise that counts)
  const tail = Math.max(2, Math.ceil(buckets * TAIL_SHARE));
  for (let b = buckets - tail; b < buckets; b++) if (trend[b] < best + minimumRise / 2) return undefined;
  // the climb must be consistent, not three noisy points after a lucky low: a significant upward trend from the best on
  if (mannKendallZ(p.bucketValues.subarray(m)) < CLIMB_Z) return undefined;
  return { best, bestStep: p.bucketSteps[m], end, rise };
}

/** A climb read from the points: the lowest one, early, and every point after it well above it (see SHORT_RISE). */
export function pointClimb(p: Profile): { best: number; bestStep: number; end: number; rise: number } | undefined {
  const m = argMin(p.values, 0, p.n);
  // the best in the first half of a short log: with no trend to test, half the log staying up is the evidence (a low
  // bounce late in a short noisy log is not); in a longer one, among its first EARLY_BEST points, which the smoothed
  // trend cannot see: a run made worse by its very first updates, and never as good again
  if (m < 0 || m >= (p.n < SHORT ? p.n / 2 : EARLY_BEST)) return undefined;
  const best = p.values[m];
  const after = p.n - m - 1;
  const tail = Math.max(2, Math.ceil(after / 2));
  const endLevel = median(p.values, p.n - tail, p.n);
  const rise = endLevel - best;
  const ref = Math.max(Math.abs(best), p.floor);
  if (rise < Math.max(SHORT_RISE * ref, MIN_RISE_OF_SCALE * p.scale, NOISE_MARGIN * p.noise * ref)) return undefined;
  // it went up and stayed up: the second half of what follows sits well above the best (the way up may be gradual, as
  // while a learning rate warms up too far)
  for (let i = p.n - tail; i < p.n; i++) if (p.values[i] < best + rise / 2) return undefined;
  return { best, bestStep: p.steps[m], end: p.values[p.n - 1], rise };
}

/** A curve may climb gradually (the smoothed trend sees it) or jump at once and stay (only its points do). */
function climbOf(p: Profile): ReturnType<typeof climbFromBest> {
  return climbFromBest(p) ?? pointClimb(p);
}

function finding(series: Series, name: SeriesName, p: Profile, climb: NonNullable<ReturnType<typeof climbFromBest>>, trainNote: string): Finding {
  const lastStep = p.steps[p.n - 1];
  const change = climb.rise / Math.max(Math.abs(climb.best), p.floor);
  const what = name === 'val' ? 'validation' : 'train';
  const last = p.values[p.n - 1];
  const smoothed = climb.end === last ? '' : `smoothed; last value ${fmtLoss(last)}; `;
  return {
    pattern: 'divergence',
    severity: 'error',
    series: name,
    start_step: climb.bestStep,
    end_step: lastStep,
    message: `${what} loss climbed from its best, ${fmtLoss(climb.best)} around ${at(series.stepName, climb.bestStep)}, to ${fmtLoss(climb.end)} at ${at(series.stepName, lastStep)} (${smoothed}${change > 2 ? fmtRatio(1 + change) : fmtPct(change)}) and did not come back down${trainNote}`,
    evidence: { best_level: round(climb.best), best_step: climb.bestStep, end_level: round(climb.end), rise: round(change, 3), points: p.n },
    fixes: [
      `resume from a checkpoint before ${at(series.stepName, climb.bestStep)} and ${lrAdvice(series, 0.5, 'halve the learning rate')}`,
      'clip gradients at max_norm 1.0 (then 0.5) if not already; a growing grad norm before the climb confirms it',
      'lengthen the warmup, and check the schedule does not raise the learning rate late (restarts, a resumed scheduler)',
      'check the data after that step: a corrupt shard, a repeated epoch or a change in sequence length',
    ],
  };
}

/**
 * A GAN's failure: a generator's loss climbs from its best and stays up while its discriminator's loss collapses
 * towards zero (the discriminator tells real from fake perfectly and the generator gets no useful gradient).
 * A generator loss that rises while the discriminator holds is the game being played, not a failure.
 */
function discriminatorWins(series: Series): Finding[] {
  for (const { generator, discriminator } of series.adversaries ?? []) {
    const pg = profileOf(generator);
    const pd = profileOf(discriminator);
    if (pg.n < MIN_POINTS || pd.n < MIN_POINTS) continue;
    const climb = climbFromBest(pg);
    if (!climb || climb.rise < GAN_RISE * Math.max(Math.abs(climb.best), pg.floor)) continue;
    const dAtBest = levelAtStep(pd, climb.bestStep);
    if (!(pd.end < GAN_COLLAPSE * dAtBest)) continue;
    const f = finding(series, 'train', pg, climb, `, while ${discriminator.name} fell from ${fmtLoss(dAtBest)} to ${fmtLoss(pd.end)} (median of its last fifth): the discriminator wins and the generator learns nothing more`);
    return [{
      ...f,
      message: f.message.replace(/^train loss/, `${generator.name.replace(/\s*\(generator loss\)$/, '')} (the generator's loss)`),
      evidence: { ...f.evidence, generator: generator.name, discriminator: discriminator.name, discriminator_at_best: round(dAtBest), discriminator_end: round(pd.end) },
      fixes: [
        'weaken the discriminator: a lower learning rate for it than for the generator (TTUR), fewer discriminator steps, or label smoothing',
        'add a gradient penalty (R1 or WGAN-GP) or spectral normalisation to the discriminator',
        'resume from a checkpoint before the climb and keep an eye on the discriminator loss: near zero means it has won',
      ],
    }];
  }
  return [];
}

export const divergence: Detector = {
  id: 'divergence',
  title: 'Loss climbs back up and stays up',
  severity: 'error',
  // runs on a GAN too, where it judges only the generator against its discriminator (discriminatorWins)
  assumesFallingLoss: false,
  detect(series: Series, context: DetectContext): Finding[] {
    if (context.adversarial) return discriminatorWins(series);
    const pt = series.train ? profileOf(series.train) : undefined;
    if (pt && pt.n >= MIN_POINTS) {
      const climb = climbOf(pt);
      if (climb) return [finding(series, 'train', pt, climb, '')];
    }
    // validation climbing while train falls is overfitting; while train climbs too (or with no train curve to
    // tell), the model itself is getting worse: a learning rate too high for a fine-tune shows it first on eval
    if (!series.val) return [];
    const pv = profileOf(series.val);
    if (pv.n < MIN_POINTS) return [];
    const climb = climbOf(pv);
    if (!climb) return [];
    if (!pt || pt.n < 2) return [finding(series, 'val', pv, climb, ' (the log has no train loss to compare)')];
    const trainAtBest = levelAtStep(pt, climb.bestStep);
    const trainAtEnd = levelAtStep(pt, pv.steps[pv.n - 1]);
    if (!(trainAtEnd >= trainAtBest + TRAIN_RISING * Math.max(Math.abs(trainAtBest), pt.floor))) return [];
    return [finding(series, 'val', pv, climb, `, while train loss rose too (${fmtLoss(trainAtBest)} → ${fmtLoss(trainAtEnd)})`)];
  },
};
