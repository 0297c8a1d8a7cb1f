// Reads one logged value: decimal numbers, every spelling of NaN and infinity, and the gaps loggers write.

import { isDigit, MAX_EXACT_DIGITS, MAX_EXACT_POW, POW10 } from './bytes.js';

/** What a cell holds: a number (NaN and ±Infinity included), a gap, or text that is no number. */
export const ABSENT = Symbol('absent');
export const NOT_A_NUMBER = Symbol('not a number');
export type Cell = number | typeof ABSENT | typeof NOT_A_NUMBER;

// Spellings of a non-finite value that trainers print: Python, C printf, numpy, MSVC, JSON null, Python None.
const NON_FINITE = new Map<string, number>([
  ['nan', NaN], ['-nan', NaN], ['+nan', NaN], ['nan(ind)', NaN], ['-nan(ind)', NaN], ['-nan(0x8000000000000)', NaN],
  ['null', NaN], ['none', NaN],
  ['inf', Infinity], ['+inf', Infinity], ['infinity', Infinity], ['+infinity', Infinity], ['1.#inf', Infinity],
  ['-inf', -Infinity], ['-infinity', -Infinity], ['-1.#inf', -Infinity],
]);

// Spellings of "nothing was logged here": Keras CSVLogger writes NA, pandas writes an empty cell.
const GAPS = new Set(['', 'na', 'n/a', '-']);

/**
 * Parses a cell. Accepts plain decimals with optional sign, fraction, exponent and Python's digit
 * underscores (`1_000`). Refuses hex, octal and binary literals (`0x10` is no loss value), and
 * thousands commas (a CSV delimiter; the text extractor handles those itself). `1e999` overflows
 * to Infinity, as in Python; `-0` reads as 0.
 */
export function parseCell(raw: string): Cell {
  // the usual cell, a plain decimal of at most 15 significant digits, is read in one pass; anything else the full way below
  const first = raw.charCodeAt(0);
  if (raw.length <= 64 && (isDigit(first) || first === 45)) {
    const value = decimalAt(raw, 0);
    if (value !== undefined && decimalEnd.at === raw.length) return value === 0 ? 0 : value;
  }
  const text = raw.trim();
  if (text.length > 64) return NOT_A_NUMBER; // no float needs more digits; keeps hostile cells cheap
  const lower = text.toLowerCase();
  if (GAPS.has(lower)) return ABSENT;
  const special = NON_FINITE.get(lower);
  if (special !== undefined) return special;
  if (!isDecimal(text)) return NOT_A_NUMBER;
  const value = Number(text.includes('_') ? text.replace(/_/g, '') : text);
  return value === 0 ? 0 : value;
}

/** [+-] digits[_digits]* [. digits] [e [+-] digits], at least one digit before the exponent. */
function isDecimal(s: string): boolean {
  let i = 0;
  const n = s.length;
  if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
  let digits = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) { digits++; i++; continue; }
    // an underscore is allowed only between two digits
    if (c === 95 && digits > 0 && i + 1 < n && isDigit(s.charCodeAt(i + 1))) { i++; continue; }
    break;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) { digits++; i++; }
  }
  if (digits === 0) return false;
  if (i < n && (s.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    let expDigits = 0;
    while (i < n && isDigit(s.charCodeAt(i))) { expDigits++; i++; }
    if (expDigits === 0) return false;
  }
  return i === n;
}

/** Where the last decimalAt that read a number stopped. */
export const decimalEnd = { at: 0 };

/**
 * [+-] digits [. digits] [(e|E) [+-] digits] at i, with a digit before the exponent, as Number() reads it, when the
 * mantissa has at most 15 significant digits and the power of ten is exact (one correctly rounded operation, so the
 * same double); else undefined. Sets decimalEnd. An "e" with no digits after it is where the number ends.
 */
export function decimalAt(s: string, i: number): number | undefined {
  let negative = false;
  let c = s.charCodeAt(i);
  if (c === 45 || c === 43) { negative = c === 45; c = s.charCodeAt(++i); }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let exponent = 0;
  while (c >= 48 && c <= 57) {
    if (significant > 0 || c !== 48) { if (++significant > MAX_EXACT_DIGITS) return undefined; mantissa = mantissa * 10 + (c - 48); }
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      if (significant > 0 || c !== 48) { if (++significant > MAX_EXACT_DIGITS) return undefined; mantissa = mantissa * 10 + (c - 48); }
      digits++;
      exponent--;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return undefined;
  if (c === 101 || c === 69) {
    let j = i + 1;
    let e = s.charCodeAt(j);
    let expNegative = false;
    if (e === 45 || e === 43) { expNegative = e === 45; e = s.charCodeAt(++j); }
    if (e >= 48 && e <= 57) {
      let power = 0;
      // beyond four digits the value is 0 or Infinity, or needs the exact slow path anyway
      while (e >= 48 && e <= 57) { power = power * 10 + (e - 48); if (power > 9999) return undefined; e = s.charCodeAt(++j); }
      exponent += expNegative ? -power : power;
      i = j;
    }
  }
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exponent >= 0 && exponent <= MAX_EXACT_POW) value = mantissa * POW10[exponent];
  else if (exponent < 0 && exponent >= -MAX_EXACT_POW) value = mantissa / POW10[-exponent];
  else return undefined;
  decimalEnd.at = i;
  return negative ? -value : value;
}
