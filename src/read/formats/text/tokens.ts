// One hand-written pass over a log line → its key/value pairs: "loss 2.3", "loss: 2.3", "'loss': 2.3", "loss=2.3", "200/2983 batches".

import { parseCell } from '../../engine/numbers.js';
import { parseRelaxedJson } from '../../engine/relaxed-json.js';
import { bareKey } from './aliases.js';
import { isDigit, isLetter, isWordChar, nonFiniteAt, scanValue, skipSpaces, startsValue, type Scanned, type ScannedNumber } from './scan.js';

export interface Pair {
  /** The key as the log spells it, quotes dropped, words joined by one space. */
  key: string;
  value: number;
  /** The M of "N/M". */
  total?: number;
  /** The value was printed without a decimal point ("Epoch 3", not "'epoch': 3.0"). */
  integer: boolean;
  /** The key was tied to the value by ":" or "="; false for "loss 2.3". */
  joined: boolean;
  /** The key came after the value ("200/2983 batches"). */
  keyAfter?: boolean;
  /** Letters glued to the number ("ms", "%", "tok/s"); aliases.keepsValue says whether it is still the key's value. */
  unit: string;
  /** A bare number in parentheses right after the value: MetricLogger's running average, "loss: 1.23 (1.31)". */
  average?: number;
  /** A JSON null: what it means is decided once the table is read (read/engine/nulls.ts). */
  isNull?: boolean;
  /** With a trace (tokenize's second argument): the value's span in it, and the average's. */
  from?: number;
  averageFrom?: number;
}

export interface LineTokens {
  pairs: Pair[];
  /** A number or fraction opening the line before any key: build-nanogpt's step, a Keras batch counter. */
  lead?: { value: number; total?: number; integer: boolean; from?: number };
  /** Keys whose value looked like a number and was none ("loss 3.4.5"). */
  broken: string[];
  /** Where the line's own text starts, after a logger's prefix ("2025-01-01 10:00:00 train:98 INFO "). */
  body: number;
  /** A keyless "N/M" right after a pair: the batch of "Epoch: [0][ 10/5005]" or "epoch 001:    450 / 1891". */
  trailing?: { value: number; total: number; after: string; from?: number };
}

/**
 * What the line-shape cache (line-cache.ts) needs to know of a line: every value scanned, as
 * start, end, kind triples (SPAN_NUMBER or SPAN_JUNK; a broken value is no span), in the order read.
 */
export type TokenTrace = number[];
export const SPAN_NUMBER = 0;
export const SPAN_JUNK = 1; // a date or clock time passed over
let trace: TokenTrace | undefined; // set only while tokenize() runs with one

const MAX_PAIRS = 512; // OLMo prints ~30 metrics a record; past this many a line is data dumped, not a record
const MAX_KEY_WORDS = 5; // "number of skipped iterations": longer runs of words are prose, not a key
const MAX_KEY_CHARS = 80; // keys are names; a longer run of letters is data (a hash, a path)
const MAX_UNIT_GROUP = 12; // "(ms)" after a key: a short parenthesised unit is part of the key, not a break
const LEVEL_WINDOW = 160; // a logging prefix (time, host, module, level) fits in this many characters
// Logging levels: what comes before one is a logger's prefix (timestamps, hosts, "module:123"), never a record.
export const LEVELS = new Set(['INFO', 'WARNING', 'WARN', 'DEBUG', 'ERROR', 'CRITICAL', 'TRACE', 'NOTICE']);
const ESC = 27;
const MAX_ESCAPE = 16; // an ANSI colour sequence "\x1b[1;32m" is short

const MAX_JSON_DEPTH = 4; // as the JSONL reader: {"train": {"loss": ...}} is a record; deeper objects are blobs

/**
 * Splits one line into pairs. A line that ends in a JSON object after a prefix (`json_stats: {...}`,
 * `2024-01-01 INFO metrics {...}`, fairseq's `| train_inner | {...}`) has the object's leaves as its pairs,
 * nested keys joined with "/", after those of its prefix. Linear in the line: the object is parsed once,
 * and a line that is no such object is scanned as words once.
 */
export function tokenize(line: string, traced?: TokenTrace): LineTokens {
  const json = jsonTail(line);
  if (!json) {
    if (!traced) return tokenizeWords(line);
    trace = traced;
    try {
      return tokenizeWords(line);
    } finally {
      trace = undefined;
    }
  }
  const out = tokenizeWords(line.slice(0, json.at));
  for (const pair of json.pairs) {
    if (out.pairs.length === MAX_PAIRS) break;
    out.pairs.push(pair);
  }
  return out;
}

/** The JSON object that ends the line, from its first "{" (a key's quote or "}" right after it), as pairs; else undefined. */
function jsonTail(line: string): { at: number; pairs: Pair[] } | undefined {
  const at = line.indexOf('{');
  if (at < 0) return undefined;
  let end = line.length;
  while (end > at && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  if (line.charCodeAt(end - 1) !== 125) return undefined; // }
  const first = line.charCodeAt(skipSpaces(line, at + 1));
  if (first !== 34 && first !== 125) return undefined; // Python's printed dicts ({'loss': 2.3}) are read as words
  let value: unknown;
  try {
    value = parseRelaxedJson(line.slice(at, end));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const pairs: Pair[] = [];
  addLeaves(pairs, value as Record<string, unknown>, '', 0);
  return { at, pairs };
}

/** The numeric leaves of a JSON object as pairs: numbers, numbers as strings, "N/M" as a counter, null as a null. */
function addLeaves(pairs: Pair[], object: Record<string, unknown>, prefix: string, depth: number): void {
  for (const name of Object.keys(object)) {
    if (pairs.length === MAX_PAIRS) return;
    const value = object[name];
    const key = prefix + name;
    if (typeof value === 'number') pairs.push(jsonPair(key, value, Number.isInteger(value)));
    else if (value === null) pairs.push({ ...jsonPair(key, NaN, false), isNull: true });
    else if (typeof value === 'string') {
      const fraction = FRACTION.exec(value);
      if (fraction) pairs.push({ ...jsonPair(key, Number(fraction[1]), true), total: Number(fraction[2]) }); // "epoch": "100/100"
      else {
        const cell = parseCell(value);
        if (typeof cell === 'number') pairs.push(jsonPair(key, cell, !value.includes('.') && Number.isInteger(cell)));
      }
    } else if (typeof value === 'object' && !Array.isArray(value) && depth < MAX_JSON_DEPTH) {
      addLeaves(pairs, value as Record<string, unknown>, `${key}/`, depth + 1);
    }
  }
}

// A string value "N/M" (pyslowfast's "epoch": "100/100", Detectron's "iter": "10/400"): a counter and its total; 15 digits stay exact
const FRACTION = /^\s*(\d{1,15})\s*\/\s*(\d{1,15})\s*$/;

const jsonPair = (key: string, value: number, integer: boolean): Pair => ({ key, value: value === 0 ? 0 : value, integer, joined: true, unit: '' });

/** The word scan: every step moves forward, lookaheads are bounded or never rescanned. */
function tokenizeWords(line: string): LineTokens {
  const out: LineTokens = { pairs: [], broken: [], body: 0 };
  let pending: string[] = []; // words that may be the key of the next value
  let joined = false; // a ":" or "=" came after the pending words
  let keyless: ScannedNumber | undefined; // a value with no key before it: a lone word after it may be its key
  let keylessFrom = -1; // its span, with a trace
  let anyToken = false; // something other than spaces came before: a number now is no lead
  let levelSeen = false;
  let sincePair = 0; // words and values since the last pair: a fraction with none between belongs to that pair's line position
  const reset = () => { pending = []; joined = false; };
  const breaker = () => { keyless = undefined; reset(); };
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) { i++; continue; }
    if (c === 39 || c === 34 || c === 96) { i++; continue; } // quotes around keys and values are not part of them
    if (c === ESC) { i = skipEscape(line, i); continue; }
    if (c === 58 || c === 61) { if (pending.length > 0) joined = true; i++; continue; } // ":" "="
    if (startsValue(line, i) || (pending.length > 0 && isNonFiniteValue(line, i, joined))) {
      const scanned = scanTraced(line, i);
      i = scanned.end;
      if (scanned.kind === 'junk') { breaker(); continue; }
      if (scanned.kind === 'bad') { if (pending.length > 0) out.broken.push(keyFrom(pending, joined)); breaker(); continue; }
      keyless = undefined;
      if (pending.length > 0) {
        const pair = pairOf(keyFrom(pending, joined), scanned, joined);
        if (trace) pair.from = lastSpan();
        out.pairs.push(pair);
        const mark = trace ? trace.length : 0;
        const average = scanned.unit === '' ? averageAt(line, i) : undefined;
        if (average) {
          pair.average = average.value;
          i = average.end;
          if (trace) pair.averageFrom = trace.length > mark ? lastSpan() : -1;
        } else if (trace) trace.length = mark; // the number is read again as a token of its own
        reset();
        sincePair = 0;
        if (out.pairs.length === MAX_PAIRS) break;
        anyToken = true;
        continue;
      }
      if (!anyToken && scanned.unit === '') {
        out.lead = { value: scanned.value, total: scanned.total, integer: scanned.integer };
        if (trace) out.lead.from = lastSpan();
      } else {
        if (scanned.total !== undefined && sincePair === 0 && out.pairs.length > 0 && !out.trailing) {
          out.trailing = { value: scanned.value, total: scanned.total, after: out.pairs[out.pairs.length - 1].key };
          if (trace) out.trailing.from = lastSpan();
        }
        keyless = scanned;
        keylessFrom = trace ? lastSpan() : -1;
      }
      anyToken = true;
      sincePair++;
      continue;
    }
    if (isLetter(c) || c === 95) {
      const end = wordEnd(line, i);
      const word = line.slice(i, end);
      i = end;
      if (!levelSeen && LEVELS.has(word) && i <= LEVEL_WINDOW) {
        // everything so far was the logger's prefix
        levelSeen = true;
        out.body = skipPrefixEnd(line, i);
        out.pairs = [];
        out.broken = [];
        out.lead = undefined;
        anyToken = false;
        breaker();
        continue;
      }
      anyToken = true;
      sincePair++;
      if (keyless && isBreakAhead(line, i)) { // "200/ 2983 batches |": the word names the value before it
        out.pairs.push({ ...pairOf(word, keyless, false), keyAfter: true, ...(trace ? { from: keylessFrom } : {}) });
        breaker();
        continue;
      }
      keyless = undefined;
      if (word.length > MAX_KEY_CHARS) { reset(); continue; } // a hash or a path, not a key
      if (joined) reset(); // "key: word": that key had no value; the word may open the next key
      pending.push(word);
      if (pending.length > MAX_KEY_WORDS) pending.shift();
      continue;
    }
    if (c === 40 && pending.length > 0 && !joined) { // "(ms)" after "elapsed time per iteration"
      const close = unitGroupEnd(line, i);
      if (close > 0) { i = close; continue; }
    }
    // "Epoch [1/10], Step [100/600]" and "Epoch: [0]": a bracket between a key and its number does not part them
    if (c === 91 && pending.length > 0 && isDigit(line.charCodeAt(skipSpaces(line, i + 1)))) { i++; continue; }
    anyToken = anyToken || c !== 45; // a leading "-" is a bullet; a number after it can still open the record
    breaker();
    i++;
  }
  return out;
}

/**
 * "(1.31)" or "(inf)" at i, after spaces: a number alone in parentheses, as torchvision's and DETR's MetricLogger
 * print a running average after each value. Its value and where the ")" ends, else undefined. Reads forward
 * only, and what it reads is read again at most once (as the tokens after a pair), so the line stays linear.
 */
function averageAt(line: string, i: number): { value: number; end: number } | undefined {
  let j = skipSpaces(line, i);
  if (line.charCodeAt(j) !== 40) return undefined; // (
  j = skipSpaces(line, j + 1);
  const word = nonFiniteAt(line, j);
  let value: number;
  if (word) { value = word.value; j = word.end; }
  else {
    if (!startsValue(line, j)) return undefined;
    const scanned = scanTraced(line, j);
    if (scanned.kind !== 'number' || scanned.unit !== '' || scanned.total !== undefined) return undefined;
    value = scanned.value;
    j = scanned.end;
  }
  j = skipSpaces(line, j);
  return line.charCodeAt(j) === 41 ? { value, end: j + 1 } : undefined; // )
}

/** scanValue, noting the span in the trace when there is one. */
function scanTraced(line: string, i: number): Scanned {
  const scanned = scanValue(line, i);
  if (trace && scanned.kind !== 'bad') trace.push(i, scanned.end, scanned.kind === 'number' ? SPAN_NUMBER : SPAN_JUNK);
  return scanned;
}

const lastSpan = () => trace!.length / 3 - 1;

function pairOf(key: string, scanned: ScannedNumber, joined: boolean): Pair {
  return { key, value: scanned.value, total: scanned.total, integer: scanned.integer, joined, unit: scanned.unit };
}

function keyFrom(pending: string[], joined: boolean): string {
  return joined ? pending.join(' ') : bareKey(pending);
}

/** A NaN word is a value after "key:" always, after "key " only when nothing but a break follows ("loss nan |", "val loss nan"). */
function isNonFiniteValue(line: string, i: number, joined: boolean): boolean {
  const word = nonFiniteAt(line, i);
  if (!word) return false;
  return joined || isBreakAhead(line, word.end);
}

/** Whether only spaces stand between i and the end of the line or a break ("|", ",", "(", " - "). */
function isBreakAhead(line: string, i: number): boolean {
  const j = skipSpaces(line, i);
  if (j >= line.length) return true;
  const c = line.charCodeAt(j);
  return !isWordChar(c) && c !== 39 && c !== 34 && c !== 58 && c !== 61 && !startsValue(line, j);
}

/** Words are letters, digits and _ with inner . / - @ (train/CrossEntropyLoss, lr-Adam, mtp_1); a trailing point is punctuation. */
function wordEnd(line: string, i: number): number {
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (isWordChar(c)) { i++; continue; }
    if ((c === 46 || c === 47 || c === 45 || c === 64) && i + 1 < n && isWordChar(line.charCodeAt(i + 1))) { i++; continue; }
    break;
  }
  return i;
}

/** The end of "(ms)" / "(MB)" starting at i, or 0 when the parenthesis holds anything else. */
function unitGroupEnd(line: string, i: number): number {
  const limit = Math.min(line.length, i + MAX_UNIT_GROUP);
  for (let j = i + 1; j < limit; j++) {
    const c = line.charCodeAt(j);
    if (c === 41) return j > i + 1 ? j + 1 : 0;
    if (!isLetter(c) && c !== 37 && c !== 47) return 0;
  }
  return 0;
}

/** Past the ":", "|", "]" and spaces that close a logger's prefix ("INFO:", "| INFO |", "INFO]"). */
function skipPrefixEnd(line: string, i: number): number {
  while (i < line.length && ' \t:|]-'.includes(line[i])) i++;
  return i;
}

function skipEscape(line: string, i: number): number {
  const limit = Math.min(line.length, i + MAX_ESCAPE);
  for (let j = i + 1; j < limit; j++) if (isLetter(line.charCodeAt(j))) return j + 1;
  return i + 1;
}
