// Keras History saved as JSON (json.dump(history.history)): one array per metric, the index is the epoch counted from 0.

import { InputError } from '../errors.js';
import type { Format, Head } from '../format.js';
import { firstCharIs, headText, lineAt } from '../engine/json-scan.js';
import { parseCell } from '../engine/numbers.js';
import { parseRelaxedJson } from '../engine/relaxed-json.js';
import type { Source } from '../engine/source.js';
import { TableBuilder, type Table } from '../table.js';

const FORMAT_NAME = 'keras history json';
const EPOCH_COLUMN = 'epoch';
const MAX_KEY_LENGTH = 256; // a metric name is short; a longer "key" means this is some other JSON
const NO_LINE = 0; // one row is spread over many lines (one per metric), so rows have no line of their own
const EPOCH_INDEX = /^\d{1,9}$/; // pandas' index keys; nine digits is more epochs than any run has

export const kerasHistory: Format = {
  id: 'keras-history',
  matches: (head) => !head.binary && looksLikeColumnArrays(head),
  read: readKerasHistory,
  trainerLog: true,
};

/**
 * `{"loss": [` (json.dump) or `{"loss": {"0":` (pandas to_json): an object whose first value is a
 * list or an index-keyed object. One such object per line is JSONL, not a history, so only one line
 * of the head may start an object.
 */
function looksLikeColumnArrays(head: Head): boolean {
  const text = headText(head);
  if (!firstCharIs(text, '{')) return false;
  if (head.lines.filter((l) => l.trimStart().startsWith('{')).length > 1) return false;
  let i = skipSpace(text, text.indexOf('{') + 1);
  if (text[i] !== '"') return false;
  const close = text.indexOf('"', i + 1);
  if (close < 0 || close - i > MAX_KEY_LENGTH) return false;
  i = skipSpace(text, close + 1);
  if (text[i] !== ':') return false;
  i = skipSpace(text, i + 1);
  if (text[i] === '[') return true;
  if (text[i] !== '{') return false;
  i = skipSpace(text, i + 1);
  return text[i] === '"' && isDigit(text[i + 1]);
}

export function readKerasHistory(source: Source, _head: Head): Table {
  const text = source.bytes.toString('utf8').replace(/^\uFEFF/, '');
  let history: unknown;
  try {
    history = parseRelaxedJson(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? lineAt(text, Number(position[1])) : lineAt(text, text.length);
    throw new InputError('is not complete JSON; a Keras history is written at once, so save it again with json.dump(history.history, f)', source.name, line);
  }
  if (!history || typeof history !== 'object' || Array.isArray(history)) {
    throw new InputError('is JSON but no object of metric lists; save the history with json.dump(history.history, f)', source.name);
  }
  const columns = new Map<string, Map<number, number>>();
  for (const [name, value] of Object.entries(history as Record<string, unknown>)) {
    const points = pointsOf(value);
    if (points && points.size > 0) columns.set(name, points);
  }
  if (columns.size === 0) {
    throw new InputError('holds no lists of numbers, so it is no Keras history; save it with json.dump(history.history, f)', source.name);
  }
  return tableOf(columns);
}

/** A metric's values by epoch: a list (index = epoch) or pandas' {"0": v, "1": v}. NaN is a value; a value that is no number is left out. */
function pointsOf(value: unknown): Map<number, number> | undefined {
  const points = new Map<number, number>();
  if (Array.isArray(value)) {
    value.forEach((v, epoch) => setPoint(points, epoch, v));
    return points;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (!EPOCH_INDEX.test(key)) return undefined; // not an epoch index: some other object
      setPoint(points, Number(key), v);
    }
    return points;
  }
  return undefined;
}

function setPoint(points: Map<number, number>, epoch: number, v: unknown): void {
  if (typeof v === 'number') points.set(epoch, v);
  else if (v === null) points.set(epoch, NaN); // Python's NaN, as json.dump and pandas write it
  else if (typeof v === 'string') {
    const cell = parseCell(v);
    if (typeof cell === 'number') points.set(epoch, cell);
  }
}

/**
 * One row per epoch. A metric with fewer values than the longest is spread when the longest is an
 * exact multiple of it: Keras's validation_freq=k logs val_* at epochs k-1, 2k-1, ...
 */
function tableOf(columns: Map<string, Map<number, number>>): Table {
  let epochs = 0;
  for (const points of columns.values()) for (const epoch of points.keys()) epochs = Math.max(epochs, epoch + 1);
  const builder = new TableBuilder(epochs);
  const spread = new Map<string, number>();
  for (const [name, points] of columns) {
    const every = epochs / points.size;
    if (points.size < epochs && Number.isInteger(every) && isDense(points)) {
      spread.set(name, every);
      builder.notes.push(`${name} has ${points.size} values for ${epochs} epochs: placed at epochs ${every - 1}, ${2 * every - 1}, ..., as Keras's validation_freq=${every} logs them`);
    }
  }
  const own = columns.has(EPOCH_COLUMN);
  const ids = new Map([...columns.keys()].map((name) => [name, builder.column(name)]));
  const epochColumn = own ? -1 : builder.column(EPOCH_COLUMN);
  for (let epoch = 0; epoch < epochs; epoch++) {
    builder.beginRow(NO_LINE);
    if (!own) builder.set(epochColumn, epoch);
    for (const [name, points] of columns) {
      const every = spread.get(name);
      const index = every === undefined ? epoch : (epoch + 1) % every === 0 ? (epoch + 1) / every - 1 : -1;
      const value = points.get(index);
      if (value !== undefined) builder.set(ids.get(name)!, value);
    }
  }
  return builder.finish(FORMAT_NAME);
}

/** Indexes 0..n-1 with none missing: a plain list, as validation_freq leaves it. */
function isDense(points: Map<number, number>): boolean {
  return points.has(0) && points.has(points.size - 1);
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
