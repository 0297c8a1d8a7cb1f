// The input as pieces for readers that stream: a file's chunks as it reads them, or slices of bytes already in memory.

import type { ChunkRoute, Source } from './source.js';

const SLICE_BYTES = 4 * 1024 * 1024; // bytes already in memory are fed in pieces like a file's, so both take one path

export function chunksOf(source: Source, route?: ChunkRoute): Iterable<Buffer> {
  return source.chunks ? source.chunks(route) : slices(source.bytes);
}

/** The input's size in bytes, without reading a file to learn it; undefined for a stream (a pipe, a gzip), known only at its end. */
export function sizeOf(source: Source): number | undefined {
  return source.size ?? (source.chunks ? undefined : source.bytes.length);
}

/** At most `limit` bytes from the start of the input. */
export function firstBytes(source: Source, limit: number): Buffer {
  if (!source.chunks) return source.bytes.subarray(0, limit);
  const parts: Buffer[] = [];
  let length = 0;
  // leaving the loop early closes the file (the generator's finally)
  for (const chunk of source.chunks()) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= limit) break;
  }
  return Buffer.concat(parts, length).subarray(0, limit);
}

function* slices(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) yield bytes.subarray(at, at + SLICE_BYTES);
}
