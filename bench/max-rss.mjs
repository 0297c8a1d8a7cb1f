// Preloaded into a measured node process (--import): on exit, writes the process's peak RSS in KiB to the file named by LOSSCURVE_BENCH_RSS.

import { writeFileSync } from 'node:fs';

const target = process.env.LOSSCURVE_BENCH_RSS;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
