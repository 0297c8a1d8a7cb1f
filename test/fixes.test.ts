// Fixes that are true for the run: values quoted only from the log, the schedule blamed only when it ended early, counts that agree.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { peakLr } from '../src/detect/lr.js';
import { fmtRate } from '../src/format.js';
import { kindOf } from '../src/plan/index.js';
import { FIXTURES, diagnoseFile } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-fixes-'));
const LN_V = Math.log(50257);
const jitter = (i: number) => 1 + 0.005 * Math.sin(i * 12.9898) * Math.cos(i * 4.1414); // deterministic, about 0.3%

/** A pre-training loss that stalls at 6.5 from about a tenth of the run, with the lr column `lr(i)`. */
function stallWithLr(name: string, lr: (i: number) => number): string {
  const rows = ['step,train_loss,lr'];
  for (let i = 0; i < 300; i++) rows.push(`${(i + 1) * 100},${((6.5 + (LN_V - 6.5) * Math.exp(-i / 12)) * jitter(i)).toFixed(5)},${lr(i).toExponential(4)}`);
  const path = join(dir, name);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

const planKinds = (path: string) => diagnoseFile(path).findings.filter((f) => f.pattern === 'plateau').flatMap((f) => f.fixes.map((x) => kindOf(x).kind));

test('plateau: a cosine schedule reaching its end is not "decays too early"; one that was tiny before the stall began is', () => {
  const cosine = planKinds(stallWithLr('cosine.csv', (i) => 6e-4 * 0.5 * (1 + Math.cos((Math.PI * i) / 299))));
  assert.ok(cosine.length > 0, 'the stall is a plateau');
  assert.ok(!cosine.includes('schedule-later'), `${cosine}`);
  const early = planKinds(stallWithLr('early.csv', (i) => (i < 30 ? 6e-4 * 0.5 * (1 + Math.cos((Math.PI * i) / 30)) : 1e-6)));
  assert.ok(early.includes('schedule-later'), `${early}`);
});

test('fixes quote a current value ("from X") only when the log shows it: its own peak learning rate', () => {
  let quoted = 0;
  for (const pattern of readdirSync(join(FIXTURES, 'patterns'))) {
    for (const file of readdirSync(join(FIXTURES, 'patterns', pattern))) {
      const report = diagnoseFile(join(FIXTURES, 'patterns', pattern, file));
      const peak = peakLr(report.curves);
      for (const fix of report.findings.flatMap((f) => f.fixes)) {
        for (const m of fix.matchAll(/\bfrom (\d[\d.e+-]*)/g)) {
          assert.equal(m[1], peak === undefined ? undefined : fmtRate(peak), `${pattern}/${file}: "${fix}"`);
          quoted++;
        }
      }
    }
  }
  assert.ok(quoted > 0, 'some fixture has an lr column whose peak is quoted');
});

test('the spike count in the fixes is every spike of the run, and says how many are listed', () => {
  const rows = ['step,train_loss'];
  for (let i = 0; i < 700; i++) {
    const spike = i >= 100 && i % 80 === 20 ? 1 + 0.8 + 0.1 * ((i / 80) % 3) : 1;
    rows.push(`${i + 1},${((2 + 1.5 * Math.exp(-i / 60)) * jitter(i) * spike).toFixed(5)}`);
  }
  const path = join(dir, 'seven-spikes.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  const spikes = diagnoseFile(path).findings.filter((f) => f.pattern === 'spike');
  const inRun = Number(spikes[0]?.evidence.spikes_in_run);
  assert.ok(inRun > spikes.length, `more spikes (${inRun}) than listed (${spikes.length})`);
  for (const f of spikes) {
    const counted = f.fixes.map((x) => /^(\d+) spikes in one run \(the (\d+) largest are listed\)/.exec(x)).find(Boolean);
    assert.ok(counted, f.fixes.join(' | '));
    assert.deepEqual([Number(counted![1]), Number(counted![2])], [inRun, spikes.length]);
  }
});

/** A Keras CSVLogger-like log: val loss best at epoch 20 then rising; val accuracy still improving to epoch 48, then holding. */
function overfitByLossOnly(metricName: string, higherIsBetter: boolean): string {
  const rows = [`epoch,loss,val_loss,${metricName}`];
  for (let e = 0; e < 60; e++) {
    const train = (2.4 * Math.exp(-e / 12) + 0.1) * jitter(e);
    const val = (e <= 20 ? 2.5 - 1.1 * (e / 20) ** 0.6 : 1.4 * (1 + 0.4 * ((e - 20) / 39) ** 1.3)) * jitter(e + 7);
    const acc = (0.5 + 0.42 * (1 - Math.exp(-Math.min(e, 48) / 14)) - (e > 48 ? 0.004 * (e - 48) : 0)) * jitter(e + 3);
    rows.push(`${e},${train.toFixed(5)},${val.toFixed(5)},${(higherIsBetter ? acc : 1 - acc).toFixed(5)}`);
  }
  const path = join(dir, `overfit-${metricName}.csv`);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

test('overfit by loss only: the metric still improves after the loss\'s best, and the plan never stops before the metric\'s best', () => {
  for (const [name, higher] of [['val_accuracy', true], ['eval_wer', false]] as const) {
    const report = diagnoseFile(overfitByLossOnly(name, higher));
    assert.equal(report.curves.valMetric?.name, name);
    assert.equal(report.curves.valMetric?.higherIsBetter, higher);
    const f = report.findings.find((x) => x.pattern === 'overfit');
    assert.ok(f, `${name}: ${report.findings.map((x) => x.pattern)}`);
    assert.ok(f.start_step >= 17 && f.start_step <= 24, `loss best at ${f.start_step}`);
    assert.equal(f.evidence.by_loss_only, true);
    assert.equal(f.evidence.metric, name);
    const metricBest = Number(f.evidence.metric_best_step);
    assert.ok(metricBest >= 45 && metricBest <= 50, `metric best at ${metricBest}`);
    assert.ok(Number(f.evidence.stop_step) >= metricBest);
    const stops = report.plan.items.filter((it) => it.kind === 'stop');
    assert.equal(stops.length, 1);
    for (const m of stops[0].text.matchAll(/epoch (\d+)/g)) if (Number(m[1]) < metricBest) assert.match(stops[0].text, /not on the validation loss, which is lowest at/);
  }
});

test('a metric that peaks with the loss leaves overfit as it was: stop at the loss\'s best', () => {
  const rows = ['epoch,loss,val_loss,val_acc'];
  for (let e = 0; e < 60; e++) {
    const val = (e <= 20 ? 2.5 - 1.1 * (e / 20) ** 0.6 : 1.4 * (1 + 0.4 * ((e - 20) / 39) ** 1.3)) * jitter(e + 7);
    const acc = e <= 20 ? 0.5 + 0.4 * (e / 20) : 0.9 - 0.003 * (e - 20);
    rows.push(`${e},${((2.4 * Math.exp(-e / 12) + 0.1) * jitter(e)).toFixed(5)},${val.toFixed(5)},${acc.toFixed(5)}`);
  }
  const path = join(dir, 'overfit-both.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  const f = diagnoseFile(path).findings.find((x) => x.pattern === 'overfit');
  assert.ok(f);
  assert.equal(f.evidence.by_loss_only, false);
  assert.equal(f.evidence.stop_step, f.start_step);
});
