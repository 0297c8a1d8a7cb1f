// parallel/: results handed on in order with bounded jobs in flight and held back; the pool of worker threads, a dead worker replaced; a thread with the helper disabled does every task itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { disableHelper, runOnHelper } from '../src/parallel/helper.js';
import { orderedRuns } from '../src/parallel/ordered.js';
import { startPool, WorkerStopped } from '../src/parallel/pool.js';
import type { TestJob } from './helpers/pool-worker.js';

const WORKER = new URL('./helpers/pool-worker.js', import.meta.url);

/** A promise resolved from outside, so a test decides the order jobs end in. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('orderedRuns: results in index order, each as soon as it and all before it are done; at most `concurrency` running, never `window` ahead', async () => {
  const jobs = Array.from({ length: 8 }, () => deferred<string>());
  const started: number[] = [];
  const emitted: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const all = orderedRuns(8, 2, 3, (i) => {
    started.push(i);
    maxRunning = Math.max(maxRunning, ++running);
    return jobs[i].promise.finally(() => { running--; });
  }, (result, i) => {
    assert.equal(result, `r${i}`);
    emitted.push(i);
  });
  await tick();
  assert.deepEqual(started, [0, 1]);
  jobs[1].resolve('r1');
  await tick();
  // 1 is done but 0 is not: nothing handed on; 2 takes 1's place
  assert.deepEqual(emitted, []);
  assert.deepEqual(started, [0, 1, 2]);
  jobs[2].resolve('r2');
  await tick();
  // 3 would be window (3) ahead of 0, the first not handed on: it waits though a slot is free
  assert.deepEqual(started, [0, 1, 2]);
  jobs[0].resolve('r0');
  await tick();
  assert.deepEqual(emitted, [0, 1, 2]);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  jobs[3].resolve('r3');
  await tick();
  assert.deepEqual(emitted, [0, 1, 2, 3]);
  for (const i of [7, 6, 5, 4]) jobs[i].resolve(`r${i}`);
  await all;
  assert.deepEqual(emitted, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(maxRunning, 2);
});

test('orderedRuns: a job that rejects (or an emit that throws) rejects the whole; zero jobs resolve at once', async () => {
  await orderedRuns(0, 2, 4, () => Promise.reject(new Error('never run')), () => assert.fail('nothing to emit'));
  await assert.rejects(orderedRuns(3, 2, 4, (i) => (i === 1 ? Promise.reject(new Error('job 1')) : Promise.resolve(i)), () => {}), /job 1/);
  await assert.rejects(orderedRuns(3, 1, 4, (i) => Promise.resolve(i), (r) => { if (r === 1) throw new Error('emit 1'); }), /emit 1/);
});

// the timeout only ends a pool that would hang (a dead worker never replaced): no time is asserted
test('the pool: results by job, several workers at once; a thrown job is an error, a dead worker fails its job and is replaced', { timeout: 60_000 }, async () => {
  const pool = startPool(WORKER, 2)!;
  assert.ok(pool, 'a pool starts where worker threads run');
  try {
    const run = (job: TestJob) => pool.run(job);
    // the first job pauses: the second ends first, each still gets its own result
    const [slow, fast] = await Promise.all([run({ op: 'echo', value: 'slow', ms: 50 }), run({ op: 'echo', value: { n: 1, set: [1, 2] } })]);
    assert.equal(slow, 'slow');
    assert.deepEqual(fast, { n: 1, set: [1, 2] });
    await assert.rejects(run({ op: 'throw' }), (error: Error) => !(error instanceof WorkerStopped) && /thrown in the job/.test(error.message));
    await assert.rejects(run({ op: 'exit' }), (error: Error) => error instanceof WorkerStopped && /exited with code 3/.test(error.message));
    await assert.rejects(run({ op: 'uncaught' }), (error: Error) => error instanceof WorkerStopped && /thrown outside the job/.test(error.message));
    // both workers died once (exit, uncaught): their replacements take every job still to come
    const values = await Promise.all(Array.from({ length: 6 }, (_, i) => run({ op: 'echo', value: i, ms: i % 2 ? 5 : 0 })));
    assert.deepEqual(values, [0, 1, 2, 3, 4, 5]);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.run({ op: 'echo', value: 1 }), /closed/);
});

test('the pool: no script, no pool (the caller works alone)', () => {
  assert.equal(startPool(new URL('./helpers/no-such-worker.js', import.meta.url), 2), undefined);
});

test('a thread whose helper is disabled gets no helper: every task is done by the caller', () => {
  disableHelper();
  assert.equal(runOnHelper({ kind: 'quantile' }), undefined);
});
