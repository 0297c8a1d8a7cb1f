// Picks the columns a person would read as the step axis, train loss, validation loss, learning rate and grad norm.

import { InputError } from '../read/errors.js';
import type { Column, Table } from '../read/table.js';
import { classify, type Role } from '../column-names.js';

export interface ColumnChoice {
  step?: Column;
  /** The epoch column beside a step column, which tells a per-epoch batch counter from a restart. */
  epoch?: Column;
  /** "row" when no column holds steps (the row number is the step), otherwise the step column's name. */
  stepName: string;
  train?: Column;
  val?: Column;
  lr?: Column;
  gradNorm?: Column;
  /** A validation metric beside the loss (accuracy, WER), and whether higher is better. */
  valMetric?: { column: Column; higherIsBetter: boolean };
  /** Loss columns not chosen, so the report can say what else was there. */
  otherTrain: string[];
  otherVal: string[];
}

export interface ColumnOverrides {
  step?: string;
  loss?: string;
  val?: string;
}

// A column needs this share of the best candidate's points to compete: a run-average summary row must not win.
const MIN_SHARE = 0.2;

export function chooseColumns(table: Table, overrides: ColumnOverrides, file: string): ColumnChoice {
  const byRole = new Map<Role, Array<{ column: Column; rank: number }>>();
  for (const column of table.columns) {
    if (column.count === 0) continue;
    const { role, rank } = classify(column.name);
    if (!byRole.has(role)) byRole.set(role, []);
    byRole.get(role)!.push({ column, rank });
  }
  // a multi-run export narrowed to one run: its curves only, whatever the other runs' columns are called
  const focus = table.focus ? new Set(table.focus) : undefined;
  const inFocus = (role: Role, column: Column) => !focus || role === 'step' || role === 'epoch' || focus.has(column.name);
  const pick = (role: Role) => best((byRole.get(role) ?? []).filter((c) => inFocus(role, c.column)));
  const named = (name: string | undefined, flag: string) => (name === undefined ? undefined : findColumn(table, name, flag, file));

  // a step column that never moves (a number opening every line that is no counter) is no step axis: the epoch is
  const moving = (column: Column | undefined) => (column && movesAtAll(column) ? column : undefined);
  const step = named(overrides.step, '--step') ?? moving(pick('step')) ?? pick('epoch') ?? pick('step');
  const train = named(overrides.loss, '--loss') ?? pick('train');
  const val = named(overrides.val, '--val') ?? pick('val');
  // a log of validation alone (an eval-only event file) is still read: the detectors that need train skip it;
  // a trainer's log with no loss at all is reported as such (diagnose), any other table is likely the wrong file
  if (!train && !val && !table.trainerLog) {
    const seen = table.columns.map((c) => c.name).join(', ') || 'none';
    throw new InputError(`has no train loss column (read as ${table.format}; columns seen: ${seen}); name one with --loss COLUMN`, file, table.headerLine);
  }
  const others = (role: Role, chosen?: Column) =>
    (byRole.get(role) ?? []).map((c) => c.column).filter((c) => c !== chosen && c !== train && c !== val && c.count > 1).map((c) => c.name);
  const epoch = pick('epoch');
  const metric = pick('valMetric');
  return {
    step,
    epoch: epoch !== step ? epoch : undefined,
    stepName: step?.name ?? 'row',
    train,
    val: val === train ? undefined : val,
    lr: pick('lr'),
    gradNorm: pick('gradNorm'),
    valMetric: metric && { column: metric, higherIsBetter: classify(metric.name).higherIsBetter !== false },
    otherTrain: others('train', train),
    otherVal: others('val', val),
  };
}

/** Whether the column holds two different values, or only one point: a single repeated value orders nothing. */
function movesAtAll(column: Column): boolean {
  if (column.count < 3) return true;
  let first: number | undefined;
  for (let r = 0; r < column.values.length; r++) {
    if (!column.present[r]) continue;
    const v = column.values[r];
    if (first === undefined) first = v;
    else if (v !== first) return true;
  }
  return false;
}

/** The best-ranked candidate among those with enough points; ties go to the one with more points, then to the first. */
function best(candidates: Array<{ column: Column; rank: number }>): Column | undefined {
  if (candidates.length === 0) return undefined;
  const most = Math.max(...candidates.map((c) => c.column.count));
  const contenders = candidates.filter((c) => c.column.count >= MIN_SHARE * most);
  contenders.sort((a, b) => a.rank - b.rank || b.column.count - a.column.count);
  return contenders[0].column;
}

function findColumn(table: Table, name: string, flag: string, file: string): Column {
  const exact = table.columns.find((c) => c.name === name) ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!exact || exact.count === 0) {
    const seen = table.columns.filter((c) => c.count > 0).map((c) => c.name).join(', ') || 'none';
    throw new InputError(`${flag} ${name}: no numeric column of that name (columns seen: ${seen})`, file);
  }
  return exact;
}
