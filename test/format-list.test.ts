// Every format defined under src/read/formats/ is in the one ordered list (formats/index.ts), once, and the engine knows no format.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FOLDER_FORMATS, FORMATS } from '../src/read/formats/index.js';
import { ROOT } from './helpers.js';

// the compiled modules beside this test's own compiled file (dist/test → dist/src)
const COMPILED_FORMATS = join(ROOT, 'dist', 'src', 'read', 'formats');
const ENGINE = join(ROOT, 'src', 'read', 'engine');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return name.endsWith(ext) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** An exported value shaped like a Format (a head's test) or a FolderFormat (a folder's test and what it looks for). */
const isFormat = (value: unknown): value is { id: string } =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
  && typeof (value as { matches?: unknown }).matches === 'function';

test('every format a file under read/formats/ exports is in FORMATS or FOLDER_FORMATS (an unlisted one is never tried)', async () => {
  const listed = new Set<unknown>([...FORMATS, ...FOLDER_FORMATS]);
  const found: string[] = [];
  const unlisted: string[] = [];
  for (const file of files(COMPILED_FORMATS, '.js')) {
    if (file === join(COMPILED_FORMATS, 'index.js')) continue;
    const module = await import(pathToFileURL(file).href) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (!isFormat(value)) continue;
      found.push(name);
      if (!listed.has(value)) unlisted.push(`${relative(COMPILED_FORMATS, file)}: ${name}`);
    }
  }
  assert.deepEqual(unlisted, []);
  // the check saw the formats it is about: one export per entry of the two lists
  assert.equal(found.length, listed.size);
});

test('the ordered lists hold each format once, and ids are unique within each list', () => {
  for (const list of [FORMATS, FOLDER_FORMATS] as ReadonlyArray<readonly { id: string }[]>) {
    assert.equal(new Set(list).size, list.length);
    const ids = list.map((f) => f.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  }
  // the most general format is tried last, after everything it could be mistaken for
  assert.equal(FORMATS.at(-1)?.id, 'text');
});

/** The relative modules a source imports for their values (an `import type` is erased: no module is loaded). */
function valueImportsOf(text: string): string[] {
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s*'(\.{1,2}\/[^']+)'/gm)].filter((m) => !m[1]).map((m) => m[2]);
}

test('read/engine/ loads no format module (a type of the CSV parser its fast path drives aside)', () => {
  // a check that sees nothing proves nothing: it sees a value import, across lines, and passes over a type import
  assert.deepEqual(valueImportsOf("import type { A } from '../formats/a.js';\nimport {\n  B,\n} from '../formats/b.js';\nexport { C } from './c.js';"), ['../formats/b.js', './c.js']);
  const imports: string[] = [];
  for (const file of files(ENGINE, '.ts')) {
    for (const spec of valueImportsOf(readFileSync(file, 'utf8'))) {
      const target = relative(join(ROOT, 'src', 'read'), join(dirname(file), spec));
      if (target.startsWith('formats')) imports.push(`${relative(ENGINE, file)} -> ${target}`);
    }
  }
  assert.deepEqual(imports, []);
});
