// No folder of src/ imports one above it: the pipeline's order, written once here and in docs/architecture.md, checked on every import.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');

/**
 * Bottom to top; a file may import its own layer and any below. The first part of a path under src/ names its
 * layer (a folder, or a file at the top: diagnose.ts sits with plan/, whose Plan it asks for).
 */
const LAYERS: readonly (readonly string[])[] = [
  // the base: shapes, statistics, formatting, the helper thread (which knows no task), what a column's name says
  // (readers ask it too: whether a column is a loss) and the rows' source lines (a Curve keeps the readers' LineNumbers)
  ['types', 'stats', 'format', 'parallel', 'column-names', 'line-numbers'],
  ['read'],
  ['normalise'],
  ['detect'],
  ['plan', 'diagnose', 'policy'],
  ['compare'], // two diagnosed runs → a Comparison: above diagnose (it reads Reports), below report (which draws it)
  ['report', 'explain'],
  ['watch'],
  ['index'], // the public API
  ['cli', 'worker'], // the entries: the command and the helper thread's script
];

/**
 * Imports known to go up, each with why it is not fixed yet; the test fails when one is no longer needed, so
 * the list only shrinks. Empty: keep it so, by moving what a lower layer needs down rather than listing it here.
 */
const KNOWN: ReadonlyMap<string, string> = new Map([]);

function layerOf(path: string): number {
  const top = path.split('/')[0].replace(/\.ts$/, '');
  const layer = LAYERS.findIndex((names) => names.includes(top));
  assert.ok(layer >= 0, `src/${path} is in no layer: add ${top} to LAYERS (and to docs/architecture.md)`);
  return layer;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative module a source names: import and export ... from, import type, and import('...'). */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
}

test('the layering check sees an import of a higher layer (a check that sees nothing proves nothing)', () => {
  assert.deepEqual(importsOf("import { x } from '../cli.js';\nexport type { Y } from './y.js';\nconst z = await import('../watch/z.js');"), ['../cli.js', './y.js', '../watch/z.js']);
  assert.ok(layerOf('read/csv.ts') < layerOf('detect/spike.ts'));
  assert.ok(layerOf('watch/session.ts') < layerOf('cli/options.ts'));
});

test('no file of src/ imports a layer above its own', () => {
  const upward: string[] = [];
  for (const file of sources(SRC)) {
    const from = relative(SRC, file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const to = relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      if (layerOf(to) > layerOf(from)) upward.push(`${from} -> ${to}`);
    }
  }
  const unknown = upward.filter((edge) => !KNOWN.has(edge));
  assert.deepEqual(unknown, [], `these imports go up: ${LAYERS.map((l) => l.join('/')).join(' < ')}`);
  const fixed = [...KNOWN.keys()].filter((edge) => !upward.includes(edge));
  assert.deepEqual(fixed, [], 'no longer needed: remove from KNOWN');
});
