// Bundles the CLI into one CommonJS file and a V8 code cache for it: Node then loads one module, compiled ahead, and starts faster.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { build } from 'esbuild';
import { writeLog } from '../bench/generate.mjs';

const BUNDLE = 'dist/bundle/losscurve.cjs';
// the helper thread's script (src/worker.ts), beside the bundle where src/parallel/helper.ts looks for it
const WORKER = 'dist/bundle/worker.js';
// a sweep's worker thread (src/cli/sweep-worker.ts), beside the bundle where src/cli/sweep.ts looks for it
const SWEEP_WORKER = 'dist/bundle/sweep-worker.js';
const CODE_CACHE = 'dist/bundle/losscurve.cache';
// the library (src/index.ts) as one ES module, beside the CLI's bundle so it finds the worker and docs/patterns alike
const LIBRARY = 'dist/bundle/index.js';
const WARM_ROWS = 2000; // a small log runs every stage once, so the cache holds the code a run needs

/**
 * commander requires node:child_process (for subcommands that are separate executables, which losscurve
 * has none of), and loading it pulls in net and streams: some milliseconds of every start. Commander gets a
 * stand-in that loads the real module only if something is asked of it (losscurve's own `run` loads it itself).
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    // inside the stand-in, the name is the real module (left to Node's require)
    b.onResolve({ filter: /^(node:)?child_process$/, namespace: 'lazy' }, () => ({ path: 'node:child_process', external: true }));
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (args.importer.includes(`${sep}commander${sep}`) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

/**
 * chalk settles its default colour level when imported, from tty.isatty, and loading node:tty pulls in net and
 * streams. losscurve never uses that default (it gives chalk its level), so chalk's own probe gets "no terminal".
 */
const chalkWithoutTty = {
  name: 'chalk-without-tty',
  setup(b) {
    b.onResolve({ filter: /^(node:)?tty$/ }, (args) => (args.importer.includes(`${sep}chalk${sep}`) ? { path: 'tty', namespace: 'no-tty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-tty' }, () => ({ contents: 'export default { isatty: () => false };', loader: 'js' }));
  },
};

// NO_MINIFY=1 keeps names and layout for a readable CPU profile, but still folds constants (ZERO, LF, ...) into
// the code, as the shipped bundle does: hot loops then cost in a profile what they cost in use
const MINIFY = { minifySyntax: true, minifyWhitespace: !process.env.NO_MINIFY, minifyIdentifiers: !process.env.NO_MINIFY };

// what every bundle shares: one file for Node 20, the shipped minification, esbuild's warnings only
const COMMON = { bundle: true, platform: 'node', target: 'node20', ...MINIFY, legalComments: 'none', logLevel: 'warning' };
// an ES module has no require, which a CommonJS dependency bundled in it may call: it gets Node's
const ESM_REQUIRE = { js: "import { createRequire as __losscurveRequire } from 'node:module'; const require = __losscurveRequire(import.meta.url);" };

await build({
  ...COMMON,
  entryPoints: ['src/cli.ts'],
  plugins: [lazyChildProcess, chalkWithoutTty],
  outfile: BUNDLE,
  // CommonJS, because Node 20 can hand a code cache to a script (vm.Script) but not to an ES module
  format: 'cjs',
  define: { 'import.meta.url': '__losscurveUrl' },
  banner: { js: "const __losscurveUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// `import 'losscurve'`: an ES module
await build({ ...COMMON, entryPoints: ['src/index.ts'], plugins: [chalkWithoutTty], outfile: LIBRARY, format: 'esm', banner: ESM_REQUIRE });

// the helper thread's script: an ES module, as the package is ("type": "module"), so the same name works for the
// bundle and for tsc's output
await build({ ...COMMON, entryPoints: ['src/worker.ts'], outfile: WORKER, format: 'esm' });

// the same for a sweep's worker; it reads and diagnoses whole runs, so it carries the pipeline (not the CLI's reports)
await build({ ...COMMON, entryPoints: ['src/cli/sweep-worker.ts'], plugins: [chalkWithoutTty], outfile: SWEEP_WORKER, format: 'esm', banner: ESM_REQUIRE });

/**
 * The cache is written here, at build time, by a run of the bundle loaded as bin/losscurve.js loads it (the same
 * wrapper, so V8 accepts the cache there): it then holds every function that run compiled, lazily compiled ones
 * included. The shipped command only reads the cache, so nothing a user sets can make it write a file. Its first
 * line names the Node that made it, as bin/losscurve.js's CACHE_STAMP does: a cache of another Node is never used.
 */
const WRITE_CACHE = `
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, resolve } = require('node:path');
const vm = require('node:vm');
const [bundle, cache, log] = process.argv.slice(1);
const file = resolve(bundle);
const source = readFileSync(file, 'utf8');
const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + source + '\\n})', { filename: file });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
module.exports.main(['node', 'losscurve', 'diagnose', log]).then((code) => {
  if (code !== 0) process.exit(code);
  const stamp = 'losscurve code cache for node ' + process.version + ' v8 ' + process.versions.v8 + ' ' + process.platform + '-' + process.arch + '\\n';
  writeFileSync(cache, Buffer.concat([Buffer.from(stamp), script.createCachedData()]));
});
`;

const dir = mkdtempSync(join(tmpdir(), 'losscurve-build-'));
try {
  const log = join(dir, 'warm.csv');
  writeLog(log, WARM_ROWS, 'csv');
  rmSync(CODE_CACHE, { force: true });
  // the text report (the default) is the path to warm: it draws the chart, JSON skips it
  const run = spawnSync(process.execPath, ['-e', WRITE_CACHE, BUNDLE, CODE_CACHE, log], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) process.stderr.write('bundle: no code cache written (losscurve still works, it starts a little slower)\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
