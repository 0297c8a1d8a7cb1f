// What a JSON null means in a log: Python's None (not logged) for most loggers, NaN for pandas' to_json; decided per column from the rows around it.

import { fmtStep } from '../../format.js';
import { classify } from '../../column-names.js';
import type { Column, Table } from '../table.js';

/** The cells a reader set from a JSON null, in the order set: row and column of each. */
export class NullCells {
  rows = new Int32Array(16);
  columns = new Int32Array(16);
  count = 0;

  add(row: number, column: number): void {
    if (this.count === this.rows.length) {
      const rows = new Int32Array(this.count * 2);
      rows.set(this.rows);
      const columns = new Int32Array(this.count * 2);
      columns.set(this.columns);
      this.rows = rows;
      this.columns = columns;
    }
    this.rows[this.count] = row;
    this.columns[this.count++] = column;
  }

  /** Drops the cells of `row` (a row begun and then dropped): they are the last ones added. */
  dropRow(row: number): void {
    while (this.count > 0 && this.rows[this.count - 1] === row) this.count--;
  }
}

const MAX_LINES_NAMED = 3; // a note names this many lines, then says how many more
const TRAILING_NAN = 2; // LLaMA-Factory closes with one all-null row; a run that died writes null at every step after

/**
 * The table with its null cells read the one way the rows around them support:
 * - a column that never holds a number is left out (absent, not NaN: LLaMA-Factory writes "eval_loss": null on every row);
 * - a row whose metrics are all null is no measurement: its nulls are gaps (LLaMA-Factory's closing row);
 * - a metric that holds numbers, then only null from some row on, while a metric logged beside it stays
 *   finite on those rows, went bad there: those nulls are NaN (pandas' to_json writes NaN as null);
 * - so did one that holds numbers and then is null on every row it is written on to the end, TRAILING_NAN rows
 *   or more: the logger kept writing it, as JavaScript's JSON.stringify writes a NaN (Python's json writes NaN);
 * - any other null is a value not logged: a gap.
 * A note says each reading taken. A cell set from null and later overwritten by a number is no null.
 */
export function resolveNulls(table: Table, nulls: NullCells): Table {
  const byColumn = new Map<number, number[]>();
  for (let k = 0; k < nulls.count; k++) {
    const c = nulls.columns[k];
    const r = nulls.rows[k];
    const column = table.columns[c];
    if (r >= table.rows || !column.present[r] || !Number.isNaN(column.values[r])) continue;
    let rows = byColumn.get(c);
    if (!rows) byColumn.set(c, (rows = []));
    if (rows[rows.length - 1] !== r) rows.push(r);
  }
  if (byColumn.size === 0) return table;
  const notes: string[] = [];
  const lineOf = (r: number) => table.rowLine.at(r);

  // columns that never hold a number
  const dropped = new Set<number>();
  for (const [c, rows] of byColumn) if (rows.length === table.columns[c].count) dropped.add(c);
  if (dropped.size > 0) {
    const names = [...dropped].map((c) => table.columns[c].name);
    notes.push(`${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} null on every row: read as not logged, not as NaN`);
  }

  const metric = table.columns.map((column, c) => !dropped.has(c) && isMetric(column));
  const masks = new Map<number, Uint8Array>();
  for (const [c, rows] of byColumn) {
    const mask = new Uint8Array(table.rows);
    for (const r of rows) mask[r] = 1;
    masks.set(c, mask);
  }
  const isNull = (c: number, r: number) => masks.get(c)?.[r] === 1;
  const gaps = new Map<number, number[]>(); // by column, the null rows read as not logged

  // metrics null on every row they are written on from some row to the end, several rows: NaN, even on rows holding nothing else
  const trailing = new Set<number>();
  for (const [c, rows] of byColumn) if (!dropped.has(c) && metric[c] && nullToTheEnd(table.columns[c], rows, isNull, c)) trailing.add(c);

  // rows whose every metric is null
  const nullRows = new Set<number>();
  for (const [c, rows] of byColumn) if (!dropped.has(c) && !trailing.has(c)) for (const r of rows) nullRows.add(r);
  const empty = [...nullRows].filter((r) => table.columns.every((column, c) => !metric[c] || !column.present[r] || isNull(c, r)))
    .sort((a, b) => a - b);
  const emptySet = new Set(empty);
  if (empty.length > 0) {
    const named = empty.slice(0, MAX_LINES_NAMED).map((r) => fmtStep(lineOf(r))).join(', ');
    const more = empty.length > MAX_LINES_NAMED ? ` and ${empty.length - MAX_LINES_NAMED} more` : '';
    notes.push(`${empty.length === 1 ? 'line' : 'lines'} ${named}${more}: every metric is null, read as no measurement, not as NaN`);
  }

  for (const [c, all] of byColumn) {
    if (dropped.has(c)) continue;
    const column = table.columns[c];
    if (trailing.has(c)) {
      const beside = turnsNaN(table, c, all, metric, isNull);
      notes.push(beside !== undefined
        ? `${column.name} is null from line ${fmtStep(lineOf(all[0]))} on while ${table.columns[beside].name} stays finite: read as NaN, as pandas writes it`
        : `${column.name} is null on its last ${all.length} rows, from line ${fmtStep(lineOf(all[0]))} to the end: read as NaN, as JavaScript writes it`);
      continue;
    }
    const rows = all.filter((r) => !emptySet.has(r));
    if (rows.length === 0) { gaps.set(c, all); continue; }
    const companion = metric[c] ? turnsNaN(table, c, rows, metric, isNull) : undefined;
    if (companion !== undefined) {
      notes.push(`${column.name} is null from line ${fmtStep(lineOf(rows[0]))} on while ${table.columns[companion].name} stays finite: read as NaN, as pandas writes it`);
      gaps.set(c, all.filter((r) => emptySet.has(r)));
    } else {
      notes.push(`${column.name} is null on ${rows.length} row${rows.length === 1 ? '' : 's'}: read as not logged, not as NaN`);
      gaps.set(c, all);
    }
  }

  const columns: Column[] = [];
  table.columns.forEach((column, c) => {
    if (dropped.has(c)) return;
    const rows = gaps.get(c);
    columns.push(rows && rows.length > 0 ? withoutCells(column, rows, table.rows) : column);
  });
  return { ...table, columns, notes: [...table.notes, ...notes] };
}

/** Whether the column holds a number before its first null, and every cell it has from there on is null (TRAILING_NAN or more). */
function nullToTheEnd(column: Column, nullRows: number[], isNull: (c: number, r: number) => boolean, c: number): boolean {
  if (nullRows.length < TRAILING_NAN) return false;
  let before = false;
  for (let r = nullRows[0] - 1; r >= 0 && !before; r--) if (column.present[r] && !isNull(c, r)) before = true;
  if (!before) return false;
  for (let r = nullRows[0]; r < column.present.length; r++) if (column.present[r] && !isNull(c, r)) return false;
  return true;
}

/**
 * When the column's nulls all come after its last number, a metric that held a number on that last
 * row and is finite on every null row: the column went bad while the run kept logging. Else undefined.
 */
function turnsNaN(table: Table, c: number, nullRows: number[], metric: boolean[], isNull: (c: number, r: number) => boolean): number | undefined {
  const column = table.columns[c];
  let last = -1;
  for (let r = nullRows[0] - 1; r >= 0 && last < 0; r--) if (column.present[r] && !isNull(c, r)) last = r;
  if (last < 0) return undefined;
  for (let r = nullRows[0]; r < table.rows; r++) if (column.present[r] && !isNull(c, r)) return undefined; // a number after a null
  const finite = (d: number, r: number) => table.columns[d].present[r] && !isNull(d, r) && Number.isFinite(table.columns[d].values[r]);
  for (let d = 0; d < table.columns.length; d++) {
    if (d === c || !metric[d]) continue;
    const beside = table.columns[d];
    if (!beside.present[last] || isNull(d, last)) continue;
    if (nullRows.every((r) => finite(d, r))) return d;
  }
  return undefined;
}

/**
 * A metric: a loss, learning rate or grad norm, or any column whose numbers go down somewhere. Steps,
 * epochs and the columns that never go down (a total, a percentage done, a runtime) count the run's
 * progress and are no measurement.
 */
function isMetric(column: Column): boolean {
  const role = classify(column.name).role;
  if (role === 'step' || role === 'epoch') return false;
  if (role !== 'other') return true;
  let previous = -Infinity;
  const { values, present } = column;
  for (let r = 0; r < values.length; r++) {
    if (!present[r] || Number.isNaN(values[r])) continue;
    if (values[r] < previous) return true;
    previous = values[r];
  }
  return false;
}

/** The column with the cells of `rows` (ascending) made gaps. */
function withoutCells(column: Column, rows: number[], n: number): Column {
  const present = new Uint8Array(n);
  present.set(column.present.subarray(0, n));
  for (const r of rows) present[r] = 0;
  const out: Column = { name: column.name, values: column.values, present, count: column.count - rows.length };
  if (column.cells) {
    const drop = new Set(rows);
    const keep: number[] = [];
    column.cells.rows.forEach((r, k) => { if (!drop.has(r)) keep.push(k); });
    out.cells = { rows: Int32Array.from(keep, (k) => column.cells!.rows[k]), values: Float64Array.from(keep, (k) => column.cells!.values[k]) };
  }
  return out;
}
