// Pairs of generated runs for `compare`: one recipe logged twice with different noise seeds (the false-alarm rate), or a second run that parts from the first at a known step.

import { readLog, diagnose } from '../src/index.js';
import { compareRuns } from '../src/compare/index.js';
import { Rng } from './synth.js';

/** One recipe: the healthy curve both runs of a pair follow, and how it is logged. */
export interface Recipe {
  points: number;
  every: number;
  /** Multiplicative Gaussian noise per logged point (a share of the loss). */
  noise: number;
  /** Lag-1 correlation of the noise (0: white; a logged running average is strongly correlated). */
  rho: number;
  start: number;
  floor: number;
  tau: number;
  power: number;
  /** Validation every this many logged points (0: none). */
  valEvery: number;
  /** Batch tokens per step, for a tokens column (0: none). */
  tokensPerStep: number;
}

/** A recipe drawn from the ranges real runs show: 100 to 3,000 points, 0.3% to 5% noise, white or correlated. */
export function recipeOf(seed: number): Recipe {
  const r = new Rng(seed);
  return {
    points: r.pick([100, 300, 1000, 3000]),
    every: r.pick([1, 10, 50]),
    noise: r.pick([0.003, 0.01, 0.02, 0.05]),
    rho: r.pick([0, 0, 0.5, 0.9]),
    start: r.range(2, 11),
    floor: r.range(0.2, 2),
    tau: r.range(0.02, 0.3),
    power: r.range(0.5, 1.5),
    valEvery: r.pick([0, 10, 25]),
    tokensPerStep: 0,
  };
}

/**
 * The CSV log of one run of the recipe; `part` makes it leave the recipe at that step, its loss lower by up to `by`
 * (a share) with a time constant of a tenth of the run. The same recipe and seed give the same bytes.
 */
export function runLog(recipe: Recipe, seed: number, part?: { step: number; by: number }): string {
  const r = new Rng(seed);
  const header = ['step', 'loss', ...(recipe.valEvery ? ['val_loss'] : []), ...(recipe.tokensPerStep ? ['tokens'] : [])];
  const lines = [header.join(',')];
  const last = recipe.points * recipe.every;
  let e = 0;
  for (let k = 0; k < recipe.points; k++) {
    const step = (k + 1) * recipe.every;
    const u = step / last;
    let clean = recipe.floor + (recipe.start - recipe.floor) * (1 + u / recipe.tau) ** -recipe.power;
    if (part && step > part.step) clean *= 1 - part.by * (1 - Math.exp(-(step - part.step) / (0.1 * last)));
    e = recipe.rho * e + Math.sqrt(1 - recipe.rho ** 2) * r.normal();
    const row = [String(step), (clean * Math.exp(recipe.noise * e)).toPrecision(6)];
    if (recipe.valEvery) row.push((k + 1) % recipe.valEvery === 0 ? (clean * 1.05 * Math.exp(recipe.noise * 0.5 * r.normal())).toPrecision(6) : '');
    if (recipe.tokensPerStep) row.push(String(step * recipe.tokensPerStep));
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

/** How many of `pairs` same-recipe pairs (differing only in noise seed) compare calls significant, and on which series. */
export function falseAlarms(pairs: number, firstSeed = 1): { pairs: number; train: number; val: number; valPairs: number } {
  let train = 0;
  let val = 0;
  let valPairs = 0;
  for (let i = 0; i < pairs; i++) {
    const recipe = recipeOf(firstSeed + i);
    const read = (seed: number, name: string) => {
      const table = readLog(Buffer.from(runLog(recipe, seed)), { name });
      return { report: diagnose(table) };
    };
    const c = compareRuns(read(10_000 + 2 * i, 'a.csv'), read(10_001 + 2 * i, 'b.csv'));
    if (c.train?.final.significant) train++;
    if (c.val) {
      valPairs++;
      if (c.val.final.significant) val++;
    }
  }
  return { pairs, train, val, valPairs };
}

// node dist/scripts/compare-pairs.js [pairs]: the false-alarm rate README quotes
if (process.argv[1]?.endsWith('compare-pairs.js')) {
  const pairs = Number(process.argv[2] ?? 400);
  const r = falseAlarms(pairs);
  const pct = (k: number, n: number) => `${((100 * k) / Math.max(1, n)).toFixed(2)}%`;
  process.stdout.write(`${r.pairs} same-recipe pairs: train significant in ${r.train} (${pct(r.train, r.pairs)}); val in ${r.val} of ${r.valPairs} (${pct(r.val, r.valPairs)})\n`);
}
