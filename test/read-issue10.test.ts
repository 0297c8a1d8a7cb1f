// Issue 10's reader items: JSON null read by its context, a running average that turns non-finite, val-only logs, prefixed JSON records.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { readTable } from '../src/read/index.js';
import { tokenize } from '../src/read/formats/text/tokens.js';
import { columnNames, fixtureText, normalised, readFixture, readText, stepsOf, valuesOf } from './format-fixtures.js';
import { sourceOf, tableData } from './helpers/tables.js';

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const both = (text: string) => ({
  fast: readTable(sourceOf(text), undefined, {}),
  lines: readTable(sourceOf(text), undefined, { lineByLine: true }),
});
const nanFindings = (text: string) => diagnose(readText(text), 'test-input', { vocab: 50257 }).findings.filter((f) => f.pattern === 'nan');

// --- 1. JSON null ---

/** LLaMA-Factory's current trainer_log.jsonl: the metrics it did not log are null on every row, and its last row is all null. */
function llamaFactoryWithNulls(n: number): string {
  const rows: object[] = [];
  for (let i = 1; i <= n; i++) {
    rows.push({ current_steps: 5 * i, total_steps: 5 * (n + 1), loss: 1.8 - 0.4 * (i / n) + 0.03 * Math.sin(i), eval_loss: null, predict_loss: null,
      reward: null, learning_rate: 5e-5 * Math.cos((i / n) * 1.5), epoch: i / n, percentage: (100 * i) / (n + 1), elapsed_time: `0:0${i % 10}:00` });
  }
  rows.push({ current_steps: 5 * (n + 1), total_steps: 5 * (n + 1), loss: null, eval_loss: null, predict_loss: null, reward: null,
    learning_rate: null, epoch: 1, percentage: 100, elapsed_time: '1:00:00' });
  return jsonl(rows);
}

test('null: columns null on every row are absent and an all-null last row is no measurement, so a healthy run has no nan', () => {
  const text = llamaFactoryWithNulls(120);
  const table = readText(text);
  assert.match(table.format, /llama-factory/);
  for (const name of ['eval_loss', 'predict_loss', 'reward']) assert.ok(!columnNames(table).includes(name), `${name} is absent`);
  const { runs } = normalised(table);
  assert.equal(runs[0].series.val, undefined);
  const train = runs[0].series.train!;
  assert.ok(valuesOf(train).every(Number.isFinite), 'no NaN in train');
  assert.equal(stepsOf(train).at(-1), 600);
  assert.ok(table.notes.some((n) => n.includes('eval_loss')), 'a note says how the nulls were read');
  assert.deepEqual(nanFindings(text), []);
});

/** A log written by pandas' to_json: NaN is null. The loss and grad norm go bad at step 60 while the LR schedule keeps going. */
function pandasNaNFrom(badFrom: number): string {
  return jsonl(Array.from({ length: 100 }, (_, i) => {
    const step = 10 * (i + 1);
    const bad = step >= badFrom;
    return { step, loss: bad ? null : 3 - step / 1000, grad_norm: bad ? null : 1.5, lr: 1e-3 };
  }));
}

test('null: a metric that turns null from some step on while the LR stays finite is NaN from there, with a note', () => {
  const text = pandasNaNFrom(600);
  const { runs } = normalised(readText(text));
  const train = runs[0].series.train!;
  const at = stepsOf(train).indexOf(600);
  assert.ok(at > 0 && Number.isNaN(train.values[at]) && Number.isFinite(train.values[at - 1]));
  assert.ok(readText(text).notes.some((n) => /loss is null from line 60 on .* read as NaN/.test(n)));
  const nan = nanFindings(text).find((f) => f.series === 'train');
  assert.ok(nan, 'a nan finding on train');
  assert.equal(nan.start_step, 600);
});

test('null: nulls between numbers are values not logged (gaps), not NaN', () => {
  const text = jsonl(Array.from({ length: 60 }, (_, i) => ({ step: i + 1, loss: i % 5 === 2 ? null : 2 - i / 100, lr: 1e-3 })));
  const { runs } = normalised(readText(text));
  const train = runs[0].series.train!;
  assert.equal(train.values.length, 48);
  assert.ok(!stepsOf(train).includes(3));
  assert.deepEqual(nanFindings(text), []);
});

test('null: an eval row at the end with the loss null is no NaN: the metric beside it was not logged with the loss', () => {
  const rows: object[] = Array.from({ length: 50 }, (_, i) => ({ step: 10 * (i + 1), loss: 2 - i / 100, eval_loss: null, lr: 1e-4 }));
  rows.push({ step: 500, loss: null, eval_loss: 1.7, lr: null });
  const text = jsonl(rows);
  const { runs } = normalised(readText(text));
  assert.ok(valuesOf(runs[0].series.train).every(Number.isFinite));
  assert.deepEqual(valuesOf(runs[0].series.val), [1.7]);
  assert.deepEqual(nanFindings(text), []);
});

test('null: real NaN stays NaN (bare NaN, "NaN" strings, 1e999), beside null columns', () => {
  const lines = ['{"step": 1, "loss": 2.0, "v": null}', '{"step": 2, "loss": NaN, "v": null}', '{"step": 3, "loss": "NaN", "v": null}',
    '{"step": 4, "loss": 1e999, "v": null}', '{"step": 5, "loss": 1.5, "v": null}'];
  const text = lines.join('\n') + '\n';
  const { fast, lines: byLines } = both(text);
  assert.deepEqual(tableData(fast), tableData(byLines));
  assert.ok(!columnNames(fast).includes('v'));
  const train = normalised(fast).runs[0].series.train!;
  assert.deepEqual(valuesOf(train), [2, NaN, NaN, Infinity, 1.5]);
});

test('null: the fast JSONL path and the line parser read nulls the same way', () => {
  for (const text of [llamaFactoryWithNulls(40).replace(/"current_steps"/g, '"step"').replace(/"total_steps"/g, '"steps_total"'), pandasNaNFrom(300)]) {
    const { fast, lines } = both(text);
    assert.deepEqual(tableData(fast), tableData(lines));
  }
});

test('null: W&B history and trainer_state.json read nulls by the same rules', () => {
  const history = jsonl(Array.from({ length: 30 }, (_, i) => ({ _step: i, _runtime: i * 2.5, 'train/loss': 2 - i / 50, 'eval/loss': null })));
  const wandb = readText(history);
  assert.match(wandb.format, /wandb-history/);
  assert.ok(!columnNames(wandb).includes('eval/loss'));
  const state = JSON.stringify({ log_history: [
    { step: 10, loss: 2.1, learning_rate: 1e-4, eval_loss: null }, { step: 20, loss: 2.0, learning_rate: 1e-4, eval_loss: null },
    { step: 30, loss: 1.9, learning_rate: 1e-4, eval_loss: null },
  ] });
  const hf = readText(state);
  assert.match(hf.format, /trainer_state/);
  assert.ok(!columnNames(hf).includes('eval_loss'));
  assert.deepEqual(nanFindings(state), []);
});

// --- 2. a running average that turns non-finite (MetricLogger) ---

test('average: "loss: 1.23 (inf)" gives the loss and its running average; "(+nanz)" and "(12%)" are no average', () => {
  assert.equal(tokenize('loss: 44.5267 (inf)  loss_ce: 5.0047 (4.3528)').pairs[0].average, Infinity);
  assert.equal(tokenize('loss: 44.5267 (inf)  loss_ce: 5.0047 (4.3528)').pairs[1].average, 4.3528);
  assert.equal(tokenize('step 10/74 | loss 3.2 (+nanz) | lr 1e-4').pairs.find((p) => p.key === 'loss')?.average, undefined);
  assert.equal(tokenize('loss 3.2 (12%) lr 1e-4').pairs[0].average, undefined);
  assert.equal(tokenize('loss 3.2 (3.1 best)').pairs[0].average, undefined);
});

test('average: the text reader keeps a loss running average as its own column, which normalise gives as trainAverage, never a loss', () => {
  const table = readFixture('stdout/detr-metriclogger.txt');
  assert.ok(columnNames(table).includes('loss (avg)'));
  const { choice, runs } = normalised(table);
  assert.equal(choice.train?.name, 'loss');
  assert.ok(!choice.otherTrain.includes('loss (avg)') && !choice.otherVal.includes('loss (avg)'));
  const { train, trainAverage } = runs[0].series;
  assert.deepEqual(stepsOf(trainAverage), stepsOf(train));
  assert.ok(valuesOf(trainAverage).every(Number.isFinite));
});

test('average: a running average that turns inf while the printed losses stay finite is a nan on train at its first step', () => {
  const bad = diagnose(readFixture('stdout/detr-metriclogger-avg-inf.txt'), 'detr', { vocab: 50257 }).findings.filter((f) => f.pattern === 'nan');
  assert.equal(bad.length, 1);
  assert.equal(bad[0].series, 'train');
  assert.equal(bad[0].start_step, 260);
  const healthy = diagnose(readFixture('stdout/detr-metriclogger.txt'), 'detr', { vocab: 50257 }).findings;
  assert.ok(!healthy.some((f) => f.pattern === 'nan'));
});

// --- 3. a log of validation losses only ---

/** A speedrun record (modded-nanogpt style): the script's source printed first, then a progress line per step, the loss only at validations. */
function valOnlyRecord(steps: number, every: number): string {
  const out: string[] = ['import os', 'import torch', '', '@dataclass', 'class Hyperparameters:'];
  for (let k = 0; k < 300; k++) out.push(`    setting_${k} : int = ${k} # how many of thing ${k} to use each step`);
  out.push('', 'def main():', '    for step in range(args.num_iterations + 1):', '        pass', '='.repeat(100));
  let time = 0;
  for (let step = 0; step <= steps; step++) {
    if (step % every === 0 || step === steps) {
      const val = 3.3 + 7.5 * Math.exp(-step / 150);
      out.push(`step:${step}/${steps} val_loss:${val.toFixed(6)} train_time:${time}ms step_avg:${(time / Math.max(step, 1)).toFixed(2)}ms`);
    }
    if (step < steps) {
      time += 221 + (step % 7);
      out.push(`step:${step + 1}/${steps} train_time:${time}ms step_avg:${(time / (step + 1)).toFixed(2)}ms`);
    }
  }
  out.push('peak memory allocated: 53367 MiB reserved: 56014 MiB');
  return out.join('\n') + '\n';
}

test('val only: a log whose only losses are validations, between progress lines, is read as text with val set and no train', () => {
  const text = valOnlyRecord(1500, 125);
  const table = readText(text);
  assert.match(table.format, /^text log/);
  const { runs } = normalised(table);
  assert.equal(runs.length, 1);
  assert.equal(runs[0].series.train, undefined);
  assert.deepEqual(stepsOf(runs[0].series.val), Array.from({ length: 13 }, (_, k) => 125 * k));
  const report = diagnose(table, 'val-only', { vocab: 50257 });
  assert.ok(!report.findings.some((f) => f.pattern === 'nan'));
});

test('val only: progress lines alone, with no loss anywhere, are still no log', () => {
  const text = valOnlyRecord(300, 125).replace(/ val_loss:[0-9.]+/g, '');
  assert.throws(() => readText(text), /in no log format/);
});

// --- 4. JSON records after a prefix (Torch7's json_stats, logging lines) ---

test('json_stats: a Torch7 log (a printed Lua table, then json_stats lines) is read as text: loss over epochs, lr, no config strings', () => {
  const text = fixtureText('stdout/torch7-json-stats.log');
  const table = readFixture('stdout/torch7-json-stats.log');
  assert.match(table.format, /^text log/);
  assert.equal(table.skipped.count, 0);
  assert.ok(!columnNames(table).includes('dataset') && !columnNames(table).includes('save'));
  const { choice, runs } = normalised(table);
  assert.equal(choice.stepName, 'epoch');
  assert.equal(choice.train?.name, 'loss');
  assert.equal(choice.lr?.name, 'lr');
  const records = text.split('\n').filter((l) => l.startsWith('json_stats: ')).map((l) => JSON.parse(l.slice('json_stats: '.length)));
  const train = runs[0].series.train!;
  assert.deepEqual(stepsOf(train), records.map((r) => r.epoch));
  assert.deepEqual(valuesOf(train), records.map((r) => r.loss));
});

test('json_stats: a pretty-printed JSON document is still left to the JSON readers, not read as text lines', () => {
  const doc = `{\n  "runs": 3,\n  "loss": 2.5,\n${Array.from({ length: 30 }, (_, i) => `  "loss_${i}": ${2 - i / 100},`).join('\n')}\n  "end": 1\n}\n`;
  assert.throws(() => readText(doc), /in no log format/);
});

test('prefixed JSON: the object after a logger prefix gives its leaves, nested keys joined by "/", strings as numbers, "N/M" as a counter', () => {
  const line = (i: number) => `2024-01-01 12:00:${String(i % 60).padStart(2, '0')},123 INFO metrics {"iter": "${10 * i}/400", "train": {"loss": "${(3 - i / 20).toFixed(3)}"}, "val": {"loss": ${(3.1 - i / 20).toFixed(3)}}, "eta": "1 day, 2:03:04", "mem": "5.95G"}`;
  const table = readText(Array.from({ length: 25 }, (_, i) => line(i + 1)).join('\n') + '\n');
  assert.match(table.format, /^text log/);
  const { choice, runs } = normalised(table);
  // "train/loss" and "val/loss" are the text reader's train_loss and val_loss (aliases.ts)
  assert.equal(choice.train?.name, 'train_loss');
  assert.equal(choice.val?.name, 'val_loss');
  assert.deepEqual(stepsOf(runs[0].series.train).slice(0, 3), [10, 20, 30]);
  assert.equal(runs[0].series.val!.values[0], 3.05);
  assert.ok(!columnNames(table).includes('eta') && !columnNames(table).includes('mem'));
});

test('prefixed JSON: the same fields read as a text line and as JSON agree on a fairseq-style line', () => {
  const json = tokenize('2024-02-03 11:01:00 | INFO | train_inner | {"epoch": 1, "loss": "11.500", "num_updates": "100", "lr": "2.5e-05"}');
  assert.deepEqual(json.pairs.map((p) => [p.key, p.value]), [['epoch', 1], ['loss', 11.5], ['num_updates', 100], ['lr', 2.5e-5]]);
});
