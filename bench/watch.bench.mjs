#!/usr/bin/env node
// Benchmarks watch: --tee throughput on large generated logs (CSV, JSONL, three kinds of training stdout; against cat on the same bytes), and the delay from a NaN line written to its alert.
//
// node bench/watch.bench.mjs [lines]      (default 1,000,000 lines per log; BENCH_REPEAT runs each, default 3; run `npm run build` first)

import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/losscurve.js');
const LINES = Number(process.argv[2] ?? 1_000_000);
const LATENCY_RUNS = 9; // odd, so the median is one of the runs
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3); // rates are the median of this many runs: a shared machine's speed varies from run to run
const EVAL_EVERY = 250; // nanoGPT prints its eval line every eval_interval iterations
const HEALTHY_LINES_BEFORE_NAN = 400; // enough for the format to be settled and a few detection passes to have run
const LINE_GAP_MS = 2; // a fast trainer: 500 lines a second before the NaN
const RSS_PROBE = "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss '+process.resourceUsage().maxRSS+'\\n'))";

const dir = mkdtempSync(join(tmpdir(), 'losscurve-bench-'));
const rows = [];

/** A seeded noisy descending curve, as a trainer would log it. */
function* losses(n) {
  let s = 1;
  for (let step = 0; step < n; step++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    yield [step, (2 + 8 * Math.exp(-step / (n / 5)) + 0.05 * (s / 2 ** 32 - 0.5)).toFixed(5)];
  }
}

/** One log line of step `step` in each format the bench measures. */
const LINE = {
  csv: (step, loss) => `${step},${loss},3e-4\n`,
  jsonl: (step, loss) => `{"step": ${step}, "loss": ${loss}, "lr": 3e-4}\n`,
  // training stdout as build-nanogpt prints it
  text: (step, loss) => `step ${step} | loss ${loss} | lr 3.0000e-04 | dt 31.2ms\n`,
  // nanoGPT: an iter line per step, an eval line every EVAL_EVERY
  'text, nanoGPT': (step, loss) => (step % EVAL_EVERY === 0 ? `step ${step}: train loss ${loss}, val loss ${loss}\n` : `iter ${step}: loss ${loss}, time 31.2ms, mfu 12.34%\n`),
  // the Hugging Face Trainer's printed dicts
  'text, HF dicts': (step, loss) => `{'loss': ${loss}, 'grad_norm': 1.2345, 'learning_rate': 0.0003, 'epoch': ${(step / 1000).toFixed(2)}}\n`,
};

function writeLog(format, n) {
  const file = join(dir, `big.${format.replace(/\W+/g, '-')}`);
  const parts = [];
  if (format === 'csv') parts.push('step,loss,lr\n');
  for (const [step, loss] of losses(n)) {
    parts.push(LINE[format](step, loss));
    if (parts.length >= 100_000) { appendFileSync(file, parts.join('')); parts.length = 0; }
  }
  appendFileSync(file, parts.join(''));
  return file;
}

/** The load average before and after, and whether other work shared the cores (then rates are lower than the machine gives alone). */
export function loadNote(before) {
  const after = loadavg()[0];
  const shared = Math.max(before, after) > cpus().length;
  return `Load average ${before.toFixed(1)} before, ${after.toFixed(1)} after${shared ? `: above the ${cpus().length} cores, the machine was shared with other work while this ran` : ''}.`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Wall time of a shell pipeline, in seconds. */
function timed(command) {
  const start = performance.now();
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command}: exit ${result.status}: ${result.stderr}`);
  return { seconds: (performance.now() - start) / 1000, stderr: result.stderr.toString() };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

const loadBefore = loadavg()[0];
for (const format of Object.keys(LINE)) {
  const file = writeLog(format, LINES);
  const mb = statSync(file).size / 1e6;
  const cats = [];
  const watches = [];
  let rss = 0;
  for (let k = 0; k < REPEAT; k++) {
    cats.push(timed(`cat "${file}" | cat > /dev/null`).seconds);
    const watch = timed(`cat "${file}" | "${process.execPath}" --import "${RSS_PROBE}" "${CLI}" watch --tee > /dev/null`);
    watches.push(watch.seconds);
    rss = Math.max(rss, Number(/maxrss (\d+)/.exec(watch.stderr)?.[1] ?? NaN) / 1024);
  }
  const seconds = median(watches);
  rows.push([`watch --tee, ${format}`, `${fmt(LINES)} lines, ${mb.toFixed(0)} MB`, `${fmt(LINES / seconds)} lines/s (${(mb / seconds).toFixed(0)} MB/s)`,
    `cat: ${fmt(LINES / median(cats))} lines/s; peak RSS ${rss.toFixed(0)} MB`]);
  rmSync(file);
}

/** Writes healthy lines at a steady pace, then a NaN; resolves with the ms from the NaN written to the alert read. */
function nanLatency(mode) {
  return new Promise((resolve, reject) => {
    const file = join(dir, 'follow.jsonl');
    if (mode === 'file') writeFileSync(file, '');
    const args = mode === 'file' ? ['watch', '--json', file] : ['watch', '--json'];
    const watch = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    const write = (text) => (mode === 'file' ? appendFileSync(file, text) : watch.stdin.write(text));
    let written;
    let err = '';
    watch.stderr.on('data', (chunk) => {
      err += chunk;
      if (written !== undefined && err.includes('{"pattern":"nan"')) resolve(performance.now() - written);
    });
    watch.on('close', () => reject(new Error(`watch ended without an alert: ${err}`)));
    const gen = losses(HEALTHY_LINES_BEFORE_NAN);
    const timer = setInterval(() => {
      const next = gen.next();
      if (next.done) {
        clearInterval(timer);
        write(`{"step": ${HEALTHY_LINES_BEFORE_NAN}, "loss": NaN}\n`);
        written = performance.now();
        return;
      }
      write(`{"step": ${next.value[0]}, "loss": ${next.value[1]}}\n`);
    }, LINE_GAP_MS);
  });
}

for (const mode of ['stdin', 'file']) {
  const delays = [];
  for (let i = 0; i < LATENCY_RUNS; i++) delays.push(await nanLatency(mode));
  delays.sort((a, b) => a - b);
  const ms = (x) => `${x.toFixed(1)} ms`;
  rows.push([`NaN line → alert, ${mode === 'file' ? 'followed file' : 'stdin pipe'}`, `${LATENCY_RUNS} runs`, `median ${ms(delays[LATENCY_RUNS >> 1])}`, `min ${ms(delays[0])}, max ${ms(delays[LATENCY_RUNS - 1])}`]);
}

rmSync(dir, { recursive: true, force: true });
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.versions.node}. ` +
  `Rates: the median of ${REPEAT} runs, whole pipeline (cat file | losscurve watch --tee > /dev/null). ${loadNote(loadBefore)}\n`);
console.log('| benchmark | input | result | reference |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
