// Robust statistics against slow, obviously correct versions on random inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BracketedQuantile } from '../src/stats/bracket.js';
import { GrowingMedian } from '../src/stats/growing-median.js';
import { selectIn } from '../src/stats/select.js';
import { mad, median, noiseSigma, quantile } from '../src/stats/robust.js';
import { centredMedian, trailingMedian } from '../src/stats/rolling.js';
import { kendallTau, mannKendallZ } from '../src/stats/kendall.js';
import { firstIndex, lowerBound } from '../src/stats/search.js';

/** A seeded generator, so a failure names an input that can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function slowMedian(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

test('quantile matches sorting, with ties and NaN skipped', () => {
  const random = rng(1);
  for (let t = 0; t < 500; t++) {
    const n = 1 + Math.floor(random() * 40);
    const v = Array.from({ length: n }, () => (random() < 0.1 ? NaN : Math.floor(random() * 6)));
    const finite = v.filter(Number.isFinite).sort((a, b) => a - b);
    const q = random();
    if (finite.length === 0) { assert.ok(Number.isNaN(quantile(v, q))); continue; }
    const pos = q * (finite.length - 1);
    const lo = Math.floor(pos);
    const expected = finite[lo] + (pos - lo) * ((finite[lo + 1] ?? finite[lo]) - finite[lo]);
    assert.ok(Math.abs(quantile(v, q) - expected) < 1e-12, `seed 1 case ${t}`);
  }
});

test('median and MAD of a small known sample', () => {
  assert.equal(median([5, 1, 4, 2, 3]), 3);
  assert.equal(median([1, 2, 3, 4]), 2.5);
  assert.equal(mad([1, 2, 3, 4, 100], 3), 1);
});

test('rolling medians match a window-by-window median', () => {
  const random = rng(7);
  for (let t = 0; t < 200; t++) {
    const n = 1 + Math.floor(random() * 60);
    const values = Float64Array.from({ length: n }, () => Math.round(random() * 10));
    const half = Math.floor(random() * 5);
    const w = 1 + Math.floor(random() * 8);
    const centred = centredMedian(values, half);
    const trailing = trailingMedian(values, w);
    for (let i = 0; i < n; i++) {
      assert.equal(centred[i], slowMedian(Array.from(values.slice(Math.max(0, i - half), i + half + 1))), `centred case ${t} at ${i}`);
      if (i === 0) assert.ok(Number.isNaN(trailing[0]));
      else assert.equal(trailing[i], slowMedian(Array.from(values.slice(Math.max(0, i - w), i))), `trailing case ${t} at ${i}`);
    }
  }
});

test('noise from second differences ignores a straight trend and sees white noise', () => {
  const line = Array.from({ length: 100 }, (_, i) => 10 - 0.05 * i);
  assert.ok(noiseSigma(line) < 1e-9);
  const random = rng(3);
  const noisy = Array.from({ length: 4000 }, () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
  const sigma = noiseSigma(noisy);
  assert.ok(sigma > 0.9 && sigma < 1.1, `sigma ${sigma}`);
});

test('quantiles of long arrays (the bracketed pass) equal sorting, whatever the shape', () => {
  const random = rng(11);
  const n = 100_003;
  const shapes: Array<[string, (i: number) => number]> = [
    ['noise', () => random()],
    ['ties', () => Math.floor(random() * 4)],
    ['constant', () => 2],
    ['falling', (i) => 10 - i / n],
    ['period of the sample stride', (i) => (i % 6 === 0 ? 100 : 1)],
    ['NaN and infinities', (i) => (i % 7 === 0 ? NaN : i % 11 === 0 ? Infinity : i % 13 === 0 ? -Infinity : random())],
    ['mostly NaN', (i) => (i % 1000 === 0 ? random() : NaN)],
  ];
  for (const [name, at] of shapes) {
    const v = Float64Array.from({ length: n }, (_, i) => at(i));
    const finite = Array.from(v).filter(Number.isFinite).sort((a, b) => a - b);
    for (const q of [0, 0.02, 0.5, 0.98, 1]) {
      const pos = q * (finite.length - 1);
      const lo = Math.floor(pos);
      const expected = pos === lo ? finite[lo] : finite[lo] + (pos - lo) * (finite[lo + 1] - finite[lo]);
      assert.equal(quantile(v, q), expected, `${name}, q = ${q}`);
    }
  }
});

test('a bracket that misses the wanted rank says so, for the caller to take the slow way', () => {
  const bracket = new BracketedQuantile(0.5, Float64Array.from({ length: 1000 }, (_, i) => i), 10_000);
  for (let i = 0; i < 10_000; i++) bracket.add(5000 + i); // every value above the sample's range
  assert.equal(bracket.result(), undefined);
});

test('selection leaves the k-th smallest at k, nothing larger before it and nothing smaller after', () => {
  const random = rng(17);
  for (let t = 0; t < 60; t++) {
    const n = 1 + Math.floor(random() * 5000);
    const levels = 1 + Math.floor(random() * 50); // few distinct values: many ties
    const v = Float64Array.from({ length: n }, () => Math.floor(random() * levels) / 7);
    const sorted = Array.from(v).sort((a, b) => a - b);
    const k = Math.floor(random() * n);
    assert.equal(selectIn(v, n, k), sorted[k], `case ${t}`);
    for (let i = 0; i < k; i++) assert.ok(v[i] <= v[k], `case ${t} before`);
    for (let i = k + 1; i < n; i++) assert.ok(v[i] >= v[k], `case ${t} after`);
  }
});

test('Kendall tau and Mann-Kendall z by merge sort equal the pair-by-pair count, with ties and NaN skipped', () => {
  const random = rng(7);
  for (let t = 0; t < 400; t++) {
    const n = Math.floor(random() * 60);
    const v = Array.from({ length: n }, () => (random() < 0.1 ? NaN : Math.floor(random() * 8) - 2 * random() * (t % 3)));
    const finite = v.filter(Number.isFinite);
    let s = 0;
    for (let i = 0; i < finite.length; i++) for (let j = i + 1; j < finite.length; j++) s += Math.sign(finite[j] - finite[i]);
    const m = finite.length;
    const tau = m < 3 ? 0 : s / ((m * (m - 1)) / 2);
    const z = m < 3 || s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt((m * (m - 1) * (2 * m + 5)) / 18);
    assert.ok(Math.abs(kendallTau(v) - tau) < 1e-12, `tau of ${JSON.stringify(v)}`);
    assert.ok(Math.abs(mannKendallZ(v) - z) < 1e-12, `z of ${JSON.stringify(v)}`);
  }
  assert.equal(kendallTau([5, 4, 3, 2, 1]), -1);
  assert.equal(kendallTau([1, 1, 1, 1]), 0);
});

test('lowerBound and firstIndex find what a scan from the left finds, with ties and within a range', () => {
  const random = rng(11);
  for (let t = 0; t < 300; t++) {
    const n = Math.floor(random() * 30);
    const a = Float64Array.from({ length: n }, () => Math.floor(random() * 10)).sort();
    const x = Math.floor(random() * 12) - 1;
    const lo = Math.floor(random() * (n + 1));
    const hi = lo + Math.floor(random() * (n - lo + 1));
    let expected = lo;
    while (expected < hi && a[expected] < x) expected++;
    assert.equal(lowerBound(a, x, lo, hi), expected);
    assert.equal(firstIndex(lo, hi, (i) => a[i] >= x), expected);
  }
});

test('a growing median is median() of the values added so far, ties, NaN and negative zero included', () => {
  const random = rng(29);
  for (let t = 0; t < 40; t++) {
    const n = 1 + Math.floor(random() * 300);
    const levels = 1 + Math.floor(random() * 20); // few distinct values: many ties
    const values = Array.from({ length: n }, () => (random() < 0.05 ? NaN : random() < 0.05 ? -0 : Math.floor(random() * levels) / 3 - 2));
    const growing = new GrowingMedian(n);
    for (let k = 0; k < n; k++) {
      growing.add(values[k]);
      const [got, want] = [growing.median(), median(values.slice(0, k + 1))];
      // the same number; a zero's sign is whatever order the sort or selection left -0 and 0 in
      assert.ok(got === want || Object.is(got, want), `case ${t}, after ${k + 1} values: ${got} for ${want}`);
    }
  }
});
