// Listing a folder for the directory formats: files and sub-folders by name, symlinks followed, every failure one InputError.

import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export interface Listing {
  files: string[];
  folders: string[];
}

// a log folder holds a handful of entries; past this many it is a dataset or a home directory, not a run
export const MAX_ENTRIES = 20_000;

/** Folders listed only in part since the last takeCutFolders(): each with how many entries it held. */
const cutFolders = new Map<string, number>();

/** The folders cut at MAX_ENTRIES since the last call, for readFolder to say so; and forgets them. */
export function takeCutFolders(): Array<[string, number]> {
  const cut = [...cutFolders];
  cutFolders.clear();
  return cut;
}

/** The folder's files and sub-folders, each sorted by name. Entries that cannot be inspected are left out. */
export function listFolder(path: string): Listing {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied; make it readable' : `cannot be listed (${code ?? (error as Error).message})`;
    throw new InputError(why, path);
  }
  names.sort();
  if (names.length > MAX_ENTRIES) {
    cutFolders.set(path, names.length);
    names = names.slice(0, MAX_ENTRIES);
  }
  const listing: Listing = { files: [], folders: [] };
  for (const name of names) {
    try {
      const stat = statSync(join(path, name));
      if (stat.isDirectory()) listing.folders.push(name);
      else if (stat.isFile()) listing.files.push(name);
    } catch {
      // a dangling symlink or an entry removed while listing: nothing to read there
    }
  }
  return listing;
}

/** True when `path` is a folder (following symlinks); false when it is anything else or missing. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first `n` bytes of a file (fewer if it is shorter; none if it cannot be read): enough to recognise a format. */
export function readHead(path: string, n: number): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(n);
    const got = readSync(fd, buffer, 0, n, 0);
    return buffer.subarray(0, got);
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
