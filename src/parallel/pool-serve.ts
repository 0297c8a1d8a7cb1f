// The worker's side of pool.ts: takes one job at a time by message, runs it by the handler its entry gives, and posts the result (or the error's message) back.

import { parentPort } from 'node:worker_threads';
import type { JobReply } from './pool.js';

/** Serves jobs until the pool ends this worker; call it in the worker's entry with the task's handler. */
export function serveJobs<J>(handle: (job: J) => unknown): void {
  const port = parentPort!;
  port.on('message', async ({ id, job }: { id: number; job: J }) => {
    let reply: JobReply;
    try {
      reply = { id, ok: true, result: await handle(job) };
      port.postMessage(reply);
      return;
    } catch (error) {
      // a handler that threw, or a result that cannot cross to the main thread (DataCloneError)
      reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}
