// Shared by the format tests: loads fixtures/formats/<format>/ files and reads and normalises them as the CLI does.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalise, type Normalised } from '../src/normalise/index.js';
import { readTable, type Table } from '../src/read/index.js';
import type { Curve } from '../src/types.js';

/** The repository root, from dist/test/ where the compiled tests run. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function fixtureText(path: string): string {
  return readFileSync(`${ROOT}fixtures/formats/${path}`, 'utf8');
}

/** Reads text as a log, by content (or by the named --input-format), the way `losscurve diagnose` does. */
export function readText(text: string, formatId?: string, name = 'test-input'): Table {
  return readTable({ name, bytes: Buffer.from(text, 'utf8') }, formatId);
}

export function readFixture(path: string, formatId?: string): Table {
  return readText(fixtureText(path), formatId, path);
}

export function normalised(table: Table, overrides = {}): Normalised {
  return normalise(table, overrides, 'test-input');
}

export const stepsOf = (curve: Curve | undefined): number[] => (curve ? [...curve.steps] : []);
export const valuesOf = (curve: Curve | undefined): number[] => (curve ? [...curve.values] : []);
export const columnNames = (table: Table): string[] => table.columns.map((c) => c.name);
