// Runs the CLI in a worker thread for test/helpers/watchdog.ts: one case per message, stdout and stderr captured, the exit code returned.

import { parentPort } from 'node:worker_threads';
import { main } from '../../src/cli.js';

export interface CliRequest { id: number; args: string[] }
export interface CliReply { id: number; code: number; stdout: string; stderr: string; threw?: string }

const port = parentPort;
if (port) {
  let stdout = '';
  let stderr = '';
  // the worker's own streams are the capture: nothing a case prints reaches the test runner's output
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  port.on('message', async ({ id, args }: CliRequest) => {
    stdout = '';
    stderr = '';
    let code = -1;
    let threw: string | undefined;
    try {
      code = await main(['node', 'losscurve', ...args]);
    } catch (error) {
      threw = error instanceof Error ? error.stack ?? error.message : String(error); // main() must never throw
    }
    port.postMessage({ id, code, stdout, stderr, threw } satisfies CliReply);
  });
  port.postMessage('ready');
}
