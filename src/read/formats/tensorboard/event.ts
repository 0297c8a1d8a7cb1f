// Decodes one TensorBoard Event record down to its scalars: simple_value (PyTorch, TF1) or a one-element float tensor (TF2).

import { ProtoReader, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT } from './protobuf.js';

// Field numbers from tensorflow/core/util/event.proto, summary.proto, tensor.proto, tensor_shape.proto.
const EVENT_WALL_TIME = 1;
const EVENT_STEP = 2;
const EVENT_FILE_VERSION = 3;
const EVENT_SUMMARY = 5;
const SUMMARY_VALUE = 1;
const VALUE_TAG = 1;
const VALUE_SIMPLE = 2;
const VALUE_TENSOR = 8;
const VALUE_METADATA = 9;
const METADATA_PLUGIN_DATA = 1;
const METADATA_DATA_CLASS = 4;
const PLUGIN_NAME = 1;
const TENSOR_DTYPE = 1;
const TENSOR_SHAPE = 2;
const TENSOR_CONTENT = 4;
const TENSOR_FLOAT_VAL = 5;
const TENSOR_DOUBLE_VAL = 6;
const SHAPE_DIM = 2;
const SHAPE_UNKNOWN_RANK = 3;
const DIM_SIZE = 1;

const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const SCALARS_PLUGIN = 'scalars';
const DATA_CLASS_UNKNOWN = 0;
const DATA_CLASS_SCALAR = 1;

export interface Scalar {
  tag: string;
  value: number;
}

export interface DecodedEvent {
  /** 0 when absent: proto3 leaves a zero step out. */
  step: number;
  wallTime: number;
  /** "brain.Event:2" on the header record every event file starts with. */
  fileVersion?: string;
  scalars: Scalar[];
  /** Tags of summaries that are no scalar (text, images, histograms, graphs). */
  otherTags: string[];
}

/** Decodes the Event message in bytes[from, to). Throws ProtobufError when it does not parse. */
export function decodeEvent(bytes: Uint8Array, from: number, to: number): DecodedEvent {
  const event: DecodedEvent = { step: 0, wallTime: NaN, scalars: [], otherTags: [] };
  const r = new ProtoReader(bytes, from, to);
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === EVENT_WALL_TIME && wire === WIRE_FIXED64) event.wallTime = r.double();
    else if (field === EVENT_STEP && wire === WIRE_VARINT) event.step = r.varint();
    else if (field === EVENT_FILE_VERSION && wire === WIRE_BYTES) event.fileVersion = r.string();
    else if (field === EVENT_SUMMARY && wire === WIRE_BYTES) readSummary(r.message(), event);
    else r.skip(wire);
  }
  return event;
}

function readSummary(r: ProtoReader, event: DecodedEvent): void {
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === SUMMARY_VALUE && wire === WIRE_BYTES) readValue(r.message(), event);
    else r.skip(wire);
  }
}

function readValue(r: ProtoReader, event: DecodedEvent): void {
  let tag = '';
  let simple: number | undefined;
  let tensor: number | undefined;
  let sawTensor = false;
  let scalarPlugin = true;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === VALUE_TAG && wire === WIRE_BYTES) tag = r.string();
    else if (field === VALUE_SIMPLE && wire === WIRE_FIXED32) simple = r.float();
    else if (field === VALUE_TENSOR && wire === WIRE_BYTES) { sawTensor = true; tensor = scalarOfTensor(r.message()); }
    else if (field === VALUE_METADATA && wire === WIRE_BYTES) scalarPlugin = isScalarMetadata(r.message());
    else r.skip(wire);
  }
  // a summary another plugin owns (hparams, text, graphs) is not a metric even when it holds one number
  const value = !scalarPlugin ? undefined : simple ?? (sawTensor ? tensor : undefined);
  if (value === undefined) event.otherTags.push(tag);
  else event.scalars.push({ tag, value });
}

/** False when the metadata names a plugin other than scalars, or a data class other than scalar. */
function isScalarMetadata(r: ProtoReader): boolean {
  let ok = true;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === METADATA_PLUGIN_DATA && wire === WIRE_BYTES) {
      const plugin = pluginName(r.message());
      if (plugin !== '' && plugin !== SCALARS_PLUGIN) ok = false;
    } else if (field === METADATA_DATA_CLASS && wire === WIRE_VARINT) {
      const dataClass = r.varint();
      if (dataClass !== DATA_CLASS_UNKNOWN && dataClass !== DATA_CLASS_SCALAR) ok = false;
    } else r.skip(wire);
  }
  return ok;
}

function pluginName(r: ProtoReader): string {
  let name = '';
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === PLUGIN_NAME && wire === WIRE_BYTES) name = r.string();
    else r.skip(wire);
  }
  return name;
}

/** The value of a float or double tensor holding exactly one element; undefined for anything else. */
function scalarOfTensor(r: ProtoReader): number | undefined {
  let dtype = 0;
  let elements = 1;
  let content: Uint8Array | undefined;
  const floats: number[] = [];
  const doubles: number[] = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === TENSOR_DTYPE && wire === WIRE_VARINT) dtype = r.varint();
    else if (field === TENSOR_SHAPE && wire === WIRE_BYTES) elements = elementsOf(r.message());
    else if (field === TENSOR_CONTENT && wire === WIRE_BYTES) content = r.bytesOf();
    else if (field === TENSOR_FLOAT_VAL) readRepeated(r, wire, WIRE_FIXED32, floats, (p) => p.float());
    else if (field === TENSOR_DOUBLE_VAL) readRepeated(r, wire, WIRE_FIXED64, doubles, (p) => p.double());
    else r.skip(wire);
  }
  if (elements !== 1) return undefined;
  if (dtype === DT_FLOAT) {
    if (content) return content.length === 4 ? new DataView(content.buffer, content.byteOffset, 4).getFloat32(0, true) : undefined;
    return floats.length === 1 ? floats[0] : undefined;
  }
  if (dtype === DT_DOUBLE) {
    if (content) return content.length === 8 ? new DataView(content.buffer, content.byteOffset, 8).getFloat64(0, true) : undefined;
    return doubles.length === 1 ? doubles[0] : undefined;
  }
  return undefined;
}

// a scalar tensor has at most one element: reading more than two tells us it is not one
const MAX_REPEATED_KEPT = 2;

/** A repeated numeric field, packed (one length-delimited run) or not (one value per key); keeps only the first few. */
function readRepeated(r: ProtoReader, wire: number, single: number, out: number[], read: (from: ProtoReader) => number): void {
  if (wire === single) {
    const v = read(r);
    if (out.length < MAX_REPEATED_KEPT) out.push(v);
  } else if (wire === WIRE_BYTES) {
    const packed = r.message();
    while (!packed.done && out.length < MAX_REPEATED_KEPT) out.push(read(packed));
    if (!packed.done) out.push(NaN); // more than kept: marks the field as not a single value
  } else r.skip(wire);
}

/** The element count of a TensorShapeProto: the product of its dims (1 for a scalar), NaN for an unknown shape. */
function elementsOf(r: ProtoReader): number {
  let elements = 1;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === SHAPE_DIM && wire === WIRE_BYTES) {
      const dim = r.message();
      let size = 0;
      while (!dim.done) {
        const key = dim.key();
        if (key.field === DIM_SIZE && key.wire === WIRE_VARINT) size = dim.varint();
        else dim.skip(key.wire);
      }
      elements *= size < 0 ? NaN : size;
    } else if (field === SHAPE_UNKNOWN_RANK && wire === WIRE_VARINT) {
      if (r.varint() !== 0) elements = NaN;
    } else r.skip(wire);
  }
  return elements;
}
