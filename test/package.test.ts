// The npm package as a user gets it: exactly the files meant to ship, the size README states, no install step, and a fresh folder where the packed tarball imports, diagnoses and type-checks.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, test } from 'node:test';
import { PATTERN_IDS } from '../src/index.js';
import { FIXTURES, ROOT } from './helpers.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// the packed size may drift this far from README's figure before README must be updated: a detector's tweak
// moves the bundle by a few kB, a new dependency or a stray folder by far more
const SIZE_TOLERANCE = 0.1;
// what the bundles need at run time (they inline it, but the package declares it): copied into the fresh folder
const DEPENDENCIES = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies ?? {});

const dir = mkdtempSync(join(tmpdir(), 'losscurve-package-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

/** npm pack's own account of the package; scripts are not run (npm test has just built). */
function pack(...args: string[]): Packed {
  const out = execFileSync(NPM, ['pack', '--json', '--ignore-scripts', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out) as Packed[])[0];
}

/** The declarations the API's entry needs: dist/types/index.d.ts and every declaration it imports, as tsc wrote them. */
function typeFiles(): string[] {
  const root = join(ROOT, 'dist', 'types');
  const seen = new Set<string>();
  const todo = [join(root, 'index.d.ts')];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)\.js['"]/g)) todo.push(resolve(dirname(file), `${m[1]}.d.ts`));
  }
  return [...seen].map((f) => `dist/types/${relative(root, f)}`);
}

test('npm pack ships exactly the command, the library, its declarations and the pattern pages', () => {
  const packed = pack('--dry-run');
  const intended = [
    'LICENSE', 'README.md', 'package.json',
    // the command: the CommonJS entry and the bundle it loads with its code cache, the helper thread's script and a sweep worker's
    'bin/losscurve.js', 'bin/package.json', 'dist/bundle/losscurve.cjs', 'dist/bundle/losscurve.cache', 'dist/bundle/worker.js', 'dist/bundle/sweep-worker.js',
    // the library: one ES module (the CommonJS entry is the command's bundle) and its declarations
    'dist/bundle/index.js', ...typeFiles(),
    // `losscurve explain` prints these
    ...PATTERN_IDS.map((id) => `docs/patterns/${id}.md`),
  ].sort();
  assert.deepEqual(packed.files.map((f) => f.path).sort(), intended);
  assert.ok(!packed.files.some((f) => f.path.startsWith('dist/src/')), 'no tsc output beside the bundles');
});

test('README states the packed size, within a tenth', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const stated = /about (\d+) kB packed/.exec(readme);
  assert.ok(stated, 'README says "about N kB packed"');
  const size = pack('--dry-run').size / 1000;
  const kb = Number(stated[1]);
  assert.ok(Math.abs(size - kb) <= kb * SIZE_TOLERANCE, `packed ${size.toFixed(0)} kB, README says ${kb} kB: update README`);
});

test('the package runs nothing when installed: no install scripts, the build is prepack (the repository\'s)', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(manifest.scripts[hook], undefined, `no ${hook} script`);
  assert.equal(manifest.scripts.prepack, 'npm run build');
  assert.equal(manifest.exports['.'].types, manifest.types);
  assert.equal(manifest.exports['.'].import, manifest.main);
});

test('a fresh folder: npm install of the tarball, a two-line ESM script, a CommonJS require, and TypeScript on the shipped types', () => {
  const packDir = join(dir, 'pack');
  mkdirSync(packDir);
  const tarball = join(packDir, pack('--pack-destination', packDir).filename);
  const app = join(dir, 'app');
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // no network: the dependencies come from this repository's node_modules, so npm has nothing to fetch
  for (const name of DEPENDENCIES) cpSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name), { recursive: true });
  const install = spawnSync(NPM, ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);
  assert.doesNotMatch(install.stdout + install.stderr, /install-scripts|prepare/, 'npm warns of no install script');
  assert.deepEqual(readdirSync(join(app, 'node_modules', 'losscurve')).sort(), ['LICENSE', 'README.md', 'bin', 'dist', 'docs', 'package.json']);

  const log = join(FIXTURES, 'patterns', 'nan', 'positive-pretrain-nan-at-1200.csv');
  writeFileSync(join(app, 'check.js'), "import { readLog, diagnose } from 'losscurve';\nconsole.log(diagnose(readLog(process.argv[2])).verdict);\n");
  assert.equal(execFileSync(process.execPath, ['check.js', log], { cwd: app, encoding: 'utf8' }), 'failing\n');
  const required = execFileSync(process.execPath, ['-e', "const l = require('losscurve'); console.log(l.diagnose(l.readLog(process.argv[1]), { failOn: 'none' }).verdict)", log], { cwd: app, encoding: 'utf8' });
  assert.equal(required, 'warning\n');
  // the command too, from the installed bin
  const cli = spawnSync(process.execPath, [join(app, 'node_modules', '.bin', 'losscurve'), 'diagnose', '--quiet', log], { cwd: app, encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.match(cli.stdout, /FAILING/);

  // a TypeScript consumer, compiled with the repository's tsc against the installed declarations (and @types/node)
  cpSync(join(ROOT, 'test', 'types', 'consumer.ts'), join(app, 'consumer.ts'));
  const tsc = spawnSync(process.execPath, [
    TSC, '--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), 'consumer.ts',
  ], { cwd: app, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('the type test fails on a misuse: tsc is really checking the shipped types', () => {
  // the same consumer with one more misuse that carries no @ts-expect-error: it must not compile
  const bad = join(ROOT, 'test', 'types', 'consumer.ts');
  const file = join(dir, 'misuse.ts');
  writeFileSync(file, readFileSync(bad, 'utf8').replace("from 'losscurve'", `from '${join(ROOT, 'dist', 'types', 'index.js')}'`) + "\nreadLog(process.argv[2]).rows.toUpperCase();\n");
  const tsc = spawnSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), file], { encoding: 'utf8' });
  assert.notEqual(tsc.status, 0);
  assert.match(tsc.stdout, /toUpperCase/);
});
