// Which findings watch has already alerted on: the same finding seen again with more data is not news; a new one is, once it holds.

import type { ReportFinding } from '../diagnose.js';

const CONFIRMING_PASSES = 2; // a finding (other than nan) must show in two passes in a row (more data, or none came) before it is alerted
const MIN_TREND_POINTS = 100; // below this the run so far is mostly warmup: "flat" or "plateau" there is a slow start (half the early false alerts in synthetic replays)
const SLACK_SHARE = 0.02; // spans that come within 2% of the run's steps of each other are the same finding, seen with more data

/** Same pattern, series and run, and spans that overlap once each is widened by the slack. */
function same(a: ReportFinding, b: ReportFinding, slack: number): boolean {
  return a.pattern === b.pattern && a.series === b.series && a.run === b.run
    && a.start_step - slack <= b.end_step + slack && b.start_step - slack <= a.end_step + slack;
}

/** The union of two spans of the same finding: a divergence whose start drifts stays one finding. */
function widened(a: ReportFinding, b: ReportFinding): ReportFinding {
  return { ...b, start_step: Math.min(a.start_step, b.start_step), end_step: Math.max(a.end_step, b.end_step) };
}

/** What a pass saw, besides its findings. */
export interface PassShape {
  /** Steps the run being written spans so far (last − first). */
  stepSpan: number;
  /** Points of its longest curve so far. */
  points: number;
}

export class FindingLedger {
  private alerted: ReportFinding[] = [];
  /** The message each alerted finding was last alerted with, by its index in `alerted`. */
  private said: string[] = [];
  private candidates: Array<{ finding: ReportFinding; passes: number }> = [];

  /**
   * Takes one pass's findings and returns those it establishes: a nan at once (a NaN is a fact, not
   * a trend); anything else once the run has MIN_TREND_POINTS and the finding has held for
   * CONFIRMING_PASSES passes. "good" is never news.
   */
  update(findings: readonly ReportFinding[], shape: PassShape): ReportFinding[] {
    const slack = SLACK_SHARE * Math.max(1, shape.stepSpan);
    const fresh: ReportFinding[] = [];
    const next: typeof this.candidates = [];
    for (const f of findings) {
      if (f.pattern === 'good') continue;
      const known = this.alerted.findIndex((a) => same(a, f, slack));
      if (known >= 0) {
        this.alerted[known] = widened(this.alerted[known], f);
        continue;
      }
      const passes = (this.candidates.find((c) => same(c.finding, f, slack))?.passes ?? 0) + 1;
      if (f.pattern === 'nan' || (passes >= CONFIRMING_PASSES && shape.points >= MIN_TREND_POINTS)) {
        fresh.push(f);
        this.alerted.push(f);
        this.said.push(f.message);
      } else next.push({ finding: f, passes });
    }
    this.candidates = next;
    return fresh;
  }

  /**
   * Takes the final report's findings (no confirming pass is left to wait for): those never alerted, and
   * those alerted whose numbers have changed since, so the last alert of each finding says what the report says.
   */
  settle(findings: readonly ReportFinding[], shape: PassShape): { fresh: ReportFinding[]; updated: Set<ReportFinding> } {
    const slack = SLACK_SHARE * Math.max(1, shape.stepSpan);
    const fresh: ReportFinding[] = [];
    const updated = new Set<ReportFinding>();
    for (const f of findings) {
      if (f.pattern === 'good') continue;
      const known = this.alerted.findIndex((a) => same(a, f, slack));
      if (known < 0) {
        this.alerted.push(f);
        this.said.push(f.message);
        fresh.push(f);
      } else if (this.said[known] !== f.message) {
        this.alerted[known] = widened(this.alerted[known], f);
        this.said[known] = f.message;
        fresh.push(f);
        updated.add(f);
      }
    }
    this.candidates = [];
    return { fresh, updated };
  }

  /** Findings seen but not yet confirmed: a pass is worth running for them even without new data (the run may have stopped). */
  get pending(): boolean {
    return this.candidates.length > 0;
  }

  /** The patterns alerted so far, in the order first alerted, each once. */
  get patterns(): string[] {
    return [...new Set(this.alerted.map((f) => f.pattern))];
  }
}
