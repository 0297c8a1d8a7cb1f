// The per-line check: a value the nan detector would flag, in a loss or grad-norm column, asks for a detection pass on that very line.

import { classify } from '../column-names.js';
import type { ColumnOverrides } from '../normalise/roles.js';
import type { TableBuilder } from '../read/table.js';
import { NEGATIVE_TOLERANCE } from '../detect/profile.js';

const WATCHED_ROLES = new Set(['train', 'val', 'gradNorm']); // the nan detector reads these (a zero loss with a NaN grad norm too)

/**
 * Which columns may hold a NaN worth an immediate pass, and whether each may still ask for one.
 * A column that asked is disarmed until a regular pass finds the last run free of nan again, so a
 * dead run logging NaN on every line (or a likelihood that is negative by nature) costs at most one
 * extra pass per regular pass, not one per line.
 */
export class NanTrigger {
  private watched: number[] = [];
  private armed: boolean[] = [];
  private known = 0;

  constructor(private readonly overrides: ColumnOverrides) {}

  /** True when the row holds a suspicious value in an armed column; that column is disarmed. */
  check(builder: TableBuilder, row: number): boolean {
    if (builder.columnNames.length !== this.known) this.learn(builder.columnNames);
    let fired = false;
    for (const c of this.watched) {
      if (!this.armed[c]) continue;
      const v = builder.cell(c, row);
      if (v === undefined || (Number.isFinite(v) && v >= NEGATIVE_TOLERANCE)) continue;
      this.armed[c] = false;
      fired = true;
    }
    return fired;
  }

  rearm(): void {
    this.armed.fill(true);
  }

  /** Starts over for a table being read again from its first line. */
  reset(): void {
    this.watched = [];
    this.armed = [];
    this.known = 0;
  }

  private learn(names: readonly string[]): void {
    const named = [this.overrides.loss, this.overrides.val].filter((n) => n !== undefined).map((n) => n!.toLowerCase());
    for (let c = this.known; c < names.length; c++) {
      this.armed[c] = true;
      if (WATCHED_ROLES.has(classify(names[c]).role) || named.includes(names[c].toLowerCase())) this.watched.push(c);
    }
    this.known = names.length;
  }
}
