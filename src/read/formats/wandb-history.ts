// Weights & Biases wandb-history.jsonl: one object per wandb.log call, keyed by _step, sparse, with media objects among the metrics.

import type { Format, LineParser } from '../format.js';
import { addRecord, jsonLineShare } from './jsonl.js';
import { firstObjectHas } from '../engine/json-scan.js';
import { parseRelaxedJson } from '../engine/relaxed-json.js';
import { TableBuilder, type Table } from '../table.js';

const FORMAT_NAME = 'weights & biases wandb-history.jsonl';
const MIN_OBJECT_SHARE = 0.5; // as for any JSONL: most lines must be objects
const MEDIA_TYPE_KEY = '_type'; // W&B marks an image, video, table or histogram value with its type

export const wandbHistory: Format = {
  id: 'wandb-history',
  matches: (head) => !head.binary && jsonLineShare(head.lines) >= MIN_OBJECT_SHARE
    && (firstObjectHas(head, ['"_step"', '"_runtime"']) || firstObjectHas(head, ['"_step"', '"_timestamp"'])),
  lines: () => new WandbHistoryParser(),
  trainerLog: true,
};

/** Reads one wandb.log record per line, leaving out media values (their sizes and widths are no metrics). */
export class WandbHistoryParser implements LineParser {
  readonly builder = new TableBuilder();

  line(text: string, lineNo: number, terminated: boolean): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const record = objectOf(trimmed);
    if (!record) {
      if (!terminated && trimmed.startsWith('{')) {
        this.builder.notes.push(`the last line (${lineNo}) is cut off, as in a log still being written; it was ignored`);
      } else this.builder.skipped.add(lineNo);
      return;
    }
    for (const key of Object.keys(record)) if (isMedia(record[key])) delete record[key];
    this.builder.beginRow(lineNo);
    if (!addRecord(this.builder, record)) this.builder.discardRow();
  }

  overlong(lineNo: number): void {
    this.builder.skipped.add(lineNo);
  }

  finish(): Table {
    return this.builder.finish(FORMAT_NAME);
  }
}

function objectOf(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value = parseRelaxedJson(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isMedia(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && MEDIA_TYPE_KEY in value;
}
