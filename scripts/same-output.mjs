#!/usr/bin/env node
// Byte-identity check for refactors: records the built CLI's JSON and text reports on every fixture and corpus log, and diffs two recordings.
//
// usage: node scripts/same-output.mjs OUT            record into OUT (emptied first)
//        node scripts/same-output.mjs --compare A B  exit 1 when any recorded file differs or exists on one side only
//
// A developer's tool (no test runs it: a user's clone has no ../shared). Inputs: every file and every folder under
// fixtures/, and every log listed in ../shared/corpus/real*/MANIFEST.json when that checkout exists. For each
// input P it writes OUT/P.json (stdout of --format json), OUT/P.txt (stdout of the text report), OUT/P.err (both
// runs' stderr) and OUT/P.rc (both exit codes); for a file also OUT/P.watch (`watch - --format json` fed the file
// on stdin: the final report and exit code). Corpus paths are recorded under OUT/corpus/. Run it from any
// folder; the CLI always runs from the repository root with relative paths and a fixed environment, so the
// reports (which name the path they read) are comparable between two builds.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SHARED_CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
// the text report's width is the terminal's by default: fixed so a run from a terminal and one from a pipe agree
const WIDTH = '100';
// two runs at once: the machine is shared, and a second process hides most of Node's start-up
const PARALLEL = Math.min(2, availableParallelism());
// the environment each run sees: nothing inherited that could change a report (colour, locale, time zone, terminal)
const ENV = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };

// the file that marks a folder as a recording (so record() may empty it); never compared
const MARKER = '.same-output';

function usage(message) {
  process.stderr.write(`same-output: ${message}\nusage: node scripts/same-output.mjs OUT | --compare DIR1 DIR2\n`);
  process.exit(2);
}

/** Every file and folder under dir, as paths relative to ROOT, sorted (the folder itself included). */
function walk(dir) {
  const found = [relative(ROOT, dir)];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...walk(path));
    else found.push(relative(ROOT, path));
  }
  return found;
}

/** The inputs: [path given to the CLI (relative to ROOT), name under OUT]. */
function inputs() {
  const list = walk(join(ROOT, 'fixtures')).map((path) => [path, path]);
  if (existsSync(SHARED_CORPUS)) {
    for (const batch of readdirSync(SHARED_CORPUS).filter((name) => /^real/.test(name)).sort()) {
      const manifest = join(SHARED_CORPUS, batch, 'MANIFEST.json');
      if (!existsSync(manifest)) continue;
      for (const entry of JSON.parse(readFileSync(manifest, 'utf8'))) {
        const path = relative(ROOT, join(SHARED_CORPUS, batch, entry.file));
        list.push([path, join('corpus', batch, entry.file)]);
      }
    }
  }
  return list;
}

function run(args, stdin) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'losscurve.js'), ...args], { cwd: ROOT, env: ENV, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (stdin !== undefined) {
      child.stdin.on('error', () => {}); // a watch that refuses the input stops reading it
      child.stdin.end(stdin);
    }
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('close', (code, signal) => done({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), rc: signal ? `signal ${signal}` : String(code) }));
  });
}

async function record(outDir) {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'losscurve.cjs'))) usage('no build: run npm run build first');
  // emptied first, but only a folder this script made (its marker inside) or an empty one: never a folder of someone's files
  if (existsSync(outDir) && readdirSync(outDir).length && !existsSync(join(outDir, MARKER))) usage(`${outDir} is not empty and not a recording: give a new folder`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, MARKER), '');
  const todo = inputs();
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const [path, name] = todo[next++];
      const json = await run(['diagnose', path, '--format', 'json']);
      const text = await run(['diagnose', path, '--width', WIDTH]);
      const base = join(outDir, name);
      mkdirSync(dirname(base), { recursive: true });
      if (statSync(join(ROOT, path)).isFile()) {
        // the live path (watch's own sniffing and line parsers) on the same bytes through stdin; its final JSON
        // report only: alerts on stderr come when a timed pass runs, and --fail-on none never ends the watch early
        const watch = await run(['watch', '-', '--format', 'json', '--fail-on', 'none'], readFileSync(join(ROOT, path)));
        writeFileSync(`${base}.watch`, Buffer.concat([watch.stdout, Buffer.from(`--- rc ${watch.rc}\n`)]));
      }
      writeFileSync(`${base}.json`, json.stdout);
      writeFileSync(`${base}.txt`, text.stdout);
      writeFileSync(`${base}.err`, Buffer.concat([Buffer.from('--- json\n'), json.stderr, Buffer.from('--- text\n'), text.stderr]));
      writeFileSync(`${base}.rc`, `json ${json.rc}\ntext ${text.rc}\n`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  process.stdout.write(`same-output: ${todo.length} inputs, ${files(outDir).length} files recorded in ${outDir}\n`);
}

/** Every file under dir, relative to it. */
function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, base);
    return name === MARKER && dir === base ? [] : [relative(base, path)];
  });
}

function compare(a, b) {
  for (const dir of [a, b]) if (!existsSync(dir)) usage(`${dir} does not exist`);
  const left = new Set(files(a));
  const right = new Set(files(b));
  const differ = [];
  for (const name of [...new Set([...left, ...right])].sort()) {
    if (!left.has(name)) differ.push(`only in ${b}: ${name}`);
    else if (!right.has(name)) differ.push(`only in ${a}: ${name}`);
    else if (!readFileSync(join(a, name)).equals(readFileSync(join(b, name)))) differ.push(`differs: ${name}`);
  }
  const count = new Set([...left, ...right]).size;
  if (differ.length) {
    process.stdout.write(`${differ.join('\n')}\nsame-output: ${differ.length} of ${count} files differ\n`);
    process.exit(1);
  }
  process.stdout.write(`same-output: ${count} files compared, 0 differences\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--compare') {
  if (args.length !== 3) usage('--compare takes two folders');
  compare(args[1], args[2]);
} else {
  if (args.length !== 1 || args[0].startsWith('-')) usage('give one output folder');
  await record(resolve(args[0]));
}
