// Which format takes an input: training stdout goes to the text reader (tried last); CSV and JSONL keep theirs; a README is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { InputError } from '../src/read/errors.js';
import { FORMATS } from '../src/read/formats/index.js';
import { headOf, readTable } from '../src/read/index.js';
import { fixtureBytes, STDOUT_FIXTURES } from './fixtures.js';

const NOT_LOGS = new Set(['README.md', 'train.py']);
const firstMatch = (bytes: Buffer) => FORMATS.find((f) => f.matches(headOf(bytes)))?.id;

test('the text format is registered last', () => {
  assert.equal(FORMATS[FORMATS.length - 1].id, 'text');
});

test('every stdout fixture is recognised as text by content, and by no earlier format', () => {
  const files = readdirSync(STDOUT_FIXTURES).filter((f) => !NOT_LOGS.has(f));
  assert.ok(files.length >= 15);
  for (const file of files) assert.equal(firstMatch(fixtureBytes(file)), 'text', file);
});

test('a README and source code alone are refused with the one-line error', () => {
  for (const file of NOT_LOGS) {
    assert.equal(firstMatch(fixtureBytes(file)), undefined, file);
    assert.throws(() => readTable({ name: file, bytes: fixtureBytes(file) }), InputError);
  }
});

test('CSV and JSONL logs keep their readers; printed Python dicts and logging lines with commas do not go to them', () => {
  const cases: Array<[string, string | undefined]> = [
    ['epoch,loss,val_loss\n0,2.31,2.40\n1,2.05,2.20\n2,1.90,2.15\n', 'csv'],
    ['epoch\tloss\t\n0\t2.3\t\n1\t2.1\t\n', 'csv'],
    ['"Step","run - train/loss"\n"1","2.3"\n"2",""\n"3","2.1"\n', 'csv'],
    ['step,loss\n', 'csv'], // a header alone is still CSV (then told it has no rows)
    ['{"step": 1, "loss": 2.3}\n{"step": 2, "loss": NaN}\n', 'jsonl'],
    ["{'loss': 2.31, 'learning_rate': 5e-05, 'epoch': 0.1}\n{'loss': 2.1, 'learning_rate': 4e-05, 'epoch': 0.2}\n", 'text'],
    ['2024-05-15 22:50:17,398 INFO:Epoch 1: Train Loss=0.0717, Val Loss=0.0766\n2024-05-15 22:50:21,707 INFO:Epoch 2: Train Loss=0.0578, Val Loss=0.0507\n', 'text'],
    ['iter 0: loss 4.2, time 31.2ms, mfu 7.10%\niter 1: loss 4.1, time 31.0ms, mfu 7.12%\n', 'text'],
    ['{\n  "log_history": [\n    {"loss": 2.3, "step": 1}\n  ]\n}\n', 'hf-trainer-state'], // a JSON document is for the JSON readers
  ];
  // trainers' flavours of CSV and JSONL (Keras CSVLogger, W&B exports) count as the general reader they build on
  const FAMILY: Record<string, string> = { 'keras-csv': 'csv', 'wandb-chart': 'csv', llamafactory: 'jsonl', 'wandb-history': 'jsonl' };
  for (const [input, format] of cases) {
    const found = firstMatch(Buffer.from(input));
    assert.equal(found === undefined ? undefined : FAMILY[found] ?? found, format, input);
  }
});

test('stdin: a piped training log is read and the report says it was read as a text log', () => {
  const bin = fileURLToPath(new URL('../../bin/losscurve.js', import.meta.url));
  const run = spawnSync(process.execPath, [bin, 'diagnose', '--format', 'json', '-'], { input: fixtureBytes('llmc-main.log'), encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  const report = JSON.parse(run.stdout) as { format: string; series: { train: string; val: string } };
  assert.match(report.format, /^text log/);
  assert.deepEqual([report.series.train, report.series.val], ['train_loss', 'val_loss']);
  const refused = spawnSync(process.execPath, [bin, 'diagnose', '-'], { input: fixtureBytes('README.md'), encoding: 'utf8' });
  assert.equal(refused.status, 2);
  assert.equal(refused.stderr.trim().split('\n').length, 1);
});
