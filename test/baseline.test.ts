// The random-guess baseline: ln(k) recognised for a k-way classifier, ln(V) for an LM from scratch, none where none fits (and then not shown).

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { recogniseBaseline } from '../src/detect/baseline.js';
import { LineNumbers } from '../src/line-numbers.js';
import { toText } from '../src/report/text.js';
import type { Curve } from '../src/types.js';
import { diagnoseFile } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-baseline-'));
const jitter = (i: number, size = 0.005) => 1 + size * Math.sin(i * 12.9898) * Math.cos(i * 4.1414);
const DEFAULT = { vocab: 50257 };

function curve(values: number[]): Curve {
  return { name: 'loss', steps: Float64Array.from(values, (_, i) => i + 1), values: Float64Array.from(values), lines: LineNumbers.of(new Int32Array(values.length)) };
}
/** A loss falling from `start` towards `end` over n points. */
const falling = (n: number, start: number, end: number, tau = 10) => Array.from({ length: n }, (_, i) => (end + (start - end) * Math.exp(-i / tau)) * jitter(i));
const recognised = (values: number[], options: Parameters<typeof recogniseBaseline>[1] = DEFAULT) => {
  const b = recogniseBaseline(curve(values), options);
  return [b.kind, b.applies, Number(b.value.toFixed(4))];
};

test('a loss starting at ln(k) for a small k is that k-way guess', () => {
  assert.deepEqual(recognised(falling(100, Math.log(2), 0.3)), ['classes', true, 0.6931]); // DPO's start is ln 2 exactly
  assert.deepEqual(recognised(falling(100, 2.33, 0.4)), ['classes', true, 2.3026]); // CIFAR-10
  assert.deepEqual(recognised(falling(100, 1.39, 0.9)), ['classes', true, 1.3863]); // four-way multiple choice
  // a start well above ln 2 that comes to rest at it: the class prior learned, nothing else
  assert.deepEqual(recognised([0.89, 0.73, 0.71, ...Array.from({ length: 30 }, (_, i) => 0.6931 * jitter(i, 0.001))]), ['classes', true, 0.6931]);
});

test('no baseline fits a fine-tune that starts between the candidates, or one that only levels off near ln(k)', () => {
  assert.deepEqual(recognised(falling(100, 3.1, 1.8)), ['none', false, 10.8249]);
  assert.deepEqual(recognised(falling(100, 1.75, 1.35, 15)), ['none', false, 10.8249]); // an LM levelling off 2.6% below ln 4
  assert.deepEqual(recognised(falling(100, 0.89, 0.5)), ['none', false, 10.8249]);
  assert.deepEqual(recognised(falling(100, -3, -5)), ['none', false, 10.8249]); // a likelihood, no cross-entropy
});

test('an LM from scratch is judged against ln(V); a vocabulary or baseline the user gives always applies', () => {
  assert.deepEqual(recognised(falling(100, 10.9, 3.2)), ['vocabulary', true, 10.8249]);
  assert.deepEqual(recognised(falling(100, 3.1, 1.8), { vocab: 32000, vocabGiven: true }), ['vocabulary', true, 10.3735]);
  assert.deepEqual(recognised(falling(100, 3.1, 1.8), { vocab: 50257, baseline: 4 }), ['given', true, 4]);
});

function write(name: string, values: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, `step,loss\n${values.map((v, i) => `${(i + 1) * 10},${v.toFixed(5)}`).join('\n')}\n`);
  return path;
}
const textOf = (path: string) => toText(diagnoseFile(path), { color: false, width: 80 });

test('where no baseline fits, the report neither names one nor draws ln(50257)', () => {
  const report = diagnoseFile(write('finetune.csv', falling(200, 3.1, 1.8, 40)));
  assert.equal(report.baseline.applies, false);
  const text = textOf(write('finetune.csv', falling(200, 3.1, 1.8, 40)));
  assert.doesNotMatch(text, /  baseline \d|ln\(|┄┄ baseline/);
});

test('a recognised baseline is named in the header and drawn, and the flat detector judges "at the baseline" against it', () => {
  const stuck = Array.from({ length: 120 }, (_, i) => Math.log(2) * jitter(i, 0.004));
  const report = diagnoseFile(write('binary-stuck.csv', stuck));
  assert.equal(report.baseline.applies, true);
  assert.equal(Number(report.baseline.value.toFixed(4)), 0.6931);
  const flat = report.findings.find((f) => f.pattern === 'flat');
  assert.ok(flat, report.findings.map((f) => f.pattern).join(','));
  assert.equal(flat.evidence.at_baseline, true);
  assert.equal(flat.evidence.baseline, 0.693147);
  const header = textOf(write('binary-stuck.csv', stuck)).split('\n').slice(0, 4).join('\n');
  assert.match(header, /baseline 0\.6931 \(ln\(2\): 2-way guess\)/);
});
