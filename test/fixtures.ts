// Reads the text-log fixtures (written by us in each trainer's shape) the way diagnose reads a file.
import { readFileSync } from 'node:fs';
import { readTable } from '../src/read/index.js';
import type { Table } from '../src/read/table.js';

export const STDOUT_FIXTURES = new URL('../../fixtures/formats/stdout/', import.meta.url);

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, STDOUT_FIXTURES));
}

export function readFixture(name: string): Table {
  return readTable({ name, bytes: fixtureBytes(name) });
}
