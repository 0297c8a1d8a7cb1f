// watch --tee never cuts the pipe it sits in: a --fail-on finding is alerted, every byte flows on to the end, and the exit code comes then.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { CLI, jsonAlerts, NODE, sha256, sleep, trailingReport } from './helpers/cli.js';
import { csvLog, curve } from './helpers/live.js';

test('a NaN under the default policy: --tee passes every later line, the producer sees no broken pipe, exit 1 at the end', async () => {
  const log = csvLog(curve('nan', 1200, 200));
  const lines = log.split(/(?<=\n)/);
  const watch = spawn(NODE, [CLI, 'watch', '--tee', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  watch.stdout.on('data', (c: Buffer) => out.push(c));
  watch.stderr.on('data', (c: Buffer) => { err += c; });
  let broken: Error | undefined;
  watch.stdin.on('error', (e) => { broken = e; });
  const exit = new Promise<number | null>((resolve) => watch.on('close', (code) => resolve(code)));
  // written slowly enough that the NaN is alerted while more lines are still to come
  for (let at = 0; at < lines.length; at += 50) {
    watch.stdin.write(lines.slice(at, at + 50).join(''));
    await sleep(5);
  }
  watch.stdin.end();
  const code = await exit;
  assert.equal(broken, undefined, 'the producer never saw a broken pipe');
  assert.equal(sha256(Buffer.concat(out)), sha256(Buffer.from(log)), 'every byte passed through, to the end');
  assert.equal(code, 1, err);
  assert.ok(jsonAlerts(err).some((a) => a.pattern === 'nan' && a.start_step === 200));
  const report = trailingReport(err) as unknown as { rows: number; verdict: string };
  assert.equal(report.rows, 1201, 'the report covers the whole input, not the part before the NaN');
});
