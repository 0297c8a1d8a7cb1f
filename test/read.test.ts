// Reading CSV and JSONL as loggers write them, and mapping columns to series, without being told.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diagnose } from '../src/diagnose.js';
import { InputError } from '../src/read/errors.js';
import { readTable } from '../src/read/index.js';
import type { Table } from '../src/read/table.js';

const table = (text: string | Buffer) => readTable({ name: 'test', bytes: Buffer.isBuffer(text) ? text : Buffer.from(text) });
const column = (t: Table, name: string) => {
  const c = t.columns.find((x) => x.name === name);
  assert.ok(c, `no column ${name} in ${t.columns.map((x) => x.name).join(', ')}`);
  return Array.from(c.values.subarray(0, t.rows)).map((v, i) => (c.present[i] ? v : undefined));
};
const report = (text: string, options = {}) => diagnose(table(text), 'test', { vocab: 50257, ...options });

describe('CSV', () => {
  const rows = [[1, 2.5], [2, 2.25], [3, 2.125]];
  for (const [name, delimiter] of [['comma', ','], ['semicolon', ';'], ['tab', '\t']]) {
    test(`sniffs the ${name} delimiter`, () => {
      const t = table(`step${delimiter}loss\n${rows.map((r) => r.join(delimiter)).join('\n')}\n`);
      assert.deepEqual(column(t, 'loss'), [2.5, 2.25, 2.125]);
      assert.match(t.format, new RegExp(name));
    });
  }

  test('CRLF, a byte-order mark and a trailing delimiter', () => {
    const t = table('\ufeffLearning Rate\tTrain Loss\tValid Loss\t\r\n0.1\t2.3\t2.0\t\r\n0.1\t1.9\t1.8\t\r\n');
    assert.deepEqual(column(t, 'Train Loss'), [2.3, 1.9]);
    assert.deepEqual(t.columns.map((c) => c.name), ['Learning Rate', 'Train Loss', 'Valid Loss']);
  });

  test('quoted fields, as W&B exports them', () => {
    const t = table('"Step","my run - train/loss","note"\n"1","3.5","a, b"\n"2","","c"\n"3","3.1","d ""e"""\n');
    assert.deepEqual(column(t, 'my run - train/loss'), [3.5, undefined, 3.1]);
  });

  test('sparse rows: eval and train rows in one file are gaps, not zeros', () => {
    const t = table('epoch,step,train_loss,val_loss\n0,49,1.9,\n0,49,,2.1\n0,99,1.5,\n');
    assert.deepEqual(column(t, 'train_loss'), [1.9, undefined, 1.5]);
    assert.deepEqual(column(t, 'val_loss'), [undefined, 2.1, undefined]);
  });

  test('every NaN spelling is a value; NA is a gap', () => {
    const t = table('step,loss\n1,nan\n2,NaN\n3,-nan\n4,inf\n5,-Infinity\n6,null\n7,NA\n8,1e999\n9,-0\n');
    const v = column(t, 'loss');
    assert.ok(v.slice(0, 3).every((x) => Number.isNaN(x)));
    assert.deepEqual(v.slice(3, 5), [Infinity, -Infinity]);
    assert.ok(Number.isNaN(v[5]!));
    assert.equal(v[6], undefined);
    assert.equal(v[7], Infinity);
    assert.ok(Object.is(v[8], 0));
  });

  test('a garbage row is skipped and counted; a cut-off last line is noted', () => {
    const t = table('step,loss\n1,2.0\nTraceback (most recent call last):\n2,1.9\n3,oops\n4,1.8\n5,1.');
    assert.deepEqual(column(t, 'loss'), [2.0, 1.9, 1.8, 1]);
    assert.deepEqual(t.skipped.lines, [3, 5]);
    const cut = table('step,loss,val\n1,2.0,2.1\n2,1.9');
    assert.equal(cut.rows, 1);
    assert.equal(cut.notes.length, 1);
  });

  test('text columns (timestamps, names) are ignored, not garbage', () => {
    const t = table('time,step,loss\n2024-01-01 10:00,1,2.0\n2024-01-01 10:01,2,1.9\n');
    assert.equal(t.skipped.count, 0);
    assert.deepEqual(column(t, 'loss'), [2.0, 1.9]);
  });
});

describe('JSONL', () => {
  test('interleaved train and eval rows, numbers as strings, Python NaN tokens', () => {
    const t = table('{"step": 1, "loss": 2.5}\n{"step": 1, "eval_loss": "2.6"}\n{"step": 2, "loss": NaN}\n{"step": 3, "loss": Infinity, "x": -Infinity}\n');
    assert.deepEqual(column(t, 'step'), [1, 1, 2, 3]);
    assert.deepEqual(column(t, 'eval_loss'), [undefined, 2.6, undefined, undefined]);
    const loss = column(t, 'loss');
    assert.ok(Number.isNaN(loss[2]!));
    assert.equal(loss[3], Infinity);
  });

  test('a cut-off last line is noted, a garbage line counted', () => {
    const t = table('{"step": 1, "loss": 2.5}\nprogress 50%\n{"step": 2, "loss": 2.4}\n{"step": 3, "lo');
    assert.equal(t.rows, 2);
    assert.deepEqual(t.skipped.lines, [2]);
    assert.equal(t.notes.length, 1);
  });

  test('nested objects become slash names; __proto__ is just a key', () => {
    const t = table('{"step": 1, "train": {"loss": 2.0}, "__proto__": {"polluted": 1}, "constructor": 3}\n');
    assert.deepEqual(column(t, 'train/loss'), [2.0]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('columns to series', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['iter,train/loss,val/loss', 'iter', 'train/loss', 'val/loss'],
    ['global_step,lm_loss,eval_loss', 'global_step', 'lm_loss', 'eval_loss'],
    ['Step,Value', 'Step', 'Value', undefined],
    ['_step,training_loss,validation_loss', '_step', 'training_loss', 'validation_loss'],
    ['num_updates,loss,valid_loss', 'num_updates', 'loss', 'valid_loss'],
    ['epoch,accuracy,loss,val_accuracy,val_loss', 'epoch', 'loss', 'val_loss'],
    ['step,perplexity,grad_norm,tokens_per_second,loss,test_loss', 'step', 'loss', 'test_loss'],
  ];
  for (const [header, step, train, val] of cases) {
    test(header, () => {
      const width = header.split(',').length;
      const rows = Array.from({ length: 6 }, (_, i) => Array.from({ length: width }, (_, j) => (j === 0 ? i + 1 : (3 - i * 0.2 + j * 0.01).toFixed(3))).join(','));
      const r = report(`${header}\n${rows.join('\n')}\n`);
      assert.equal(r.series.step, step);
      assert.equal(r.series.train, train);
      assert.equal(r.series.val, val);
    });
  }

  test('lr columns: lr, learning_rate, lr-AdamW', () => {
    for (const name of ['lr', 'learning_rate', 'lr-AdamW']) assert.equal(report(`step,loss,${name}\n1,2,0.1\n2,1.9,0.1\n3,1.8,0.1\n`).series.lr, name);
  });

  test('columns that are no loss are never taken for it', () => {
    assert.throws(() => report('step,accuracy,perplexity,grad_norm,throughput\n1,0.5,30,1.2,900\n2,0.6,20,1.1,910\n'), InputError);
  });

  test('--step, --loss and --val name columns explicitly', () => {
    const r = report('a,b,c\n1,2.0,2.1\n2,1.9,2.0\n3,1.8,1.95\n', { step: 'a', loss: 'b', val: 'c' });
    assert.deepEqual([r.series.step, r.series.train, r.series.val], ['a', 'b', 'c']);
  });

  test('no step column: the row number is the step', () => {
    const r = report('Train Loss,Valid Loss\n2.0,2.1\n1.9,2.0\n1.8,1.95\n');
    assert.equal(r.series.step, 'row');
    assert.deepEqual(r.steps, { first: 1, last: 3 });
  });
});

describe('runs', () => {
  test('a step column that restarts every epoch is one run, counted on across epochs', () => {
    const rows: string[] = [];
    for (let e = 0; e < 4; e++) for (let b = 0; b < 5; b++) rows.push(`${e},${b * 10},${(3 - (e * 5 + b) * 0.05).toFixed(3)}`);
    const r = report(`epoch,step,loss\n${rows.join('\n')}\n`);
    assert.equal(r.runs.count, 1);
    const steps = Array.from(r.curves.train!.steps);
    assert.equal(steps.length, 20);
    assert.ok(steps.every((s, i) => i === 0 || s - steps[i - 1] === 10), steps.join(','));
    assert.ok(r.notes.some((n) => n.includes('every epoch')));
  });

  test('without an epoch column going up, a reset to the start is a new run', () => {
    const r = report('epoch,step,loss\n0,0,3\n0,10,2.9\n0,20,2.8\n0,0,3.1\n0,10,3.0\n0,20,2.9\n');
    assert.equal(r.runs.count, 2);
  });

  test('a resumed run keeps the later rows for repeated steps and says where it resumed', () => {
    const r = report('step,loss\n1,3.0\n2,2.8\n3,2.6\n4,2.5\n3,2.55\n4,2.45\n5,2.3\n');
    const train = r.curves.train!;
    assert.deepEqual(Array.from(train.steps), [1, 2, 3, 4, 5]);
    assert.deepEqual(Array.from(train.values), [3.0, 2.8, 2.55, 2.45, 2.3]);
    assert.equal(r.runs.count, 1);
    assert.ok(r.notes.some((n) => n.includes('resumed') && n.includes('step 3')));
  });

  test('steps that go back to the start begin a new run; the last is diagnosed, every run reported', () => {
    const first = Array.from({ length: 30 }, (_, i) => `${i},${(2 - i * 0.05).toFixed(3)},${(i < 10 ? 2 - i * 0.05 : 1.5 + (i - 10) * 0.05).toFixed(3)}`);
    const second = Array.from({ length: 8 }, (_, i) => `${i},${(2 - i * 0.05).toFixed(3)},${(2.05 - i * 0.05).toFixed(3)}`);
    const r = report(`epoch,loss,val_loss\n${first.join('\n')}\n${second.join('\n')}\n`);
    assert.equal(r.runs.count, 2);
    assert.equal(r.runs.diagnosed, 2);
    assert.ok(r.findings.some((f) => f.pattern === 'overfit' && f.run === 1));
    assert.ok(!r.findings.some((f) => f.pattern === 'overfit' && f.run === 2));
    assert.equal(r.verdict, 'healthy');
    const picked = diagnose(table(`epoch,loss,val_loss\n${first.join('\n')}\n${second.join('\n')}\n`), 'test', { vocab: 50257, run: 1 });
    assert.equal(picked.verdict, 'warning');
  });
});
