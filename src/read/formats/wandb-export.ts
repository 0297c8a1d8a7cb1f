// CSV exported from the Weights & Biases web app: a chart's export (curves, one column per run) is read; a runs table (one row per run) is refused.

import { CsvLineParser } from './csv.js';
import { InputError } from '../errors.js';
import { flavoured } from './flavour.js';
import type { Format, Head } from '../format.js';
import type { Table } from '../table.js';

const CHART_FORMAT_NAME = 'weights & biases chart export csv';
// A chart names its columns "<run name> - <metric>", and adds "__MIN"/"__MAX" bands when it samples points
const RUN_SEPARATOR = ' - ';
const BAND_SUFFIXES = ['__MIN', '__MAX'];
// Columns the runs table holds about each run; a chart export has none of them
const RUNS_TABLE_COLUMNS = new Set(['State', 'Notes', 'User', 'Tags', 'Created', 'Runtime', 'Sweep', 'End Time', 'ID',
  'Updated', 'Group', 'Job Type', 'Hostname']);

export const wandbChart: Format = {
  id: 'wandb-chart',
  matches: (head) => {
    const cells = quotedHeader(head);
    return cells !== undefined && isChartHeader(cells);
  },
  lines: () => flavoured(new CsvLineParser(','), firstRunOnly),
};

export const wandbRunsTable: Format = {
  id: 'wandb-runs',
  matches: (head) => {
    const cells = quotedHeader(head);
    return cells !== undefined && isRunsTableHeader(cells);
  },
  read: (source) => {
    throw new InputError('is a Weights & Biases runs table (one row per run, final values only), which holds no loss curve; export the run\'s history instead: a chart\'s menu → Export → CSV, or wandb-history.jsonl from the run\'s Files tab', source.name);
  },
};

/** The x axis first ("Step", or the metric the chart is plotted against), then only "<run> - <metric>" columns. */
function isChartHeader(cells: string[]): boolean {
  return cells.length >= 2 && cells.slice(1).every((c) => c.includes(RUN_SEPARATOR));
}

/** "Name" first. Either run metadata columns, or no step or epoch column: one value per run, whatever the columns are. */
function isRunsTableHeader(cells: string[]): boolean {
  if (cells[0] !== 'Name') return false;
  if (cells.some((c) => RUNS_TABLE_COLUMNS.has(c))) return true;
  return !cells.some((c) => /step|epoch/i.test(c));
}

/**
 * Keeps the chart's curves and the first run's focus: the bands go (they are the range of points a
 * sampled chart merged, not a curve), and the first run, as the export lists them, is the one
 * diagnosed; the other runs' losses are reported as other losses.
 */
function firstRunOnly(table: Table): Table {
  const columns = table.columns.filter((c) => !BAND_SUFFIXES.some((s) => c.name.endsWith(s)));
  const runs: string[] = [];
  for (const column of columns) {
    const run = runOf(column.name);
    if (run !== undefined && column.count > 0 && !runs.includes(run)) runs.push(run);
  }
  const notes = [...table.notes];
  if (runs.length > 1) {
    notes.push(`the export holds ${runs.length} runs side by side: diagnosing the first, ${runs[0]}; --loss "RUN - METRIC" (and --val) pick another`);
  }
  const focus = runs.length > 0 ? columns.filter((c) => runOf(c.name) === runs[0]).map((c) => c.name) : undefined;
  return { ...table, format: CHART_FORMAT_NAME, columns, notes, focus };
}

function runOf(column: string): string | undefined {
  const cut = column.lastIndexOf(RUN_SEPARATOR);
  return cut > 0 ? column.slice(0, cut) : undefined;
}

/** The first line's cells when every one of them is double-quoted, as W&B writes them; else undefined. */
export function quotedHeader(head: Head): string[] | undefined {
  if (head.binary) return undefined;
  const first = head.lines.find((l) => l.trim() !== '');
  return first === undefined ? undefined : quotedCells(first.trim());
}

/** Splits `"a","b ""c""","d"` into its cells in one pass; undefined when a cell is not quoted. */
export function quotedCells(line: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] !== '"') return undefined;
    let cell = '';
    i++;
    for (;;) {
      const quote = line.indexOf('"', i);
      if (quote < 0) return undefined;
      cell += line.slice(i, quote);
      if (line[quote + 1] === '"') { cell += '"'; i = quote + 2; continue; }
      i = quote + 1;
      break;
    }
    cells.push(cell);
    if (i === line.length) return cells;
    if (line[i] !== ',') return undefined;
    i++;
  }
}
