// A line's pairs read through the alias table: what it says about the step, and the metrics it holds under their column names.

import { averageColumn } from '../../../column-names.js';
import { aliasOf, isGanTerm, isGeneratorTerm, keepsValue, roleOf, type MetricRole } from './aliases.js';
import type { LineTokens } from './tokens.js';

export interface Metric {
  column: string;
  value: number;
  role: MetricRole;
  /** A JSON null (a record printed as JSON): the table reads it by the rows around it. */
  isNull?: boolean;
}

export interface LineRecord {
  /** A step that counts from the start of training (num_updates, llm.c's "s:"). */
  global?: number;
  /** A step counter that may restart each epoch, with the M of "N/M": per epoch ("200/2983 batches") or maybe the run's ("step 61/74"). */
  counter?: { value: number; total?: number; perEpoch: boolean; key: string };
  epoch?: { value: number; integer: boolean };
  /** "end of epoch N". */
  epochEnd?: number;
  /** A whole number opening the line ("0 train 10.93", "490 | loss 5.75"). */
  leadStep?: number;
  metrics: Metric[];
  /** A loss key whose value did not parse ("loss 3.4.5"): a broken record if nothing else is read. */
  broken: boolean;
  /** The generator term read as the train loss when no field is named loss (GAN logs). */
  generator?: string;
  /** The key that gave the step, to say where steps came from. */
  stepKey?: string;
}

/** How a Keras-style "3/234 [====" counter is named when the report says where steps came from. */
export const PROGRESS_KEY = 'the N/M progress counter';
const BATCH_AFTER_EPOCH = 'the N/M after the epoch';

export const isLoss = (role: MetricRole) => role === 'train' || role === 'val';
const MIN_GAN_TERMS = 2; // a G and a D term: one alone is no GAN log

export function interpret(tokens: LineTokens): LineRecord {
  const broken = tokens.broken.some((key) => isLoss(roleOf(aliasOf(key, false)?.column ?? key)));
  const record: LineRecord = { metrics: [], broken };
  for (const pair of tokens.pairs) {
    if (!keepsValue(pair.unit)) continue;
    const alias = aliasOf(pair.key, pair.joined);
    const kind = alias?.kind ?? 'metric';
    // a key after its value names only counters ("200/2983 batches"); "44.57 ms", "91886 tok/s" are not records
    if (pair.keyAfter && kind !== 'counter') continue;
    if (kind === 'global') { record.global ??= pair.value; record.stepKey ??= pair.key; }
    else if (kind === 'counter') {
      record.counter ??= { value: pair.value, total: pair.total, perEpoch: alias?.perEpoch === true, key: pair.key };
    } else if (kind === 'epoch') record.epoch ??= { value: pair.value, integer: pair.integer };
    else if (kind === 'epochEnd') record.epochEnd ??= pair.value;
    else {
      const column = alias?.column ?? pair.key;
      const role = roleOf(column);
      record.metrics.push(pair.isNull ? { column, value: pair.value, role, isNull: true } : { column, value: pair.value, role });
      // a loss's running average is its own column: it turns non-finite when a batch between two prints did
      if (pair.average !== undefined && isLoss(role)) {
        const average = averageColumn(column);
        record.metrics.push({ column: average, value: pair.average, role: roleOf(average) });
      }
    }
  }
  const trailing = tokens.trailing;
  if (trailing && aliasOf(trailing.after, true)?.kind === 'epoch') {
    record.counter ??= { value: trailing.value, total: trailing.total, perEpoch: true, key: BATCH_AFTER_EPOCH };
  }
  const lead = tokens.lead;
  if (lead?.integer && lead.value >= 0) {
    if (lead.total !== undefined) record.counter ??= { value: lead.value, total: lead.total, perEpoch: true, key: PROGRESS_KEY };
    else record.leadStep = lead.value;
  }
  nameGeneratorLoss(record);
  return record;
}

/** CycleGAN's "D_A: 0.54 G_A: 0.43 cycle_A: 2.2 ...": every term is a loss, none is named one; the first G term is read as train. */
function nameGeneratorLoss(record: LineRecord): void {
  if (record.metrics.some((m) => isLoss(m.role))) return;
  if (record.metrics.filter((m) => isGanTerm(m.column)).length < MIN_GAN_TERMS) return;
  const generator = record.metrics.find((m) => isGeneratorTerm(m.column));
  if (!generator) return;
  record.generator = generator.column;
  generator.column = `${generator.column} (generator loss)`;
  generator.role = roleOf(generator.column);
}
