// JSON number tokens straight from bytes, for the fast JSONL reader: the usual short one in one pass, and the grammar's exact bounds.

import { isDigit, MAX_EXACT_DIGITS, POW10 } from './bytes.js';

/** The value shortNumberEnd read last. */
export const short = { value: 0 };

/**
 * The usual JSON number, -?(0|[1-9]digits)(.digits)? in at most 15 digits and no exponent, read in one pass:
 * its end, with its value in `short` (the one division scanDecimal would do), or −1 for anything else.
 */
export function shortNumberEnd(bytes: Uint8Array, at: number, end: number): number {
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
  if (intDigits + decimals > MAX_EXACT_DIGITS || (i < end && (c | 32) === 101)) return -1;
  const magnitude = decimals === 0 ? mantissa : mantissa / POW10[decimals];
  short.value = negative ? -magnitude : magnitude;
  return i;
}

/** True when bytes[at, at+word.length) spell `word` (ASCII). */
export function spells(bytes: Buffer, at: number, end: number, word: string): boolean {
  if (at + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** End of a JSON number starting at `at` (JSON's grammar exactly), or -1. */
export function jsonNumberEnd(bytes: Buffer, at: number, end: number): number {
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
