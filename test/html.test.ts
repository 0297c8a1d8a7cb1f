// The --html report without a browser: decimation's bound, escaping of names from the input, refusals, and the wiring beside --format.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decimate, htmlReport, MAIN_COLUMNS, ticksWithin } from '../src/report/html.js';
import { diagnoseFile, ROOT } from './helpers.js';
import { tempFolder } from './helpers/formats.js';
import { HOSTILE_COLUMN, HOSTILE_FILE, nanJsonl, noise, SINGLE_LOGS, spikeCsv, writeSweep } from './helpers/html-logs.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');
const dir = tempFolder();

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir.path, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  for (const log of SINGLE_LOGS) dir.write(log.name, log.text());
  writeSweep((relative, text) => dir.write(relative, text));
  dir.write(HOSTILE_FILE, readFileSync(join(dir.path, 'healthy.csv'), 'utf8').replace('step,loss,val_loss', `step,${HOSTILE_COLUMN},val_loss`));
});
after(() => dir.cleanup());

describe('decimation', () => {
  test('a million points become at most two per pixel column, keeping each column\'s extremes and its NaN', () => {
    const n = 1_000_000;
    const r = noise(1);
    const steps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) { steps[i] = i; values[i] = 3 + r(); }
    values[123_456] = 40; // a one-point spike must survive
    values[654_321] = -5;
    values[900_000] = NaN;
    const d = decimate({ name: 'loss', steps, values, lines: new Uint32Array(0) as never }, 0, n - 1, MAIN_COLUMNS);
    assert.ok(d.steps.length <= 2 * MAIN_COLUMNS, `${d.steps.length} points`);
    assert.ok(d.steps.length > MAIN_COLUMNS, 'both the min and the max of most columns');
    assert.equal(Math.max(...d.values.map((v) => v ?? -Infinity)), 40);
    assert.ok(d.steps.includes(123_456));
    assert.equal(Math.min(...d.values.map((v) => v ?? Infinity)), -5);
    assert.deepEqual(d.bad, [900_000]);
    for (let i = 1; i < d.steps.length; i++) assert.ok(d.steps[i] > d.steps[i - 1], 'in step order');
  });

  test('a short curve is kept whole; ticks are round', () => {
    const steps = Float64Array.from([0, 10, 20]);
    const values = Float64Array.from([2, NaN, 1]);
    const d = decimate({ name: 'loss', steps, values, lines: new Uint32Array(0) as never }, 0, 20, MAIN_COLUMNS);
    assert.deepEqual(d, { steps: [0, 10, 20], values: [2, null, 1], bad: [10] });
    assert.deepEqual(ticksWithin(10, 10000, 4), [2500, 5000, 7500, 10000]);
    assert.deepEqual(ticksWithin(0.31, 2.8, 5), [0.5, 1, 1.5, 2, 2.5]);
  });

  test('a 300,000-row log gives a page of bounded size', () => {
    const rows = ['step,loss'];
    const r = noise(2);
    for (let s = 0; s < 300_000; s++) rows.push(`${s},${(2 * Math.exp(-s / 50_000) + 0.5 + 0.05 * r()).toFixed(4)}`);
    dir.write('long.csv', rows.join('\n') + '\n');
    const out = run(['diagnose', 'long.csv', '--quiet', '--html', 'long.html']);
    assert.equal(out.code, 0, out.stderr);
    const size = statSync(join(dir.path, 'long.html')).size;
    assert.ok(size < 100_000, `${size} bytes`);
    assert.ok(statSync(join(dir.path, 'long.csv')).size > 10 * size);
  });
});

describe('the y axis', () => {
  const scaleOf = (rows: string[]) => {
    const path = dir.write(`scale-${rows.length}-${rows[1]}.csv`, rows.join('\n') + '\n');
    return /data-y-scale="([a-z]+)"/.exec(htmlReport(diagnoseFile(path)))?.[1];
  };

  test('log for a blow-up over orders of magnitude; linear where a log axis would flatten a curve (a +31% validation rise)', () => {
    const blowup = ['step,loss'];
    for (let s = 0; s <= 600; s += 10) blowup.push(`${s},${(s < 300 ? 10 * Math.exp(-s / 200) : 2.2 * Math.exp((s - 300) / 42)).toFixed(4)}`);
    assert.equal(scaleOf(blowup), 'log');
    const fewEvals = ['step,loss,eval_loss'];
    for (let s = 25; s <= 5000; s += 25) fewEvals.push(`${s},${(0.3 * Math.exp(-s / 800)).toExponential(3)},${s % 1000 ? '' : (0.32 + 0.1 * (s - 1000) / 4000).toFixed(4)}`);
    assert.equal(scaleOf(fewEvals), 'linear');
  });
});

describe('diagnose --html', () => {
  test('beside --format: stdout as without --html, the same exit code, the page self-contained', () => {
    const plain = run(['diagnose', 'nan.jsonl', '--format', 'json']);
    const both = run(['diagnose', 'nan.jsonl', '--format', 'json', '--html', 'nan.html']);
    assert.equal(plain.code, 1);
    assert.equal(both.code, 1, both.stderr);
    assert.equal(both.stdout, plain.stdout);
    assert.equal(both.stderr, '');
    const html = readFileSync(join(dir.path, 'nan.html'), 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(html, /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i, 'no URL at all');
    assert.doesNotMatch(html, /<(link|img|iframe|object|embed)\b/i);
    assert.equal(html.match(/<script\b/g)?.length, 1, 'one inline script: the tooltip');
    // every finding of the report is in the page: its list item and its band on the chart
    for (const f of JSON.parse(plain.stdout).findings) {
      const attrs = `data-pattern="${f.pattern}" data-series="${f.series}" data-start-step="${f.start_step}" data-end-step="${f.end_step}"`;
      assert.equal(html.split(attrs).length - 1, 2, attrs);
    }
    assert.match(html, /data-pattern="nan" data-series="train" data-start-step="700"/);
  });

  test('a sweep gives one page: the table worst first, then each run with a chart of its own', () => {
    const json = JSON.parse(run(['diagnose', 'sweep', '--format', 'json']).stdout);
    const out = run(['diagnose', 'sweep', '--html', 'sweep.html']);
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stdout, /Summary: 4 runs/);
    const html = readFileSync(join(dir.path, 'sweep.html'), 'utf8');
    const table = html.slice(html.indexOf('<table'), html.indexOf('</table>'));
    const files = [...table.matchAll(/<a href="#run-[0-9]+">([^<]+)<\/a>/g)].map((m) => m[1]);
    assert.deepEqual([...files].sort(), json.map((e: { file: string }) => e.file).sort());
    assert.equal(files[0], 'sweep/nan.jsonl', 'the failing run first');
    assert.equal(html.match(/<section class="run" id="run-/g)?.length, 4);
    assert.equal(html.match(/<svg /g)?.length, 4);
    for (const entry of json) for (const f of entry.findings) assert.ok(html.includes(`data-pattern="${f.pattern}" data-series="${f.series}" data-start-step="${f.start_step}"`), `${entry.file}: ${f.pattern}`);
    // the charts come back from the worker threads too: one after another in this thread or on a pool, the same page
    run(['diagnose', 'sweep', '--jobs', '1', '--html', 'sweep-1.html']);
    run(['diagnose', 'sweep', '--jobs', '2', '--html', 'sweep-2.html']);
    assert.equal(readFileSync(join(dir.path, 'sweep-2.html'), 'utf8'), readFileSync(join(dir.path, 'sweep-1.html'), 'utf8'));
  });

  test('a sweep with an input that cannot be read still writes its page, the input as an unreadable row and section; exit 2', () => {
    const out = run(['diagnose', 'sweep/healthy.csv', 'sweep/missing.csv', '--html', 'broken.html']);
    assert.equal(out.code, 2);
    assert.equal(out.stderr.trim().split('\n').length, 1);
    const html = readFileSync(join(dir.path, 'broken.html'), 'utf8');
    assert.match(html, /<tr class="v-unreadable"><td><a href="#run-1">sweep\/missing\.csv<\/a>/);
    assert.match(html, /<section class="run" id="run-1" data-verdict="unreadable">/);
    assert.equal(html.match(/<svg /g)?.length, 1, 'the readable run has its chart');
  });

  test('names from the input are text: a column and a file named as HTML elements', () => {
    const out = run(['diagnose', HOSTILE_FILE, '--loss', HOSTILE_COLUMN, '--quiet', '--html', 'hostile.html']);
    assert.equal(out.code, 0, out.stderr);
    const html = readFileSync(join(dir.path, 'hostile.html'), 'utf8');
    assert.ok(!html.includes(HOSTILE_COLUMN) && !html.includes('<img'), 'no name unescaped');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(2)&gt;.csv'));
    assert.equal(html.match(/<script\b/g)?.length, 1);
  });

  test('refused, one line and exit 2, when the page would overwrite a log being read or the --output file, or cannot be written', () => {
    const before = readFileSync(join(dir.path, 'spike.csv'), 'utf8');
    for (const args of [
      ['diagnose', 'spike.csv', '--html', 'spike.csv'],
      ['diagnose', 'spike.csv', '--html', './spike.csv'],
      ['diagnose', 'spike.csv', 'nan.jsonl', '--html', 'spike.csv'],
      ['diagnose', 'nan.jsonl', '--output', 'out.txt', '--html', 'out.txt'],
      ['diagnose', 'nan.jsonl', '--html', 'no/such/folder/report.html'],
    ]) {
      const out = run(args);
      assert.equal(out.code, 2, args.join(' '));
      assert.equal(out.stdout, '');
      assert.match(out.stderr, /^losscurve: --html [^\n]+; [^\n]+\n$/, out.stderr);
    }
    assert.equal(readFileSync(join(dir.path, 'spike.csv'), 'utf8'), before);
    assert.equal(before, spikeCsv(), 'the log as the test wrote it');
  });

  test('stdin can be read with --html: the page names the input as the text report does', () => {
    const r = spawnSync(process.execPath, [BIN, 'diagnose', '--quiet', '--html', 'stdin.html'], { cwd: dir.path, input: nanJsonl(), encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(readFileSync(join(dir.path, 'stdin.html'), 'utf8'), /data-pattern="nan"/);
  });
});
