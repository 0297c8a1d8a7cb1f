// Shared test helpers: paths into the repository and an in-process diagnosis of a file.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnose, type Report } from '../src/diagnose.js';
import { readFileSource, readTable } from '../src/read/index.js';

/** The repository root (tests run from dist/test/). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');

export function diagnoseFile(path: string, vocab = 50257): Report {
  const source = readFileSource(path);
  return diagnose(readTable(source), source.name, { vocab });
}
