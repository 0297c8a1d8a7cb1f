// A column filled on few rows (validation every few hundred steps, W&B metrics logged now and then), kept as (row, value) pairs, not a slot per row.

import { lowerBound } from '../../stats/search.js';
import type { Column } from '../table.js';

const START = 16;

export class SparseCells {
  rows = new Int32Array(START);
  values = new Float64Array(START);
  entries = 0;

  /** Sets the cell of `row` (rows arrive in order); true when the row had no cell yet. */
  set(row: number, value: number): boolean {
    const last = this.entries - 1;
    // a cell set twice in one row (a JSON key and a nested one of the same name): the later value wins
    if (last >= 0 && this.rows[last] === row) {
      this.values[last] = value;
      return false;
    }
    if (this.entries === this.rows.length) this.grow();
    this.rows[this.entries] = row;
    this.values[this.entries++] = value;
    return true;
  }

  /** The value of `row`'s cell, or undefined when it has none (rows are in order: a binary search). */
  get(row: number): number | undefined {
    const lo = lowerBound(this.rows, row, 0, this.entries);
    return lo < this.entries && this.rows[lo] === row ? this.values[lo] : undefined;
  }

  /** Drops the cell of `row` if it is the last one; true when there was one. */
  drop(row: number): boolean {
    if (this.entries === 0 || this.rows[this.entries - 1] !== row) return false;
    this.entries--;
    return true;
  }

  /** Writes the cells into slot-per-row arrays (and marks them in `present`, where the column has a mask). */
  scatter(values: Float64Array, present: Uint8Array | undefined): void {
    for (let e = 0; e < this.entries; e++) {
      values[this.rows[e]] = this.values[e];
      if (present) present[this.rows[e]] = 1;
    }
  }

  /**
   * The column of a table with `n` rows. Its `values` and `present` arrays are built only when read:
   * the pairs (`cells`) are what normalise uses, so a sparse column of a long log never costs a slot per row.
   */
  column(name: string, n: number): Column {
    const rows = this.rows.slice(0, this.entries);
    const values = this.values.slice(0, this.entries);
    let dense: { values: Float64Array; present: Uint8Array } | undefined;
    const densify = () => {
      if (!dense) {
        dense = { values: new Float64Array(n), present: new Uint8Array(n) };
        for (let e = 0; e < rows.length && rows[e] < n; e++) {
          dense.values[rows[e]] = values[e];
          dense.present[rows[e]] = 1;
        }
      }
      return dense;
    };
    return {
      name,
      count: rows.length,
      cells: { rows, values },
      get values() { return densify().values; },
      get present() { return densify().present; },
    };
  }

  private grow(): void {
    const rows = new Int32Array(this.rows.length * 2);
    rows.set(this.rows);
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.rows = rows;
    this.values = values;
  }
}
