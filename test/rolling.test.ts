// Rolling statistics against a naive oracle (sort each window): the two-block medians and the block-extremes trimmed mean give the same numbers.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedFloat64 } from '../src/parallel/helper.js';
import { centredMedian, centredTrimmedMean, trailingMedian } from '../src/stats/rolling.js';
import { windowMedians } from '../src/stats/window-medians.js';

function naiveMedian(values: Float64Array, from: number, to: number): number {
  const w = Array.from(values.subarray(from, to)).sort((a, b) => a - b);
  const h = w.length >> 1;
  return w.length % 2 ? w[h] : (w[h - 1] + w[h]) / 2;
}

function naiveTrimmedMean(values: Float64Array, half: number, i: number): number {
  const from = Math.max(0, i - half);
  const to = Math.min(values.length, i + half + 1);
  let sum = 0;
  // the same additions in the same order as the rolling sum: subtract what left, add what entered
  for (let k = 0; k < to; k++) sum += values[k];
  for (let k = 0; k < from; k++) sum -= values[k];
  const w = Array.from(values.subarray(from, to));
  return w.length >= 3 ? (sum - Math.min(...w) - Math.max(...w)) / (w.length - 2) : sum / w.length;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const KINDS: Array<[string, (i: number, rnd: () => number) => number]> = [
  ['noise', (_, rnd) => rnd()],
  ['ties', (_, rnd) => Math.floor(rnd() * 4)],
  ['rising', (i) => i],
  ['falling', (i) => -i],
  ['flat', () => 5],
  ['decaying loss', (i, rnd) => (2 + 8 * Math.exp(-i / 300)) * (1 + 0.05 * (rnd() - 0.5))],
];

test('window medians equal a sorted window at every position, for odd and even windows and ragged ends', () => {
  const rnd = seeded(3);
  for (const [kind, value] of KINDS) {
    for (const n of [1, 2, 5, 17, 100, 257]) {
      const values = Float64Array.from({ length: n }, (_, i) => value(i, rnd));
      for (const w of [1, 2, 3, 4, 7, 10, 51, 64, 300]) {
        const out = new Float64Array(n + 1).fill(-1);
        windowMedians(values, w, out, 1);
        for (let s = 0; s + w <= n; s++) assert.equal(out[1 + s], naiveMedian(values, s, s + w), `${kind} n=${n} w=${w} s=${s}`);
        if (n >= w) assert.equal(out[0], -1); // nothing written before `at`
      }
    }
  }
});

test('centred and trailing medians match the oracle on short curves and on long ones (two methods)', () => {
  const rnd = seeded(5);
  for (const [kind, value] of KINDS) {
    for (const n of [0, 1, 3, 40, 1000, 25_000]) {
      const values = Float64Array.from({ length: n }, (_, i) => value(i, rnd));
      for (const half of [0, 1, 3, 25]) {
        const out = centredMedian(values, half);
        // every position of a short curve; a sample of a long one (the oracle is slow)
        const step = n > 2000 ? 97 : 1;
        for (let i = 0; i < n; i += step) assert.equal(out[i], naiveMedian(values, Math.max(0, i - half), Math.min(n, i + half + 1)), `${kind} centred n=${n} half=${half} i=${i}`);
      }
      for (const w of [1, 5, 50, 250]) {
        const out = trailingMedian(values, w);
        const step = n > 2000 ? 89 : 1;
        if (n > 0) assert.ok(Number.isNaN(out[0]));
        for (let i = 1; i < n; i += step) assert.equal(out[i], naiveMedian(values, Math.max(0, i - w), i), `${kind} trailing n=${n} w=${w} i=${i}`);
      }
    }
  }
});

test('the trimmed mean drops the window extremes, bit for bit as the running sum gives it', () => {
  const rnd = seeded(9);
  for (const [kind, value] of KINDS) {
    for (const n of [1, 2, 4, 60, 500]) {
      const values = Float64Array.from({ length: n }, (_, i) => value(i, rnd));
      for (const half of [0, 1, 2, 6, 25]) {
        const out = centredTrimmedMean(values, half);
        for (let i = 0; i < n; i++) {
          const expected = naiveTrimmedMean(values, half, i);
          assert.ok(Math.abs(out[i] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${kind} n=${n} half=${half} i=${i}: ${out[i]} vs ${expected}`);
        }
      }
    }
  }
});

test('a long rolling median in shared memory (half of it on the helper thread) equals the one-thread result', () => {
  const random = rngShared(5);
  const n = (1 << 20) + 12_345;
  const shared = sharedFloat64(n);
  for (let i = 0; i < n; i++) shared[i] = Math.round(1000 * (2 + 8 * Math.exp(-i / 2e5) + random())) / 1000;
  const plain = Float64Array.from(shared);
  for (const half of [3, 25]) assert.deepEqual(centredMedian(shared, half), centredMedian(plain, half), `half ${half}`);
});

function rngShared(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
