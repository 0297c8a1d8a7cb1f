// An MLflow file-store metric file: one `<ms-timestamp> <value> <step>` line per logged value; the file's name is the metric.

import type { LineParser } from '../../format.js';
import { parseCell } from '../../engine/numbers.js';
import { TableBuilder, type Table } from '../../table.js';

export const STEP_COLUMN = 'step';
// A timestamp in ms since 1970 has 13 digits until the year 2286; seconds (MLflow before 1.0) have 10.
const TIMESTAMP_MIN_DIGITS = 10;
const TIMESTAMP_MAX_DIGITS = 16;
const STEP_MAX_DIGITS = 19; // an int64

export interface MetricPoint {
  value: number;
  /** Absent in files written before MLflow 1.0, which had no steps. */
  step?: number;
}

/** One metric line, or undefined when the line is not one. */
export function parseMetricLine(text: string): MetricPoint | undefined {
  const tokens = text.trim().split(/[ \t]+/);
  if (tokens.length < 2 || tokens.length > 3) return undefined;
  if (!isDigits(tokens[0], TIMESTAMP_MIN_DIGITS, TIMESTAMP_MAX_DIGITS)) return undefined;
  const value = parseCell(tokens[1]);
  if (typeof value !== 'number') return undefined;
  if (tokens.length === 2) return { value };
  const sign = tokens[2].startsWith('-') ? 1 : 0;
  if (!isDigits(tokens[2].slice(sign), 1, STEP_MAX_DIGITS)) return undefined;
  return { value, step: Number(tokens[2]) };
}

// MLflow writes every line itself; a stray line (two processes logging at once) is tolerated, a different layout is not
const MIN_METRIC_SHARE = 0.8;

/** The first line and most others are metric lines (the last is left out: it may be cut off mid-write). */
export function looksLikeMetricFile(lines: string[]): boolean {
  const filled = lines.filter((l) => l.trim() !== '');
  if (filled.length === 0 || parseMetricLine(filled[0]) === undefined) return false;
  const whole = filled.length > 1 ? filled.slice(0, -1) : filled;
  return whole.filter((l) => parseMetricLine(l) !== undefined).length >= MIN_METRIC_SHARE * whole.length;
}

/**
 * The metric key of a metric file's path: what follows the run's `metrics/` folder (keys with a
 * slash are nested folders: metrics/train/loss is train/loss), else the file name.
 */
export function metricKeyOf(path: string | undefined): string {
  if (path === undefined || path === '<stdin>') return 'value';
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const at = parts.lastIndexOf('metrics');
  const key = at >= 0 && at < parts.length - 1 ? parts.slice(at + 1).join('/') : parts[parts.length - 1] ?? 'value';
  return key === STEP_COLUMN ? `${key} (metric)` : key;
}

/** Reads a metric file line by line into a step column and one value column named by the metric. */
export class MetricLineParser implements LineParser {
  readonly builder = new TableBuilder();
  private readonly step = this.builder.column(STEP_COLUMN);
  private readonly value: number;

  constructor(key: string) {
    this.value = this.builder.column(key);
  }

  line(text: string, lineNo: number, terminated: boolean): void {
    if (text.trim() === '') return;
    const point = parseMetricLine(text);
    if (!point) {
      if (!terminated) this.builder.notes.push(`the last line (${lineNo}) is cut off, as in a log still being written; it was ignored`);
      else this.builder.skipped.add(lineNo);
      return;
    }
    this.builder.beginRow(lineNo);
    if (point.step !== undefined) this.builder.set(this.step, point.step);
    this.builder.set(this.value, point.value);
  }

  overlong(lineNo: number): void {
    this.builder.skipped.add(lineNo);
  }

  finish(): Table {
    return this.builder.finish('mlflow metric file');
  }
}

function isDigits(text: string, min: number, max: number): boolean {
  if (text.length < min || text.length > max) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
