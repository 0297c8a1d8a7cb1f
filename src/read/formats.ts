// The formats losscurve reads, in the order they are tried: each says from the head whether it is its own, then reads it.

import { looksLikeHeader, readDelimited, sniffDelimiter, splitFields } from './csv.js';
import { jsonLineShare, readJsonLines } from './jsonl.js';
import type { Source } from './source.js';
import type { Table } from './table.js';

/** The first bytes and lines of an input: what sniffing looks at. */
export interface Head {
  bytes: Buffer;
  /** The head's lines, BOM removed, split on any line ending. */
  lines: string[];
  binary: boolean;
}

export interface Format {
  /** The name --input-format takes. */
  id: string;
  matches(head: Head): boolean;
  read(source: Source, head: Head): Table;
}

/** The whole input as text, without its byte-order mark. */
export function textOf(source: Source): string {
  const text = source.bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const jsonl: Format = {
  id: 'jsonl',
  // most lines must be objects: a text log with one JSON line in it is not JSONL
  matches: (head) => !head.binary && jsonLineShare(head.lines) >= 0.5,
  read: (source) => readJsonLines(textOf(source)),
};

const csv: Format = {
  id: 'csv',
  matches: (head) => {
    if (head.binary) return false;
    const delimiter = sniffDelimiter(head.lines);
    const first = head.lines.find((l) => l.trim() !== '');
    return delimiter !== undefined && first !== undefined && looksLikeHeader(splitFields(first, delimiter));
  },
  read: (source, head) => readDelimited(textOf(source), sniffDelimiter(head.lines) ?? ','),
};

export const FORMATS: readonly Format[] = [jsonl, csv];
