// What the worker is asked to do, and the single function that does it (run there, or here when tests call it directly).

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

export type Task = MediansTask | RowsTask;

export function runTask(task: Task): void {
  switch (task.kind) {
    case 'rows':
      readSharedRows(task);
      break;
    case 'medians':
      windowMedians(task.values, task.w, task.out, task.at);
      break;
  }
}
