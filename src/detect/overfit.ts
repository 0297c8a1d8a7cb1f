// overfit: validation loss turns up and stays up while the train loss keeps falling (or holds): stop at the best validation step.

import { at, fmtLoss, fmtPct, round } from '../format.js';
import { noiseSigma } from '../stats/robust.js';
import { centredMedian } from '../stats/rolling.js';
import { mannKendallZ } from '../stats/kendall.js';
import type { DetectContext, Detector, Finding, Series } from '../types.js';
import { metricAfter } from './metric.js';
import { levelAtStep, profileOf, type Profile } from './profile.js';

const MIN_VAL_POINTS = 3; // a minimum and a rise need at least three evaluations
const MIN_RISE = 0.1; // 10% above the best validation loss: evaluation noise on a fixed set is a few percent
const MODEST_RISE = 0.05; // a smaller rise counts when it is a trend: 5% is twice the evaluation noise of a fixed set...
const RISE_Z = 3; // ...and Mann–Kendall finds the evaluations from the best to the end rising (z ≥ 3, p < 0.002)
const NOISE_MARGIN = 3; // and three noise-widths of the validation curve, so a jagged curve needs a bigger rise
const MIN_OF_SCALE = 0.02; // and 2% of where validation started: near-zero wobbles (0.0003 → 0.0005 from 0.07) are 0.3%, a real rebound 3%+
const MIN_EPISODE_SHARE = 0.1; // a rise that ends before the run does must last a tenth of the evaluations to be a trend
const UNSTABLE_SPIKES = 3; // three spike findings inside the rise: the guide's "several spikes" (the data or the LR), not overfitting
const TRAIN_TOLERANCE = 0.02; // train "keeps falling or holds" while it is no more than 2% above its level at the best step

interface Episode { best: number; peak: number; end: number; reachesEnd: boolean }

/** Stretches where the smoothed validation loss sits well above its running minimum; the largest one. */
function worstEpisode(pv: Profile, smooth: Float64Array, threshold: (min: number) => number): Episode | undefined {
  let minIndex = 0;
  let episode: Episode | undefined;
  let worst: Episode | undefined;
  const excess = (e: Episode) => smooth[e.peak] - smooth[e.best];
  for (let t = 1; t < smooth.length; t++) {
    const min = smooth[minIndex];
    if (smooth[t] - min >= threshold(min)) {
      if (!episode) episode = { best: minIndex, peak: t, end: t, reachesEnd: false };
      episode.end = t;
      if (smooth[t] > smooth[episode.peak]) episode.peak = t;
    } else if (episode && smooth[t] - min < threshold(min) / 2) {
      if (!worst || excess(episode) > excess(worst)) worst = episode;
      episode = undefined;
    }
    if (smooth[t] < smooth[minIndex]) minIndex = t;
  }
  if (episode) {
    episode.reachesEnd = true;
    if (!worst || excess(episode) >= excess(worst) * 0.5) worst = episode;
  }
  return worst;
}

/** The episode, when it lasts to the end of the log and the evaluations from its best on rise significantly. */
function sustainedRise(pv: Profile, episode: Episode | undefined): Episode | undefined {
  if (!episode?.reachesEnd) return undefined;
  return mannKendallZ(pv.values.subarray(episode.best)) >= RISE_Z ? episode : undefined;
}

export const overfit: Detector = {
  id: 'overfit',
  title: 'Validation loss rises while train loss falls',
  severity: 'warning',
  detect(series: Series, context: DetectContext): Finding[] {
    if (!series.train || !series.val) return [];
    const pv = profileOf(series.val);
    const pt = profileOf(series.train);
    if (pv.n < MIN_VAL_POINTS || pt.n < 2) return [];
    const half = pv.n >= 7 ? Math.max(1, Math.round(pv.n / 40)) : 0;
    const smooth = half > 0 ? centredMedian(pv.values, half) : pv.values;
    const threshold = (share: number) => (min: number) => Math.max(share * Math.max(Math.abs(min), pv.floor), MIN_OF_SCALE * pv.scale);
    // a clear rise (10%), or a modest one that lasts to the end and climbs at most evaluations (a trend test, not a size)
    const episode = worstEpisode(pv, smooth, threshold(MIN_RISE)) ?? sustainedRise(pv, worstEpisode(pv, smooth, threshold(MODEST_RISE)));
    if (!episode) return [];
    const length = episode.end - episode.best;
    if (!episode.reachesEnd && length < Math.max(2, Math.ceil(pv.n * MIN_EPISODE_SHARE))) return [];
    // the rise must stand out of the noise of the stretch it happens in (a jagged early phase is no evidence)
    const sigma = noiseSigma(pv.values.subarray(episode.best, episode.end + 1));
    if (smooth[episode.peak] - smooth[episode.best] < NOISE_MARGIN * sigma) return [];

    const bestStep = pv.steps[episode.best];
    const endStep = pv.steps[episode.end];
    const trainAtBest = levelAtStep(pt, bestStep);
    const trainAtEnd = levelAtStep(pt, endStep);
    if (trainAtEnd > trainAtBest + TRAIN_TOLERANCE * Math.max(Math.abs(trainAtBest), pt.floor)) return [];
    // train diverged from before validation's best: the model got worse, which divergence reports; not memorising
    if (context.earlier.some((f) => f.pattern === 'divergence' && f.series === 'train' && f.start_step <= bestStep)) return [];
    // a training run that spiked again and again while validation rose is unstable, not memorising: the spikes explain the rise
    const spikesInRise = context.earlier.filter((f) => f.pattern === 'spike' && f.series === 'train' && f.start_step >= bestStep && f.start_step <= endStep);
    if (spikesInRise.length >= UNSTABLE_SPIKES) return [];

    const bestVal = pv.values[episode.best];
    const endVal = smooth[episode.end];
    const rise = (endVal - smooth[episode.best]) / Math.max(Math.abs(smooth[episode.best]), pv.floor);
    const trainWord = trainAtEnd < trainAtBest * (1 - TRAIN_TOLERANCE) ? 'kept falling' : 'held';
    const where = at(series.stepName, bestStep);
    // the rise is read off the lightly smoothed curve: say so when that is not the value the log holds
    // the metric the log also has (accuracy, WER): a loss that turns up while it still improves is overfitting by loss only
    const metric = metricAfter(series, bestStep);
    const byLossOnly = metric?.improvesAfter === true;
    const stopStep = byLossOnly ? metric!.bestStep : bestStep;
    const metricNote = byLossOnly
      ? `; overfitting by loss only: ${metric!.name} still improves to ${at(series.stepName, metric!.bestStep)} (${fmtLoss(metric!.atLossBest)} → ${fmtLoss(metric!.best)})`
      : '';
    const lastNote = endVal !== pv.values[episode.end] ? ` (smoothed; ${at(series.stepName, endStep)} logged ${fmtLoss(pv.values[episode.end])})` : '';
    const until = episode.reachesEnd ? `by ${at(series.stepName, endStep)}` : `by ${at(series.stepName, endStep)} before coming back down`;
    return [{
      pattern: 'overfit',
      severity: 'warning',
      series: 'val',
      start_step: bestStep,
      end_step: endStep,
      message: `validation loss bottomed at ${fmtLoss(bestVal)} at ${where} and rose to ${fmtLoss(endVal)}${lastNote} ${until} (${fmtPct(rise)}) while train loss ${trainWord} (smoothed ${fmtLoss(trainAtBest)} → ${fmtLoss(trainAtEnd)}): the best checkpoint by loss is at ${where}${metricNote}`,
      evidence: {
        best_step: bestStep, best_val: round(bestVal), val_after: round(endVal), rise: round(rise, 3),
        train_at_best: round(trainAtBest), train_after: round(trainAtEnd), val_points: pv.n,
        ...(metric ? {
          metric: metric.name, metric_higher_is_better: metric.higherIsBetter, metric_best_step: metric.bestStep,
          metric_best: round(metric.best), metric_at_loss_best: round(metric.atLossBest), by_loss_only: byLossOnly,
        } : {}),
        stop_step: stopStep,
      },
      fixes: [
        byLossOnly
          ? `keep the checkpoint at ${at(series.stepName, stopStep)}, where ${metric!.name} is best (${fmtLoss(metric!.best)}): stop on ${metric!.name}, not on the validation loss, which is lowest at ${where}`
          : `stop at ${where}: keep the checkpoint with the lowest validation loss (early stopping on val loss)`,
        'raise dropout (typical: if it is 0.1, try 0.2–0.3)',
        'raise weight decay, about 2× (typical: if it is 0.01 with AdamW, try 0.05–0.1; if 5e-4 with SGD, try 1e-3)',
        // fewer epochs than the metric's best would throw away what it still gained: only more data then
        byLossOnly
          ? 'train on more and more varied data (or augment it): the model grows over-confident on what it sees repeatedly'
          : 'train on more and more varied data (or augment it), or for fewer epochs: the model is memorising what it sees repeatedly',
      ],
    }];
  },
};
