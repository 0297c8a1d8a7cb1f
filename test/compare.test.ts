// compare A B: generated pairs (one clearly better and parting at a known step, two differing only in noise, no common steps, a tokens axis), for the library and the CLI.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compare, CompareError, readLog, renderCompareJson, renderCompareText, type Comparison } from '../src/index.js';
import { isTokensName } from '../src/compare/index.js';
import { falseAlarms, runLog, type Recipe } from '../scripts/compare-pairs.js';
import { ROOT } from './helpers.js';
import { tempFolder } from './helpers/formats.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');

/** 1,000 logs every 10 steps, 2% white noise, validation every 25 logs: a typical small run. */
const RECIPE: Recipe = { points: 1000, every: 10, noise: 0.02, rho: 0, start: 6, floor: 1.2, tau: 0.1, power: 1, valEvery: 25, tokensPerStep: 0 };
const PART_STEP = 4000; // where the better run leaves the recipe
const PART_BY = 0.1; // its loss ends up to 10% lower

const dir = tempFolder();
after(() => dir.cleanup());

const files = {
  base: dir.write('base.csv', runLog(RECIPE, 1)),
  better: dir.write('better.csv', runLog(RECIPE, 2, { step: PART_STEP, by: PART_BY })),
  reseeded: dir.write('reseeded.csv', runLog(RECIPE, 3)),
  // the same recipe logged from step 20,000 on: no step in common with the others
  late: dir.write('late.csv', runLog(RECIPE, 4).split('\n').map((line, i) => (i === 0 || !line ? line : line.replace(/^\d+/, (s) => String(Number(s) + 20_000)))).join('\n')),
  // tokens: one run at 4,096 tokens a step, the other at twice the batch for half the steps, the same loss per token
  small: dir.write('small-batch.csv', runLog({ ...RECIPE, tokensPerStep: 4096 }, 5)),
  large: dir.write('large-batch.csv', runLog({ ...RECIPE, points: 500, every: 10, tokensPerStep: 8192 }, 6)),
};

function comparing(a: string, b: string, axis?: 'step' | 'tokens' | 'epoch'): Comparison {
  return compare(readLog(a), readLog(b), { axis });
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('compare: the library', () => {
  test('names the clearly better run, larger than the noise, and where it parts', () => {
    const c = comparing(files.base, files.better);
    assert.equal(c.axis, 'step');
    assert.equal(c.primary, 'train');
    assert.equal(c.train!.final.lower, 'b');
    assert.equal(c.train!.final.significant, true);
    assert.ok(c.train!.final.change < -0.05, `B ends lower by more than 5% (${c.train!.final.change})`);
    const parted = c.train!.parted_at;
    assert.ok(parted, 'they part');
    // the generator leaves the recipe at 4,000 with a time constant of 1,000 steps: apart within a few bins after it
    assert.ok(parted.x >= PART_STEP - 200 && parted.x <= PART_STEP + 1200, `parted at ${parted.x}`);
    assert.equal(c.val!.final.lower, 'b');
    assert.equal(c.best_val.lower, 'b');
    assert.ok(c.best_val.b!.step > PART_STEP, 'B is best after it parts');
    assert.equal(c.verdicts.a.verdict, 'healthy');
    assert.equal(c.verdicts.b.verdict, 'healthy');
  });

  test('the same pair the other way round names the other side', () => {
    const c = comparing(files.better, files.base);
    assert.equal(c.train!.final.lower, 'a');
    assert.equal(c.train!.final.significant, true);
    assert.ok(c.train!.parted_at && Math.abs(c.train!.parted_at.x - comparing(files.base, files.better).train!.parted_at!.x) <= 200);
  });

  test('two runs that differ only in their noise seed: not significant, and they never part', () => {
    const c = comparing(files.base, files.reseeded);
    assert.equal(c.train!.final.significant, false);
    assert.equal(c.train!.parted_at, null);
    assert.equal(c.val!.final.significant, false);
  });

  test('the false-alarm rate on same-recipe pairs (white and correlated noise, 100 to 3,000 points) stays near the noise model', () => {
    // SIGNIFICANCE_Z = 3 gives 0.27% under its model; 60 pairs at that rate would show none, and 2 is already 3%
    const r = falseAlarms(60, 1);
    assert.equal(r.pairs, 60);
    assert.ok(r.train <= 1, `train called significant in ${r.train} of 60 same-recipe pairs`);
    assert.ok(r.val <= 1, `val called significant in ${r.val} of ${r.valPairs}`);
  });

  test('runs with no step in common cannot be compared (CompareError, naming both logs)', () => {
    assert.throws(() => comparing(files.base, files.late), (e: unknown) => e instanceof CompareError && e.message.includes('base.csv') && e.message.includes('late.csv'));
  });

  test('tokens axis: a larger batch looks better per step, and is the same per token', () => {
    const bySteps = comparing(files.small, files.large);
    assert.equal(bySteps.train!.final.lower, 'b');
    assert.equal(bySteps.train!.final.significant, true);
    assert.ok(bySteps.notes.some((n) => n.includes('--x tokens')), 'the step comparison points at the tokens axis');
    const byTokens = comparing(files.small, files.large, 'tokens');
    assert.equal(byTokens.axis, 'tokens');
    assert.equal(byTokens.train!.final.significant, false);
    // both reach 5,000 steps × 8,192 = 40,960,000 tokens
    assert.equal(byTokens.train!.shared.to, 500 * 10 * 8192);
  });

  test('epoch axis: runs logged at different step counts per epoch are aligned by their epoch column', () => {
    // the same loss per epoch, one run at 100 steps an epoch and the other at 250: by step they part, by epoch not
    const perEpoch = (stepsPerEpoch: number, seed: number) => {
      const lines = runLog({ ...RECIPE, points: 400, every: 1 }, seed).trimEnd().split('\n');
      return ['step,epoch,loss', ...lines.slice(1).map((line) => {
        const [k, loss] = line.split(',');
        const epoch = Number(k) / 40; // 10 epochs of 40 logs
        return `${Math.round(epoch * stepsPerEpoch)},${epoch},${loss}`;
      })].join('\n') + '\n';
    };
    const slow = dir.write('epochs-100.csv', perEpoch(100, 9));
    const fast = dir.write('epochs-250.csv', perEpoch(250, 10));
    const byEpoch = comparing(slow, fast, 'epoch');
    assert.equal(byEpoch.axis, 'epoch');
    assert.equal(byEpoch.train!.final.significant, false);
    assert.equal(byEpoch.train!.shared.to, 10);
    assert.equal(comparing(slow, fast).train!.final.lower, 'a', 'by step, the run with more steps an epoch is behind');
  });

  test('a run that goes NaN is compared on its finite points, and the comparison says where it broke', () => {
    const broken = dir.write('nan.csv', runLog(RECIPE, 11).split('\n').map((line, i) => (i > 0 && line && Number(line.split(',')[0]) > 6000 ? line.replace(/^(\d+),[^,]*/, '$1,nan') : line)).join('\n'));
    const c = comparing(files.base, broken);
    assert.equal(c.nan_from.b, 6010);
    assert.equal(c.nan_from.a, null);
    assert.equal(c.train!.shared.to, 6000);
    assert.equal(c.verdicts.b.verdict, 'failing');
    assert.equal(c.train!.final.significant, false);
  });

  test('a log holding two runs (the steps start over) is compared on the run diagnose judges, and says so', () => {
    const first = runLog(RECIPE, 12);
    const second = runLog(RECIPE, 13, { step: PART_STEP, by: PART_BY });
    const both = dir.write('restarted.csv', first + second.split('\n').slice(1).join('\n'));
    const c = comparing(files.base, both);
    assert.equal(c.reports.b.runs.count, 2);
    assert.ok(c.notes.some((n) => n.includes('restarted.csv') && n.includes('2 runs')), c.notes.join('; '));
    assert.equal(c.train!.final.lower, 'b', 'the second run, the one that parts, is compared');
    assert.equal(c.train!.final.significant, true);
  });

  test('a tokens column is a count of tokens seen, never a rate', () => {
    for (const name of ['tokens', 'num_input_tokens_seen', 'train/tokens_seen', 'ntokens', 'total_tokens', 'numTokens']) assert.ok(isTokensName(name), name);
    for (const name of ['tokens_per_sec', 'tok/s', 'tokens/s', 'train/tokens_per_second', 'throughput_tokens', 'loss', 'step']) assert.ok(!isTokensName(name), name);
  });

  test('an axis one log has no column for is refused', () => {
    assert.throws(() => comparing(files.base, files.small, 'tokens'), (e: unknown) => e instanceof CompareError && e.message.includes('base.csv'));
  });

  test('rendered: JSON with its schema, text without colour still tells the runs apart (solid and dashed)', () => {
    const c = comparing(files.base, files.better);
    const json = JSON.parse(renderCompareJson(c));
    assert.equal(json.schema, 1);
    assert.deepEqual(Object.keys(json).sort(), ['axis', 'best_val', 'files', 'final', 'lower', 'nan_from', 'notes', 'parted_at', 'schema', 'series', 'shared', 'significant', 'verdicts'].sort());
    assert.equal(json.lower, 'b');
    const text = renderCompareText(c, { width: 100 });
    assert.ok(!text.includes('\u001b['), 'no colour codes');
    const chart = text.split('\n').filter((l) => l.includes('┤'));
    assert.ok(chart.length >= 10, 'a chart');
    assert.ok(chart.some((l) => /[─╮╯╭╰]/.test(l.slice(11))) && chart.some((l) => l.includes('╌')), 'A solid, B dashed');
    assert.ok(!chart.some((l) => l.slice(10).includes('┼')), 'no ┼ inside the axis');
  });
});

describe('compare: the CLI', () => {
  test('exit 0 and the better run in JSON, with the axis used', () => {
    const r = cli(['compare', '--format', 'json', files.base, files.better]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.axis, 'step');
    assert.equal(json.lower, 'b');
    assert.equal(json.significant, true);
    assert.ok(json.parted_at.x >= PART_STEP - 200 && json.parted_at.x <= PART_STEP + 1200);
    assert.equal(json.verdicts.a.verdict, 'healthy');
    assert.equal(json.files.b, files.better);
  });

  test('exit 0 when neither is better; the text report draws both and says which axis', () => {
    const r = cli(['compare', '--width', '90', files.base, files.reseeded]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('--x step'));
    assert.ok(r.stdout.includes('╌'), 'B dashed');
    const json = JSON.parse(cli(['compare', '--json', files.base, files.reseeded]).stdout);
    assert.equal(json.significant, false);
    assert.equal(json.parted_at, null);
  });

  test('no common steps: exit 2, one line on stderr naming the files, nothing on stdout', () => {
    const r = cli(['compare', files.base, files.late]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].includes('base.csv') && lines[0].includes('late.csv'));
  });

  test('--x tokens aligns by tokens seen; on a log without tokens it is exit 2 in one line', () => {
    const r = cli(['compare', '--x', 'tokens', '--json', files.small, files.large]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.axis, 'tokens');
    assert.equal(json.significant, false);
    const bad = cli(['compare', '--x', 'tokens', files.base, files.small]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
    assert.ok(bad.stderr.includes('base.csv'));
  });

  test('a missing file and a bad --x are one line and exit 2', () => {
    for (const args of [['compare', files.base, join(dir.path, 'missing.csv')], ['compare', '--x', 'time', files.base, files.better], ['compare', files.base]]) {
      const r = cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.ok(!r.stderr.includes('    at '), 'no stack trace');
    }
  });

  test('a folder of several runs gives its first, and says so', () => {
    const sweep = join(dir.path, 'sweep');
    dir.write('sweep/a.csv', runLog(RECIPE, 7));
    dir.write('sweep/b.csv', runLog(RECIPE, 8));
    const r = cli(['compare', '--json', sweep, files.better]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.ok(json.notes.some((n: string) => n.includes(sweep) && n.includes('a.csv')), json.notes.join('; '));
    assert.equal(json.lower, 'b');
  });
});
