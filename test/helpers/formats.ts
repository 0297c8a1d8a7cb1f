// Shared by the file-format tests: fixture paths, temporary folders, and a table column as (step, value) points.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from '../../src/read/table.js';

/** fixtures/formats/<path> in the repository (tests run from dist/test/). */
export function fixture(path: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'formats', path);
}

/** A fresh temporary folder; the caller removes it with `cleanup`. */
export function tempFolder(): { path: string; write(relative: string, bytes: Buffer | string): string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'losscurve-formats-'));
  return {
    path,
    write(relative, bytes) {
      const target = join(path, relative);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
      return target;
    },
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** The rows where `name` is present, as [step, value] pairs (step from the `step` column, NaN where it has none). */
export function points(table: Table, name: string, stepName = 'step'): Array<[number, number]> {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`no column ${name} in ${table.columns.map((c) => c.name).join(', ')}`);
  const step = table.columns.find((c) => c.name === stepName);
  const out: Array<[number, number]> = [];
  for (let r = 0; r < table.rows; r++) {
    if (column.present[r]) out.push([step && step.present[r] ? step.values[r] : NaN, column.values[r]]);
  }
  return out;
}

export function columnNames(table: Table): string[] {
  return table.columns.filter((c) => c.count > 0).map((c) => c.name);
}
