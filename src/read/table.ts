// The reader's output: named numeric columns in typed arrays, one slot per record, with gaps marked, plus what was skipped.

import { SparseCells } from './sparse-cells.js';

/** A numeric column. A cell is absent where `present[row]` is 0 (sparse logs); NaN is a value, not a gap. */
export interface Column {
  name: string;
  values: Float64Array;
  present: Uint8Array;
  /** How many cells are present. */
  count: number;
  /**
   * A column filled on few rows also has its cells as (row, value) pairs in row order; its `values`
   * and `present` are then built only when first read (readers that can, read these instead).
   */
  cells?: { rows: Int32Array; values: Float64Array };
}

export interface Table {
  /** The format the reader took the input for, e.g. "csv (comma)" or "jsonl". */
  format: string;
  columns: Column[];
  rows: number;
  /** 1-based source line of each row (0 when the format has no lines). */
  rowLine: Int32Array;
  /** Rows before which the reader saw a run boundary (a repeated header, a "new run" banner). */
  boundaries: number[];
  /** 1-based line of the header row, where the format has one: errors about the columns point there. */
  headerLine?: number;
  /** Things the user should be told about the reading, one sentence each. */
  notes: string[];
  skipped: SkippedLines;
  /**
   * Set by readers of exports that put several runs side by side (a W&B chart): the columns of the
   * run to diagnose. Losses, learning rate and grad norm are picked among these; the rest stay other losses.
   */
  focus?: string[];
  /** Set by readers that know the loss is adversarial (a GAN's generator loss): it need not fall to be healthy. */
  adversarial?: boolean;
}

/** Lines that held no usable record (garbage, tracebacks, cut-off rows): counted and named, never fatal. */
export class SkippedLines {
  count = 0;
  readonly lines: number[] = [];
  private static readonly KEEP = 10; // naming ten lines is enough to find the rest

  add(line: number): void {
    this.count++;
    if (this.lines.length < SkippedLines.KEEP) this.lines.push(line);
  }

  describe(): string | undefined {
    if (this.count === 0) return undefined;
    const more = this.count > this.lines.length ? ', ...' : '';
    const noun = this.count === 1 ? 'line' : 'lines';
    return `skipped ${this.count} unreadable ${noun}: ${this.lines.join(', ')}${more}`;
  }
}

// A column starts as (row, value) pairs and takes a slot per row once it fills more than one row in
// DENSE_EVERY (and DENSE_MIN cells): a loss logged every step is dense at once, a validation loss every
// 100th step stays pairs, at a hundredth of the memory
const DENSE_EVERY = 8;
const DENSE_MIN = 64;
const NO_ROWS = new Uint8Array(0);
const NO_VALUES = new Float64Array(0);

/**
 * Fills a Table row by row. Arrays start at a capacity hint (a fast reader estimates the row count from
 * the file size) and grow by doubling past it, or to what `reserve` asks for.
 */
export class TableBuilder {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private values: Float64Array[] = [];
  private present: Uint8Array[] = [];
  /** A column's cells while it is sparse; undefined once it has a slot per row (values/present). */
  private sparse: Array<SparseCells | undefined> = [];
  private counts: number[] = [];
  private lines: Int32Array;
  private capacity: number;
  private row = -1;
  readonly boundaries: number[] = [];
  headerLine: number | undefined;
  readonly notes: string[] = [];
  /** See Table.adversarial. */
  adversarial = false;
  readonly skipped = new SkippedLines();

  constructor(capacityHint = 1024) {
    this.capacity = Math.max(16, capacityHint);
    this.lines = new Int32Array(this.capacity);
  }

  get rows(): number {
    return this.row + 1;
  }

  /** The index of a column, created on first use (earlier rows read as absent). */
  column(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.values.push(NO_VALUES);
      this.present.push(NO_ROWS);
      this.sparse.push(new SparseCells());
      this.counts.push(0);
    }
    return i;
  }

  hasColumn(name: string): boolean {
    return this.index.has(name);
  }

  beginRow(line: number): void {
    this.row++;
    if (this.row === this.capacity) this.grow();
    this.lines[this.row] = line;
  }

  set(column: number, value: number): void {
    const cells = this.sparse[column];
    if (cells) {
      if (cells.set(this.row, value) && ++this.counts[column] >= DENSE_MIN && this.counts[column] * DENSE_EVERY > this.rows) this.densify(column);
      return;
    }
    if (!this.present[column][this.row]) this.counts[column]++;
    this.values[column][this.row] = value;
    this.present[column][this.row] = 1;
  }

  /** Gives a column that filled up a slot per row. */
  private densify(column: number): void {
    this.values[column] = new Float64Array(this.capacity);
    this.present[column] = new Uint8Array(this.capacity);
    this.sparse[column]!.scatter(this.values[column], this.present[column]);
    this.sparse[column] = undefined;
  }

  /**
   * A whole new row at once, for fast readers: cell k (where `take[k]`) goes to column `columns[k]`.
   * The same as beginRow and a set per cell, without their per-cell checks.
   */
  addRow(line: number, columns: Int32Array, values: Float64Array, take: Uint8Array, width: number): void {
    const row = ++this.row;
    if (row === this.capacity) this.grow();
    this.lines[row] = line;
    for (let k = 0; k < width; k++) {
      if (!take[k]) continue;
      const c = columns[k];
      if (this.sparse[c]) {
        this.set(c, values[k]);
        continue;
      }
      // a new row has no cell yet (discardRow clears what it drops), so each cell counts once
      this.values[c][row] = values[k];
      this.present[c][row] = 1;
      this.counts[c]++;
    }
  }

  /**
   * `count` whole rows at once, from lines `firstLine` onwards, for the bulk of a big file: row r's cell k
   * is values[r·width + k], there when has[r·width + k]. The same as addRow row by row (each column's cells
   * arrive in row order, and a sparse column turns dense at the same cell), column by column.
   */
  addRows(firstLine: number, count: number, columns: Int32Array, values: Float64Array, has: Uint8Array, width: number): void {
    const first = this.row + 1;
    while (first + count > this.capacity) this.grow();
    for (let r = 0; r < count; r++) this.lines[first + r] = firstLine + r;
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
      const present = this.present[c];
      let filled = 0;
      for (; r < count; r++) {
        if (!has[r * width + k]) continue;
        target[first + r] = values[r * width + k];
        present[first + r] = 1;
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
      if (cells) {
        if (cells.drop(this.row)) this.counts[c]--;
      } else if (this.present[c][this.row]) {
        this.present[c][this.row] = 0;
        this.counts[c]--;
      }
    }
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
    return this.present[column][row] ? this.values[column][row] : undefined;
  }

  /**
   * The table so far, for watch to run detection while rows keep arriving: views of the builder's
   * arrays like finish(), with its own copy of the notes (more may come).
   */
  snapshot(format: string): Table {
    return { ...this.finish(format), notes: this.notes.slice() };
  }

  /**
   * The table so far. Its arrays are views of the builder's, not copies: a 10-million-row log is not
   * held twice, and the capacity past the last row was never written, so it costs no memory. Rows
   * already finished never change, so a table taken while more lines arrive stays as it was.
   */
  finish(format: string): Table {
    const n = this.rows;
    return {
      format,
      rows: n,
      rowLine: this.lines.subarray(0, n),
      columns: this.names.map((name, c) => this.sparse[c]?.column(name, n) ?? {
        name,
        values: this.values[c].subarray(0, n),
        present: this.present[c].subarray(0, n),
        count: this.counts[c],
      }),
      boundaries: this.boundaries.filter((b) => b < n),
      ...(this.headerLine !== undefined ? { headerLine: this.headerLine } : {}),
      notes: this.notes,
      skipped: this.skipped,
      ...(this.adversarial ? { adversarial: true } : {}),
    };
  }

  private grow(): void {
    this.resize(this.capacity * 2);
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    const widenF = (a: Float64Array) => { const b = new Float64Array(this.capacity); b.set(a.subarray(0, this.rows)); return b; };
    const widenU = (a: Uint8Array) => { const b = new Uint8Array(this.capacity); b.set(a.subarray(0, this.rows)); return b; };
    // sparse columns keep their pairs: only the columns with a slot per row widen
    this.values = this.values.map((a, c) => (this.sparse[c] ? a : widenF(a)));
    this.present = this.present.map((a, c) => (this.sparse[c] ? a : widenU(a)));
    const lines = new Int32Array(this.capacity);
    lines.set(this.lines.subarray(0, this.rows));
    this.lines = lines;
  }
}
