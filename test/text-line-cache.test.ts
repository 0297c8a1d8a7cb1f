// The line-shape cache reads each training-stdout line as the full tokenizer does: the same table, seeded random digits in every shape.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LineShapeCache } from '../src/read/formats/text/line-cache.js';
import { TextLineParser } from '../src/read/formats/text/parser.js';
import { FIXTURES } from './helpers.js';

/** Reads the lines with the cache on or off; the table, the parser's counts, and how many lines the cache read. */
function read(lines: string[], cached: boolean, lastTerminated = true): { table: string; counts: string; hits: number } {
  const match = LineShapeCache.prototype.match;
  let hits = 0;
  LineShapeCache.prototype.match = cached
    ? function (this: LineShapeCache, text: string) {
      const known = match.call(this, text);
      if (known) hits++;
      return known;
    }
    : () => undefined;
  try {
    const parser = new TextLineParser();
    lines.forEach((line, i) => parser.line(line, i + 1, i < lines.length - 1 || lastTerminated));
    const table = parser.finish();
    const counts = `${parser.recordLines} ${parser.placeLines} ${parser.textLines}`;
    return { table: serialise(table), counts, hits };
  } finally {
    LineShapeCache.prototype.match = match;
  }
}

/** Typed arrays, NaN and -0 written out, so two tables compare cell by cell. */
function serialise(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as Float64Array, (x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x));
    if (v instanceof Set || v instanceof Map) return [...v];
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
}

/** A seeded generator (a linear congruential one): the same lines on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Digits of a length mostly 1-6, sometimes past 15 (the cache's longest run) or with leading zeros. */
function digits(rnd: () => number, length?: number): string {
  const n = length ?? (rnd() < 0.05 ? 14 + Math.floor(rnd() * 8) : 1 + Math.floor(rnd() * 6));
  let out = '';
  for (let k = 0; k < n; k++) out += String(Math.floor(rnd() * 10));
  return out;
}

/** A number as a trainer prints it, with now and then a sign, an exponent or no fraction. */
function number(rnd: () => number): string {
  const sign = rnd() < 0.08 ? '-' : '';
  const int = digits(rnd);
  const frac = rnd() < 0.8 ? `.${digits(rnd)}` : '';
  const exp = rnd() < 0.15 ? `e${rnd() < 0.5 ? '-' : '+'}${digits(rnd, 1 + Math.floor(rnd() * 3))}` : '';
  return sign + int + frac + exp;
}

// {n}: a whole number; {f}: any number; {1} to {4}: that many digits (dates and clock times).
const SHAPES = [
  'step {n} | loss {f} | lr {f} | dt {f}ms',
  'step {n}: train loss {f}, val loss {f}',
  'iter {n}: loss {f}, time {f}ms, mfu {f}%',
  "{'loss': {f}, 'grad_norm': {f}, 'learning_rate': {f}, 'epoch': {f}}",
  '{"loss": {f}, "step": {n}}',
  'json_stats: {"loss": {f}, "iter": {n}}',
  '{n} train {f}',
  '-{n} train {f}',
  'step {n}/{n} | loss {f} | norm {f}',
  ' iteration {n}/ {n} | lm loss: {f} | grad norm: {f} |',
  '| epoch {n} | {n}/ {n} batches | lr {f} | loss {f}',
  '{4}-{2}-{2} {2}:{2}:{2},{3} INFO step {n} loss {f}',
  '{4}-{2}-{2} {2}:{2}:{2},{3} - train - INFO - step {n} loss {f}',
  '[{2}:{2}:{2}] step {n} loss {f}',
  '{2}:{2} step {n} loss {f}',
  'step {n} loss {n},{n}',
  'step {n} loss {n},{3}',
  'step {n} loss 0x{n}',
  'step {n} loss {n}x{n}',
  'step {n} loss {f} ({f})',
  'step {n} loss {f} (inf)',
  'mtp_{n} loss {f}',
  'step {n} loss {f}.{n}',
  'step {n} loss {n}-{n}',
  'step {n} loss {4}-{n}',
  'step {n} loss {f} INFO {f}',
  'step {n} loss {f} INFORMATION',
  '   step {n} loss {f}',
  'step {n} loss nan',
  'step {n} loss {f} lr {f}',
  'D_A: {f} G_A: {f} cycle_A: {f} D_B: {f} G_B: {f}',
  '(epoch: {n}, iters: {n}, time: {f}, data: {f}) D_A: {f} G_A: {f} cycle_A: {f}',
  'Epoch: [{n}][ {n}/{n}] loss {f} ({f})',
  'Epoch [{n}/{n}], Step [{n}/{n}], Loss: {f}',
  'epoch {n} iter {n} loss {f}',
  'Epoch {n}/{n}',
  '  loss={f}',
  '  val_loss={f} lr={f}',
  'end of epoch {n} | valid loss {f}',
  'loss={f} grad_norm={f}',
  'loss 1.#INF',
  'loss {n}.#QNAN',
  '{n}/{n} [==========] - ETA: {n}s - loss: {f}',
  'train/loss={f} train/lr={f} step={n}',
  'loss {f}abc{n}',
  'step {n} loss {f}{n}',
  'step {n} loss ={f}',
  'step {n}, loss: {f}, acc: {f}%, eval_loss: {f}',
  '=== Training Loss ({2}:{2}:{2}) ===',
  'def step{n}(loss={f}):',
  '    val_loss = {f}',
  'print(f"step {n} loss {loss:.4f}")',
  '{n}-{2}-{2} step {n} loss {f}',
  '{n}-{2}-{2} loss {f}', // a date only with four digits first: else the line opens with its step
  'step {n} loss {1}x{2}',
  'step {n} lr {1}XAb loss {f}', // "0XAb" is a hex literal, "1XAb" a value with a unit
  `step {n} ${'word '.repeat(29)}INFO loss {f}`, // the level word's end moves across tokens.ts's 160-character window
];

function fill(shape: string, rnd: () => number): string {
  return shape.replace(/\{(n|f|1|2|3|4)\}/g, (_m, kind: string) => (kind === 'n' ? digits(rnd) : kind === 'f' ? number(rnd) : digits(rnd, Number(kind))));
}

/** Reads the lines with the cache and without, both with the last line terminated and without; returns the lines the cache read. */
function assertSame(lines: string[], what: string): number {
  let hits = 0;
  for (const lastTerminated of [true, false]) {
    const slow = read(lines, false, lastTerminated);
    const fast = read(lines, true, lastTerminated);
    assert.equal(fast.table, slow.table, what);
    assert.equal(fast.counts, slow.counts, what);
    hits += fast.hits;
  }
  return hits;
}

test('lines of every shape read the same with the line-shape cache as without it', () => {
  const rnd = random(11);
  let hits = 0;
  for (const shape of SHAPES) {
    // a log of mostly one shape (the cache's case), now and then a line of another, as logs interleave their kinds of line
    for (let trial = 0; trial < 2; trial++) {
      const lines: string[] = [];
      for (let k = 0; k < 60; k++) lines.push(fill(k % 7 === 6 ? SHAPES[Math.floor(rnd() * SHAPES.length)] : shape, rnd));
      hits += assertSame(lines, `${shape}, trial ${trial}`);
    }
  }
  // and every shape mixed in short runs, where shapes are learnt and dropped unread (the cache backs off)
  for (let trial = 0; trial < 10; trial++) {
    const lines: string[] = [];
    while (lines.length < 400) {
      const shape = SHAPES[Math.floor(rnd() * SHAPES.length)];
      const run = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < run; k++) lines.push(fill(shape, rnd));
    }
    hits += assertSame(lines, `mixed, trial ${trial}`);
  }
  assert.ok(hits > 3_000, `the cache read ${hits} lines`); // it is used, so the comparisons above compare something
});

test('every shipped training-stdout fixture reads the same with the cache as without it', () => {
  const dir = join(FIXTURES, 'formats', 'stdout');
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile() && !f.endsWith('.gz'));
  assert.ok(files.length > 10);
  for (const file of files) {
    const lines = readFileSync(join(dir, file), 'utf8').split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') lines.pop();
    const slow = read(lines, false);
    const fast = read(lines, true);
    assert.equal(fast.table, slow.table, file);
    assert.equal(fast.counts, slow.counts, file);
  }
});

test('a line that differs from a cached one in more than digits is read afresh', () => {
  const lines = ['step 1 | loss 2.5 | lr 3e-4', 'step 2 | loss 2.4 | lr 3e-4', 'step 3 | loss nan | lr 3e-4', 'step 4 | loss 2.3 | lr 3e-4 | dt 1ms', 'step 5 | val loss 2.9 | lr 3e-4'];
  const fast = read(lines, true);
  assert.equal(fast.table, read(lines, false).table);
  assert.equal(fast.hits, 1); // only step 2 has the shape of a line before it
});
