// Gets the bytes of a log from a file or stdin (or marks a folder for the folder formats), turning every way that can fail into one InputError.

import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { A_DIRECTORY, InputError } from '../errors.js';

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

/**
 * A gzip log stops being read past this many decompressed bytes: a bomb (2 GB of zeros fits in 2 MB) must not
 * run for minutes. 1 GiB is 3.5 times the bench's 10^7-row CSV (~280 MB); LOSSCURVE_MAX_GUNZIP lifts it.
 */
export const GUNZIP_LIMIT_BYTES = 1024 ** 3;
export const GUNZIP_LIMIT_ENV = 'LOSSCURVE_MAX_GUNZIP';
// A bomb is bytes repeated: deflate's best, ~1000 times smaller. Logs compress 3-10 times (the real corpus, the
// bench's logs), a tqdm bar redrawn over and over ~120; so past this ratio, once RATIO_FROM_BYTES are out, the
// input is refused long before the cap (unless LOSSCURVE_MAX_GUNZIP was set: then the user has said how much)
const MAX_GUNZIP_RATIO = 500;
const RATIO_FROM_BYTES = 4 * 1024 * 1024;
// compressed bytes handed to zlib at a time: deflate expands at most ~1032×, so one piece yields at most ~4 MB, and a
// bomb is refused once it is RATIO_FROM_BYTES out (the ratio is judged on what was handed in): a bomb of CSV rows is then
// ~0.7 M rows read when refused, ~25 MB of columns, not the ~1.5 M rows (60 MB) a 16 KiB piece let through
const GUNZIP_INPUT_BYTES = 4 * 1024;
const GUNZIP_OUTPUT_BYTES = 1024 * 1024; // decompressed chunks of this size: as a pipe's, a few hundred per gigabyte
// A stream keeps its first chunks so that the reader that sniffed its head can read it again from the start;
// past this it is read once (a chunk is up to CHUNK_BYTES, so this keeps at most two of them)
const REPLAY_BYTES = 4 * 1024 * 1024;
// Whole-input formats (JSON documents, event files) hold the input whole: past this a stream is refused, as
// readFileSync refuses a bigger file
const WHOLE_LIMIT_BYTES = 2 * 1024 ** 3 - 1;
const EAGAIN_WAIT_MS = 2; // a non-blocking stdin with nothing in it yet: wait this long before reading again

export function readFileSource(given: string): Source {
  let path: string | Buffer = given;
  let stat: Stats;
  let magic: Buffer;
  try {
    stat = statSyncRaw(given, (raw) => { path = raw; });
    if (stat.isDirectory()) return { name: given, bytes: Buffer.alloc(0), directory: true };
    // a pipe or device can be read only once, and a /proc file says it is empty: streamed from one descriptor
    if (!stat.isFile() || stat.size === 0) return streamed(fdChunks(openSync(path, 'r'), given, true), given);
    magic = readStart(path, 2); // opening it here turns a permission problem into an error before any reading
  } catch (error) {
    throw asInputError(error, given);
  }
  return fileSource(path, given, stat.size, magic);
}

function fileSource(path: string | Buffer, name: string, size: number, magic: Buffer): Source {
  // a gzip log is decompressed as it is read
  if (isGzip(magic)) return streamed(gunzipChunks(fileChunks(path, name, size), name), name);
  let whole: Buffer | undefined;
  return {
    name,
    size,
    get bytes() { return (whole ??= readWhole(path, name)); },
    chunks: (route?: ChunkRoute) => fileChunks(path, name, size, route),
    // another thread opens it by name: a name that is not UTF-8 is read by this one alone
    path: typeof path === 'string' ? path : undefined,
  };
}

/**
 * statSync, and for a name holding U+FFFD that is not found, the name as the command line gave it: Node decodes
 * argv as UTF-8, so a file named in Latin-1 arrives with its bytes replaced; /proc/self/cmdline still has them.
 */
function statSyncRaw(path: string, useRaw: (raw: Buffer) => void): Stats {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !path.includes('\uFFFD')) throw error;
    const raw = rawArgument(path);
    if (!raw) throw error;
    useRaw(raw);
    return statSync(raw);
  }
}

function rawArgument(path: string): Buffer | undefined {
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return undefined; // not Linux: the name stays as decoded
  }
  for (let at = 0; at < cmdline.length;) {
    const end = cmdline.indexOf(0, at);
    const arg = cmdline.subarray(at, end < 0 ? cmdline.length : end);
    if (arg.toString('utf8') === path) return Buffer.from(arg);
    at = end < 0 ? cmdline.length : end + 1;
  }
  return undefined;
}

function readWhole(path: string | Buffer, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw asInputError(error, name);
  }
}

function readStart(path: string | Buffer, length: number): Buffer {
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
function* fileChunks(path: string | Buffer, name: string, size: number, route?: ChunkRoute): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw asInputError(error, name);
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
        throw asInputError(error, name);
      }
      if (read === 0) return;
      offset += read;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A pipe, device or terminal in fresh buffers of CHUNK_BYTES, each filled before it is passed on (a pipe gives
 * 64 KiB a read), until the end of input. Never more than one chunk at a time is read: /dev/zero costs 4 MiB.
 */
function* fdChunks(fd: number, name: string, close: boolean): Generator<Buffer> {
  try {
    for (let ended = false; !ended;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      let filled = 0;
      while (filled < buffer.length) {
        let read: number;
        try {
          read = readSync(fd, buffer, filled, buffer.length - filled, null);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') { pause(EAGAIN_WAIT_MS); continue; }
          if (code === 'EOF') read = 0; // Windows' end of a pipe
          else throw asInputError(error, name);
        }
        if (read === 0) { ended = true; break; }
        filled += read;
      }
      if (filled > 0) yield buffer.subarray(0, filled);
    }
  } finally {
    if (close) closeSync(fd);
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Input that can be read once (a pipe, a device, a decompressing gzip) as a Source: its first chunks are kept,
 * so the head read for sniffing is given again to the reader that follows; after them it is read on, not held.
 */
function streamed(input: Iterator<Buffer>, name: string): Source {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let passed = false; // a chunk was passed on without being kept: the stream cannot start over
  let done = false;
  function* chunks(): Generator<Buffer> {
    if (passed) throw new Error(`${name} is a stream and was read again past its first ${REPLAY_BYTES} bytes`);
    for (let i = 0; i < kept.length; i++) yield kept[i];
    while (!done) {
      const next = input.next();
      if (next.done) { done = true; return; }
      if (!passed && keptBytes < REPLAY_BYTES) {
        kept.push(next.value);
        keptBytes += next.value.length;
      } else if (!passed) {
        passed = true;
        kept.length = 0;
      }
      yield next.value;
    }
  }
  let whole: Buffer | undefined;
  return {
    name,
    get bytes() { return (whole ??= wholeOf(chunks(), name)); },
    chunks,
  };
}

function wholeOf(chunks: Iterable<Buffer>, name: string): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  for (const chunk of chunks) {
    length += chunk.length;
    if (length > WHOLE_LIMIT_BYTES) throw new InputError(`is over ${WHOLE_LIMIT_BYTES + 1} bytes, more than this format is read whole; give a smaller file`, name);
    parts.push(chunk);
  }
  return Buffer.concat(parts, length);
}

const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** True when stdin is a terminal: no input was piped in. node:tty is loaded only to ask (it pulls in net and streams). */
export function stdinIsTerminal(): boolean {
  const { isatty } = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
  return isatty(0);
}

/**
 * Stdin as a Source, never read whole: a file redirected in (`< log.csv`) is read as that file (its size known,
 * read in halves when big); a pipe is streamed. Process.stdin is never touched: it would make fd 0 non-blocking.
 */
export async function readStdinSource(): Promise<Source> {
  const name = '<stdin>';
  let stat: Stats;
  try {
    stat = fstatSync(0);
  } catch (error) {
    throw asInputError(error, name);
  }
  if (stat.isFile() && stat.size > 0 && existsSync(STDIN_PATH)) {
    try {
      return fileSource(STDIN_PATH, name, stat.size, readStart(STDIN_PATH, 2));
    } catch {
      // fall through to the stream
    }
  }
  const raw = streamed(fdChunks(0, name, false), name);
  const start = firstChunk(raw);
  return start && isGzip(start) ? streamed(gunzipChunks(raw.chunks!(), name), name) : raw;
}

const STDIN_PATH = '/dev/stdin'; // a file redirected to stdin, opened again so it can be read by offset (and by the helper thread)

function firstChunk(source: Source): Buffer | undefined {
  for (const chunk of source.chunks!()) return chunk;
  return undefined;
}

/** The decompressed size a gzip log may reach: GUNZIP_LIMIT_BYTES, or what LOSSCURVE_MAX_GUNZIP says (bytes, or 500M, 8G). */
export function gunzipLimit(): number {
  const text = process.env[GUNZIP_LIMIT_ENV];
  if (text === undefined || text.trim() === '') return GUNZIP_LIMIT_BYTES;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!match) return GUNZIP_LIMIT_BYTES;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(match[1]) * scale);
}

/** A byte count as the message says it: 4 GiB, 512 MiB, 3000 bytes. */
function sizeText(bytes: number): string {
  for (const [unit, scale] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= scale) return `${Number((bytes / scale).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

interface ZlibEngine {
  _handle: { writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void } | null;
  _writeState: Uint32Array;
  on(event: 'error', listener: () => void): void;
  [key: symbol]: unknown;
}

/**
 * Gzip bytes in, decompressed chunks out, as they are read. Node has no public synchronous stream, so this drives
 * zlib's engine as gunzipSync does inside (its handle's writeSync and the state it fills), a piece at a time; the
 * readers are synchronous, and a whole gzipSync of a bomb is what must not happen. Stops past gunzipLimit().
 */
function* gunzipChunks(input: Iterable<Buffer>, name: string): Generator<Buffer> {
  // zlib is loaded only for a gzip log: loading it costs every other run a few milliseconds of start-up
  const zlib = createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  const { Z_SYNC_FLUSH, Z_FINISH } = zlib.constants;
  const limit = gunzipLimit();
  const checkRatio = !process.env[GUNZIP_LIMIT_ENV];
  let compressed = 0;
  const engine = zlib.createGunzip() as unknown as ZlibEngine;
  const handle = engine._handle;
  const state = engine._writeState;
  const chunks = input[Symbol.iterator]();
  const broken = (why: string) => new InputError(`is gzip-compressed but does not decompress (${why}); check the file is complete`, name);
  if (!handle || typeof handle.writeSync !== 'function' || !(state instanceof Uint32Array)) {
    // a Node whose zlib is built otherwise: decompressed whole, still within the limit
    const compressed: Buffer[] = [];
    for (let next = chunks.next(); !next.done; next = chunks.next()) compressed.push(next.value);
    try {
      yield zlib.gunzipSync(Buffer.concat(compressed), { maxOutputLength: limit + 1 });
    } catch (error) {
      throw broken((error as Error).message);
    }
    return;
  }
  engine.on('error', () => {}); // an error is read from the engine below; this only keeps it from being thrown later
  const errorKey = Object.getOwnPropertySymbols(engine).find((s) => s.description === 'kError');
  let out = Buffer.allocUnsafe(GUNZIP_OUTPUT_BYTES);
  let offset = 0;
  let total = 0;
  let ended = false; // the gzip stream ended before its input did: what follows is no gzip member, and is ignored

  /** Feeds zlib `bytes` with `flush` until it takes no more, yielding what it gives. */
  function* feed(bytes: Buffer, flush: number): Generator<Buffer> {
    let inOff = 0;
    let availIn = bytes.length;
    for (;;) {
      handle!.writeSync(flush, bytes, inOff, availIn, out, offset, out.length - offset);
      const error = errorKey ? engine[errorKey] : undefined;
      if (error || engine._handle === null) throw Object.assign(new Error('zlib'), { cause: error });
      const availOut = state[0];
      const availInAfter = state[1];
      const have = out.length - offset - availOut;
      if (have > 0) {
        total += have;
        if (total > limit) {
          throw new InputError(`is gzip-compressed and decompresses to more than ${sizeText(limit)} (a gzip bomb?); if it is a real log, set ${GUNZIP_LIMIT_ENV}=${sizeText(limit * 4).replace(/ |iB/g, '')} or more`, name);
        }
        if (checkRatio && total > RATIO_FROM_BYTES && total > MAX_GUNZIP_RATIO * compressed) {
          throw new InputError(`is gzip-compressed and decompresses to over ${MAX_GUNZIP_RATIO} times its size, as a gzip bomb does; if it is a real log, set ${GUNZIP_LIMIT_ENV}=${sizeText(limit).replace(/ |iB/g, '')} to read it`, name);
        }
        yield out.subarray(offset, offset + have);
        offset += have;
      }
      inOff += availIn - availInAfter;
      availIn = availInAfter;
      if (availOut === 0) { out = Buffer.allocUnsafe(GUNZIP_OUTPUT_BYTES); offset = 0; continue; }
      if (availIn > 0) ended = true;
      return;
    }
  }

  try {
    for (let next = chunks.next(); !next.done && !ended; next = chunks.next()) {
      for (let at = 0; at < next.value.length && !ended; at += GUNZIP_INPUT_BYTES) {
        compressed += Math.min(GUNZIP_INPUT_BYTES, next.value.length - at);
        yield* feed(next.value.subarray(at, at + GUNZIP_INPUT_BYTES), Z_SYNC_FLUSH);
      }
    }
    if (!ended) yield* feed(Buffer.alloc(0), Z_FINISH);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const why = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    // a log still being written is often a gzip stream without its end: what decompressed is kept
    if (total > 0 && /unexpected end/i.test(why)) return;
    throw broken(total === 0 && /unexpected end/i.test(why) ? 'it ends before any data' : why);
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
