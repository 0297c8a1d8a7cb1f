// Bundles the CLI and its dependencies into one file (dist/bundle/losscurve.js): Node then loads one module, not a hundred, and starts faster.

import { build } from 'esbuild';

/**
 * Node's own modules through require(), not import: importing one as ESM makes Node list all its
 * exports, and listing node:fs's loads the whole streams library (several milliseconds per run).
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    // the require() inside the stand-in module is the real one
    b.onResolve({ filter: /^node:/, namespace: 'builtin' }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /^node:[a-z_/]+$/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/bundle/losscurve.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [builtinsByRequire],
  // CommonJS dependencies (commander, asciichart) and the builtins above call require(); ESM has none of its own
  banner: { js: "import { createRequire as __losscurveRequire } from 'node:module'; const require = __losscurveRequire(import.meta.url);" },
});
