// Training stdout read by content: each shape's fixture gives the right step axis, train and val series, and nothing else as a loss.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise } from '../src/normalise/index.js';
import type { Curve } from '../src/types.js';
import { readFixture } from './fixtures.js';

type Point = [step: number, value: number];

interface Case {
  file: string;
  shape: string;
  stepName: string;
  train: string;
  /** How many points the train curve has, its first and last. */
  trainPoints: number;
  first: Point;
  last: Point;
  val?: string;
  valPoints?: Point[];
  runs?: number;
}

const CASES: Case[] = [
  { file: 'nanogpt.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 9, first: [0, 4.3], last: [40, 2.3],
    val: 'val_loss', valPoints: [[0, 4.25], [20, 3.35], [40, 2.45]] },
  { file: 'build-nanogpt-log.txt', shape: 'key/value', stepName: 'step', train: 'train_loss', trainPoints: 12, first: [0, 10.96], last: [11, 8.65],
    val: 'val_loss', valPoints: [[0, 10.95], [5, 9.95], [10, 8.95]] },
  { file: 'llmc-stdout.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 8, first: [1, 10.6], last: [8, 7.8],
    val: 'val_loss', valPoints: [[0, 11.012345], [4, 9.48], [8, 7.96]] },
  { file: 'llmc-main.log', shape: 'key/value', stepName: 'step', train: 'train_loss', trainPoints: 9, first: [0, 11.01], last: [8, 8.61],
    val: 'val_loss', valPoints: [[0, 11.0095], [4, 9.84], [8, 8.68]] },
  { file: 'hf-trainer.txt', shape: 'printed dicts', stepName: 'step', train: 'loss', trainPoints: 6, first: [1, 2.35], last: [6, 1.6],
    val: 'eval_loss', valPoints: [[3, 2.15], [6, 1.85]] },
  { file: 'keras.txt', shape: 'progress bars', stepName: 'step', train: 'loss', trainPoints: 12, first: [1, 2.08], last: [12, 1.4],
    val: 'val_loss', valPoints: [[4, 2.1], [8, 1.85], [12, 1.6]] },
  { file: 'megatron.txt', shape: 'key/value', stepName: 'step', train: 'lm loss', trainPoints: 8, first: [1, 9.2], last: [8, 7.1] },
  { file: 'fairseq-json.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 5, first: [100, 11.5], last: [500, 9.5],
    val: 'val_loss', valPoints: [[400, 10.25]] },
  { file: 'fairseq-simple.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 5, first: [1941, 11.35], last: [2141, 10.75],
    val: 'val_loss', valPoints: [[2091, 8.01]] },
  { file: 'torchtune.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 6, first: [1, 1.87], last: [6, 1.47] },
  { file: 'olmo.log', shape: 'multi-line', stepName: 'step', train: 'train/CrossEntropyLoss', trainPoints: 6, first: [10, 9.1], last: [60, 6.85] },
  { file: 'wordlm.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 8, first: [200, 6.3], last: [1800, 5.3],
    val: 'val_loss', valPoints: [[1000, 5.6], [2000, 5.3]] },
  { file: 'cyclegan-loss_log.txt', shape: 'GAN', stepName: 'step', train: 'G_A (generator loss)', trainPoints: 8, first: [100, 0.55], last: [920, 0.59] },
  { file: 'pylogging.log', shape: 'key/value', stepName: 'epoch', train: 'train_loss', trainPoints: 8, first: [1, 0.07], last: [8, 0.0088],
    val: 'val_loss', valPoints: [[1, 0.075], [2, 0.0375], [8, 0.0094]] },
  { file: 'plain-kv.txt', shape: 'key/value', stepName: 'step', train: 'loss', trainPoints: 4, first: [1, 2.31], last: [4, NaN],
    val: 'val_loss', valPoints: [[2, 2.1]] },
  { file: 'modded-nanogpt.txt', shape: 'key/value', stepName: 'step', train: 'train_loss', trainPoints: 8, first: [1, 10.25], last: [8, 6.4],
    val: 'val_loss', valPoints: [[0, 10.8], [4, 8.4], [8, 6]] },
];

const close = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) < 1e-9);
const points = (c: Curve): Point[] => Array.from(c.steps, (s, i) => [s, c.values[i]]);

for (const c of CASES) {
  test(`${c.file}: read as a text log, ${c.train} over ${c.stepName}`, () => {
    const table = readFixture(c.file);
    assert.match(table.format, /^text log/);
    assert.ok(table.format.includes(c.shape), table.format);
    assert.equal(table.skipped.count, 0, table.skipped.describe());
    const { choice, runs } = normalise(table, {}, c.file);
    assert.equal(runs.length, c.runs ?? 1);
    assert.equal(choice.stepName, c.stepName);
    assert.equal(choice.train?.name, c.train);
    const train = runs[runs.length - 1].series.train!;
    assert.equal(train.steps.length, c.trainPoints);
    const got = points(train);
    for (const [want, have] of [[c.first, got[0]], [c.last, got[got.length - 1]]] as const) {
      assert.ok(have[0] === want[0] && close(have[1], want[1]), `${c.file}: ${have} should be ${want}`);
    }
    assert.equal(choice.val?.name, c.val);
    if (c.valPoints) {
      const val = points(runs[runs.length - 1].series.val!);
      assert.equal(val.length >= c.valPoints.length, true);
      for (const [step, value] of c.valPoints) {
        const at = val.find(([s]) => s === step);
        assert.ok(at && close(at[1], value), `${c.file}: val at ${step} is ${at?.[1]}, should be ${value}`);
      }
    }
  });
}
