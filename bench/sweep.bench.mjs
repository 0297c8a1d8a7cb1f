// Bench of a sweep: N logs of R rows diagnosed by one `diagnose DIR` call against N separate `diagnose FILE` calls (the target: 10x).

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLog } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'losscurve.js');
const LOGS = Number(process.env.BENCH_SWEEP_LOGS ?? 1000);
const ROWS = Number(process.env.BENCH_SWEEP_ROWS ?? 10_000);
const HANG_MS = 1_800_000; // 1,000 separate calls take minutes; past half an hour something hangs
const TARGET_RATIO = 10; // the issue: one call at least 10x faster than separate calls

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

const oneCall = timed(['diagnose', sweep, '--format', 'jsonl']);
let separate = 0;
for (const file of files) separate += timed(['diagnose', file, '--format', 'json']);

const s = (ms) => (ms / 1000).toFixed(2);
const ratio = separate / oneCall;
console.log('| logs | rows each | one call (s) | separate calls (s) | speed-up | target |');
console.log('|---:|---:|---:|---:|---:|---:|');
console.log(`| ${LOGS} | ${ROWS} | ${s(oneCall)} | ${s(separate)} | ${ratio.toFixed(1)}x | ${TARGET_RATIO}x ${ratio >= TARGET_RATIO ? 'met' : 'not met'} |`);
