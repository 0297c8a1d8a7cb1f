// Alerts and the final report agree: every finding the report lists was alerted, and each one's last alert carries the report's numbers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { ReportFinding } from '../src/diagnose.js';
import { CLI, jsonAlerts } from './helpers/cli.js';
import { csvLog, curve, feedLines } from './helpers/live.js';

/** A healthy curve with a recovered spike at `at` and, optionally, NaN from `nanAt` on. */
function spiky(steps: number, at: number, nanAt = Infinity): number[] {
  return curve('healthy', steps, 0).map((x, step) => (step >= nanAt ? NaN : step >= at && step < at + 3 ? x * 2.5 : x));
}

const key = (f: { pattern: string; series: string; run: number }) => `${f.pattern}/${f.series}/${f.run}`;

for (const [name, losses] of [['a spike', spiky(800, 500)], ['a spike, then NaN', spiky(800, 300, 600)]] as const) {
  test(`${name}: each finding of the final report was alerted, its last alert with the report's message`, () => {
    const fed = feedLines(csvLog(losses), 5);
    const listed = fed.report.findings.filter((f) => f.pattern !== 'good');
    assert.ok(listed.length > 0, 'the log holds findings');
    const said = new Map<string, string>();
    for (const f of [...fed.alerts.map((a) => a.finding), ...fed.updates]) said.set(key(f), f.message);
    for (const f of listed) assert.equal(said.get(key(f)), f.message, key(f));
    // an update is news of a finding alerted before, never a second first alert
    for (const u of fed.updates) assert.ok(fed.alerts.some((a) => key(a.finding) === key(u)), key(u));
    assert.equal(new Set(fed.alerts.map((a) => key(a.finding))).size, fed.alerts.length, 'no finding is alerted twice before the end');
  });
}

test('watch --json: the last alert line of each finding is the report\'s finding, updates marked "update"', () => {
  const log = csvLog(spiky(800, 300, 600));
  const r = spawnSync(process.execPath, [CLI, 'watch', '--json', '--fail-on', 'none'], { input: log, encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const last = new Map<string, { message: string }>();
  for (const a of jsonAlerts(r.stderr, true)) last.set(key(a), a);
  const listed = report.findings.filter((f: ReportFinding) => f.pattern !== 'good');
  assert.ok(listed.some((f: ReportFinding) => f.pattern === 'nan'));
  for (const f of listed) assert.equal(last.get(key(f))?.message, f.message, key(f));
  // a NaN is alerted on its line, with one bad value so far; the end says how many followed
  const nans = jsonAlerts(r.stderr, true).filter((a) => a.pattern === 'nan');
  assert.equal(nans.length, 2);
  assert.equal(nans[0].update, undefined);
  assert.equal(nans[1].update, true);
});
