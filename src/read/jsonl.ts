// JSON Lines: one object per line, rows of different kinds interleaved, numbers as strings, Python's NaN tokens.

import { parseCell } from './numbers.js';
import { parseRelaxedJson } from './relaxed-json.js';
import { TableBuilder, type Table } from './table.js';

const MAX_DEPTH = 4; // deep enough for {"train": {"loss": ...}}; media blobs in W&B rows go deeper and are skipped

/** Copies the numeric leaves of a record into the current row; nested keys join with "/". */
export function addRecord(builder: TableBuilder, record: Record<string, unknown>, prefix = '', depth = 0): boolean {
  let any = false;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const name = prefix + key;
    let number: number | undefined;
    if (typeof value === 'number') number = value === 0 ? 0 : value;
    else if (value === null) number = NaN; // a logged null is a value that went bad, not a gap
    else if (typeof value === 'string') {
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

export function readJsonLines(text: string): Table {
  const builder = new TableBuilder();
  const lines = text.split(/\r\n|\n|\r/);
  // a final newline leaves one empty string behind; without one, the last line may be cut off mid-write
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  lines.forEach((raw, k) => {
    const line = k + 1;
    const text = raw.trim();
    if (text === '') return;
    let record: unknown;
    try {
      record = text.startsWith('{') ? parseRelaxedJson(text) : undefined;
    } catch {
      record = undefined;
    }
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      if (k === lines.length - 1 && !endsWithNewline && text.startsWith('{')) {
        builder.notes.push(`the last line (${line}) is cut off, as in a log still being written; it was ignored`);
      } else builder.skipped.add(line);
      return;
    }
    builder.beginRow(line);
    if (!addRecord(builder, record as Record<string, unknown>)) builder.discardRow();
  });
  return builder.finish('jsonl');
}
