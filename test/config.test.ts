// The config file end to end: found upwards from the working directory, below the flags, --print-config, and each kind of bad file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { CLI, spawnNode } from './helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// a plateau: a warning, so the default policy (error) passes it and "warning" fails it
const PLATEAU = join(ROOT, 'fixtures/patterns/plateau/positive-finetune-stall.jsonl');

const top = mkdtempSync(join(tmpdir(), 'losscurve-config-'));
after(() => rmSync(top, { recursive: true, force: true }));
let made = 0;

/** A fresh folder tree top/N/a/b; `files` maps a path under top/N to its content (objects written as JSON). */
function tree(files: Record<string, unknown>): { root: string; deep: string } {
  const root = join(top, String(made++));
  const deep = join(root, 'a', 'b');
  mkdirSync(deep, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return { root, deep };
}

async function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnNode(CLI, args, { cwd, stdin: 'ignore' });
  const { code } = await child.exit;
  return { code, stdout: (await child.stdout).toString('utf8'), stderr: await child.stderr };
}

/** --print-config's lines as key → [value, where]. */
async function printed(args: string[], cwd: string): Promise<{ file: string; values: Map<string, [string, string]> }> {
  const { code, stdout, stderr } = await run([...args, '--print-config'], cwd);
  assert.equal(code, 0, stderr);
  const [first, ...rest] = stdout.trimEnd().split('\n');
  const values = new Map<string, [string, string]>();
  for (const line of rest) {
    const [key, value, ...where] = line.split(/ +/);
    values.set(key, [value, where.join(' ')]);
  }
  return { file: first.replace(/^config file: /, ''), values };
}

test('the nearest config file wins, from the working directory up; losscurve.config.json beats package.json beside it', async () => {
  const { root, deep } = tree({
    'losscurve.config.json': { vocab: 100 },
    'a/losscurve.config.json': { vocab: 200 },
    'a/package.json': { name: 'x', losscurve: { vocab: 300 } },
  });
  const near = await printed(['diagnose'], deep);
  assert.equal(near.file, join(root, 'a', 'losscurve.config.json'));
  assert.deepEqual(near.values.get('vocab'), ['200', join(root, 'a', 'losscurve.config.json')]);
  const topOnly = await printed(['diagnose'], root);
  assert.deepEqual(topOnly.values.get('vocab'), ['100', join(root, 'losscurve.config.json')]);
});

test('a "losscurve" key in package.json is read; a package.json without one is passed over', async () => {
  const { root, deep } = tree({
    'package.json': { name: 'x', losscurve: { 'fail-on': 'warning', width: 70 } },
    'a/b/package.json': { name: 'inner' },
  });
  const { file, values } = await printed(['watch'], deep);
  assert.equal(file, join(root, 'package.json'));
  assert.deepEqual(values.get('fail-on'), ['warning', join(root, 'package.json')]);
  assert.deepEqual(values.get('width'), ['70', join(root, 'package.json')]);
  assert.equal(values.get('vocab')?.[1], 'default');
});

test('flags beat the config, the config beats the defaults (--print-config on diagnose, watch and run)', async () => {
  const { root, deep } = tree({ 'losscurve.config.json': { vocab: 1000, format: 'json', height: 12, color: false } });
  const path = join(root, 'losscurve.config.json');
  for (const command of ['diagnose', 'watch', 'run']) {
    const { values } = await printed([command, '--vocab', '5', '--no-color'], deep);
    assert.deepEqual(values.get('vocab'), ['5', 'flag'], command);
    assert.deepEqual(values.get('color'), ['false', 'flag'], command);
    assert.deepEqual(values.get('format'), ['json', path], command);
    assert.deepEqual(values.get('height'), ['12', path], command);
    assert.deepEqual(values.get('fail-on'), ['error', 'default'], command);
  }
  // the other spellings of a flag are flags too
  const { values } = await printed(['watch', '--exit-on', 'nan'], deep);
  assert.deepEqual(values.get('fail-on'), ['nan', 'flag']);
});

test('no config file anywhere: every value is a default', async () => {
  const { deep } = tree({});
  const { file, values } = await printed(['diagnose'], deep);
  assert.match(file, /^none found/);
  for (const [key, [, where]] of values) assert.equal(where, 'default', key);
});

test('the config changes what the command does: fail-on and format, and a flag still overrides them', async () => {
  const { deep } = tree({ 'losscurve.config.json': { 'fail-on': 'warning', format: 'json' } });
  const plain = tree({});
  assert.equal((await run(['diagnose', PLATEAU], plain.deep)).code, 0);
  const configured = await run(['diagnose', PLATEAU], deep);
  assert.equal(configured.code, 1, configured.stderr);
  assert.ok(JSON.parse(configured.stdout).findings.some((f: { pattern: string }) => f.pattern === 'plateau'));
  const flagged = await run(['diagnose', PLATEAU, '--fail-on', 'error', '--format', 'text'], deep);
  assert.equal(flagged.code, 0, flagged.stderr);
  assert.throws(() => JSON.parse(flagged.stdout));
});

test('a bad config file is one line on stderr naming the file (and the key), exit 2', async () => {
  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['invalid JSON', { 'losscurve.config.json': '{"vocab": 10,' }, undefined],
    ['unknown key', { 'losscurve.config.json': { thresholds: { spike: 3 } } }, 'thresholds'],
    ['wrong type', { 'losscurve.config.json': { vocab: '50257' } }, 'vocab'],
    ['out of range', { 'losscurve.config.json': { height: 0 } }, 'height'],
    ['not a boolean', { 'losscurve.config.json': { color: 'yes' } }, 'color'],
    ['unknown format', { 'losscurve.config.json': { format: 'html' } }, 'format'],
    ['unknown fail-on word', { 'losscurve.config.json': { 'fail-on': 'warning,bogus' } }, 'fail-on'],
    ['package.json key', { 'package.json': { losscurve: { vocab: -1 } } }, 'losscurve.vocab'],
    ['not an object', { 'losscurve.config.json': '[1, 2]' }, undefined],
  ];
  for (const [name, files, key] of cases) {
    const { root, deep } = tree(files);
    const file = join(root, Object.keys(files)[0]);
    for (const args of [['diagnose', PLATEAU], ['diagnose', '--print-config']]) {
      const { code, stdout, stderr } = await run(args, deep);
      assert.equal(code, 2, `${name}: ${stderr}`);
      assert.equal(stdout, '', name);
      const lines = stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `${name}: ${stderr}`);
      assert.ok(lines[0].includes(file), `${name}: ${lines[0]}`);
      if (key) assert.ok(lines[0].includes(`"${key}"`), `${name}: ${lines[0]}`);
      assert.doesNotMatch(lines[0], /\bat .*\.js:\d+/, name);
    }
  }
});

test('a report format a live command cannot write is bad usage there, and fine for diagnose', async () => {
  const { root, deep } = tree({ 'losscurve.config.json': { format: 'junit' } });
  assert.equal((await run(['diagnose', '--print-config'], deep)).code, 0);
  const { code, stderr } = await run(['watch', '--print-config'], deep);
  assert.equal(code, 2);
  assert.ok(stderr.includes(join(root, 'losscurve.config.json')) && stderr.includes('"format"'), stderr);
  assert.equal((await run(['watch', '--print-config', '--format', 'text'], deep)).code, 0);
});

test('the config file is only read, never written', async () => {
  const text = '{ "vocab": 1000,\n  "fail-on": "warning" }\n';
  const { root, deep } = tree({ 'losscurve.config.json': text });
  await run(['diagnose', PLATEAU], deep);
  await run(['diagnose', '--print-config'], deep);
  assert.equal(readFileSync(join(root, 'losscurve.config.json'), 'utf8'), text);
});

test('run still needs a command when --print-config is not given', async () => {
  const { deep } = tree({});
  const { code, stderr } = await run(['run'], deep);
  assert.equal(code, 2);
  assert.match(stderr, /missing required argument 'command'/);
});
