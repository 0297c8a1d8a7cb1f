// The formats losscurve reads, in the order they are tried: each says from the head whether it is its own, then reads it.

import { CsvLineParser, looksLikeHeader, sniffDelimiter, splitFields } from './csv.js';
import { readCsvFast } from '../engine/csv-fast.js';
import { InputError } from '../errors.js';
import { JsonlLineParser } from './jsonl.js';
import { readJsonlFast } from '../engine/jsonl-fast.js';
import { hfTrainerState } from './hf-trainer-state.js';
import { kerasCsv } from './keras-csv.js';
import { kerasHistory } from './keras-history.js';
import { llamaFactoryLog } from './llamafactory.js';
import { looksLikeMetricFile, metricKeyOf, MetricLineParser } from './mlflow/metric-file.js';
import { parseCell } from '../engine/numbers.js';
import type { Source } from '../engine/source.js';
import type { Table, TableBuilder } from '../table.js';
import { readEventFile } from './tensorboard/event-file.js';
import { startsWithTfRecord } from './tensorboard/tfrecord.js';
import { TextLineParser } from './text/parser.js';
import { looksLikeTrainingLog } from './text/sniff.js';
import { wandbChart, wandbRunsTable } from './wandb-export.js';
import { wandbHistory } from './wandb-history.js';

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

const jsonl: Format = {
  id: 'jsonl',
  // most lines must be objects: a text log with one JSON line in it is not JSONL
  matches: (head) => !head.binary && jsonObjectShare(head.lines) >= 0.5,
  lines: () => new JsonlLineParser(),
  read: (source) => readJsonlFast(source),
};

const csv: Format = {
  id: 'csv',
  matches: (head) => {
    if (head.binary) return false;
    const delimiter = sniffDelimiter(head.lines);
    const first = head.lines.find((l) => l.trim() !== '');
    return delimiter !== undefined && first !== undefined && looksLikeHeader(splitFields(first, delimiter))
      && hasNumericRows(head.lines, delimiter);
  },
  lines: (head) => new CsvLineParser(sniffDelimiter(head.lines) ?? ','),
  read: (source, head) => readCsvFast(source, sniffDelimiter(head.lines) ?? ','),
};

// The most general format: any training stdout whose head holds enough key/value records. Tried last.
const text: Format = {
  id: 'text',
  matches: (head) => !head.binary && looksLikeTrainingLog(head.bytes, head.lines),
  lines: () => new TextLineParser(),
};


/** Lines opening a JSON object ({"key" or {}), among the non-empty ones; Python's printed dicts ({'loss': 2.3}) are stdout. */
function jsonObjectShare(sample: string[]): number {
  const lines = sample.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  return lines.filter((l) => /^\s*\{\s*["}]/.test(l)).length / lines.length;
}

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

const tensorboard: Format = {
  id: 'tensorboard',
  // TFRecord framing whose first length CRC verifies: binary, and never by chance
  matches: (head) => startsWithTfRecord(head.bytes),
  read: (source) => readEventFile(source),
  trainerLog: true,
};

const mlflowMetric: Format = {
  id: 'mlflow',
  // `<ms-timestamp> <value> <step>` lines: space-separated, so CSV would not claim them, but they must come before it
  matches: (head) => !head.binary && looksLikeMetricFile(head.lines),
  lines: (head) => new MetricLineParser(metricKeyOf(head.name)),
  trainerLog: true,
};

// Binary formats first (their framing is checked), then each trainer's flavour before the general format it is
// written in: a one-line JSON document also looks like JSONL, and a W&B or Keras export is CSV with a particular header.
// Training stdout is the most general of all and comes last.
export const FORMATS: readonly Format[] = [
  tensorboard,
  hfTrainerState, kerasHistory,
  llamaFactoryLog, wandbHistory, jsonl,
  mlflowMetric,
  wandbChart, wandbRunsTable, kerasCsv, csv,
  text,
];
