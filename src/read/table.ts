// The reader's output: named numeric columns in typed arrays, one slot per record, with gaps marked, plus what was skipped.

import type { LineNumbers } from '../line-numbers.js';
import type { SkippedLines } from './engine/skipped-lines.js';

export { SkippedLines } from './engine/skipped-lines.js';
export { TableBuilder } from './engine/table-builder.js';

/** A numeric column. A cell is absent where `present[row]` is 0 (sparse logs); NaN is a value, not a gap. */
export interface Column {
  name: string;
  values: Float64Array;
  present: Uint8Array;
  /** How many cells are present. */
  count: number;
  /**
   * A column filled on few rows also has its cells as (row, value) pairs in row order; its `values`
   * and `present` are then built only when first read (readers that can, read these instead).
   */
  cells?: { rows: Int32Array; values: Float64Array };
}

export interface Table {
  /** The format the reader took the input for, e.g. "csv (comma)" or "jsonl". */
  format: string;
  columns: Column[];
  rows: number;
  /** 1-based source line of each row (0 when the format has no lines). */
  rowLine: LineNumbers;
  /** Rows before which the reader saw a run boundary (a repeated header, a "new run" banner). */
  boundaries: number[];
  /** 1-based line of the header row, where the format has one: errors about the columns point there. */
  headerLine?: number;
  /** Things the user should be told about the reading, one sentence each. */
  notes: string[];
  skipped: SkippedLines;
  /**
   * Set by readers of exports that put several runs side by side (a W&B chart): the columns of the
   * run to diagnose. Losses, learning rate and grad norm are picked among these; the rest stay other losses.
   */
  focus?: string[];
  /** Set by readers that know the loss is adversarial (a GAN's generator loss): it need not fall to be healthy. */
  adversarial?: boolean;
  /**
   * Set on tables of a trainer's own log format (an event file, a W&B history, a trainer_state.json; the formats
   * declare it, see withFormatMarks): such a file is a training log whatever it holds, so one without a loss is
   * reported as holding none (nothing to diagnose), where a plain CSV or JSONL without one is likely the wrong file.
   */
  trainerLog?: boolean;
}
