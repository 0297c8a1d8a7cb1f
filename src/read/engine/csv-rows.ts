// The bulk of a big CSV in one tight loop: runs of plain rows of numbers, read from bytes straight into the table.

import { CR, LF, MAX_EXACT_DIGITS, MINUS, POINT, POW10, SPACE, TAB, ZERO } from './bytes.js';
import { scanDecimal, scanned } from './fast-number.js';
import { MAX_LINE } from './lines.js';

const BLOCK = 1024; // rows are gathered this many at a time and handed to the table column by column

/** Where bulk readers put rows: the TableBuilder, or the helper thread's shared arrays (halves.ts). */
export interface RowSink {
  readonly columnNames: readonly string[];
  /** The index of a column, made on first use by a builder; −1 from a sink that takes no new columns. */
  column(name: string): number;
  /** `count` rows of lines firstLine onwards: row r's cell k is values[r·width + k] (column columns[k]), there when has[r·width + k]. */
  addRows(firstLine: number, count: number, columns: Int32Array, values: Float64Array, has: Uint8Array, width: number): void;
}

/**
 * Takes consecutive lines that are plain rows: exactly `width` cells, each blank or a number scanDecimal
 * reads, at least one filled, ended by LF or CRLF inside the buffer. Such a row means the same to the
 * line parser once every column is numeric: each filled cell goes in as it is. Anything else (text, a
 * NaN spelling, a blank line, a bare CR, a line the buffer cuts) stops the run, for the line-by-line path.
 */
export class PlainRows {
  /** Where the line after the last one taken starts. */
  end = 0;
  /** At most this many rows are taken in all (the helper thread's share of a table has room for so many). */
  rowsLeft = Infinity;
  /** Cells a row must fill to be taken (for the helper thread: the columns it writes a slot per row). */
  required: Uint8Array | undefined;
  /** Cells of the rows gathered, row after row (`width` a row), and whether each is filled. */
  private readonly values: Float64Array;
  private readonly has: Uint8Array;

  constructor(private readonly delim: number, private readonly width: number, private readonly columns: Int32Array) {
    this.values = new Float64Array(width * BLOCK);
    this.has = new Uint8Array(width * BLOCK);
  }

  /** Takes rows from bytes[start, n), the first being line `lineNo`, into `sink`; returns how many lines it took. */
  take(bytes: Uint8Array, start: number, n: number, lineNo: number, sink: RowSink): number {
    const { delim, width, values, has, columns, required } = this;
    const tabIsBlank = delim !== TAB;
    // only lines that end before the buffer does: every loop below stops at their LF, so no read passes it
    const limit = bytes.lastIndexOf(LF, n - 1) + 1;
    let taken = 0;
    let gathered = 0; // rows in the block, not yet in the table
    let line = start;
    this.end = start;
    rows: while (line < limit && taken < this.rowsLeft) {
      let i = line;
      let any = false;
      const at = gathered * width;
      for (let cell = 0; ; cell++) {
        let c = bytes[i];
        while (c === SPACE || (c === TAB && tabIsBlank)) c = bytes[++i];
        const from = i;
        // [-]digits[.digits] in at most 15 digits is read right here: an exact integer over an exact power
        // of ten is one correctly rounded division, as Number() gives; anything longer goes to scanDecimal
        const negative = c === MINUS;
        if (negative) c = bytes[++i];
        // two digits a step: their own value does not wait for the mantissa so far, which halves the chain of
        // dependent multiply-adds (~15% of the parse); a digit is never a line's last byte, so i + 1 is on the line
        let mantissa = 0;
        const intFrom = i;
        for (let d0 = c - ZERO; d0 >= 0 && d0 <= 9; d0 = c - ZERO) {
          const d1 = bytes[i + 1] - ZERO;
          if (d1 < 0 || d1 > 9) { mantissa = mantissa * 10 + d0; c = bytes[++i]; break; }
          mantissa = mantissa * 100 + (d0 * 10 + d1);
          c = bytes[i += 2];
        }
        let digits = i - intFrom;
        let decimals = 0;
        if (c === POINT) {
          const fracFrom = ++i;
          c = bytes[i];
          for (let d0 = c - ZERO; d0 >= 0 && d0 <= 9; d0 = c - ZERO) {
            const d1 = bytes[i + 1] - ZERO;
            if (d1 < 0 || d1 > 9) { mantissa = mantissa * 10 + d0; c = bytes[++i]; break; }
            mantissa = mantissa * 100 + (d0 * 10 + d1);
            c = bytes[i += 2];
          }
          decimals = i - fracFrom;
          digits += decimals;
        }
        let value = 0;
        if (digits > 0 && digits <= MAX_EXACT_DIGITS && c !== 101 && c !== 69) {
          const magnitude = decimals === 0 ? mantissa : mantissa / POW10[decimals];
          value = negative ? -magnitude : magnitude;
        } else if (i > from) {
          // an exponent, many digits, a lone sign or point: the general scanner decides from the cell's start
          if (!scanDecimal(bytes, from, limit, false)) break rows;
          value = scanned.value;
          i = scanned.end;
          c = bytes[i];
        }
        const filled = i > from;
        while (c === SPACE || (c === TAB && tabIsBlank)) c = bytes[++i];
        if (cell >= width) break rows;
        values[at + cell] = filled && value !== 0 ? value : 0; // -0 reads as 0, as in numbers.ts
        has[at + cell] = filled ? 1 : 0;
        if (filled) any = true;
        else if (required && required[cell]) break rows;
        if (c === delim) { i++; continue; }
        // the row ends here: with every cell, something in it, and a whole LF or CRLF ending
        if (cell !== width - 1 || !any || i - line > MAX_LINE) break rows;
        if (c === LF) i++;
        else if (c === CR && bytes[i + 1] === LF) i += 2;
        else break rows;
        break;
      }
      taken++;
      line = i;
      this.end = i;
      if (++gathered === BLOCK) {
        sink.addRows(lineNo + taken - gathered, gathered, columns, values, has, width);
        gathered = 0;
      }
    }
    if (gathered > 0) sink.addRows(lineNo + taken - gathered, gathered, columns, values, has, width);
    this.rowsLeft -= taken;
    return taken;
  }
}
