// Bench of a sweep: N logs of R rows in one `diagnose DIR` call (default --jobs: one per core) against N separate `diagnose FILE` calls (target 10x), and --jobs 1 against --jobs 2 (target 1.6x on two cores).

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLog } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'losscurve.js');
const LOGS = Number(process.env.BENCH_SWEEP_LOGS ?? 1000);
const ROWS = Number(process.env.BENCH_SWEEP_ROWS ?? 10_000);
// one call is short next to the separate calls: its best of a few, taken in turns with the other --jobs, evens out the machine's spells
const REPEATS = Number(process.env.BENCH_SWEEP_REPEATS ?? 3);
const HANG_MS = 1_800_000; // 1,000 separate calls take minutes; past half an hour something hangs
const TARGET_RATIO = 10; // the issue: one call at least 10x faster than separate calls
const TARGET_JOBS = 1.6; // the issue: on two cores, --jobs 2 at least 1.6x faster than --jobs 1

const dir = mkdtempSync(join(tmpdir(), 'losscurve-bench-sweep-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const log = (text) => process.stderr.write(`${text}\n`);

// half CSV, half JSONL, as a sweep of mixed loggers; every log of one format is the same rows (the generator is seeded)
const sweep = join(dir, 'sweep');
mkdirSync(sweep);
const csv = join(dir, 'one.csv');
const jsonl = join(dir, 'one.jsonl');
writeLog(csv, ROWS, 'csv');
writeLog(jsonl, ROWS, 'jsonl');
const files = [];
for (let i = 0; i < LOGS; i++) {
  const path = join(sweep, `run-${String(i).padStart(5, '0')}.${i % 2 ? 'jsonl' : 'csv'}`);
  copyFileSync(i % 2 ? jsonl : csv, path);
  files.push(path);
}
log(`sweep: ${LOGS} logs of ${ROWS} rows in ${sweep}`);

function timed(args) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: HANG_MS });
  if (r.error?.code === 'ETIMEDOUT') throw new Error(`diagnose ${args[0]} hung: no exit after ${HANG_MS / 1000} s`);
  if (r.status !== 0) throw new Error(`diagnose ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return performance.now() - started;
}

const cores = availableParallelism();
const call = (jobs) => timed(['diagnose', sweep, '--format', 'jsonl', ...(jobs ? ['--jobs', String(jobs)] : [])]);
const best = { default: Infinity, 1: Infinity, 2: Infinity };
for (let i = 0; i < REPEATS; i++) {
  for (const jobs of [1, 2, 'default']) best[jobs] = Math.min(best[jobs], call(jobs === 'default' ? undefined : jobs));
  log(`round ${i + 1}: --jobs 1 ${best[1].toFixed(0)} ms, --jobs 2 ${best[2].toFixed(0)} ms, default ${best.default.toFixed(0)} ms (best so far)`);
}
let separate = 0;
for (const file of files) separate += timed(['diagnose', file, '--format', 'json']);

const s = (ms) => (ms / 1000).toFixed(2);
const mark = (ratio, target) => `${ratio.toFixed(2)}x ${ratio >= target ? "✓" : "✗"}`; // two decimals: 1.57 is not 1.6
console.log(`Machine: ${cores} cores (os.availableParallelism()), ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.versions.node}. ` +
  `One call: best of ${REPEATS}, the three settings taken in turns; separate calls: one pass, summed.`);
console.log('');
console.log('| logs | rows each | one call, default --jobs (s) | separate calls (s) | speed-up (≥ 10x) | --jobs 1 (s) | --jobs 2 (s) | --jobs 2 / --jobs 1 (≥ 1.6x) |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
console.log(`| ${LOGS} | ${ROWS} | ${s(best.default)} (--jobs ${cores}) | ${s(separate)} | ${mark(separate / best.default, TARGET_RATIO)} | ${s(best[1])} | ${s(best[2])} | ${mark(best[1] / best[2], TARGET_JOBS)} |`);
