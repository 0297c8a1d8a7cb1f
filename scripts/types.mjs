// Copies the declarations the library's types need (src/index.d.ts and what it imports, about 17 files) into dist/types: the package ships those, not tsc's whole output.

import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const FROM = 'dist/src';
const TO = 'dist/types';
const ENTRY = 'index.d.ts';

rmSync(TO, { recursive: true, force: true });
const seen = new Set();
const todo = [resolve(FROM, ENTRY)];
while (todo.length > 0) {
  const file = todo.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  // tsc writes relative imports of declarations as './x.js' (import statements and import('./x.js') types)
  for (const match of readFileSync(file, 'utf8').matchAll(/(?:from\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
    todo.push(resolve(dirname(file), `${match[1]}.d.ts`));
  }
}
for (const file of seen) {
  const target = join(TO, relative(resolve(FROM), file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
