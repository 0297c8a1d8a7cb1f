// Writes the TensorBoard, MLflow and Lightning fixtures under fixtures/formats/ (run after changing scripts/format-fixtures.ts).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFormatFixtures } from './format-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'formats');
for (const { path, bytes } of allFormatFixtures()) {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  console.log(`${bytes.length.toString().padStart(7)}  fixtures/formats/${path}`);
}
