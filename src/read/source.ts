// Gets the bytes of a log from a file or stdin (or marks a folder for the folder formats), turning every way that can fail into one InputError.

import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from './errors.js';

export interface Source {
  /** How messages name the input: the path as given, or "<stdin>". */
  name: string;
  bytes: Buffer;
  /** True for a folder (a TensorBoard run, an MLflow run, lightning_logs): no bytes, read by the folder formats. */
  directory?: boolean;
}

const GUNZIP_LIMIT = 4 * 1024 ** 3; // a gzip bomb stops here; no real loss log is bigger

export function readFileSource(path: string): Source {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) return { name: path, bytes: Buffer.alloc(0), directory: true };
    bytes = readFileSync(path);
  } catch (error) {
    throw asInputError(error, path);
  }
  return { name: path, bytes: gunzipIfNeeded(bytes, path) };
}

export async function readStdinSource(): Promise<Source> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { name: '<stdin>', bytes: gunzipIfNeeded(Buffer.concat(chunks), '<stdin>') };
}

function gunzipIfNeeded(bytes: Buffer, name: string): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
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
    case 'EISDIR': return new InputError('is a directory; give the log file inside it', path);
    default: return new InputError(`cannot be read (${code ?? (error as Error).message})`, path);
  }
}
