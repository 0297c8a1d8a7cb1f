// Copies every input byte to an output as it arrives, in order and unchanged: waits when the reader is slow, stops quietly when it goes away.

import type { Writable } from 'node:stream';

/** Error codes that mean the reader went away (`| head`), which is how a pipe ends, not a failure. */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

export class Tee {
  /** The reader went away or the output failed: nothing more is written. */
  closed = false;

  /** `onClosed` hears once that the output is gone, with the error when it was more than a reader leaving. */
  constructor(private readonly out: Writable, private readonly onClosed: (failure?: Error) => void) {
    out.on('error', (error: NodeJS.ErrnoException) => this.close(READER_GONE.has(error.code ?? '') ? undefined : error));
  }

  /**
   * Writes a chunk at once (never waiting for a whole line). Returns a promise when the output is
   * full: the caller reads no more input until it resolves, so memory stays bounded on a slow reader.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.out.write(chunk)) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
      this.out.on('error', done);
    });
  }

  private close(failure?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(failure);
  }
}
