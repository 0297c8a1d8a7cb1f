#!/usr/bin/env node
// A fake training script for watch and run tests: prints a healthy loss curve, then (optionally) a NaN or a divergence at a known step.
//
// node fake-trainer.mjs [--format jsonl|csv|text] [--steps N] [--every K] [--val-every K] [--delay MS]
//   [--nan-at STEP] [--diverge-at STEP] [--noise] [--hang] [--ignore-term] [--pid-file PATH] [--exit-code N]
// --noise   also writes a banner and CR progress bars to stderr
// --hang    after the last line, keeps running until killed (a long run that must be stopped)

import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);

const format = opt('format', 'jsonl');
const steps = Number(opt('steps', 400));
const every = Number(opt('every', 1));
const valEvery = Number(opt('val-every', 0));
const delay = Number(opt('delay', 0));
const nanAt = opt('nan-at') === undefined ? Infinity : Number(opt('nan-at'));
const divergeAt = opt('diverge-at') === undefined ? Infinity : Number(opt('diverge-at'));
const exitCode = Number(opt('exit-code', 0));
if (opt('pid-file')) writeFileSync(opt('pid-file'), String(process.pid));
// a reader that went away ends the run quietly, as SIGPIPE ends a C trainer
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => process.exit(141));
if (flag('ignore-term')) process.on('SIGTERM', () => {});

/** Seeded noise, so every run prints the same bytes. */
let seed = 12345;
const noise = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5);

function trainLoss(step) {
  if (step >= nanAt) return NaN;
  const healthy = 2 + 8 * Math.exp(-step / 80);
  const rise = step >= divergeAt ? 0.03 * (step - divergeAt) : 0; // a steady climb, as the divergence detector defines it
  return healthy + rise + 0.05 * noise();
}
const valLoss = (step) => 2.1 + 8 * Math.exp(-step / 80) + 0.02 * noise();

const num = (x) => (Number.isNaN(x) ? 'NaN' : x.toFixed(4));
function line(step, loss, val) {
  if (format === 'csv') return `${step},${num(loss)},${val === undefined ? '' : num(val)}\n`;
  if (format === 'text') return `step ${step} | loss ${num(loss)}${val === undefined ? '' : ` | val ${num(val)}`}\n`;
  const record = { step, loss: Number.isNaN(loss) ? 'NaN' : Number(num(loss)) };
  if (val !== undefined) record.val_loss = Number(num(val));
  return JSON.stringify(record).replace('"NaN"', 'NaN') + '\n';
}

const write = (stream, text) => new Promise((resolve) => (stream.write(text) ? resolve() : stream.once('drain', resolve)));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (flag('noise')) await write(process.stderr, 'loading data... done\n');
if (format === 'csv') await write(process.stdout, 'step,loss,val_loss\n');
for (let step = 0; step <= steps; step += every) {
  const val = valEvery > 0 && step % valEvery === 0 ? valLoss(step) : undefined;
  await write(process.stdout, line(step, trainLoss(step), val));
  if (flag('noise') && step % 50 === 0) await write(process.stderr, `\repoch progress ${Math.round((100 * step) / steps)}%`);
  if (delay > 0) await sleep(delay);
}
if (flag('noise')) await write(process.stderr, '\n');
if (flag('hang')) setInterval(() => {}, 1000);
else process.exitCode = exitCode;
