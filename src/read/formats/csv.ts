// Delimited text (CSV, TSV, semicolons): sniffs the delimiter and header, then reads rows line by line into a Table.

import { parse } from 'csv-parse/sync';
import { ABSENT, NOT_A_NUMBER, parseCell } from '../engine/numbers.js';
import { TableBuilder, type Table } from '../table.js';
import { readCsvFast } from '../engine/csv-fast.js';
import type { Format, LineParser } from '../format.js';

export const DELIMITERS = [',', '\t', ';', '|'] as const;
const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };

/** Splits one line on a delimiter, honouring double quotes; good enough to count fields while sniffing. */
export function splitFields(line: string, delimiter: string): string[] {
  // without a quote the walk below is a plain split, and the native one is many times faster on a cold start
  if (!line.includes('"')) return line.split(delimiter);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') quoted = true;
    else if (c === delimiter) { fields.push(field); field = ''; }
    else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * The delimiter that splits the sample lines into the same number (at least 2) of fields most
 * consistently; ties go to the one with more fields. Undefined when none does.
 */
export function sniffDelimiter(sample: string[]): string | undefined {
  const lines = sample.filter((l) => l.trim() !== '').slice(0, 50);
  if (lines.length === 0) return undefined;
  let best: { delimiter: string; agree: number; fields: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((l) => splitFields(l, delimiter).length);
    const header = counts[0];
    if (header < 2) continue;
    const agree = counts.filter((c) => c === header).length / counts.length;
    // most rows must split like the header: stray garbage lines are allowed, a different layout is not
    if (agree < 0.6) continue;
    if (!best || agree > best.agree + 0.1 || (Math.abs(agree - best.agree) <= 0.1 && header > best.fields)) {
      best = { delimiter, agree, fields: header };
    }
  }
  return best?.delimiter;
}

/** True when a line reads as a header: at least one cell is text that is no number and no NaN spelling. */
export function looksLikeHeader(cells: string[]): boolean {
  return cells.some((c) => c.trim() !== '' && parseCell(c) === NOT_A_NUMBER);
}

type Kind = 'unknown' | 'number' | 'text';

/**
 * Reads delimited rows one line at a time. A column's kind is settled by its first filled cell: a
 * number (or NaN spelling) makes it numeric, anything else makes it text (timestamps, run names),
 * ignored from then on. A row is skipped (and counted) when it has too few or too many cells, or
 * text in a numeric column; a cut-off last line is noted instead. Lines holding a double quote go
 * through csv-parse, which knows RFC 4180 quoting; a quoted field spanning lines is joined first.
 */
export class CsvLineParser implements LineParser {
  readonly builder: TableBuilder;
  private header: string[] | undefined;
  private names: string[] = [];
  private kinds: Kind[] = [];
  private columns: number[] = [];
  private openQuote: { text: string; lineNo: number } | undefined;
  // scratch for numericRow: which cells of the row go in, and the columns as a typed array
  private take = new Uint8Array(0);
  private columnIndex = new Int32Array(0);
  /** Every column's kind is settled as a number (kinds never change once settled). */
  private allNumbers = false;

  constructor(readonly delimiter: string, capacityHint?: number) {
    this.builder = new TableBuilder(capacityHint);
  }

  /** Cells a row must have, once the header is read; undefined before. */
  get width(): number | undefined {
    return this.header ? this.names.length : undefined;
  }

  /** True when a plain line of numbers may skip `line` and go to `numericRow` (header read, no quoted field open). */
  get takesNumericRows(): boolean {
    return this.header !== undefined && this.openQuote === undefined;
  }

  /**
   * The table column of each cell, once a row of numbers needs nothing but its cells added (every
   * column numeric, no quoted field open): rows are then taken in bulk (csv-rows.ts). Undefined before.
   */
  plainRowColumns(): Int32Array | undefined {
    return this.allNumbers && this.takesNumericRows && this.columnIndex.length === this.names.length ? this.columnIndex : undefined;
  }

  line(text: string, lineNo: number, terminated: boolean): void {
    if (this.openQuote) {
      text = `${this.openQuote.text}\n${text}`;
      lineNo = this.openQuote.lineNo;
      this.openQuote = undefined;
    }
    if (text.trim() === '') return;
    let fields: string[];
    if (text.includes('"')) {
      if (countQuotes(text) % 2 === 1 && terminated) {
        this.openQuote = { text, lineNo };
        return;
      }
      fields = this.parseQuoted(text);
    } else fields = text.split(this.delimiter);
    if (!this.header) return this.start(fields, lineNo, terminated);
    if (this.isHeader(fields)) return this.builder.markBoundary();
    this.row(fields, lineNo, terminated);
  }

  overlong(lineNo: number): void {
    this.builder.skipped.add(lineNo);
  }

  finish(): Table {
    if (this.openQuote) this.builder.skipped.add(this.openQuote.lineNo);
    return this.builder.finish(`csv (${DELIMITER_NAMES[this.delimiter]}-separated)`);
  }

  private parseQuoted(text: string): string[] {
    try {
      const records = parse(text, { delimiter: this.delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
      return records[0] ?? [];
    } catch {
      return splitFields(text, this.delimiter);
    }
  }

  private start(fields: string[], lineNo: number, terminated: boolean): void {
    const hasHeader = looksLikeHeader(fields);
    if (hasHeader) this.builder.headerLine = lineNo;
    this.header = hasHeader ? fields : fields.map((_, i) => `column ${i + 1}`);
    this.names = uniqueNames(this.header);
    this.kinds = this.names.map(() => 'unknown');
    this.columns = this.names.map((name) => this.builder.column(name));
    if (!hasHeader) this.row(fields, lineNo, terminated);
  }

  private isHeader(fields: string[]): boolean {
    const header = this.header!;
    return fields.length >= 2 && fields.every((cell, i) => cell.trim() === (header[i] ?? '').trim());
  }

  private row(fields: string[], lineNo: number, terminated: boolean): void {
    const width = this.names.length;
    let damaged = fields.length < width;
    for (let i = width; i < fields.length && !damaged; i++) if (fields[i].trim() !== '') damaged = true;
    const cells = new Array<number | undefined>(width);
    for (let i = 0; i < width && !damaged; i++) {
      const cell = parseCell(fields[i]);
      if (cell === ABSENT) continue;
      if (cell === NOT_A_NUMBER) {
        if (this.kinds[i] === 'unknown') this.kinds[i] = 'text';
        else if (this.kinds[i] === 'number') damaged = true;
        continue;
      }
      if (this.kinds[i] === 'unknown') this.kinds[i] = 'number';
      if (this.kinds[i] === 'number') cells[i] = cell;
    }
    if (damaged) {
      if (!terminated) this.builder.notes.push(`the last line (${lineNo}) is cut off, as in a log still being written; it was ignored`);
      else this.builder.skipped.add(lineNo);
      return;
    }
    let any = false;
    for (let i = 0; i < width; i++) if (cells[i] !== undefined) { any = true; break; }
    if (!any) return;
    this.builder.beginRow(lineNo);
    for (let i = 0; i < width; i++) if (cells[i] !== undefined) this.builder.set(this.columns[i], cells[i]!);
  }

  /**
   * A whole, terminated row whose `width` cells are each a number or a gap (`has[i]` 0), as a fast
   * reader found them: the same outcome as `line` would have, without the text.
   */
  numericRow(values: Float64Array, has: Uint8Array, lineNo: number): void {
    const width = this.names.length;
    if (this.take.length !== width) { this.take = new Uint8Array(width); this.columnIndex = Int32Array.from(this.columns); }
    if (this.allNumbers) {
      // the usual state once every column has had a number: each cell present goes in as it is
      for (let i = 0; i < width; i++) if (has[i]) { this.builder.addRow(lineNo, this.columnIndex, values, has, width); return; }
      return;
    }
    this.allNumbers = this.kinds.every((k) => k === 'number');
    let any = false;
    for (let i = 0; i < width; i++) {
      let take = 0;
      if (has[i]) {
        if (this.kinds[i] === 'unknown') this.kinds[i] = 'number';
        if (this.kinds[i] === 'number') { take = 1; any = true; }
      }
      this.take[i] = take;
    }
    if (any) this.builder.addRow(lineNo, this.columnIndex, values, this.take, width);
  }
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** Header cells made unique and non-empty, so every column has a name to show. */
function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  const names = header.map((raw, i) => {
    const base = raw.trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
  // a trailing delimiter leaves one unnamed, empty column: drop it rather than show it
  if (header.length > 1 && header[header.length - 1].trim() === '') names.pop();
  return names;
}

export const csv: Format = {
  id: 'csv',
  matches: (head) => {
    if (head.binary) return false;
    const delimiter = sniffDelimiter(head.lines);
    const first = head.lines.find((l) => l.trim() !== '');
    return delimiter !== undefined && first !== undefined && looksLikeHeader(splitFields(first, delimiter))
      && hasNumericRows(head.lines, delimiter);
  },
  lines: (head) => new CsvLineParser(sniffDelimiter(head.lines) ?? ','),
  read: (source, head) => {
    const delimiter = sniffDelimiter(head.lines) ?? ',';
    return readCsvFast(source, delimiter, (rows) => new CsvLineParser(delimiter, rows));
  },
};

const MIN_NUMERIC_ROWS = 0.5; // most rows of a CSV log hold a number; log lines that happen to hold commas hold none
const SNIFF_ROWS = 50;

/**
 * Whether most rows that split like the header have a numeric cell (a header alone still counts as CSV,
 * to be told it has no rows). Rows of another width (a traceback's lines) are garbage to skip, not evidence.
 */
function hasNumericRows(sample: string[], delimiter: string): boolean {
  const lines = sample.filter((l) => l.trim() !== '');
  const width = lines.length ? splitFields(lines[0], delimiter).length : 0;
  const rows = lines.slice(1, 1 + SNIFF_ROWS).map((l) => splitFields(l, delimiter)).filter((cells) => cells.length === width);
  if (rows.length === 0) return lines.length <= 1;
  const numeric = rows.filter((cells) => cells.some((cell) => typeof parseCell(cell) === 'number'));
  return numeric.length >= MIN_NUMERIC_ROWS * rows.length;
}
