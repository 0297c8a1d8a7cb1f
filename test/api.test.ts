// The public API (src/index.ts), apart from the CLI: reading, diagnosing, rendering, the watcher, and the shipped bundle giving the same.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import * as api from '../src/index.js';
import {
  createWatcher, DETECTORS, diagnose, FORMAT_IDS, InputError, PATTERN_IDS, PolicyError, readLog, renderJson, renderText, type Report,
  type ReportFinding,
} from '../src/index.js';
import { FIXTURES, ROOT } from './helpers.js';

const NAN_LOG = join(FIXTURES, 'patterns', 'nan', 'positive-pretrain-nan-at-1200.csv');
const VAL_LOG = join(FIXTURES, 'patterns', 'spike', 'positive-val-spike.csv');

/** The (step, train, val) rows of a two- or three-column CSV fixture, as a training loop would have them. */
function rowsOf(path: string): Array<[number, number, number | undefined]> {
  const [, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return lines.map((line) => {
    const [step, train, val] = line.split(',');
    return [Number(step), Number(train), val === undefined || val === '' ? undefined : Number(val)];
  });
}

test('readLog and diagnose: a NaN log fails, with the nan finding on train where it starts', () => {
  const report = diagnose(readLog(NAN_LOG));
  assert.equal(report.verdict, 'failing');
  assert.equal(report.file, NAN_LOG);
  const nan = report.findings.find((f) => f.pattern === 'nan');
  assert.ok(nan, 'a nan finding');
  assert.equal(nan.series, 'train');
  assert.equal(nan.start_step, 1210);
});

test('readLog reads bytes as it reads the file, under the name given', () => {
  const fromFile = diagnose(readLog(NAN_LOG), { name: 'x.csv' });
  const bytes = new Uint8Array(readFileSync(NAN_LOG));
  const fromBytes = diagnose(readLog(bytes, { name: 'x.csv' }));
  assert.equal(renderJson(fromBytes), renderJson(fromFile));
  assert.equal(diagnose(readLog(bytes)).file, '<bytes>');
});

test('diagnose options: failOn as text or none, a bad policy is a PolicyError', () => {
  const table = readLog(NAN_LOG);
  assert.equal(diagnose(table, { failOn: 'none' }).verdict, 'warning');
  assert.equal(diagnose(table, { failOn: 'none' }).fail_on, 'none');
  assert.equal(diagnose(table, { failOn: 'nan' }).verdict, 'failing');
  assert.throws(() => diagnose(table, { failOn: 'bogus' }), PolicyError);
});

test('a wrong column or bytes that are no log: InputError naming the input', () => {
  assert.throws(() => diagnose(readLog(NAN_LOG), { loss: 'no_such_column' }), InputError);
  const error = (() => {
    try {
      readLog(Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7]), { name: 'noise.bin' });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof InputError);
  assert.match(error.describe(), /^noise\.bin/);
});

test('renderText and renderJson: the text ends with the verdict line, the JSON parses with the schema number', () => {
  const report = diagnose(readLog(NAN_LOG));
  const verdict = renderText(report, { verdictOnly: true });
  assert.ok(verdict.endsWith('\n') && verdict.trim().split('\n').length === 1);
  const text = renderText(report, { width: 80 });
  assert.ok(text.trimEnd().endsWith(verdict.trim()), 'the text report ends with its verdict line');
  assert.doesNotMatch(text, /\x1b\[/, 'no colour unless asked');
  assert.match(renderText(report, { color: true }), /\x1b\[/);
  const json = JSON.parse(renderJson(report));
  assert.equal(json.schema, api.REPORT_SCHEMA);
  assert.equal(json.verdict, report.verdict);
});

test('DETECTORS are the patterns, in PATTERN_IDS order; FORMAT_IDS name what readLog reads', () => {
  assert.deepEqual(DETECTORS.map((d) => d.id), [...PATTERN_IDS]);
  assert.ok(FORMAT_IDS.includes('csv') && FORMAT_IDS.includes('jsonl') && FORMAT_IDS.includes('tensorboard'));
  assert.equal(new Set(FORMAT_IDS).size, FORMAT_IDS.length);
  assert.match(api.explainPattern('nan') ?? '', /^# nan/);
  assert.equal(api.explainPattern('nope'), undefined);
});

/** Pushes rows into a watcher; the findings it gave, each with the number of rows pushed when it came (the row pushing counted) (Infinity: at end()). */
function watch(rows: Array<[number, number, number | undefined]>, options: api.WatcherOptions = {}) {
  const seen: Array<{ finding: ReportFinding; after: number; updated: boolean }> = [];
  let pushed = 0;
  let ending = false;
  const watcher = createWatcher({ ...options, onFinding: (finding, _report, updated) => seen.push({ finding, after: ending ? Infinity : pushed, updated }) });
  for (const [step, loss, val] of rows) {
    pushed++;
    watcher.push(step, loss, val);
  }
  ending = true;
  return { report: watcher.end(), seen };
}

test('createWatcher: the NaN is reported on the push that shows it, and the final report is diagnose on the same values', () => {
  const rows = rowsOf(NAN_LOG);
  const firstNaN = rows.findIndex(([, loss]) => Number.isNaN(loss));
  assert.ok(firstNaN > 0, 'the fixture has a NaN');
  const { report, seen } = watch(rows);
  const nan = seen.find((s) => s.finding.pattern === 'nan' && !s.updated);
  assert.ok(nan, 'nan reported');
  assert.equal(nan.after, firstNaN + 1, 'on the push of the first NaN');
  assert.equal(nan.finding.start_step, rows[firstNaN][0]);
  // never twice, except as an update at the end
  const keys = seen.filter((s) => !s.updated).map((s) => `${s.finding.pattern} ${s.finding.series} ${s.finding.start_step}`);
  assert.equal(new Set(keys).size, keys.length);
  const csv = 'step,loss,val_loss\n' + rows.map(([s, l, v]) => `${s},${l},${v ?? ''}`).join('\n') + '\n';
  const offline = diagnose(readLog(Buffer.from(csv), { name: '<watcher>' }));
  assert.equal(renderJson(report), renderJson(offline));
});

test('createWatcher: validation values on some steps only are the val curve', () => {
  const rows = rowsOf(VAL_LOG);
  assert.ok(rows.some(([, , v]) => v === undefined) && rows.some(([, , v]) => v !== undefined));
  const { report } = watch(rows, { name: 'run-7' });
  assert.equal(report.file, 'run-7');
  assert.equal(report.series.val, 'val_loss');
  assert.equal(report.curves.val!.steps.length, rows.filter(([, , v]) => v !== undefined).length);
  const spike = report.findings.find((f) => f.pattern === 'spike' && f.series === 'val');
  const expected = diagnose(readLog(VAL_LOG)).findings.find((f) => f.pattern === 'spike' && f.series === 'val');
  assert.ok(expected, 'the fixture has a val spike');
  assert.equal(spike?.start_step, expected.start_step);
});

test('createWatcher: on a training loop\'s clock (a second a step), a divergence is reported while the values come, not only at end()', () => {
  const rows = rowsOf(join(FIXTURES, 'patterns', 'divergence', 'positive-climb-after-4000.csv'));
  let pushed = 0;
  const live: Array<{ f: ReportFinding; pushed: number }> = [];
  const watcher = createWatcher({ now: () => pushed * 1000, onFinding: (f) => { if (f.pattern === 'divergence') live.push({ f, pushed }); } });
  for (const [step, loss, val] of rows) {
    pushed++;
    watcher.push(step, loss, val);
  }
  const report = watcher.end();
  const final = report.findings.find((f) => f.pattern === 'divergence');
  assert.ok(final, 'the report has the divergence');
  assert.ok(live.length > 0 && live[0].pushed < rows.length, 'reported before the last value');
  assert.ok(rows[live[0].pushed - 1][0] >= final.start_step, 'after the values that show it');
});

test('createWatcher: a step that is no number is refused, and nothing is pushed after end()', () => {
  const watcher = createWatcher();
  assert.throws(() => watcher.push(Number.NaN, 1), TypeError);
  watcher.push(1, 2);
  watcher.push(2, 1.5);
  watcher.end();
  assert.throws(() => watcher.push(3, 1));
});

test('the shipped bundle (dist/bundle/index.js) gives the reports the compiled sources give', async () => {
  const bundle = (await import(pathToFileURL(join(ROOT, 'dist', 'bundle', 'index.js')).href)) as typeof api;
  for (const file of [NAN_LOG, VAL_LOG]) {
    const ours: Report = diagnose(readLog(file));
    const shipped = bundle.diagnose(bundle.readLog(file));
    assert.equal(bundle.renderJson(shipped), renderJson(ours));
    assert.equal(bundle.renderText(shipped, { width: 90 }), renderText(ours, { width: 90 }));
  }
  assert.deepEqual(Object.keys(bundle).sort(), Object.keys(api).sort(), 'the bundle exports what src/index.ts does');
});
