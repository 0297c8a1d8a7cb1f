// The formats losscurve reads, in the order they are tried: each says from the head whether it is its own, then reads it.

import { CsvLineParser, looksLikeHeader, sniffDelimiter, splitFields } from './csv.js';
import { readCsvFast } from './csv-fast.js';
import { JsonlLineParser, jsonLineShare } from './jsonl.js';
import { readJsonlFast } from './jsonl-fast.js';
import type { Source } from './source.js';
import type { Table, TableBuilder } from './table.js';

/** The first bytes and lines of an input: what sniffing looks at. */
export interface Head {
  bytes: Buffer;
  /** The head's lines, BOM removed, split on any line ending. */
  lines: string[];
  binary: boolean;
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
}

const jsonl: Format = {
  id: 'jsonl',
  // most lines must be objects: a text log with one JSON line in it is not JSONL
  matches: (head) => !head.binary && jsonLineShare(head.lines) >= 0.5,
  lines: () => new JsonlLineParser(),
  read: (source) => readJsonlFast(source),
};

const csv: Format = {
  id: 'csv',
  matches: (head) => {
    if (head.binary) return false;
    const delimiter = sniffDelimiter(head.lines);
    const first = head.lines.find((l) => l.trim() !== '');
    return delimiter !== undefined && first !== undefined && looksLikeHeader(splitFields(first, delimiter));
  },
  lines: (head) => new CsvLineParser(sniffDelimiter(head.lines) ?? ','),
  read: (source, head) => readCsvFast(source, sniffDelimiter(head.lines) ?? ','),
};

export const FORMATS: readonly Format[] = [jsonl, csv];
