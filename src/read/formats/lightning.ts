// PyTorch Lightning log folders: a version_N folder (CSVLogger's metrics.csv, or TensorBoardLogger's event files) or lightning_logs/ of them.

import { join } from 'node:path';
import { InputError } from '../errors.js';
import { isFile, isFolder, listFolder } from '../engine/listing.js';
import type { FolderFormat, ReadFile } from '../format.js';
import type { Table } from '../table.js';
import { findEventFiles, readTensorBoardFolder } from './tensorboard/directory.js';

const METRICS_FILE = 'metrics.csv';
const VERSION_PREFIX = 'version_';
const MAX_VERSION_DIGITS = 9; // version numbers count runs; more digits is no Lightning version

const LOGS_FOLDER = 'lightning_logs'; // where Trainer puts versions by default, under the folder the script ran in

export function isLightningFolder(dir: string): boolean {
  return isFile(join(dir, METRICS_FILE)) || versionsOf(dir).length > 0 || versionsOf(join(dir, LOGS_FOLDER)).length > 0;
}

export function readLightningFolder(dir: string, readFile: ReadFile): Table {
  if (isFile(join(dir, METRICS_FILE))) return readVersion(dir, readFile)!;
  if (versionsOf(dir).length === 0 && versionsOf(join(dir, LOGS_FOLDER)).length > 0) {
    const table = readLightningFolder(join(dir, LOGS_FOLDER), readFile);
    return { ...table, notes: [`read ${LOGS_FOLDER}/ inside it`, ...table.notes] };
  }
  const versions = versionsOf(dir);
  if (versions.length === 0) {
    throw new InputError(`holds no ${METRICS_FILE} and no ${VERSION_PREFIX}N folders; give a lightning_logs folder or one of its versions`, dir);
  }
  // the highest version is the latest run; one that logged nothing yet (crashed at start) is passed over
  const passed: string[] = [];
  for (const { name } of versions) {
    const table = readVersion(join(dir, name), readFile);
    if (!table) { passed.push(name); continue; }
    const empty = passed.length ? `; passed over ${passed.join(', ')}, which logged nothing` : '';
    const note = versions.length === 1
      ? `read the only version, ${name}`
      : `lightning_logs holds ${versions.length} versions; read the highest that logged, ${name}${empty}; give another version's folder to read it`;
    return { ...table, notes: [note, ...table.notes] };
  }
  throw new InputError(`holds ${versions.length} ${VERSION_PREFIX}N folders but none has a ${METRICS_FILE} or TensorBoard event files`, dir);
}

/** A version folder's log: metrics.csv if there is one, else its event files; undefined when it has neither. */
function readVersion(dir: string, readFile: ReadFile): Table | undefined {
  const csv = join(dir, METRICS_FILE);
  if (isFile(csv)) {
    const table = readFile(csv);
    return { ...table, format: `lightning ${METRICS_FILE}, ${table.format}` };
  }
  if (findEventFiles(dir).length > 0) return readTensorBoardFolder(dir);
  return undefined;
}

/** version_N sub-folders, highest N first. */
function versionsOf(dir: string): Array<{ name: string; n: number }> {
  const versions: Array<{ name: string; n: number }> = [];
  if (!isFolder(dir)) return versions;
  for (const name of listFolder(dir).folders) {
    const digits = name.slice(VERSION_PREFIX.length);
    if (!name.startsWith(VERSION_PREFIX) || digits.length === 0 || digits.length > MAX_VERSION_DIGITS) continue;
    if (!/^[0-9]+$/.test(digits)) continue;
    versions.push({ name, n: Number(digits) });
  }
  return versions.sort((a, b) => b.n - a.n);
}

export const lightning: FolderFormat = {
  id: 'lightning',
  lookedFor: 'a Lightning metrics.csv or lightning_logs/version_N folders',
  matches: isLightningFolder,
  read: readLightningFolder,
};
