// The key/value tokenizer on every shape of pair, the epoch step clock, and linear time on hostile 1 MB lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LINE } from '../src/read/engine/lines.js';
import { TextLineParser } from '../src/read/formats/text/parser.js';
import { StepClock } from '../src/read/formats/text/steps.js';
import { tokenize } from '../src/read/formats/text/tokens.js';

const pairsOf = (line: string) => tokenize(line).pairs.map((p) => [p.key, p.value, p.total] as const);

const SHAPES: Array<[line: string, pairs: Array<readonly [string, number, number | undefined]>]> = [
  ['iter 340: loss 5.4983, time 33785.52ms, mfu 0.96%', [['iter', 340, undefined], ['loss', 5.4983, undefined], ['time', 33785.52, undefined], ['mfu', 0.96, undefined]]],
  ['step 500: train loss 5.7373, val loss 5.9544', [['step', 500, undefined], ['train loss', 5.7373, undefined], ['val loss', 5.9544, undefined]]],
  ['s:0 trl:11.0116 lr:0.000001', [['s', 0, undefined], ['trl', 11.0116, undefined], ['lr', 0.000001, undefined]]],
  ["{'loss': 2.31, 'grad_norm': 1.5}", [['loss', 2.31, undefined], ['grad_norm', 1.5, undefined]]],
  ['{"loss": "16.06", "num_updates": "100"}', [['loss', 16.06, undefined], ['num_updates', 100, undefined]]],
  [' iteration       29/    6069 | lm loss: 8.716962E-01 |', [['iteration', 29, 6069], ['lm loss', 0.8716962, undefined]]],
  ['| epoch   1 |   200/ 2983 batches | lr 20.00', [['epoch', 1, undefined], ['batches', 200, 2983], ['lr', 20, undefined]]],
  ['| end of epoch   1 | time: 36.96s | valid loss  5.60', [['end of epoch', 1, undefined], ['time', 36.96, undefined], ['valid loss', 5.6, undefined]]],
  ['    train/Perplexity=32,160', [['train/Perplexity', 32160, undefined]]],
  ['elapsed time per iteration (ms): 26813.0 | grad norm: 0.852', [['elapsed time per iteration', 26813, undefined], ['grad norm', 0.852, undefined]]],
  ['2023-05-15 22:50:17,398 INFO:Epoch 1: Train Loss=0.0717, Val Loss=0.0766', [['Epoch', 1, undefined], ['Train Loss', 0.0717, undefined], ['Val Loss', 0.0766, undefined]]],
  ['the loss drops to 2.5 after 100 steps', [['to', 2.5, undefined], ['after', 100, undefined]]],
  ['olmo.train:990 INFO [step=10/1000,epoch=0]', [['step', 10, 1000], ['epoch', 0, undefined]]],
  ['Epoch [2/10], Step [100/600], Loss: 2.2000', [['Epoch', 2, 10], ['Step', 100, 600], ['Loss', 2.2, undefined]]],
];

test('the tokenizer reads every pair shape trainers print', () => {
  for (const [line, want] of SHAPES) assert.deepEqual(pairsOf(line), want, line);
});

test('a number or N/M opening a line is its lead (a step, a Keras batch counter)', () => {
  assert.deepEqual(tokenize('0 train 10.93').lead, { value: 0, total: undefined, integer: true });
  assert.deepEqual(tokenize('  3/234 [=====>....] - ETA: 30s - loss: 0.5').lead, { value: 3, total: 234, integer: true });
  assert.equal(tokenize('[2024-01-01 10:00:00] iteration 5 | loss 1').lead, undefined);
});

test('the step clock places epoch-relative counters on one global axis', () => {
  const perEpoch = new StepClock();
  assert.deepEqual([perEpoch.perEpoch(1, 200, 2983), perEpoch.perEpoch(2, 200, 2983), perEpoch.endOf(2)], [200, 3183, 5966]);
  const restarting = new StepClock();
  const steps = [[1, 100], [1, 200], [2, 50], [2, 150], [1, 200], [3, 30]].map(([e, c]) => restarting.counter(e, c));
  assert.deepEqual(steps, [100, 200, 350, 450, 200, 580]); // epoch 1 seen again keeps its steps (a resume)
  const global = new StepClock();
  assert.deepEqual([[0, 10], [0, 20], [1, 30]].map(([e, c]) => global.counter(e, c)), [10, 20, 30]);
});

const HOSTILE = ['1', ' ', 'a ', 'loss ', 'loss nan ', 'nan', 'loss=1.5 ', '1/', '1 / ', '1,000', '2024-01-', '12:', '1.', '1e', '-', '+nanz ',
  '(', 'a (ms', "'", '\x1b[', '{a', "f'", '%|[<', '= ', '1.#', '0x', 'INFO ', 'a-', 'a/', 'step 1/2 | loss: 3.2e-4 (+nanz)| ', '1Batch', '1%'];

test('1 MB hostile lines go through the reader in linear time', { timeout: 60_000 }, () => {
  for (const unit of HOSTILE) {
    const line = unit.repeat(Math.ceil(MAX_LINE / unit.length)).slice(0, MAX_LINE);
    const parser = new TextLineParser();
    parser.line(line, 1, true);
    parser.line('    ' + line, 2, false);
    assert.ok(parser.finish().rows <= 2, JSON.stringify(unit));
  }
});
