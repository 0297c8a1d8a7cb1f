// Fuzzing: the project's fixtures mutated (bit flips, cuts, duplicated/deleted lines, splices, junk) must give exit 0/1/2, one clean line on error, never a stack trace or a hang.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hasStackTrace, runGuarded, type CaseResult } from './helpers/watchdog.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'fixtures');
const CASES = Number(process.env.FUZZ_CASES ?? 3000); // a few thousand in the suite; `npm run fuzz` runs 100,000
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const CASE_LIMIT_MS = 1000; // the bound: a case past a second is a hang or a runaway pattern, whatever the machine
const LONG_LINE_BYTES = 1.5 * 1024 * 1024; // past the 1 MiB line limit, so the overlong path is hit too
const SPAWNED = 8; // real processes, to see exit codes and stderr end to end
const ONLY = process.env.FUZZ_ONLY; // "8337": run just that case of the seed, to look into a failure

const dir = mkdtempSync(join(tmpdir(), 'losscurve-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: a small seeded generator, so a failing case can be made again from its number. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fixtureFiles(path: string): string[] {
  return readdirSync(path).flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return fixtureFiles(full);
    return /\.(csv|tsv|jsonl|log|txt|json)$/.test(name) ? [full] : [];
  });
}

const JUNK: Buffer[] = [
  Buffer.from('\u0000\u0000\u0000'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('\u001b[2J\u001b]0;pwned\u0007'),
  Buffer.from('Traceback (most recent call last):\n  File "train.py", line 1, in <module>\nKeyError: \'loss\'\n'),
  Buffer.from('1e999'), Buffer.from('-0'), Buffer.from('0x10'), Buffer.from('1_000'), Buffer.from('nan'), Buffer.from('"'),
  Buffer.from('{"__proto__": {"x": 1}, "constructor": 2, "loss": 1}'), Buffer.from(',,,,,,'), Buffer.from('\r\r\r'),
  Buffer.from('\u202e\u2066'), Buffer.from('{'.repeat(200)), Buffer.from('step,loss\n'),
];

type Mutation = (bytes: Buffer, rnd: () => number, other: Buffer) => Buffer;

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const at = (rnd: () => number, bytes: Buffer) => Math.floor(rnd() * (bytes.length + 1));

/** The line boundaries of `bytes`: start offsets of each line. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) starts.push(i + 1);
  return starts;
}

const MUTATIONS: Record<string, Mutation> = {
  'flip bits': (b, rnd) => {
    const out = Buffer.from(b);
    const flips = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < flips && out.length; k++) out[Math.floor(rnd() * out.length)] ^= 1 << Math.floor(rnd() * 8);
    return out;
  },
  truncate: (b, rnd) => b.subarray(0, at(rnd, b)),
  'duplicate lines': (b, rnd) => {
    const starts = lineStarts(b);
    const from = pick(rnd, starts);
    const to = Math.min(b.length, from + Math.floor(rnd() * 400));
    const p = at(rnd, b);
    return Buffer.concat([b.subarray(0, p), b.subarray(from, to), b.subarray(p)]);
  },
  'delete lines': (b, rnd) => {
    const starts = lineStarts(b);
    const i = Math.floor(rnd() * starts.length);
    const j = Math.min(starts.length - 1, i + 1 + Math.floor(rnd() * 5));
    return Buffer.concat([b.subarray(0, starts[i]), b.subarray(j > i ? starts[j] : b.length)]);
  },
  splice: (b, rnd, other) => Buffer.concat([b.subarray(0, at(rnd, b)), other.subarray(at(rnd, other))]),
  'insert junk': (b, rnd) => {
    const p = at(rnd, b);
    return Buffer.concat([b.subarray(0, p), pick(rnd, JUNK), b.subarray(p)]);
  },
  'swap delimiter': (b, rnd) => {
    const [from, to] = pick(rnd, [[44, 59], [44, 9], [9, 44], [58, 44], [34, 39]] as const);
    return Buffer.from(b.map((c) => (c === from && rnd() < 0.5 ? to : c)));
  },
  'long line': (b, rnd) => {
    const p = lineStarts(b).length > 1 ? pick(rnd, lineStarts(b)) : 0;
    const line = Buffer.alloc(rnd() < 0.5 ? LONG_LINE_BYTES : 4096, rnd() < 0.5 ? '9,' : 'a');
    return Buffer.concat([b.subarray(0, p), line, Buffer.from('\n'), b.subarray(p)]);
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);
// long lines are costly to make and read: one case in a hundred or so
const WEIGHTED = MUTATION_NAMES.flatMap((name) => (name === 'long line' ? [name] : Array(20).fill(name)));

interface FuzzCase { file: string; bytes: Buffer; args: string[]; description: string }

function makeCases(count: number, seed: number): FuzzCase[] {
  const rnd = generator(seed);
  const sources = fixtureFiles(FIXTURES).map((path) => ({ path, bytes: readFileSync(path) }));
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(rnd, sources);
    const other = pick(rnd, sources);
    let bytes: Buffer = base.bytes;
    const applied: string[] = [];
    const times = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < times; k++) {
      const name = pick(rnd, WEIGHTED);
      bytes = MUTATIONS[name](bytes, rnd, other.bytes);
      applied.push(name);
    }
    const file = join(dir, `case-${i % 64}${extname(base.path)}`); // files are reused: cases run one at a time
    const args = ['diagnose', file, ...(rnd() < 0.5 ? ['--format', 'json'] : []), ...(rnd() < 0.1 ? ['--input-format', pick(rnd, ['csv', 'jsonl'])] : [])];
    // the bytes are written just before the case runs
    cases.push({ file, bytes, args, description: `case ${i} (seed ${seed}): ${base.path.slice(FIXTURES.length + 1)} + ${applied.join(', ')}` });
  }
  return cases;
}

/** What is wrong with one case's outcome, or undefined. */
function problem(result: CaseResult): string | undefined {
  if (result.timedOut) return `took more than ${CASE_LIMIT_MS} ms`;
  if (result.threw) return `main() threw: ${result.threw.split('\n')[0]}`;
  if (![0, 1, 2].includes(result.code)) return `exit code ${result.code}`;
  if (hasStackTrace(result.stderr)) return 'a stack trace on stderr';
  if (result.stderr.includes('internal error')) return `an internal error: ${result.stderr.trim()}`;
  if (result.code === 2 && result.stderr.trimEnd().split('\n').length !== 1) return 'an error of more than one line';
  if (result.code !== 2 && result.stdout.length === 0) return 'no report';
  return undefined;
}

test(`fuzz: ${CASES} mutated fixtures, in-process`, { timeout: 30 * 60 * 1000 }, async () => {
  let cases = makeCases(ONLY ? Number(ONLY) + 1 : CASES, SEED);
  if (ONLY) {
    cases = cases.slice(Number(ONLY));
    writeFileSync(join(tmpdir(), `losscurve-fuzz-case-${ONLY}${extname(cases[0].file)}`), cases[0].bytes); // kept, to look at
  }
  const failures: string[] = [];
  const codes = new Map<number, number>();
  const argsFor = cases.map((c) => c.args);
  let next = 0;
  const write = (i: number) => writeFileSync(cases[i].file, cases[i].bytes);
  write(next++);
  await runGuarded(argsFor, CASE_LIMIT_MS, (result) => {
    const trouble = problem(result);
    if (trouble) failures.push(`${cases[result.id].description}: ${trouble}`);
    if (!result.timedOut) codes.set(result.code, (codes.get(result.code) ?? 0) + 1);
    if (next < cases.length) write(next++);
  });
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases failed`);
  // the mutations must reach every outcome, or they test nothing
  assert.ok(ONLY !== undefined || (codes.get(0) ?? 0) + (codes.get(1) ?? 0) > 0 && (codes.get(2) ?? 0) > 0, `exit codes seen: ${[...codes]}`);
});

test('fuzz: real processes give exit 0/1/2 and one clean line on stderr', () => {
  const bin = join(ROOT, 'bin', 'losscurve.js');
  const cases = makeCases(SPAWNED, SEED + 1);
  for (const c of cases) {
    writeFileSync(c.file, c.bytes);
    const run = spawnSync(process.execPath, [bin, ...c.args], { encoding: 'utf8' });
    const trouble = problem({ id: 0, code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr });
    assert.equal(trouble, undefined, `${c.description}: ${trouble}`);
  }
});
