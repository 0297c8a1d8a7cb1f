// Many runs in one call: a sweep folder made here (healthy, NaN, flat, overfit; CSV, JSONL, trainer_state.json), its table, JSON, JSONL, exit codes, summarize, and the CI formats.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expandGlob, runsOf } from '../src/cli/inputs.js';
import { eventFile } from '../scripts/tfevents-writer.js';
import { FIXTURES, ROOT } from './helpers.js';
import { tempFolder } from './helpers/formats.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');

/** A seeded generator (an LCG), so every run of the test writes the same logs. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

const NAN_FROM = 700; // the NaN run's first bad step
const OVERFIT_BEST = 1200; // the overfit run's validation minimum

/** Writes the sweep: four runs in three formats, in a folder and a sub-folder, beside a file that is no log. */
function writeSweep(write: (relative: string, text: string) => void): void {
  const r = noise(7);
  const healthy = ['step,loss,val_loss'];
  for (let s = 0; s < 2000; s += 10) {
    const v = 2.5 * Math.exp(-s / 500) + 0.3 + 0.04 * r();
    healthy.push(`${s},${v.toFixed(4)},${s % 100 ? '' : (v + 0.05).toFixed(4)}`);
  }
  write('sweep/healthy.csv', healthy.join('\n') + '\n');
  const nan: string[] = [];
  for (let s = 0; s < 1000; s += 10) nan.push(s < NAN_FROM ? JSON.stringify({ step: s, loss: 2.5 * Math.exp(-s / 300) + 0.3 + 0.04 * r() }) : `{"step": ${s}, "loss": NaN}`);
  write('sweep/nan.jsonl', nan.join('\n') + '\n');
  const flat = ['step,loss'];
  for (let s = 0; s < 1000; s += 10) flat.push(`${s},${(2.302 + 0.006 * r()).toFixed(4)}`);
  write('sweep/flat.csv', flat.join('\n') + '\n');
  const history: object[] = [];
  for (let s = 10; s < 3000; s += 10) {
    history.push({ step: s, epoch: s / 300, loss: 2 * Math.exp(-s / 400) + 0.1 + 0.02 * r() });
    if (s % 100 === 0) history.push({ step: s, epoch: s / 300, eval_loss: 1 + 0.5 * ((s - OVERFIT_BEST) / 1000) ** 2 + 0.02 * r() });
  }
  write('sweep/lr_3e-4/trainer_state.json', JSON.stringify({ log_history: history, global_step: 2990, max_steps: 3000 }));
  write('sweep/README.md', 'notes about the sweep\n');
}

const dir = tempFolder();
before(() => writeSweep((relative, text) => dir.write(relative, text)));
after(() => dir.cleanup());

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir.path, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...env }, timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const VERDICTS: Record<string, string> = {
  'sweep/healthy.csv': 'healthy', 'sweep/nan.jsonl': 'failing', 'sweep/flat.csv': 'failing', 'sweep/lr_3e-4/trainer_state.json': 'warning',
};

/** The rows of the text table: the lines between the header and the first blank line, split on runs of 2+ spaces. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => /^\s+run\s+format\s+verdict/.test(l));
  assert.ok(header >= 0, stdout);
  const end = lines.indexOf('', header);
  return lines.slice(header + 1, end).map((l) => l.trim().split(/\s{2,}/));
}

describe('diagnose over many runs', () => {
  test('a sweep folder is diagnosed run by run: one table worst first, the failing runs detailed, the counts, exit 1', () => {
    const r = run(['diagnose', 'sweep']);
    assert.equal(r.code, 1, r.stderr);
    const rows = tableRows(r.stdout);
    assert.deepEqual(rows.map((row) => row[0]).sort(), Object.keys(VERDICTS).sort());
    for (const row of rows) assert.equal(row[2], VERDICTS[row[0]], row.join(' | '));
    // worst first: both failing runs above the warning, the healthy run last
    assert.deepEqual(rows.map((row) => row[2]), ['failing', 'failing', 'warning', 'healthy']);
    const nanRow = rows.find((row) => row[0] === 'sweep/nan.jsonl')!;
    assert.match(nanRow[3], new RegExp(`^nan \\(train\\) at step ${NAN_FROM}$`));
    const overfitRow = rows.find((row) => row[0].endsWith('trainer_state.json'))!;
    assert.match(overfitRow[3], /^overfit \(val\)/);
    assert.match(overfitRow[5], /at step 1,[0-9]00$/);
    assert.match(r.stdout, /Failing runs[\s\S]*sweep\/flat\.csv[\s\S]*sweep\/nan\.jsonl/);
    assert.match(r.stdout, /Summary: 4 runs: 2 failing, 1 warning, 1 healthy/);
  });

  test('--format json is an array of reports, each as a single run\'s; jsonl the same entries one a line', () => {
    const json = run(['diagnose', 'sweep', '--format', 'json']);
    assert.equal(json.code, 1);
    const array = JSON.parse(json.stdout);
    assert.ok(Array.isArray(array));
    assert.deepEqual(Object.fromEntries(array.map((e: { file: string; verdict: string }) => [e.file, e.verdict])), VERDICTS);
    const single = JSON.parse(run(['diagnose', 'sweep/nan.jsonl', '--format', 'json']).stdout);
    assert.ok(!Array.isArray(single));
    const inArray = array.find((e: { file: string }) => e.file === 'sweep/nan.jsonl');
    for (const key of Object.keys(single)) assert.deepEqual(inArray[key], single[key], key);
    const jsonl = run(['diagnose', 'sweep', '--format', 'jsonl']);
    assert.equal(jsonl.code, 1);
    const lines = jsonl.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.deepEqual(lines.map((l) => JSON.parse(l)), array);
  });

  test('the exit code is over all runs: 0 when none fails its policy, 1 when one does, 2 when an input cannot be read', () => {
    assert.equal(run(['diagnose', 'sweep/healthy.csv', 'sweep/lr_3e-4']).code, 0);
    assert.equal(run(['diagnose', 'sweep/healthy.csv', 'sweep/lr_3e-4', '--fail-on', 'warning']).code, 1);
    assert.equal(run(['diagnose', 'sweep/healthy.csv', 'sweep/nan.jsonl']).code, 1);
    const r = run(['diagnose', 'sweep/healthy.csv', 'sweep/missing.csv', 'sweep/nan.jsonl']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^losscurve: sweep\/missing\.csv: /);
    const rows = tableRows(r.stdout);
    assert.deepEqual(rows.map((row) => row[2]), ['failing', 'unreadable', 'healthy']);
    assert.match(r.stdout, /3 runs: 1 failing, 1 unreadable, 1 healthy/);
  });

  test('quoted globs are expanded by losscurve: * within a name, ** across folders; one match is read as one file', () => {
    const csv = run(['diagnose', 'sweep/*.csv', '--format', 'json']);
    assert.deepEqual(JSON.parse(csv.stdout).map((e: { file: string }) => e.file), ['sweep/flat.csv', 'sweep/healthy.csv']);
    const one = run(['diagnose', 'sweep/**/trainer_state.json', '--format', 'json']);
    assert.equal(one.code, 0);
    assert.equal(JSON.parse(one.stdout).file, 'sweep/lr_3e-4/trainer_state.json');
    const none = run(['diagnose', 'sweep/*.parquet']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^losscurve: sweep\/\*\.parquet: matches no file/);
    assert.deepEqual(expandGlob(join(dir.path, 'sweep', '**', '*.json')), [join(dir.path, 'sweep', 'lr_3e-4', 'trainer_state.json')]);
    assert.deepEqual(expandGlob(join(dir.path, '**', 'flat.csv')), [join(dir.path, 'sweep', 'flat.csv')]);
  });

  test('folders of several runs split by format (Lightning versions, MLflow runs); a folder of one run is read as before', () => {
    const lightning = runsOf([join(FIXTURES, 'formats', 'lightning')]).map((r) => r.path);
    assert.ok(lightning.length >= 2);
    for (const path of lightning) assert.match(path, /lightning_logs\/version_[0-9]+$/);
    const mlflow = runsOf([join(FIXTURES, 'formats', 'mlflow', 'mlruns')]);
    assert.ok(mlflow.length >= 2);
    const version = join(FIXTURES, 'formats', 'lightning', 'lightning_logs', 'version_0');
    assert.deepEqual(runsOf([version]), [{ path: version }]);
    const keras = join(FIXTURES, 'formats', 'tensorboard', 'keras-run');
    assert.deepEqual(runsOf([keras]), [{ path: keras }]);
    // the sweep folder: its logs and its sub-folder's, the README passed over
    assert.equal(runsOf([join(dir.path, 'sweep')]).length, 4);
  });

  test('TensorBoard sibling run folders are one run each; train/ and validation/ beside each other stay one run', () => {
    const events = (base: number) => eventFile(Array.from({ length: 30 }, (_, i) => ({ wallTime: 1_700_000_000 + i, step: i + 1, values: [{ tag: 'train/loss', simple: base / (i + 1) + 1 }] })));
    dir.write('tb/runs/Mar23_lr1e-3/events.out.tfevents.1.host.0', events(4));
    dir.write('tb/runs/Mar24_lr3e-4/events.out.tfevents.2.host.0', events(2));
    dir.write('tb/keras/train/events.out.tfevents.3.host.0', events(3));
    dir.write('tb/keras/validation/events.out.tfevents.4.host.0', events(3));
    assert.deepEqual(runsOf([join(dir.path, 'tb', 'runs')]).map((r) => r.path), ['Mar23_lr1e-3', 'Mar24_lr3e-4'].map((n) => join(dir.path, 'tb', 'runs', n)));
    assert.deepEqual(runsOf([join(dir.path, 'tb', 'keras')]).map((r) => r.path), [join(dir.path, 'tb', 'keras')]);
    const r = run(['diagnose', 'tb/runs', '--format', 'json']);
    assert.deepEqual(JSON.parse(r.stdout).map((e: { file: string }) => e.file), ['tb/runs/Mar23_lr1e-3', 'tb/runs/Mar24_lr3e-4']);
  });
});

describe('summarize', () => {
  test('jsonl shards merge into the same table and exit code as one call over all runs', () => {
    const shards = [['sweep/nan.jsonl', 'sweep/healthy.csv'], ['sweep/lr_3e-4', 'sweep/flat.csv']];
    shards.forEach((paths, i) => {
      const r = run(['diagnose', ...paths, '--format', 'jsonl', '--output', `shard-${i}.jsonl`]);
      assert.equal(r.code, 1);
    });
    const whole = run(['diagnose', 'sweep']);
    const merged = run(['summarize', 'shard-0.jsonl', 'shard-1.jsonl']);
    assert.equal(merged.code, whole.code);
    assert.equal(merged.stdout, whole.stdout);
    const json = JSON.parse(run(['summarize', 'shard-0.jsonl', 'shard-1.jsonl', '--format', 'json']).stdout);
    assert.equal(json.length, 4);
    const healthy = run(['summarize', 'shard-0.jsonl']);
    assert.equal(healthy.code, 1);
  });

  test('a shard of healthy runs exits 0; a shard that says an input was unreadable exits 2; a broken shard is a one-line error', () => {
    run(['diagnose', 'sweep/healthy.csv', 'sweep/lr_3e-4', '--format', 'jsonl', '--output', 'ok.jsonl']);
    assert.equal(run(['summarize', 'ok.jsonl']).code, 0);
    run(['diagnose', 'sweep/healthy.csv', 'gone.csv', '--format', 'jsonl', '--output', 'bad.jsonl']);
    assert.equal(run(['summarize', 'ok.jsonl', 'bad.jsonl']).code, 2);
    writeFileSync(join(dir.path, 'broken.jsonl'), readFileSync(join(dir.path, 'ok.jsonl'), 'utf8') + '{"not": "ours"}\n');
    const broken = run(['summarize', 'broken.jsonl']);
    assert.equal(broken.code, 2);
    assert.equal(broken.stderr.trim().split('\n').length, 1);
    assert.match(broken.stderr, /^losscurve: broken\.jsonl:3: /);
  });
});

// ::error file=F,line=N,title=T::message, with : and , in properties and %, CR, LF anywhere escaped
const WORKFLOW_COMMAND = /^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::[^\r\n]*$/;

describe('CI report formats', () => {
  test('--format github: a workflow command per finding at its log line, the counts as a notice, the job summary appended', () => {
    const summary = join(dir.path, 'step-summary.md');
    const r = run(['diagnose', 'sweep', '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) assert.match(line, WORKFLOW_COMMAND);
    const nan = lines.find((l) => l.includes('title=losscurve nan'))!;
    assert.match(nan, /^::error file=sweep\/nan\.jsonl,line=([0-9]+),/);
    const line = Number(/line=([0-9]+)/.exec(nan)![1]);
    const logLine = readFileSync(join(dir.path, 'sweep', 'nan.jsonl'), 'utf8').split('\n')[line - 1];
    assert.match(logLine, new RegExp(`"step": ${NAN_FROM}, "loss": NaN`));
    assert.ok(lines.some((l) => /^::warning file=sweep\/lr_3e-4\/trainer_state\.json,.*title=losscurve overfit::/.test(l)));
    assert.match(lines.at(-1)!, /^::notice title=losscurve::4 runs: 2 failing, 1 warning, 1 healthy$/);
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /^\| run \| format \| verdict \|/m);
  });

  test('--format markdown: one run with its chart in a code block and lists; a sweep as a table with a row per run', () => {
    const one = run(['diagnose', 'sweep/nan.jsonl', '--format', 'markdown']).stdout;
    assert.match(one, /```text\n[\s\S]*┤[\s\S]*\n```\n/);
    assert.match(one, /^- \*\*error\*\* `nan` \(train, step 700/m);
    assert.match(one, /^1\. /m);
    const sweep = run(['diagnose', 'sweep', '--format', 'markdown']).stdout.split('\n');
    const header = sweep.findIndex((l) => l.startsWith('| run |'));
    assert.match(sweep[header + 1], /^\|( --- \|)+$/);
    const rows = sweep.slice(header + 2).filter((l) => l.startsWith('| '));
    assert.equal(rows.length, 4);
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 8, row);
  });

  test('--format junit: well-formed XML, one test case per run, failing runs as failures, unreadable inputs as errors', () => {
    const r = run(['diagnose', 'sweep', 'nowhere.csv', '--format', 'junit']);
    assert.equal(r.code, 2);
    const xml = r.stdout;
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    // minimal well-formedness: every element opened is closed in order
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of xml.replace(/^<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([a-z-]+)[^>]*?(\/?)>/g)) {
      if (close) assert.equal(stack.pop(), name);
      else if (!selfClosing) stack.push(name);
    }
    assert.deepEqual(stack, []);
    assert.doesNotMatch(xml.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&/);
    const cases = [...xml.matchAll(/<testcase name="([^"]*)"[^>]*>(.*?<\/testcase>|)/gs)];
    assert.equal(cases.length, 5);
    assert.equal((xml.match(/<failure /g) ?? []).length, 2);
    assert.equal((xml.match(/<error /g) ?? []).length, 1);
    assert.match(xml, /<testsuite name="losscurve" tests="5" failures="2" errors="1">/);
  });
});
