// The line-shape cache: a line that differs from a line already read only in the digits of its numbers is read by the plan that line gave.

import { decimalAt } from '../../engine/numbers.js';
import { interpret, isLoss, type LineRecord, type Metric } from './record.js';
import { isDigit, scanValue } from './scan.js';
import { LEVELS, SPAN_JUNK, type LineTokens, type TokenTrace } from './tokens.js';

const SHAPES = 4; // a trainer prints a few kinds of record line (nanoGPT: "iter" lines and an eval line every few hundred)
const MAX_SLOT_DIGITS = 15; // a digit run this long is as long as an exact float's digits get; longer ones go the slow way
const MAX_NUMBER_CHARS = 64; // scan.ts reads a longer number as junk: a shape's numbers must stay under it with every run at its longest
const SENTINEL = 2 ** 40;
const RUN_ANY = 0xffff; // markers in a shape's code: characters a line may hold (U+FFFE, U+FFFF) are refused when learning
const RUN_FIXED = 0xfffe; // the values a shape's record is built with stand for "value k of the line": far from any count of spans
// A log whose lines never repeat a shape (a counter in every key) would pay for a shape per line: after this many
// shapes in a row that read no line, one is made only every BACKOFF_EVERY-th record line.
const USELESS_SHAPES = 8;
const BACKOFF_EVERY = 64;

/**
 * A record line cut at the digit runs of its numbers: literals[0], run 0, literals[1], ..., literals[k].
 * A line with the same literals and any digit runs in their place (of the same length where `fixed`
 * says so) is tokenized and interpreted as this one was, with its own values: every decision the
 * tokenizer and the record make depends on the characters around the digits, never on the digits,
 * once the shapes where it would (below, in `learn`) are left out.
 */
interface Shape {
  /**
   * The literals' characters with a marker where each run goes: RUN_ANY, or RUN_FIXED and then the
   * run's length (the fields of a date or a clock time keep their width). One pass over a line matches it.
   */
  code: Uint16Array;
  runs: number;
  /** The spans whose values the record takes: each one's first run, how far before that run it starts (a sign, a point), and the run of its "/ M" total or -1. */
  spans: Int32Array;
  firstRun: Int32Array;
  leadIn: Int32Array;
  totalRun: Int32Array;
  /** interpret()'s record of the line, each value the SENTINEL plus 2 × span (+1 for a total). */
  record: LineRecord;
  /** The keys of its pairs, for the parser's cut-off check. */
  keys: string[];
  read: number;
}

export class LineShapeCache {
  private readonly shapes: Shape[] = [];
  /** The trace a slow-path tokenize fills when a shape may be learnt from the line. */
  readonly trace: TokenTrace = [];
  private runStarts = new Int32Array(64);
  private values = new Float64Array(64);
  private useless = 0;
  private skippedLearn = 0;

  /** Whether the next slow-path line should be traced for a shape (false while backing off). */
  wantsTrace(): boolean {
    if (this.useless < USELESS_SHAPES) return true;
    return ++this.skippedLearn % BACKOFF_EVERY === 0;
  }

  /** The record of a line shaped like one learnt, with the line's own values; undefined when none fits. */
  match(text: string): { record: LineRecord; keys: string[] } | undefined {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s];
      if (!this.fits(shape, text)) continue;
      const record = this.instantiate(shape, text);
      if (!record) continue;
      if (shape.read++ === 0) this.useless = 0;
      if (s > 0) { shapes[s] = shapes[0]; shapes[0] = shape; }
      return { record, keys: shape.keys };
    }
    return undefined;
  }

  /**
   * Makes a shape of a record line the slow path read (its tokens traced), unless a decision the
   * tokenizer made on it could go another way with other digits: then the line is left to the slow path.
   */
  learn(text: string, tokens: LineTokens): void {
    const trace = this.trace;
    if (trace.length === 0 || jsonTailLike(text) || (tokens.lead && text.charCodeAt(trace[3 * tokens.lead.from!]) === 45)) return;
    const literals: string[] = [];
    const fixed: number[] = [];
    const firstRun: number[] = [];
    const leadIn: number[] = [];
    const totalRun: number[] = [];
    let cut = 0; // end of the last run
    let spanEnd = 0;
    let firstVariable = -1;
    for (let k = 0; k < trace.length; k += 3) {
      const start = trace[k];
      const end = trace[k + 1];
      const junk = trace[k + 2] === SPAN_JUNK;
      if (start < spanEnd) return; // spans overlap: not a plain left-to-right line
      spanEnd = end;
      let runs = 0;
      let digits = 0;
      let first = -1;
      let firstAt = start;
      let last = -1;
      for (let i = start; i < end; i++) {
        if (!isDigit(text.charCodeAt(i))) continue;
        const from = i;
        while (i < end && isDigit(text.charCodeAt(i))) i++;
        const after = text.charCodeAt(i);
        if ((from > 0 && isDigit(text.charCodeAt(from - 1))) || isDigit(after)) return; // runs must be whole
        if (junk) {
          // a date or clock time: its first field must be one ("2024-", "10:") and every field keeps its width
          if (runs === 0 && after !== 58 && after !== 45) return;
        } else if (isDigitAfterSeparator(text, i) || isRadixLetter(after)) return; // "1,234", "12:30", "2024-05", "0x1F"
        if (i - from > MAX_SLOT_DIGITS) return;
        literals.push(text.slice(cut, from));
        fixed.push(junk ? i - from : 0);
        if (!junk && firstVariable < 0) firstVariable = from;
        if (first < 0) { first = fixed.length - 1; firstAt = from; }
        last = fixed.length - 1;
        cut = i;
        runs++;
        digits += i - from;
        i--;
      }
      if (junk) { firstRun.push(-1); leadIn.push(0); totalRun.push(-1); continue; }
      if (runs === 0) return; // a NaN or Inf word: such a line is read the slow way, as the NaN check wants it
      if (end - start - digits + runs * MAX_SLOT_DIGITS > MAX_NUMBER_CHARS) return;
      const scanned = scanValue(text, start);
      if (scanned.kind !== 'number' || !Number.isFinite(scanned.value)) return;
      firstRun.push(first);
      leadIn.push(firstAt - start);
      totalRun.push(scanned.total !== undefined ? last : -1);
    }
    literals.push(text.slice(cut));
    // a logging level's position decides whether it opens the line's body (tokens.ts LEVEL_WINDOW): none may move
    if (firstVariable >= 0) {
      for (const level of LEVELS) if (text.includes(level, firstVariable)) return;
    }
    const record = interpret(sentinelTokens(tokens, trace.length / 3));
    if (!record.metrics.some((m) => isLoss(m.role)) || !sentinelsOnly(record, trace.length / 3)) return;
    const code: number[] = [];
    for (let r = 0; r < literals.length; r++) {
      for (let k = 0; k < literals[r].length; k++) {
        const c = literals[r].charCodeAt(k);
        if (c >= RUN_FIXED) return;
        code.push(c);
      }
      if (r < fixed.length) {
        if (fixed[r] === 0) code.push(RUN_ANY);
        else code.push(RUN_FIXED, fixed[r]);
      }
    }
    // only the spans the record takes a value from are read on each line ("dt 31.2ms" is dropped, so not read)
    const used = [...new Set(recordValues(record).map((x) => (x - SENTINEL) >> 1))].sort((a, b) => a - b);
    if (used.some((span) => firstRun[span] < 0)) return;
    const shape: Shape = {
      code: Uint16Array.from(code),
      runs: fixed.length,
      spans: Int32Array.from(used),
      firstRun: Int32Array.from(used, (span) => firstRun[span]),
      leadIn: Int32Array.from(used, (span) => leadIn[span]),
      totalRun: Int32Array.from(used, (span) => totalRun[span]),
      record,
      keys: tokens.pairs.map((p) => p.key),
      read: 0,
    };
    if (this.shapes.length === SHAPES) {
      const evicted = this.shapes.pop()!;
      if (evicted.read === 0) this.useless++;
    }
    this.shapes.unshift(shape);
    if (this.runStarts.length < fixed.length) this.runStarts = new Int32Array(fixed.length * 2);
    if (this.values.length < 2 * firstRun.length) this.values = new Float64Array(firstRun.length * 4);
  }

  /** Whether the text is the shape's literals with digit runs between them; notes where each run starts. */
  private fits(shape: Shape, text: string): boolean {
    const code = shape.code;
    const starts = this.runStarts;
    const n = text.length;
    const m = code.length;
    let pos = 0;
    let run = 0;
    for (let k = 0; k < m; k++) {
      const c = code[k];
      if (c < RUN_FIXED) {
        if (pos >= n || text.charCodeAt(pos) !== c) return false;
        pos++;
        continue;
      }
      const from = pos;
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d < 48 || d > 57) break;
        pos++;
      }
      const length = pos - from;
      if (c === RUN_ANY) {
        if (length === 0 || length > MAX_SLOT_DIGITS) return false;
      } else if (length !== code[++k]) return false;
      starts[run++] = from;
    }
    return pos === n;
  }

  /** The shape's record with the text's values (fits() has noted the runs); undefined if a value will not read. */
  private instantiate(shape: Shape, text: string): LineRecord | undefined {
    const values = this.values;
    const starts = this.runStarts;
    const { spans, firstRun, leadIn, totalRun } = shape;
    for (let k = 0; k < spans.length; k++) {
      const at = starts[firstRun[k]] - leadIn[k];
      let value = decimalAt(text, at);
      if (value === undefined) {
        const scanned = scanValue(text, at);
        if (scanned.kind !== 'number') return undefined;
        value = scanned.value;
      }
      const s = spans[k];
      values[2 * s] = value === 0 ? 0 : value;
      if (totalRun[k] >= 0) values[2 * s + 1] = digitsAt(text, starts[totalRun[k]]);
    }
    return withValues(shape.record, values);
  }
}

/** tokens.ts reads a line ending in a JSON object (`... {"loss": 2.3}`) by another path than the words: no shape. */
function jsonTailLike(text: string): boolean {
  const at = text.indexOf('{');
  if (at < 0) return false;
  let end = text.length;
  while (end > at && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  if (text.charCodeAt(end - 1) !== 125) return false;
  let j = at + 1;
  while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
  const first = text.charCodeAt(j);
  return first === 34 || first === 125;
}

/** ",", ":" or "-" and a digit: a thousands group, a clock time or a date could start here, depending on the digits before. */
function isDigitAfterSeparator(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c === 44 || c === 58 || c === 45) && isDigit(text.charCodeAt(i + 1));
}

/** After a lone "0" these make a hex, binary or octal literal: what the digit is decides. */
function isRadixLetter(c: number): boolean {
  return c === 120 || c === 88 || c === 98 || c === 66 || c === 111 || c === 79;
}

const sentinel = (span: number, total: boolean) => SENTINEL + 2 * span + (total ? 1 : 0);

/** The tokens with every value replaced by a sentinel naming its span, so interpret() shows where each record value comes from. */
function sentinelTokens(tokens: LineTokens, spans: number): LineTokens {
  const ok = (from: number | undefined) => from !== undefined && from >= 0 && from < spans;
  const pairs = tokens.pairs.map((p) => {
    if (!ok(p.from) || (p.average !== undefined && !ok(p.averageFrom))) return { ...p, value: NaN };
    return {
      ...p,
      value: sentinel(p.from!, false),
      total: p.total === undefined ? undefined : sentinel(p.from!, true),
      average: p.average === undefined ? undefined : sentinel(p.averageFrom!, false),
    };
  });
  const out: LineTokens = { pairs, broken: tokens.broken, body: tokens.body };
  const { lead, trailing } = tokens;
  if (lead) out.lead = ok(lead.from) ? { ...lead, value: sentinel(lead.from!, false), total: lead.total === undefined ? undefined : sentinel(lead.from!, true) } : { ...lead, value: NaN };
  if (trailing) out.trailing = ok(trailing.from) ? { ...trailing, value: sentinel(trailing.from!, false), total: sentinel(trailing.from!, true) } : { ...trailing, value: NaN };
  return out;
}

const isSentinel = (x: number, spans: number) => (Number.isInteger(x - SENTINEL) && x - SENTINEL >= 0 && x - SENTINEL < 2 * spans);

/** Every value a record holds. */
function recordValues(r: LineRecord): number[] {
  const each = [r.global, r.counter?.value, r.counter?.total, r.epoch?.value, r.epochEnd, r.leadStep, ...r.metrics.map((m) => m.value)];
  return each.filter((x): x is number => x !== undefined);
}

/** Every value in the record stands for a span: nothing was taken from anywhere else (a NaN, a constant). */
function sentinelsOnly(r: LineRecord, spans: number): boolean {
  return r.metrics.every((m) => !m.isNull) && recordValues(r).every((x) => isSentinel(x, spans));
}

/** A fresh record shaped as the shape's, each sentinel replaced by the value it stands for. */
function withValues(proto: LineRecord, values: Float64Array): LineRecord {
  const v = (x: number) => values[x - SENTINEL];
  const pm = proto.metrics;
  const metrics: Metric[] = [];
  for (let k = 0; k < pm.length; k++) metrics.push({ column: pm[k].column, value: values[pm[k].value - SENTINEL], role: pm[k].role });
  const r: LineRecord = { metrics, broken: proto.broken };
  if (proto.global !== undefined) r.global = v(proto.global);
  if (proto.stepKey !== undefined) r.stepKey = proto.stepKey;
  const c = proto.counter;
  if (c) r.counter = { value: v(c.value), total: c.total === undefined ? undefined : v(c.total), perEpoch: c.perEpoch, key: c.key };
  if (proto.epoch) r.epoch = { value: v(proto.epoch.value), integer: proto.epoch.integer };
  if (proto.epochEnd !== undefined) r.epochEnd = v(proto.epochEnd);
  if (proto.leadStep !== undefined) r.leadStep = v(proto.leadStep);
  if (proto.generator !== undefined) r.generator = proto.generator;
  return r;
}

/** The whole number of the digit run at i (at most MAX_SLOT_DIGITS digits: exact). */
function digitsAt(s: string, i: number): number {
  let value = 0;
  for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) value = value * 10 + (c - 48);
  return value;
}
