// Flat JSON objects of numbers read straight from bytes, as the fast JSONL reader meets them on each line.

import { scanDecimal, scanned } from './fast-number.js';
import { parseCell } from './numbers.js';

const MAX_SHORT_DIGITS = 15; // 10^15 < 2^53: a mantissa of 15 digits is an exact integer
const POW10 = Array.from({ length: MAX_SHORT_DIGITS + 1 }, (_, k) => 10 ** k);
/** The value shortNumberEnd read last. */
const short = { value: 0 };

/**
 * The usual JSON number, -?(0|[1-9]digits)(.digits)? in at most 15 digits and no exponent, read in one pass:
 * its end, with its value in `short` (the one division scanDecimal would do), or −1 for anything else.
 */
function shortNumberEnd(bytes: Buffer, at: number, end: number): number {
  let i = at;
  const negative = bytes[i] === 45;
  if (negative) i++;
  const intFrom = i;
  let mantissa = 0;
  let c = bytes[i];
  while (i < end && c >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); c = bytes[++i]; }
  const intDigits = i - intFrom;
  if (intDigits === 0 || (intDigits > 1 && bytes[intFrom] === 48)) return -1; // JSON: no leading zeros
  let decimals = 0;
  if (i < end && c === 46) {
    c = bytes[++i];
    while (i < end && c >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); decimals++; c = bytes[++i]; }
    if (decimals === 0) return -1;
  }
  if (intDigits + decimals > MAX_SHORT_DIGITS || (i < end && (c | 32) === 101)) return -1;
  const magnitude = decimals === 0 ? mantissa : mantissa / POW10[decimals];
  short.value = negative ? -magnitude : magnitude;
  return i;
}

export interface Key {
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
 * Reads one flat ASCII object whose values are numbers, null, booleans, Python's NaN and Infinity tokens,
 * or strings without escapes, into (key, value) pairs; nested objects, arrays, escapes, repeated keys and
 * anything malformed are refused, for the text path.
 */
export class FlatObjects {
  /** The pairs of the object parsed last: keys and their numbers (null and NaN as NaN, −0 as 0). */
  pairKeys: Key[] = [];
  pairValues = new Float64Array(64);
  pairs = 0;
  private readonly keys = new Map<string, Key>();
  private readonly expected: Array<{ bytes: Buffer; key: Key }> = []; // the key seen last at each position: rows repeat their layout

  private keyAt(bytes: Buffer, from: number, to: number, position: number): Key {
    const { keys, expected } = this;
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
  }

  private addPair(key: Key, value: number): void {
    if (this.pairs === this.pairValues.length) {
      const wider = new Float64Array(this.pairs * 2);
      wider.set(this.pairValues);
      this.pairValues = wider;
    }
    this.pairKeys[this.pairs] = key;
    this.pairValues[this.pairs++] = value === 0 ? 0 : value;
  }

  /**
   * Parses the object that starts (after blanks) at `start`, line `lineNo`, into `pairs`; returns where the
   * blanks after it end, or −1 when it must take the text path. `end` bounds the scan, never a line ending:
   * no part of a flat object takes a byte below 32, so nothing read runs past the line.
   */
  parse(bytes: Buffer, start: number, end: number, lineNo: number): number {
    this.pairs = 0;
    let i = start;
    while (i < end && isSpace(bytes[i])) i++;
    if (bytes[i] !== 123) return -1; // {
    i++;
    while (i < end && isSpace(bytes[i])) i++;
    let position = 0;
    if (i < end && bytes[i] === 125) i++; // {}
    else {
      for (;;) {
        if (i >= end || bytes[i] !== QUOTE) return -1;
        const keyFrom = ++i;
        while (i < end && bytes[i] !== QUOTE) {
          const b = bytes[i];
          if (b === BACKSLASH || b < 32 || b > 126) return -1;
          i++;
        }
        if (i >= end) return -1;
        const key = this.keyAt(bytes, keyFrom, i++, position++);
        if (key.arrayIndex || key.seenOn === lineNo) return -1;
        key.seenOn = lineNo;
        while (i < end && isSpace(bytes[i])) i++;
        if (i >= end || bytes[i] !== 58) return -1; // :
        i++;
        while (i < end && isSpace(bytes[i])) i++;
        if (i >= end) return -1;
        const b = bytes[i];
        if (b === QUOTE) {
          const from = ++i;
          while (i < end && bytes[i] !== QUOTE) {
            const c = bytes[i];
            if (c === BACKSLASH || c < 32 || c > 126) return -1;
            i++;
          }
          if (i >= end) return -1;
          const cell = parseCell(bytes.toString('latin1', from, i++));
          if (typeof cell === 'number') this.addPair(key, cell);
        } else if (b === 45 || isDigit(b)) {
          const shortEnd = shortNumberEnd(bytes, i, end);
          if (shortEnd >= 0) {
            this.addPair(key, short.value);
            i = shortEnd;
          } else if (b === 45 && spells(bytes, i, end, '-Infinity')) { this.addPair(key, -Infinity); i += 9; }
          else if (scanDecimal(bytes, i, end, true)) {
            // the usual short number, read and checked against JSON's grammar in one pass
            this.addPair(key, scanned.value);
            i = scanned.end;
          } else {
            const numberEnd = jsonNumberEnd(bytes, i, end);
            if (numberEnd < 0) return -1;
            this.addPair(key, Number(bytes.toString('latin1', i, numberEnd)));
            i = numberEnd;
          }
        } else if (spells(bytes, i, end, 'null')) { this.addPair(key, NaN); i += 4; }
        else if (spells(bytes, i, end, 'true')) i += 4;
        else if (spells(bytes, i, end, 'false')) i += 5;
        else if (spells(bytes, i, end, 'NaN')) { this.addPair(key, NaN); i += 3; }
        else if (spells(bytes, i, end, 'Infinity')) { this.addPair(key, Infinity); i += 8; }
        else return -1; // an object, an array, or not JSON
        while (i < end && isSpace(bytes[i])) i++;
        if (i < end && bytes[i] === 44) { i++; while (i < end && isSpace(bytes[i])) i++; continue; } // ,
        if (i < end && bytes[i] === 125) { i++; break; } // }
        return -1;
      }
    }
    while (i < end && isSpace(bytes[i])) i++;
    return i;
  }
}
