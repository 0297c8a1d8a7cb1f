// The training command as a child process: its stdout and stderr piped through us, signals passed on, stopped with SIGTERM then SIGKILL.

import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { InputError } from '../read/errors.js';

/** Handles one chunk the child wrote; a returned promise holds the child's stream until it resolves (backpressure). */
export type ChunkHandler = (chunk: Buffer) => Promise<void> | undefined;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const STDIO_AFTER_EXIT_MS = 2000; // a grandchild (a data-loader worker) may hold the pipes open after the child exits: stop waiting then

/**
 * The child's environment: ours, plus PYTHONUNBUFFERED=1 unless set. Python buffers stdout in 8 KiB
 * blocks when it is a pipe, which would hold a NaN line back for minutes; the user's own setting wins.
 */
function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PYTHONUNBUFFERED: process.env.PYTHONUNBUFFERED ?? '1' };
}

/** 128 + the signal's number, as a shell reports a command a signal ended. */
export function signalExitCode(signal: NodeJS.Signals): number {
  // node:os loaded here, not at start: every diagnose would pay for it
  const { constants } = createRequire(import.meta.url)('node:os') as typeof import('node:os');
  return 128 + (constants.signals[signal] ?? 0);
}

/** node:child_process, loaded when a command is started: importing it up front costs every other command start-up time. */
function childProcess(): typeof import('node:child_process') {
  return createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
}

export class ChildRun {
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;
  private exit: ChildExit | undefined;
  private readonly forward = (signal: NodeJS.Signals) => {
    // Ctrl-C on a terminal already reached the child (same process group): a second SIGINT would cut its cleanup short
    if (signal === 'SIGINT' && process.stdin.isTTY) return;
    this.child.kill(signal);
  };

  /** Starts the command; rejects `exited` with an InputError when it cannot be started. */
  constructor(command: string, args: string[], onStdout: ChunkHandler, onStderr: ChunkHandler, private readonly graceMs: number) {
    this.child = childProcess().spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'], env: childEnv() });
    for (const signal of FORWARDED) process.on(signal, this.forward);
    pipe(this.child.stdout!, onStdout);
    pipe(this.child.stderr!, onStderr);
    this.exited = new Promise<ChildExit>((resolve, reject) => {
      let exitTimer: NodeJS.Timeout | undefined;
      const settle = (exit: ChildExit) => {
        if (exitTimer) clearTimeout(exitTimer);
        this.cleanUp();
        resolve(exit);
      };
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        if (this.child.pid !== undefined) return; // a failed kill(); the exit still comes
        this.cleanUp();
        reject(new InputError(`cannot be started (${error.code ?? error.message}); check the command after --`, command));
      });
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        exitTimer = setTimeout(() => {
          this.child.stdout?.destroy();
          this.child.stderr?.destroy();
          settle(this.exit!);
        }, STDIO_AFTER_EXIT_MS);
      });
      // 'close' comes once the child exited and both pipes are read to their end: nothing written is lost
      this.child.once('close', (code, signal) => settle(this.exit ?? { code, signal }));
    });
  }

  /** SIGTERM now, SIGKILL if it is still running after the grace period. */
  stop(): void {
    if (this.exit || this.killTimer) return;
    this.child.kill('SIGTERM');
    this.killTimer = setTimeout(() => {
      if (!this.exit) this.child.kill('SIGKILL');
    }, this.graceMs);
  }

  private cleanUp(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    for (const signal of FORWARDED) process.off(signal, this.forward);
  }
}

/** Reads a child's stream chunk by chunk, pausing it while the handler's output is full. */
function pipe(stream: Readable, handler: ChunkHandler): void {
  stream.on('data', (chunk: Buffer) => {
    const wait = handler(chunk);
    if (!wait) return;
    stream.pause();
    void wait.then(() => stream.resume());
  });
}
