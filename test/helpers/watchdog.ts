// Runs CLI cases in-process (a worker thread) with a watchdog per case: a case that runs past its limit is stopped and reported, not waited on.

import { Worker } from 'node:worker_threads';
import type { CliReply } from './cli-worker.js';

const WORKER = new URL('./cli-worker.js', import.meta.url);

export type CaseResult = (CliReply & { timedOut?: false }) | { id: number; timedOut: true };

/**
 * Runs `cases` one after another in a worker; a case still running after `limitMs` (a hang, a
 * catastrophic regular expression) is cut off by ending the worker, and the next runs in a new one.
 */
export async function runGuarded(cases: string[][], limitMs: number, onResult: (result: CaseResult) => void): Promise<void> {
  let worker: Worker | undefined;
  for (let id = 0; id < cases.length; id++) {
    worker ??= await startWorker();
    const current = worker;
    const result = await new Promise<CaseResult>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (r: CaseResult) => {
        clearTimeout(timer);
        current.off('message', onMessage);
        current.off('error', onError);
        resolve(r);
      };
      const onMessage = (reply: CliReply) => { if (reply.id === id) done(reply); };
      const onError = (error: Error) => done({ id, code: -1, stdout: '', stderr: '', threw: error.stack ?? error.message });
      current.on('message', onMessage);
      current.on('error', onError);
      // the clock starts when the case is sent to a worker that has loaded the CLI
      timer = setTimeout(() => done({ id, timedOut: true }), limitMs);
      current.postMessage({ id, args: cases[id] });
    });
    if (result.timedOut || result.threw) {
      await worker.terminate();
      worker = undefined;
    }
    onResult(result);
  }
  await worker?.terminate();
}

/** A worker that has loaded the CLI (its module loading is not part of any case's time). */
function startWorker(): Promise<Worker> {
  const worker = new Worker(WORKER);
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

/** True when stderr holds a stack trace: a line of spaces then "at ". */
export function hasStackTrace(stderr: string): boolean {
  return stderr.split('\n').some((line) => line.trimStart().startsWith('at ') && line.startsWith(' '));
}
