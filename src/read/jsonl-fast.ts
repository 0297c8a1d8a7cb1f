// The fast way through a whole JSONL file: flat objects of numbers are read from bytes; every other line goes to JsonlLineParser, the reference.

import { scanLines } from './byte-lines.js';
import { chunksOf, sizeOf } from './chunks.js';
import { scanDecimal, scanned } from './fast-number.js';
import { JsonlLineParser } from './jsonl.js';
import { parseCell } from './numbers.js';
import { RowEstimate } from './row-estimate.js';
import type { Source } from './source.js';
import type { Table } from './table.js';

interface Key {
  name: string;
  /** The key's column, made when it first holds a number (as addRecord does); -1 before. */
  column: number;
  /** "0", "12": JavaScript lists such keys first whatever their place, so such a line takes the text path. */
  arrayIndex: boolean;
  /** The last line the key was seen on: a key twice in one line takes the text path. */
  seenOn: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const MAX_ARRAY_INDEX = 2 ** 32 - 2;
const isSpace = (b: number) => b === 32 || b === 9;
const isDigit = (b: number) => b >= 48 && b <= 57;

/** True when bytes[at, at+word.length) spell `word` (ASCII). */
function spells(bytes: Buffer, at: number, end: number, word: string): boolean {
  if (at + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** End of a JSON number starting at `at` (JSON's grammar exactly), or -1. */
function jsonNumberEnd(bytes: Buffer, at: number, end: number): number {
  let i = at;
  if (i < end && bytes[i] === 45) i++;
  if (i < end && bytes[i] === 48) i++;
  else if (i < end && isDigit(bytes[i])) while (i < end && isDigit(bytes[i])) i++;
  else return -1;
  if (i < end && bytes[i] === 46) {
    const from = ++i;
    while (i < end && isDigit(bytes[i])) i++;
    if (i === from) return -1;
  }
  if (i < end && (bytes[i] | 32) === 101) {
    i++;
    if (i < end && (bytes[i] === 43 || bytes[i] === 45)) i++;
    const from = i;
    while (i < end && isDigit(bytes[i])) i++;
    if (i === from) return -1;
  }
  return i;
}

/**
 * Reads a JSONL file with the same result as feeding its lines to JsonlLineParser. A line is taken
 * from bytes when it is one flat ASCII object whose values are numbers, null, booleans, Python's NaN
 * and Infinity tokens, or strings without escapes; nested objects, arrays, escapes, repeated keys and
 * anything malformed go to the parser itself.
 */
export function readJsonlFast(source: Source): Table {
  const estimate = new RowEstimate(sizeOf(source));
  const parser = new JsonlLineParser(estimate.initial());
  const builder = parser.builder;
  const keys = new Map<string, Key>();
  const expected: Array<{ bytes: Buffer; key: Key }> = []; // the key seen last at each position: rows repeat their layout
  let pairKeys: Key[] = [];
  let pairValues = new Float64Array(64);
  let pairs = 0;

  const keyAt = (bytes: Buffer, from: number, to: number, position: number): Key => {
    const last = expected[position];
    if (last && last.bytes.length === to - from) {
      let same = true;
      for (let k = 0; k < to - from; k++) if (last.bytes[k] !== bytes[from + k]) { same = false; break; }
      if (same) return last.key;
    }
    const name = bytes.toString('latin1', from, to);
    let key = keys.get(name);
    if (!key) {
      let digits = to > from;
      for (let k = from; k < to && digits; k++) digits = isDigit(bytes[k]);
      const arrayIndex = digits && (to - from === 1 || bytes[from] !== 48) && Number(name) <= MAX_ARRAY_INDEX;
      key = { name, column: -1, arrayIndex, seenOn: 0 };
      keys.set(name, key);
    }
    expected[position] = { bytes: Buffer.from(bytes.subarray(from, to)), key };
    return key;
  };

  const addPair = (key: Key, value: number) => {
    if (pairs === pairValues.length) {
      const wider = new Float64Array(pairs * 2);
      wider.set(pairValues);
      pairValues = wider;
    }
    pairKeys[pairs] = key;
    pairValues[pairs++] = value === 0 ? 0 : value;
  };

  /** Parses one line's object into pairs; false when the line must take the text path. */
  const objectOf = (bytes: Buffer, start: number, end: number, lineNo: number): boolean => {
    pairs = 0;
    let i = start;
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] !== 123) return false; // {
    i++;
    while (i < end && isSpace(bytes[i])) i++;
    let position = 0;
    if (i < end && bytes[i] === 125) i++; // {}
    else {
      for (;;) {
        if (i >= end || bytes[i] !== QUOTE) return false;
        const keyFrom = ++i;
        while (i < end && bytes[i] !== QUOTE) {
          const b = bytes[i];
          if (b === BACKSLASH || b < 32 || b > 126) return false;
          i++;
        }
        if (i >= end) return false;
        const key = keyAt(bytes, keyFrom, i++, position++);
        if (key.arrayIndex || key.seenOn === lineNo) return false;
        key.seenOn = lineNo;
        while (i < end && isSpace(bytes[i])) i++;
        if (i >= end || bytes[i] !== 58) return false; // :
        i++;
        while (i < end && isSpace(bytes[i])) i++;
        if (i >= end) return false;
        const b = bytes[i];
        if (b === QUOTE) {
          const from = ++i;
          while (i < end && bytes[i] !== QUOTE) {
            const c = bytes[i];
            if (c === BACKSLASH || c < 32 || c > 126) return false;
            i++;
          }
          if (i >= end) return false;
          const cell = parseCell(bytes.toString('latin1', from, i++));
          if (typeof cell === 'number') addPair(key, cell);
        } else if (b === 45 || isDigit(b)) {
          if (b === 45 && spells(bytes, i, end, '-Infinity')) { addPair(key, -Infinity); i += 9; }
          else if (scanDecimal(bytes, i, end, true)) {
            // the usual short number, read and checked against JSON's grammar in one pass
            addPair(key, scanned.value);
            i = scanned.end;
          } else {
            const numberEnd = jsonNumberEnd(bytes, i, end);
            if (numberEnd < 0) return false;
            addPair(key, Number(bytes.toString('latin1', i, numberEnd)));
            i = numberEnd;
          }
        } else if (spells(bytes, i, end, 'null')) { addPair(key, NaN); i += 4; }
        else if (spells(bytes, i, end, 'true')) i += 4;
        else if (spells(bytes, i, end, 'false')) i += 5;
        else if (spells(bytes, i, end, 'NaN')) { addPair(key, NaN); i += 3; }
        else if (spells(bytes, i, end, 'Infinity')) { addPair(key, Infinity); i += 8; }
        else return false; // an object, an array, or not JSON
        while (i < end && isSpace(bytes[i])) i++;
        if (i < end && bytes[i] === 44) { i++; while (i < end && isSpace(bytes[i])) i++; continue; } // ,
        if (i < end && bytes[i] === 125) { i++; break; } // }
        return false;
      }
    }
    while (i < end && isSpace(bytes[i])) i++;
    return i === end;
  };

  scanLines(chunksOf(source), {
    bytes(bytes, start, end, lineNo) {
      let blank = true;
      for (let i = start; i < end; i++) if (!isSpace(bytes[i])) { blank = false; break; }
      if (blank) return true;
      if (!objectOf(bytes, start, end, lineNo)) return false;
      if (pairs === 0) return true; // an object with no numbers is no row
      builder.beginRow(lineNo);
      for (let p = 0; p < pairs; p++) {
        const key = pairKeys[p];
        if (key.column < 0) key.column = builder.column(key.name);
        builder.set(key.column, pairValues[p]);
      }
      return true;
    },
    text: (text, lineNo, terminated) => parser.line(text, lineNo, terminated),
    overlong: (lineNo) => parser.overlong(lineNo),
    progress: (bytesRead) => builder.reserve(estimate.rowsFor(bytesRead, builder.rows)),
  });
  pairKeys = [];
  return parser.finish();
}
