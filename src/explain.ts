// `losscurve explain`: prints a pattern's page from docs/patterns/, or lists the patterns with their titles.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETECTORS } from './detect/index.js';
import { PATTERN_IDS } from './types.js';

/** docs/patterns/ of this package, found from here whether running from dist/src or a bundle in dist/. */
export function patternsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'docs', 'patterns');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dir, 'docs', 'patterns');
}

export function explainPage(pattern: string): string | undefined {
  if (!(PATTERN_IDS as readonly string[]).includes(pattern)) return undefined;
  const path = join(patternsDir(), `${pattern}.md`);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function listPatterns(): string {
  const width = Math.max(...PATTERN_IDS.map((p) => p.length));
  const lines = DETECTORS.map((d) => `  ${d.id.padEnd(width)}  ${d.severity.padEnd(7)}  ${d.title}`);
  return `Patterns (losscurve explain <pattern> for the full page):\n${lines.join('\n')}\n`;
}
