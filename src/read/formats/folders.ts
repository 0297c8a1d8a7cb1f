// The folder formats, tried in order: Lightning (metrics.csv or version_N), MLflow (run, experiment, store), TensorBoard (event files).

import { InputError } from '../errors.js';
import { isLightningFolder, readLightningFolder } from './lightning.js';
import { MAX_ENTRIES, takeCutFolders } from '../engine/listing.js';
import { isMlflowFolder, readMlflowFolder } from './mlflow/store.js';
import { withFormatMarks } from './index.js';
import type { Table } from '../table.js';
import { findEventFiles, readTensorBoardFolder } from './tensorboard/directory.js';

/** Reads a file by content, as `diagnose FILE` would. */
export type ReadFile = (path: string) => Table;

export interface FolderFormat {
  /** The name --input-format takes. */
  id: string;
  /** What it looks for, for the error when nothing is found. */
  lookedFor: string;
  matches(dir: string): boolean;
  read(dir: string, readFile: ReadFile): Table;
  /** See Format.trainerLog. */
  trainerLog?: true;
}

// Order matters: lightning_logs/version_N folders hold event files one level down, which TensorBoard would also claim.
export const FOLDER_FORMATS: readonly FolderFormat[] = [
  {
    id: 'lightning',
    lookedFor: 'a Lightning metrics.csv or lightning_logs/version_N folders',
    matches: isLightningFolder,
    read: readLightningFolder,
  },
  {
    id: 'mlflow',
    lookedFor: 'an MLflow run (meta.yaml and metrics/), experiment or mlruns store',
    matches: isMlflowFolder,
    read: (dir) => readMlflowFolder(dir),
    trainerLog: true,
  },
  {
    id: 'tensorboard',
    lookedFor: 'TensorBoard event files in it or one folder down',
    matches: (dir) => findEventFiles(dir).length > 0,
    read: (dir) => readTensorBoardFolder(dir),
    trainerLog: true,
  },
];

/** Reads a folder by the named format, or by the first that recognises it; a listing cut at MAX_ENTRIES is noted, or named in the error. */
export function readFolder(dir: string, formatId: string | undefined, readFile: ReadFile): Table {
  takeCutFolders();
  let table: Table;
  try {
    table = readFolderAs(dir, formatId, readFile);
  } catch (error) {
    const cut = cutNote();
    if (error instanceof InputError && cut) throw new InputError(`${error.message} (${cut})`, error.file, error.line);
    throw error;
  }
  const cut = cutNote();
  return cut ? { ...table, notes: [...table.notes, cut] } : table;
}

/** What was left unlisted, as one note; undefined when every folder was listed whole. */
function cutNote(): string | undefined {
  const cut = takeCutFolders();
  if (cut.length === 0) return undefined;
  const [path, entries] = cut[0];
  const more = cut.length > 1 ? ` and ${cut.length - 1} more folder${cut.length > 2 ? 's' : ''}` : '';
  return `only the first ${MAX_ENTRIES} of the ${entries} entries of ${path}${more} were looked at (by name); give the run's own folder`;
}

function readFolderAs(dir: string, formatId: string | undefined, readFile: ReadFile): Table {
  if (formatId !== undefined) {
    const format = FOLDER_FORMATS.find((f) => f.id === formatId);
    if (!format) {
      const ids = FOLDER_FORMATS.map((f) => f.id).join(', ');
      throw new InputError(`is a directory; --input-format ${formatId} reads a file (folders are read as ${ids}); give the log file inside it`, dir);
    }
    return withFormatMarks(format.read(dir, readFile), format);
  }
  const format = FOLDER_FORMATS.find((f) => f.matches(dir));
  if (!format) {
    const looked = FOLDER_FORMATS.map((f) => f.lookedFor).join('; ');
    throw new InputError(`is a directory holding no log losscurve reads (looked for ${looked}); give a log file or one of these folders`, dir);
  }
  return withFormatMarks(format.read(dir, readFile), format);
}
