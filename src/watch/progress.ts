// What the status line shows: the last step and loss, a smoothed loss and its direction, kept up to date row by row in O(1).

import { classify, type Role } from '../column-names.js';
import type { TableBuilder } from '../read/table.js';

const FAST_SPAN = 20; // points in the shown average: smooths minibatch noise, follows a change within a few dozen points
const SLOW_SPAN = 200; // points in the reference average the shown one is compared with to give a direction
const TREND_DEADBAND = 0.005; // averages within half a percent of each other are level: noise, not a direction

export type Direction = 'falling' | 'level' | 'rising';

export class Progress {
  /** Rows read so far (all columns). */
  rows = 0;
  step: number | undefined;
  loss: number | undefined;
  smoothed: number | undefined;
  private slow: number | undefined;
  private trainColumn = -1;
  private stepColumn = -1;
  private known = -1;
  private trainName: string | undefined;
  private stepName: string | undefined;

  /** The columns the latest detection pass chose; until then, the best by name. */
  prefer(train: string | undefined, step: string | undefined): void {
    if (train === this.trainName && step === this.stepName) return;
    this.trainName = train;
    this.stepName = step;
    this.known = -1;
  }

  observe(builder: TableBuilder, row: number): void {
    if (builder.columnNames.length !== this.known) this.choose(builder.columnNames);
    this.rows = row + 1;
    const step = this.stepColumn >= 0 ? builder.cell(this.stepColumn, row) : row + 1;
    if (step !== undefined) this.step = step;
    const loss = this.trainColumn >= 0 ? builder.cell(this.trainColumn, row) : undefined;
    if (loss === undefined) return;
    this.loss = loss;
    if (!Number.isFinite(loss)) return;
    this.smoothed = this.smoothed === undefined ? loss : this.smoothed + (loss - this.smoothed) * (2 / (FAST_SPAN + 1));
    this.slow = this.slow === undefined ? loss : this.slow + (loss - this.slow) * (2 / (SLOW_SPAN + 1));
  }

  get direction(): Direction {
    if (this.smoothed === undefined || this.slow === undefined) return 'level';
    const change = (this.smoothed - this.slow) / Math.max(Math.abs(this.slow), Number.MIN_VALUE);
    return change < -TREND_DEADBAND ? 'falling' : change > TREND_DEADBAND ? 'rising' : 'level';
  }

  /** Starts over for a table being read again from its first line. */
  reset(): void {
    this.rows = 0;
    this.step = this.loss = this.smoothed = this.slow = undefined;
    this.known = -1;
  }

  private choose(names: readonly string[]): void {
    this.known = names.length;
    this.trainColumn = this.trainName !== undefined ? names.indexOf(this.trainName) : bestOf(names, ['train']);
    this.stepColumn = this.stepName === 'row' ? -1
      : this.stepName !== undefined ? names.indexOf(this.stepName) : bestOf(names, ['step', 'epoch']);
  }
}

/** The column of the first role that has one, best ranked by name; -1 when none. */
function bestOf(names: readonly string[], roles: Role[]): number {
  for (const role of roles) {
    let best = -1;
    let bestRank = Infinity;
    names.forEach((name, c) => {
      const r = classify(name);
      if (r.role === role && r.rank < bestRank) { best = c; bestRank = r.rank; }
    });
    if (best >= 0) return best;
  }
  return -1;
}
