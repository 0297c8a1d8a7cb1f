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
const GROUP_POLL_MS = 20; // how often the group is checked for members left after the leader's exit: short against any grace period
const ZOMBIE_WAIT_MS = 500; // after SIGKILL the kernel ends a process at once; one still listed this long after is an unreaped zombie
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

/**
 * The command runs in a process group of its own (a new session, so it is the group's leader), and every
 * signal goes to the whole group: `bash train.sh` and the Python trainer it starts stop together. The first
 * SIGINT/SIGTERM/SIGHUP to us (or an --fail-on stop) is passed on and starts the grace period; a second one,
 * or the end of the grace period, is SIGKILL to the group. When the leader exits, what it left running in
 * its group (a data-loader worker, a `cmd &`) is stopped the same way: nothing outlives the run.
 */
export class ChildRun {
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;
  private exit: ChildExit | undefined;
  private signalled = false;
  /** SIGKILL was sent to the group. */
  private killed = false;
  private readonly forward = (signal: NodeJS.Signals) => {
    // in its own session the command no longer hears Ctrl-C from the terminal: every signal is passed on, once
    if (this.signalled) return this.killGroup('SIGKILL');
    this.terminate(signal);
  };
  // our own exit (a bug, an uncaught error) must not leave the group running either
  private readonly lastResort = () => this.killGroup('SIGKILL');

  /** Starts the command; rejects `exited` with an InputError when it cannot be started. */
  constructor(command: string, args: string[], onStdout: ChunkHandler, onStderr: ChunkHandler, private readonly graceMs: number) {
    // listening before the command starts: a signal sent once it runs must find the handler (not the default, death),
    // even when this process is descheduled between the two; the handler itself runs later, on the event loop
    for (const signal of FORWARDED) process.on(signal, this.forward);
    process.on('exit', this.lastResort);
    try {
      this.child = childProcess().spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'], env: childEnv(), detached: true });
    } catch (error) {
      this.cleanUp();
      throw error;
    }
    pipe(this.child.stdout!, onStdout);
    pipe(this.child.stderr!, onStderr);
    this.exited = new Promise<ChildExit>((resolve, reject) => {
      let exitTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (exit: ChildExit) => {
        if (settled) return;
        settled = true;
        if (exitTimer) clearTimeout(exitTimer);
        void this.groupGone().then(() => {
          this.cleanUp();
          resolve(exit);
        });
      };
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        if (this.child.pid !== undefined) return; // a failed kill(); the exit still comes
        this.cleanUp();
        reject(new InputError(`cannot be started (${error.code ?? error.message}); check the command after --`, command));
      });
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        // the leader is gone: whatever it left in its group is stopped (SIGTERM, then SIGKILL after the grace period)
        if (this.groupAlive()) this.terminate('SIGTERM');
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

  /** SIGTERM to the group now, SIGKILL if any of it is still running after the grace period. */
  stop(): void {
    if (this.signalled || this.exit) return;
    this.terminate('SIGTERM');
  }

  /** Sends `signal` to the group and arms the SIGKILL that follows the grace period. */
  private terminate(signal: NodeJS.Signals): void {
    this.signalled = true;
    this.killGroup(signal);
    this.killTimer ??= setTimeout(() => {
      this.killGroup('SIGKILL');
    }, this.graceMs);
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (signal === 'SIGKILL') this.killed = true;
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is gone (ESRCH): nothing left to stop
    }
  }

  private groupAlive(): boolean {
    try {
      process.kill(-this.child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Resolves once no process of the group is left: within the grace period, or just after its SIGKILL. */
  private async groupGone(): Promise<void> {
    let killedAt: number | undefined;
    while (this.groupAlive()) {
      if (!this.killTimer) this.terminate('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
      if (killedAt === undefined && this.killed) killedAt = performance.now();
      // a killed process the system never reaps (a zombie under an init that does not wait) still answers kill(0)
      if (killedAt !== undefined && performance.now() - killedAt > ZOMBIE_WAIT_MS) return;
    }
  }

  private cleanUp(): void {
    for (const signal of FORWARDED) process.off(signal, this.forward);
    if (this.killTimer) clearTimeout(this.killTimer);
    process.off('exit', this.lastResort);
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
