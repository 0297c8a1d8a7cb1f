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

/** The report's shape version: 2 added schema, verdict_reason, fail_on, command (run) and the inconclusive and crashed verdicts. */
export const REPORT_SCHEMA = 2;

/** The report as the JSON object the schema documents (NaN and Infinity still in: `jsonText` writes them as null). */
export function reportObject(report: Report) {
  const { curves: _curves, ...rest } = report;
  return {
    schema: REPORT_SCHEMA,
    file: rest.file,
    format: rest.format,
    rows: rest.rows,
    steps: rest.steps,
    series: rest.series,
    baseline: rest.baseline,
    runs: rest.runs,
    verdict: rest.verdict,
    verdict_reason: rest.verdict_reason,
    fail_on: rest.fail_on,
    ...(rest.command ? { command: rest.command } : {}),
    notes: rest.notes,
    findings: rest.findings.map(findingJson),
    // the diagnosed run's fixes as one ordered list; each finding keeps its own `fixes` too
    plan: rest.plan.items.map((item) => ({ text: item.text, kind: item.kind, serves: item.serves, ...(item.after ? { after: item.after } : {}) })),
    plan_left_out: rest.plan.leftOut.map((item) => ({ text: item.text, kind: item.kind, serves: item.serves, reason: item.reason })),
  };
}

/** The report as README documents it: one JSON object, indented. */
export function toJson(report: Report): string {
  return jsonText(reportObject(report), 2);
}

/** Any report-shaped value as JSON text: indented by `indent` spaces, or on one line (JSONL) with 0. */
export function jsonText(out: unknown, indent: number): string {
  // NaN and Infinity are not JSON: evidence that holds them says null
  const json = JSON.stringify(out, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), indent || undefined);
  // JSON.stringify escapes C0 controls only; C1 controls and bidi overrides from column names act on a terminal too
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
