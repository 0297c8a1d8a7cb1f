// The incremental session in-process: online and offline agree, NaN is alerted on its line, findings are alerted once, any line format works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synthCorpus } from '../scripts/synth.js';
import { WatchSession } from '../src/watch/session.js';
import { InputError } from '../src/read/errors.js';
import {
  csvLog, curve, essence, feedChunks, feedLines, FORMATS_WITH_STEPS, jsonlLog, OPTIONS, offline, offlineSteps, stepLog,
} from './helpers/live.js';

const CHUNKINGS = [[1], [7, 3, 64], [4096], [1 << 20]];

test('the final report equals diagnose on the same bytes, however the bytes are chunked (synthetic corpus)', () => {
  for (const c of synthCorpus(2, 11)) {
    const bytes = Buffer.from(c.content);
    const expected = essence(offline(c.content));
    for (const sizes of CHUNKINGS.slice(1)) {
      assert.deepEqual(essence(feedChunks(bytes, sizes)), expected, `${c.file}, chunks of ${sizes}`);
    }
  }
});

test('byte-by-byte feeding, CRLF endings and a BOM give the same report as diagnose', () => {
  const losses = curve('nan', 300, 240);
  for (const text of [csvLog(losses), jsonlLog(losses), '\ufeff' + csvLog(losses).replace(/\n/g, '\r\n')]) {
    assert.deepEqual(essence(feedChunks(Buffer.from(text), [1])), essence(offline(text)));
  }
});

test('a NaN is alerted on the line that holds it, naming its step, in CSV, JSONL and a third line format', () => {
  const cases = [
    { log: csvLog, header: 1, formats: undefined },
    { log: jsonlLog, header: 0, formats: undefined },
    { log: stepLog, header: 1, formats: FORMATS_WITH_STEPS },
  ];
  for (const { log, header, formats } of cases) {
    for (const nanStep of [20, 150, 299]) {
      const text = log(curve('nan', 300, nanStep));
      // a slow trainer: 50 ms a line, so the format is only guessed, not settled, for the earliest NaN
      const fed = feedLines(text, 50, { formats });
      const nans = fed.alerts.filter((a) => a.finding.pattern === 'nan');
      assert.equal(nans.length, 1, `${log.name} NaN at ${nanStep}: one nan alert`);
      assert.equal(nans[0].finding.start_step, nanStep);
      assert.equal(nans[0].linesFed, header + nanStep + 1, `${log.name} NaN at ${nanStep}: alerted on its own line`);
    }
  }
});

test('a NaN before the format is settled is alerted as soon as the format is guessed, naming its step', () => {
  const text = csvLog(curve('nan', 300, 2));
  const fed = feedLines(text, 50);
  const nans = fed.alerts.filter((a) => a.finding.pattern === 'nan');
  assert.equal(nans.length, 1);
  assert.equal(nans[0].finding.start_step, 2);
  assert.ok(nans[0].linesFed < 30, `alerted at line ${nans[0].linesFed}`);
});

test('a third line format reads to the same report online as offline', () => {
  const text = stepLog(curve('divergence', 400, 300));
  assert.deepEqual(essence(feedLines(text, 5, { formats: FORMATS_WITH_STEPS }).report), essence(offlineSteps(text)));
});

test('divergence is alerted once, while the run is still climbing, and agrees with the final report', () => {
  const text = jsonlLog(curve('divergence', 600, 400));
  const fed = feedLines(text, 20);
  const alerts = fed.alerts.filter((a) => a.finding.pattern === 'divergence');
  assert.equal(alerts.length, 1);
  assert.ok(alerts[0].linesFed < 600, 'alerted before the end of the log');
  assert.ok(alerts[0].linesFed > 400, 'not before the climb began');
  const final = fed.report.findings.find((f) => f.pattern === 'divergence');
  assert.ok(final, 'the final report has it too');
});

test('a healthy run raises no alert and its report is the offline one', () => {
  for (const log of [csvLog, jsonlLog]) {
    const text = log(curve('healthy', 500, 0));
    const fed = feedLines(text, 10);
    assert.deepEqual(fed.alerts, []);
    assert.deepEqual(essence(fed.report), essence(offline(text)));
    assert.ok(fed.report.findings.some((f) => f.pattern === 'good'));
  }
});

test('no finding is alerted twice over a long run with many passes', () => {
  const text = csvLog(curve('nan', 2000, 1500));
  const fed = feedLines(text, 30);
  const keys = fed.alerts.map((a) => `${a.finding.pattern}/${a.finding.series}/${a.finding.run}`);
  assert.equal(new Set(keys).size, keys.length, keys.join(', '));
});

test('a restarted stream (truncated file) ends the half-written line before it', () => {
  const session = new WatchSession({ name: 'log', diagnose: OPTIONS, onFindings: () => {} });
  const input = session.input();
  input.push(Buffer.from('step,loss\n0,3.0\n1,2.9\n2,2.'));
  input.restart();
  input.push(Buffer.from('step,loss\n0,3.1\n1,2.8\n2,2.7\n3,2.6\n'));
  const report = session.finish();
  // the cut line "2,2." stands alone (it reads as 2.0, a row of its own), and the restarted log is a second run
  assert.equal(report.runs.count, 2);
  assert.equal(report.rows, 7);
  assert.equal(report.steps.last, 3);
});

test('input that is no log is an InputError at the end, as in diagnose', () => {
  for (const text of ['', 'hello\nworld\n', '\x00\x01\x02\x03'.repeat(100)]) {
    const session = new WatchSession({ name: 'log', diagnose: OPTIONS, onFindings: () => {} });
    session.input().push(Buffer.from(text));
    assert.throws(() => session.finish(), InputError);
  }
});

test('an --input-format that names no format is an InputError', () => {
  const text = 'a;b\n1;2\n3;4\n';
  const session = new WatchSession({ name: 'log', diagnose: OPTIONS, formatId: 'nope', onFindings: () => {} });
  session.input().push(Buffer.from(text));
  assert.throws(() => session.finish(), InputError);
});
