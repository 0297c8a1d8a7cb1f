// The x axis two runs are aligned on (step, tokens seen, epoch): the tokens curve of a run read from its table, and points moved onto the axis.

import { curveOf } from '../normalise/index.js';
import { chooseColumns, type ColumnOverrides } from '../normalise/roles.js';
import { splitRuns } from '../normalise/runs.js';
import type { Column, Table } from '../read/table.js';
import { lowerBound } from '../stats/search.js';
import type { Curve, Series } from '../types.js';

export const AXES = ['step', 'tokens', 'epoch'] as const;
export type AxisName = (typeof AXES)[number];

/** A count of tokens seen (tokens, num_input_tokens_seen, train/tokens_seen), never a rate (tokens_per_sec, tok/s). */
export function isTokensName(name: string): boolean {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  if (!words.some((w) => w === 'tokens' || w === 'toks' || w === 'ntokens')) return false;
  return !words.some((w) => ['per', 's', 'sec', 'second', 'seconds', 'rate', 'throughput', 'tps', 'speed', 'step', 'batch', 'gpu', 'device'].includes(w))
    && !/\/\s*s(ec)?\b/i.test(name);
}

/**
 * The tokens seen at each step of the run `diagnose` judged (1-based `run`), or undefined when the log has no such
 * column. The table is split into runs exactly as normalise/ does, so run N here is run N of the report.
 */
export function tokensCurve(table: Table, overrides: ColumnOverrides, file: string, run: number): Curve | undefined {
  const columns = table.columns.filter((c) => c.count > 0 && isTokensName(c.name));
  if (columns.length === 0) return undefined;
  const column = columns.reduce((a, b) => (b.count > a.count ? b : a));
  const choice = chooseColumns(table, overrides, file);
  const has = (c: Column | undefined, rows: ReturnType<typeof splitRuns>[number]) => c !== undefined && curveOf(table, c, rows) !== undefined;
  const runs = splitRuns(table, choice.step, choice.epoch).filter((r) => has(choice.train, r) || has(choice.val, r));
  const rows = runs[run - 1];
  return rows ? curveOf(table, column, rows) : undefined;
}

/** How a run's steps map to the axis: identity, or through a curve (step → tokens, step → epoch); undefined when it cannot. */
export type StepMap = ((step: number) => number) | undefined;

export function stepMapOf(axis: AxisName, series: Series, tokens: Curve | undefined): StepMap {
  if (axis === 'step') return (s) => s;
  if (axis === 'epoch') {
    if (/epoch/i.test(series.stepName)) return (s) => s; // the step axis is the epoch itself
    return series.epoch ? through(series.epoch) : undefined;
  }
  return tokens ? through(tokens) : undefined;
}

/**
 * Linear interpolation on a counter logged beside the step (tokens grow with steps, epochs too); NaN outside the
 * steps where it was logged: a point is never placed by a guess beyond what the log says.
 */
function through(curve: Curve): (step: number) => number {
  const steps: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < curve.steps.length; i++) {
    if (Number.isFinite(curve.values[i]) && Number.isFinite(curve.steps[i])) { steps.push(curve.steps[i]); values.push(curve.values[i]); }
  }
  return (s) => {
    const i = lowerBound(steps, s);
    if (i < steps.length && steps[i] === s) return values[i];
    if (i === 0 || i === steps.length) return NaN;
    const t = (s - steps[i - 1]) / (steps[i] - steps[i - 1]);
    return values[i - 1] + t * (values[i] - values[i - 1]);
  };
}
