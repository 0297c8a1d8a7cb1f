// Where watch's bytes come from: stdin as it is written, or a file followed like `tail -F` (waits for growth, survives truncation and rotation).

import { promises as fsPromises, watch as watchPath, type FSWatcher, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { A_DIRECTORY, InputError } from '../read/errors.js';
import { asInputError } from '../read/engine/source.js';

export interface ChunkSource {
  chunks(): AsyncIterable<Buffer>;
  /** Ends once what is already written has been read: a file to its current end, a pipe after a short drain. */
  finishSoon(): void;
  /** Ends now. */
  stop(): void;
}

const DRAIN_MS = 1500; // after Ctrl-C the writer usually dies too: its last lines (a traceback) arrive within this, then we stop anyway
const POLL_MS = 100; // a file is checked for growth ten times a second even when the file system sends no event
const READ_BYTES = 64 * 1024; // one read: large enough for throughput, small enough that a line reaches the parser promptly

/** A readable stream (stdin), chunk by chunk, as it arrives. */
export class StreamSource implements ChunkSource {
  private stopped = false;
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: Readable) {}

  async *chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of this.stream) {
        yield chunk as Buffer;
        if (this.stopped) return;
      }
    } catch (error) {
      // destroying the stream to stop reading ends the iteration with a premature-close error: that is our stop
      if (!this.stopped) throw error;
    } finally {
      if (this.drainTimer) clearTimeout(this.drainTimer);
    }
  }

  finishSoon(): void {
    this.drainTimer ??= setTimeout(() => this.stop(), DRAIN_MS);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream.destroy();
  }
}

/**
 * Follows a file from its first byte. At its end it waits (a file-system event or a poll) and reads
 * on. A file that shrank was truncated: reading starts over at 0. A path that now names another file
 * was rotated: the old file is read to its end first, then the new one from 0. A path that is gone
 * is waited for. `onRestart` hears of each truncation or rotation.
 */
export class FileFollower implements ChunkSource {
  onRestart: (why: 'truncated' | 'rotated') => void = () => {};
  private position = 0;
  private stopped = false;
  private ending = false;
  private wake: (() => void) | undefined;
  private watcher: FSWatcher | undefined;

  private constructor(private readonly path: string, private handle: FileHandle, private identity: Stats) {}

  /** Opens the file; a missing or unreadable file is an InputError (watch needs a file that exists to start). */
  static async open(path: string): Promise<FileFollower> {
    try {
      const info = await fsPromises.stat(path);
      if (info.isDirectory()) throw new InputError(A_DIRECTORY, path);
      const handle = await fsPromises.open(path, 'r');
      return new FileFollower(path, handle, await handle.stat());
    } catch (error) {
      throw asInputError(error, path);
    }
  }

  async *chunks(): AsyncGenerator<Buffer> {
    this.watchForChanges();
    try {
      while (!this.stopped) {
        const chunk = await this.read();
        if (chunk) { yield chunk; continue; }
        const now = await fsPromises.stat(this.path).catch(() => undefined);
        if (now && (now.ino !== this.identity.ino || now.dev !== this.identity.dev)) {
          // rotated: a last write to the old file between our read and the stat is still read first
          const tail = await this.read();
          if (tail) { yield tail; continue; }
          if (await this.reopen()) this.onRestart('rotated');
          continue;
        }
        if (now && now.size < this.position) {
          this.position = 0;
          this.onRestart('truncated');
          continue;
        }
        if (this.ending) return;
        await this.sleep();
      }
    } finally {
      this.watcher?.close();
      await this.handle.close().catch(() => {});
    }
  }

  finishSoon(): void {
    this.ending = true;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async read(): Promise<Buffer | undefined> {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const { bytesRead } = await this.handle.read(buffer, 0, READ_BYTES, this.position);
    if (bytesRead === 0) return undefined;
    this.position += bytesRead;
    return buffer.subarray(0, bytesRead);
  }

  /** Switches to the file the path names now; false when it is gone again (or unreadable) before we open it. */
  private async reopen(): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await fsPromises.open(this.path, 'r');
    } catch {
      return false;
    }
    await this.handle.close().catch(() => {});
    this.handle = handle;
    this.identity = await handle.stat();
    this.position = 0;
    this.watchForChanges();
    return true;
  }

  /** File-system events wake the reader at once; the poll is the fallback where they are missing (network file systems). */
  private watchForChanges(): void {
    this.watcher?.close();
    try {
      this.watcher = watchPath(this.path, { persistent: false }, () => this.wake?.());
      this.watcher.on('error', () => {});
    } catch {
      this.watcher = undefined;
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, POLL_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
