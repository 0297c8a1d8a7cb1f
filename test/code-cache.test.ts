// The V8 code cache bin/losscurve.js loads: used only when this very Node made it; one stamped by another Node is ignored, even one V8 itself would take.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import vm from 'node:vm';
import { FIXTURES, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'losscurve-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LOG = join(FIXTURES, 'patterns', 'nan', 'positive-pretrain-nan-at-1200.csv');
const MARK = 'ran the code of another bundle';
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/** A copy of the command (bin/ and dist/bundle/) whose code cache the test writes. */
function install(): { bin: string; bundle: string; cache: string } {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
  for (const f of ['losscurve.js', 'package.json']) copyFileSync(join(ROOT, 'bin', f), join(dir, 'bin', f));
  for (const f of ['losscurve.cjs', 'worker.js']) copyFileSync(join(ROOT, 'dist', 'bundle', f), join(dir, 'dist', 'bundle', f));
  return { bin: join(dir, 'bin', 'losscurve.js'), bundle: join(dir, 'dist', 'bundle', 'losscurve.cjs'), cache: join(dir, 'dist', 'bundle', 'losscurve.cache') };
}

/**
 * A cache V8 accepts for the bundle but that holds other code: V8 checks only the source's length (and its
 * flags), so a script of the same length compiles to a cache it takes, and running it prints MARK.
 */
function foreignCache(bundle: string): Buffer {
  const length = readFileSync(bundle, 'utf8').length;
  const code = `process.stdout.write(${JSON.stringify(MARK + '\n')}); module.exports.main = async () => 0;`;
  const script = new vm.Script(wrap(code + ' '.repeat(length - code.length)), { filename: bundle });
  const module = { exports: {} as { main?: () => Promise<number> } };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, join(dir, 'dist', 'bundle'));
  void module.exports.main!(); // compiled now, so the cache holds it
  return script.createCachedData();
}

const run = (bin: string) => spawnSync(process.execPath, [bin, 'diagnose', '--format', 'json', LOG], { encoding: 'utf8' });

test('the build writes a cache stamped with the Node that made it', () => {
  const head = readFileSync(join(ROOT, 'dist', 'bundle', 'losscurve.cache')).subarray(0, 200).toString('latin1').split('\n')[0];
  assert.ok(head.includes(process.version) && head.includes(process.versions.v8) && head.includes(process.arch), head);
});

test('a cache stamped by another Node version is ignored: the report is the one without a cache', () => {
  const { bin, bundle, cache } = install();
  rmSync(cache, { force: true });
  const fresh = run(bin);
  assert.equal(fresh.status, 1);
  assert.doesNotMatch(fresh.stdout, new RegExp(MARK));

  const stamp = readFileSync(join(ROOT, 'dist', 'bundle', 'losscurve.cache')).toString('latin1').split('\n')[0] + '\n';
  const payload = foreignCache(bundle);
  // the control: stamped as this Node's, V8 takes it and runs the other code, so the test can tell a cache used from one ignored
  writeFileSync(cache, Buffer.concat([Buffer.from(stamp, 'latin1'), payload]));
  assert.match(run(bin).stdout, new RegExp(MARK));

  for (const other of [stamp.replace(process.version, 'v18.20.4'), stamp.replace(process.versions.v8, '10.2.154.26-node.36'), stamp.replace(process.arch, 'arm64x'), '']) {
    writeFileSync(cache, Buffer.concat([Buffer.from(other, 'latin1'), payload]));
    const result = run(bin);
    assert.equal(result.status, fresh.status);
    assert.equal(result.stdout, fresh.stdout, `stamp ${JSON.stringify(other)}`);
  }
});
