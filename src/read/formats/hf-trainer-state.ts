// Hugging Face trainer_state.json: the Trainer's log_history, train and eval rows interleaved, read without its run-summary row.

import { fmtLoss, fmtStep } from '../../format.js';
import { InputError } from '../errors.js';
import type { Format, Head } from '../format.js';
import { firstCharIs, headText, scanTopLevelArray } from '../engine/json-scan.js';
import { addRecord } from './jsonl.js';
import { parseRelaxedJson } from '../engine/relaxed-json.js';
import type { Source } from '../engine/source.js';
import { TableBuilder, type Table } from '../table.js';

const FORMAT_NAME = 'hugging face trainer_state.json';
const HISTORY_KEY = 'log_history';
// Keys only the Trainer's end-of-training row has: its train_loss is a run average, not a point
const SUMMARY_KEYS = ['train_runtime', 'total_flos'];

export const hfTrainerState: Format = {
  id: 'hf-trainer-state',
  matches: (head) => !head.binary && looksLikeTrainerState(head),
  read: readTrainerState,
  trainerLog: true,
};

/** A JSON object whose head names a log_history key. HF sorts the keys, so it comes within the first few hundred bytes. */
function looksLikeTrainerState(head: Head): boolean {
  const text = headText(head);
  if (!firstCharIs(text, '{')) return false;
  const quoted = `"${HISTORY_KEY}"`;
  for (let at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + 1)) {
    let i = at + quoted.length;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (text[i] === ':') return true;
  }
  return false;
}

/**
 * Reads every complete log_history entry as one row, at its `step`. A file cut off mid-write (a
 * checkpoint being saved) is read up to its last complete entry, with a note: the entries before the
 * cut are whole, and a watcher wants them.
 */
export function readTrainerState(source: Source, _head: Head): Table {
  let text = source.bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const scan = scanTopLevelArray(text, HISTORY_KEY);
  if (!scan.found) {
    throw new InputError(`has no "${HISTORY_KEY}" list at its top level, so it is no trainer_state.json; give the one the Hugging Face Trainer saves in each checkpoint-N folder`, source.name);
  }
  const builder = new TableBuilder(scan.elements.length);
  for (const element of scan.elements) {
    let entry: unknown;
    try {
      entry = parseRelaxedJson(element.text);
    } catch {
      entry = undefined;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      builder.skipped.add(element.line);
      continue;
    }
    const record = entry as Record<string, unknown>;
    if (isRunSummary(record)) {
      noteSummary(builder, record, element.line);
      continue;
    }
    builder.beginRow(element.line);
    if (!addRecord(builder, record)) builder.discardRow();
  }
  if (!scan.closed && scan.elements.length === 0) {
    throw new InputError(`ends inside ${HISTORY_KEY} before its first complete entry (cut off mid-write); read it again once the checkpoint is saved`, source.name, scan.cutLine);
  }
  if (!scan.closed) noteCutOff(builder, scan.elements.length, scan.cutLine);
  return builder.finish(FORMAT_NAME);
}

/** The row Trainer.train() logs last: run totals (runtime, FLOPs) and the mean train loss, no per-step loss. */
function isRunSummary(record: Record<string, unknown>): boolean {
  if (!SUMMARY_KEYS.some((key) => key in record) || 'loss' in record) return false;
  return !Object.keys(record).some((key) => key.startsWith('eval_'));
}

function noteSummary(builder: TableBuilder, record: Record<string, unknown>, line: number): void {
  const mean = record.train_loss;
  const step = typeof record.step === 'number' ? `, step ${fmtStep(record.step)}` : '';
  const loss = typeof mean === 'number' ? `: its train_loss ${fmtLoss(mean)} is the run's average, not a point on the curve` : '';
  builder.notes.push(`left out the final summary row (line ${fmtStep(line)}${step})${loss}`);
}

function noteCutOff(builder: TableBuilder, complete: number, cutLine: number | undefined): void {
  const where = cutLine ? `; the entry cut off at line ${fmtStep(cutLine)} was ignored` : '';
  builder.notes.push(`the file ends inside ${HISTORY_KEY}, as a trainer_state.json still being written does: read its ${complete} complete entries${where}`);
}
