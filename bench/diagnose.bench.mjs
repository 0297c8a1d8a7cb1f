// Bench of `losscurve diagnose` on big generated logs: time and peak memory against pandas.read_csv, scaling 10^6 → 10^7, and start-up.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { writeLog } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'losscurve.js');
const MAX_RSS = join(ROOT, 'bench', 'max-rss.mjs');
const SIZES = (process.env.BENCH_ROWS ?? '100000,1000000,10000000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3); // best of three: other work on the machine only ever adds time
const STARTUP_ROWS = 1000;
const STARTUP_REPEAT = 20; // start-up takes tens of milliseconds: more runs to see past the noise

// The issue's targets, printed beside the numbers they judge.
const MAX_PANDAS_RATIO = 0.75;
const MAX_JSONL_RATIO = 1.5;
const MAX_PEAK_MB = 500;
const MAX_STARTUP_RATIO = 1.5;
const HANG_MS = 120_000; // no run takes a tenth of this: past it, the run is stuck, and the bench says so rather than wait forever

const dir = mkdtempSync(join(tmpdir(), 'losscurve-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const log = (text) => process.stderr.write(`${text}\n`);
let STAGES; // the bundled stages script, made on first use

/** Runs a command once: its wall time, and its peak RSS (MiB) when the preload recorded one. Callers take turns and keep the best. */
function measure(command, args) {
  const rssFile = join(dir, 'rss');
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOSSCURVE_BENCH_RSS: rssFile }, timeout: HANG_MS });
  const ms = performance.now() - started;
  if (run.error?.code === 'ETIMEDOUT') throw new Error(`${command} ${args.join(' ')} hung: no exit after ${HANG_MS / 1000} s`);
  if (run.status !== 0 && run.status !== 1) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  let peakMB = 0;
  try { peakMB = Number(readFileSync(rssFile, 'utf8')) / 1024; } catch { /* no preload: no peak */ }
  return { ms, peakMB };
}

const losscurve = (file) => measure(process.execPath, ['--import', MAX_RSS, BIN, 'diagnose', file]);

/** A Python with pandas: Debian's python3-pandas lives under /usr/bin/python3 even where another python3 comes first. */
function findPandas() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return undefined;
}

const PANDAS_SCRIPT = `
import resource, sys, time, pandas
started = time.perf_counter()
frame = pandas.read_csv(sys.argv[1])
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(frame))
`;

/** pandas.read_csv alone, once (timed inside Python, start-up and import excluded), and pandas' peak RSS. */
function pandasTime(pandas, file) {
  const run = spawnSync(pandas.python, ['-c', PANDAS_SCRIPT, file], { encoding: 'utf8', timeout: HANG_MS });
  if (run.status !== 0) throw new Error(`pandas failed: ${run.stderr || run.error?.message}`);
  const [seconds, rssKiB] = run.stdout.trim().split(' ').map(Number);
  return { ms: seconds * 1000, peakMB: rssKiB / 1024 };
}

/**
 * bench/stages.mjs bundled as the CLI is (constants folded into the code: through tsc's separate ES modules a hot
 * loop pays a load for each imported constant), with its helper thread found beside the CLI's bundle.
 */
function bundledStages() {
  const out = join(dir, 'stages.mjs');
  buildSync({
    entryPoints: [join(ROOT, 'bench', 'stages.mjs')], outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', minifySyntax: true, logLevel: 'warning',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'bundle', 'stages.mjs')).href) },
  });
  return out;
}

/** In-process timings of each stage (read, normalise, each detector, report), each the best of REPEAT fresh processes. */
function stages(file) {
  STAGES ??= bundledStages();
  const best = {};
  for (let k = 0; k < REPEAT; k++) {
    const run = spawnSync(process.execPath, [STAGES, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`stages failed: ${run.stderr}`);
    for (const [name, ms] of Object.entries(JSON.parse(run.stdout))) best[name] = Math.min(best[name] ?? Infinity, ms);
  }
  return best;
}

const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMB = (mb) => (mb > 0 ? `${mb.toFixed(0)} MB` : '—');
const fmtRows = (n) => (Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : n.toLocaleString('en-US'));
const mark = (ok) => (ok ? '✓' : '✗');
const faster = (a, b) => ({ ms: Math.min(a.ms, b.ms), peakMB: Math.max(a.peakMB, b.peakMB) });

const pandas = findPandas();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log('## losscurve diagnose: big logs\n');
console.log(`Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.versions.node}, ` +
  `${pandas ? `pandas ${pandas.version} (${pandas.python})` : 'pandas not installed (apt-get install python3-pandas): the pandas column is skipped'}. ` +
  `Times are the best of ${REPEAT} runs, losscurve and pandas taken in turns; whole process for losscurve, read_csv alone for pandas; peak RSS is the largest of the runs.\n`);

const results = new Map();
console.log(`| rows | format | file | losscurve | peak RSS | pandas.read_csv | pandas peak RSS | losscurve / pandas (≤ ${MAX_PANDAS_RATIO}) | JSONL / CSV (≤ ${MAX_JSONL_RATIO}) |`);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
for (const rows of SIZES) {
  for (const format of ['csv', 'jsonl']) {
    const file = join(dir, `run-${rows}.${format}`);
    log(`generating ${fmtRows(rows)} rows of ${format}...`);
    writeLog(file, rows, format);
    log(`measuring losscurve${pandas && format === 'csv' ? ' and pandas, in turns,' : ''} on ${file}...`);
    let ours = { ms: Infinity, peakMB: 0 };
    let theirs = { ms: Infinity, peakMB: 0 };
    // taken in turns, run for run: a machine that slows down for a while then slows both alike, not one of them
    for (let k = 0; k < REPEAT; k++) {
      ours = faster(ours, losscurve(file));
      if (pandas && format === 'csv') theirs = faster(theirs, pandasTime(pandas, file));
    }
    results.set(`${rows}.${format}`, ours);
    let pandasCells = ['skipped', '—', '—'];
    if (pandas && format === 'csv') {
      const ratio = ours.ms / theirs.ms;
      pandasCells = [fmtMs(theirs.ms), fmtMB(theirs.peakMB), `${ratio.toFixed(2)} ${mark(ratio <= MAX_PANDAS_RATIO)}`];
    } else if (format === 'jsonl') pandasCells = ['—', '—', '—'];
    const csvTime = results.get(`${rows}.csv`).ms;
    const jsonlCell = format === 'jsonl' ? `${(ours.ms / csvTime).toFixed(2)} ${mark(ours.ms / csvTime <= MAX_JSONL_RATIO)}` : '—';
    const peakCell = `${fmtMB(ours.peakMB)}${rows >= 1e7 ? ` ${mark(ours.peakMB < MAX_PEAK_MB)}` : ''}`;
    console.log(`| ${fmtRows(rows)} | ${format} | ${fmtMB(statSync(file).size / 1024 ** 2)} | ${fmtMs(ours.ms)} | ${peakCell} | ${pandasCells.join(' | ')} | ${jsonlCell} |`);
    if (rows === SIZES[SIZES.length - 1] || rows === SIZES[SIZES.length - 2]) results.set(`${rows}.${format}.stages`, stages(file));
    rmSync(file, { force: true });
  }
}

const [small, big] = SIZES.slice(-2);
if (small && big && big > small) {
  const factor = big / small;
  console.log(`\n### Scaling ${fmtRows(small)} → ${fmtRows(big)} rows (×${factor}): time ratio, at most ×${factor} for O(n); stages timed in-process, best of ${REPEAT}\n`);
  console.log(`| stage | csv ${fmtRows(small)} | csv ${fmtRows(big)} | ratio | jsonl ${fmtRows(small)} | jsonl ${fmtRows(big)} | ratio |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const whole = ['whole process', ...['csv', 'jsonl'].flatMap((f) => {
    const a = results.get(`${small}.${f}`).ms;
    const b = results.get(`${big}.${f}`).ms;
    return [fmtMs(a), fmtMs(b), `${(b / a).toFixed(1)} ${mark(b / a <= factor)}`];
  })];
  console.log(`| ${whole.join(' | ')} |`);
  const names = Object.keys(results.get(`${big}.csv.stages`));
  for (const name of names) {
    const cells = ['csv', 'jsonl'].flatMap((f) => {
      const a = results.get(`${small}.${f}.stages`)[name] ?? 0;
      const b = results.get(`${big}.${f}.stages`)[name] ?? 0;
      // stages under 20 ms are noise at either size: no ratio for them
      return [fmtMs(a), fmtMs(b), a >= 20 ? `${(b / a).toFixed(1)} ${mark(b / a <= factor)}` : '—'];
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

log('measuring start-up...');
const tiny = join(dir, `run-${STARTUP_ROWS}.csv`);
writeLog(tiny, STARTUP_ROWS, 'csv');
// taken in turns, run for run: a machine that slows down for a while then slows both alike, not one of them
let bare = { ms: Infinity, peakMB: 0 };
let small1k = { ms: Infinity, peakMB: 0 };
for (let k = 0; k < STARTUP_REPEAT; k++) {
  bare = faster(bare, measure(process.execPath, ['--import', MAX_RSS, '-e', '0']));
  small1k = faster(small1k, losscurve(tiny));
}
const startupRatio = small1k.ms / bare.ms;
console.log(`\n### Start-up (best of ${STARTUP_REPEAT})\n`);
console.log('| command | time | peak RSS | × node -e 0 |');
console.log('|---|---:|---:|---:|');
console.log(`| node -e 0 | ${fmtMs(bare.ms)} | ${fmtMB(bare.peakMB)} | 1.00 |`);
console.log(`| losscurve diagnose (${STARTUP_ROWS.toLocaleString('en-US')} rows) | ${fmtMs(small1k.ms)} | ${fmtMB(small1k.peakMB)} | ${startupRatio.toFixed(2)} ${mark(startupRatio <= MAX_STARTUP_RATIO)} (≤ ${MAX_STARTUP_RATIO}) |`);
