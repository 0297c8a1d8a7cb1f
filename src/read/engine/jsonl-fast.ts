// The fast way through a whole JSONL file: flat objects of numbers are read from bytes; every other line goes to JsonlLineParser, the reference.

import { CR, LF } from './bytes.js';
import { BinaryTail, scanLines } from './byte-lines.js';
import { chunksOf, sizeOf } from './chunks.js';
import { Halves } from './halves.js';
import { FlatObjects } from './json-objects.js';
import type { LineParser } from '../format.js';
import { MAX_LINE } from './lines.js';
import { RowEstimate } from './row-estimate.js';
import type { Source } from './source.js';
import type { RowSink } from './csv-rows.js';
import type { Table } from '../table.js';

const BLOCK = 1024; // rows are gathered this many at a time and handed to the table column by column
// and a block holds at most this many cells: a wide table gathers fewer rows at a time, in the same two arrays, so a
// log whose every line adds a key costs no new block per key (re-laying width × BLOCK cells per key was quadratic)
const BLOCK_CELLS = 64 * BLOCK;
const isSpace = (b: number) => b === 32 || b === 9;

/**
 * Reads a JSONL file with the same result as feeding its lines to JsonlLineParser. A line is taken
 * from bytes when it is one flat object FlatObjects reads; anything else goes to the parser itself
 * (`newParser` makes the JSONL format's, for a first estimate of the rows).
 */
export function readJsonlFast(source: Source, newParser: (rows: number) => LineParser): Table {
  const estimate = new RowEstimate(sizeOf(source));
  // the format makes its parser (for the rows expected); the fast path fills the parser's builder itself
  const parser = newParser(estimate.initial());
  const builder = parser.builder;
  const objects = new FlatObjects();
  const rows = new RowBlock(builder, objects);
  const halves = Halves.of(source);
  const tail = new BinaryTail(source.name);

  scanLines(chunksOf(source, halves), {
    rows(bytes, start, end, lineNo, next) {
      const taken = rows.take(bytes, start, end, lineNo);
      next.at = rows.end;
      return taken;
    },
    bytes(bytes, start, end, lineNo) {
      let blank = true;
      for (let i = start; i < end; i++) if (!isSpace(bytes[i])) { blank = false; break; }
      if (blank) return true;
      if (objects.parse(bytes, start, end, lineNo) !== end) return false;
      if (objects.pairs === 0) return true; // an object with no numbers is no row
      builder.beginRow(lineNo);
      for (let p = 0; p < objects.pairs; p++) {
        const key = objects.pairKeys[p];
        if (key.column < 0) key.column = builder.column(key.name);
        if (objects.pairNull[p]) builder.setNull(key.column);
        else builder.set(key.column, objects.pairValues[p]);
      }
      return true;
    },
    text: (text, lineNo, terminated) => parser.line(text, lineNo, terminated),
    overlong: (lineNo) => parser.overlong(lineNo),
    progress(bytesRead, linesRead, chunk) {
      tail.after(chunk, builder.rows, linesRead);
      let adopted = 0;
      if (halves) {
        // the helper takes the plain rows of the second half; at the split they join
        halves.begin('jsonl', builder, bytesRead);
        adopted = halves.join(bytesRead, linesRead, builder, true);
      }
      if (!builder.sharing) builder.reserve(estimate.rowsFor(halves ? halves.offset(bytesRead) : bytesRead, builder.rows));
      return adopted;
    },
  });
  return parser.finish();
}

/**
 * Runs of lines that are each one flat object with numbers, ended by LF or CRLF inside the buffer, read in
 * one loop and handed to the sink a block of rows at a time (row r's cell of column c at r·width + c):
 * the same rows `bytes` would add one by one. Any other line stops the run, for the line-by-line path.
 */
export class RowBlock {
  /** Where the line after the last one taken starts. */
  end = 0;
  /** At most this many rows are taken in all (the helper thread's share of a table has room for so many). */
  rowsLeft = Infinity;
  /** Columns a row must fill to be taken; and whether a line without numbers stops the run (both for the helper thread). */
  required: Uint8Array | undefined;
  rowsOnly = false;
  private width = 0;
  private blockRows = BLOCK;
  private columns = new Int32Array(0);
  private values = new Float64Array(BLOCK_CELLS);
  private has = new Uint8Array(BLOCK_CELLS);
  private gathered = 0;
  private firstLine = 0;

  constructor(private readonly sink: RowSink, private readonly objects: FlatObjects) {}

  take(bytes: Buffer, start: number, n: number, lineNo: number): number {
    const { objects, sink, required } = this;
    const limit = bytes.lastIndexOf(LF, n - 1) + 1; // only lines that end before the buffer does
    let taken = 0;
    let line = start;
    this.end = start;
    this.fit();
    lines: while (line < limit && taken < this.rowsLeft) {
      const stop = objects.parse(bytes, line, limit, lineNo + taken);
      if (stop < 0 || stop - line > MAX_LINE || objects.nulls > 0) break; // a null goes to the table one cell at a time
      let i = stop;
      if (bytes[i] === LF) i++;
      else if (bytes[i] === CR && bytes[i + 1] === LF) i += 2;
      else break;
      const pairs = objects.pairs;
      if (pairs === 0) {
        if (this.rowsOnly) break;
        this.flush(); // no row, but a line: the rows after it do not follow on in line numbers
      } else {
        const { pairKeys, pairValues } = objects;
        for (let p = 0; p < pairs; p++) {
          const key = pairKeys[p];
          if (key.column < 0) {
            this.flush();
            key.column = sink.column(key.name);
            if (key.column < 0) break lines;
            this.fit();
          }
        }
        if (this.gathered === 0) this.firstLine = lineNo + taken;
        const { width, values, has } = this;
        const at = this.gathered * width;
        for (let c = 0; c < width; c++) has[at + c] = 0;
        for (let p = 0; p < pairs; p++) {
          const column = pairKeys[p].column;
          values[at + column] = pairValues[p];
          has[at + column] = 1;
        }
        if (required) for (let c = 0; c < width; c++) if (required[c] && !has[at + c]) break lines;
        if (++this.gathered === this.blockRows) this.flush();
      }
      taken++;
      line = this.end = i;
    }
    this.flush();
    this.rowsLeft -= taken;
    return taken;
  }

  /** Hands the gathered rows to the sink. */
  private flush(): void {
    if (this.gathered > 0) this.sink.addRows(this.firstLine, this.gathered, this.columns, this.values, this.has, this.width);
    this.gathered = 0;
  }

  /**
   * Makes the block as wide as the table (it gains a column when a key first holds a number); only when empty.
   * The arrays are kept (a row's cells are all written before they are read) and grow, by doubling, only for a
   * table wider than BLOCK_CELLS.
   */
  private fit(): void {
    const width = this.sink.columnNames.length;
    if (width === this.width) return;
    this.flush();
    this.width = width;
    this.blockRows = Math.max(1, Math.min(BLOCK, Math.floor(BLOCK_CELLS / width)));
    if (width > this.columns.length) this.columns = Int32Array.from({ length: Math.max(width, 2 * this.columns.length) }, (_, c) => c);
    if (width > this.values.length) {
      this.values = new Float64Array(2 * width);
      this.has = new Uint8Array(2 * width);
    }
  }
}
