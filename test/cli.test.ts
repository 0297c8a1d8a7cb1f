// The command line end to end: stdin, files, JSON, exit codes, colour, usage errors and explain, by running bin/losscurve.js.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');
const ANSI = /\u001b\[/;

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  // a UTF-8 locale, as the tests read box-drawing charts (a machine in the C locale gets the ASCII chart)
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8', ...env }, timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pattern = (name: string) => join(FIXTURES, 'patterns', name);
const GOOD = pattern('good/positive-pretrain-with-val.csv');
const NAN = pattern('nan/positive-pretrain-nan-at-1200.csv');
const SPIKE = pattern('spike/positive-pretrain-spike-at-6000.csv');

/** A stack trace has "    at " frames; a one-line error has exactly one line. */
function assertOneLineError(stderr: string) {
  assert.equal(stderr.trim().split('\n').length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /);
  assert.match(stderr, /^losscurve: /);
}

describe('diagnose', () => {
  test('a healthy file: chart and verdict, exit 0, no colour when stdout is a pipe', () => {
    const r = run(['diagnose', GOOD]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /┤/);
    assert.match(r.stdout, /Verdict: HEALTHY/);
    assert.doesNotMatch(r.stdout, ANSI);
  });

  test('reads stdin with "-" and with no file argument', () => {
    const csv = 'step,loss\n' + Array.from({ length: 50 }, (_, i) => `${i + 1},${(3 * Math.exp(-i / 10) + 1).toFixed(4)}`).join('\n') + '\n';
    for (const args of [['diagnose', '-', '--format', 'json'], ['diagnose', '--format', 'json']]) {
      const r = run(args, csv);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.file, '<stdin>');
      assert.equal(report.rows, 50);
      assert.equal(report.series.train, 'loss');
    }
  });

  test('--format json: the documented shape', () => {
    const r = run(['diagnose', SPIKE, '--format', 'json']);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout);
    for (const key of ['file', 'format', 'rows', 'steps', 'series', 'baseline', 'runs', 'verdict', 'notes', 'findings']) assert.ok(key in report, key);
    assert.deepEqual(Object.keys(report.steps), ['first', 'last']);
    assert.ok(['healthy', 'warning', 'failing'].includes(report.verdict));
    const spike = report.findings.find((f: { pattern: string }) => f.pattern === 'spike');
    assert.ok(spike);
    for (const key of ['pattern', 'severity', 'series', 'run', 'start_step', 'end_step', 'message', 'evidence', 'fixes']) assert.ok(key in spike, key);
    assert.equal(typeof spike.start_step, 'number');
    assert.ok(Array.isArray(spike.fixes) && spike.fixes.length > 0);
  });

  test('exit codes follow --fail-on', () => {
    assert.equal(run(['diagnose', NAN]).code, 1, 'nan fails by default');
    assert.equal(run(['diagnose', NAN, '--fail-on', 'none']).code, 0);
    assert.equal(run(['diagnose', SPIKE]).code, 0, 'a spike does not fail by default');
    assert.equal(run(['diagnose', SPIKE, '--fail-on', 'spike,nan']).code, 1);
    assert.equal(run(['diagnose', SPIKE, '--fail-on', 'any']).code, 1);
    assert.equal(run(['diagnose', GOOD, '--fail-on', 'any']).code, 0, 'good never fails');
  });

  test('NO_COLOR and --no-color keep the output plain', () => {
    for (const [args, env] of [[['diagnose', GOOD, '--no-color'], { FORCE_COLOR: '1' }], [['diagnose', GOOD], { NO_COLOR: '1', FORCE_COLOR: '1' }]] as const) {
      const r = run([...args], undefined, env);
      assert.equal(r.code, 0);
      assert.doesNotMatch(r.stdout, ANSI);
    }
  });

  test('--width and --height size the chart', () => {
    const r = run(['diagnose', GOOD, '--width', '60', '--height', '8']);
    // the plot rows: a labelled row (┤) or one between labels (│) in the axis column, after the 9-column labels
    const chartRows = r.stdout.split('\n').filter((l) => /^.{10}[┤│]/.test(l));
    assert.equal(chartRows.length, 8);
    assert.ok(chartRows.every((l) => l.length <= 60), chartRows.map((l) => l.length).join(','));
  });
});

describe('bad usage and bad input: one line, exit 2', () => {
  const cases: Array<[string, string[], string?]> = [
    ['missing file', ['diagnose', join(FIXTURES, 'no-such-file.csv')]],
    ['empty input', ['diagnose', '-'], ''],
    ['header only', ['diagnose', '-'], 'step,loss\n'],
    ['no loss column', ['diagnose', '-'], 'step,accuracy,perplexity\n1,0.5,30\n2,0.6,20\n'],
    ['unknown --fail-on pattern', ['diagnose', GOOD, '--fail-on', 'bogus']],
    ['unknown option', ['diagnose', GOOD, '--frobnicate']],
    ['bad --vocab', ['diagnose', GOOD, '--vocab', 'many']],
    ['--loss names no column', ['diagnose', GOOD, '--loss', 'nope']],
    ['--run out of range', ['diagnose', GOOD, '--run', '3']],
    ['explain an unknown pattern', ['explain', 'bogus']],
  ];
  for (const [name, args, input] of cases) {
    test(name, () => {
      const r = run(args, input);
      assert.equal(r.code, 2, r.stderr);
      assertOneLineError(r.stderr);
      assert.equal(r.stdout, '');
    });
  }

  test('the error names the file', () => {
    const missing = join(FIXTURES, 'no-such-file.csv');
    assert.ok(run(['diagnose', missing]).stderr.includes(missing));
  });

  test('no arguments prints usage and exits 2', () => {
    const r = run([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage/);
  });
});

describe("a trainer's log that holds no loss", () => {
  // a W&B run history of an RL agent: rewards, no loss; a trainer's own format, so read, not refused
  const rewards = Array.from({ length: 30 }, (_, i) => JSON.stringify({ _step: i, _runtime: i * 2.5, _timestamp: 1.6e9 + i, episodic_reward: 10 + i })).join('\n') + '\n';

  test('is reported as holding none, exit 0, in text and JSON', () => {
    const text = run(['diagnose', '-'], rewards);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /NO LOSS/);
    assert.match(text.stdout, /episodic_reward/);
    const json = run(['diagnose', '--format', 'json', '-'], rewards);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.verdict, 'no-loss');
    assert.deepEqual(report.findings, []);
    assert.equal(report.series.train, undefined);
  });

  test('--loss still names a column to diagnose', () => {
    const r = run(['diagnose', '--format', 'json', '--loss', 'episodic_reward', '-'], rewards);
    assert.notEqual(r.code, 2, r.stderr); // a reward that climbs, read as a loss, may well be judged divergent
    assert.equal(JSON.parse(r.stdout).series.train, 'episodic_reward');
  });
});

describe('explain', () => {
  test('prints a pattern page', () => {
    const r = run(['explain', 'spike']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /## Fixes, in order/);
  });

  test('lists the patterns', () => {
    const r = run(['explain']);
    assert.equal(r.code, 0);
    for (const id of ['nan', 'divergence', 'flat', 'spike', 'plateau', 'overfit', 'step', 'sawtooth', 'good']) assert.match(r.stdout, new RegExp(`\\b${id}\\b`));
  });
});
