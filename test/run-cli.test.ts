// losscurve run end to end: the fake trainer as the child, stopped on NaN and divergence, exit codes, signals, passthrough.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { alive, cli, jsonAlerts, NODE, sha256, spawnNode, TRAINER, CLI } from './helpers/cli.js';

const STOP_MARGIN_MS = 1500; // "stops the child within a second", plus room for a loaded test machine
const dir = mkdtempSync(join(tmpdir(), 'losscurve-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const EVENTS = [
  { pattern: 'nan', trainer: ['--nan-at', '300'], step: 300 },
  { pattern: 'divergence', trainer: ['--diverge-at', '250', '--steps', '700'], step: undefined },
];

for (const event of EVENTS) {
  test(`run stops a trainer on ${event.pattern} within a second of the alert and exits 1`, async () => {
    const pidFile = join(dir, `${event.pattern}.pid`);
    const reportFile = join(dir, `${event.pattern}.json`);
    const run = cli(['run', '--json', '--output', reportFile, '--', NODE, TRAINER, '--delay', '2', '--hang', '--noise', '--pid-file', pidFile, ...event.trainer]);
    const alert = await run.line((l) => l.startsWith(`{"pattern":"${event.pattern}"`));
    const { code } = await run.exit;
    const stoppedAt = performance.now();
    assert.equal(code, 1);
    assert.ok(stoppedAt - alert.at < STOP_MARGIN_MS, `stopped ${Math.round(stoppedAt - alert.at)} ms after the alert`);
    assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false, 'the trainer is gone');
    const alerts = jsonAlerts(await run.stderr).filter((a) => a.pattern === event.pattern);
    assert.equal(alerts.length, 1);
    if (event.step !== undefined) assert.equal(alerts[0].start_step, event.step);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    assert.ok(report.findings.some((f: { pattern: string }) => f.pattern === event.pattern));
    assert.equal(report.verdict, 'failing');
  });
}

test('a trainer that ignores SIGTERM is killed after the grace period', async () => {
  const pidFile = join(dir, 'stubborn.pid');
  const run = cli(['run', '--grace', '0.3', '--', NODE, TRAINER, '--nan-at', '50', '--hang', '--ignore-term', '--pid-file', pidFile]);
  const { code } = await run.exit;
  assert.equal(code, 1);
  assert.equal(alive(Number(readFileSync(pidFile, 'utf8'))), false);
});

test('a healthy run exits with the command\'s own code and the report diagnose gives on its saved output', async () => {
  for (const exitCode of [0, 3]) {
    const reportFile = join(dir, `healthy-${exitCode}.json`);
    const run = cli(['run', '--format', 'json', '--output', reportFile, '--', NODE, TRAINER, '--steps', '500', '--val-every', '50', '--noise', '--exit-code', String(exitCode)]);
    const { code } = await run.exit;
    assert.equal(code, exitCode);
    const saved = join(dir, `healthy-${exitCode}.log`);
    writeFileSync(saved, await run.stdout);
    const offline = cli(['diagnose', '--format', 'json', saved]);
    assert.equal((await offline.exit).code, 0);
    const expected = JSON.parse((await offline.stdout).toString());
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    assert.deepEqual(report.findings, expected.findings);
    assert.equal(report.verdict, exitCode === 0 ? 'healthy' : 'crashed');
    assert.ok(expected.findings.some((f: { pattern: string }) => f.pattern === 'good'));
  }
});

test('run passes stdout and stderr through byte for byte', async () => {
  const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${from + i},${(3 - (from + i) / 100).toFixed(3)}\n`).join('');
  const bytes = Buffer.concat([
    Buffer.from(`step,loss\n${rows(0, 60)}progress 10%\rprogress 20%\r`),
    Buffer.from([0xff, 0xfe, 0xc3, 0x0a]),
    Buffer.alloc(300_000, 'x'),
    Buffer.from(`\n${rows(60, 80)}80,2.2`),
  ]);
  const input = join(dir, 'odd.bin');
  writeFileSync(input, bytes);
  const script = `const b = require('fs').readFileSync(${JSON.stringify(input)}); process.stdout.write(b); process.stderr.write(b);`;
  const run = cli(['run', '--exit-on', 'none', '--', NODE, '-e', script]);
  await run.exit;
  assert.equal(sha256(await run.stdout), sha256(bytes));
  // stderr: the child's bytes first, unchanged; our report after them
  const stderr = await run.stderrBytes;
  assert.equal(sha256(stderr.subarray(0, bytes.length)), sha256(bytes));
});

test('SIGTERM and SIGINT sent to losscurve reach the child, and losscurve exits as the child did', async () => {
  for (const [signal, expected] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    const run = cli(['run', '--', NODE, TRAINER, '--steps', '20', '--hang']);
    await new Promise<void>((resolve) => run.child.stdout!.once('data', () => resolve()));
    run.child.kill(signal);
    const { code } = await run.exit;
    assert.equal(code, expected, signal);
  }
});

test('a command whose output is no log runs to its end; losscurve says no loss was seen and exits with the command\'s code', async () => {
  for (const childCode of [0, 5]) {
    const script = `console.log('hello'); console.log('no metrics here'); process.exitCode = ${childCode};`;
    const run = cli(['run', '--', NODE, '-e', script]);
    assert.equal((await run.exit).code, childCode);
    assert.equal((await run.stdout).toString(), 'hello\nno metrics here\n');
    assert.match(await run.stderr, childCode === 0 ? /^Verdict: NO LOSS/m : /^Verdict: CRASHED — the command exited 5 before logging a loss/m);
  }
});

test('the command runs with PYTHONUNBUFFERED=1 unless the user set it, so Python prints lines as they come', async () => {
  const run = cli(['run', '--', NODE, '-e', 'console.log(process.env.PYTHONUNBUFFERED)']);
  await run.exit;
  assert.equal((await run.stdout).toString(), '1\n');
});

test('a command that cannot be started is one line and exit 2', async () => {
  const run = cli(['run', '--', join(dir, 'no-such-command')]);
  const { code } = await run.exit;
  assert.equal(code, 2);
  const lines = (await run.stderr).trim().split('\n');
  assert.equal(lines.length, 1);
});

test('run needs a command, and a bad --exit-on is a usage error', async () => {
  for (const args of [['run'], ['run', '--exit-on', 'bogus', '--', NODE, '-e', '0']]) {
    const { code } = await spawnNode(CLI, args).exit;
    assert.equal(code, 2, args.join(' '));
  }
});
