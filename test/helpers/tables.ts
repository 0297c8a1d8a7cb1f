// Test helpers for reading: a Source from bytes, and a Table as plain data to compare two readings cell by cell.

import type { Source } from '../../src/read/engine/source.js';
import type { Table } from '../../src/read/table.js';

/** An in-memory source; `chunk` cuts its bytes into pieces of that size, as a file read in chunks arrives. */
export function sourceOf(bytes: Buffer | string, chunk?: number, name = 'test.log'): Source {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  if (!chunk) return { name, bytes: data };
  return {
    name,
    bytes: data,
    size: data.length,
    *chunks() {
      // fresh copies, as a file's reads are: a reader must not rely on one buffer staying the same
      for (let at = 0; at < data.length; at += chunk) yield Buffer.from(data.subarray(at, at + chunk));
    },
  };
}

/** Everything a Table says, with typed arrays as plain arrays (NaN kept as a string so it compares equal). */
export function tableData(table: Table): unknown {
  const plain = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v));
  return {
    format: table.format,
    rows: table.rows,
    rowLine: [...table.rowLine],
    columns: table.columns.map((c) => ({ name: c.name, count: c.count, values: plain(c.values.map((v, i) => (c.present[i] ? v : 0))), present: plain(c.present) })),
    boundaries: table.boundaries,
    headerLine: table.headerLine,
    notes: table.notes,
    skipped: { count: table.skipped.count, lines: table.skipped.lines },
  };
}
