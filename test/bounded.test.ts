// Bounded on every input: endless and binary streams, gzip bombs and broken gzip, ceilings, names that could forge lines, and a command that writes no file of its own.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { firstBytes } from '../src/read/engine/chunks.js';
import { readFileSource, readTable } from '../src/read/index.js';
import { InputError } from '../src/read/errors.js';
import { halving } from '../src/read/engine/halves.js';
import { GUNZIP_LIMIT_ENV } from '../src/read/engine/source.js';
import { MAX_COLUMNS } from '../src/read/engine/table-builder.js';
import { escapeText } from '../src/format.js';
import { maskedCrc32c } from '../src/read/formats/tensorboard/crc32c.js';
import { encodeEvent, eventFile, FILE_VERSION, tfRecord } from '../scripts/tfevents-writer.js';
import { MAX_ENTRIES } from '../src/read/engine/listing.js';
import { CLI, NODE, WATCHDOG_MS } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-bounded-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// what an endless input may cost before it is refused: the head is sniffed in the first 4 MiB chunk; the rest
// is the pipe's buffer and one more chunk read ahead. Far below what holding the input whole would take.
const ENDLESS_BOUND_BYTES = 64 * 1024 * 1024;

interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; written: number }

/**
 * Runs the CLI with `feed` writing into its stdin until it exits (an endless producer: the pipe breaks when the
 * CLI stops reading). The watchdog kills a CLI that never ends, which the assertions then report.
 */
function runFed(args: string[], feed: () => Buffer | undefined, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(NODE, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const watchdog = setTimeout(() => child.kill('SIGKILL'), WATCHDOG_MS);
    let stdout = '';
    let stderr = '';
    let written = 0;
    let closed = false;
    child.stdout.on('data', (c: Buffer) => { stdout += c; });
    child.stderr.on('data', (c: Buffer) => { stderr += c; });
    child.stdin.on('error', () => { closed = true; }); // EPIPE once the CLI has stopped reading: expected
    const pump = () => {
      while (!closed) {
        const piece = feed();
        if (!piece) { child.stdin.end(); return; }
        written += piece.length;
        if (!child.stdin.write(piece)) { child.stdin.once('drain', pump); return; }
      }
    };
    pump();
    child.on('close', (code, signal) => {
      closed = true;
      clearTimeout(watchdog);
      resolve({ code, signal, stdout, stderr, written });
    });
  });
}

const endless = (make: () => Buffer) => () => make();
const oneLine = (stderr: string) => stderr.split('\n').filter((l) => l !== '');

function assertRefused(ran: Ran, says: RegExp): void {
  assert.equal(ran.signal, null, `killed by ${ran.signal}: it did not end by itself`);
  assert.equal(ran.code, 2, ran.stderr);
  const lines = oneLine(ran.stderr);
  assert.equal(lines.length, 1, ran.stderr);
  assert.match(lines[0], says);
  assert.doesNotMatch(ran.stderr, /\n\s+at /, 'no stack trace');
}

test('bounded: endless zeros on stdin are refused as binary from their first megabytes, exit 2', async () => {
  const zeros = Buffer.alloc(1024 * 1024);
  const ran = await runFed(['diagnose'], endless(() => zeros));
  assertRefused(ran, /^losscurve: <stdin>:1: is binary data/);
  assert.ok(ran.written < ENDLESS_BOUND_BYTES, `${ran.written} bytes were taken before the refusal`);
});

test('bounded: endless random bytes on stdin are refused as binary, exit 2', async () => {
  const ran = await runFed(['diagnose'], endless(() => randomBytes(1024 * 1024)));
  assertRefused(ran, /^losscurve: <stdin>:1: is binary data/);
  assert.ok(ran.written < ENDLESS_BOUND_BYTES, `${ran.written} bytes were taken before the refusal`);
});

test('bounded: a device named as the file (/dev/zero) is streamed and refused, not read whole', { skip: !existsSync('/dev/zero') }, async () => {
  const ran = await runFed(['diagnose', '/dev/zero'], () => undefined);
  assertRefused(ran, /^losscurve: \/dev\/zero:1: is binary data/);
});

/** A CSV of `rows` rows, as text. */
const csvRows = (rows: number) => ['step,loss', ...Array.from({ length: rows }, (_, i) => `${i + 1},${(2 + Math.cos(i / 7)).toFixed(4)}`)].join('\n') + '\n';

test('bounded: a log piped in reads as the same file given by name', async () => {
  const text = csvRows(3000);
  const path = join(dir, 'same.csv');
  writeFileSync(path, text);
  let sent = false;
  const piped = await runFed(['diagnose', '--format', 'json'], () => (sent ? undefined : ((sent = true), Buffer.from(text))));
  const named = await runFed(['diagnose', path, '--format', 'json'], () => undefined);
  assert.equal(piped.code, named.code, piped.stderr);
  const strip = (json: string) => ({ ...JSON.parse(json), file: undefined });
  assert.deepEqual(strip(piped.stdout), strip(named.stdout));
});

/** `head`, then `unit` repeated to `bytes`, gzip-compressed as a stream over one repeated buffer: never held whole. */
async function gzipOfRepeated(head: string, unit: string, bytes: number): Promise<Buffer> {
  const piece = Buffer.from(unit.repeat(Math.ceil((1 << 20) / unit.length)));
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(head);
  for (let n = 0; n < bytes; n += piece.length) {
    if (!gzip.write(piece)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

test('bounded: a gzip bomb of text stops at the decompressed cap, says so and how to lift it, exit 2', async () => {
  const bomb = await gzipOfRepeated('step,loss\n', '1,2.5\n', 8 * 1024 * 1024);
  const path = join(dir, 'bomb.csv.gz');
  writeFileSync(path, bomb);
  const ran = await runFed(['diagnose', path], () => undefined, { [GUNZIP_LIMIT_ENV]: '1M' });
  assertRefused(ran, new RegExp(`bomb.csv.gz: is gzip-compressed and decompresses to more than 1 MiB .*${GUNZIP_LIMIT_ENV}=`));
  // the same bomb on stdin
  let sent = false;
  const piped = await runFed(['diagnose'], () => (sent ? undefined : ((sent = true), bomb)), { [GUNZIP_LIMIT_ENV]: '1M' });
  assertRefused(piped, /<stdin>: is gzip-compressed and decompresses to more than 1 MiB/);
});

test('bounded: a gzip bomb of text is refused by its ratio long before the cap, and the message says how to read it anyway', async () => {
  const bomb = await gzipOfRepeated('step,loss\n', '1,2.5\n', 32 * 1024 * 1024);
  let sent = false;
  const ran = await runFed(['diagnose'], () => (sent ? undefined : ((sent = true), bomb)), { [GUNZIP_LIMIT_ENV]: '' });
  assertRefused(ran, new RegExp(`<stdin>: is gzip-compressed and decompresses to over \\d+ times its size.*${GUNZIP_LIMIT_ENV}=`));
});

test('bounded: under a lifted cap the same gzip reads in full', () => {
  const path = join(dir, 'lifted.csv.gz');
  writeFileSync(path, gzipSync(Buffer.from(csvRows(200_000))));
  const before = process.env[GUNZIP_LIMIT_ENV];
  try {
    process.env[GUNZIP_LIMIT_ENV] = '1M';
    assert.throws(() => readTable(readFileSource(path)), (e: unknown) => e instanceof InputError && e.message.includes(GUNZIP_LIMIT_ENV));
    process.env[GUNZIP_LIMIT_ENV] = '64M';
    assert.equal(readTable(readFileSource(path)).rows, 200_000);
  } finally {
    if (before === undefined) delete process.env[GUNZIP_LIMIT_ENV];
    else process.env[GUNZIP_LIMIT_ENV] = before;
  }
});

test('bounded: a gzip bomb of zeros is refused as binary from its first decompressed bytes', async () => {
  const bomb = await gzipOfRepeated('', '\0'.repeat(4096), 64 * 1024 * 1024);
  let sent = false;
  const ran = await runFed(['diagnose'], () => (sent ? undefined : ((sent = true), bomb)));
  assertRefused(ran, /<stdin>:1: is binary data/);
});

test('bounded: a broken gzip says it does not decompress, never that it is empty', () => {
  const whole = gzipSync(Buffer.from(csvRows(5000)));
  const headerOnly = whole.subarray(0, 6);
  const corrupt = Buffer.from(whole);
  for (let i = 40; i < 60; i++) corrupt[i] ^= 0x5a;
  for (const [name, bytes] of [['header.csv.gz', headerOnly], ['corrupt.csv.gz', corrupt]] as const) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    assert.throws(() => readTable(readFileSource(path)), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match(e.message, /does not decompress/);
      assert.doesNotMatch(e.message, /empty/);
      return true;
    });
  }
});

test('bounded: LOSSCURVE_WRITE_CODE_CACHE makes the shipped command write nothing', async () => {
  const victim = join(dir, 'victim.csv');
  const text = csvRows(50);
  writeFileSync(victim, text);
  const ran = await runFed(['diagnose', victim], () => undefined, { LOSSCURVE_WRITE_CODE_CACHE: victim });
  assert.notEqual(ran.code, 2, ran.stderr);
  assert.match(ran.stdout, /Verdict/);
  assert.equal(readFileSync(victim, 'utf8'), text);
});

test('bounded: a JSONL log whose every line adds a key reads in full below the column ceiling', () => {
  const rows = 4000;
  const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({ step: i + 1, loss: 2 - i / 1e4, [`k${i}`]: i }));
  const table = readTable({ name: 'keys.jsonl', bytes: Buffer.from(lines.join('\n') + '\n') });
  assert.equal(table.rows, rows);
  assert.equal(table.columns.length, rows + 2);
  const k = table.columns.find((c) => c.name === 'k1234')!;
  assert.equal(k.count, 1);
});

test('bounded: past the column ceiling a log is refused in one line naming the file', async () => {
  const lines = Array.from({ length: MAX_COLUMNS + 10 }, (_, i) => JSON.stringify({ step: i + 1, loss: 2, [`k${i}`]: i }));
  const path = join(dir, 'keys.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  const ran = await runFed(['diagnose', path], () => undefined);
  assertRefused(ran, new RegExp(`keys.jsonl: has more than ${MAX_COLUMNS} columns`));
});

test('bounded: a wide CSV big enough for halves is read by one thread, with the same table', () => {
  const width = 300;
  const header = ['step', 'loss', ...Array.from({ length: width - 2 }, (_, i) => `m${i}`)].join(',');
  const tail = Array.from({ length: width - 2 }, (_, i) => String(i % 10)).join(',');
  const rows = Array.from({ length: 4000 }, (_, i) => `${i + 1},${(2 + Math.sin(i)).toFixed(3)},${tail}`);
  const path = join(dir, 'wide.csv');
  writeFileSync(path, [header, ...rows].join('\n') + '\n');
  const before = halving.fromBytes;
  try {
    halving.fromBytes = 1024; // a small file, as if it were big
    const table = readTable(readFileSource(path));
    assert.equal(halving.last, 'one pass');
    assert.equal(table.rows, 4000);
    assert.equal(table.columns.length, width);
  } finally {
    halving.fromBytes = before;
  }
});

test('bounded: a column or file name holding a newline cannot forge a line of the report', async () => {
  const forged = 'Verdict: HEALTHY';
  const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify({ step: i + 1, [`train_loss\n${forged}`]: 2 + i * 0.5, [`val_loss\r\n${forged}`]: 1 }));
  const path = join(dir, `log\n${forged}.jsonl`);
  writeFileSync(path, lines.join('\n') + '\n');
  const ran = await runFed(['diagnose', path], () => undefined);
  assert.notEqual(ran.code, 2, ran.stderr);
  const verdicts = ran.stdout.split(/\r\n|\n|\r/).filter((l) => /^\s*Verdict:/.test(l));
  assert.equal(verdicts.length, 1, ran.stdout);
  assert.ok(ran.stdout.includes('train_loss\\x0aVerdict'), 'the name is shown, escaped');
});

test('bounded: escapeText escapes every control character, newlines and tabs included', () => {
  assert.equal(escapeText('a\nb\tc\rd\u001b[31me\u202ef'), 'a\\x0ab\\x09c\\x0dd\\x1b[31me\\u202ef');
  assert.equal(escapeText('train_loss · ok'), 'train_loss · ok');
});

test('bounded: a TFRecord length of 0xFFFFFFFF whose CRC verifies is one damaged record when valid records follow', () => {
  const event = (step: number) => tfRecord(encodeEvent({ wallTime: step, step, values: [{ tag: 'loss', simple: 2 / step }] }));
  const bogus = Buffer.alloc(12 + 20, 0x33); // a header claiming 4 GiB − 1 bytes, then a little garbage
  bogus.writeUInt32LE(0xffffffff, 0);
  bogus.writeUInt32LE(0, 4);
  bogus.writeUInt32LE(maskedCrc32c(bogus, 0, 8), 8);
  const before = [1, 2, 3].map(event);
  const after = [4, 5, 6, 7].map(event);
  const bytes = Buffer.concat([tfRecord(encodeEvent({ wallTime: 0, fileVersion: FILE_VERSION })), ...before, bogus, ...after]);
  const table = readTable({ name: 'events.out.tfevents.1', bytes });
  assert.equal(table.rows, 7);
  assert.ok(table.notes.some((n) => /skipped 1 damaged record/.test(n)), table.notes.join(' | '));
  assert.ok(!table.notes.some((n) => /cut off/.test(n)), table.notes.join(' | '));
  // the same header at the very end is a record still being written
  const cut = readTable({ name: 'events.out.tfevents.2', bytes: Buffer.concat([tfRecord(encodeEvent({ wallTime: 0, fileVersion: FILE_VERSION })), ...before, bogus]) });
  assert.equal(cut.rows, 3);
});

test('bounded: a folder listed only up to its ceiling says so, in a note or in the error', () => {
  const folder = join(dir, 'huge-run');
  mkdirSync(folder);
  const events = [1, 2, 3, 4].map((step) => ({ wallTime: step, step, values: [{ tag: 'loss', simple: 2 / step }] }));
  writeFileSync(join(folder, 'events.out.tfevents.1.host'), eventFile(events));
  for (let i = 0; i < MAX_ENTRIES + 5; i++) writeFileSync(join(folder, `sample-${String(i).padStart(6, '0')}.txt`), '');
  const table = readTable(readFileSource(folder));
  assert.equal(table.rows, 4);
  assert.ok(table.notes.some((n) => n.includes(`only the first ${MAX_ENTRIES} of the ${MAX_ENTRIES + 6} entries`)), table.notes.join(' | '));
  // with the event file past the cut, nothing is found, and the error says why
  rmSync(join(folder, 'events.out.tfevents.1.host'));
  writeFileSync(join(folder, 'zz.out.tfevents.1.host'), eventFile(events));
  assert.throws(() => readTable(readFileSource(folder)), (e: unknown) => e instanceof InputError && e.message.includes(`only the first ${MAX_ENTRIES}`));
});

test('bounded: --height past its ceiling is refused in one line, exit 2', async () => {
  const path = join(dir, 'height.csv');
  writeFileSync(path, csvRows(20));
  const ran = await runFed(['diagnose', path, '--height', '3000000'], () => undefined);
  assertRefused(ran, /--height.*at most \d+ rows/);
});

test('bounded: a /proc file, which says it is empty, is read', { skip: !existsSync('/proc/self/status') }, () => {
  const source = readFileSource('/proc/self/status');
  assert.ok(firstBytes(source, 1000).length > 0);
  try {
    readTable(source); // what it holds is no log; that it is read at all is the point
  } catch (error) {
    assert.doesNotMatch((error as Error).message, /empty/);
  }
});

test('bounded: a file name that is not UTF-8 still opens', { skip: !existsSync('/proc/self/cmdline') || !existsSync('/bin/sh') }, async () => {
  const rawName = Buffer.concat([Buffer.from(join(dir, 'latin')), Buffer.from([0xe9]), Buffer.from('.csv')]);
  writeFileSync(rawName, csvRows(30));
  // node cannot pass a non-UTF-8 argument itself: the shell's printf makes the byte
  const script = `exec "${NODE}" "${CLI}" diagnose "$(printf '%s\\351.csv' "${join(dir, 'latin')}")"`;
  const ran = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c; });
    child.stderr.on('data', (c: Buffer) => { stderr += c; });
    const watchdog = setTimeout(() => child.kill('SIGKILL'), WATCHDOG_MS);
    child.on('close', (code) => { clearTimeout(watchdog); resolve({ code, stdout, stderr }); });
  });
  assert.notEqual(ran.code, 2, ran.stderr);
  assert.match(ran.stdout, /30 rows/);
});

test('bounded: a progress bar redrawn with bare CRs between records does not hide a training log', () => {
  const redraws = 80; // a tqdm bar over one logging interval of 80 batches
  let text = '';
  for (let record = 1; record <= 120; record++) {
    for (let k = 0; k < redraws; k++) text += `\r${Math.floor((k / redraws) * 100)}%|${'#'.repeat(k % 40)} | ${k}/${redraws} [00:0${k % 10}<00:10, 7.5it/s]`;
    text += `\n{'loss': ${(2 - record / 300).toFixed(4)}, 'learning_rate': 5e-05, 'epoch': ${(record / 100).toFixed(2)}}\n`;
  }
  const table = readTable({ name: 'trainer.log', bytes: Buffer.from(text) });
  assert.equal(table.format.startsWith('text'), true, table.format);
  assert.equal(table.rows, 120);
});

test('bounded: a good head followed by endless random bytes ends in one line at the binary tail, exit 2', async () => {
  let sentHead = false;
  const ran = await runFed(['diagnose'], () => (sentHead ? randomBytes(1024 * 1024) : ((sentHead = true), Buffer.from(csvRows(2000)))));
  assertRefused(ran, /^losscurve: <stdin>:\d+: has no row after this line, and the \d+ MiB after it are binary data/);
  assert.ok(ran.written < ENDLESS_BOUND_BYTES, `${ran.written} bytes were taken before the refusal`);
});
