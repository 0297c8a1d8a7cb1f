// The machine-readable report: one JSON object, the shape README.md documents and score tools read.

import type { Report, ReportFinding } from '../diagnose.js';

/** One finding as the report lists it; watch --json prints the same shape, one per line. */
export function findingJson(f: ReportFinding) {
  return {
    pattern: f.pattern,
    severity: f.severity,
    series: f.series,
    run: f.run,
    start_step: f.start_step,
    end_step: f.end_step,
    message: f.message,
    evidence: f.evidence,
    fixes: f.fixes,
  };
}

export function toJson(report: Report): string {
  const { curves: _curves, ...rest } = report;
  const out = {
    file: rest.file,
    format: rest.format,
    rows: rest.rows,
    steps: rest.steps,
    series: rest.series,
    baseline: rest.baseline,
    runs: rest.runs,
    verdict: rest.verdict,
    notes: rest.notes,
    findings: rest.findings.map(findingJson),
    // the diagnosed run's fixes as one ordered list; each finding keeps its own `fixes` too
    plan: rest.plan.items.map((item) => ({ text: item.text, kind: item.kind, serves: item.serves, ...(item.after ? { after: item.after } : {}) })),
    plan_left_out: rest.plan.leftOut.map((item) => ({ text: item.text, kind: item.kind, serves: item.serves, reason: item.reason })),
  };
  // NaN and Infinity are not JSON: evidence that holds them says null
  const json = JSON.stringify(out, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
  // JSON.stringify escapes C0 controls only; C1 controls and bidi overrides from column names act on a terminal too
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
