// Every detector against its fixtures, RuleTester style: the pattern, series and location that must (or must not) be found.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, diagnoseFile } from './helpers.js';
import { PATTERN_CASES } from './pattern-cases.js';

const within = (value: number, [lo, hi]: [number, number]) => value >= lo && value <= hi;

describe('detectors on fixtures/patterns', () => {
  for (const c of PATTERN_CASES) {
    test(c.file, () => {
      const report = diagnoseFile(join(FIXTURES, 'patterns', c.file), c.vocab);
      const found = report.findings.map((f) => ({ pattern: f.pattern, series: f.series, start: f.start_step, end: f.end_step, evidence: f.evidence }));
      for (const want of c.present) {
        const match = found.find((f) => f.pattern === want.pattern && f.series === want.series
          && (!want.start || within(f.start, want.start)) && (!want.end || within(f.end, want.end))
          && Object.entries(want.evidence ?? {}).every(([k, v]) => f.evidence[k] === v));
        assert.ok(match, `expected ${want.pattern} on ${want.series}${want.start ? ` starting in ${want.start}` : ''}${want.end ? `, ending in ${want.end}` : ''}; found ${JSON.stringify(found)}`);
      }
      for (const pattern of c.absent) {
        assert.ok(!found.some((f) => f.pattern === pattern), `expected no ${pattern}; found ${JSON.stringify(found)}`);
      }
    });
  }
});
