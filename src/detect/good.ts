// good: the loss really falls and nothing worse was found; recovered spikes and context findings do not spoil it.

import { fmtLoss, fmtPct, round } from '../format.js';
import type { DetectContext, Detector, Finding, Series } from '../types.js';
import { kendallTau } from '../stats/kendall.js';
import { profileOf } from './profile.js';

const MIN_POINTS = 3; // a start, a middle and an end
const MIN_DESCENT = 0.05; // the end must be 5% below the start: fine-tunes from a good checkpoint fall 5–20%
const MAX_TAU = -0.5; // and the trend must be a fall, not a wander that ends lower by chance

/** A spike the run recovered from is "not fatal" (the guide); anything else at warning or error is a problem. */
function spoils(f: Finding): boolean {
  if (f.severity === 'info') return false;
  return !(f.pattern === 'spike' && f.evidence.recovered_step !== null);
}

export const good: Detector = {
  id: 'good',
  title: 'Healthy descent',
  severity: 'info',
  assumesFallingLoss: true,
  detect(series: Series, context: DetectContext): Finding[] {
    if (!series.train || context.earlier.some(spoils)) return [];
    const p = profileOf(series.train);
    if (p.n < MIN_POINTS) return [];
    const head = Math.max(p.values[0], p.trend[0]);
    const descent = (head - p.end) / Math.max(Math.abs(head), p.floor);
    const tau = kendallTau(p.trend);
    if (descent < MIN_DESCENT || tau > MAX_TAU) return [];
    // the count agrees with the spike findings: all the run had, and how many of them are listed (all recovered, or good would not run)
    const listed = context.earlier.filter((f) => f.pattern === 'spike');
    const inRun = listed.length ? Math.max(listed.length, Number(listed[0].evidence.spikes_in_run) || 0) : 0;
    const spikes = !listed.length ? '' : inRun > listed.length
      ? `; ${inRun} spikes (the ${listed.length} largest listed, recovered)` : `; ${inRun} spike${inRun > 1 ? 's' : ''}, recovered`;
    return [{
      pattern: 'good',
      severity: 'info',
      series: 'train',
      start_step: p.steps[0],
      end_step: p.steps[p.n - 1],
      message: `train loss fell from ${fmtLoss(head)} to ${fmtLoss(p.end)} (${smoothedNote(p)}; ${fmtPct(-descent)}) and kept falling${spikes}`,
      evidence: { start_level: round(head), end_level: round(p.end), descent: round(descent, 3), trend_tau: round(tau, 3) },
      fixes: [],
    }];
  },
};

/** "median of the last fifth; last value 3.21": the end level is no single logged value. */
function smoothedNote(p: { values: Float64Array; n: number }): string {
  return `median of the last fifth; last value ${fmtLoss(p.values[p.n - 1])}`;
}
