#!/usr/bin/env node
// The losscurve command: loads the CLI (the bundle `npm run build` makes, with its V8 code cache) and exits with the code it decided.
// CommonJS (bin/package.json says so): an ES module entry would start Node's ESM loader, some 8 ms of every run.

'use strict';

const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const EXIT_USAGE = 2;
const here = __dirname;
const BUNDLE = join(here, '..', 'dist', 'bundle', 'losscurve.cjs');
const CODE_CACHE = join(here, '..', 'dist', 'bundle', 'losscurve.cache');
// V8 checks a cache only against the source's length and its own flags: a cache another Node version (or a
// same-length bundle) made could run the wrong code. The cache's first line names what made it, and only a cache
// this very Node made is used (scripts/bundle.mjs writes the same line); any other is ignored and the bundle compiled afresh.
const CACHE_STAMP = `losscurve code cache for node ${process.version} v8 ${process.versions.v8} ${process.platform}-${process.arch}\n`;

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

/**
 * The bundle, compiled with the code cache when this Node made it (see CACHE_STAMP; V8 then checks the source's
 * length and its flags, and compiles afresh otherwise). Undefined when there is no bundle (built with tsc alone).
 */
function loadBundle() {
  let source;
  try {
    source = readFileSync(BUNDLE, 'utf8');
  } catch {
    return undefined;
  }
  let cachedData;
  try {
    const file = readFileSync(CODE_CACHE);
    const stamp = Buffer.from(CACHE_STAMP);
    if (file.length > stamp.length && file.subarray(0, stamp.length).equals(stamp)) cachedData = file.subarray(stamp.length);
  } catch {
    // no cache: compile as usual
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return module.exports;
}

async function main() {
  // without a bundle (built with tsc alone), the compiled ES modules
  const cli = loadBundle() ?? (await import('../dist/src/cli.js'));
  // the shipped command writes no file of its own: the code cache is written at build time, by scripts/bundle.mjs
  process.exitCode = await cli.main(process.argv);
}

main();
