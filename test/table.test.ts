// TableBuilder: columns filled on few rows stay (row, value) pairs, dense ones get a slot per row; either way the Table reads the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineRuns } from '../src/line-numbers.js';
import { TableBuilder } from '../src/read/table.js';

/** Fills a builder from a plan: for each row, the cells to set (column name → value), or null for a row then discarded. */
function build(plan: Array<Record<string, number> | null>, capacity?: number) {
  const builder = new TableBuilder(capacity);
  plan.forEach((cells, r) => {
    builder.beginRow(r + 1);
    for (const [name, value] of Object.entries(cells ?? { x: 0 })) builder.set(builder.column(name), value);
    if (cells === null) builder.discardRow();
  });
  return builder.finish('test');
}

test('sparse, dense and filling-up columns read back as a slot per row', () => {
  const plan: Array<Record<string, number> | null> = [];
  for (let r = 0; r < 5000; r++) {
    const cells: Record<string, number> = { loss: 10 / (r + 1) };
    if (r % 100 === 0) cells.val = r; // stays sparse
    if (r > 2000) cells.late = -r; // sparse at first, then dense
    if (r === 4000) cells.once = NaN;
    plan.push(r === 3000 ? null : cells);
  }
  const table = build(plan, 16);
  const kept = plan.filter((c) => c !== null) as Array<Record<string, number>>;
  assert.equal(table.rows, kept.length);
  for (const column of table.columns) {
    const expected = kept.map((c) => c[column.name]);
    assert.equal(column.count, expected.filter((v) => v !== undefined).length, column.name);
    assert.deepEqual(Array.from(column.present), expected.map((v) => (v === undefined ? 0 : 1)), column.name);
    assert.deepEqual(Array.from(column.values), expected.map((v) => (v === undefined ? 0 : v)), column.name);
  }
  const val = table.columns.find((c) => c.name === 'val')!;
  assert.ok(val.cells, 'a column on one row in a hundred keeps its pairs');
  assert.deepEqual(Array.from(val.cells.rows).slice(0, 3), [0, 100, 200]);
  assert.equal(table.columns.find((c) => c.name === 'loss')!.cells, undefined, 'a column on every row has a slot per row');
});

test('a cell set twice in one row keeps the later value and counts once, sparse or dense', () => {
  const builder = new TableBuilder();
  for (let r = 0; r < 200; r++) {
    builder.beginRow(r + 1);
    builder.set(builder.column('dense'), 1);
    builder.set(builder.column('dense'), 2);
    if (r % 50 === 0) {
      builder.set(builder.column('sparse'), 3);
      builder.set(builder.column('sparse'), 4);
    }
  }
  const table = builder.finish('test');
  const [dense, sparse] = table.columns;
  assert.equal(dense.count, 200);
  assert.ok(Array.from(dense.values).every((v) => v === 2));
  assert.equal(sparse.count, 4);
  assert.deepEqual(Array.from(sparse.cells!.values), [4, 4, 4, 4]);
});

test('a column on every row has no mask until a row lacks it, by every way of adding rows', () => {
  const width = 2;
  const columns = Int32Array.from([0, 1]);
  // rows 0..199 full; row 150 lacks "b" (added row by row, in a block, or with addRow), row 199 lacks "a"
  const lacks = (r: number, k: number) => (k === 1 && r === 150) || (k === 0 && r === 199);
  const expected = (k: number) => Array.from({ length: 200 }, (_, r) => (lacks(r, k) ? undefined : r * 10 + k));
  for (const way of ['set', 'addRow', 'addRows']) {
    const builder = new TableBuilder(16);
    builder.column('a');
    builder.column('b');
    const values = new Float64Array(width * 200);
    const has = new Uint8Array(width * 200);
    for (let r = 0; r < 200; r++) for (let k = 0; k < width; k++) { values[r * width + k] = r * 10 + k; has[r * width + k] = lacks(r, k) ? 0 : 1; }
    if (way === 'addRows') {
      builder.addRows(1, 120, columns, values, has, width);
      builder.addRows(121, 80, columns, values.subarray(120 * width), has.subarray(120 * width), width);
    } else {
      for (let r = 0; r < 200; r++) {
        if (way === 'addRow') builder.addRow(r + 1, columns, values.subarray(r * width), has.subarray(r * width), width);
        else {
          builder.beginRow(r + 1);
          for (let k = 0; k < width; k++) if (has[r * width + k]) builder.set(k, values[r * width + k]);
        }
        // a row begun and dropped leaves nothing behind
        if (r === 100) { builder.beginRow(0); builder.set(0, -1); builder.set(1, -1); builder.discardRow(); }
      }
    }
    assert.equal(builder.cell(1, 150), undefined, way);
    assert.equal(builder.cell(1, 149), 1491, way);
    assert.equal(builder.cell(0, 199), undefined, way);
    const table = builder.finish('test');
    for (let k = 0; k < width; k++) {
      const column = table.columns[k];
      const want = expected(k);
      assert.equal(column.count, 199, `${way} ${column.name}`);
      assert.deepEqual(Array.from(column.present), want.map((v) => (v === undefined ? 0 : 1)), `${way} ${column.name}`);
      assert.deepEqual(Array.from(column.values, (v, r) => (column.present[r] ? v : undefined)), want, `${way} ${column.name}`);
    }
  }
});

test('line numbers kept as runs read back as one per row, however the lines go', () => {
  const random = (() => { let s = 3; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); })();
  for (let t = 0; t < 50; t++) {
    const runs = new LineRuns();
    const expected: number[] = [];
    let line = Math.floor(random() * 5);
    for (let r = 0; r < 300; r++) {
      const kind = random();
      if (kind < 0.1 && expected.length > 0) { runs.pop(); expected.pop(); continue; } // a row begun and dropped
      if (kind < 0.2) {
        const count = Math.floor(random() * 6);
        runs.pushConsecutive(line + 1, count);
        for (let k = 0; k < count; k++) expected.push(++line);
        continue;
      }
      line += kind < 0.6 ? 1 : kind < 0.7 ? 0 : Math.floor(random() * 4);
      runs.push(line);
      expected.push(line);
    }
    const all = runs.view(expected.length);
    assert.deepEqual([...all], expected, `case ${t}`);
    const from = Math.floor(random() * expected.length);
    assert.deepEqual([...all.subarray(from, from + 7)], expected.slice(from, from + 7), `case ${t} from ${from}`);
    for (let k = 0; k < 20; k++) {
      const i = Math.floor(random() * expected.length);
      assert.equal(all.at(i), expected[i], `case ${t} at ${i}`);
    }
  }
});

test('a table growing past a million rows (where growth leaps instead of doubling) keeps every cell, dense, masked and sparse', () => {
  const builder = new TableBuilder();
  const rows = (1 << 20) + 5000;
  const loss = builder.column('loss');
  const lr = builder.column('lr');
  const val = builder.column('val');
  for (let r = 0; r < rows; r++) {
    builder.beginRow(r + 1);
    builder.set(loss, r * 0.5);
    if (r % 3 !== 0) builder.set(lr, r);
    if (r % 1000 === 0) builder.set(val, -r);
  }
  builder.column('late'); // a column made after the leap gets the leapt capacity
  builder.beginRow(rows + 1);
  builder.set(builder.column('late'), 7);
  const table = builder.finish('test');
  assert.equal(table.rows, rows + 1);
  const [l, g, v, late] = table.columns;
  for (const r of [0, 1, 2, 1023, 1 << 20, rows - 1]) {
    assert.equal(l.values[r], r * 0.5);
    assert.equal(g.present[r], r % 3 !== 0 ? 1 : 0);
    if (r % 3 !== 0) assert.equal(g.values[r], r);
  }
  assert.equal(v.count, Math.ceil(rows / 1000));
  assert.equal(late.count, 1);
  assert.equal(late.values[rows], 7);
});
