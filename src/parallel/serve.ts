// The worker's side of helper.ts: takes one task at a time from the main thread, runs it by its registered runner, and says so in the shared control word.

import { parentPort, workerData } from 'node:worker_threads';
import { DONE, FAILED, PENDING, RUNNING } from './states.js';
import { runTask, type Task } from './tasks.js';

/** Serves tasks until the process ends; call it in the worker's entry once every runner is registered. */
export function serveTasks(): void {
  const control = new Int32Array(workerData.control as SharedArrayBuffer);
  parentPort!.on('message', (task: Task) => {
    // a task the main thread gave up waiting for stays undone: it is already doing it itself
    if (Atomics.compareExchange(control, 0, PENDING, RUNNING) !== PENDING) return;
    let state = DONE;
    try {
      runTask(task);
    } catch {
      state = FAILED;
    }
    Atomics.store(control, 0, state);
    Atomics.notify(control, 0);
  });
}
