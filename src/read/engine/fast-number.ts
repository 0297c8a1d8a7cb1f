// Decimal numbers straight from bytes, exactly as Number() reads their text, for the common short ones; the rest are left to the text path.

import { isDigit, MAX_EXACT_DIGITS, MAX_EXACT_POW, POW10 } from './bytes.js';

/** Where the last successful `scanDecimal` stopped, and the value it read. */
export const scanned = { end: 0, value: 0 };

/**
 * Reads [+-] digits [. digits] [(e|E) [+-] digits] starting at `start`, with at least one digit before
 * the exponent (the grammar of numbers.ts without digit underscores). On success sets `scanned` and
 * returns true; returns false when the bytes are no such number or when they are one the fast path
 * cannot round exactly (more than 15 significant digits, a large exponent), for the caller's slow path.
 * `json` restricts to JSON's grammar: no leading +, no leading zeros, digits on both sides of a point.
 */
export function scanDecimal(bytes: Uint8Array, start: number, end: number, json: boolean): boolean {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 45 || (bytes[i] === 43 && !json))) { negative = bytes[i] === 45; i++; }
  let mantissa = 0;
  let significant = 0; // digits in the mantissa, leading zeros not counted
  let exponent = 0;
  let intDigits = 0;
  const intStart = i;
  while (i < end && isDigit(bytes[i])) {
    const d = bytes[i] - 48;
    if (significant > 0 || d !== 0) {
      if (significant < MAX_EXACT_DIGITS) { mantissa = mantissa * 10 + d; significant++; }
      else return false;
    }
    intDigits++;
    i++;
  }
  if (json && (intDigits === 0 || (intDigits > 1 && bytes[intStart] === 48))) return false;
  let fracDigits = 0;
  if (i < end && bytes[i] === 46) {
    i++;
    while (i < end && isDigit(bytes[i])) {
      const d = bytes[i] - 48;
      if (significant > 0 || d !== 0) {
        if (significant < MAX_EXACT_DIGITS) { mantissa = mantissa * 10 + d; significant++; }
        else return false;
      }
      exponent--;
      fracDigits++;
      i++;
    }
    if (json && fracDigits === 0) return false;
  }
  if (intDigits + fracDigits === 0) return false;
  if (i < end && (bytes[i] | 32) === 101) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === 43 || bytes[i] === 45)) { expNegative = bytes[i] === 45; i++; }
    let e = 0;
    let expDigits = 0;
    while (i < end && isDigit(bytes[i])) {
      // beyond four digits the value is 0 or Infinity, or needs the exact slow path anyway
      if (expDigits === 4) return false;
      e = e * 10 + (bytes[i] - 48);
      expDigits++;
      i++;
    }
    if (expDigits === 0) return false;
    exponent += expNegative ? -e : e;
  }
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exponent >= 0 && exponent <= MAX_EXACT_POW) value = mantissa * POW10[exponent];
  else if (exponent < 0 && exponent >= -MAX_EXACT_POW) value = mantissa / POW10[-exponent];
  else return false;
  scanned.end = i;
  scanned.value = negative ? -value : value;
  return true;
}
