// Merges metrics logged from several files (event files of one run, MLflow metric files) into one table, one row per step.

import { TableBuilder, type Table } from '../table.js';

const INITIAL_CAPACITY = 256;

/** One column's points in the order they were added; arrays grow by doubling. */
class Points {
  steps = new Float64Array(INITIAL_CAPACITY);
  values = new Float64Array(INITIAL_CAPACITY);
  origins = new Int32Array(INITIAL_CAPACITY);
  length = 0;

  push(step: number, value: number, origin: number): void {
    if (this.length === this.steps.length) this.grow();
    this.steps[this.length] = step;
    this.values[this.length] = value;
    this.origins[this.length] = origin;
    this.length++;
  }

  /** Indices in step order; of several points at one step only the last added is kept. */
  kept(): { order: Uint32Array; replaced: number } {
    const n = this.length;
    let order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i; // a loop: TypedArray.from with a function costs ~10× more a point
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (this.steps[i] < this.steps[i - 1]) sorted = false;
    // a stable sort by step keeps points at one step in the order they were added
    if (!sorted) order = order.sort((a, b) => this.steps[a] - this.steps[b] || a - b);
    const out = new Uint32Array(n);
    let k = 0;
    let replaced = 0;
    for (let i = 0; i < n; i++) {
      const here = order[i];
      const next = i + 1 < n ? order[i + 1] : -1;
      if (next >= 0 && this.steps[next] === this.steps[here]) {
        // the same value logged twice (HF logs train/epoch in its eval file too) replaces nothing
        if (this.origins[next] !== this.origins[here] && !Object.is(this.values[next], this.values[here])) replaced++;
        continue;
      }
      out[k++] = here;
    }
    return { order: out.subarray(0, k), replaced };
  }

  private grow(): void {
    const widen = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => { const b = make(a.length * 2); b.set(a); return b; };
    this.steps = widen(this.steps, (n) => new Float64Array(n));
    this.values = widen(this.values, (n) => new Float64Array(n));
    this.origins = widen(this.origins, (n) => new Int32Array(n));
  }
}

/**
 * Collects (column, step, value) points from numbered origins (files). For a repeated (column, step)
 * the point added last wins, so origins must be added oldest first. Repeats across origins with a
 * different value are counted (a restarted run that logged a step twice); repeats within one origin
 * are the logger's own business.
 */
export class StepMerger {
  private readonly byColumn = new Map<string, Points>();

  add(column: string, step: number, value: number, origin: number): void {
    let points = this.byColumn.get(column);
    if (!points) {
      points = new Points();
      this.byColumn.set(column, points);
    }
    points.push(step, value, origin);
  }

  get columns(): string[] {
    return [...this.byColumn.keys()];
  }

  /** The points as a table: a step column first, then one column per metric, rows in step order. */
  toTable(format: string, stepColumn: string, notes: string[] = []): { table: Table; replaced: number } {
    let replaced = 0;
    const columns = [...this.byColumn].map(([name, points]) => {
      const { order, replaced: r } = points.kept();
      replaced += r;
      return { name, points, order, at: 0 };
    });
    const steps = unionOfSteps(columns.map((c) => stepsInOrder(c.points.steps, c.order)));
    const builder = new TableBuilder(steps.length);
    const stepIndex = builder.column(stepColumn);
    const indices = columns.map((c) => builder.column(c.name));
    for (const step of steps) {
      builder.beginRow(0);
      builder.set(stepIndex, step);
      columns.forEach((c, k) => {
        if (c.at < c.order.length && c.points.steps[c.order[c.at]] === step) builder.set(indices[k], c.points.values[c.order[c.at++]]);
      });
    }
    builder.notes.push(...notes);
    return { table: builder.finish(format), replaced };
  }
}

/** Every step any column has, sorted, each once. */
function unionOfSteps(perColumn: Float64Array[]): Float64Array {
  const all = new Float64Array(perColumn.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const steps of perColumn) { all.set(steps, at); at += steps.length; }
  all.sort();
  let k = 0;
  for (let i = 0; i < all.length; i++) if (k === 0 || all[i] !== all[k - 1]) all[k++] = all[i];
  return all.subarray(0, k);
}

/** steps[order[k]] for each k, in a loop (TypedArray.from with a function costs ~10× more a point). */
function stepsInOrder(steps: ArrayLike<number>, order: Uint32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = steps[order[k]];
  return out;
}
