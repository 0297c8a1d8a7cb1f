// What the worker is asked to do, and the single function that does it (run there, or here when tests call it directly).

import { runPasses } from '../detect/profile-passes.js';
import { readSharedRows, type RowsTask } from '../read/shared-rows.js';
import { quantile } from '../stats/robust.js';
import { windowMedians } from '../stats/window-medians.js';

/** out[at + s] = median of values[s, s + w), as windowMedians: the rolling median's second half. */
export interface MediansTask {
  kind: 'medians';
  values: Float64Array;
  w: number;
  out: Float64Array;
  at: number;
}

/** The profile's passes after the level (profile-passes.ts): the helper's share of blocks and buckets, and the residual median. */
export interface PassesTask {
  kind: 'passes';
  values: Float64Array;
  level: Float64Array;
  floor: number;
  half: number;
  block: number;
  /** The helper's blocks are [blocks[0], blocks[1]) (their medians into localNoise), its buckets likewise. */
  blocks: [number, number];
  localNoise: Float64Array;
  bucketFrom: Int32Array;
  buckets: [number, number];
  bucketValues: Float64Array;
  residual: Float64Array;
}

/** result[0] = quantile q of values (robust.ts). */
export interface QuantileTask {
  kind: 'quantile';
  values: Float64Array;
  q: number;
  result: Float64Array;
}

export type Task = MediansTask | RowsTask | PassesTask | QuantileTask;

export function runTask(task: Task): void {
  switch (task.kind) {
    case 'rows':
      readSharedRows(task);
      break;
    case 'medians':
      windowMedians(task.values, task.w, task.out, task.at);
      break;
    case 'passes':
      runPasses(task);
      break;
    case 'quantile':
      task.result[0] = quantile(task.values, task.q);
      break;
  }
}
