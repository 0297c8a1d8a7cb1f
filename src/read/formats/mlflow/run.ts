// An MLflow run folder: meta.yaml beside metrics/, one metric file per key (keys with a slash are nested folders), merged by step.

import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { isFile, isFolder, listFolder } from '../../engine/listing.js';
import { LineSplitter } from '../../engine/lines.js';
import { readFileSource } from '../../engine/source.js';
import { StepMerger } from '../../engine/step-merge.js';
import { SkippedLines, type Table } from '../../table.js';
import { parseMetricLine, STEP_COLUMN } from './metric-file.js';

const METRICS_FOLDER = 'metrics';
const MAX_KEY_DEPTH = 8; // a metric key nests a folder per slash; deeper is no metric tree
const MAX_METRIC_FILES = 5_000; // a run logs tens of metrics; thousands are per-item stats not worth reading all

/** A run folder: it holds meta.yaml and a metrics/ folder. */
export function isMlflowRun(dir: string): boolean {
  return isFile(join(dir, 'meta.yaml')) && isFolder(join(dir, METRICS_FOLDER));
}

export function readMlflowRun(dir: string): Table {
  const root = join(dir, METRICS_FOLDER);
  const keys = metricKeys(root);
  const merger = new StepMerger();
  const notes: string[] = [];
  for (const key of keys) readMetric(join(root, ...key.split('/')), key, merger, notes);
  if (merger.columns.length === 0) {
    throw new InputError(`is an MLflow run with no metric values in ${METRICS_FOLDER}/; log the loss with mlflow.log_metric`, dir);
  }
  return merger.toTable('mlflow run', STEP_COLUMN, notes).table;
}

/** Every metric key under metrics/, as slash-joined relative paths, in name order. */
function metricKeys(root: string, prefix = '', depth = 0, keys: string[] = []): string[] {
  const listing = listFolder(prefix ? join(root, prefix) : root);
  for (const name of listing.files) if (keys.length < MAX_METRIC_FILES) keys.push(prefix ? `${prefix}/${name}` : name);
  if (depth < MAX_KEY_DEPTH) {
    for (const name of listing.folders) metricKeys(root, prefix ? `${prefix}/${name}` : name, depth + 1, keys);
  }
  return keys;
}

/** Adds one metric file's points; lines that are no metric line are counted in a note, never fatal. */
function readMetric(path: string, key: string, merger: StepMerger, notes: string[]): void {
  const column = key === STEP_COLUMN ? `${key} (metric)` : key;
  const skipped = new SkippedLines();
  let ordinal = 0;
  let unstepped = false;
  const splitter = new LineSplitter(
    (text, lineNo, terminated) => {
      if (text.trim() === '') return;
      const point = parseMetricLine(text);
      if (!point) {
        if (!terminated) notes.push(`${METRICS_FOLDER}/${key}: the last line (${lineNo}) is cut off, as in a run still logging; it was ignored`);
        else skipped.add(lineNo);
        return;
      }
      // files from before MLflow 1.0 have no step: their order is the step
      if (point.step === undefined) unstepped = true;
      merger.add(column, point.step ?? ordinal, point.value, 0);
      ordinal++;
    },
    (lineNo) => skipped.add(lineNo),
  );
  splitter.push(readFileSource(path).bytes);
  splitter.end();
  const damage = skipped.describe();
  if (damage) notes.push(`${METRICS_FOLDER}/${key}: ${damage}`);
  if (unstepped) notes.push(`${METRICS_FOLDER}/${key} has lines without a step (as MLflow before 1.0 wrote them); their order was taken as the step`);
}
