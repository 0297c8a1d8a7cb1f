// One TensorBoard event file: walks its records, decodes each event, and says what was damaged or missing.

import { InputError } from '../../errors.js';
import type { Source } from '../../engine/source.js';
import { TableBuilder, type Table } from '../../table.js';
import { decodeEvent, type DecodedEvent } from './event.js';
import { ProtobufError } from './protobuf.js';
import { forEachRecord, type RecordScan } from './tfrecord.js';

/** The step axis column every TensorBoard table gets; a tag of the same name is left out so it cannot overwrite it. */
export const STEP_COLUMN = 'step';
const OTHER_TAGS_SHOWN = 5; // enough to recognise what the file holds instead of scalars

export interface EventFileScan extends RecordScan {
  /** Records that decoded as events, the file-version header included. */
  events: number;
  /** Records whose CRCs verified but whose event did not parse: skipped like a bad CRC. */
  undecodable: number;
  /** Events holding at least one scalar. */
  scalarEvents: number;
  fileVersion?: string;
  firstWallTime: number;
  lastWallTime: number;
  /** Tags of non-scalar summaries, the first few. */
  otherTags: string[];
}

/** Scans every record, passing each event that holds scalars to `onScalars`. */
export function scanEventFile(bytes: Uint8Array, onScalars: (event: DecodedEvent) => void): EventFileScan {
  const scan: EventFileScan = {
    records: 0, badRecords: 0, truncated: false, events: 0, undecodable: 0, scalarEvents: 0,
    firstWallTime: NaN, lastWallTime: NaN, otherTags: [],
  };
  const framing = forEachRecord(bytes, (from, to) => {
    let event: DecodedEvent;
    try {
      event = decodeEvent(bytes, from, to);
    } catch (error) {
      if (error instanceof ProtobufError) { scan.undecodable++; return; }
      throw error;
    }
    scan.events++;
    if (event.fileVersion !== undefined && scan.fileVersion === undefined) scan.fileVersion = event.fileVersion;
    if (Number.isFinite(event.wallTime)) {
      if (!Number.isFinite(scan.firstWallTime)) scan.firstWallTime = event.wallTime;
      scan.lastWallTime = event.wallTime;
    }
    for (const tag of event.otherTags) {
      if (scan.otherTags.length < OTHER_TAGS_SHOWN && !scan.otherTags.includes(tag)) scan.otherTags.push(tag);
    }
    event.scalars = event.scalars.filter((s) => s.tag !== STEP_COLUMN);
    if (event.scalars.length === 0) return;
    scan.scalarEvents++;
    onScalars(event);
  });
  return { ...scan, records: framing.records, badRecords: framing.badRecords, truncated: framing.truncated };
}

/** Why a file gave no scalars, as the rest of an InputError sentence. */
export function noScalarsMessage(scan: EventFileScan, inFolder = false): string {
  if (scan.events <= 1 && scan.fileVersion !== undefined) {
    const hint = inFolder ? '' : ' (its scalars may be in another event file beside it: give the folder)';
    return `holds only the TensorBoard file header (${scan.fileVersion}) and no scalars; the run logged nothing to this file${hint}`;
  }
  if (scan.records === 0) return 'is no TensorBoard event file: no record in it has a valid checksum';
  if (scan.events === 0) return 'holds TFRecord data but no readable TensorBoard event; check it is an events.out.tfevents file';
  const other = scan.otherTags.length ? ` (other summaries: ${scan.otherTags.join(', ')})` : '';
  return `holds ${scan.events} TensorBoard events but no scalar summaries${other}; log the loss with add_scalar or tf.summary.scalar`;
}

/** Notes on what was skipped; `where` names the file when several are read. */
export function damageNotes(scan: EventFileScan, where = ''): string[] {
  const notes: string[] = [];
  const prefix = where ? `${where}: ` : '';
  const bad = scan.badRecords + scan.undecodable;
  if (bad > 0) notes.push(`${prefix}skipped ${bad} damaged record${bad === 1 ? '' : 's'} (bad checksum or unreadable event)`);
  if (scan.truncated) notes.push(`${prefix}the last record is cut off, as in a file still being written; it was ignored`);
  return notes;
}

/** A single event file → one row per event that holds scalars, in file order; a column per tag. */
export function readEventFile(source: Source): Table {
  const builder = new TableBuilder();
  const step = builder.column(STEP_COLUMN);
  const scan = scanEventFile(source.bytes, (event) => {
    builder.beginRow(0);
    builder.set(step, event.step);
    for (const { tag, value } of event.scalars) builder.set(builder.column(tag), value);
  });
  // a file with no valid event is no event file; a valid one without scalars is a run that logged none (yet)
  if (scan.scalarEvents === 0 && scan.events === 0) throw new InputError(noScalarsMessage(scan), source.name);
  if (scan.scalarEvents === 0) builder.notes.push(`the file ${noScalarsMessage(scan)}`);
  builder.notes.push(...damageNotes(scan));
  return builder.finish('tensorboard event file');
}
