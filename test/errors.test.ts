// Bad input ends in one line naming the file (and the line, where there is one) and exit 2; garbage inside a good log is skipped and counted.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readTable } from '../src/read/index.js';
import { sourceOf } from './helpers/tables.js';
import { hasStackTrace, runGuarded, type CaseResult } from './helpers/watchdog.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'losscurve-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const LIMIT_MS = 10_000; // a watchdog against hangs only

const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));

interface ErrorCase {
  name: string;
  /** Writes the input and returns its path. */
  make: () => string;
  /** The line the message must name, if any. */
  line?: number;
  /** Words (input data: column names) the message must carry. */
  mentions?: string[];
}

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const CASES: ErrorCase[] = [
  { name: 'missing file', make: () => join(dir, 'no-such.csv') },
  { name: 'a directory', make: () => { const path = join(dir, 'a-dir'); mkdirSync(path, { recursive: true }); return path; } },
  { name: 'empty file', make: () => file('empty.csv', '') },
  { name: 'header only', make: () => file('header.csv', 'step,loss,val_loss\n'), line: 1 },
  { name: 'header only, after blank lines', make: () => file('header3.csv', '\n\nstep,loss\n'), line: 3 },
  { name: 'no numeric loss column', make: () => file('noloss.csv', 'step,accuracy,phase\n1,0.5,warmup\n2,0.6,train\n'), line: 1, mentions: ['step', 'accuracy'] },
  { name: 'JSONL without a loss', make: () => file('noloss.jsonl', '{"step": 1, "acc": 0.5}\n{"step": 2, "acc": 0.6}\n'), mentions: ['acc'] },
  { name: 'binary data', make: () => file('data.bin', binary), line: 1 },
  { name: 'text in no log format', make: () => file('notes.txt', 'dear diary\ntoday the model trained\n') },
  { name: 'a broken gzip', make: () => file('broken.csv.gz', gzipSync('step,loss\n1,2\n').subarray(0, 12)) },
  { name: 'a loss column of text', make: () => file('garbage.csv', 'step,loss\n1,x\n2,y\n'), line: 1, mentions: ['loss'] },
  { name: 'every line unreadable', make: () => file('unreadable.jsonl', '{"step": 1, "loss": \n{"step": 2, "loss": \n'), line: 1 },
];

test('every bad input is one line with the file (and line), exit 2, no stack trace', async () => {
  const paths = CASES.map((c) => c.make());
  const results: CaseResult[] = [];
  await runGuarded(paths.map((p) => ['diagnose', p]), LIMIT_MS, (r) => results.push(r));
  for (const r of results) {
    const c = CASES[r.id];
    assert.ok(!r.timedOut, c.name);
    if (r.timedOut) continue;
    assert.equal(r.code, 2, c.name);
    assert.equal(r.stdout, '', c.name);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${c.name}: ${r.stderr}`);
    assert.ok(!hasStackTrace(r.stderr), c.name);
    assert.ok(lines[0].includes(paths[r.id]), `${c.name} names the file: ${lines[0]}`);
    if (c.line !== undefined) assert.ok(lines[0].includes(`${paths[r.id]}:${c.line}:`), `${c.name} names line ${c.line}: ${lines[0]}`);
    for (const word of c.mentions ?? []) assert.ok(lines[0].includes(word), `${c.name} names ${word}: ${lines[0]}`);
  }
});

test('a file without read permission is exit 2, one line', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, () => {
  const path = file('locked.csv', 'step,loss\n1,2\n');
  chmodSync(path, 0);
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'losscurve.js'), 'diagnose', path], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.equal(run.stderr.trimEnd().split('\n').length, 1);
});

test('end to end, the real command prints one line and exits 2 for each kind of bad input', () => {
  for (const c of CASES.slice(0, 4)) {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'losscurve.js'), 'diagnose', c.make()], { encoding: 'utf8' });
    assert.equal(run.status, 2, c.name);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, c.name);
    assert.ok(!hasStackTrace(run.stderr), c.name);
  }
});

// Garbage inside a valid log: each is skipped and counted by line, never a crash, never a zero in the data.
const GARBAGE: Array<[string, string | Buffer, number[]]> = [
  ['a traceback in the middle', 'step,loss\n1,2\nTraceback (most recent call last):\n  File "t.py", line 3\nValueError: x\n2,1.5\n', [3, 4, 5]],
  ['a row with a missing cell', 'step,loss,lr\n1,2,0.1\n2,1.5\n3,1.2,0.1\n', [3]],
  ['text in the loss column', 'step,loss\n1,2\n2,oops\n3,1\n', [3]],
  ['a line of 10 MB', `step,loss\n1,2\n${'7'.repeat(10 * 1024 * 1024)}\n2,1\n`, [3]],
  ['invalid UTF-8', Buffer.concat([Buffer.from('step,loss\n1,2\n2,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n3,1\n')]), [3]],
  ['NUL bytes', 'step,loss\n1,2\n2,\u0000\u0000\n3,1\n', [3]],
  ['JSONL garbage', '{"step": 1, "loss": 2}\nnot json\n{"step": 2, "loss": \n{"step": 3, "loss": 1}\n', [2, 3]],
];

for (const [name, content, skipped] of GARBAGE) {
  test(`garbage inside a log is skipped and counted: ${name}`, () => {
    const table = readTable(sourceOf(typeof content === 'string' ? Buffer.from(content) : content));
    assert.deepEqual(table.skipped.lines, skipped);
    assert.equal(table.skipped.count, skipped.length);
    const loss = table.columns.find((c) => c.name === 'loss')!;
    // every row kept has its real loss, none a zero standing in for garbage
    for (let r = 0; r < table.rows; r++) if (loss.present[r]) assert.ok(loss.values[r] > 0);
  });
}

test('the report counts and names the skipped lines', async () => {
  const path = join(ROOT, 'fixtures', 'read', 'garbage-inside.csv');
  const expected = readTable(sourceOf(readFileSync(path))).skipped;
  assert.ok(expected.count > 0);
  const results: CaseResult[] = [];
  await runGuarded([['diagnose', '--format', 'json', path]], LIMIT_MS, (r) => results.push(r));
  const r = results[0];
  assert.ok(!r.timedOut && r.code !== 2);
  if (r.timedOut) return;
  const notes: string[] = JSON.parse(r.stdout).notes;
  const note = notes.find((n) => n.includes(String(expected.count)) && expected.lines.every((l) => n.includes(String(l))));
  assert.ok(note, `no note names the ${expected.count} skipped lines: ${notes.join(' | ')}`);
});
