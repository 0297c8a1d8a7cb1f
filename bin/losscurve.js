#!/usr/bin/env node
// The losscurve command: runs the CLI (the bundle `npm run build` makes, one file that loads fast) and exits with the code it decided.

const EXIT_USAGE = 2;

// nothing may reach the user as a stack trace: whatever escapes main() is still one line and exit 2
process.on('uncaughtException', (error) => {
  process.stderr.write(`losscurve: internal error: ${String(error?.message ?? error).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')} (please report this)\n`);
  process.exit(EXIT_USAGE);
});
// a reader that stops early (losscurve diagnose big.csv | head) closes the pipe: not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

let cli;
try {
  cli = await import('../dist/bundle/losscurve.js');
} catch (error) {
  // a checkout built with tsc alone has no bundle: the compiled modules do the same, a little slower to load
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  cli = await import('../dist/src/cli.js');
}
process.exitCode = await cli.main(process.argv);
