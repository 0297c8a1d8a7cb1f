// A user's TypeScript against the shipped declarations (dist/types, through package.json's exports): compiled by test/package.test.ts, never run.

import {
  compare, CompareError, renderCompareJson, renderCompareText, type Comparison,
  createWatcher, DETECTORS, diagnose, InputError, PATTERN_IDS, readLog, renderJson, renderText,
  type LossWatcher, type PatternId, type Report, type ReportFinding, type Table, type Verdict,
} from 'losscurve';

const table: Table = readLog(process.argv[2] ?? 'train.csv', { format: 'csv' });
const report: Report = diagnose(table, { failOn: 'nan,divergence', vocab: 32000 });
const verdict: Verdict = report.verdict;
const worst: ReportFinding | undefined = report.findings[0];
const pattern: PatternId | undefined = worst?.pattern;
const ids: readonly PatternId[] = PATTERN_IDS;
const titles: string[] = DETECTORS.map((d) => `${d.id}: ${d.title}`);
process.stdout.write(renderText(report, { color: false, width: 80 }) + renderJson(report) + verdict + String(pattern) + ids.join() + titles.join());

try {
  const comparison: Comparison = compare(table, readLog('other.csv'), { axis: 'tokens', names: ['a.csv', 'other.csv'] });
  process.stdout.write(renderCompareText(comparison, { width: 80 }) + renderCompareJson(comparison) + String(comparison.train?.final.significant));
} catch (error) {
  if (error instanceof CompareError) console.error(error.message);
}

const watcher: LossWatcher = createWatcher({
  failOn: 'error',
  onFinding: (finding, pass, updated) => console.log(finding.pattern, finding.start_step, pass.verdict, updated),
});
watcher.push(1, 2.3);
watcher.push(2, 2.1, 2.2);
const final: Report = watcher.end();

try {
  readLog(new Uint8Array([1, 2, 3]), { name: 'bytes' });
} catch (error) {
  if (error instanceof InputError) console.error(error.describe(), final.verdict);
}

// the types are real: each misuse below must be an error (an unused @ts-expect-error fails the compile)
// @ts-expect-error a step is a number
watcher.push('1', 2);
// @ts-expect-error renderText takes a report, not a table
renderText(table);
// @ts-expect-error no such verdict
const wrong: Verdict = 'fine';
// @ts-expect-error readLog reads a path or bytes
readLog(42);
void wrong;
