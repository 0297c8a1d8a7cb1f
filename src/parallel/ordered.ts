// Jobs run several at a time, their results handed on in index order, each as soon as it and every one before it are done; the jobs in flight and the results held back are both bounded.

/**
 * Runs `run(i)` for i = 0 … count-1, at most `concurrency` at once and never `window` or more ahead of the first
 * result not yet handed on, and calls `emit(result, i)` in index order. So at most `concurrency` jobs run and at
 * most `window` - 1 finished results wait for a slower one before them. Rejects when a job or `emit` throws.
 */
export function orderedRuns<R>(count: number, concurrency: number, window: number, run: (i: number) => Promise<R>, emit: (result: R, i: number) => void): Promise<void> {
  const limit = Math.max(1, concurrency);
  const ahead = Math.max(limit, window);
  return new Promise((resolve, reject) => {
    const done = new Map<number, R>();
    let started = 0;
    let emitted = 0;
    let running = 0;
    let failed = false;
    const pump = () => {
      if (failed) return;
      try {
        while (done.has(emitted)) {
          const result = done.get(emitted)!;
          done.delete(emitted);
          emit(result, emitted++);
        }
      } catch (error) {
        failed = true;
        return reject(error);
      }
      if (emitted === count) return resolve();
      while (running < limit && started < count && started < emitted + ahead) {
        const i = started++;
        running++;
        new Promise<R>((done) => done(run(i))).then((result) => {
          running--;
          done.set(i, result);
          pump();
        }, (error) => {
          failed = true;
          reject(error);
        });
      }
    };
    pump();
  });
}
