// What the worker is asked to do, and the single function that does it (run there, or here when tests call it directly).

import { blockResidualMedians, medianResidual } from '../detect/noise.js';
import { readSharedRows, type RowsTask } from '../read/shared-rows.js';
import { windowMedians } from '../stats/window-medians.js';

/** out[at + s] = median of values[s, s + w), as windowMedians: the rolling median's second half. */
export interface MediansTask {
  kind: 'medians';
  values: Float64Array;
  w: number;
  out: Float64Array;
  at: number;
}

/** The profile's residual median (into residual[0]) and the block medians of blocks [from, to) (into localNoise). */
export interface NoiseTask {
  kind: 'noise';
  values: Float64Array;
  level: Float64Array;
  floor: number;
  half: number;
  block: number;
  from: number;
  to: number;
  localNoise: Float64Array;
  residual: Float64Array;
}

export type Task = MediansTask | RowsTask | NoiseTask;

export function runTask(task: Task): void {
  switch (task.kind) {
    case 'rows':
      readSharedRows(task);
      break;
    case 'medians':
      windowMedians(task.values, task.w, task.out, task.at);
      break;
    case 'noise':
      task.residual[0] = medianResidual(task.values, task.level, task.floor, task.half);
      blockResidualMedians(task.values, task.level, task.floor, task.half, task.block, task.from, task.to, task.localNoise);
      break;
  }
}
