// Every pattern has its explanation page (with the fixed headings), positive and negative fixtures, and rows in the test table.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DETECTORS } from '../src/detect/index.js';
import { PATTERN_IDS } from '../src/types.js';
import { FIXTURES, ROOT } from './helpers.js';
import { PATTERN_CASES } from './pattern-cases.js';

const HEADINGS = ['## What it looks like', '## Likely causes', '## Fixes, in order', '## When it is not a problem'];

for (const id of PATTERN_IDS) {
  test(`${id}: page, fixtures, table rows, detector`, () => {
    const page = join(ROOT, 'docs', 'patterns', `${id}.md`);
    assert.ok(existsSync(page), `docs/patterns/${id}.md is missing`);
    const text = readFileSync(page, 'utf8');
    const at = HEADINGS.map((h) => text.indexOf(h));
    assert.ok(at.every((i) => i >= 0), `docs/patterns/${id}.md lacks one of ${HEADINGS.join(', ')}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at, `docs/patterns/${id}.md has the headings out of order`);

    const dir = join(FIXTURES, 'patterns', id);
    const files = existsSync(dir) ? readdirSync(dir) : [];
    assert.ok(files.some((f) => f.startsWith('positive-')), `fixtures/patterns/${id}/ has no positive fixture`);
    assert.ok(files.some((f) => f.startsWith('negative-')), `fixtures/patterns/${id}/ has no negative fixture`);
    for (const f of files) assert.ok(PATTERN_CASES.some((c) => c.file === `${id}/${f}`), `fixtures/patterns/${id}/${f} has no row in test/pattern-cases.ts`);

    assert.ok(PATTERN_CASES.some((c) => c.present.some((p) => p.pattern === id)), `no fixture expects ${id}`);
    assert.ok(PATTERN_CASES.some((c) => c.absent.includes(id)), `no fixture rules ${id} out`);
    assert.equal(DETECTORS.filter((d) => d.id === id).length, 1, `exactly one detector must have id ${id}`);
  });
}
