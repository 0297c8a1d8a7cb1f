// Reads one logged value: decimal numbers, every spelling of NaN and infinity, and the gaps loggers write.

import { isDigit } from './bytes.js';

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
