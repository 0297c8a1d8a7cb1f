// MLflow folders above a run: an experiment (runs inside) or a whole mlruns store (experiments inside); the latest run is read.

import { basename, join, relative } from 'node:path';
import { InputError } from '../../errors.js';
import { isFile, listFolder } from '../../engine/listing.js';
import type { Table } from '../../table.js';
import { lastActive, readRunMeta, type RunMeta } from './meta.js';
import { isMlflowRun, readMlflowRun } from './run.js';

const TRASH_FOLDER = '.trash'; // where MLflow moves deleted runs and experiments
const DELETED = 'deleted';

interface FoundRun {
  path: string;
  meta: RunMeta;
}

/** True when the folder is a run, an experiment holding runs, or a store holding experiments of runs. */
export function isMlflowFolder(dir: string): boolean {
  return isMlflowRun(dir) || findRuns(dir).length > 0;
}

export function readMlflowFolder(dir: string): Table {
  if (isMlflowRun(dir)) return readMlflowRun(dir);
  const runs = findRuns(dir).filter((r) => r.meta.lifecycleStage !== DELETED);
  if (runs.length === 0) {
    throw new InputError('holds no MLflow run (looked for folders with meta.yaml and metrics/, one or two levels down); give a run folder', dir);
  }
  const latest = runs.reduce((a, b) => (lastActive(b.meta) > lastActive(a.meta) ? b : a));
  const table = readMlflowRun(latest.path);
  const label = `${relative(dir, latest.path) || basename(latest.path)}${latest.meta.runName ? ` ("${latest.meta.runName}")` : ''}`;
  const note = runs.length === 1
    ? `read the only MLflow run here, ${label}`
    : `the folder holds ${runs.length} MLflow runs; read the latest, ${label}, by its ${timeSource(latest.meta)}; give a run's folder to read another`;
  return { ...table, notes: [note, ...table.notes] };
}

/** Runs one level down (an experiment) or two (a store: experiments, each with a meta.yaml, holding runs). */
function findRuns(dir: string): FoundRun[] {
  const found: FoundRun[] = [];
  const runsIn = (folder: string) => {
    for (const name of listFolder(folder).folders) {
      const path = join(folder, name);
      if (name !== TRASH_FOLDER && isMlflowRun(path)) found.push({ path, meta: readRunMeta(path) });
    }
  };
  runsIn(dir);
  if (found.length > 0) return found;
  for (const name of listFolder(dir).folders) {
    const experiment = join(dir, name);
    if (name !== TRASH_FOLDER && isFile(join(experiment, 'meta.yaml'))) runsIn(experiment);
  }
  return found;
}

function timeSource(meta: RunMeta): string {
  if (meta.endTime !== undefined) return `end_time (${new Date(lastActive(meta)).toISOString()})`;
  if (meta.startTime !== undefined) return `start_time (${new Date(meta.startTime).toISOString()})`;
  return 'meta.yaml modification time';
}
