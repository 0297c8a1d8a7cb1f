// watch's small parts: which findings are news (ledger), how often detection runs (pacer), which lines ask for an immediate pass, the head a live log is sniffed on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportFinding } from '../src/diagnose.js';
import { headOf } from '../src/read/index.js';
import { TableBuilder } from '../src/read/table.js';
import { FindingLedger } from '../src/watch/ledger.js';
import { NanTrigger } from '../src/watch/nan-trigger.js';
import { DetectionPacer } from '../src/watch/pace.js';
import { HeadSniffer } from '../src/watch/sniff.js';
import { FORMATS } from '../src/read/formats/index.js';

function finding(pattern: ReportFinding['pattern'], start: number, end: number, extra: Partial<ReportFinding> = {}): ReportFinding {
  return { pattern, severity: 'warning', series: 'train', run: 1, start_step: start, end_step: end, message: '', evidence: {}, fixes: [], ...extra };
}

const LONG = { stepSpan: 10_000, points: 1000 };

test('ledger: a finding is alerted once, however its span moves as data arrives', () => {
  const ledger = new FindingLedger();
  const passes = [[finding('divergence', 5000, 6000)], [finding('divergence', 4950, 6500)], [finding('divergence', 5030, 7000)], [finding('divergence', 5010, 9000)]];
  const alerted = passes.map((p) => ledger.update(p, LONG).length);
  assert.deepEqual(alerted, [0, 1, 0, 0]);
});

test('ledger: table of what is news', () => {
  const cases: Array<{ name: string; passes: ReportFinding[][]; shape?: typeof LONG; expect: number[] }> = [
    { name: 'nan is news at once', passes: [[finding('nan', 300, 300)], [finding('nan', 300, 400)]], expect: [1, 0] },
    { name: 'a trend needs a second pass', passes: [[finding('plateau', 100, 900)], [finding('plateau', 100, 950)]], expect: [0, 1] },
    { name: 'a finding gone by the next pass is never news', passes: [[finding('plateau', 100, 900)], [], [finding('plateau', 100, 990)]], expect: [0, 0, 0] },
    { name: 'two spikes far apart are two findings', passes: [[finding('spike', 1000, 1010)], [finding('spike', 1000, 1010), finding('spike', 7000, 7010)], [finding('spike', 1000, 1010), finding('spike', 7000, 7010)]], expect: [0, 1, 1] },
    { name: 'same span, other series: news', passes: [[finding('nan', 10, 10)], [finding('nan', 10, 10, { series: 'val' })]], expect: [1, 1] },
    { name: 'same span, later run: news', passes: [[finding('nan', 10, 10)], [finding('nan', 10, 10, { run: 2 })]], expect: [1, 1] },
    { name: 'good is never news', passes: [[finding('good', 0, 100)], [finding('good', 0, 200)]], expect: [0, 0] },
    { name: 'too few points for a trend: wait', passes: [[finding('flat', 0, 40)], [finding('flat', 0, 50)]], shape: { stepSpan: 50, points: 50 }, expect: [0, 0] },
  ];
  for (const c of cases) {
    const ledger = new FindingLedger();
    assert.deepEqual(c.passes.map((p) => ledger.update(p, c.shape ?? LONG).length), c.expect, c.name);
  }
});

test('ledger: a finding waiting for its second pass asks for one, even without new data', () => {
  const ledger = new FindingLedger();
  ledger.update([finding('overfit', 500, 900)], LONG);
  assert.equal(ledger.pending, true);
  ledger.update([finding('overfit', 500, 900)], LONG);
  assert.equal(ledger.pending, false);
  assert.deepEqual(ledger.patterns, ['overfit']);
});

test('pacer: a pass is due only when wanted and after a gap that grows with what the last pass cost', () => {
  const pacer = new DetectionPacer();
  assert.equal(pacer.due(0, false), false);
  assert.equal(pacer.due(0, true), true);
  pacer.ran(0, 2); // a cheap pass: the floor gap applies
  const cheapGap = pacer.wakeIn(2, true)!;
  pacer.ran(1000, 1500); // a 500 ms pass on a long run
  const costlyGap = pacer.wakeIn(1500, true)!;
  assert.ok(costlyGap > cheapGap);
  assert.ok(costlyGap >= 5 * 500, 'detection takes a small share of the time');
  assert.equal(pacer.wakeIn(1500, false), undefined);
});

test('nan trigger: a NaN, Inf or negative value in a loss or grad-norm column fires once, other columns never', () => {
  const builder = new TableBuilder();
  const trigger = new NanTrigger({});
  const rows: Array<Record<string, number>> = [
    { step: 1, loss: 2.0, tokens_per_sec: NaN },
    { step: 2, loss: NaN },
    { step: 3, loss: NaN },
    { step: 4, val_loss: -Infinity },
    { step: 5, grad_norm: NaN },
    { step: 6, 'train/loss': -0.5 },
  ];
  const fired = rows.map((row, r) => {
    builder.beginRow(r + 1);
    for (const [name, value] of Object.entries(row)) builder.set(builder.column(name), value);
    return trigger.check(builder, r);
  });
  assert.deepEqual(fired, [false, true, false, true, true, true]);
  trigger.rearm();
  assert.equal(trigger.check(builder, 2), true, 're-armed after a pass found the run clean');
});

test('nan trigger: a column named by --loss is watched whatever its name', () => {
  const builder = new TableBuilder();
  const trigger = new NanTrigger({ loss: 'Objective Value' });
  builder.beginRow(1);
  builder.set(builder.column('objective value'), NaN);
  assert.equal(trigger.check(builder, 0), true);
});

test('sniffer: once complete, the head is the one diagnose sees on the same bytes', () => {
  const text = 'step,loss\n' + Array.from({ length: 500 }, (_, i) => `${i},${(3 - i / 1000).toFixed(4)}`).join('\n') + '\n';
  const sniffer = new HeadSniffer();
  let n = 0;
  for (const line of text.split('\n')) {
    sniffer.hold({ text: line, lineNo: ++n, terminated: true, overlong: false }, 0);
    if (sniffer.complete) break;
  }
  const chosen = sniffer.choose(FORMATS, undefined, 'log', 0)!;
  const offline = headOf(Buffer.from(text));
  assert.equal(chosen.format.id, FORMATS.find((f) => f.matches(offline))!.id);
  assert.deepEqual(chosen.head.lines.slice(0, offline.lines.length - 1), offline.lines.slice(0, offline.lines.length - 1));
});
