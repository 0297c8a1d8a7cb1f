// A sweep on worker threads (--jobs): the same bytes as one after another in one thread, for every format and with unreadable inputs; a worker that dies is that run's row.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from './helpers.js';
import { tempFolder } from './helpers/formats.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');
const CRASH_HOOK = 'LOSSCURVE_TEST_WORKER_EXIT'; // src/cli/sweep-worker.ts: a run whose path ends so ends its worker
const BIG_ROWS = 60_000; // the first run in input order, several times the others: the runs after it end first

/** A seeded generator (an LCG), so every run of the test writes the same logs. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

/** The sweep: a big healthy CSV first, then NaN (JSONL), flat (CSV), overfit (trainer_state.json), a second healthy JSONL, and two inputs that cannot be read. */
function writeSweep(write: (relative: string, bytes: string | Buffer) => void): void {
  const r = noise(11);
  const big = ['step,loss,val_loss'];
  for (let s = 0; s < BIG_ROWS; s++) big.push(`${s},${(2.5 * Math.exp(-s / 15000) + 0.3 + 0.04 * r()).toFixed(4)},${s % 500 ? '' : (2.5 * Math.exp(-s / 15000) + 0.35).toFixed(4)}`);
  write('sweep/a-big.csv', big.join('\n') + '\n');
  const nan: string[] = [];
  for (let s = 0; s < 1000; s += 10) nan.push(s < 700 ? JSON.stringify({ step: s, loss: 2.5 * Math.exp(-s / 300) + 0.3 + 0.04 * r() }) : `{"step": ${s}, "loss": NaN}`);
  write('sweep/b-nan.jsonl', nan.join('\n') + '\n');
  // a file named .gz is taken as a log; these bytes are no gzip stream
  write('sweep/c-broken.csv.gz', Buffer.from('not gzip at all\n'));
  const flat = ['step,loss'];
  for (let s = 0; s < 1000; s += 10) flat.push(`${s},${(2.302 + 0.006 * r()).toFixed(4)}`);
  write('sweep/d-flat.csv', flat.join('\n') + '\n');
  const history: object[] = [];
  for (let s = 10; s < 3000; s += 10) {
    history.push({ step: s, epoch: s / 300, loss: 2 * Math.exp(-s / 400) + 0.1 + 0.02 * r() });
    if (s % 100 === 0) history.push({ step: s, epoch: s / 300, eval_loss: 1 + 0.5 * ((s - 1200) / 1000) ** 2 + 0.02 * r() });
  }
  write('sweep/e-overfit/trainer_state.json', JSON.stringify({ log_history: history, global_step: 2990, max_steps: 3000 }));
  const healthy: string[] = [];
  for (let s = 0; s < 2000; s += 10) healthy.push(JSON.stringify({ step: s, loss: 2 * Math.exp(-s / 500) + 0.2 + 0.03 * r() }));
  write('sweep/f-healthy.jsonl', healthy.join('\n') + '\n');
  // a CSV without a loss column: an error, the row says why
  write('sweep/g-noloss.csv', 'step,accuracy\n1,0.5\n2,0.6\n3,0.7\n');
}

const dir = tempFolder();
before(() => writeSweep((relative, bytes) => dir.write(relative, bytes)));
after(() => dir.cleanup());

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir.path, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// the sweep's inputs as diagnose lists them, plus an argument that names nothing
const ARGS = ['sweep', 'sweep/missing.csv'];
const RUNS = 8;

describe('diagnose --jobs', () => {
  for (const format of ['text', 'json', 'jsonl', 'github', 'markdown', 'junit']) {
    test(`--format ${format}: --jobs 2 prints what --jobs 1 prints, byte for byte, stderr too, with the same exit code`, () => {
      const one = run(['diagnose', ...ARGS, '--format', format, '--jobs', '1']);
      const two = run(['diagnose', ...ARGS, '--format', format, '--jobs', '2']);
      assert.equal(one.code, 2, one.stderr);
      assert.equal(two.code, one.code);
      assert.equal(two.stdout, one.stdout);
      assert.equal(two.stderr, one.stderr);
      // the three unreadable inputs, one line each, in input order
      assert.deepEqual(one.stderr.trimEnd().split('\n').map((l) => /^losscurve: (sweep\/[^:]+):/.exec(l)?.[1]), ['sweep/c-broken.csv.gz', 'sweep/g-noloss.csv', 'sweep/missing.csv']);
      if (format === 'jsonl') {
        const files = one.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).file);
        assert.equal(files.length, RUNS);
        assert.equal(files[0], 'sweep/a-big.csv');
      }
    });
  }

  test('the verdicts are the runs\' own: healthy, failing on NaN and on a flat run, overfit a warning, three unreadable', () => {
    const entries = JSON.parse(run(['diagnose', ...ARGS, '--format', 'json', '--jobs', '3']).stdout) as Array<{ file: string; verdict: string; findings?: Array<{ pattern: string }> }>;
    assert.deepEqual(entries.map((e) => [e.file, e.verdict]), [
      // a folder's files, then its sub-folders' runs (cli/inputs.ts), then the next argument
      ['sweep/a-big.csv', 'healthy'], ['sweep/b-nan.jsonl', 'failing'], ['sweep/c-broken.csv.gz', 'unreadable'], ['sweep/d-flat.csv', 'failing'],
      ['sweep/f-healthy.jsonl', 'healthy'], ['sweep/g-noloss.csv', 'unreadable'], ['sweep/e-overfit/trainer_state.json', 'warning'], ['sweep/missing.csv', 'unreadable'],
    ]);
    assert.ok(entries[6].findings!.some((f) => f.pattern === 'overfit'));
  });

  test('without unreadable inputs the exit code is the policy\'s, whatever the jobs: 1 with a failing run, 0 without', () => {
    for (const jobs of ['1', '2']) {
      assert.equal(run(['diagnose', 'sweep/a-big.csv', 'sweep/b-nan.jsonl', 'sweep/f-healthy.jsonl', '--jobs', jobs]).code, 1);
      assert.equal(run(['diagnose', 'sweep/a-big.csv', 'sweep/e-overfit', 'sweep/f-healthy.jsonl', '--jobs', jobs]).code, 0);
    }
  });

  test('a worker that dies mid-run: that run is an internal error row, its worker replaced, every other row as --jobs 1 gives it', () => {
    // two runs end their workers: with two workers, the runs after both can only be diagnosed by replacements
    const crash = run(['diagnose', 'sweep', '--format', 'json', '--jobs', '2'], { [CRASH_HOOK]: '.jsonl' });
    const plain = JSON.parse(run(['diagnose', 'sweep', '--format', 'json', '--jobs', '1']).stdout) as Array<{ file: string; verdict: string; error?: string }>;
    assert.equal(crash.code, 2);
    const entries = JSON.parse(crash.stdout) as typeof plain;
    assert.deepEqual(entries.map((e) => e.file), plain.map((e) => e.file));
    for (const [i, entry] of entries.entries()) {
      if (entry.file.endsWith('.jsonl')) {
        assert.equal(entry.verdict, 'unreadable');
        assert.match(entry.error!, /^sweep\/[a-z-]+\.jsonl: internal error: the worker thread diagnosing it stopped/);
      } else assert.deepEqual(entry, plain[i]);
    }
    const lines = crash.stderr.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => /^losscurve: (sweep\/[^:]+):/.exec(l)?.[1]), ['sweep/b-nan.jsonl', 'sweep/c-broken.csv.gz', 'sweep/f-healthy.jsonl', 'sweep/g-noloss.csv']);
    for (const line of lines) assert.doesNotMatch(line, /\n|    at /);
  });

  test('one run takes no pool: --jobs changes nothing, and the crash hook (a sweep worker\'s) never fires', () => {
    const one = run(['diagnose', 'sweep/b-nan.jsonl', '--format', 'json', '--jobs', '1']);
    const many = run(['diagnose', 'sweep/b-nan.jsonl', '--format', 'json', '--jobs', '4'], { [CRASH_HOOK]: '.jsonl' });
    assert.equal(many.code, 1);
    assert.equal(many.stdout, one.stdout);
  });

  test('--jobs must be a whole number from 1 to 256: anything else is bad usage, one line, exit 2', () => {
    for (const bad of ['0', '-1', '1.5', '257', 'all']) {
      const r = run(['diagnose', 'sweep', '--jobs', bad]);
      assert.equal(r.code, 2, bad);
      assert.equal(r.stderr.trim().split('\n').length, 1, bad);
      assert.match(r.stderr, /^losscurve: option '--jobs <n>' argument/);
    }
  });

  test('the config file\'s jobs key is taken by diagnose (and shown by --print-config), passed over by watch', () => {
    dir.write('losscurve.config.json', JSON.stringify({ jobs: 3 }));
    try {
      const printed = run(['diagnose', '--print-config']).stdout;
      assert.match(printed, new RegExp(`^jobs +3 +${join(dir.path, 'losscurve.config.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      assert.doesNotMatch(run(['watch', '--print-config']).stdout, /^jobs/m);
      const r = run(['diagnose', ...ARGS, '--format', 'jsonl']);
      assert.equal(r.stdout, run(['diagnose', ...ARGS, '--format', 'jsonl', '--jobs', '1']).stdout);
      dir.write('losscurve.config.json', JSON.stringify({ jobs: 0 }));
      const bad = run(['diagnose', 'sweep']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /losscurve\.config\.json: key "jobs": must be a whole number of at least 1/);
    } finally {
      dir.write('losscurve.config.json', '{}');
    }
  });
});
