// Reads one value out of a text log line by hand: a number with its glued unit, a fraction "N/M", a NaN spelling, or a date/time to skip.

/** What starts at a position that looks numeric. Every scan moves forward only, so a line is read in linear time. */
export type Scanned =
  | { kind: 'number'; value: number; integer: boolean; unit: string; total?: number; end: number }
  | { kind: 'junk'; end: number } // a date, a clock time, a hex literal: not a value
  | { kind: 'bad'; end: number }; // looks like a number but is none ("3.4.5"): a broken value
export type ScannedNumber = Extract<Scanned, { kind: 'number' }>;

const MAX_NUMBER_CHARS = 64; // no float needs more digits; longer digit runs are ids or garbage
const THOUSANDS_GROUP = 3; // "32,160": groups after a thousands comma have exactly three digits
const MAX_UNIT_CHARS = 16; // "ms/step", "tokens/s": units are short; a longer glued word is kept as the value's tail

// Non-finite spellings trainers print (Python, numpy, C printf), matched case-insensitively as whole words.
const NON_FINITE_WORDS = new Map<string, number>([
  ['nan', NaN], ['-nan', NaN], ['+nan', NaN], ['inf', Infinity], ['+inf', Infinity], ['-inf', -Infinity],
  ['infinity', Infinity], ['+infinity', Infinity], ['-infinity', -Infinity],
]);
const LONGEST_NON_FINITE = 9; // "+infinity"
// MSVC's "1.#INF", "1.#IND", "1.#QNAN" after "1.".
const MSVC_SUFFIXES: Array<[string, number]> = [['#INF', Infinity], ['#IND', NaN], ['#QNAN', NaN], ['#SNAN', NaN]];

export const isDigit = (c: number) => c >= 48 && c <= 57;
export const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters that continue a word: a NaN spelling followed by one of these is part of a word ("nanms", "nanz"). */
export const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === 95;

/** True when a value may start at i: a digit, a sign or point before a digit, or a sign before a NaN/Inf word. */
export function startsValue(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (isDigit(c)) return true;
  const next = s.charCodeAt(i + 1);
  if (c === 46) return isDigit(next); // ".5"
  if (c === 43 || c === 45) return isDigit(next) || (next === 46 && isDigit(s.charCodeAt(i + 2))) || nonFiniteAt(s, i) !== undefined;
  return false;
}

/** A NaN/Inf word starting at i and ending at a word boundary: its value and end, else undefined. */
export function nonFiniteAt(s: string, i: number): { value: number; end: number } | undefined {
  let j = i;
  const limit = Math.min(s.length, i + LONGEST_NON_FINITE + 1);
  while (j < limit && (isLetter(s.charCodeAt(j)) || (j === i && (s[j] === '-' || s[j] === '+')))) j++;
  if (j < s.length && isWordChar(s.charCodeAt(j))) return undefined;
  const value = NON_FINITE_WORDS.get(s.slice(i, j).toLowerCase());
  return value === undefined ? undefined : { value, end: j };
}

/** Scans the value starting at i (where startsValue is true). */
export function scanValue(s: string, i: number): Scanned {
  const special = nonFiniteAt(s, i);
  if (special) return { kind: 'number', value: special.value, integer: false, unit: '', end: special.end };
  const start = i;
  if (s[i] === '+' || s[i] === '-') i++;
  const intStart = i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  // dates (2024-05-15, 2024-05-15T10:00) and clock times (22:50:17,398; ETA 33:37:24) are no values
  if (intDigits > 0 && (s[i] === ':' || (s[i] === '-' && intDigits === 4)) && isDigit(s.charCodeAt(i + 1))) {
    return { kind: 'junk', end: skipDateTime(s, i) };
  }
  if (intDigits === 1 && s[intStart] === '0' && /[xXbBoO]/.test(s[i] ?? '') && isWordChar(s.charCodeAt(i + 1))) {
    return { kind: 'junk', end: skipWord(s, i) }; // 0x1F: a hex literal is an address or id, not a loss
  }
  let digits = s.slice(intStart, i);
  if (intDigits > 0 && intDigits <= THOUSANDS_GROUP) {
    while (s[i] === ',' && isGroup(s, i + 1)) { digits += s.slice(i + 1, i + 1 + THOUSANDS_GROUP); i += 1 + THOUSANDS_GROUP; }
  }
  let integer = true;
  let text = (s[start] === '-' ? '-' : '') + digits;
  if (s[i] === '.') {
    // every MSVC spelling starts with '#': one character looked at, not four prefixes, on the usual number
    const msvc = s[i + 1] === '#' ? MSVC_SUFFIXES.find(([suffix]) => s.startsWith(suffix, i + 1)) : undefined;
    if (msvc && intDigits > 0) return { kind: 'number', value: Math.sign(Number(text) || 1) * msvc[1], integer: false, unit: '', end: i + 1 + msvc[0].length };
    const fracStart = ++i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    text += '.' + s.slice(fracStart, i);
    integer = false;
  }
  if ((s[i] === 'e' || s[i] === 'E') && exponentAt(s, i + 1)) {
    const expStart = i++;
    if (s[i] === '+' || s[i] === '-') i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    text += s.slice(expStart, i);
    integer = false;
  }
  if (i - start > MAX_NUMBER_CHARS) return { kind: 'junk', end: skipWord(s, i) };
  // "3.4.5", "1.2.3-beta": a second point makes a version string or a broken value
  if (s[i] === '.' && isDigit(s.charCodeAt(i + 1))) return { kind: 'bad', end: skipWord(s, i) };
  const unitStart = i;
  if (isUnitStart(s.charCodeAt(i))) {
    while (i < s.length && i - unitStart < MAX_UNIT_CHARS && (isUnitStart(s.charCodeAt(i)) || (s[i] === '/' && isLetter(s.charCodeAt(i + 1))))) i++;
  }
  const unit = s.slice(unitStart, i);
  const value = Number(text);
  const scanned: Scanned = { kind: 'number', value: value === 0 ? 0 : value, integer, unit, end: i };
  if (unit === '' && integer && s[start] !== '-') readTotal(s, scanned);
  return scanned;
}

/** "N/M", "N/ M", "N / M": the M after a whole number, as in "step 61/74" or "200/ 2983 batches". */
function readTotal(s: string, scanned: ScannedNumber): void {
  let j = skipSpaces(s, scanned.end);
  if (s[j] !== '/') return;
  j = skipSpaces(s, j + 1);
  const from = j;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  if (j === from || j - from > MAX_NUMBER_CHARS || isWordChar(s.charCodeAt(j)) || s[j] === '.') return;
  scanned.total = Number(s.slice(from, j));
  scanned.end = j;
}

function isGroup(s: string, i: number): boolean {
  for (let k = 0; k < THOUSANDS_GROUP; k++) if (!isDigit(s.charCodeAt(i + k))) return false;
  return !isDigit(s.charCodeAt(i + THOUSANDS_GROUP));
}

function exponentAt(s: string, i: number): boolean {
  if (s[i] === '+' || s[i] === '-') i++;
  return isDigit(s.charCodeAt(i));
}

/** Letters and % glued to a number start a unit ("ms", "%", "µs"); a "/" before a letter continues it ("ms/step", "tok/s"). */
function isUnitStart(c: number): boolean {
  return isLetter(c) || c === 37 || c === 181;
}

export function skipSpaces(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
}

function skipWord(s: string, i: number): number {
  while (i < s.length && (isWordChar(s.charCodeAt(i)) || s[i] === '.' || s[i] === '-')) i++;
  return i;
}

function skipDateTime(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isDigit(c) || c === 58 /* : */ || c === 45 /* - */ || c === 46 /* . */ || c === 44 /* , */ || c === 84 /* T */ || c === 90 /* Z */) i++;
    else break;
  }
  return i;
}
