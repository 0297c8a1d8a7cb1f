// The byte values, exact-decimal tables and binary test the byte-level readers share (CSV, JSONL, line splitting, watch).

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const MINUS = 45;
export const POINT = 46;
export const ZERO = 48;

export const isDigit = (b: number) => b >= ZERO && b <= ZERO + 9;

// Clinger's fast path: an integer mantissa below 2^53 times or divided by an exact power of ten is one
// correctly rounded operation, so it equals Number(text)
export const MAX_EXACT_DIGITS = 15; // 10^15 < 2^53: any 15-digit mantissa is an exact integer
export const MAX_EXACT_POW = 22; // the largest power of ten a double holds exactly
export const POW10 = Array.from({ length: MAX_EXACT_POW + 1 }, (_, k) => 10 ** k);

// control bytes other than tab, newline, carriage return, form feed and escape (terminal colours)
const CONTROL_BYTES = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/g;
const BINARY_SHARE = 0.1; // a few NULs from a crashed writer do not make a log binary; a tenth of the bytes does

/** Whether bytes are binary data: more than a tenth of them control bytes (isControl's). */
export function looksBinary(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  // counted by a regular expression over a byte-per-character string: a loop over 64 KiB costs a cold start milliseconds
  const controls = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').match(CONTROL_BYTES);
  return (controls ? controls.length : 0) / bytes.length > BINARY_SHARE;
}

export const isControl = (b: number) => b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27;
