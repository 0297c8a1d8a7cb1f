// losscurve watch end to end: stdin and followed files (truncated, rotated), alerts and exit codes, and --tee byte for byte.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, CLI, jsonAlerts, sha256, sleep, trailingReport, trainerIntoWatch } from './helpers/cli.js';
import { csvLog, curve } from './helpers/live.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SETTLE_MS = 400; // long enough for the follower to have read what is there (it polls ten times a second): a pause, not an assertion

test('watch on stdin alerts a NaN at its step and exits 1 without waiting for the end of input', async () => {
  for (const format of ['jsonl', 'csv']) {
    const watch = trainerIntoWatch(['--format', format, '--nan-at', '300', '--delay', '1', '--hang'], ['--json', '--format', 'json']);
    const { code } = await watch.exit;
    assert.equal(code, 1, format);
    const nans = jsonAlerts(await watch.stderr).filter((a) => a.pattern === 'nan');
    assert.equal(nans.length, 1);
    assert.equal(nans[0].start_step, 300);
    const report = JSON.parse((await watch.stdout).toString());
    assert.ok(report.findings.some((f: { pattern: string; start_step: number }) => f.pattern === 'nan' && f.start_step === 300));
  }
});

test('watch on stdin alerts divergence while the run is still going and exits 1', async () => {
  const watch = trainerIntoWatch(['--format', 'csv', '--diverge-at', '250', '--steps', '3000', '--delay', '1', '--hang'], ['--json']);
  const { code } = await watch.exit;
  assert.equal(code, 1);
  const alerts = jsonAlerts(await watch.stderr);
  assert.deepEqual(alerts.map((a) => a.pattern), ['divergence']);
  assert.ok(alerts[0].start_step >= 200 && alerts[0].start_step <= 300, `climb from ${alerts[0].start_step}`);
  assert.ok(alerts[0].end_step < 3000, 'alerted before the trainer finished');
});

test('a healthy run through watch --tee exits 0 with the report diagnose gives on the saved log', async () => {
  const watch = trainerIntoWatch(['--steps', '500', '--val-every', '25'], ['--tee', '--format', 'json']);
  const { code } = await watch.exit;
  assert.equal(code, 0);
  const saved = join(dir, 'healthy.jsonl');
  writeFileSync(saved, await watch.stdout);
  const offline = cli(['diagnose', '--format', 'json', saved]);
  const expected = JSON.parse((await offline.stdout).toString());
  const report = trailingReport(await watch.stderr);
  assert.deepEqual(report.findings, expected.findings);
  assert.equal(report.rows, expected.rows);
  assert.equal(jsonAlerts(await watch.stderr).length, 0);
});

test('Ctrl-C on watch reading a pipe that never ends reports what was read and exits by the findings', async () => {
  const watch = trainerIntoWatch(['--steps', '300', '--hang'], ['--tee', '--format', 'json']);
  await watch.output('{"step":300,'); // copied by --tee: watch is reading, its signal handlers in place
  watch.child.kill('SIGINT');
  assert.equal((await watch.exit).code, 0);
  assert.equal(trailingReport(await watch.stderr).rows, 301);
});

test('--exit-on none watches to the end and judges nothing', async () => {
  const watch = trainerIntoWatch(['--nan-at', '100', '--steps', '200'], ['--exit-on', 'none', '--format', 'json']);
  assert.equal((await watch.exit).code, 0);
  const report = JSON.parse((await watch.stdout).toString());
  assert.equal(report.rows, 201);
  assert.ok(report.findings.some((f: { pattern: string }) => f.pattern === 'nan'));
});

test('following a file: a NaN appended to it is alerted at its step; --tee reads on, and the exit code at the end is 1', async () => {
  const file = join(dir, 'appended.csv');
  const lines = csvLog(curve('nan', 300, 280)).split(/(?<=\n)/);
  writeFileSync(file, lines.slice(0, 200).join(''));
  const watch = cli(['watch', '--json', '--tee', file]);
  await watch.output(lines[199]);
  for (let at = 200; at < lines.length; at += 20) appendFileSync(file, lines.slice(at, at + 20).join(''));
  await watch.line((l) => l.includes('"pattern":"nan"'));
  await watch.output(lines[lines.length - 1]); // copied after the alert: the NaN did not cut the pipe
  watch.child.kill('SIGINT');
  assert.equal((await watch.exit).code, 1);
  const nans = jsonAlerts(await watch.stderr).filter((a) => a.pattern === 'nan');
  assert.deepEqual(nans.map((a) => a.start_step), [280]);
});

/** A CSV log with a val column every ten steps; the val loss goes NaN at `valNanStep` (an alert that shows the log was read). */
function withVal(losses: number[], valNanStep: number): string[] {
  return ['step,loss,val_loss\n', ...losses.map((x, step) => {
    const val = step % 10 === 0 ? (step >= valNanStep ? 'nan' : (x + 0.1).toFixed(4)) : '';
    return `${step},${Number.isNaN(x) ? 'nan' : x.toFixed(4)},${val}\n`;
  })];
}

test('following a file: a truncated log is read again from its start, and a NaN in it is alerted', async () => {
  const file = join(dir, 'truncated.csv');
  writeFileSync(file, withVal(curve('healthy', 200, 0), 50).join(''));
  const watch = cli(['watch', '--json', '--format', 'json', '--exit-on', 'none', file]);
  await watch.line((l) => l.includes('"pattern":"nan"')); // the val NaN at step 50: the first log is being read
  writeFileSync(file, ''); // the trainer restarted and truncated its log
  await sleep(SETTLE_MS);
  appendFileSync(file, withVal(curve('nan', 60, 40), Infinity).join(''));
  await watch.line((l) => l.includes('"series":"train"'));
  watch.child.kill('SIGINT');
  assert.equal((await watch.exit).code, 0);
  const nans = jsonAlerts(await watch.stderr).filter((a) => a.pattern === 'nan');
  // the restarted log goes NaN at step 40 in both train and val (its val is derived from train)
  assert.deepEqual(nans.map((a) => [a.series, a.run, a.start_step]), [['val', 1, 50], ['train', 2, 40], ['val', 2, 40]]);
  const report = JSON.parse((await watch.stdout).toString());
  assert.equal(report.runs.count, 2, 'the log written again from step 0 is a second run');
});

test('following a file: a rotated log is read to its end, then the new file from its start', async () => {
  const file = join(dir, 'rotated.csv');
  const lines = withVal(curve('nan', 300, 250), 50);
  writeFileSync(file, lines.slice(0, 151).join(''));
  const watch = cli(['watch', '--json', '--format', 'json', '--exit-on', 'none', file]);
  await watch.line((l) => l.includes('"pattern":"nan"')); // the val NaN at step 50: the old file is being read
  appendFileSync(file, lines.slice(151, 201).join('')); // written just before the rotation: must not be lost
  renameSync(file, `${file}.1`);
  writeFileSync(file, [lines[0], ...lines.slice(201)].join(''));
  await watch.line((l) => l.includes('"pattern":"nan","severity":"error","series":"train"'));
  watch.child.kill('SIGINT');
  assert.equal((await watch.exit).code, 0);
  const nans = jsonAlerts(await watch.stderr).filter((a) => a.pattern === 'nan');
  assert.deepEqual(nans.map((a) => [a.series, a.start_step]), [['val', 50], ['train', 250]]);
  const report = JSON.parse((await watch.stdout).toString());
  assert.equal(report.rows, 301, 'every row of both files, none lost at the rotation');
  assert.equal(report.runs.count, 1, 'the header repeated in the new file is no new run: the steps go on');
});

test('following a healthy file until Ctrl-C gives the report diagnose gives on the file, and exit 0', async () => {
  const file = join(dir, 'growing.csv');
  const lines = csvLog(curve('healthy', 400, 0)).split(/(?<=\n)/);
  writeFileSync(file, lines.slice(0, 100).join(''));
  const watch = cli(['watch', '--tee', '--format', 'json', file]);
  for (let at = 100; at < lines.length; at += 100) {
    await sleep(50);
    appendFileSync(file, lines.slice(at, at + 100).join(''));
  }
  await watch.output(lines[lines.length - 1]); // copied by --tee: watch is reading, its signal handlers in place
  watch.child.kill('SIGINT');
  assert.equal((await watch.exit).code, 0);
  const offline = cli(['diagnose', '--format', 'json', file]);
  const expected = JSON.parse((await offline.stdout).toString());
  const report = trailingReport(await watch.stderr);
  assert.deepEqual(report.findings, expected.findings);
  assert.equal(report.rows, expected.rows);
});

/** A log with everything that trips a byte pipe: CR progress bars, CRLF, invalid UTF-8, a split multi-byte char, a 2 MiB line, no final newline. */
function awkwardLog(): Buffer {
  const parts: Buffer[] = [Buffer.from('step,loss\r\n')];
  for (let step = 0; step < 400; step++) {
    parts.push(Buffer.from(`${step},${(2 + 8 * Math.exp(-step / 80)).toFixed(4)}\n`));
    if (step % 40 === 0) parts.push(Buffer.from(`\r 10%|█         |\r 50%|█████     |\r100%|██████████|\n`));
    if (step === 100) parts.push(Buffer.from([0xff, 0xfe, 0x80, 0xe2, 0x82, 0x0a]));
    if (step === 200) parts.push(Buffer.alloc(2 << 20, 'y'), Buffer.from('\n'));
  }
  parts.push(Buffer.from('400,2.0')); // a last line still being written
  return Buffer.concat(parts);
}

/** Runs watch --tee with the input written all at once (fast producer) or in odd-sized chunks with pauses (slow producer). */
async function teeThrough(input: Buffer, slow: boolean, args: string[] = []): Promise<{ out: Buffer; code: number | null; stderr: string }> {
  const watch = cli(['watch', '--tee', ...args]);
  const stdin = watch.child.stdin!;
  if (!slow) stdin.end(input);
  else {
    const sizes = [1, 2, 3, 5, 7, 4096, 13, 65536, 1];
    for (let at = 0, k = 0; at < input.length; k++) {
      const size = sizes[k % sizes.length] * (k % 2 ? 1 : 3);
      if (!stdin.write(input.subarray(at, at + size))) await new Promise((r) => stdin.once('drain', r));
      at += size;
      if (k % 50 === 0) await sleep(2);
    }
    stdin.end();
  }
  const { code } = await watch.exit;
  return { out: await watch.stdout, code, stderr: await watch.stderr };
}

test('--tee writes exactly the input bytes, from slow and fast producers, with partial lines, CR bars, bad UTF-8 and long lines', async () => {
  const input = awkwardLog();
  for (const slow of [false, true]) {
    const { out, code, stderr } = await teeThrough(input, slow);
    assert.equal(sha256(out), sha256(input), slow ? 'slow producer' : 'fast producer');
    assert.equal(code, 0, stderr);
  }
});

test('--tee passes through input that is no log at all, then says so and exits 2', async () => {
  const input = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256));
  const { out, code, stderr } = await teeThrough(input, false);
  assert.equal(sha256(out), sha256(input));
  assert.equal(code, 2);
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
});

test('a reader that closes early (| head -c 100) ends watch --tee quietly: no EPIPE, no trace', async () => {
  const file = join(dir, 'big.csv');
  writeFileSync(file, csvLog(curve('healthy', 200_000, 0)));
  const shell = spawn('sh', ['-c', `"${process.execPath}" "${CLI}" watch --tee < "${file}" | head -c 100; echo "watch exit $?" >&2`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  shell.stdout.on('data', (c: Buffer) => out.push(c));
  shell.stderr.on('data', (c: Buffer) => { err += c; });
  await new Promise((resolve) => shell.on('close', resolve));
  assert.equal(Buffer.concat(out).length, 100);
  assert.ok(!/EPIPE|Error|\n\s+at /.test(err), err);

  // the same with our own early-closed pipe, to see the exit code of watch itself
  const watch = cli(['watch', '--tee', file]);
  await new Promise<void>((resolve) => watch.child.stdout!.once('data', () => resolve()));
  watch.child.stdout!.destroy();
  watch.child.kill('SIGINT'); // a followed file never ends by itself
  const { code } = await watch.exit;
  assert.ok(code === 0 || code === 1, `exit ${code}`);
  assert.ok(!/EPIPE|Error|\n\s+at /.test(await watch.stderr), await watch.stderr);
});

test('bad input and bad usage are one line and exit 2', async () => {
  const notALog = join(dir, 'notes.txt');
  writeFileSync(notALog, 'hello\nthis is not a training log\n');
  const cases = [
    ['watch', join(dir, 'missing.csv')],
    ['watch', dir],
    ['watch', '--exit-on', 'bogus', notALog],
  ];
  for (const args of cases) {
    const watch = cli(args);
    const { code } = await watch.exit;
    assert.equal(code, 2, args.join(' '));
    assert.equal((await watch.stderr).trim().split('\n').length, 1, args.join(' '));
  }
  // a file that is no log: watch waits for more lines, so it ends on Ctrl-C with the reading error
  const watch = cli(['watch', '--tee', notALog]);
  await watch.output('not a training log\n'); // copied by --tee: watch is reading, its signal handlers in place
  watch.child.kill('SIGINT');
  assert.equal((await watch.exit).code, 2);
});

test('watch and diagnose read --vocab alike: a loss far above ln(V) is judged against the vocabulary given', async () => {
  // a word-level LM that starts above ln(33278) = 10.4 (worse than guessing) and learns only after an LR cut
  const losses = Array.from({ length: 120 }, (_, i) => (i < 50 ? 18.7 + 0.05 * Math.sin(i) : 8.4 - 0.002 * i));
  const saved = join(dir, 'above-baseline.csv');
  writeFileSync(saved, `step,loss\n${losses.map((v, i) => `${(i + 1) * 200},${v.toFixed(4)}`).join('\n')}\n`);
  const args = ['--format', 'json', '--vocab', '33278'];
  const offline = JSON.parse((await cli(['diagnose', ...args, saved]).stdout).toString());
  const live = cli(['watch', '--exit-on', 'none', ...args, saved]);
  await sleep(SETTLE_MS * 2);
  live.child.kill('SIGINT');
  await live.exit;
  const online = JSON.parse((await live.stdout).toString());
  assert.ok(offline.findings.some((f: { pattern: string }) => f.pattern === 'flat'), JSON.stringify(offline.findings));
  assert.deepEqual(online.findings, offline.findings);
  assert.equal(online.baseline.applies, true);
});
