// Reading, top to bottom: bytes from a source (or a folder), the format recognised by content (formats/index.ts, in order), then that format's reader.

import { isControl, looksBinary } from './engine/bytes.js';
import { BinaryTail } from './engine/byte-lines.js';
import { chunksOf, firstBytes, sizeOf } from './engine/chunks.js';
import { EMPTY_INPUT, InputError } from './errors.js';
import { finishedTable, withFormatMarks, type Format, type Head, type LineParser, type ReadFile } from './format.js';
import { FOLDER_FORMATS, FORMATS } from './formats/index.js';
import { warmHelperFor } from './engine/halves.js';
import { LineSplitter } from './engine/lines.js';
import { MAX_ENTRIES, takeCutFolders } from './engine/listing.js';
import { readFileSource, type Source } from './engine/source.js';
import type { Table } from './table.js';

export { readFileSource, readStdinSource, type Source } from './engine/source.js';
export type { Table } from './table.js';

export const HEAD_BYTES = 64 * 1024; // enough lines to see a header and a few dozen rows
export const HEAD_LINES = 200; // and at most this many of them: a header and rows, past any preamble

/** The head of an input whose first bytes are `bytes` and whose whole size is `size` bytes; `name` is its path, when known. */
export function headOf(bytes: Buffer, size = bytes.length, name?: string): Head {
  const slice = bytes.subarray(0, HEAD_BYTES);
  let text = slice.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/, HEAD_LINES + 1);
  // the head may end mid-line: the last piece is not a whole line unless the whole file fits
  if (size > HEAD_BYTES) lines.pop();
  return { bytes: slice, lines, binary: looksBinary(slice), name };
}

export interface ReadOptions {
  /** Feed a line format line by line even where it has a fast whole-file reader (the reference path, for tests). */
  lineByLine?: boolean;
}

/** Reads a table out of the source, by the named format or by the first format that recognises the content. */
export function readTable(source: Source, formatId?: string, options: ReadOptions = {}): Table {
  if (source.directory) return readFolder(source.name, formatId, (path) => readTable(readFileSource(path)));
  const size = sizeOf(source);
  if (size === 0) throw new InputError(EMPTY_INPUT, source.name);
  // a file big enough to be read in halves starts the helper thread now: its start overlaps the sniffing
  if (source.path !== undefined && size !== undefined) warmHelperFor(size);
  // a stream's size is unknown: one byte past the head says whether it holds more
  const first = firstBytes(source, HEAD_BYTES + 1);
  if (first.length === 0) throw new InputError(EMPTY_INPUT, source.name);
  const head = headOf(first, size ?? first.length, source.name);
  const format = formatId ? formatById(formatId, source.name) : FORMATS.find((f) => f.matches(head));
  if (!format) {
    const what = head.binary ? 'binary data' : 'text';
    const tried = FORMATS.map((f) => f.id).join(', ');
    const line = head.binary ? firstControlLine(head.bytes) : undefined;
    throw new InputError(`is ${what} in no log format losscurve reads (tried ${tried}); give a training log, or --input-format to force one`, source.name, line);
  }
  // a whole-input reader is the fast way through a file; the line parser is the reference and what watch uses
  const byLines = format.lines && (options.lineByLine || !format.read);
  try {
    return finishedTable(byLines ? readLines(source, format.lines!(head)) : format.read!(source, head), format, source.name);
  } catch (error) {
    // a ceiling met deep in a reader (columns) names no file
    if (error instanceof InputError && error.file === '') throw new InputError(error.message, source.name, error.line);
    throw error;
  }
}

/** Feeds a whole input to a line parser. */
function readLines(source: Source, parser: LineParser): Table {
  const splitter = new LineSplitter(
    (text, lineNo, terminated) => parser.line(text, lineNo, terminated),
    (lineNo) => parser.overlong(lineNo),
  );
  const tail = new BinaryTail(source.name);
  for (const chunk of chunksOf(source)) {
    splitter.push(chunk);
    tail.after(chunk, parser.builder.rows, splitter.lines);
  }
  splitter.end();
  return parser.finish();
}

function formatById(id: string, name: string): Format {
  const format = FORMATS.find((f) => f.id === id);
  if (!format && FOLDER_FORMATS.some((f) => f.id === id)) {
    throw new InputError(`--input-format ${id} reads a folder, not a file; give the folder (a file inside it is read as csv, jsonl, ...)`, name);
  }
  if (!format) throw new InputError(`--input-format ${id} is not a format losscurve reads; use one of ${[...new Set([...FORMATS, ...FOLDER_FORMATS].map((f) => f.id))].join(', ')}`, name);
  return format;
}

/** The line holding the first byte that marks binary data, for the error to point at. */
function firstControlLine(bytes: Buffer): number {
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 10) line++;
    else if (isControl(b)) return line;
  }
  return line;
}

/** Reads a folder by the named format, or by the first that recognises it; a listing cut at MAX_ENTRIES is noted, or named in the error. */
export function readFolder(dir: string, formatId: string | undefined, readFile: ReadFile): Table {
  takeCutFolders();
  let table: Table;
  try {
    table = readFolderAs(dir, formatId, readFile);
  } catch (error) {
    const cut = cutNote();
    if (error instanceof InputError && cut) throw new InputError(`${error.message} (${cut})`, error.file, error.line);
    throw error;
  }
  const cut = cutNote();
  return cut ? { ...table, notes: [...table.notes, cut] } : table;
}

/** What was left unlisted, as one note; undefined when every folder was listed whole. */
function cutNote(): string | undefined {
  const cut = takeCutFolders();
  if (cut.length === 0) return undefined;
  const [path, entries] = cut[0];
  const more = cut.length > 1 ? ` and ${cut.length - 1} more folder${cut.length > 2 ? 's' : ''}` : '';
  return `only the first ${MAX_ENTRIES} of the ${entries} entries of ${path}${more} were looked at (by name); give the run's own folder`;
}

function readFolderAs(dir: string, formatId: string | undefined, readFile: ReadFile): Table {
  if (formatId !== undefined) {
    const format = FOLDER_FORMATS.find((f) => f.id === formatId);
    if (!format) {
      const ids = FOLDER_FORMATS.map((f) => f.id).join(', ');
      throw new InputError(`is a directory; --input-format ${formatId} reads a file (folders are read as ${ids}); give the log file inside it`, dir);
    }
    return withFormatMarks(format.read(dir, readFile), format);
  }
  const format = FOLDER_FORMATS.find((f) => f.matches(dir));
  if (!format) {
    const looked = FOLDER_FORMATS.map((f) => f.lookedFor).join('; ');
    throw new InputError(`is a directory holding no log losscurve reads (looked for ${looked}); give a log file or one of these folders`, dir);
  }
  return withFormatMarks(format.read(dir, readFile), format);
}
