// What a format is: the contract every entry of formats/index.ts meets (a file's, from its head; a folder's, from its listing), and the marks a format leaves on its tables.

import { InputError } from './errors.js';
import type { Source } from './engine/source.js';
import type { Table, TableBuilder } from './table.js';

/** The first bytes and lines of an input: what sniffing looks at. */
export interface Head {
  bytes: Buffer;
  /** The head's lines, BOM removed, split on any line ending. */
  lines: string[];
  binary: boolean;
  /** The input's path when known: an MLflow metric file is named by its metric. */
  name?: string;
}

/** A reader fed one line at a time: diagnose feeds a whole file, watch feeds lines as they are written. */
export interface LineParser {
  readonly builder: TableBuilder;
  /** One line without its ending; `terminated` is false for a last line with no ending (maybe cut off mid-write). */
  line(text: string, lineNo: number, terminated: boolean): void;
  /** A line too long to hold: skipped and counted. */
  overlong(lineNo: number): void;
  finish(): Table;
}

/** A file format: says from the head whether an input is its own, then reads it, line by line or whole. */
export interface Format {
  /** The name --input-format takes. */
  id: string;
  matches(head: Head): boolean;
  /** Line formats (text logs): a parser to feed line by line. */
  lines?(head: Head): LineParser;
  /**
   * Whole-input formats (binary files, JSON documents, directories): read at once. A line format may
   * offer one too, as its fast way through a whole file; it must give the same Table as its lines.
   */
  read?(source: Source, head: Head): Table;
  /** A trainer's own log format: its tables are marked Table.trainerLog (see there), by withFormatMarks. */
  trainerLog?: true;
}

/** The table as its format marks it: a trainer's own format says so whatever reader or path made the table. */
export function withFormatMarks(table: Table, format: { trainerLog?: true }): Table {
  return format.trainerLog ? { ...table, trainerLog: true } : table;
}

/**
 * A whole input's table, marked by its format; refused when it has no rows, unless it is a trainer's log
 * (one that logged nothing yet is reported as holding no loss). diagnose and watch's final report both end here.
 */
export function finishedTable(table: Table, format: Format, name: string): Table {
  const marked = withFormatMarks(table, format);
  if (marked.rows === 0 && !marked.trainerLog) {
    const why = marked.skipped.count > 0 ? `; ${marked.skipped.describe()}` : '';
    const line = marked.skipped.lines[0] ?? marked.headerLine;
    throw new InputError(`has no data rows (read as ${marked.format})${why}; a log needs a header and at least one row of values`, name, line);
  }
  return marked;
}

/** Reads a file by content, as `diagnose FILE` would. */
export type ReadFile = (path: string) => Table;

/** A folder format: says from the folder's listing whether it is its own, then reads the run in it. */
export interface FolderFormat {
  /** The name --input-format takes. */
  id: string;
  /** What it looks for, for the error when nothing is found. */
  lookedFor: string;
  matches(dir: string): boolean;
  read(dir: string, readFile: ReadFile): Table;
  /** See Format.trainerLog. */
  trainerLog?: true;
}
