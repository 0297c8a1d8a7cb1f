// The helper thread's side of halves.ts: the plain rows of a stretch of a file, read into the table's shared arrays.

import { LF } from './bytes.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { PlainRows, type RowSink } from './csv-rows.js';
import { FlatObjects } from './json-objects.js';
import { RowBlock } from './jsonl-fast.js';

const CHUNK_BYTES = 4 * 1024 * 1024; // as the main thread reads

/** What halves.ts asks of the helper thread (a plain object: it crosses to the worker by structured clone). */
export interface RowsTask {
  kind: 'rows';
  format: 'csv' | 'jsonl';
  path: string;
  /** The stretch of the file: `from` starts a line. */
  from: number;
  to: number;
  /** CSV: the delimiter, and the table column of each cell. */
  delimiter: number;
  cellColumns: Int32Array;
  /** The table's columns at the split: a key of no column stops the reading (JSONL). */
  names: string[];
  /** By column: the table's shared array, filled from `at` on (a row must fill every such column)... */
  dense: Array<Float64Array | null>;
  at: number;
  maxRows: number;
  /** ...or (row, value) pairs, rows counted from 0. */
  pairRows: Array<Int32Array | null>;
  pairValues: Array<Float64Array | null>;
  /** Out: rows taken, the offset where reading stopped (a line start), and each column's pair count. */
  result: Float64Array;
}

/** Writes rows to the shared arrays of a RowsTask. */
class SharedRows implements RowSink {
  rows = 0;
  readonly pairCounts: number[];
  private readonly index: Map<string, number>;

  constructor(private readonly task: RowsTask) {
    this.pairCounts = task.names.map(() => 0);
    this.index = new Map(task.names.map((name, c) => [name, c]));
  }

  get columnNames(): readonly string[] {
    return this.task.names;
  }

  column(name: string): number {
    return this.index.get(name) ?? -1;
  }

  addRows(_firstLine: number, count: number, columns: Int32Array, values: Float64Array, has: Uint8Array, width: number): void {
    const { dense, at, pairRows, pairValues } = this.task;
    for (let k = 0; k < width; k++) {
      const c = columns[k];
      const slots = dense[c];
      if (slots) {
        // every row taken fills this column (the readers' `required`)
        for (let r = 0; r < count; r++) slots[at + this.rows + r] = values[r * width + k];
        continue;
      }
      const rows = pairRows[c]!;
      const cells = pairValues[c]!;
      let n = this.pairCounts[c];
      for (let r = 0; r < count; r++) {
        if (!has[r * width + k]) continue;
        rows[n] = this.rows + r;
        cells[n++] = values[r * width + k];
      }
      this.pairCounts[c] = n;
    }
    this.rows += count;
  }
}

/** Runs a RowsTask: rows from `from` until a line the bulk readers would not take, the end, or maxRows. */
export function readSharedRows(task: RowsTask): void {
  const sink = new SharedRows(task);
  const required = Uint8Array.from(task.dense, (d) => (d ? 1 : 0));
  let take: (bytes: Buffer, n: number) => number;
  let rowsLeft: () => number;
  if (task.format === 'csv') {
    const plain = new PlainRows(task.delimiter, task.cellColumns.length, task.cellColumns);
    plain.required = Uint8Array.from(task.cellColumns, (c) => required[c]);
    plain.rowsLeft = task.maxRows;
    take = (bytes, n) => (plain.take(bytes, 0, n, sink.rows + 1, sink), plain.end);
    rowsLeft = () => plain.rowsLeft;
  } else {
    const block = new RowBlock(sink, new FlatObjects());
    block.required = required;
    block.rowsOnly = true; // a line without numbers would break the run of line numbers
    block.rowsLeft = task.maxRows;
    // line numbers only tell one line from the next here (a key twice in one line), but they must not repeat
    take = (bytes, n) => (block.take(bytes, 0, n, sink.rows + 1), block.end);
    rowsLeft = () => block.rowsLeft;
  }
  const fd = openSync(task.path, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let offset = task.from;
  try {
    while (offset < task.to && rowsLeft() > 0) {
      const n = readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, task.to - offset), offset);
      if (n <= 0) break;
      // each read starts at the line after the last one taken: a line the buffer cut is read again whole
      const whole = buffer.lastIndexOf(LF, n - 1) + 1;
      const end = take(buffer, n);
      offset += end;
      if (end < whole || whole === 0) break; // a line the bulk readers leave to the main thread
    }
  } finally {
    closeSync(fd);
  }
  task.result[0] = sink.rows;
  task.result[1] = offset;
  sink.pairCounts.forEach((n, c) => { task.result[2 + c] = n; });
}
