// fmtStep writes steps as the en-US locale would, without loading the locale data.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtStep } from '../src/format.js';

const viaLocale = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 }));

test('fmtStep equals toLocaleString on integers, fractions, ties, signs and extremes', () => {
  const values = [0, -0, 1, 12, 999, 1000, 12345, -12345, 1e6, 123456789, 2 ** 53, 1e20, 9.99e20, 1e21, 0.5, 1.005, 0.015, 2.675,
    0.995, 9.995, 999999.995, -0.004, -0.005, 1e-7, -1e-7, 5e-324, 1234.5678, 0.1 + 0.2, 1.25, 1.35, 12.345];
  let s = 17;
  for (let i = 0; i < 20_000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const r = s / 2147483648;
    values.push((r - 0.5) * 10 ** (r * 20), Math.round(r * 1e6) / 1000 + 0.005, (r - 0.5) * 10 ** (r * 10 - 8));
  }
  for (const x of values) assert.equal(fmtStep(x), viaLocale(x), String(x));
  for (const x of [NaN, Infinity, -Infinity]) assert.equal(fmtStep(x), String(x));
});
