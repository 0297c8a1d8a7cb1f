// A TensorBoard run folder: every event file in it and one folder down (Keras writes train/ and validation/), merged by step.

import { basename, join } from 'node:path';
import { InputError } from '../../errors.js';
import { isFolder, listFolder, readHead } from '../../engine/listing.js';
import { readFileSource } from '../../engine/source.js';
import { StepMerger } from '../../engine/step-merge.js';
import { TableBuilder, type Table } from '../../table.js';
import { decodeEvent } from './event.js';
import { damageNotes, noScalarsMessage, scanEventFile, STEP_COLUMN, type EventFileScan } from './event-file.js';
import { ProtobufError } from './protobuf.js';
import { forEachRecord, startsWithTfRecord } from './tfrecord.js';

// The first record (the file-version header, a few dozen bytes) holds the wall time the writer started at.
const PEEK_BYTES = 4096;
// Sub-folder names that split one run by data split rather than holding separate runs.
const SPLIT_FOLDERS = new Set(['train', 'training', 'validation', 'valid', 'val', 'eval', 'evaluation', 'test', 'dev']);

interface EventFile {
  /** Sub-folder it sits in, '' for the folder itself. */
  folder: string;
  path: string;
  /** Wall time of its first event, seconds; NaN when unknown. */
  started: number;
}

/** Event files in the folder and its immediate sub-folders, recognised by their TFRecord header, not their names. */
export function findEventFiles(dir: string): EventFile[] {
  const found: EventFile[] = [];
  const look = (folder: string) => {
    const path = folder ? join(dir, folder) : dir;
    for (const name of listFolder(path).files) {
      const file = join(path, name);
      const head = readHead(file, PEEK_BYTES);
      if (startsWithTfRecord(head)) found.push({ folder, path: file, started: firstWallTime(head) });
    }
  };
  look('');
  for (const folder of listFolder(dir).folders) if (isFolder(join(dir, folder))) look(folder);
  return found;
}

export function readTensorBoardFolder(dir: string): Table {
  const found = findEventFiles(dir);
  if (found.length === 0) {
    throw new InputError('holds no TensorBoard event files (looked in it and one folder down); give the folder the SummaryWriter wrote to', dir);
  }
  const notes: string[] = [];
  // oldest first, so a restarted run's later file wins a step both logged
  const files = pickRun(found, notes).sort((a, b) => (a.started - b.started) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const folders = [...new Set(files.map((f) => f.folder))];
  const prefixed = folders.length > 1 || folders.some((f) => SPLIT_FOLDERS.has(f.toLowerCase()));
  const merger = new StepMerger();
  const scans: Array<{ file: EventFile; scan: EventFileScan }> = [];
  files.forEach((file, origin) => {
    const prefix = prefixed && file.folder ? `${file.folder}/` : '';
    const scan = scanEventFile(readFileSource(file.path).bytes, (event) => {
      for (const { tag, value } of event.scalars) merger.add(prefix + tag, event.step, value, origin);
    });
    scans.push({ file, scan });
    notes.push(...damageNotes(scan, shortName(file)));
  });
  const read = scans.filter((s) => s.scan.scalarEvents > 0);
  if (read.length === 0) {
    // event files with no valid event are no TensorBoard run; valid ones without scalars are a run that logged none
    if (scans.every((s) => s.scan.events === 0)) throw new InputError(noScalarsAnywhere(scans), dir);
    const empty = new TableBuilder();
    empty.notes.push(...notes, `${scans.length === 1 ? '' : 'the folder '}${noScalarsAnywhere(scans)}`);
    return empty.finish(`tensorboard (${scans.length} event file${scans.length === 1 ? '' : 's'}, no scalars)`);
  }

  const readFolders = [...new Set(read.map((s) => s.file.folder))];
  const where = readFolders.some(Boolean) ? ` in ${readFolders.map((f) => (f ? `${f}/` : './')).join(', ')}` : '';
  const format = `tensorboard (${read.length} event file${read.length === 1 ? '' : 's'}${where})`;
  const { table, replaced } = merger.toTable(format, STEP_COLUMN, notes);
  if (replaced > 0) {
    const points = replaced === 1 ? '1 point was' : `${replaced} points were`;
    table.notes.push(`${points} logged at the same step by two event files with different values (a restarted run?); the later file's values were kept`);
  }
  return table;
}

/** The wall time of the first event in the head of a file, NaN if it holds none whole. */
function firstWallTime(head: Uint8Array): number {
  let wallTime = NaN;
  forEachRecord(head, (from, to) => {
    if (!Number.isNaN(wallTime)) return;
    try {
      wallTime = decodeEvent(head, from, to).wallTime;
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
    }
  });
  return wallTime;
}

/**
 * Sibling sub-folders named like data splits (train/, validation/) are one run. Sibling sub-folders
 * with other names (runs/Mar24_..., runs/Mar25_...) are separate runs: the one started last is read.
 */
function pickRun(files: EventFile[], notes: string[]): EventFile[] {
  const folders = [...new Set(files.map((f) => f.folder))];
  const runs = folders.filter((f) => f !== '' && !SPLIT_FOLDERS.has(f.toLowerCase()));
  if (folders.includes('') || runs.length < 2) return files;
  const started = (folder: string) => Math.max(...files.filter((f) => f.folder === folder).map((f) => f.started || 0));
  const latest = runs.reduce((a, b) => (started(b) > started(a) ? b : a));
  notes.push(`the folder holds ${runs.length} runs (${runs.join(', ')}); read the one started last, ${latest}; give another run's folder to read it`);
  return files.filter((f) => f.folder === latest);
}

function noScalarsAnywhere(scans: Array<{ file: EventFile; scan: EventFileScan }>): string {
  if (scans.length === 1) return `${shortName(scans[0].file)}: ${noScalarsMessage(scans[0].scan, true)}`;
  const headersOnly = scans.every((s) => s.scan.events <= 1);
  const what = headersOnly ? 'only file headers' : 'no scalar summaries';
  return `holds ${scans.length} TensorBoard event files with ${what} in any of them; the run logged no scalars (log the loss with add_scalar or tf.summary.scalar)`;
}

/** The file as a note names it: its sub-folder and name. */
function shortName(file: EventFile): string {
  const name = basename(file.path);
  return file.folder ? `${file.folder}/${name}` : name;
}
