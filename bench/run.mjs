// npm run bench: runs every bench/*.bench.mjs in turn; each generates its own logs and prints its own markdown tables.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort();
let failed = 0;
for (const bench of benches) {
  process.stderr.write(`# ${bench}\n`);
  const run = spawnSync(process.execPath, [join(here, bench)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
  process.stdout.write('\n');
}
process.exitCode = failed ? 1 : 0;
