// Splits a table's rows into training runs: steps that go back to the start begin a new run, steps that go back part way are a resume.

import type { Column, Table } from '../read/table.js';

export interface RunRows {
  /** True when the step column restarted every epoch and was counted on across epochs. */
  countedAcrossEpochs: boolean;
  /**
   * Table rows of this run, in file order, with rows a resume superseded removed; undefined when the
   * run is every row of the table in order, each at a step above the one before (the usual long log,
   * kept without a copy: `steps` is then the step column itself).
   */
  rows: Int32Array | undefined;
  /** How many rows the run has. */
  count: number;
  /** The step of each row (the row number, 1-based, when the log has no step column). */
  steps: Float64Array;
  /** Steps at which the job restarted from a checkpoint, with the line where it did. */
  resumes: Array<{ step: number; line: number }>;
  /** Lines of rows left out because they refer back to an earlier step and the log never goes on from there. */
  lookBacks?: number[];
}

/**
 * Walks the rows once. A row whose step is lower than the highest seen so far either starts a new
 * run (it is at or before the current run's first step: a fresh start, as when Keras appends runs)
 * or resumes the current one (a checkpoint restart: the rows it repeats are replaced by the later ones).
 * A resume goes on past the step it went back to; rows that go back and after which the log never does
 * ("Loaded checkpoint (epoch 20, ValLoss=1.05)", a best-epoch summary at the end) quote an earlier step and are left out.
 * A boundary the reader saw (a repeated header) only matters if the steps go back as well.
 */
export function splitRuns(table: Table, step: Column | undefined, epoch?: Column): RunRows[] {
  if (step && risesEveryRow(table, step)) {
    return [{ rows: undefined, count: table.rows, steps: step.values.subarray(0, table.rows), resumes: [], countedAcrossEpochs: false }];
  }
  const counted = step && epoch ? stepsAcrossEpochs(table, step, epoch) : undefined;
  if (counted) return splitRunsOn(table, counted, true);
  return splitRunsOn(table, step, false);
}

/**
 * A step column that starts over whenever the epoch column goes up counts batches within an epoch:
 * such a log is one run, and its steps are counted on across epochs (a reset continues one typical
 * interval after the last step). Undefined when the step column never resets, or resets elsewhere.
 */
function stepsAcrossEpochs(table: Table, step: Column, epoch: Column): Column | undefined {
  let resets = 0;
  let lastStep = NaN;
  let lastEpoch = NaN;
  const increments: number[] = [];
  const stepPresent = step.present; // read once: a full column's mask is made when first read
  const epochPresent = epoch.present;
  for (let r = 0; r < table.rows; r++) {
    if (!stepPresent[r] || !Number.isFinite(step.values[r])) continue;
    const s = step.values[r];
    const e = epochPresent[r] ? epoch.values[r] : lastEpoch;
    if (s < lastStep) {
      if (!(e > lastEpoch)) return undefined;
      resets++;
    } else if (s > lastStep) increments.push(s - lastStep);
    lastStep = s;
    if (Number.isFinite(e)) lastEpoch = e;
  }
  if (resets === 0) return undefined;
  increments.sort((a, b) => a - b);
  const interval = increments.length ? increments[increments.length >> 1] : 1;
  const values = new Float64Array(table.rows);
  let offset = 0;
  let previous = NaN;
  for (let r = 0; r < table.rows; r++) {
    if (!stepPresent[r]) continue;
    const s = step.values[r];
    if (s < previous) offset = previous + offset + interval - s;
    previous = s;
    values[r] = s + offset;
  }
  return { name: step.name, values, present: stepPresent, count: step.count };
}

function splitRunsOn(table: Table, step: Column | undefined, countedAcrossEpochs: boolean): RunRows[] {
  const runs: RunRows[] = [];
  let rows: number[] = [];
  let steps: number[] = [];
  let resumes: RunRows['resumes'] = [];
  let lookBacks: number[] = [];
  let first = NaN;
  let highest = -Infinity;
  let carried = NaN; // rows without a step (an lr row with an empty epoch) belong to the step logged last
  let rowNumber = 0;
  const present = step?.present; // read once: a full column's mask is made when first read

  const close = () => {
    if (rows.length > 0) runs.push({ rows: Int32Array.from(rows), count: rows.length, steps: Float64Array.from(steps), resumes, countedAcrossEpochs, ...(lookBacks.length ? { lookBacks } : {}) });
    rows = [];
    steps = [];
    resumes = [];
    lookBacks = [];
    first = NaN;
    highest = -Infinity;
  };

  for (let r = 0; r < table.rows; r++) {
    let s: number;
    if (!step) s = ++rowNumber;
    else if (present![r] && Number.isFinite(step.values[r])) s = carried = step.values[r];
    else if (Number.isFinite(carried)) s = carried;
    else continue; // nothing to place it at yet
    if (s < highest) {
      if (s <= first) close();
      else if (!goesPast(table, step, r, s)) { lookBacks.push(table.rowLine.at(r)); continue; }
      else {
        resumes.push({ step: s, line: table.rowLine.at(r) });
        while (steps.length > 0 && steps[steps.length - 1] >= s) { steps.pop(); rows.pop(); }
        highest = steps[steps.length - 1]; // steps within a run never decrease, so the last is the highest
      }
    }
    if (rows.length === 0) first = s;
    rows.push(r);
    steps.push(s);
    if (s > highest) highest = s;
  }
  close();
  return runs;
}

/** Whether some row after row r has a step above s (a scan that stops at the first: a resume's next row). */
function goesPast(table: Table, step: Column | undefined, r: number, s: number): boolean {
  if (!step) return true;
  for (let k = r + 1; k < table.rows; k++) if (step.present[k] && step.values[k] > s) return true;
  return false;
}

/** True when every row has a finite step above the row before's: one run, nothing resumed, nothing to reorder. */
function risesEveryRow(table: Table, step: Column): boolean {
  const n = table.rows;
  const values = step.values; // read once: column objects differ in shape, and a load per row costs 10 ns
  if (step.count !== n || n === 0) return false;
  let last = -Infinity;
  for (let r = 0; r < n; r++) {
    const s = values[r];
    if (!(s > last) || s === Infinity) return false; // NaN fails the comparison too
    last = s;
  }
  return true;
}
