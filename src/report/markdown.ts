// --format markdown: a report to paste as a pull-request comment (chart in a code block, findings and plan as lists); a sweep as a table.

import type { Report } from '../diagnose.js';
import { at, escapeText, fmtLoss, fmtStep } from '../format.js';
import { renderChart } from './chart.js';
import { countsLine, isErrorEntry, rowCells, TABLE_HEADER, worstFirst, type ReportEntry, type SweepEntry } from './sweep.js';

const CHART_WIDTH = 100; // a comment is read in a browser column about this wide in monospace
const CHART_HEIGHT = 14;
const plain = (t: string) => t;

/** Text from the input in Markdown: controls shown escaped, and the characters that format or link escaped with a backslash. */
export function mdEscape(text: string): string {
  return escapeText(text).replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

const VERDICT_WORD: Record<string, string> = {
  healthy: '✅ HEALTHY', warning: '⚠️ WARNING', failing: '❌ FAILING', crashed: '❌ CRASHED', inconclusive: '❔ INCONCLUSIVE', 'no-loss': '❔ NO LOSS', unreadable: '❌ UNREADABLE',
};

/** One run's report: verdict, chart (when the report still holds its curves), findings, plan. */
export function markdownReport(entry: ReportEntry, report?: Report): string {
  const out = [`### losscurve: ${mdEscape(entry.file)} · ${mdEscape(entry.format)}`, '', `**${VERDICT_WORD[entry.verdict]}**: ${mdEscape(entry.verdict_reason)}`, ''];
  if (report) {
    const layers = [];
    if (report.curves.train) layers.push({ steps: report.curves.train.steps, values: report.curves.train.values, paint: plain });
    if (report.curves.val) layers.push({ steps: report.curves.val.steps, values: report.curves.val.values, paint: plain, dashed: true });
    const chart = renderChart(layers, {
      width: CHART_WIDTH, height: CHART_HEIGHT, baseline: report.baseline.applies ? report.baseline.value : undefined,
      paintBaseline: plain, paintAxis: plain, paintBad: plain, stepName: report.series.step,
    });
    if (chart.lines.length) {
      const legend = [report.curves.train && `── train (${escapeText(report.series.train ?? '')})`, report.curves.val && `╌╌ val (${escapeText(report.series.val ?? '')})`, chart.baselineShown && `┄┄ baseline ${fmtLoss(report.baseline.value)}`, chart.logScale && '(log scale)'];
      // the chart holds only axis digits and box characters; a fence longer than any run of backticks in it cannot be closed early
      out.push('```text', ...chart.lines, `  ${legend.filter(Boolean).join('   ')}`, '```', '');
    }
  }
  out.push(...findingItems(entry));
  if (entry.plan.length) {
    out.push('', '**What to try, in order**', '');
    entry.plan.forEach((item, i) => out.push(`${i + 1}. ${mdEscape(item.text)} _(${item.serves.join(', ')})_`));
  }
  return out.join('\n') + '\n';
}

function findingItems(entry: ReportEntry): string[] {
  const mine = entry.findings.filter((f) => f.run === entry.runs.diagnosed);
  if (!mine.length) return ['**Findings:** none'];
  const lines = [`**Findings (${mine.length})**`, ''];
  for (const f of mine) {
    const span = f.start_step === f.end_step ? at(entry.series.step, f.start_step) : `${at(entry.series.step, f.start_step)}–${fmtStep(f.end_step)}`;
    lines.push(`- **${f.severity}** \`${f.pattern}\` (${mdEscape(f.series)}, ${span}): ${mdEscape(f.message)}`);
  }
  return lines;
}

/** Many runs: the summary, one table worst first, then each failing run's findings. */
export function markdownSweep(entries: readonly SweepEntry[]): string {
  const sorted = worstFirst(entries);
  const out = [`### losscurve: ${countsLine(sorted)}`, '', `| ${TABLE_HEADER.join(' | ')} |`, `|${TABLE_HEADER.map(() => ' --- ').join('|')}|`];
  for (const entry of sorted) {
    const cells = rowCells(entry).map(mdEscape);
    cells[2] = VERDICT_WORD[entry.verdict];
    out.push(`| ${cells.join(' | ')} |`);
  }
  const failing = sorted.filter((e) => e.verdict === 'failing' || e.verdict === 'crashed');
  if (failing.length) {
    out.push('', '<details><summary>Failing runs</summary>', '');
    for (const entry of failing) if (!isErrorEntry(entry)) out.push(markdownReport(entry));
    out.push('</details>');
  }
  return out.join('\n') + '\n';
}
