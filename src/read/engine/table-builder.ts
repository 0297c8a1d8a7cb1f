// Fills a Table row by row: columns as (row, value) pairs while sparse, a slot per row once dense, a presence mask only once a row lacks them.

import { sharedFloat64 } from '../../parallel/helper.js';
import { InputError } from '../errors.js';
import { LineRuns } from '../../line-numbers.js';
import { NullCells, resolveNulls } from './nulls.js';
import { SparseCells } from './sparse-cells.js';
import { SkippedLines } from './skipped-lines.js';
import type { Column, Table } from '../table.js';

// A column starts as (row, value) pairs and takes a slot per row once it fills more than one row in
// DENSE_EVERY (and DENSE_MIN cells): a loss logged every step is dense at once, a validation loss every
// 100th step stays pairs, at a hundredth of the memory
const DENSE_EVERY = 8;
const DENSE_MIN = 64;
const NO_VALUES = new Float64Array(0);
// a column of a million rows or more lives in shared memory: the helper thread can then read it in place
const SHARED_FROM = 1 << 20;
const LEAP_FROM = 1 << 20; // a table this long is a big log: past it, growth leaps instead of doubling (grow())
const LEAP_TO = 1 << 26; // 67 M rows: 512 MiB of address space a column, resident only as far as rows are written
const LEAP_ADDRESS_BYTES = 64 * 1024 ** 3; // a wide table does not leap: 128 dense columns' worth of address space at most
// A table holds at most this many columns (header cells, distinct keys): the widest real exports (W&B sweeps) have
// a few thousand, and each column costs a check per row, so a log whose every line adds a key stays at seconds
export const MAX_COLUMNS = 20_000;
export const TOO_MANY_COLUMNS = `has more than ${MAX_COLUMNS} columns (header cells or distinct keys), more than any training log; give the log with only its metrics`;

/** A dense column's array of `capacity` slots. */
const slots = (capacity: number) => (capacity >= SHARED_FROM ? sharedFloat64(capacity) : new Float64Array(capacity));

/**
 * Fills a Table row by row. Arrays start at a capacity hint (a fast reader estimates the row count from
 * the file size) and grow by doubling past it, or to what `reserve` asks for. A dense column filled on
 * every row so far has no presence mask (`present` undefined, "full"): its row is filled exactly when its
 * count passes the row's index. The mask is made the first time a row lacks it.
 */
export class TableBuilder {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private values: Float64Array[] = [];
  private present: Array<Uint8Array | undefined> = [];
  /** A column's cells while it is sparse; undefined once it has a slot per row (values/present). */
  private sparse: Array<SparseCells | undefined> = [];
  private counts: number[] = [];
  private readonly lines = new LineRuns();
  private capacity: number;
  /** Rows this builder may fill before it must grow: the capacity, or less while the helper thread fills the rest (share). */
  private room: number;
  /** By column: dense when share() gave out its array. */
  private sharedDense: boolean[] = [];
  private row = -1;
  readonly boundaries: number[] = [];
  headerLine: number | undefined;
  readonly notes: string[] = [];
  /** See Table.adversarial. */
  adversarial = false;
  readonly skipped = new SkippedLines();
  /** Cells set from a JSON null: what they mean is decided once the table is finished (nulls.ts). */
  private nulls: NullCells | undefined;

  constructor(capacityHint = 1024) {
    this.capacity = this.room = Math.max(16, capacityHint);
  }

  get rows(): number {
    return this.row + 1;
  }

  /** The index of a column, created on first use (earlier rows read as absent). */
  column(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      // the reader's InputError names no file: readTable gives it the input's name
      if (i >= MAX_COLUMNS) throw new InputError(TOO_MANY_COLUMNS, '');
      this.index.set(name, i);
      this.names.push(name);
      this.values.push(NO_VALUES);
      this.present.push(undefined);
      this.sparse.push(new SparseCells());
      this.counts.push(0);
    }
    return i;
  }

  hasColumn(name: string): boolean {
    return this.index.has(name);
  }

  beginRow(line: number): void {
    this.settle();
    this.row++;
    if (this.row === this.room) this.grow();
    this.lines.push(line);
  }

  set(column: number, value: number): void {
    const cells = this.sparse[column];
    if (cells) {
      if (cells.set(this.row, value) && ++this.counts[column] >= DENSE_MIN && this.counts[column] * DENSE_EVERY > this.rows) this.densify(column);
      return;
    }
    const present = this.present[column];
    if (present) {
      if (!present[this.row]) this.counts[column]++;
      present[this.row] = 1;
    } else if (this.counts[column] === this.row) this.counts[column]++; // full: the row's first cell of the column
    this.values[column][this.row] = value;
  }

  /** A cell the log wrote as JSON null: NaN for now, until finish() reads it by the rows around it. */
  setNull(column: number): void {
    this.set(column, NaN);
    (this.nulls ??= new NullCells()).add(this.row, column);
  }

  /** Gives a column that filled up a slot per row; a mask only if some row lacks it. */
  private densify(column: number): void {
    this.values[column] = slots(this.capacity);
    const full = this.counts[column] === this.rows;
    this.present[column] = full ? undefined : new Uint8Array(this.capacity);
    this.sparse[column]!.scatter(this.values[column], this.present[column]);
    this.sparse[column] = undefined;
  }

  /** Gives a full column its mask once row `missing` lacks it: every row before is filled. */
  private mask(column: number, missing: number): Uint8Array {
    const present = new Uint8Array(this.capacity);
    present.fill(1, 0, missing);
    this.present[column] = present;
    return present;
  }

  /** Before a new row: a full column the row just finished lacks gets its mask. */
  private settle(): void {
    for (let c = 0; c < this.names.length; c++) {
      if (!this.sparse[c] && !this.present[c] && this.counts[c] === this.row) this.mask(c, this.row);
    }
  }

  /**
   * A whole new row at once, for fast readers: cell k (where `take[k]`) goes to column `columns[k]`.
   * The same as beginRow and a set per cell, without their per-cell checks.
   */
  addRow(line: number, columns: Int32Array, values: Float64Array, take: Uint8Array, width: number): void {
    this.settle();
    const row = ++this.row;
    if (row === this.room) this.grow();
    this.lines.push(line);
    for (let k = 0; k < width; k++) {
      if (!take[k]) continue;
      const c = columns[k];
      if (this.sparse[c]) {
        this.set(c, values[k]);
        continue;
      }
      // a new row has no cell yet (discardRow clears what it drops), so each cell counts once
      this.values[c][row] = values[k];
      const present = this.present[c];
      if (present) present[row] = 1;
      this.counts[c]++;
    }
  }

  /**
   * `count` whole rows at once, from lines `firstLine` onwards, for the bulk of a big file: row r's cell k
   * is values[r·width + k], there when has[r·width + k]. The same as addRow row by row (each column's cells
   * arrive in row order, and a sparse column turns dense at the same cell), column by column.
   */
  addRows(firstLine: number, count: number, columns: Int32Array, values: Float64Array, has: Uint8Array, width: number): void {
    this.settle();
    const first = this.row + 1;
    while (first + count > this.room) this.grow();
    this.lines.pushConsecutive(firstLine, count);
    for (let k = 0; k < width; k++) {
      const c = columns[k];
      let r = 0;
      // a sparse column's cells go in one by one (it may turn dense on the way), the rest in a tight loop
      for (; r < count && this.sparse[c]; r++) {
        if (!has[r * width + k]) continue;
        this.row = first + r;
        this.set(c, values[r * width + k]);
      }
      const target = this.values[c];
      let present = this.present[c];
      let filled = 0;
      for (; r < count; r++) {
        if (!has[r * width + k]) {
          if (!present) present = this.mask(c, first + r); // full until now: every row before had it
          continue;
        }
        target[first + r] = values[r * width + k];
        if (present) present[first + r] = 1;
        filled++;
      }
      this.counts[c] += filled;
    }
    this.row = first + count - 1;
  }

  /** Makes room for `rows` rows in all, in one step, so a reader that can estimate its length never doubles. */
  reserve(rows: number): void {
    // a quarter more at least, so estimates that creep up cost a few copies, not one per call
    if (rows > this.capacity) this.resize(Math.max(rows, Math.ceil(this.capacity * 1.25)));
  }

  /** Drops the row begun last (it turned out to hold nothing). */
  discardRow(): void {
    for (let c = 0; c < this.names.length; c++) {
      const cells = this.sparse[c];
      const present = this.present[c];
      if (cells) {
        if (cells.drop(this.row)) this.counts[c]--;
      } else if (present) {
        if (present[this.row]) {
          present[this.row] = 0;
          this.counts[c]--;
        }
      } else if (this.counts[c] === this.row + 1) this.counts[c]--;
    }
    this.nulls?.dropRow(this.row);
    this.lines.pop();
    this.row--;
  }

  /** Marks that a new run (or a resumed one) starts with the next row. */
  markBoundary(): void {
    const next = this.row + 1;
    if (next > 0 && this.boundaries[this.boundaries.length - 1] !== next) this.boundaries.push(next);
  }

  /** Column names in the order they were first seen (index = the column's number). */
  get columnNames(): readonly string[] {
    return this.names;
  }

  /** One cell of a row already written: its value, or undefined where the row has none. */
  cell(column: number, row: number): number | undefined {
    if (row > this.row) return undefined;
    const cells = this.sparse[column];
    if (cells) return cells.get(row);
    const present = this.present[column];
    const filled = present ? present[row] === 1 : row < this.counts[column];
    return filled ? this.values[column][row] : undefined;
  }

  /**
   * The table so far, for watch to run detection while rows keep arriving: views of the builder's
   * arrays like finish(), with its own copy of the notes (more may come).
   */
  snapshot(format: string): Table {
    const table = this.finish(format);
    return table.notes === this.notes ? { ...table, notes: this.notes.slice() } : table;
  }

  /**
   * The table so far. Its arrays are views of the builder's, not copies: a 10-million-row log is not
   * held twice, and the capacity past the last row was never written, so it costs no memory. Rows
   * already finished never change, so a table taken while more lines arrive stays as it was. A full
   * column's mask (all ones) is made only if something reads it.
   */
  finish(format: string): Table {
    this.settle(); // a full column the last row lacks gets its mask now
    const n = this.rows;
    const table: Table = {
      format,
      rows: n,
      rowLine: this.lines.view(n),
      columns: this.names.map((name, c) => this.sparse[c]?.column(name, n) ?? this.denseColumn(c, n)),
      boundaries: this.boundaries.filter((b) => b < n),
      ...(this.headerLine !== undefined ? { headerLine: this.headerLine } : {}),
      notes: this.notes,
      skipped: this.skipped,
      ...(this.adversarial ? { adversarial: true } : {}),
    };
    return this.nulls ? resolveNulls(table, this.nulls) : table;
  }

  private denseColumn(c: number, n: number): Column {
    const name = this.names[c];
    const values = this.values[c].subarray(0, n);
    const count = this.counts[c];
    const mask = this.present[c];
    if (mask) return { name, values, present: mask.subarray(0, n), count };
    let ones: Uint8Array | undefined;
    return { name, values, count, get present() { return (ones ??= new Uint8Array(n).fill(1)); } };
  }

  /**
   * Moves the dense columns to shared memory of `capacity` slots, of which this builder fills only the first
   * `room` (growing past them ends the sharing): the helper thread writes rows from `room` on, for adoptRows.
   * The dense columns' arrays, by column (undefined for a sparse one).
   */
  share(room: number, capacity: number): Array<Float64Array | undefined> {
    this.resize(capacity, true);
    this.room = room;
    this.sharedDense = this.names.map((_, c) => !this.sparse[c]);
    return this.values.map((a, c) => (this.sparse[c] ? undefined : a));
  }

  /** True while the arrays share() gave out are still this builder's, and it has not filled past its room. */
  get sharing(): boolean {
    return this.room < this.capacity;
  }

  /**
   * Takes the `count` rows the helper thread wrote at `at` onwards after share(), lines firstLine onwards:
   * every column dense at share() filled on each, in its shared array; the others' cells as (row, value)
   * pairs, rows counted from 0. They are moved to follow the rows so far, as if added here one by one.
   */
  adoptRows(at: number, count: number, firstLine: number, cells: Array<{ rows: Int32Array; values: Float64Array } | undefined>): void {
    this.settle();
    const first = this.row + 1;
    this.sharedDense.forEach((dense, c) => {
      if (!dense) return;
      this.values[c].copyWithin(first, at, at + count);
      this.present[c]?.fill(1, first, first + count);
      this.counts[c] += count;
    });
    this.lines.pushConsecutive(firstLine, count);
    cells.forEach((pairs, c) => {
      if (!pairs) return;
      // a column that filled up on this thread's rows may be full: the first adopted row it lacks gives it its mask
      const settleTo = (row: number) => { if (!this.sparse[c] && !this.present[c] && this.counts[c] < row) this.mask(c, this.counts[c]); };
      for (let e = 0; e < pairs.rows.length; e++) {
        settleTo(first + pairs.rows[e]);
        this.row = first + pairs.rows[e];
        this.set(c, pairs.values[e]);
      }
      settleTo(first + count);
    });
    this.row = first + count - 1;
    this.unshare();
  }

  /** Ends a share(): this builder may fill its whole capacity again. */
  unshare(): void {
    this.room = this.capacity;
    this.sharedDense = [];
  }

  /**
   * Doubles the arrays; past LEAP_FROM rows (a pipe, whose length nothing foretells) it leaps to LEAP_TO at once:
   * the system gives memory to a slot only when it is first written, so the unused capacity costs nothing, while
   * every doubling held the old arrays and the new at once (a 10^7-row CSV piped in peaked at 1.4× the file's
   * memory). Where the address space cannot be had (a strict overcommit policy), it doubles instead.
   */
  private grow(): void {
    const dense = this.sparse.filter((cells) => !cells).length;
    if (this.capacity >= LEAP_FROM && this.capacity < LEAP_TO && dense * LEAP_TO * 8 <= LEAP_ADDRESS_BYTES) {
      try {
        this.resize(LEAP_TO);
        return;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
    }
    this.resize(this.capacity * 2);
  }

  private resize(capacity: number, shared = false): void {
    const slotsOf = shared ? sharedFloat64 : slots;
    const widenF = (a: Float64Array) => { const b = slotsOf(capacity); b.set(a.subarray(0, this.rows)); return b; };
    const widenU = (a: Uint8Array) => { const b = new Uint8Array(capacity); b.set(a.subarray(0, this.rows)); return b; };
    // sparse columns keep their pairs: only the columns with a slot per row widen, and their masks if they have one
    const values = this.values.map((a, c) => (this.sparse[c] ? a : widenF(a)));
    const present = this.present.map((a) => (a ? widenU(a) : a));
    // assigned only once every array was had, so a failed allocation leaves the builder as it was
    this.values = values;
    this.present = present;
    this.capacity = this.room = capacity;
  }
}
