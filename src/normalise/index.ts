// Table → runs of Series: the columns chosen, the rows split into runs, each chosen column turned into a Curve per run.

import { LineNumbers, LineRuns } from '../line-numbers.js';
import type { Column, Table } from '../read/table.js';
import type { Curve, Series } from '../types.js';
import { averageColumn } from '../column-names.js';
import { chooseColumns, type ColumnChoice, type ColumnOverrides } from './roles.js';
import { splitRuns, type RunRows } from './runs.js';

export interface Run {
  series: Series;
  resumes: RunRows['resumes'];
  /** The step column restarted every epoch and was counted on across epochs. */
  countedAcrossEpochs: boolean;
  /** Lines left out for quoting an earlier step the log never went on from (see splitRuns). */
  lookBacks: number[];
  /** Source lines of the run's first and last rows. */
  lines: [number, number];
}

export interface Normalised {
  choice: ColumnChoice;
  runs: Run[];
}

export function normalise(table: Table, overrides: ColumnOverrides, file: string): Normalised {
  const choice = chooseColumns(table, overrides, file);
  const runs = splitRuns(table, choice.step, choice.epoch)
    .map((run) => toRun(table, choice, run))
    .filter((run) => run.series.train !== undefined || run.series.val !== undefined);
  return { choice, runs };
}

function toRun(table: Table, choice: ColumnChoice, run: RunRows): Run {
  const curve = (column: Column | undefined) => (column ? curveOf(table, column, run) : undefined);
  const average = choice.train && table.columns.find((c) => c.name === averageColumn(choice.train!.name));
  const series: Series = {
    train: curve(choice.train),
    ...(average ? { trainAverage: curve(average) } : {}),
    val: curve(choice.val),
    lr: curve(choice.lr),
    gradNorm: curve(choice.gradNorm),
    epoch: curve(choice.epoch),
    stepName: choice.stepName,
  };
  if (table.adversarial) {
    const pairs = adversaryPairs(table).map(([g, d]) => ({ generator: curve(g), discriminator: curve(d) }))
      .filter((p): p is { generator: Curve; discriminator: Curve } => p.generator !== undefined && p.discriminator !== undefined);
    if (pairs.length) series.adversaries = pairs;
  }
  const metric = choice.valMetric && curve(choice.valMetric.column);
  if (metric) series.valMetric = { ...metric, higherIsBetter: choice.valMetric!.higherIsBetter };
  const row = (i: number) => (run.rows ? run.rows[i] : i);
  return { series, resumes: run.resumes, lookBacks: run.lookBacks ?? [], countedAcrossEpochs: run.countedAcrossEpochs, lines: [table.rowLine.at(row(0)), table.rowLine.at(row(run.count - 1))] };
}

/** A GAN log's generator and discriminator columns paired by their suffix: G_A with D_A, G_B with D_B, G with D. */
function adversaryPairs(table: Table): Array<[Column, Column]> {
  const side = (name: string, letter: string) => new RegExp(`^(?:loss_)?${letter}(_\\w+)?(?:\\s*\\(generator loss\\))?$`, 'i').exec(name.trim());
  const pairs: Array<[Column, Column]> = [];
  for (const g of table.columns) {
    const gm = side(g.name, 'G');
    if (!gm) continue;
    const d = table.columns.find((c) => { const dm = side(c.name, 'D'); return dm !== null && (dm[1] ?? '') === (gm[1] ?? ''); });
    if (d) pairs.push([g, d]);
  }
  return pairs;
}

/** The column's points in this run, sorted by step; of two points at one step the later row wins. Undefined if none. */
export function curveOf(table: Table, column: Column, run: RunRows): Curve | undefined {
  if (!run.rows) return wholeTableCurve(table, column, run.steps);
  const present = column.present; // read once: a full column's mask is made when first read
  let count = 0;
  for (const r of run.rows) if (present[r]) count++;
  if (count === 0) return undefined;
  const steps = new Float64Array(count);
  const values = new Float64Array(count);
  const lines = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < run.rows.length; i++) {
    const r = run.rows[i];
    if (!present[r]) continue;
    // steps never decrease within a run, so a repeat can only be the point just written
    if (k > 0 && steps[k - 1] === run.steps[i]) k--;
    steps[k] = run.steps[i];
    values[k] = column.values[r];
    lines[k] = table.rowLine.at(r);
    k++;
  }
  return { name: column.name, steps: steps.subarray(0, k), values: values.subarray(0, k), lines: LineNumbers.of(lines.subarray(0, k)) };
}

/**
 * The column's points when the run is every row, each at a higher step: a column filled on every row
 * is the curve as it is (views, no copy: a 10-million-point log is not held twice); a sparse one
 * (validation every few hundred steps) is gathered.
 */
function wholeTableCurve(table: Table, column: Column, steps: Float64Array): Curve | undefined {
  const n = table.rows;
  if (column.count === 0) return undefined;
  if (column.count === n) {
    return { name: column.name, steps, values: column.values.subarray(0, n), lines: table.rowLine.subarray(0, n) };
  }
  if (column.cells) {
    // a plain loop: TypedArray.from with a function costs ~10× more a cell (10^5 validation points took 40 ms, now 8)
    const { rows, values } = column.cells;
    const cellSteps = new Float64Array(rows.length);
    const lines = new LineRuns();
    for (let k = 0; k < rows.length; k++) {
      cellSteps[k] = steps[rows[k]];
      lines.push(table.rowLine.at(rows[k]));
    }
    return { name: column.name, steps: cellSteps, values: values.slice(), lines: lines.view(rows.length) };
  }
  const curve = { name: column.name, steps: new Float64Array(column.count), values: new Float64Array(column.count) };
  const lines = new LineRuns();
  const present = column.present;
  for (let r = 0, k = 0; r < n; r++) {
    if (!present[r]) continue;
    curve.steps[k] = steps[r];
    curve.values[k++] = column.values[r];
    lines.push(table.rowLine.at(r));
  }
  return { ...curve, lines: lines.view(lines.length) };
}
