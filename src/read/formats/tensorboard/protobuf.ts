// Just enough of the protobuf wire format to walk a message: field keys, varints, fixed 32/64-bit values, length-delimited bytes.

/** A message that does not parse: a field runs past the end, or a wire type protobuf does not have. */
export class ProtobufError extends Error {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;
// wire types 3 and 4 (groups) are deprecated and never written by TensorFlow or PyTorch: refused as malformed

const MAX_VARINT_BYTES = 10; // a 64-bit value takes at most ten 7-bit groups
const TWO_TO_63 = 2 ** 63;
const TWO_TO_64 = 2 ** 64;

/** A cursor over one message's bytes. Reads never go past `end`; a read that would throws ProtobufError. */
export class ProtoReader {
  private pos: number;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, from = 0, private readonly end = bytes.length) {
    this.pos = from;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's key: number and wire type. */
  key(): { field: number; wire: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wire: key % 8 };
  }

  /**
   * A varint as a number. int64 values above 2^53 lose their lowest bits (no step or count gets
   * there); negative int64 (ten bytes, two's complement) come out negative.
   */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.end) throw new ProtobufError('varint runs past the end');
      const b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value >= TWO_TO_63 ? value - TWO_TO_64 : value;
      scale *= 128;
    }
    throw new ProtobufError('varint longer than ten bytes');
  }

  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field's bounds within the message's buffer (no copy). */
  span(): { from: number; to: number } {
    const length = this.varint();
    this.need(length);
    const from = this.pos;
    this.pos += length;
    return { from, to: this.pos };
  }

  /** A reader over a length-delimited field: an embedded message, or a packed repeated field. */
  message(): ProtoReader {
    const { from, to } = this.span();
    return new ProtoReader(this.bytes, from, to);
  }

  string(): string {
    const { from, to } = this.span();
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + from, to - from).toString('utf8');
  }

  bytesOf(): Uint8Array {
    const { from, to } = this.span();
    return this.bytes.subarray(from, to);
  }

  /** Skips a field this reader has no use for, whatever its wire type. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT: this.varint(); return;
      case WIRE_FIXED64: this.need(8); this.pos += 8; return;
      case WIRE_BYTES: this.span(); return;
      case WIRE_FIXED32: this.need(4); this.pos += 4; return;
      default: throw new ProtobufError(`wire type ${wire}`);
    }
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new ProtobufError('field runs past the end');
  }
}
