// The byte values and exact-decimal tables the byte-level readers share (CSV, JSONL, line splitting, watch).

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
