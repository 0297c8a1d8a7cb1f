// A pool of worker threads for whole jobs (a sweep's runs): each worker takes one job at a time by message and posts its result back; one that dies is replaced and its job fails. Knows no task: the caller names the worker's script.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type WorkerType = import('node:worker_threads').Worker;

/** A job's worker stopped (it exited, or threw outside the job's handler) before posting the job's result. */
export class WorkerStopped extends Error {}

/** What a pool worker posts back for job `id` (pool-serve.ts sends it). */
export interface JobReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface Pool {
  /** How many workers it keeps (a dead one is replaced when there is a job for it). */
  readonly size: number;
  /** Runs one job on the first free worker (queued until one is free); rejects with WorkerStopped when its worker dies. */
  run(job: unknown): Promise<unknown>;
  /** Ends every worker; jobs still running are abandoned. */
  close(): Promise<void>;
}

interface Pending {
  id: number;
  job: unknown;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: WorkerType;
  job?: Pending;
}

/**
 * Starts `size` workers running `script` (an entry that calls serveJobs), each given `workerData`. Undefined when
 * workers cannot run here (no worker_threads, or no script: built without it): the caller then works alone.
 */
export function startPool(script: URL, size: number, workerData?: unknown): Pool | undefined {
  if (!existsSync(fileURLToPath(script))) return undefined;
  // loaded only for a sweep: worker_threads costs a single run start-up time
  let Worker: typeof import('node:worker_threads').Worker;
  try {
    ({ Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads'));
  } catch {
    return undefined;
  }
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(script, { workerData }) };
    let failure: string | undefined;
    slot.worker.on('message', (reply: JobReply) => {
      const pending = slot.job;
      if (!pending || pending.id !== reply.id) return;
      slot.job = undefined;
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(reply.error ?? 'the job failed'));
      dispatch();
    });
    slot.worker.on('error', (error) => { failure = error instanceof Error ? error.message : String(error); });
    slot.worker.on('exit', (code) => {
      const at = slots.indexOf(slot);
      if (at < 0) return; // ended by close()
      slots.splice(at, 1);
      const pending = slot.job;
      slot.job = undefined;
      pending?.reject(new WorkerStopped(failure ?? `the worker thread exited with code ${code}`));
      // replaced only when there is work for it: a script that cannot start fails each job once, never loops
      dispatch();
    });
    slots.push(slot);
    return slot;
  };

  const dispatch = () => {
    if (closed) return;
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.job);
      if (!slot && slots.length < size) slot = spawn();
      if (!slot) return;
      const pending = queue.shift()!;
      slot.job = pending;
      slot.worker.postMessage({ id: pending.id, job: pending.job });
    }
  };

  try {
    for (let i = 0; i < size; i++) spawn();
  } catch {
    for (const slot of slots.splice(0)) void slot.worker.terminate();
    return undefined;
  }

  return {
    size,
    run(job: unknown): Promise<unknown> {
      if (closed) return Promise.reject(new Error('the pool is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, job, resolve, reject });
        dispatch();
      });
    },
    async close(): Promise<void> {
      closed = true;
      const ending = slots.splice(0);
      for (const pending of queue.splice(0)) pending.reject(new Error('the pool was closed'));
      await Promise.all(ending.map((s) => s.worker.terminate()));
    },
  };
}
