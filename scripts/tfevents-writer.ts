// A tiny TensorBoard event-file writer (protobuf fields and TFRecord framing) for fixtures and tests: the reader's mirror image.

import { maskedCrc32c } from '../src/read/formats/tensorboard/crc32c.js';

/** One summary value, written the way a given logger writes it. */
export type ValueSpec =
  | { tag: string; simple: number }
  | { tag: string; tensor: 'float-content' | 'float-val' | 'double-content' | 'double-val'; value: number; scalarsPlugin?: boolean }
  | { tag: string; floatVector: number[]; plugin?: string; shape?: number[] }
  | { tag: string; text: string };

export interface EventSpec {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  values?: ValueSpec[];
  /** A GraphDef-sized blob in field 4, which readers must skip. */
  graphBytes?: number;
  /** Fields no reader knows, one of each wire type, as newer writers add them. */
  unknownFields?: boolean;
}

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_STRING = 7;

class Proto {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number): this {
    return this.key(field, 0).raw(varint(value));
  }

  fixed32Float(field: number, value: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    return this.key(field, 5).raw(b);
  }

  fixed64Double(field: number, value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    return this.key(field, 1).raw(b);
  }

  bytes(field: number, data: Uint8Array | string): this {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    return this.key(field, 2).raw(varint(b.length)).raw(b);
  }

  message(field: number, inner: Proto): this {
    return this.bytes(field, inner.done());
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }

  private key(field: number, wire: number): this {
    return this.raw(varint(field * 8 + wire));
  }

  private raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
}

/** Base-128 varint of a non-negative integer up to 2^53. */
function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  do {
    const low = v % 128;
    v = Math.floor(v / 128);
    out.push(v > 0 ? low | 0x80 : low);
  } while (v > 0);
  return Buffer.from(out);
}

function pluginMetadata(name: string): Proto {
  return new Proto().message(1, new Proto().bytes(1, name));
}

function valueProto(spec: ValueSpec): Proto {
  const value = new Proto().bytes(1, spec.tag);
  if ('simple' in spec) return value.fixed32Float(2, spec.simple);
  if ('text' in spec) {
    const tensor = new Proto().varint(1, DT_STRING).message(2, new Proto().message(2, new Proto().varint(1, 1))).bytes(8, spec.text);
    return value.message(8, tensor).message(9, pluginMetadata('text'));
  }
  if ('floatVector' in spec) {
    const packed = Buffer.alloc(4 * spec.floatVector.length);
    spec.floatVector.forEach((v, i) => packed.writeFloatLE(v, 4 * i));
    const shape = new Proto();
    for (const size of spec.shape ?? [spec.floatVector.length]) shape.message(2, new Proto().varint(1, size));
    const tensor = new Proto().varint(1, DT_FLOAT).message(2, shape).bytes(5, packed);
    value.message(8, tensor);
    return spec.plugin ? value.message(9, pluginMetadata(spec.plugin)) : value;
  }
  const tensor = new Proto().varint(1, spec.tensor.startsWith('float') ? DT_FLOAT : DT_DOUBLE).message(2, new Proto());
  const b = Buffer.alloc(spec.tensor.startsWith('float') ? 4 : 8);
  if (spec.tensor.startsWith('float')) b.writeFloatLE(spec.value);
  else b.writeDoubleLE(spec.value);
  if (spec.tensor.endsWith('content')) tensor.bytes(4, b);
  else tensor.bytes(spec.tensor === 'float-val' ? 5 : 6, b); // packed repeated, one element
  value.message(8, tensor);
  return spec.scalarsPlugin === false ? value : value.message(9, pluginMetadata('scalars'));
}

/** The Event message's bytes. A zero step is left out, as proto3 writers do. */
export function encodeEvent(spec: EventSpec): Buffer {
  const event = new Proto().fixed64Double(1, spec.wallTime);
  if (spec.step) event.varint(2, spec.step);
  if (spec.fileVersion !== undefined) event.bytes(3, spec.fileVersion);
  if (spec.graphBytes) event.bytes(4, Buffer.alloc(spec.graphBytes, 0x5a));
  if (spec.values) {
    const summary = new Proto();
    for (const v of spec.values) summary.message(1, valueProto(v));
    event.message(5, summary);
  }
  if (spec.unknownFields) {
    event.varint(90, 123456789).fixed64Double(91, 1.5).fixed32Float(92, 2.5).bytes(93, 'source metadata of a newer writer');
  }
  return event.done();
}

/** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
export function tfRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length));
  header.writeUInt32LE(maskedCrc32c(header, 0, 8), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data));
  return Buffer.concat([header, data, footer]);
}

export const FILE_VERSION = 'brain.Event:2';

/** A whole event file: the file-version header record, then one record per event. */
export function eventFile(events: EventSpec[], wallTime = events[0]?.wallTime ?? 0): Buffer {
  const header = encodeEvent({ wallTime, fileVersion: FILE_VERSION });
  return Buffer.concat([tfRecord(header), ...events.map((e) => tfRecord(encodeEvent(e)))]);
}
