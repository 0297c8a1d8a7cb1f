// diagnose PATH...: globs expanded here (quoted ones too, for Windows shells and CI), folders split into their runs, in a stable order.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FOLDER_FORMATS, FORMATS } from '../read/formats/index.js';
import { HEAD_BYTES, headOf } from '../read/index.js';
import { isFile, isFolder, listFolder, readHead } from '../read/engine/listing.js';
import { isMlflowRun } from '../read/formats/mlflow/run.js';
import { readRunMeta } from '../read/formats/mlflow/meta.js';
import { findEventFiles } from '../read/formats/tensorboard/directory.js';
import { UsageError } from './options.js';

/** One run to diagnose (a file, or a folder a folder format reads as one run), or an argument that names none. */
export interface RunInput {
  path: string;
  /** Why the argument gives no run (a glob matching nothing, a missing path); the run is then an error row. */
  problem?: string;
}

// a sweep is thousands of runs; past this many an argument is a dataset or a disk, and listing it is the mistake
export const MAX_RUNS = 100_000;
// sub-folders of a plain folder looked into for logs: sweep/lr_3e-4/seed_1/ is three levels; deeper is a tree, not a sweep
const MAX_DEPTH = 4;
// Sub-folder names that split one TensorBoard run by data split (as src/read/formats/tensorboard/directory.ts reads them)
const SPLIT_FOLDERS = new Set(['train', 'training', 'validation', 'valid', 'val', 'eval', 'evaluation', 'test', 'dev']);
const VERSION = /^version_[0-9]{1,9}$/; // Lightning's version_N folders (lightning.ts)
const CHECKPOINT = /^checkpoint-[0-9]+$/; // a Hugging Face checkpoint holds a copy of the run's trainer_state.json
const TRASH = '.trash'; // MLflow's deleted runs

/** Whether an argument is a pattern for losscurve to expand: it holds * or ? and names no existing path as typed. */
export function isGlob(arg: string): boolean {
  if (!/[*?]/.test(arg)) return false;
  try {
    statSync(arg);
    return false;
  } catch {
    return true;
  }
}

/** A glob segment as a regular expression: * and ? within one name, never matching a leading dot (as shells do). */
function segmentRegex(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^(?!\\.)${body}$`);
}

/** The paths a glob matches, sorted; `**` matches any number of folders (none included). */
export function expandGlob(pattern: string): string[] {
  const unified = process.platform === 'win32' ? pattern.replace(/\\/g, '/') : pattern;
  const absolute = unified.startsWith('/');
  const segments = unified.split('/').filter((s, i) => s !== '' || i === 0).filter((s) => s !== '');
  const found = new Set<string>();
  const walk = (base: string, rest: string[]) => {
    if (found.size > MAX_RUNS) return;
    if (rest.length === 0) { if (exists(base)) found.add(base); return; }
    const [head, ...tail] = rest;
    if (head === '**') {
      walk(base, tail);
      for (const name of namesIn(base)) if (!name.startsWith('.') && isFolder(join(base, name))) walk(join(base, name), rest);
      return;
    }
    if (!/[*?]/.test(head)) return walk(base === '' ? head : join(base, head), tail);
    const re = segmentRegex(head);
    for (const name of namesIn(base)) if (re.test(name)) walk(join(base, name), tail);
  };
  walk(absolute ? '/' : '', segments);
  return [...found].sort();
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir === '' ? '.' : dir).sort();
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The runs the arguments name, in argument order. A file is one run; a folder that a folder format reads as one
 * run is one run, read as `diagnose FOLDER` always read it; a folder of several runs (Lightning versions, MLflow
 * runs, TensorBoard run folders, several log files) gives each.
 */
export function runsOf(args: string[]): RunInput[] {
  const runs: RunInput[] = [];
  const add = (run: RunInput) => {
    runs.push(run);
    if (runs.length > MAX_RUNS) throw new UsageError(`the arguments name more than ${MAX_RUNS.toLocaleString('en-US')} runs; give fewer folders or a narrower glob`);
  };
  for (const arg of args) {
    if (arg === '-') { add({ path: arg }); continue; }
    const paths = isGlob(arg) ? expandGlob(arg) : [arg];
    if (paths.length === 0) { add({ path: arg, problem: 'matches no file; check the pattern (quote it so losscurve expands it)' }); continue; }
    for (const path of paths) for (const run of runsIn(path, 0)) add(run);
  }
  return runs;
}

/** The runs under one path: itself when it is a file, a missing path (the reader says why) or a single run. */
function runsIn(path: string, depth: number): RunInput[] {
  if (!isFolder(path)) return [{ path }];
  const format = FOLDER_FORMATS.find((f) => f.matches(path));
  if (format) {
    const split = format.id === 'lightning' ? lightningRuns(path) : format.id === 'mlflow' ? mlflowRuns(path) : tensorboardRuns(path);
    return split.length > 1 ? split.map((p) => ({ path: p })) : [{ path }];
  }
  const found = plainRuns(path, depth);
  // no log in it: the folder reader says so, as it always did
  return found.length > 0 ? found : [{ path }];
}

function lightningRuns(dir: string): string[] {
  if (isFile(join(dir, 'metrics.csv'))) return [dir];
  let versions = listFolder(dir).folders.filter((n) => VERSION.test(n));
  let base = dir;
  if (versions.length === 0) {
    base = join(dir, 'lightning_logs');
    versions = isFolder(base) ? listFolder(base).folders.filter((n) => VERSION.test(n)) : [];
  }
  // a version that logged nothing (crashed at start) is no run, as the folder reader passes over it
  return versions
    .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)))
    .map((n) => join(base, n))
    .filter((v) => isFile(join(v, 'metrics.csv')) || findEventFiles(v).length > 0);
}

function mlflowRuns(dir: string): string[] {
  if (isMlflowRun(dir)) return [dir];
  const runsIn = (folder: string) => listFolder(folder).folders
    .filter((n) => n !== TRASH)
    .map((n) => join(folder, n))
    .filter((p) => isMlflowRun(p) && readRunMeta(p).lifecycleStage !== 'deleted');
  const direct = runsIn(dir);
  if (direct.length > 0) return direct;
  return listFolder(dir).folders
    .filter((n) => n !== TRASH && isFile(join(dir, n, 'meta.yaml')))
    .flatMap((n) => runsIn(join(dir, n)));
}

function tensorboardRuns(dir: string): string[] {
  const files = findEventFiles(dir);
  const folders = [...new Set(files.map((f) => f.folder))];
  const runs = folders.filter((f) => f !== '' && !SPLIT_FOLDERS.has(f.toLowerCase()));
  if (folders.includes('') || runs.length < 2) return [dir];
  return runs.sort().map((f) => join(dir, f));
}

/** A folder no folder format claims: each file a format recognises by content is a run, and each sub-folder's runs. */
function plainRuns(dir: string, depth: number): RunInput[] {
  const { files, folders } = listFolder(dir);
  const logs = files.map((n) => join(dir, n)).filter(isLogFile);
  const runs: RunInput[] = logs.map((path) => ({ path }));
  if (depth >= MAX_DEPTH) return runs;
  for (const name of folders) {
    if (name.startsWith('.')) continue;
    // a Hugging Face run's checkpoints repeat its trainer_state.json: the run's own file is the one read
    if (CHECKPOINT.test(name) && logs.length > 0) continue;
    const sub = join(dir, name);
    if (FOLDER_FORMATS.some((f) => f.matches(sub))) runs.push(...runsIn(sub, depth + 1));
    else runs.push(...plainRuns(sub, depth + 1));
  }
  return runs;
}

/** Whether a file in a plain folder is a log: a format recognises its head (a gzip log is taken on its name). */
function isLogFile(path: string): boolean {
  if (/\.gz$/i.test(path)) return true;
  const bytes = readHead(path, HEAD_BYTES + 1);
  if (bytes.length === 0) return false;
  const head = headOf(bytes, bytes.length > HEAD_BYTES ? bytes.length + 1 : bytes.length, path);
  return FORMATS.some((f) => f.matches(head));
}
