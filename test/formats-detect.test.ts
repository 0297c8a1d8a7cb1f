// Formats are recognised by content alone (file, stdin, any name), specific flavours before the general ones; --input-format overrides.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FORMATS } from '../src/read/formats/index.js';
import { headOf } from '../src/read/index.js';
import { fixtureText, readFixture, readText, ROOT } from './format-fixtures.js';

const detect = (text: string) => FORMATS.find((f) => f.matches(headOf(Buffer.from(text, 'utf8'))))?.id;

// fixture → the --input-format id it must be recognised as
const FIXTURES: Array<[string, string]> = [
  ['hf-trainer-state/eval-and-summary.json', 'hf-trainer-state'],
  ['hf-trainer-state/two-eval-sets.json', 'hf-trainer-state'],
  ['hf-trainer-state/nan-spellings.json', 'hf-trainer-state'],
  ['hf-trainer-state/cut-off.json', 'hf-trainer-state'],
  ['hf-trainer-state/one-line.json', 'hf-trainer-state'],
  ['keras-history/history.json', 'keras-history'],
  ['keras-history/history-indented.json', 'keras-history'],
  ['keras-history/pandas-to-json.json', 'keras-history'],
  ['keras-history/validation-freq-nan.json', 'keras-history'],
  ['keras-csv/semicolon-na.log', 'keras-csv'],
  ['keras-csv/appended-runs.log', 'keras-csv'],
  ['llamafactory/trainer_log.jsonl', 'llamafactory'],
  ['wandb-history/wandb-history.jsonl', 'wandb-history'],
  ['wandb-chart/two-runs.csv', 'wandb-chart'],
  ['wandb-chart/two-runs-two-metrics.csv', 'wandb-chart'],
  ['wandb-runs/runs-table.csv', 'wandb-runs'],
];

for (const [path, id] of FIXTURES) {
  test(`${path} is recognised as ${id} by its content`, () => {
    assert.equal(detect(fixtureText(path)), id);
  });
}

// look-alikes the flavours must leave to the general formats
const GENERAL: Array<[string, string, string]> = [
  ['JSONL of plain records', '{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.4}\n', 'jsonl'],
  ['JSONL whose first value is a list', '{"losses": [2.5, 2.4], "step": 1}\n{"losses": [2.3], "step": 2}\n', 'jsonl'],
  ['JSONL with _step but no W&B times', '{"_step": 0, "loss": 2.5}\n{"_step": 1, "loss": 2.4}\n', 'jsonl'],
  ['CSV quoted throughout, not from W&B', '"step","loss"\n"1","2.5"\n"2","2.4"\n', 'csv'],
  ['CSV with a Name column and steps', '"Name","step","loss"\n"a","1","2.5"\n"a","2","2.4"\n', 'csv'],
  ['CSV with epoch first but unsorted', 'epoch,val_loss,loss\n0,2.6,2.5\n1,2.5,2.4\n', 'csv'],
];

// W&B charts plotted against another x axis, with or without bands, are still chart exports
const CHARTS: Array<[string, string]> = [
  ['x axis named by its metric', '"train/global_step","run-a - train/loss"\n"10","2.5"\n"20","2.4"\n'],
  ['bands but no Step', '"epoch","run-a - loss","run-a - loss__MIN","run-a - loss__MAX"\n"0","2.5","2.4","2.6"\n'],
];

for (const [what, text] of CHARTS) {
  test(`a W&B chart with its ${what} is read as wandb-chart`, () => {
    assert.equal(detect(text), 'wandb-chart');
  });
}

for (const [what, text, id] of GENERAL) {
  test(`${what} is read as ${id}`, () => {
    assert.equal(detect(text), id);
  });
}

test('every format has its own --input-format id', () => {
  const ids = FORMATS.map((f) => f.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('--input-format overrides recognition: a CSVLogger file forced to csv, a flavour forced on its own content', () => {
  assert.ok(readFixture('keras-csv/semicolon-na.log', 'csv').format.startsWith('csv'));
  for (const [path, id] of FIXTURES.filter(([, id]) => id !== 'wandb-runs')) {
    assert.equal(readFixture(path, id).format, readFixture(path).format, path);
  }
});

test('a one-line Keras history is one document, not one JSONL record', () => {
  const table = readText(fixtureText('keras-history/history.json'));
  assert.ok(table.rows > 1);
});

test('stdin is recognised by content: a trainer_state.json piped in reads as on disk', () => {
  const text = fixtureText('hf-trainer-state/eval-and-summary.json');
  const cli = spawnSync(process.execPath, [`${ROOT}bin/losscurve.js`, 'diagnose', '--format', 'json', '-'], { input: text, encoding: 'utf8' });
  assert.ok(cli.status === 0 || cli.status === 1, cli.stderr);
  const report = JSON.parse(cli.stdout);
  assert.equal(report.format, readText(text).format);
  assert.deepEqual([report.series.train, report.series.val], ['loss', 'eval_loss']);
});

test('one-line documents longer than the sniffed head are still recognised and read whole', () => {
  const entries = Array.from({ length: 4000 }, (_, i) => `{"epoch": ${i / 1000}, "loss": ${2 - i / 4000}, "step": ${i + 1}}`);
  const state = `{"epoch": 4.0, "log_history": [${entries.join(', ')}], "max_steps": 4000}`;
  const history = `{"loss": [${entries.map((_, i) => 2 - i / 4000).join(', ')}], "val_loss": [${entries.map((_, i) => 2.1 - i / 5000).join(', ')}]}`;
  for (const [text, id] of [[state, 'hf-trainer-state'], [history, 'keras-history']]) {
    assert.ok(text.length > 64 * 1024, 'longer than the head');
    assert.equal(detect(text), id);
    assert.equal(readText(text).rows, entries.length);
  }
});
