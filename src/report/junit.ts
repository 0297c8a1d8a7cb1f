// --format junit: one test case per run (failing and crashed runs as failures, unreadable inputs as errors), for CI systems that show JUnit XML.

import { at } from '../format.js';
import { isErrorEntry, type SweepEntry } from './sweep.js';

/** Text as XML 1.0 allows it: the five special characters escaped, characters XML cannot hold shown as \xNN. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The runs as one test suite, in input order (a CI system sorts and filters on its own). */
export function junitXml(entries: readonly SweepEntry[]): string {
  const failed = (e: SweepEntry) => e.verdict === 'failing' || e.verdict === 'crashed';
  const failures = entries.filter(failed).length;
  const errors = entries.filter(isErrorEntry).length;
  const counts = `tests="${entries.length}" failures="${failures}" errors="${errors}"`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="losscurve" ${counts}>`, `  <testsuite name="losscurve" ${counts}>`];
  for (const entry of entries) {
    const name = xmlEscape(entry.file);
    if (isErrorEntry(entry)) {
      out.push(`    <testcase name="${name}" classname="losscurve"><error message="${xmlEscape(entry.error)}" type="unreadable"/></testcase>`);
      continue;
    }
    const head = `    <testcase name="${name}" classname="losscurve.${xmlEscape(entry.format)}">`;
    const findings = entry.findings.filter((f) => f.run === entry.runs.diagnosed && f.pattern !== 'good')
      .map((f) => `${f.severity} ${f.pattern} (${f.series}) at ${at(entry.series.step, f.start_step)}: ${f.message}`);
    const body = [...findings, ...entry.plan.map((item, i) => `try ${i + 1}. ${item.text}`)].join('\n');
    if (failed(entry)) {
      const type = entry.findings.find((f) => f.run === entry.runs.diagnosed)?.pattern ?? entry.verdict;
      out.push(`${head}<failure message="${xmlEscape(entry.verdict_reason)}" type="${xmlEscape(type)}">${xmlEscape(body)}</failure></testcase>`);
    } else {
      out.push(`${head}<system-out>${xmlEscape(`${entry.verdict}: ${entry.verdict_reason}${body ? `\n${body}` : ''}`)}</system-out></testcase>`);
    }
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}
