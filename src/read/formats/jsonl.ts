// JSON Lines: one object per line, rows of different kinds interleaved, numbers as strings, Python's NaN tokens.

import { parseCell } from '../engine/numbers.js';
import { parseRelaxedJson } from '../engine/relaxed-json.js';
import { readJsonlFast } from '../engine/jsonl-fast.js';
import type { Format, LineParser } from '../format.js';
import { TableBuilder, type Table } from '../table.js';

const MAX_DEPTH = 4; // deep enough for {"train": {"loss": ...}}; media blobs in W&B rows go deeper and are skipped

/** Copies the numeric leaves of a record into the current row; nested keys join with "/". */
export function addRecord(builder: TableBuilder, record: Record<string, unknown>, prefix = '', depth = 0): boolean {
  let any = false;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const name = prefix + key;
    let number: number | undefined;
    if (typeof value === 'number') number = value === 0 ? 0 : value;
    else if (value === null) {
      builder.setNull(builder.column(name)); // None or NaN: the table decides once it is read (nulls.ts)
      any = true;
      continue;
    } else if (typeof value === 'string') {
      const cell = parseCell(value);
      if (typeof cell === 'number') number = cell;
    } else if (typeof value === 'object' && !Array.isArray(value) && depth < MAX_DEPTH) {
      if (addRecord(builder, value as Record<string, unknown>, `${name}/`, depth + 1)) any = true;
      continue;
    }
    if (number === undefined) continue;
    builder.set(builder.column(name), number);
    any = true;
  }
  return any;
}

/** Lines that start like a JSON object, among the sample's non-empty lines. */
export function jsonLineShare(sample: string[]): number {
  const lines = sample.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  return lines.filter((l) => l.trimStart().startsWith('{')).length / lines.length;
}

/** Reads one JSON object per line; a line that is no object is skipped, a cut-off last line is noted. */
export class JsonlLineParser implements LineParser {
  readonly builder: TableBuilder;

  constructor(capacityHint?: number) {
    this.builder = new TableBuilder(capacityHint);
  }

  line(text: string, lineNo: number, terminated: boolean): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    let record: unknown;
    try {
      record = trimmed.startsWith('{') ? parseRelaxedJson(trimmed) : undefined;
    } catch {
      record = undefined;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      if (!terminated && trimmed.startsWith('{')) {
        this.builder.notes.push(`the last line (${lineNo}) is cut off, as in a log still being written; it was ignored`);
      } else this.builder.skipped.add(lineNo);
      return;
    }
    this.builder.beginRow(lineNo);
    if (!addRecord(this.builder, record as Record<string, unknown>)) this.builder.discardRow();
  }

  overlong(lineNo: number): void {
    this.builder.skipped.add(lineNo);
  }

  finish(): Table {
    return this.builder.finish('jsonl');
  }
}

export const jsonl: Format = {
  id: 'jsonl',
  // most lines must be objects: a text log with one JSON line in it is not JSONL
  matches: (head) => !head.binary && jsonObjectShare(head.lines) >= 0.5,
  lines: () => new JsonlLineParser(),
  read: (source) => readJsonlFast(source, (rows) => new JsonlLineParser(rows)),
};

/** Lines opening a JSON object ({"key" or {}), among the non-empty ones; Python's printed dicts ({'loss': 2.3}) are stdout. */
function jsonObjectShare(sample: string[]): number {
  const lines = sample.filter((l) => l.trim() !== '');
  if (lines.length === 0) return 0;
  return lines.filter((l) => /^\s*\{\s*["}]/.test(l)).length / lines.length;
}
