// The plan: one ordered list of what to try per report, duplicates said once, no raise of the learning rate before or beside a lowering.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toJson } from '../src/report/json.js';
import { toText } from '../src/report/text.js';
import { kindOf, makePlan, type PlanItem } from '../src/plan/index.js';
import type { Finding, PatternId, Severity } from '../src/types.js';
import { FIXTURES, diagnoseFile } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-plan-'));
const RAISES = new Set(['lr-raise', 'lr-restart-higher', 'schedule-later']);

/** A pre-training loss that stalls at 6.5 (a plateau) with one gradient spike inside the stall, and a constant lr column. */
function spikeAndPlateau(): string {
  const lnV = Math.log(50257);
  const rows = ['step,train_loss,lr'];
  for (let i = 0; i < 300; i++) {
    let v = 6.5 + (lnV - 6.5) * Math.exp(-i / 12);
    v *= 1 + 0.005 * Math.sin(i * 12.9898) * Math.cos(i * 4.1414); // deterministic noise of about 0.3%
    if (i === 200) v *= 2.2;
    if (i === 201) v *= 1.5;
    rows.push(`${(i + 1) * 100},${v.toFixed(5)},3e-4`);
  }
  const path = join(dir, 'spike-and-plateau.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

function assertNoContradiction(items: PlanItem[]): void {
  const lowers = items.map((it, i) => (it.kind === 'lr-lower' ? i : -1)).filter((i) => i >= 0);
  items.forEach((it, i) => {
    if (!RAISES.has(it.kind)) return;
    for (const l of lowers) assert.ok(i > l, `item ${i + 1} raises the learning rate before or beside the lowering at ${l + 1}`);
    if (lowers.length) assert.ok(it.after && it.after.length > 0, `item ${i + 1} raises the learning rate without waiting for the lowering to work`);
  });
}

test('a log with a spike and a plateau gets one ordered plan: lower first, raise only once the spikes are gone', () => {
  const report = diagnoseFile(spikeAndPlateau());
  const patterns = new Set(report.findings.map((f) => f.pattern));
  assert.ok(patterns.has('spike') && patterns.has('plateau'), `the log must show both: ${[...patterns]}`);
  const items = report.plan.items;
  assert.ok(items.some((it) => it.kind === 'lr-lower' && it.serves.includes('spike')));
  assertNoContradiction(items);
  // each finding's pattern is served, each kind of advice is said once
  for (const p of patterns) if (p !== 'good') assert.ok(items.some((it) => it.serves.includes(p)), `nothing serves ${p}`);
  const kinds = items.map((it) => it.kind).filter((k) => k !== 'other' && k !== 'check-code');
  assert.equal(new Set(kinds).size, kinds.length, `a kind twice: ${kinds}`);
  // gradient clipping (the guide's first fix) leads, as the most severe findings here are warnings
  assert.equal(items[0].kind, 'clip');

  // the text report lists that plan once, in that order; the findings no longer carry lists of their own
  const text = toText(report, { color: false, width: 80 });
  const section = text.split('What to try, in order\n')[1];
  assert.ok(section, 'no plan section');
  assert.equal(text.split('What to try, in order').length, 2);
  const numbered = section.split('\n').filter((l) => /^ {2}\d+\. /.test(l));
  assert.equal(numbered.length, items.length);
  // JSON: each finding keeps its own fixes, and the plan is top-level
  const json = JSON.parse(toJson(report));
  assert.ok(json.findings.every((f: { fixes: unknown }) => Array.isArray(f.fixes)));
  assert.deepEqual(json.plan.map((it: PlanItem) => it.kind), items.map((it) => it.kind));
});

const finding = (pattern: PatternId, severity: Severity, fixes: string[]): Finding =>
  ({ pattern, severity, series: 'train', start_step: 0, end_step: 1, message: '', evidence: {}, fixes });

test('a NaN or a divergence calls for a lower learning rate: a plateau\'s raise is left out, with the reason', () => {
  const plan = makePlan([
    finding('divergence', 'error', ['resume from a checkpoint before step 10 and halve the learning rate', 'clip gradients at max_norm 1.0 (then 0.5) if not already']),
    finding('plateau', 'warning', ['raise the peak learning rate (typical: ×3, as 3e-4 → 1e-3)', 'if a higher learning rate does not help, capacity is exhausted: train a bigger model or on more (and more varied) data']),
  ]);
  assert.ok(!plan.items.some((it) => RAISES.has(it.kind)));
  assert.deepEqual(plan.leftOut.map((it) => [it.kind, it.serves]), [['lr-raise', ['plateau']]]);
  assert.ok(plan.leftOut[0].reason.length > 0);
  assert.deepEqual(plan.items.map((it) => it.kind), ['clip', 'lr-lower', 'capacity']);
});

test('a spike that never came back down is a climb in one step: the plateau\'s raise is left out, not deferred', () => {
  const spike = { ...finding('spike', 'warning', ['lower the peak learning rate from 20 to about 10']), evidence: { recovered_step: null } };
  const plan = makePlan([spike, finding('plateau', 'warning', ['raise the peak learning rate from 20 to about 60 (×3)'])]);
  assert.deepEqual(plan.items.map((it) => it.kind), ['lr-lower']);
  assert.deepEqual(plan.leftOut.map((it) => it.kind), ['lr-raise']);
});

test('the same advice from two findings is said once and serves both; the most severe finding sets its place', () => {
  const plan = makePlan([
    finding('spike', 'warning', ['clip gradients: clip_grad_norm_(model.parameters(), max_norm=1.0)', 'inspect the batches just before the spike']),
    finding('nan', 'error', ['lower the learning rate sharply (×0.1)', 'clip gradients: torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)']),
  ]);
  const clips = plan.items.filter((it) => it.kind === 'clip');
  assert.equal(clips.length, 1);
  assert.deepEqual(clips[0].serves, ['nan', 'spike']);
  assert.deepEqual(plan.items.map((it) => it.kind), ['clip', 'lr-lower', 'inspect-data']);
  assertNoContradiction(plan.items);
});

test('context advice (a step schedule working, harmless noise) is kept whole, each line once, in its finding\'s order', () => {
  const fixes = ['nothing is broken: this is a step-decay schedule working', 'prefer a cosine decay (with warmup): the loss falls as smoothly',
    'if you keep step decay, cut where the loss has flattened out'];
  const plan = makePlan([finding('step', 'info', fixes)]);
  assert.deepEqual(plan.items.map((it) => [it.kind, it.text]), fixes.map((text) => ['context', text]));
});

test('on every pattern fixture, each fix of the diagnosed run is in the plan: word for word, or as the item of its kind', () => {
  for (const pattern of readdirSync(join(FIXTURES, 'patterns'))) {
    for (const file of readdirSync(join(FIXTURES, 'patterns', pattern))) {
      const report = diagnoseFile(join(FIXTURES, 'patterns', pattern, file));
      const all = [...report.plan.items, ...report.plan.leftOut];
      for (const f of report.findings.filter((x) => x.run === report.runs.diagnosed)) {
        for (const fix of f.fixes) {
          const k = kindOf(fix);
          const kept = all.some((it) => it.text.endsWith(fix) || (!k.distinct && it.kind === k.kind && it.serves.includes(f.pattern)));
          assert.ok(kept, `${pattern}/${file}: "${fix}" is not in the plan`);
        }
      }
    }
  }
});
