// TableBuilder: columns filled on few rows stay (row, value) pairs, dense ones get a slot per row; either way the Table reads the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
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
