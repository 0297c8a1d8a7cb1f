// One severity model: --fail-on by severity or pattern, the verdict that never contradicts the exit code, inconclusive logs, and the shared output flags.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFailOn, UsageError } from '../src/cli/options.js';
import { diagnose } from '../src/diagnose.js';
import { DETECTORS } from '../src/detect/index.js';
import { errorPatterns, fails } from '../src/policy.js';
import { readFileSource, readTable } from '../src/read/index.js';
import { toJson } from '../src/report/json.js';
import { toText } from '../src/report/text.js';
import { FIXTURES, ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');
const ANSI = /\u001b\[/;
const dir = mkdtempSync(join(tmpdir(), 'losscurve-severity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env }, timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pattern = (name: string) => join(FIXTURES, 'patterns', name);
const FLAT = pattern('flat/positive-at-baseline.csv');
const STEP = pattern('step/positive-multistep-lr.csv');
const SPIKE = pattern('spike/positive-pretrain-spike-at-6000.csv');
const NAN = pattern('nan/positive-pretrain-nan-at-1200.csv');
const GOOD = pattern('good/positive-pretrain-with-val.csv');

/** Seeded noise, so a failure can be replayed. */
function noiseFrom(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
}

function csv(name: string, values: number[]): string {
  const file = join(dir, name);
  writeFileSync(file, `step,loss\n${values.map((v, i) => `${i * 10},${v.toFixed(4)}`).join('\n')}\n`);
  return file;
}

// stuck at 5.0 for half the run, then unstuck at once (an LR change): flat, lowered to a warning
const noise = noiseFrom(5);
const PARTIAL_FLAT = csv('partial-flat.csv', Array.from({ length: 300 }, (_, i) => (i < 150 ? 5 + 0.01 * noise() : 2 + 3 * Math.exp(-(i - 150) / 10) + 0.01 * noise())));
const SHORT = csv('short.csv', [2.3, 2.2, 2.25, 2.1]);
const noisy = noiseFrom(5);
const NOISY = csv('noisy.csv', Array.from({ length: 200 }, () => 3 + 0.6 * noisy()));

const verdictLineOf = (stdout: string) => stdout.trim().split('\n').pop()!;

describe('the fail policy', () => {
  test('the default fails on exactly the patterns the detectors rate errors', () => {
    assert.deepEqual(errorPatterns(), DETECTORS.filter((d) => d.severity === 'error').map((d) => d.id));
    assert.deepEqual(errorPatterns(), ['nan', 'divergence', 'flat']);
    const policy = parseFailOn('error');
    for (const d of DETECTORS) {
      const finding = { pattern: d.id, severity: d.severity, series: 'train' as const, start_step: 0, end_step: 1, message: '', evidence: {}, fixes: [] };
      assert.equal(fails(policy, finding), d.severity === 'error', d.id);
    }
  });

  test('severities, patterns, any and none; unknown words are a usage error', () => {
    const f = (pattern: 'spike' | 'flat' | 'step' | 'good', severity: 'error' | 'warning' | 'info') =>
      ({ pattern, severity, series: 'train' as const, start_step: 0, end_step: 1, message: '', evidence: {}, fixes: [] });
    assert.equal(fails(parseFailOn('warning'), f('spike', 'warning')), true);
    assert.equal(fails(parseFailOn('warning'), f('step', 'info')), false);
    assert.equal(fails(parseFailOn('info'), f('step', 'info')), true);
    assert.equal(fails(parseFailOn('info'), f('good', 'info')), false, 'good never fails');
    assert.equal(fails(parseFailOn('error'), f('flat', 'warning')), false, 'a lowered finding follows its own severity');
    assert.equal(fails(parseFailOn('flat'), f('flat', 'warning')), true, 'a pattern fails whatever its severity');
    assert.equal(fails(parseFailOn('error,spike'), f('spike', 'warning')), true);
    assert.equal(fails(parseFailOn('any'), f('step', 'info')), true);
    assert.equal(fails(parseFailOn('none'), f('flat', 'error')), false);
    assert.throws(() => parseFailOn('errors'), UsageError);
    assert.throws(() => parseFailOn(''), UsageError);
  });

  test('on every pattern fixture and policy, the verdict is failing exactly when a finding fails the policy, and says which policy', () => {
    const policies = ['error', 'warning', 'info', 'any', 'none', 'nan,spike', 'flat'];
    for (const kind of readdirSync(join(FIXTURES, 'patterns'))) {
      for (const name of readdirSync(join(FIXTURES, 'patterns', kind))) {
        const file = join(FIXTURES, 'patterns', kind, name);
        const table = readTable(readFileSource(file));
        for (const text of policies) {
          const policy = parseFailOn(text);
          const report = diagnose(table, file, { vocab: 50257, failOn: policy });
          const mine = report.findings.filter((f) => f.run === report.runs.diagnosed);
          const failing = mine.some((f) => fails(policy, f));
          assert.equal(report.verdict === 'failing', failing, `${kind}/${name} --fail-on ${text}`);
          const line = verdictLineOf(toText(report, { color: false, width: 80 }));
          assert.equal(line.startsWith('Verdict: FAILING'), failing, line);
          if (failing) assert.ok(line.includes(`(exit 1: --fail-on ${text})`), line);
          assert.equal(JSON.parse(toJson(report)).fail_on, text);
        }
      }
    }
  });
});

describe('the verdict agrees with the exit code', () => {
  test('a flat run fails by default: FAILING and exit 1', () => {
    const r = run(['diagnose', FLAT]);
    assert.equal(r.code, 1);
    assert.match(verdictLineOf(r.stdout), /^Verdict: FAILING — flat \(exit 1: --fail-on error\)$/);
  });

  test('--fail-on any on a step-decay run: the step finding fails it, and the verdict says so', () => {
    const r = run(['diagnose', STEP, '--fail-on', 'any']);
    assert.equal(r.code, 1);
    assert.match(verdictLineOf(r.stdout), /^Verdict: FAILING — .*step.* \(exit 1: --fail-on any\)$/);
    const healthy = run(['diagnose', STEP]);
    assert.equal(healthy.code, 0);
    assert.doesNotMatch(verdictLineOf(healthy.stdout), /FAILING/);
  });

  test('a flat lowered to a warning does not fail --fail-on error, and fails --fail-on flat or warning', () => {
    const json = (policy: string[]) => {
      const r = run(['diagnose', '--format', 'json', ...policy, PARTIAL_FLAT]);
      return { code: r.code, report: JSON.parse(r.stdout) };
    };
    const byDefault = json([]);
    const flat = byDefault.report.findings.find((f: { pattern: string }) => f.pattern === 'flat');
    assert.equal(flat?.severity, 'warning', 'the fixture holds a partial flat');
    assert.equal(byDefault.code, 0);
    assert.equal(byDefault.report.verdict, 'warning');
    for (const policy of ['flat', 'warning']) {
      const r = json(['--fail-on', policy]);
      assert.equal(r.code, 1, policy);
      assert.equal(r.report.verdict, 'failing');
      assert.match(r.report.verdict_reason, new RegExp(`--fail-on ${policy}`));
    }
  });

  test('--fail-on none on a NaN run exits 0 and the verdict is no FAILING', () => {
    const r = run(['diagnose', NAN, '--fail-on', 'none']);
    assert.equal(r.code, 0);
    assert.match(verdictLineOf(r.stdout), /^Verdict: WARNING — nan /);
  });

  test('--exit-on is still read as --fail-on', () => {
    assert.equal(run(['diagnose', SPIKE, '--exit-on', 'spike']).code, 1);
    assert.equal(run(['diagnose', NAN, '--exit-on', 'none']).code, 0);
  });
});

describe('inconclusive', () => {
  test('four points: inconclusive, exit 0, and how many points would do, in text and JSON', () => {
    const text = run(['diagnose', SHORT]);
    assert.equal(text.code, 0);
    assert.match(verdictLineOf(text.stdout), /^Verdict: INCONCLUSIVE — only 4 points: log at least 8 /);
    assert.doesNotMatch(text.stdout, /HEALTHY/);
    const json = JSON.parse(run(['diagnose', '--format', 'json', SHORT]).stdout);
    assert.equal(json.verdict, 'inconclusive');
    assert.match(json.verdict_reason, /only 4 points/);
  });

  test('a long log with no finding at all, not even good, is inconclusive, not healthy', () => {
    const r = run(['diagnose', '--format', 'json', NOISY]);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.findings, []);
    assert.equal(report.verdict, 'inconclusive');
    assert.match(report.verdict_reason, /neither clearly falls nor shows a known problem/);
  });

  test('a NaN in a short log still fails: a problem needs few points, health needs more', () => {
    const file = join(dir, 'short-nan.csv');
    writeFileSync(file, 'step,loss\n1,2.3\n2,2.2\n3,nan\n4,nan\n');
    assert.equal(run(['diagnose', file]).code, 1);
  });
});

describe('the same output flags everywhere', () => {
  test('--json is --format json; the report carries its schema version', () => {
    const a = run(['diagnose', '--json', GOOD]);
    const b = run(['diagnose', '--format', 'json', GOOD]);
    assert.equal(a.stdout, b.stdout);
    assert.equal(JSON.parse(a.stdout).schema, 2);
  });

  test('--quiet prints only the verdict line', () => {
    const r = run(['diagnose', '--quiet', FLAT]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.split('\n').length, 2, r.stdout);
    assert.match(r.stdout, /^Verdict: FAILING/);
  });

  test('--output writes the report to a file and nothing to stdout; it never overwrites the log it reads', () => {
    const out = join(dir, 'report.json');
    const r = run(['diagnose', '--format', 'json', '--output', out, GOOD]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).verdict, 'healthy');
    const text = join(dir, 'report.txt');
    run(['diagnose', '--output', text, '--fail-on', 'none', NAN]);
    assert.doesNotMatch(readFileSync(text, 'utf8'), ANSI, 'a file gets no colour unless asked');

    const log = join(dir, 'self.csv');
    writeFileSync(log, readFileSync(GOOD));
    const self = run(['diagnose', '--output', log, log]);
    assert.equal(self.code, 2);
    assert.equal(self.stderr.trim().split('\n').length, 1);
    assert.deepEqual(readFileSync(log), readFileSync(GOOD), 'the log is untouched');
    const nowhere = run(['diagnose', '--output', join(dir, 'no-such-dir', 'r.txt'), GOOD]);
    assert.equal(nowhere.code, 2);
    assert.equal(nowhere.stderr.trim().split('\n').length, 1);
  });

  test('FORCE_COLOR and --color colour a pipe; NO_COLOR and --no-color keep it plain', () => {
    assert.match(run(['diagnose', GOOD], { FORCE_COLOR: '1' }).stdout, ANSI);
    assert.match(run(['diagnose', '--color', GOOD]).stdout, ANSI);
    assert.doesNotMatch(run(['diagnose', GOOD]).stdout, ANSI);
    assert.doesNotMatch(run(['diagnose', GOOD], { FORCE_COLOR: '0' }).stdout, ANSI);
    assert.doesNotMatch(run(['diagnose', GOOD], { NO_COLOR: '1' }).stdout, ANSI);
    assert.doesNotMatch(run(['diagnose', '--no-color', GOOD], { FORCE_COLOR: '1' }).stdout, ANSI);
  });

  test('diagnose, watch and run all take --fail-on, --format, --json, --output, --quiet and --color', () => {
    for (const command of ['diagnose', 'watch', 'run']) {
      const help = run([command, '--help']).stdout;
      for (const flag of ['--fail-on', '--format', '--json', '--output', '--quiet', '--color', '--no-color']) assert.ok(help.includes(flag), `${command} ${flag}`);
    }
  });

  test('every command\'s --help shows an example and the exit codes', () => {
    for (const command of [[], ['diagnose'], ['watch'], ['run'], ['explain']]) {
      const r = run([...command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /Examples?:\n\s+losscurve /, command.join(' '));
      assert.match(r.stdout, /Exit codes:\n\s+[0-9N] /, command.join(' '));
    }
  });

  test('watch takes --fail-on: a policy by severity stops it', () => {
    const r = spawnSync(process.execPath, [BIN, 'watch', '--fail-on', 'warning', '--format', 'json'], { input: readFileSync(SPIKE), encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.verdict, 'failing');
    assert.match(report.verdict_reason, /--fail-on warning/);
  });
});
