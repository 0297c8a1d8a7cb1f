// --format github: a workflow command per finding at its log line (::error, ::warning, ::notice), and the Markdown for the job summary.

import { escapeText } from '../format.js';
import type { Severity } from '../types.js';
import { at } from '../format.js';
import { countsLine, isErrorEntry, worstFirst, type SweepEntry } from './sweep.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** A workflow command's message: %, CR and LF escaped as the runner reads them (and other controls shown, not run). */
export function escapeData(text: string): string {
  return escapeText(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A workflow command's property value: also : and , which end a property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${kind}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}

/** The workflow commands of every run, worst first: one per finding of the diagnosed run, one per unreadable input, one summary notice. */
export function githubCommands(entries: readonly SweepEntry[]): string {
  const out: string[] = [];
  for (const entry of worstFirst(entries)) {
    if (isErrorEntry(entry)) {
      out.push(command('error', { file: entry.file, title: 'losscurve unreadable' }, entry.error));
      continue;
    }
    for (const f of entry.findings) {
      if (f.run !== entry.runs.diagnosed || f.pattern === 'good') continue;
      const line = typeof f.evidence.line === 'number' && f.evidence.line > 0 ? f.evidence.line : undefined;
      out.push(command(COMMAND[f.severity], { file: entry.file, line, title: `losscurve ${f.pattern}` }, `${f.series} at ${at(entry.series.step, f.start_step)}: ${f.message}`));
    }
    if (entries.length === 1) out.push(command('notice', { file: entry.file, title: `losscurve ${entry.verdict}` }, entry.verdict_reason));
  }
  if (entries.length > 1) out.push(command('notice', { title: 'losscurve' }, countsLine(entries)));
  return out.join('\n') + '\n';
}
