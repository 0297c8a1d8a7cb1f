// Bytes in chunks → lines, for the fast readers: each line is offered as bytes first, and as text (exactly as LineSplitter gives it) when refused.

import { CR, LF, looksBinary } from './bytes.js';
import { InputError } from '../errors.js';
import { MAX_LINE } from './lines.js';

/** What a fast reader does with each line. */
export interface ByteLineReader {
  /**
   * A whole, terminated line as bytes [start, end) of `bytes`, without its ending. Returns false to
   * refuse it (anything unusual): the line is then decoded and passed to `text`.
   */
  bytes(bytes: Buffer, start: number, end: number, lineNo: number): boolean;
  /** A line as text, as LineSplitter gives it to a line parser. */
  text(text: string, lineNo: number, terminated: boolean): void;
  /** A line too long to hold. */
  overlong(lineNo: number): void;
  /**
   * Called after each chunk with the bytes and lines consumed so far, so a reader can size its arrays. It
   * returns how many lines were read elsewhere (by the helper thread) between this chunk and the next, if any.
   */
  progress?(bytesRead: number, linesRead: number, chunk: Buffer): number | void;
  /**
   * Optional: takes as many whole lines from `start` (line `lineNo`) as it can in one go, the bulk of a
   * big file, and returns how many, with `next.at` set to where the line after them starts. It must take
   * only lines it would also take one by one through `bytes`; the rest come to `bytes` or `text` as usual.
   */
  rows?(bytes: Buffer, start: number, end: number, lineNo: number, next: { at: number }): number;
}

// a line's decoded length is at least a third of its bytes (UTF-8 needs at most 3 bytes per UTF-16 unit,
// 4 per pair), so past this many bytes it is certainly over MAX_LINE and need not be held to decide
const SURELY_OVERLONG_BYTES = 3 * MAX_LINE;

/**
 * Splits bytes into lines the way LineSplitter does (LF, CRLF and bare CR end a line; a BOM at the
 * start is dropped; a line over MAX_LINE characters is counted, not held; a last line without an
 * ending is passed as text with terminated = false), but without decoding the lines a reader takes as bytes.
 */
export function scanLines(chunks: Iterable<Buffer>, reader: ByteLineReader): void {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  let lineNo = 0;
  let carry: Buffer | undefined; // the start of a line the last chunk cut
  let skipping = false; // inside a line already known to be overlong
  let lastWasCR = false;
  let first = true;
  let bytesRead = 0;
  const next = { at: 0 };

  const slow = (bytes: Buffer, start: number, end: number, terminated: boolean) => {
    lineNo++;
    if (end - start > MAX_LINE) {
      const text = decoder.decode(bytes.subarray(start, end));
      if (text.length > MAX_LINE) reader.overlong(lineNo);
      else reader.text(text, lineNo, terminated);
    } else reader.text(decoder.decode(bytes.subarray(start, end)), lineNo, terminated);
  };

  /** The lines of buf from pos on; bytes before `fresh` are known to hold no line ending. Keeps a cut-off last line as `carry`. */
  const scan = (buf: Buffer, pos: number, fresh: number) => {
    const n = buf.length;
    // the next LF and CR are searched for only once passed: each search covers the buffer once
    let lf = -2;
    let cr = -2;
    let from = fresh;
    while (pos < n) {
      if (reader.rows && !skipping) {
        const taken = reader.rows(buf, pos, n, lineNo + 1, next);
        if (taken > 0) {
          lineNo += taken;
          pos = from = next.at;
          if (pos >= n) break;
        }
      }
      if (lf !== -1 && lf < from) lf = buf.indexOf(LF, from);
      if (cr !== -1 && cr < from) cr = buf.indexOf(CR, from);
      const brk = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (brk < 0) break;
      if (skipping) {
        skipping = false;
        reader.overlong(++lineNo);
      } else if (brk - pos > MAX_LINE || !reader.bytes(buf, pos, brk, lineNo + 1)) slow(buf, pos, brk, true);
      else lineNo++;
      if (buf[brk] === CR) {
        if (brk + 1 < n && buf[brk + 1] === LF) pos = brk + 2;
        else if (brk + 1 === n) { lastWasCR = true; pos = n; }
        else pos = brk + 1;
      } else pos = brk + 1;
      from = pos;
    }
    if (pos < n && !skipping) {
      if (n - pos > SURELY_OVERLONG_BYTES) skipping = true;
      else carry = buf.subarray(pos);
    }
  };

  for (let chunk of chunks) {
    bytesRead += chunk.length;
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const held = carry;
    carry = undefined;
    if (!held) {
      const pos = lastWasCR && chunk.length > 0 && chunk[0] === LF ? 1 : 0;
      lastWasCR = false;
      scan(chunk, pos, pos);
    } else {
      // the line the last chunk cut is finished with this chunk's bytes up to its first LF, and only those are
      // copied (not the whole chunk); without an LF, the chunk is all the cut line's (or ends with bare CRs)
      const cut = chunk.indexOf(LF);
      if (cut >= 0) {
        scan(Buffer.concat([held, chunk.subarray(0, cut + 1)]), 0, held.length);
        scan(chunk.subarray(cut + 1), 0, 0);
      } else scan(Buffer.concat([held, chunk]), 0, held.length);
    }
    lineNo += reader.progress?.(bytesRead, lineNo, chunk) || 0;
  }
  if (skipping) reader.overlong(++lineNo);
  else if (carry && carry.length > 0) slow(carry, 0, carry.length, false);
}

// After this many bytes without a new row (a log has one every few hundred bytes), a chunk that is binary data is
// garbage appended to the log (a crashed writer's, /dev/urandom after a header): reading on took minutes (300 MB at
// ~1.5 MB/s of lines to skip) for no row
export const MAX_ROWLESS_BYTES = 8 * 1024 * 1024;

/** Watches a reader's chunks for a binary tail: past MAX_ROWLESS_BYTES without a row, a binary chunk ends the read in one line. */
export class BinaryTail {
  private rows = -1;
  private since = 0;
  private line = 0; // the last line read when the table last gained rows: none come after it

  constructor(private readonly name: string) {}

  /** After a chunk (`rows` in the table, `linesRead` lines so far). */
  after(chunk: Uint8Array, rows: number, linesRead: number): void {
    if (rows !== this.rows) {
      this.rows = rows;
      this.since = 0;
      this.line = linesRead;
      return;
    }
    this.since += chunk.length;
    if (this.since >= MAX_ROWLESS_BYTES && looksBinary(chunk)) {
      throw new InputError(`has no row after this line, and the ${MAX_ROWLESS_BYTES >> 20} MiB after it are binary data; cut the log there, or give a clean copy`, this.name, this.line || undefined);
    }
  }
}
