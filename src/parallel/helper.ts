// A second thread for the long loops of a big log: one worker over shared memory, started on first use, one task at a time; every caller keeps its single-threaded way for when there is none.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CANCELLED, DONE, FAILED, PENDING, RUNNING } from './states.js';
import type { Task } from './tasks.js';

// the worker's entry (src/worker.ts, which registers the tasks): dist/src/worker.js above this module as tsc
// compiles it, or dist/bundle/worker.js beside a bundle (where import.meta.url is the bundle's)
const WORKER_FILE = new URL(import.meta.url.endsWith('/parallel/helper.js') ? '../worker.js' : './worker.js', import.meta.url);
// a worker starts in tens of milliseconds; one that has not taken its task in this long is not coming
const START_TIMEOUT_MS = 5000;

type WorkerType = import('node:worker_threads').Worker;

let worker: WorkerType | null | undefined; // null once it proved unavailable
let control: Int32Array;
let busy = false;

/** Starts the worker unless it is running or proved unavailable; false when there is none. */
function ready(): boolean {
  if (worker !== undefined) return worker !== null;
  worker = null;
  // loaded only for a big log: worker_threads costs every small run start-up time
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  if (typeof SharedArrayBuffer !== 'function' || !existsSync(fileURLToPath(WORKER_FILE))) return false;
  control = new Int32Array(new SharedArrayBuffer(4));
  try {
    const started = new Worker(WORKER_FILE, { workerData: { control: control.buffer } });
    // an idle worker must not keep the process alive, and its failure is a reason to work alone, not to crash
    started.unref();
    started.on('error', () => { if (worker === started) worker = null; });
    worker = started;
  } catch {
    return false;
  }
  return true;
}

/**
 * From now on this thread has no helper: every task is done single-threaded (the same numbers). A sweep's
 * worker calls it when the sweep's workers already fill the cores, so that a big log adds no thread.
 */
export function disableHelper(): void {
  if (worker === undefined) worker = null;
}

/** Starts the worker now, for a task coming soon: its start (tens of ms) then overlaps this thread's work. */
export function warmHelper(): void {
  ready();
}

/** A task given to the worker; `wait` blocks until it is done. */
export interface Running {
  /** True when the worker did the task; false when it failed or never started it (the caller then does it). */
  wait(): boolean;
}

/**
 * Gives the worker a task (its outputs go to shared memory the task names). Undefined when there is no
 * worker or it is busy: the caller does the work itself. Every task given must be waited for.
 */
export function runOnHelper(task: Task): Running | undefined {
  if (busy || !ready()) return undefined;
  busy = true;
  Atomics.store(control, 0, PENDING);
  worker!.postMessage(task);
  return {
    wait(): boolean {
      const started = performance.now();
      for (;;) {
        const state = Atomics.load(control, 0);
        if (state === DONE || state === FAILED) {
          busy = false;
          return state === DONE;
        }
        if (state === RUNNING) {
          Atomics.wait(control, 0, RUNNING);
          continue;
        }
        const left = START_TIMEOUT_MS - (performance.now() - started);
        if (left > 0) {
          Atomics.wait(control, 0, PENDING, left);
          continue;
        }
        // not started in time: cancel it (unless it starts this instant) and do without the worker from now on
        if (Atomics.compareExchange(control, 0, PENDING, CANCELLED) === PENDING) {
          worker = null;
          busy = false;
          return false;
        }
      }
    },
  };
}

/** True once the worker was started (a big log): the process then ends as settleBeforeExit says. */
export function helperStarted(): boolean {
  return worker !== undefined;
}

// Long enough for V8's background compile jobs still running to finish (they take a few ms), with this
// thread free to do a garbage collection one of them asks for: measured, 0 hangs in 300 runs of a 10^6-row
// JSONL log with 10 ms, about 1 in 130 without
const SETTLE_MS = 15;

/**
 * After a big log, lets the event loop idle a moment before the process ends. Node 20 can deadlock at exit
 * when a background compile job waits for a garbage collection that only this thread could do while this
 * thread waits for the job (nodejs/node#54918); big logs, with their hundreds of MB of arrays, made it
 * happen about once in a hundred runs. A small log never started the worker and pays nothing.
 */
export function settleBeforeExit(): Promise<void> {
  return helperStarted() ? new Promise((resolve) => setTimeout(resolve, SETTLE_MS)) : Promise.resolve();
}

/** Shared memory for `length` doubles: a worker can fill it while this thread reads other parts. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

/** True when a worker could read or write the array in place. */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
}
