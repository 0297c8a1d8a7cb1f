// A sweep's worker thread (started by cli/sweep.ts through parallel/pool.ts): reads and diagnoses one run per job, as the main thread would, and posts back its entry.

import { workerData } from 'node:worker_threads';
import { disableHelper } from '../parallel/helper.js';
import { serveJobs } from '../parallel/pool-serve.js';
import { readFileSource } from '../read/index.js';
import { diagnoseRun, type SweepJob } from './sweep.js';

// Tests only (test/sweep-jobs.test.ts): a run whose path ends with this variable's value ends its worker
// mid-run, as a crash would, so that the replacement of a dead worker is tested; unset, it does nothing
const CRASH_HOOK = 'LOSSCURVE_TEST_WORKER_EXIT';
const CRASH_EXIT_CODE = 70; // EX_SOFTWARE: any code other than 0 will do

if (workerData?.helper === false) disableHelper();
const crashOn = process.env[CRASH_HOOK];

serveJobs<SweepJob>((job) => {
  if (crashOn && job.run.path.endsWith(crashOn)) process.exit(CRASH_EXIT_CODE);
  return diagnoseRun(job.run, readFileSource, job.inputFormat, job.options);
});
