// TFRecord framing: each record is a length, a masked CRC of the length, the data, a masked CRC of the data.

import { maskedCrc32c } from './crc32c.js';

const LENGTH_BYTES = 8; // uint64 little-endian
const CRC_BYTES = 4;
const HEADER_BYTES = LENGTH_BYTES + CRC_BYTES;
const FOOTER_BYTES = CRC_BYTES;
// An event record is a few hundred bytes (a scalar) to some MB (an image or histogram); a verified length past
// this is a corrupted one, and is searched past like a length whose CRC fails
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface RecordScan {
  /** Records whose CRCs verified and were passed on. */
  records: number;
  /** Records skipped for a bad CRC (of the data, or of a length that had to be searched past). */
  badRecords: number;
  /** The last record was cut off (a file still being written): its bytes were ignored. */
  truncated: boolean;
}

/** True when the bytes start with a TFRecord header whose length CRC verifies: what makes a file TFRecord, whatever its name. */
export function startsWithTfRecord(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && lengthAt(bytes, 0) !== undefined;
}

/**
 * Calls `onRecord` with the bounds of each record's data, in order. A record whose data CRC fails
 * is skipped (its length was verified, so the next record is still found). A length whose CRC fails
 * means the framing is lost: the scan moves forward a byte at a time to the next verifiable header
 * (a chance match is one in 2^32), counting what it passed as one bad record.
 */
export function forEachRecord(bytes: Uint8Array, onRecord: (from: number, to: number) => void): RecordScan {
  const scan: RecordScan = { records: 0, badRecords: 0, truncated: false };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < HEADER_BYTES) { scan.truncated = true; break; }
    const length = lengthAt(bytes, pos);
    if (length === undefined) {
      scan.badRecords++;
      const next = resync(bytes, pos + 1);
      if (next < 0) break;
      pos = next;
      continue;
    }
    const from = pos + HEADER_BYTES;
    const to = from + length;
    if (to + FOOTER_BYTES > bytes.length || length > MAX_RECORD_BYTES) {
      // past the end: the last record of a file still being written, unless valid records follow (its length,
      // 0xFFFFFFFF say, is wrong though its CRC verifies): then it is one damaged record, and the scan goes on
      const next = resync(bytes, pos + 1);
      if (next < 0) { scan.truncated = length <= MAX_RECORD_BYTES; if (!scan.truncated) scan.badRecords++; break; }
      scan.badRecords++;
      pos = next;
      continue;
    }
    if (view.getUint32(to, true) === maskedCrc32c(bytes, from, to)) {
      scan.records++;
      onRecord(from, to);
    } else scan.badRecords++;
    pos = to + FOOTER_BYTES;
  }
  return scan;
}

/** The record length stored at `pos` if its CRC verifies, else undefined. */
function lengthAt(bytes: Uint8Array, pos: number): number | undefined {
  if (pos + HEADER_BYTES > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, HEADER_BYTES);
  if (view.getUint32(LENGTH_BYTES, true) !== maskedCrc32c(bytes, pos, pos + LENGTH_BYTES)) return undefined;
  const high = view.getUint32(4, true);
  // a record of 4 GiB or more is no event; such a length only verifies by a corrupted accident
  if (high !== 0) return undefined;
  return view.getUint32(0, true);
}

/** The first position from `start` holding a verifiable header, or -1. */
function resync(bytes: Uint8Array, start: number): number {
  for (let pos = start; pos + HEADER_BYTES <= bytes.length; pos++) {
    if (lengthAt(bytes, pos) !== undefined) return pos;
  }
  return -1;
}
