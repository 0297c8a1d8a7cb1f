// The fast way through a whole CSV file: plain rows of numbers are read from bytes; every other line goes to CsvLineParser, the reference.

import { MAX_EXACT_DIGITS, MINUS, POINT, POW10, SPACE, TAB, ZERO } from './bytes.js';
import { BinaryTail, scanLines } from './byte-lines.js';
import { chunksOf, sizeOf } from './chunks.js';
import type { CsvLineParser } from '../formats/csv.js';
import { Halves } from './halves.js';
import { PlainRows } from './csv-rows.js';
import { scanDecimal, scanned } from './fast-number.js';
import { ABSENT, parseCell } from './numbers.js';
import { RowEstimate } from './row-estimate.js';
import type { Source } from './source.js';
import type { Table } from '../table.js';

const MAX_CELL = 64; // numbers.ts refuses longer cells; the text path decides them

/**
 * Reads a delimited file with the same result as feeding its lines to CsvLineParser. A line is taken
 * from bytes when it is ASCII and each cell is a number or a gap; anything else (the header, quotes,
 * text, too few cells, a cut-off last line) is decoded and handed to the parser itself. `newParser` makes the
 * CSV format's parser for a first estimate of the rows.
 */
export function readCsvFast(source: Source, delimiter: string, newParser: (rows: number) => CsvLineParser): Table {
  const size = sizeOf(source);
  const estimate = new RowEstimate(size);
  // the format makes its parser (for the rows expected): the engine knows the parser's fast-path calls, not the format
  const parser = newParser(estimate.initial());
  const delim = delimiter.charCodeAt(0);
  let values = new Float64Array(0);
  let has = new Uint8Array(0);

  /** Reads cells of [start, end) into values/has; false when a cell is not a plain number or gap. */
  const cellsOf = (bytes: Buffer, start: number, end: number, width: number): boolean => {
    let i = start;
    let cell = 0;
    for (;;) {
      while (i < end && (bytes[i] === SPACE || (bytes[i] === TAB && delim !== TAB))) i++;
      const from = i;
      // the usual cell, [-]digits[.digits] in at most 15 digits, is read right here: an exact integer over an
      // exact power of ten is one correctly rounded division, as Number() gives; anything else goes to scanDecimal
      let j = i;
      const negative = j < end && bytes[j] === MINUS;
      if (negative) j++;
      let mantissa = 0;
      let digits = 0;
      let decimals = 0;
      for (let c = bytes[j] - ZERO; j < end && c >= 0 && c <= 9; c = bytes[++j] - ZERO) { mantissa = mantissa * 10 + c; digits++; }
      if (j < end && bytes[j] === POINT) {
        for (let c = bytes[++j] - ZERO; j < end && c >= 0 && c <= 9; c = bytes[++j] - ZERO) { mantissa = mantissa * 10 + c; digits++; decimals++; }
      }
      const ends = j === end || bytes[j] === delim || bytes[j] === SPACE || (bytes[j] === TAB && delim !== TAB);
      let value = 0;
      if (digits > 0 && digits <= MAX_EXACT_DIGITS && ends) {
        const magnitude = decimals === 0 ? mantissa : mantissa / POW10[decimals];
        value = negative ? -magnitude : magnitude;
        i = j;
      } else if (i < end && bytes[i] !== delim && scanDecimal(bytes, i, end, false)) {
        value = scanned.value;
        i = scanned.end;
      }
      let to = i;
      while (i < end && (bytes[i] === SPACE || (bytes[i] === TAB && delim !== TAB))) i++;
      if (i < end && bytes[i] !== delim) {
        // not a plain number: a NaN spelling, a gap word, or text, as numbers.ts decides
        while (i < end && bytes[i] !== delim) { if (bytes[i] > 126) return false; i++; }
        to = i;
        if (cell < width) {
          if (to - from > MAX_CELL) return false;
          const parsed = parseCell(bytes.toString('latin1', from, to));
          if (typeof parsed !== 'number' && parsed !== ABSENT) return false;
          has[cell] = parsed === ABSENT ? 0 : 1;
          values[cell] = parsed === ABSENT ? 0 : parsed;
        } else return false; // a filled cell past the header's width damages the row
      } else if (cell < width) {
        has[cell] = to > from ? 1 : 0;
        values[cell] = to > from && value !== 0 ? value : 0; // -0 reads as 0, as in numbers.ts
      } else if (to > from) return false;
      cell++;
      if (i >= end) break;
      i++; // the delimiter
    }
    return cell >= width;
  };

  let plain: PlainRows | undefined;
  const halves = Halves.of(source);
  const tail = new BinaryTail(source.name);
  scanLines(chunksOf(source, halves), {
    rows(bytes, start, end, lineNo, next) {
      const columns = parser.plainRowColumns();
      if (!columns) return 0;
      plain ??= new PlainRows(delim, columns.length, columns);
      const taken = plain.take(bytes, start, end, lineNo, parser.builder);
      next.at = plain.end;
      return taken;
    },
    bytes(bytes, start, end, lineNo) {
      const width = parser.width;
      if (width === undefined || !parser.takesNumericRows) return false;
      if (values.length !== width) { values = new Float64Array(width); has = new Uint8Array(width); }
      let blank = true;
      for (let i = start; i < end; i++) {
        const b = bytes[i];
        if (b !== SPACE && b !== TAB) { blank = false; break; }
      }
      if (blank) return true; // a blank line is no row
      if (!cellsOf(bytes, start, end, width)) return false;
      parser.numericRow(values, has, lineNo);
      return true;
    },
    text: (text, lineNo, terminated) => parser.line(text, lineNo, terminated),
    overlong: (lineNo) => parser.overlong(lineNo),
    progress(bytesRead, linesRead, chunk) {
      tail.after(chunk, parser.builder.rows, linesRead);
      const builder = parser.builder;
      let adopted = 0;
      if (halves) {
        // the helper takes the second half once rows are plain; at the split its rows join, if they still are
        const columns = parser.plainRowColumns();
        if (columns) halves.begin('csv', builder, bytesRead, columns, delim);
        adopted = halves.join(bytesRead, linesRead, builder, columns !== undefined);
      }
      if (!builder.sharing) builder.reserve(estimate.rowsFor(halves ? halves.offset(bytesRead) : bytesRead, builder.rows));
      return adopted;
    },
  });
  return parser.finish();
}
