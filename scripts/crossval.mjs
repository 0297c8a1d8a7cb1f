#!/usr/bin/env node
// Two-fold split of the labelled real logs (by repository, so one repo's files never sit on both sides) and the score of each fold.
//
// usage: node scripts/crossval.mjs [--verbose] [--fold A|B] [--cmd CMD]
// Reads ../shared/corpus/{real,real2}/MANIFEST.json (a developer's checkout; no test uses this), writes the
// two folds' manifests to a temp folder and runs ../shared/tools/score.mjs on each. The discipline it
// serves: change a detector while looking only at one fold's misses, then read the other fold's score.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const here = dirname(new URL(import.meta.url).pathname);
const shared = resolve(here, '..', '..', 'shared');
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const only = args.includes('--fold') ? args[args.indexOf('--fold') + 1] : undefined;
const cmdAt = args.indexOf('--cmd');

const labels = [];
for (const batch of ['real', 'real2']) {
  const dir = join(shared, 'corpus', batch);
  for (const lab of JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8'))) {
    labels.push({ ...lab, file: join(dir, lab.file), batch });
  }
}
// the fold of a repository: the first bit of its name's SHA-256, fixed for good, blind to what the files hold
const foldOf = (lab) => (createHash('sha256').update(lab.source?.repo ?? lab.file).digest()[0] & 1 ? 'B' : 'A');
const out = mkdtempSync(join(tmpdir(), 'losscurve-crossval-'));
const scorer = join(shared, 'tools', 'score.mjs');
const results = {};
for (const fold of ['A', 'B', 'all']) {
  if (only && fold !== only) continue;
  const part = fold === 'all' ? labels : labels.filter((l) => foldOf(l) === fold);
  const path = join(out, `${fold}.json`);
  writeFileSync(path, JSON.stringify(part, null, 1));
  const extra = cmdAt > 0 ? ['--cmd', args[cmdAt + 1]] : [];
  const r = spawnSync('node', [scorer, path, ...extra, ...(verbose ? ['--verbose'] : [])], { encoding: 'utf8', cwd: resolve(here, '..') });
  const lines = r.stdout.trim().split('\n');
  results[fold] = lines[lines.length - 1];
  console.log(`## fold ${fold}: ${part.length} files from ${new Set(part.map((l) => l.source?.repo)).size} repositories`);
  console.log(verbose ? r.stdout : lines.filter((l) => !l.startsWith('  ') || l.includes(':')).join('\n'));
}
for (const [fold, line] of Object.entries(results)) console.log(`${fold.padEnd(4)} ${line}`);
