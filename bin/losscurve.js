#!/usr/bin/env node
// The losscurve command: runs the CLI (the bundle `npm run build` makes, one file that loads fast) and exits with the code it decided.

let cli;
try {
  cli = await import('../dist/bundle/losscurve.js');
} catch (error) {
  // a checkout built with tsc alone has no bundle: the compiled modules do the same, a little slower to load
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  cli = await import('../dist/src/cli.js');
}
process.exitCode = await cli.main(process.argv);
