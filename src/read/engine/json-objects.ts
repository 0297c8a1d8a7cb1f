// Flat JSON objects of numbers read straight from bytes, as the fast JSONL reader meets them on each line.

import { scanDecimal, scanned } from './fast-number.js';
import { Layouts } from './json-layouts.js';
import { isDigit } from './bytes.js';
import { jsonNumberEnd, short as shortValue, shortNumberEnd, spells } from './json-numbers.js';
import { parseCell } from './numbers.js';

export interface Key {
  name: string;
  /** Bytes of the name (ASCII). */
  length: number;
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
  /** Which pairs were null (what a null means is decided once the table is read), and how many. */
  pairNull = new Uint8Array(64);
  nulls = 0;
  /** Where each pair's value lies in the line, while every value is a short number (for `layouts`). */
  private valueFrom = new Int32Array(64);
  private valueTo = new Int32Array(64);
  private readonly layouts = new Layouts();
  private readonly keys = new Map<string, Key>();
  private readonly expected: Array<{ bytes: Buffer; key: Key }> = []; // the key seen last at each position: rows repeat their layout

  /** The key last seen at `position` if bytes[from, ...) spell it and its closing quote (its bytes passed the checks then). */
  private sameKey(bytes: Buffer, from: number, end: number, position: number): Key | undefined {
    const last = this.expected[position];
    if (!last) return undefined;
    const expected = last.bytes;
    const length = expected.length;
    if (from + length >= end || bytes[from + length] !== QUOTE) return undefined;
    for (let k = 0; k < length; k++) if (expected[k] !== bytes[from + k]) return undefined;
    return last.key;
  }

  private keyAt(bytes: Buffer, from: number, to: number, position: number): Key {
    const { keys, expected } = this;
    const name = bytes.toString('latin1', from, to);
    let key = keys.get(name);
    if (!key) {
      let digits = to > from;
      for (let k = from; k < to && digits; k++) digits = isDigit(bytes[k]);
      const arrayIndex = digits && (to - from === 1 || bytes[from] !== 48) && Number(name) <= MAX_ARRAY_INDEX;
      key = { name, length: to - from, column: -1, arrayIndex, seenOn: 0 };
      keys.set(name, key);
    }
    expected[position] = { bytes: Buffer.from(bytes.subarray(from, to)), key };
    return key;
  }

  private addPair(key: Key, value: number, isNull = false): void {
    if (this.pairs === this.pairValues.length) {
      const wider = new Float64Array(this.pairs * 2);
      wider.set(this.pairValues);
      this.pairValues = wider;
      const nulls = new Uint8Array(this.pairs * 2);
      nulls.set(this.pairNull);
      this.pairNull = nulls;
      this.valueFrom = new Int32Array(this.pairs * 2);
      this.valueTo = new Int32Array(this.pairs * 2);
    }
    this.pairKeys[this.pairs] = key;
    this.pairNull[this.pairs] = isNull ? 1 : 0;
    if (isNull) this.nulls++;
    this.pairValues[this.pairs++] = value === 0 ? 0 : value;
  }

  /**
   * Parses the object that starts (after blanks) at `start`, line `lineNo`, into `pairs`; returns where the
   * blanks after it end, or −1 when it must take the text path. `end` bounds the scan, never a line ending:
   * no part of a flat object takes a byte below 32, so nothing read runs past the line.
   */
  parse(bytes: Buffer, start: number, end: number, lineNo: number): number {
    const laidOut = this.layouts.read(bytes, start, end, this.pairKeys, this.pairValues);
    if (laidOut >= 0) {
      this.pairs = this.layouts.pairs;
      this.pairNull.fill(0, 0, this.pairs);
      this.nulls = 0;
      return laidOut;
    }
    this.pairs = 0;
    this.nulls = 0;
    let plain = true; // every value a short number so far: the line's layout can be kept
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
        // rows repeat their layout: the key seen last at this position, if its bytes and a closing quote are here
        let key = this.sameKey(bytes, keyFrom, end, position);
        if (key) i = keyFrom + key.length + 1;
        else {
          while (i < end && bytes[i] !== QUOTE) {
            const b = bytes[i];
            if (b === BACKSLASH || b < 32 || b > 126) return -1;
            i++;
          }
          if (i >= end) return -1;
          key = this.keyAt(bytes, keyFrom, i++, position);
        }
        position++;
        if (key.arrayIndex || key.seenOn === lineNo) return -1;
        key.seenOn = lineNo;
        while (i < end && isSpace(bytes[i])) i++;
        if (i >= end || bytes[i] !== 58) return -1; // :
        i++;
        while (i < end && isSpace(bytes[i])) i++;
        if (i >= end) return -1;
        const b = bytes[i];
        const pairsBefore = this.pairs;
        let short = false; // the value was a short number (its place is then in valueFrom/valueTo)
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
            this.valueFrom[this.pairs] = i;
            this.valueTo[this.pairs] = shortEnd;
            this.addPair(key, shortValue.value);
            i = shortEnd;
            short = true;
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
        } else if (spells(bytes, i, end, 'null')) { this.addPair(key, NaN, true); i += 4; }
        else if (spells(bytes, i, end, 'true')) i += 4;
        else if (spells(bytes, i, end, 'false')) i += 5;
        else if (spells(bytes, i, end, 'NaN')) { this.addPair(key, NaN); i += 3; }
        else if (spells(bytes, i, end, 'Infinity')) { this.addPair(key, Infinity); i += 8; }
        else return -1; // an object, an array, or not JSON
        if (!short || this.pairs === pairsBefore) plain = false;
        while (i < end && isSpace(bytes[i])) i++;
        if (i < end && bytes[i] === 44) { i++; while (i < end && isSpace(bytes[i])) i++; continue; } // ,
        if (i < end && bytes[i] === 125) { i++; break; } // }
        return -1;
      }
    }
    while (i < end && isSpace(bytes[i])) i++;
    if (plain && this.pairs > 0) this.layouts.learn(bytes, start, i, this.pairKeys, this.valueFrom, this.valueTo, this.pairs);
    return i;
  }
}
