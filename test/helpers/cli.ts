// Spawning the real CLI and the fake trainer for watch and run tests: collected output, alert lines as data, exit codes.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = `${ROOT}bin/losscurve.js`;
export const TRAINER = `${ROOT}test/helpers/fake-trainer.mjs`;
export const NODE = process.execPath;

export const WATCHDOG_MS = 60_000; // a watchdog, not a timing assertion: a hung test fails here instead of hanging the suite (generous: a loaded 2-core machine reads 8 MiB of random bytes in ~20 s)

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  stdout: Promise<Buffer>;
  stderr: Promise<string>;
  stderrBytes: Promise<Buffer>;
  exit: Promise<Exit>;
  /** Resolves once stdout has held `text` (decoded as UTF-8). */
  output(text: string): Promise<void>;
  /** Resolves when stderr first holds a line the predicate accepts, with the time it was seen. */
  line(accept: (line: string) => boolean): Promise<{ line: string; at: number }>;
}

/** Spawns a node script with piped stdio, collecting stdout bytes and stderr text; killed by the watchdog if it hangs. */
export function spawnNode(script: string, args: string[], options: { stdin?: 'pipe' | 'ignore'; cwd?: string } = {}): Spawned {
  const child = spawn(NODE, [script, ...args], { stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'], cwd: options.cwd });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), WATCHDOG_MS);
  const out: Buffer[] = [];
  const errBytes: Buffer[] = [];
  let err = '';
  const waiters: Array<{ accept: (l: string) => boolean; resolve: (v: { line: string; at: number }) => void }> = [];
  let outText = '';
  const outWaiters: Array<{ text: string; resolve: () => void }> = [];
  child.stdout!.on('data', (c: Buffer) => {
    out.push(c);
    outText += c.toString('utf8');
    for (const w of outWaiters.slice()) if (outText.includes(w.text)) { outWaiters.splice(outWaiters.indexOf(w), 1); w.resolve(); }
  });
  child.stderr!.on('data', (c: Buffer) => {
    errBytes.push(c);
    err += c.toString('utf8');
    const lines = err.split('\n');
    for (const w of waiters.slice()) {
      const hit = lines.find((l) => w.accept(l));
      if (hit !== undefined) { waiters.splice(waiters.indexOf(w), 1); w.resolve({ line: hit, at: performance.now() }); }
    }
  });
  const exit = new Promise<Exit>((resolve) => child.on('close', (code, signal) => { clearTimeout(watchdog); resolve({ code, signal }); }));
  return {
    child,
    exit,
    stdout: exit.then(() => Buffer.concat(out)),
    stderr: exit.then(() => err),
    stderrBytes: exit.then(() => Buffer.concat(errBytes)),
    output: (text) => new Promise((resolve) => (outText.includes(text) ? resolve() : outWaiters.push({ text, resolve }))),
    line: (accept) => new Promise((resolve) => {
      const hit = err.split('\n').find((l) => accept(l));
      if (hit !== undefined) resolve({ line: hit, at: performance.now() });
      else waiters.push({ accept, resolve });
    }),
  };
}

export const cli = (args: string[]) => spawnNode(CLI, args);

/**
 * The fake trainer piped into `losscurve watch ARGS`; the trainer's own exit (EPIPE when watch stopped)
 * is ignored. `produced(text)` resolves once the trainer has written `text` into the pipe.
 */
export function trainerIntoWatch(trainerArgs: string[], watchArgs: string[]): Spawned & { produced(text: string): Promise<void> } {
  const watch = cli(['watch', ...watchArgs]);
  const trainer = spawn(NODE, [TRAINER, ...trainerArgs], { stdio: ['ignore', 'pipe', 'ignore'] });
  let written = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  trainer.stdout.on('data', (c: Buffer) => {
    written += c.toString();
    for (const w of waiters.slice()) if (written.includes(w.text)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  });
  trainer.stdout.pipe(watch.child.stdin!);
  watch.child.stdin!.on('error', () => {}); // watch stopping early closes its stdin: the trainer's side of the pipe breaks, as it should
  void watch.exit.then(() => trainer.kill('SIGKILL'));
  return {
    ...watch,
    produced: (text) => new Promise((resolve) => (written.includes(text) ? resolve() : waiters.push({ text, resolve }))),
  };
}

interface JsonAlert { pattern: string; series: string; start_step: number; end_step: number; run: number; message: string; update?: boolean }

/** Alert lines printed with --json: one finding object per line, anything else ignored; the end's updates (`"update": true`) only when asked. */
export function jsonAlerts(stderr: string, withUpdates = false): JsonAlert[] {
  return stderr.split('\n').filter((l) => l.startsWith('{"pattern"')).map((l) => JSON.parse(l) as JsonAlert).filter((a) => withUpdates || !a.update);
}

/** The JSON report at the end of stderr (watch --tee, run): from the line that is just "{" to the end. */
export function trailingReport(stderr: string): { findings: unknown[]; rows: number; runs: { count: number } } {
  const start = stderr.lastIndexOf('\n{\n');
  const text = start >= 0 ? stderr.slice(start + 1) : stderr.startsWith('{\n') ? stderr : '';
  return JSON.parse(text);
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when a process with this id is still running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
