// Times each stage of `diagnose` in one process (read, normalise, profiles, each detector, the text report) and prints them as JSON.

import { DETECTORS } from '../dist/src/detect/index.js';
import { profileOf, startsNonNegative } from '../dist/src/detect/profile.js';
import { diagnose } from '../dist/src/diagnose.js';
import { normalise } from '../dist/src/normalise/index.js';
import { readFileSource, readTable } from '../dist/src/read/index.js';
import { toText } from '../dist/src/report/text.js';

const BASELINE = Math.log(50257); // the CLI's default vocabulary
const file = process.argv[2];
const times = {};
let started = performance.now();
const lap = (name) => {
  const now = performance.now();
  times[name] = Math.round(now - started);
  started = now;
};

const table = readTable(readFileSource(file));
lap('read');
const { runs } = normalise(table, {}, file);
lap('normalise');
const series = runs[runs.length - 1].series;
for (const curve of [series.train, series.val]) if (curve) profileOf(curve);
lap('profiles');
const findings = [];
const crossEntropy = startsNonNegative(series.train?.values ?? []);
for (const detector of DETECTORS) {
  findings.push(...detector.detect(series, { baseline: BASELINE, crossEntropy, earlier: findings.slice() }));
  lap(`detector ${detector.id}`);
}
// the report with its chart; diagnose() reuses the cached profiles and reruns the detectors, so it is timed apart
const report = diagnose(table, file, { vocab: 50257 });
started = performance.now();
toText(report, { color: false, width: 100, failOn: new Set(['nan', 'divergence']), exitCode: 0 });
lap('text report and chart');
process.stdout.write(JSON.stringify(times));
