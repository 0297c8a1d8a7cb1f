// losscurve run tells the truth: the whole process group is stopped in every path, the command's own result stands, the JSON report stays whole.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, NODE, sleep, TRAINER } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-run-truth-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const POLL_MS = 20; // how often a test looks for the pid file the command writes: a wait, not an assertion

/** Running and not a zombie: a killed grandchild reparented to an init that never reaps it still has a pid. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc: kill(0) answered
  }
}

/** The pid the command's grandchild wrote, once it is there. */
async function pidFrom(file: string): Promise<number> {
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') await sleep(POLL_MS);
  return Number(readFileSync(file, 'utf8').trim());
}

/** A shell that starts a grandchild sleeper (its pid in `pidFile`), with `before` run first and `after` run last. */
function shellWithSleeper(pidFile: string, before: string, after: string): string[] {
  return ['sh', '-c', `${before} sleep 300 & echo $! > '${pidFile}'; ${after}`];
}

test('SIGTERM to losscurve stops the whole group: the shell and the grandchild it started', async () => {
  const pidFile = join(dir, 'term.pid');
  const run = cli(['run', '--', ...shellWithSleeper(pidFile, '', 'wait')]);
  const grandchild = await pidFrom(pidFile);
  run.child.kill('SIGTERM');
  const { code } = await run.exit;
  assert.equal(code, 143);
  assert.equal(running(grandchild), false, 'the grandchild is gone');
});

test('a group that ignores SIGTERM is killed when the grace period ends', async () => {
  const pidFile = join(dir, 'stubborn.pid');
  // an ignored signal stays ignored in the children: neither the shell nor the sleeper stops on SIGTERM
  const run = cli(['run', '--grace', '0.3', '--', ...shellWithSleeper(pidFile, "trap '' TERM;", 'wait')]);
  const grandchild = await pidFrom(pidFile);
  run.child.kill('SIGTERM');
  const { code } = await run.exit;
  assert.equal(code, 137, 'the shell was killed by SIGKILL');
  assert.equal(running(grandchild), false);
});

test('a second signal kills the group at once, without waiting out the grace period', async () => {
  const pidFile = join(dir, 'second.pid');
  // a grace period longer than the test's watchdog: only the second signal can end this run in time
  const run = cli(['run', '--grace', '600', '--', ...shellWithSleeper(pidFile, "trap '' INT TERM;", 'wait')]);
  const grandchild = await pidFrom(pidFile);
  run.child.kill('SIGINT');
  await sleep(100);
  run.child.kill('SIGINT');
  const { code, signal } = await run.exit;
  assert.equal(signal, null, `losscurve ended by a signal: ${await run.stderr}`);
  assert.equal(code, 137);
  assert.equal(running(grandchild), false);
});

test('a command that exits on its own leaves nothing behind, and its exit code stands', async () => {
  const pidFile = join(dir, 'exits.pid');
  const run = cli(['run', '--', ...shellWithSleeper(pidFile, '', 'exit 3')]);
  const { code } = await run.exit;
  assert.equal(code, 3);
  assert.equal(running(await pidFrom(pidFile)), false);
});

test('a --fail-on stop takes the grandchildren with it and exits 1 with a failing report', async () => {
  const pidFile = join(dir, 'nan.pid');
  const report = join(dir, 'nan.json');
  const run = cli(['run', '--output', report, '--format', 'json', '--', ...shellWithSleeper(pidFile, '', `exec '${NODE}' '${TRAINER}' --nan-at 50 --hang`)]);
  const { code } = await run.exit;
  assert.equal(code, 1);
  assert.equal(running(await pidFrom(pidFile)), false);
  const json = JSON.parse(readFileSync(report, 'utf8'));
  assert.equal(json.verdict, 'failing');
  assert.match(json.verdict_reason, /--fail-on error/);
});

test('a crash is reported as a crash with its step and last loss, and the command\'s exit code stands', async () => {
  const report = join(dir, 'crash.json');
  const script = 'for (let s = 0; s <= 120; s++) console.log(`step ${s} | loss ${(2 + 8 * Math.exp(-s / 30)).toFixed(3)}`); process.exit(3);';
  const text = cli(['run', '--', NODE, '-e', script]);
  assert.equal((await text.exit).code, 3);
  const verdict = (await text.stderr).split('\n').find((l) => l.startsWith('Verdict:'));
  assert.match(verdict ?? '', /^Verdict: CRASHED — the command exited 3 at step 120; last loss 2\.1[45]/);

  const json = cli(['run', '--format', 'json', '--output', report, '--', NODE, '-e', script]);
  assert.equal((await json.exit).code, 3);
  const parsed = JSON.parse(readFileSync(report, 'utf8'));
  assert.equal(parsed.verdict, 'crashed');
  assert.deepEqual(parsed.command, { exit_code: 3, signal: null, last_step: 120, last_loss: Number((2 + 8 * Math.exp(-4)).toFixed(3)) });
});

test('with --format json the report is on stdout after the command\'s output, and stderr holds only the command\'s lines', async () => {
  const script = 'for (let s = 0; s <= 60; s++) { console.log(`step ${s} | loss ${(3 - s / 40).toFixed(3)}`); console.error(`warn ${s}`); }';
  const run = cli(['run', '--format', 'json', '--', NODE, '-e', script]);
  assert.equal((await run.exit).code, 0);
  const stderr = await run.stderr;
  assert.deepEqual(stderr.trim().split('\n'), Array.from({ length: 61 }, (_, s) => `warn ${s}`));
  const stdout = (await run.stdout).toString();
  const start = stdout.indexOf('{\n');
  assert.ok(stdout.slice(0, start).endsWith('step 60 | loss 1.500\n'), 'the command\'s output comes first, whole');
  const report = JSON.parse(stdout.slice(start));
  assert.equal(report.schema, 2);
  assert.equal(report.rows, 61);
});

test('a command that prints no loss exits with its own code; the JSON report says no loss was seen', async () => {
  for (const childCode of [0, 4]) {
    const run = cli(['run', '--format', 'json', '--', NODE, '-e', `console.log('compiling...'); process.exitCode = ${childCode};`]);
    assert.equal((await run.exit).code, childCode);
    const stdout = (await run.stdout).toString();
    const report = JSON.parse(stdout.slice(stdout.indexOf('{\n')));
    assert.equal(report.verdict, childCode === 0 ? 'no-loss' : 'crashed');
    assert.equal(report.findings.length, 0);
    assert.equal(report.command.exit_code, childCode);
  }
});
