// Gets the bytes of a log from a file or stdin (or marks a folder for the folder formats), turning every way that can fail into one InputError.

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { A_DIRECTORY, InputError } from './errors.js';

export interface Source {
  /** How messages name the input: the path as given, or "<stdin>". */
  name: string;
  /** The whole input. A plain file's is read only when first asked for: readers that stream use `chunks`. */
  readonly bytes: Buffer;
  /** Size in bytes, known before reading (a plain file); readers size their arrays from it. */
  size?: number;
  /** The input in pieces read as they are needed, so a big log is never held whole; a route may skip some. */
  chunks?(route?: ChunkRoute): Iterable<Buffer>;
  /** The path of a plain file (not stdin, not gzip): another thread can read it too. */
  path?: string;
  /** True for a folder (a TensorBoard run, an MLflow run, lightning_logs): no bytes, read by the folder formats. */
  directory?: boolean;
}

/** Where a reader of a file's chunks goes next, for one that has another thread read a part of the file. */
export interface ChunkRoute {
  /** The offset to read from next, given where the last chunk ended. */
  next(offset: number): number;
  /** The offset no chunk starting at `offset` may pass (a chunk ends there; Infinity for none). */
  until(offset: number): number;
}

const CHUNK_BYTES = 4 * 1024 * 1024; // big enough that a read costs nothing per call, small enough to stay out of the way
const MIN_CHUNK_BYTES = 64 * 1024; // the least one read asks for: a file that grew since stat is still read to its end

const GUNZIP_LIMIT = 4 * 1024 ** 3; // a gzip bomb stops here; no real loss log is bigger

export function readFileSource(path: string): Source {
  let size: number;
  let magic: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { name: path, bytes: Buffer.alloc(0), directory: true };
    // a pipe or device can be read only once: read it whole
    if (!stat.isFile()) return { name: path, bytes: gunzipIfNeeded(readFileSync(path), path) };
    size = stat.size;
    magic = readStart(path, 2); // opening it here turns a permission problem into an error before any reading
  } catch (error) {
    throw asInputError(error, path);
  }
  // a gzip log is decompressed whole; a plain one is streamed
  if (isGzip(magic)) return { name: path, bytes: gunzipIfNeeded(readWhole(path), path) };
  let whole: Buffer | undefined;
  return {
    name: path,
    size,
    get bytes() { return (whole ??= readWhole(path)); },
    chunks: (route?: ChunkRoute) => fileChunks(path, size, route),
    path,
  };
}

function readWhole(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw asInputError(error, path);
  }
}

function readStart(path: string, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * A file in buffers of up to CHUNK_BYTES, until its end. Without a route each is fresh (a reader may keep a
 * piece of one); along a route (big files, halves.ts) two are used in turn, so a piece of a chunk lasts until
 * the next one has been read: hundreds of dead 4 MiB buffers awaiting the collector would cost 100 MB and more.
 */
function* fileChunks(path: string, size: number, route?: ChunkRoute): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw asInputError(error, path);
  }
  try {
    const turns = route ? [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] : undefined;
    for (let offset = 0, turn = 0; ; turn ^= 1) {
      if (route) offset = route.next(offset);
      // no bigger than the file (plus a little, in case it grew since stat): a small log needs no 4 MiB buffer
      let length = Math.max(MIN_CHUNK_BYTES, Math.min(CHUNK_BYTES, size - offset + MIN_CHUNK_BYTES));
      if (route) length = Math.max(1, Math.min(length, route.until(offset) - offset));
      const buffer = turns ? turns[turn] : Buffer.allocUnsafe(length);
      let read: number;
      try {
        read = readSync(fd, buffer, 0, length, offset);
      } catch (error) {
        throw asInputError(error, path);
      }
      if (read === 0) return;
      offset += read;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

export async function readStdinSource(): Promise<Source> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { name: '<stdin>', bytes: gunzipIfNeeded(Buffer.concat(chunks), '<stdin>') };
}

function gunzipIfNeeded(bytes: Buffer, name: string): Buffer {
  if (!isGzip(bytes)) return bytes;
  // zlib is loaded only for a gzip log: loading it costs every other run a few milliseconds of start-up
  const { gunzipSync } = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  try {
    return gunzipSync(bytes, { maxOutputLength: GUNZIP_LIMIT });
  } catch (error) {
    // a log still being written is often a gzip stream without its end: keep what decompresses
    try {
      return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */, maxOutputLength: GUNZIP_LIMIT });
    } catch {
      throw new InputError(`is gzip-compressed but does not decompress (${(error as Error).message}); check the file is complete`, name);
    }
  }
}

export function asInputError(error: unknown, path: string): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return new InputError('no such file; check the path', path);
    case 'EACCES':
    case 'EPERM': return new InputError('permission denied; make the file readable or copy it somewhere you can read', path);
    case 'EISDIR': return new InputError(A_DIRECTORY, path);
    case 'ENOTDIR': return new InputError('no such file (a part of the path is not a directory); check the path', path);
    case 'ELOOP': return new InputError('is a symbolic link that loops; check the path', path);
    default: return new InputError(`cannot be read (${code ?? (error as Error).message})`, path);
  }
}
