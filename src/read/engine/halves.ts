// A big file read in two halves at once: this thread reads up to the middle, the helper thread the plain rows after it into the table's shared arrays; then the rows are joined as if read in one pass.

import { LF } from './bytes.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { runOnHelper, sharedFloat64, warmHelper, type Running } from '../../parallel/helper.js';
import type { RowsTask } from './shared-rows.js';
import type { ChunkRoute, Source } from './source.js';
import type { TableBuilder } from '../table.js';

// Below this size one thread reads the file in about the time the helper takes to start
const HALVES_FROM = 32 * 1024 * 1024;
/**
 * The size from which files are read in halves: tests lower it (to split small files) or set Infinity (one
 * thread), and read what became of the last file: its second half's rows joined, read again here, or no split.
 */
export const halving: { fromBytes: number; last: 'joined' | 'read again' | 'one pass' } = { fromBytes: HALVES_FROM, last: 'one pass' };
// Rows are estimated from the density of the first chunk; 5% spare and a few thousand rows more each side,
// for lines that run shorter later (they mostly run longer: step numbers grow)
const ROOM_SPARE = 1.05;
const ROOM_EXTRA = 4096;
const SPLIT_SEARCH_BYTES = 1024 * 1024; // the split is the first line start past MAIN_SHARE of the file, looked for this far
// A wide table is read by one thread: the helper's share costs ROOM_EXTRA rows and a shared array per column
// whatever its rows, so at 12,000 columns it was most of the memory (1.6 GB for a 36 MB file)
const HALVES_MAX_COLUMNS = 256;
const FIRST_CHUNK_BYTES = 256 * 1024; // some thousands of rows: enough to see the columns and the density of rows
// This thread reads half: the helper starts later and cold, but takes its rows faster (fewer checks, no row index)
export const MAIN_SHARE = 0.5;

/** For a file about to be read: one big enough to be read in halves starts the helper now, while its format is sniffed. */
export function warmHelperFor(size: number): void {
  if (size >= halving.fromBytes) warmHelper();
}

/**
 * The route of this thread's chunks and the helper's part. `begin` (after the first chunk) picks the
 * split, shares the table's dense columns and starts the helper on the bytes after the split; the chunks
 * stop at the split, where `join` waits for the helper, adopts its rows and sends the chunks on from
 * where it stopped. Whatever goes wrong (no helper, a line it would not take, this half running longer
 * than planned), this thread reads on from the split itself: the table is the same either way.
 */
export class Halves implements ChunkRoute {
  private split = -1;
  private resume = -1;
  private begun = false;
  private running: Running | undefined;
  private task: RowsTask | undefined;

  private constructor(private readonly path: string, private readonly size: number) {}

  /** For a plain file big enough to be worth it; undefined otherwise. */
  static of(source: Source): Halves | undefined {
    halving.last = 'one pass';
    if (source.path === undefined || source.size === undefined || source.size < halving.fromBytes) return undefined;
    warmHelper(); // readTable has usually started it already (warmHelperFor); this covers a reader called directly
    return new Halves(source.path, source.size);
  }

  next(offset: number): number {
    if (offset !== this.split) return offset;
    this.split = -1;
    return this.resume >= 0 ? this.resume : offset;
  }

  until(offset: number): number {
    // the first chunk is short: the helper starts once it is read (begin needs its rows), so sooner means more overlap
    if (!this.begun && offset < FIRST_CHUNK_BYTES) return FIRST_CHUNK_BYTES;
    return offset < this.split ? this.split : Infinity;
  }

  /** Where this thread's reading is in the file, after `bytesRead` of its own bytes: past the helper's part once joined. */
  offset(bytesRead: number): number {
    return this.task && this.resume >= 0 ? bytesRead + this.resume - this.task.from : bytesRead;
  }

  /**
   * After the first chunk (`bytesRead` bytes, the builder's rows so far): starts the helper on the second
   * half. `cellColumns` (CSV) is the table column of each cell; `delimiter` its byte.
   */
  begin(format: RowsTask['format'], builder: TableBuilder, bytesRead: number, cellColumns: Int32Array = new Int32Array(0), delimiter = 0): void {
    if (this.begun) return;
    this.begun = true;
    const split = lineStartAfter(this.path, Math.floor(this.size * MAIN_SHARE));
    if (builder.rows === 0 || split <= bytesRead || split >= this.size || builder.columnNames.length > HALVES_MAX_COLUMNS) return;
    const density = builder.rows / bytesRead;
    const room = Math.ceil(split * density * ROOM_SPARE) + ROOM_EXTRA;
    const helperRows = Math.ceil((this.size - split) * density * ROOM_SPARE) + ROOM_EXTRA;
    const dense = builder.share(room, room + helperRows);
    const pairs = dense.map((d) => (d ? null : new Int32Array(new SharedArrayBuffer(helperRows * Int32Array.BYTES_PER_ELEMENT))));
    const task: RowsTask = {
      kind: 'rows', format, path: this.path, from: split, to: this.size, delimiter, cellColumns, names: builder.columnNames.slice(),
      dense: dense.map((d) => d ?? null), at: room, maxRows: helperRows,
      pairRows: pairs, pairValues: pairs.map((p) => (p ? sharedFloat64(helperRows) : null)),
      result: sharedFloat64(2 + dense.length),
    };
    this.running = runOnHelper(task);
    if (!this.running) return builder.unshare();
    this.task = task;
    this.split = split;
  }

  /**
   * After each chunk: at the split, waits for the helper and adopts its rows (lines `linesRead + 1` on),
   * if this thread's reader would still take them as they are (`plain`). Returns the lines adopted.
   */
  join(bytesRead: number, linesRead: number, builder: TableBuilder, plain: boolean): number {
    const task = this.task;
    if (!task || !this.running || bytesRead !== task.from) return 0;
    const done = this.running.wait();
    this.running = undefined;
    if (!done || !plain || !builder.sharing) {
      builder.unshare();
      this.resume = task.from;
      halving.last = 'read again';
      return 0;
    }
    const rows = task.result[0];
    const cells = task.pairRows.map((r, c) => (r ? { rows: r.subarray(0, task.result[2 + c]), values: task.pairValues[c]!.subarray(0, task.result[2 + c]) } : undefined));
    builder.adoptRows(task.at, rows, linesRead + 1, cells);
    this.resume = task.result[1];
    halving.last = 'joined';
    return rows;
  }
}

/** The offset just past the first LF at or after `offset`, or −1 when none is near. */
function lineStartAfter(path: string, offset: number): number {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(SPLIT_SEARCH_BYTES);
    const n = readSync(fd, buffer, 0, SPLIT_SEARCH_BYTES, offset);
    const lf = buffer.subarray(0, n).indexOf(LF);
    return lf < 0 ? -1 : offset + lf + 1;
  } finally {
    closeSync(fd);
  }
}
