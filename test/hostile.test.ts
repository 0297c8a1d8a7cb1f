// Hostile input: lines built to make a backtracking pattern explode, terminal control characters, prototype keys, and numbers at the edges.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { classify, words } from '../src/column-names.js';
import { readTable } from '../src/read/index.js';
import { NOT_A_NUMBER, parseCell } from '../src/read/engine/numbers.js';
import { safe, safeLine } from '../src/report/text.js';
import { sourceOf } from './helpers/tables.js';
import { hasStackTrace, runGuarded, type CaseResult } from './helpers/watchdog.js';

const LINE = 1_000_000; // under the 1 MiB line limit, so every pattern the line passes through sees all of it
// a linear pattern reads a megabyte in milliseconds; a backtracking one takes minutes to hours. This is a hang
// watchdog, not a speed test (speed is npm run bench's): 1 s was seen to fail on a loaded two-core machine running a
// whole process per case, 15 s never fails a linear pattern and still stops a quadratic one on a megabyte
const LIMIT_MS = 15_000;

const dir = mkdtempSync(join(tmpdir(), 'losscurve-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const fill = (unit: string, tail = '') => unit.repeat(Math.floor(LINE / unit.length)) + tail;

// Strings that make nested or overlapping quantifiers backtrack, and long runs of what each pattern looks for.
const HOSTILE: Array<[string, string]> = [
  ['letters then a stop', fill('a', '!')],
  ['camel case', fill('aA', '!')],
  ['digits', fill('0', 'x')],
  ['zeros then e', fill('0', 'e')],
  ['dots and zeros', fill('.0', 'e!')],
  ['underscores', fill('1_', '_')],
  ['exponents', fill('e', '1')],
  ['spaces', fill(' ', 'x')],
  ['escape sequences', fill('\u001b[31m')],
  ['separators', fill('_-/.', '!')],
  ['epoch words', fill('epoch', 'x')],
  ['carriage returns in a cell', fill('1\r', 'x')],
  ['quotes', fill('"', 'x')],
  ['NaN tokens', fill('NaN,', '!')],
  ['Infinity tokens', fill('-Infinity', 'x')],
  ['braces', fill('{', '')],
  ['brackets', fill('[', '')],
];

/** Files that put a hostile string where each pattern in the pipeline meets it: a column name, a cell, a JSON key and value. */
function hostileFiles(name: string, text: string): Array<[string, string]> {
  const slug = name.replace(/[^a-z]+/g, '-');
  const json = JSON.stringify(text);
  const cells = text.replace(/[\r\n,]/g, ' ');
  return [
    [`${slug}-header.csv`, `step,loss,${cells}\n1,2,3\n2,1,3\n`],
    [`${slug}-cell.csv`, `step,loss,note\n1,2,x\n2,${cells},x\n3,1,${cells}\n4,0.5,x\n`],
    [`${slug}-key.jsonl`, `{"step": 1, "loss": 2}\n{"step": 2, "loss": 1, ${json}: 3}\n{"step": 3, "loss": ${json}}\n{"step": 4, "loss": 0.5}\n`],
    [`${slug}-line.jsonl`, `{"step": 1, "loss": 2}\n${text}\n{"step": 2, "loss": 1}\n`],
    [`${slug}-only.csv`, `${cells}\n`],
  ];
}

test('every pattern stays linear: megabyte lines built to make backtracking explode finish (no pattern backtracks)', { timeout: 10 * 60 * 1000 }, async () => {
  const cases: string[][] = [];
  const names: string[] = [];
  for (const [name, text] of HOSTILE) {
    for (const [file, content] of hostileFiles(name, text)) {
      const path = join(dir, file);
      writeFileSync(path, content);
      cases.push(['diagnose', path]);
      names.push(file);
      cases.push(['diagnose', '--format', 'json', path]);
      names.push(`${file} (json)`);
    }
  }
  const failures: string[] = [];
  await runGuarded(cases, LIMIT_MS, (result: CaseResult) => {
    if (result.timedOut) failures.push(`${names[result.id]}: over ${LIMIT_MS} ms`);
    else if (![0, 1, 2].includes(result.code) || result.threw || hasStackTrace(result.stderr)) failures.push(`${names[result.id]}: exit ${result.code} ${result.stderr.slice(0, 200)}`);
  });
  assert.deepEqual(failures, []);
});

test('the name and escaping helpers read a megabyte line once', () => {
  // called directly as well: a regression here would hang the suite, which the runner reports as a failure
  for (const [, text] of HOSTILE) {
    assert.ok(Array.isArray(words(text)));
    assert.ok(classify(text).role.length > 0);
    assert.ok(!/[\u001b\u0007]/.test(safe(text)));
    assert.ok(!safeLine(text).includes('\n'));
    assert.equal(parseCell(text), NOT_A_NUMBER);
  }
});

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('terminal control characters from the input are printed escaped, in reports and in errors', async () => {
  const evil = '\u001b]0;pwned\u0007\u001b[2J\u202e\u009b';
  const files: Array<[string, string]> = [
    ['evil-columns.csv', `step,loss${evil},val${evil}_loss\n1,2,3\n2,1.5,2.5\n3,1,2\n`],
    ['evil-no-loss.csv', `step,${evil}\n1,2\n2,1\n`],
    ['evil-keys.jsonl', `{"step": 1, "loss": 2, "${'\\u001b'}[31mred_loss": 1}\n{"step": 2, "loss": 1.5, "${'\\u001b'}[31mred_loss": 1}\n`],
    [`evil-name-${'\u001b'}[31m.csv`, 'step,loss\n'],
  ];
  const cases = files.flatMap(([file, content]) => {
    const path = join(dir, file);
    writeFileSync(path, content);
    return [['diagnose', path], ['diagnose', '--format', 'json', path]];
  });
  const outputs: CaseResult[] = [];
  await runGuarded(cases, 10 * LIMIT_MS, (r) => outputs.push(r));
  for (const r of outputs) {
    assert.ok(!r.timedOut);
    if (r.timedOut) continue;
    assert.ok(!CONTROL.test(r.stdout), `stdout of case ${r.id} holds a control character`);
    assert.ok(!CONTROL.test(r.stderr), `stderr of case ${r.id} holds a control character`);
  }
  // the column names still arrive, escaped: the loss column was read and chosen
  assert.ok(outputs.some((r) => !r.timedOut && r.code !== 2));
});

test('JSON keys like __proto__ and constructor are only column names', () => {
  const text = '{"__proto__": 1, "constructor": 2, "loss": 3}\n{"__proto__": {"polluted": true}, "constructor": 4, "loss": 2}\n{"toString": 5, "loss": 1}\n';
  for (const lineByLine of [false, true]) {
    const table = readTable(sourceOf(text), undefined, { lineByLine });
    const column = (name: string) => table.columns.find((c) => c.name === name);
    assert.deepEqual(Array.from(column('__proto__')!.values), [1, 0, 0]);
    assert.deepEqual(Array.from(column('constructor')!.values), [2, 4, 0]);
    assert.deepEqual(Array.from(column('loss')!.values), [3, 2, 1]);
    assert.deepEqual(Array.from(column('__proto__/polluted')?.values ?? []), []); // a boolean is no number
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});

test('numbers at the edges are read deliberately', () => {
  const cases: Array<[string, number | typeof NOT_A_NUMBER]> = [
    ['1e999', Infinity], ['-1e999', -Infinity], ['-0', 0], ['0x10', NOT_A_NUMBER], ['1_000', 1000], ['1__0', NOT_A_NUMBER],
    ['_1', NOT_A_NUMBER], ['0b101', NOT_A_NUMBER], ['1,000', NOT_A_NUMBER], ['1e-400', 0], ['.5', 0.5], ['5.', 5], ['+3', 3],
  ];
  for (const [text, expected] of cases) {
    const cell = parseCell(text);
    assert.ok(Object.is(cell, expected), `${text} read as ${String(cell)}`);
  }
  // and the same through a whole CSV file (the fast reader) and a JSONL file
  const csv = readTable(sourceOf('step,loss\n1,1e999\n2,-0\n3,1_000\n4,2\n'));
  assert.deepEqual(Array.from(csv.columns[1].values), [Infinity, 0, 1000, 2]);
  assert.ok(Object.is(csv.columns[1].values[1], 0));
  const jsonl = readTable(sourceOf('{"loss": 1e999}\n{"loss": -0}\n{"loss": "1_000"}\n{"loss": 0x10}\n{"loss": 2}\n'));
  assert.deepEqual(Array.from(jsonl.columns[0].values), [Infinity, 0, 1000, 2]);
  assert.deepEqual(jsonl.skipped.lines, [4]);
});

test('curves at the edges of floating point still draw (a flat 1e29, 1e300, a step of 1e-300)', async () => {
  const logs: Array<[string, string]> = [
    ['huge-flat.csv', 'step,loss\n1,1.23e29\n'],
    ['huge-two.csv', 'step,loss\n1,1e300\n2,1.0000000000001e300\n'],
    ['tiny-range.csv', 'step,loss\n1,1\n2,1.0000000000000002\n3,1\n'],
    ['denormal.csv', 'step,loss\n1,5e-324\n2,1e-300\n3,0\n'],
    ['huge-steps.csv', 'step,loss\n1e300,2\n1.0000000000001e300,1\n'],
  ];
  const cases = logs.map(([file, content]) => {
    const path = join(dir, file);
    writeFileSync(path, content);
    return ['diagnose', path];
  });
  const results: CaseResult[] = [];
  await runGuarded(cases, LIMIT_MS, (r) => results.push(r));
  for (const r of results) {
    assert.ok(!r.timedOut, `${logs[r.id][0]} did not finish`);
    if (!r.timedOut) assert.ok([0, 1].includes(r.code) && r.stdout.includes('└'), `${logs[r.id][0]}: exit ${r.code} ${r.stderr}`);
  }
});

test('a plain decimal cell reads as Number() reads its text, whether or not the one-pass reading takes it', () => {
  let state = 7;
  const rnd = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
  for (let k = 0; k < 100_000; k++) {
    // up to 18 digits on each side and exponents up to 999: past 15 significant digits or 10^±22 the full way reads it
    let text = (rnd() < 0.2 ? '-' : '') + digits(1 + Math.floor(rnd() * 18));
    if (rnd() < 0.7) text += `.${digits(Math.floor(rnd() * 18))}`;
    if (rnd() < 0.3) text += `${rnd() < 0.5 ? 'e' : 'E'}${rnd() < 0.4 ? '-' : ''}${digits(1 + Math.floor(rnd() * 3))}`;
    const want = Number(text);
    assert.ok(Object.is(parseCell(text), want === 0 ? 0 : want), text);
  }
  for (const text of ['-', '.', '-.', '1e', '1e+', '5.e', '-x', '1.2.3', '12e4x']) assert.ok(typeof parseCell(text) === 'symbol', text);
  assert.ok(Object.is(parseCell('-0.0'), 0));
});
