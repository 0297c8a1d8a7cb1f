// A pool worker for test/pool.test.ts: echoes a value (after a pause, so jobs end out of order), throws, exits, or throws outside its job, as asked.

import { parentPort } from 'node:worker_threads';
import { serveJobs } from '../../src/parallel/pool-serve.js';

export type TestJob =
  | { op: 'echo'; value: unknown; ms?: number }
  | { op: 'throw' }
  | { op: 'exit' }
  | { op: 'uncaught' };

// node --test runs every file of dist/test, this one too, outside a worker: then it serves nothing
if (parentPort) serveJobs<TestJob>(async (job) => {
  if (job.op === 'throw') throw new Error('thrown in the job');
  if (job.op === 'exit') process.exit(3);
  if (job.op === 'uncaught') {
    setTimeout(() => { throw new Error('thrown outside the job'); }, 0);
    return new Promise(() => {});
  }
  if (job.ms) await new Promise((resolve) => setTimeout(resolve, job.ms));
  return job.value;
});
