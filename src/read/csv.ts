// Delimited text (CSV, TSV, semicolons): sniffs the delimiter and header, then fills a Table with csv-parse.

import { parse } from 'csv-parse/sync';
import { ABSENT, NOT_A_NUMBER, parseCell, type Cell } from './numbers.js';
import { TableBuilder, type Table } from './table.js';

export const DELIMITERS = [',', '\t', ';', '|'] as const;
const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe' };

/** Splits one line on a delimiter, honouring double quotes; good enough to count fields while sniffing. */
export function splitFields(line: string, delimiter: string): string[] {
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

export function readDelimited(text: string, delimiter: string): Table {
  const records = parse(text, {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;

  const builder = new TableBuilder(records.length);
  const format = `csv (${DELIMITER_NAMES[delimiter]}-separated)`;
  if (records.length === 0) return builder.finish(format);

  const hasHeader = looksLikeHeader(records[0].record);
  const header = hasHeader ? records[0].record : records[0].record.map((_, i) => `column ${i + 1}`);
  const body = hasHeader ? records.slice(1) : records;
  const names = uniqueNames(header);
  const numeric = numericColumns(body, names.length, header);
  const columnIndex = names.map((name, i) => (numeric[i] ? builder.column(name) : -1));
  const endsWithNewline = /[\r\n]$/.test(text);

  body.forEach(({ record, info }, k) => {
    const line = info.lines;
    if (isRepeatedHeader(record, header)) { builder.markBoundary(); return; }
    const isLast = k === body.length - 1;
    const cells = record.map(parseCell);
    const damaged = record.length < names.length
      || record.slice(names.length).some((c) => c.trim() !== '')
      || cells.some((cell, i) => i < names.length && numeric[i] && cell === NOT_A_NUMBER);
    if (damaged) {
      if (isLast && !endsWithNewline) builder.notes.push(`the last line (${line}) is cut off, as in a log still being written; it was ignored`);
      else builder.skipped.add(line);
      return;
    }
    builder.beginRow(line);
    let any = false;
    cells.forEach((cell, i) => {
      if (i < names.length && columnIndex[i] >= 0 && typeof cell === 'number') {
        builder.set(columnIndex[i], cell);
        any = true;
      }
    });
    if (!any) builder.discardRow();
  });
  return builder.finish(format);
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

/** A column is numeric when most of its filled cells are numbers (NaN spellings count as numbers). */
function numericColumns(body: Array<{ record: string[] }>, width: number, header: string[]): boolean[] {
  const numbers = new Array<number>(width).fill(0);
  const texts = new Array<number>(width).fill(0);
  for (const { record } of body) {
    if (isRepeatedHeader(record, header)) continue;
    for (let i = 0; i < width && i < record.length; i++) {
      const cell: Cell = parseCell(record[i]);
      if (cell === ABSENT) continue;
      if (cell === NOT_A_NUMBER) texts[i]++;
      else numbers[i]++;
    }
  }
  // a few garbage rows must not turn a loss column into text; a column of timestamps must not count as numbers
  return numbers.map((n, i) => n > 0 && n >= 4 * texts[i]);
}

function isRepeatedHeader(record: string[], header: string[]): boolean {
  return record.length >= 2 && record.every((cell, i) => cell.trim() === (header[i] ?? '').trim());
}
