// Bench of bounded reading: peak memory of diagnose on one log from a file, redirected to stdin and piped in; and gzip bombs' time and memory.

import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { writeLog } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'losscurve.js');
const MAX_RSS = join(ROOT, 'bench', 'max-rss.mjs');
const ROWS = Number(process.env.BENCH_HOSTILE_ROWS ?? 1e7);
const BOMB_BYTES = Number(process.env.BENCH_BOMB_BYTES ?? 2e9); // 2 GB decompressed: the issue's bomb, ~2 MB compressed
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const HANG_MS = 300_000;

// The issue's targets, printed beside the numbers they judge.
const MAX_STDIN_RATIO = 1.1; // stdin's peak memory within 10% of the file's
const MAX_BOMB_MS = 1000;
const MAX_BOMB_MB = 100;

const dir = mkdtempSync(join(tmpdir(), 'losscurve-bench-hostile-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const log = (text) => process.stderr.write(`${text}\n`);

/** Runs `losscurve diagnose` through /bin/sh (`input` is the shell's way in: a path, `< file`, or `cat file |`): wall time, peak RSS, exit code, stderr. */
function run(input, env = {}) {
  const rssFile = join(dir, 'rss');
  rmSync(rssFile, { force: true });
  const node = `"${process.execPath}" --import "${MAX_RSS}" "${BIN}" diagnose`;
  const script = input.pipe ? `cat "${input.pipe}" | ${node}` : input.redirect ? `${node} < "${input.redirect}"` : `${node} "${input.path}"`;
  const started = performance.now();
  const result = spawnSync('/bin/sh', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env, LOSSCURVE_BENCH_RSS: rssFile }, timeout: HANG_MS });
  const ms = performance.now() - started;
  if (result.error?.code === 'ETIMEDOUT') throw new Error(`${script} hung: no exit after ${HANG_MS / 1000} s`);
  let peakMB = 0;
  try { peakMB = Number(readFileSync(rssFile, 'utf8')) / 1024; } catch { /* no peak recorded */ }
  return { ms, peakMB, code: result.status, stderr: result.stderr.trim() };
}

/** The best time and the largest peak of REPEAT runs. */
function best(input, env) {
  let out;
  for (let k = 0; k < REPEAT; k++) {
    const r = run(input, env);
    out = out ? { ...r, ms: Math.min(out.ms, r.ms), peakMB: Math.max(out.peakMB, r.peakMB) } : r;
  }
  return out;
}

/** A gzip file of `head`, then `unit` repeated to `bytes`, compressed as a stream over one repeated buffer. */
async function writeBomb(path, head, unit, bytes) {
  const piece = Buffer.from(unit.repeat(Math.ceil((1 << 20) / unit.length)));
  const gzip = createGzip({ level: 9 });
  const done = new Promise((resolve, reject) => gzip.pipe(createWriteStream(path)).on('finish', resolve).on('error', reject));
  gzip.write(head);
  for (let n = 0; n < bytes; n += piece.length) {
    if (!gzip.write(piece)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
}

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (mb) => `${mb >= 10 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
const mark = (ok) => (ok ? '✓' : '✗');
const said = (r) => (r.code === 2 ? `exit 2: ${r.stderr.replace(/^losscurve: .*?: (?=is )/, '').slice(0, 80)}…` : r.code === null ? 'crashed (a signal)' : `exit ${r.code}`);

const loadBefore = loadavg()[0];
process.on('exit', () => {
  const after = loadavg()[0];
  const shared = Math.max(loadBefore, after) > cpus().length;
  console.log(`\nLoad average ${loadBefore.toFixed(1)} before, ${after.toFixed(1)} after${shared ? `: above the ${cpus().length} cores, the machine was shared with other work while this ran (times are longer than it gives alone)` : ''}.`);
});
console.log('## losscurve diagnose: bounded on hostile input\n');
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.versions.node}. ` +
  `Best time and largest peak RSS of ${REPEAT} runs, whole process.\n`);

console.log(`| log | input | time | peak RSS | × the file's peak (≤ ${MAX_STDIN_RATIO}) |`);
console.log('|---|---|---:|---:|---:|');
for (const format of ['csv', 'jsonl']) {
  const file = join(dir, `run.${format}`);
  log(`generating ${ROWS} rows of ${format}...`);
  writeLog(file, ROWS, format);
  const size = `${ROWS.toLocaleString('en-US')} rows ${format}, ${fmtMB(statSync(file).size / 1024 ** 2)}`;
  const named = best({ path: file });
  for (const [what, input] of [['file', { path: file }], ['< file (stdin)', { redirect: file }], ['stdin pipe (cat file)', { pipe: file }]]) {
    log(`measuring ${format} from ${what}...`);
    const r = what === 'file' ? named : best(input);
    const ratio = r.peakMB / named.peakMB;
    console.log(`| ${size} | ${what} | ${fmtMs(r.ms)} | ${fmtMB(r.peakMB)} | ${ratio.toFixed(2)} ${mark(ratio <= MAX_STDIN_RATIO)} |`);
  }
  rmSync(file, { force: true });
}

console.log(`\n### Gzip bombs (${(BOMB_BYTES / 1e9).toFixed(BOMB_BYTES < 1e9 ? 3 : 0)} GB decompressed; targets: under ${fmtMs(MAX_BOMB_MS)} and ${MAX_BOMB_MB} MB)\n`);
console.log('| bomb | compressed | input | time | peak RSS | what it said |');
console.log('|---|---:|---|---:|---:|---|');
const bombs = [
  ['zeros', '', '\0'.repeat(4096), {}],
  // a CSV of one row repeated reads as a log until the cap: the default cap, and one lowered as a user might
  ['one CSV row repeated', 'step,loss\n', '1,2.5\n', {}],
  ['one CSV row repeated, LOSSCURVE_MAX_GUNZIP=64M', 'step,loss\n', '1,2.5\n', { LOSSCURVE_MAX_GUNZIP: '64M' }],
];
for (const [name, head, unit, env] of bombs) {
  const path = join(dir, 'bomb.gz');
  log(`making the ${name} bomb...`);
  await writeBomb(path, head, unit, BOMB_BYTES);
  const compressed = fmtMB(statSync(path).size / 1024 ** 2);
  for (const [what, input] of [['file', { path }], ['stdin pipe', { pipe: path }]]) {
    log(`measuring the ${name} bomb from ${what}...`);
    const r = best(input, env);
    const ok = r.code === 2 && r.ms < MAX_BOMB_MS && r.peakMB < MAX_BOMB_MB;
    console.log(`| ${name} | ${compressed} | ${what} | ${fmtMs(r.ms)} | ${fmtMB(r.peakMB)} ${mark(ok)} | ${said(r)} |`);
  }
  rmSync(path, { force: true });
}
