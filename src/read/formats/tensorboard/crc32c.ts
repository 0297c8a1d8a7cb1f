// CRC32C (Castagnoli), table-driven, and TFRecord's masked form of it: what every TFRecord length and payload is checked against.

/** The reflected Castagnoli polynomial, as TFRecord (and iSCSI, ext4) use it. */
const CASTAGNOLI = 0x82f63b78;
/** TFRecord stores a rotated CRC plus this constant, so a CRC of data that itself holds CRCs does not come out zero. */
const MASK_DELTA = 0xa282ead8;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The masked CRC TFRecord writes: rotate right by 15 bits, add a constant. */
export function maskedCrc32c(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const crc = crc32c(bytes, from, to);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
