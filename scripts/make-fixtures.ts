// Writes fixtures/patterns/<id>/: one clear example and near misses per pattern, seeded so they never change by accident.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rng } from './synth.js';

interface Curves {
  steps: number[];
  train: number[];
  val?: (number | undefined)[];
  lr?: number[];
  gradNorm?: number[];
}

const range = (n: number, first = 0, every = 1) => Array.from({ length: n }, (_, i) => first + i * every);
const noisy = (r: Rng, values: number[], sigma: number) => values.map((v) => (Number.isFinite(v) ? v * (1 + sigma * r.normal()) : v));

/** A healthy descent from `start` to about `end` over positions 0..1: fast first, still falling at the end. */
function descent(n: number, start: number, end: number, tau = 0.03, alpha = 0.7): number[] {
  const c = (1 + 1 / tau) ** -alpha;
  const floor = (end - start * c) / (1 - c);
  return range(n).map((i) => floor + (start - floor) * (1 + i / (n - 1) / tau) ** -alpha);
}

/** Every `every`-th point, and the last, for a validation curve logged less often than train. */
const sparse = (values: number[], every: number) => values.map((v, i) => (i % every === every - 1 || i === values.length - 1 ? v : undefined));

const fmt = (v: number | undefined, nan = 'nan') =>
  v === undefined ? '' : Number.isNaN(v) ? nan : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(Number(v.toPrecision(6)));

function csv(c: Curves, stepName = 'step'): string {
  const cols: Array<[string, (i: number) => string]> = [[stepName, (i) => String(c.steps[i])], ['train_loss', (i) => fmt(c.train[i])]];
  if (c.val) cols.push(['val_loss', (i) => fmt(c.val![i])]);
  if (c.lr) cols.push(['lr', (i) => fmt(c.lr![i])]);
  if (c.gradNorm) cols.push(['grad_norm', (i) => fmt(c.gradNorm![i])]);
  return [cols.map(([h]) => h).join(','), ...c.steps.map((_, i) => cols.map(([, f]) => f(i)).join(','))].join('\n') + '\n';
}

/** Hugging Face style JSONL: a train row per step, an eval row of its own where validation was logged, bare NaN tokens. */
function jsonl(c: Curves): string {
  const num = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : String(Number(v.toPrecision(6))));
  const lines: string[] = [];
  c.steps.forEach((s, i) => {
    const extra = (c.lr ? `, "learning_rate": ${num(c.lr[i])}` : '') + (c.gradNorm ? `, "grad_norm": ${num(c.gradNorm[i])}` : '');
    lines.push(`{"step": ${s}, "loss": ${num(c.train[i])}${extra}}`);
    if (c.val && c.val[i] !== undefined) lines.push(`{"step": ${s}, "eval_loss": ${num(c.val[i]!)}}`);
  });
  return lines.join('\n') + '\n';
}

const LN_V = Math.log(50257);
const FIXTURES: Record<string, () => string> = {};
const add = (path: string, make: () => string) => { FIXTURES[path] = make; };

// nan
add('nan/positive-pretrain-nan-at-1200.csv', () => {
  const r = new Rng(11);
  const train = noisy(r, descent(200, LN_V, 3.6), 0.01).map((v, i) => (i >= 120 ? NaN : v));
  return csv({ steps: range(200, 10, 10), train });
});
add('nan/positive-negative-cross-entropy.jsonl', () => {
  const r = new Rng(12);
  const train = noisy(r, descent(80, 2.4, 0.9), 0.01).map((v, i) => (i < 50 ? v : i < 55 ? 0.3 - 0.12 * (i - 50) : NaN));
  return jsonl({ steps: range(80, 5, 5), train });
});
add('nan/positive-val-inf.csv', () => {
  const r = new Rng(13);
  const train = noisy(r, descent(60, 3.2, 1.9), 0.01);
  const val = sparse(train.map((v, i) => (i >= 40 ? Infinity : v * 1.08)), 5);
  return csv({ steps: range(60, 1), train, val }, 'epoch');
});
add('nan/positive-zero-loss-nan-grad.jsonl', () => {
  const r = new Rng(14);
  const train = noisy(r, descent(60, 2.2, 1.3), 0.02).map((v, i) => (i >= 42 ? 0 : v));
  const gradNorm = train.map((v, i) => (i >= 42 ? NaN : 1.5 + 0.3 * r.normal()));
  return jsonl({ steps: range(60, 10, 10), train, gradNorm });
});
add('nan/negative-student-t-nll.csv', () => {
  const r = new Rng(15);
  return csv({ steps: range(50, 99, 100), train: noisy(r, descent(50, 1, 1.8).map((v) => -v - 1.15), 0.002) });
});
add('nan/positive-negative-runaway.csv', () => {
  // binary cross-entropy on targets outside [0, 1]: negative from the first epoch and ×1000 larger by the last
  const r = new Rng(15);
  const steps = range(60, 0, 1);
  const train = steps.map((i) => -3e4 * (1 + i) ** 1.7 * (1 + 0.02 * r.normal()));
  const val = steps.map((i) => -1.4e5 * (1 + i) ** 1.65 * (1 + 0.02 * r.normal()));
  return csv({ steps, train, val }, 'epoch');
});

// divergence
add('divergence/positive-climb-after-4000.csv', () => {
  const r = new Rng(21);
  const base = descent(400, LN_V, 3.4);
  const train = noisy(r, base.map((v, i) => (i < 200 ? v : base[200] * (1 + 0.6 * ((i - 200) / 199) ** 1.5))), 0.01);
  return csv({ steps: range(400, 20, 20), train });
});
add('divergence/positive-epochs.csv', () => {
  const r = new Rng(22);
  const base = descent(30, 2.9, 1.6);
  return csv({ steps: range(30, 1), train: noisy(r, base.map((v, i) => (i < 12 ? v : base[12] * (1 + 0.05 * (i - 12)))), 0.01) }, 'epoch');
});
add('divergence/positive-exponential-blowup.csv', () => {
  const r = new Rng(25);
  const train = range(61).map((i) => 2 + 8 * Math.exp(-(i * 10) / 80) + (i >= 30 ? 2 * (Math.exp((i * 10 - 300) / 40) - 1) : 0));
  return csv({ steps: range(61, 0, 10), train: noisy(r, train, 0.01) });
});
add('divergence/negative-recovered-spike.csv', () => {
  const r = new Rng(23);
  const train = noisy(r, descent(300, LN_V, 3.3), 0.01).map((v, i) => (i >= 180 && i < 186 ? v * (2.4 - 0.2 * (i - 180)) : v));
  return csv({ steps: range(300, 10, 10), train });
});
add('divergence/negative-restart-then-recovers.csv', () => {
  const r = new Rng(24);
  const base = descent(300, 3.5, 1.5);
  const train = base.map((v, i) => (i < 120 ? v : i < 160 ? v * (1 + 0.25 * Math.sin(((i - 120) / 40) * Math.PI)) : v * 0.95));
  return csv({ steps: range(300, 10, 10), train: noisy(r, train, 0.01) });
});
add('divergence/positive-climb-during-warmup.csv', () => {
  // a warm-up to a learning rate far too high: the loss climbs ×2.7 while the rate rises, then settles half again
  // above its early best and never gets back; validation doubles
  const r = new Rng(57);
  const n = 400;
  const u = range(n).map((i) => i / (n - 1));
  const train = u.map((x) => (x < 0.1 ? 2.0 + 3.5 * (x / 0.1) : 3.1 + 2.4 * Math.exp(-(x - 0.1) / 0.08)) * (1 + 0.02 * r.normal()));
  const val = sparse(u.map((x, i) => (i < 20 ? 2.1 : 2.1 + 2.1 * Math.min(1, (x - 0.05) / 0.2))), 20);
  const lr = u.map((x) => 3e-4 * Math.min(1, x / 0.1));
  return csv({ steps: range(n, 10, 10), train, val, lr });
});
add('divergence/positive-short-blowup.jsonl', () => {
  // a fine-tune at a learning rate far too high, logged ten times: one good value, then ln(V) for good
  const values = [1.64, 11.8, 11.6, 10.38, 10.37, 10.37, 10.37, 10.37, 10.37, 10.37];
  return jsonl({ steps: range(10, 1, 1), train: values });
});
add('divergence/positive-val-and-train-climb.jsonl', () => {
  // train logged four times (too few to judge alone) and rising by half; eval, more often, best at its first evaluation and staying above it
  const r = new Rng(54);
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const step = 25 * (i + 1);
    if (i % 10 === 9) lines.push(`{"step": ${step}, "loss": ${(1.2 * (1 + 0.6 * (i / 39))).toFixed(4)}}`);
    lines.push(`{"step": ${step}, "eval_loss": ${((i === 0 ? 1.1 : 1.6 + 0.3 * (i / 39)) * (1 + 0.01 * r.normal())).toFixed(4)}}`);
  }
  return lines.join('\n') + '\n';
});
/** A CycleGAN loss_log.txt: generator and discriminator losses per line, no field named loss. */
function ganLog(r: Rng, g: (u: number) => number, d: (u: number) => number): string {
  const lines = ['================ Training Loss (Mon Jan  6 10:00:00 2025) ================'];
  for (let i = 0; i < 300; i++) {
    const u = i / 299;
    const v = (f: (u: number) => number, sigma: number) => Math.max(0.0005, f(u) * Math.exp(sigma * r.normal())).toFixed(3);
    lines.push(`(epoch: ${1 + Math.floor(i / 10)}, iters: ${100 * (1 + (i % 10))}, time: 0.712, data: 0.004) D_A: ${v(d, 0.3)} G_A: ${v(g, 0.2)} cycle_A: ${v(() => 2 - u, 0.1)} `);
  }
  return lines.join('\n') + '\n';
}
add('divergence/positive-gan-discriminator-wins.txt', () => {
  // the generator's loss climbs from 0.4 to 1.0 and stays while its discriminator's falls to a thousandth: D has won
  const r = new Rng(55);
  return ganLog(r, (u) => (u < 0.3 ? 0.4 : Math.min(1, 0.4 + 1.5 * (u - 0.3))), (u) => 0.2 * Math.exp(-7 * u));
});
add('divergence/negative-gan-generator-rises.txt', () => {
  // the generator's loss rises as its discriminator gets better, and the discriminator holds: the game, not a failure
  const r = new Rng(56);
  return ganLog(r, (u) => 0.35 + 0.3 * u, () => 0.22);
});

// flat
add('flat/positive-at-baseline.csv', () => {
  const r = new Rng(31);
  return csv({ steps: range(300, 10, 10), train: noisy(r, range(300).map(() => LN_V), 0.004) });
});
add('flat/positive-finetune-noisy.jsonl', () => {
  const r = new Rng(32);
  return jsonl({ steps: range(120, 10, 10), train: noisy(r, range(120).map(() => 2.1), 0.05) });
});
add('flat/positive-settles-at-ln2.jsonl', () => {
  // a binary classifier whose head starts above chance and within five epochs predicts the prior: 0.6931 from there on
  const r = new Rng(34);
  const lines = Array.from({ length: 20 }, (_, i) => {
    const loss = Math.LN2 + (0.89 - Math.LN2) * Math.exp(-i / 1.2) + 0.0008 * r.normal();
    return `{"epoch": ${i}, "loss": ${loss.toFixed(5)}, "val_loss": ${(Math.LN2 + 0.0005 * r.normal()).toFixed(5)}}`;
  });
  return lines.join('\n') + '\n';
});
add('flat/negative-binary-learns.jsonl', () => {
  // a preference (DPO) run that starts at ln 2 and learns: half of it gone by the end
  const r = new Rng(35);
  return jsonl({ steps: range(200, 10, 10), train: noisy(r, descent(200, Math.LN2, 0.33), 0.02) });
});
add('flat/negative-noisy-start-near-ln4.csv', () => {
  // a noisy small-batch fine-tune that happens to start at ln 4 and falls 15% under ±30% bounces: no flat line
  const r = new Rng(36);
  return csv({ steps: range(24, 1, 1), train: descent(24, Math.log(4), 1.15).map((v) => v * Math.max(0.4, 1 + 0.3 * r.normal())) });
});
add('flat/negative-slow-finetune.csv', () => {
  const r = new Rng(33);
  return csv({ steps: range(400, 500, 500), train: noisy(r, range(400).map((i) => 2.0 - 0.25 * Math.sqrt(i / 399)), 0.004) });
});
add('flat/negative-warmup-then-falls.csv', () => {
  const r = new Rng(34);
  const fall = descent(270, LN_V, 3.3);
  return csv({ steps: range(300, 10, 10), train: noisy(r, range(300).map((i) => (i < 30 ? LN_V : fall[i - 30])), 0.005) });
});

// spike
add('spike/positive-pretrain-spike-at-6000.csv', () => {
  const r = new Rng(41);
  const train = noisy(r, descent(1000, LN_V, 3.2), 0.01).map((v, i) => (i >= 599 && i < 605 ? v * (1 + 1.6 * Math.exp(-(i - 599) / 1.5)) : v));
  const val = sparse(descent(1000, LN_V, 3.3).map((v) => v * 1.03), 50);
  const lr = range(1000).map((i) => (i < 50 ? (6e-4 * (i + 1)) / 50 : 6e-4 * (0.1 + 0.45 * (1 + Math.cos((Math.PI * (i - 50)) / 950)))));
  return csv({ steps: range(1000, 10, 10), train, val, lr });
});
add('spike/positive-epoch-spike.csv', () => {
  const r = new Rng(42);
  const train = noisy(r, descent(40, 3.0, 1.4), 0.01).map((v, i) => (i === 24 ? v * 2.5 : v));
  return csv({ steps: range(40, 1), train }, 'epoch');
});
add('spike/positive-modest-spike.jsonl', () => {
  const r = new Rng(43);
  const train = noisy(r, descent(600, LN_V, 3.4), 0.008).map((v, i) => (i === 400 ? v * 1.4 : v));
  return jsonl({ steps: range(600, 1), train });
});
add('spike/negative-near-zero-blips.csv', () => {
  const r = new Rng(44);
  const train = noisy(r, range(400).map((i) => 1.1 * Math.exp(-i / 40) + 0.0002), 0.05).map((v, i) => (i === 300 || i === 350 ? 0.015 : v));
  return csv({ steps: range(400, 10, 10), train });
});
add('spike/negative-noisy-no-spike.csv', () => {
  const r = new Rng(45);
  return csv({ steps: range(500, 10, 10), train: noisy(r, descent(500, 3.0, 1.6), 0.04) });
});
add('spike/positive-val-spike.csv', () => {
  // one evaluation three times its neighbours, then back: a bad eval batch or a BatchNorm hiccup, not the optimiser
  const r = new Rng(46);
  const train = noisy(r, descent(400, 3.0, 1.4), 0.02);
  const val = sparse(noisy(r, descent(400, 3.1, 1.6), 0.01), 10).map((v, i) => (i === 219 && v !== undefined ? v * 3 : v));
  return csv({ steps: range(400, 10, 10), train, val });
});
add('spike/positive-burst-recovers.csv', () => {
  // three jumps within a few logs (one burst), then a slow way back: recovered, so the run is still healthy
  const r = new Rng(47);
  const base = noisy(r, descent(1000, 4.0, 2.0), 0.02);
  const train = base.map((v, i) => (i === 600 || i === 604 || i === 609 ? v * 2.4 : i > 600 && i < 700 ? v * (1 + 0.3 * Math.exp(-(i - 600) / 25)) : v));
  return csv({ steps: range(1000, 10, 10), train });
});
add('spike/negative-skewed-noise.csv', () => {
  // a small-batch curve with 9% noise whose right tail reaches ×1.7 now and then: batch noise, not explosions
  const r = new Rng(48);
  const train = descent(900, 0.5, 0.2).map((v) => v * Math.exp(0.09 * r.normal()) * (r.next() < 0.005 ? 1.6 : 1));
  return csv({ steps: range(900, 1, 1), train });
});
// Student-t noise with 3 degrees of freedom: the heavy tails of small-batch losses, far past 10 MAD-σ in both directions
const studentT3 = (r: Rng) => r.normal() / Math.sqrt((r.normal() ** 2 + r.normal() ** 2 + r.normal() ** 2) / 3);
const heavyTailed = (r: Rng, values: number[], scale: number) => values.map((v) => v * Math.max(0.2, 1 + scale * studentT3(r)));
add('spike/negative-heavy-tailed-noise.csv', () => {
  // one-point blips ×1.3–1.5 up, and as deep down: the noise's own tail, which the σ rule alone would call spikes
  const r = new Rng(50);
  return csv({ steps: range(6000, 10, 10), train: heavyTailed(r, descent(6000, 10.8, 3.4), 0.025) });
});
add('spike/positive-spike-in-heavy-tails.csv', () => {
  // the same noise with a real explosion at step 30,000: ×2.5, back within a few logs
  const r = new Rng(50);
  const train = heavyTailed(r, descent(6000, 10.8, 3.4), 0.025).map((v, i) => (i >= 2999 ? v * (1 + 1.5 * Math.exp(-(i - 2999) / 3)) : v));
  return csv({ steps: range(6000, 10, 10), train });
});
add('spike/positive-wrecked-first-steps.csv', () => {
  // a fine-tune at full learning rate from its first update, no warm-up: ×4 at steps 2-4, then a slow way back that
  // ends worse than where it started
  const r = new Rng(49);
  const train = range(60).map((i) => (i === 0 ? 1.2 : 1.55 + 3.3 * Math.exp(-(i - 1) / 8)) * (1 + 0.01 * r.normal()));
  return csv({ steps: range(60, 1, 1), train });
});

// plateau
add('plateau/positive-lm-stuck-at-6.5.csv', () => {
  const r = new Rng(51);
  return csv({ steps: range(300, 100, 100), train: noisy(r, range(300).map((i) => 6.5 + (LN_V - 6.5) * Math.exp(-i / 12)), 0.005) });
});
add('plateau/positive-finetune-stall.jsonl', () => {
  const r = new Rng(52);
  return jsonl({ steps: range(200, 10, 10), train: noisy(r, range(200).map((i) => 2.25 + 0.75 * Math.exp(-i / 10)), 0.02) });
});
add('plateau/positive-stall-until-lr-cut.csv', () => {
  const r = new Rng(53);
  const train = range(76).map((i) => (i < 32 ? 3.24 + 1.7 * Math.exp(-i / 2.5) : i < 62 ? 2.3 - 0.01 * (i - 32) : 1.6));
  const lr = range(76).map((i) => (i < 32 ? 0.1 : i < 62 ? 0.01 : 0.001));
  return csv({ steps: range(76, 1), train: noisy(r, train, 0.004), lr }, 'epoch');
});
add('plateau/negative-epoch-staircase-last-epoch.jsonl', () => {
  // a three-epoch preference run: level inside each epoch, 16% lower at each epoch start; the last epoch's flat
  // tread is the staircase, not a stall
  const r = new Rng(79);
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const epoch = Math.floor(i / 100);
    const loss = (0.62 * 0.84 ** epoch + (i < 20 ? 0.07 * (1 - i / 20) : 0)) * (1 + 0.02 * r.normal());
    lines.push(`{"loss": ${loss.toFixed(4)}, "learning_rate": ${(5e-7 * (1 - i / 300)).toExponential(3)}, "epoch": ${((i + 1) / 100).toFixed(2)}, "step": ${10 * (i + 1)}}`);
  }
  return lines.join('\n') + '\n';
});
add('plateau/negative-power-law.csv', () => {
  const r = new Rng(54);
  return csv({ steps: range(500, 40, 40), train: noisy(r, descent(500, LN_V, 2.9, 0.02, 0.6), 0.006) });
});
add('plateau/negative-converged-finetune.csv', () => {
  const r = new Rng(55);
  return csv({ steps: range(24, 100, 100), train: noisy(r, range(24).map((i) => 0.32 + 1.05 * Math.exp(-i / 2.2) - 0.002 * i), 0.02) });
});

// overfit
add('overfit/positive-val-turns-at-20.csv', () => {
  const r = new Rng(61);
  const train = noisy(r, descent(60, 2.6, 0.3, 0.05, 0.9), 0.01);
  const val = range(60).map((i) => (i <= 20 ? 2.7 - 1.3 * (i / 20) ** 0.6 : 1.4 * (1 + 0.4 * ((i - 20) / 39) ** 1.3)));
  return csv({ steps: range(60, 1), train, val: noisy(r, val, 0.01) }, 'epoch');
});
add('overfit/positive-few-evals.jsonl', () => {
  const r = new Rng(62);
  const train = noisy(r, range(200).map((i) => 0.3 * Math.exp(-i / 30) + 0.0002), 0.02);
  const evals = [0.321, 0.3585, 0.3937, 0.4123, 0.42];
  return jsonl({ steps: range(200, 25, 25), train, val: range(200).map((i) => (i % 40 === 39 ? evals[(i - 39) / 40] : undefined)) });
});
add('overfit/negative-unstable-spikes.csv', () => {
  // a learning rate far too high: train spikes ×20 again and again and validation rises with it, then both recover
  const r = new Rng(65);
  const n = 500;
  const train = noisy(r, descent(n, 9.0, 4.5), 0.15).map((v, i) => (i % 60 === 30 && i < 400 ? v * 20 : v));
  const val = sparse(range(n).map((i) => 6.8 + 2.4 * Math.sin((Math.PI * Math.min(i, 430)) / 430) * (1 + 0.02 * r.normal())), 10);
  return csv({ steps: range(n, 10, 10), train, val });
});
add('overfit/positive-modest-sustained-rise.csv', () => {
  // validation bottoms two thirds of the way in and climbs 9% by the end, a little at most evaluations; train keeps falling
  const r = new Rng(66);
  const n = 600;
  const train = noisy(r, descent(n, 2.4, 0.9), 0.01);
  const val = sparse(range(n).map((i) => {
    const u = i / (n - 1);
    const base = u < 0.66 ? 1.6 - 0.4 * Math.sqrt(u / 0.66) : 1.2 * (1 + 0.09 * ((u - 0.66) / 0.34));
    return base * (1 + 0.008 * r.normal());
  }), 20);
  return csv({ steps: range(n, 10, 10), train, val });
});
add('overfit/negative-val-noise.csv', () => {
  const r = new Rng(63);
  const train = noisy(r, descent(50, 2.0, 1.1), 0.01);
  return csv({ steps: range(50, 1), train, val: noisy(r, descent(50, 2.1, 1.3), 0.03) }, 'epoch');
});
add('overfit/negative-val-below-train.csv', () => {
  const r = new Rng(64);
  const train = noisy(r, descent(100, 0.07, 0.0015, 0.1, 1.2), 0.02);
  return csv({ steps: range(100, 1), train, val: noisy(r, descent(100, 0.075, 0.0006, 0.1, 1.2), 0.05) }, 'epoch');
});
add('overfit/negative-both-rise.csv', () => {
  const r = new Rng(65);
  const train = range(40).map((i) => (i < 15 ? 3 - 0.1 * i : 1.5 + 0.08 * (i - 15)));
  return csv({ steps: range(40, 1), train: noisy(r, train, 0.01), val: noisy(r, train.map((v) => v * 1.1), 0.01) }, 'epoch');
});

// step
add('step/positive-multistep-lr.csv', () => {
  const r = new Rng(71);
  const train = range(90).map((i) => (i < 30 ? 1.2 + 1.1 * Math.exp(-i / 4) : i < 60 ? 0.65 + 0.1 * Math.exp(-(i - 30) / 5) : 0.45));
  const lr = range(90).map((i) => (i < 30 ? 0.1 : i < 60 ? 0.01 : 0.001));
  return csv({ steps: range(90, 1), train: noisy(r, train, 0.01), lr }, 'epoch');
});
add('step/positive-no-lr-column.csv', () => {
  const r = new Rng(72);
  const train = range(600).map((i) => (i < 300 ? 3.0 + 2.0 * Math.exp(-i / 30) : i < 450 ? 2.2 : 1.8));
  return csv({ steps: range(600, 10, 10), train: noisy(r, train, 0.008) });
});
add('step/negative-cosine.csv', () => {
  const r = new Rng(73);
  const lr = range(400).map((i) => 3e-4 * 0.5 * (1 + Math.cos((Math.PI * i) / 399)));
  return csv({ steps: range(400, 10, 10), train: noisy(r, descent(400, LN_V, 3.3), 0.01), lr });
});
add('step/negative-epoch-boundaries.jsonl', () => {
  const r = new Rng(74);
  const epoch = (i: number) => Math.floor(i / 100);
  const train = range(400).map((i) => (0.45 - 0.02 * (i % 100) / 100) * 0.7 ** epoch(i));
  const lr = range(400).map((i) => 1e-4 * 0.5 * (1 + Math.cos((Math.PI * i) / 399)));
  return jsonl({ steps: range(400, 10, 10), train: noisy(r, train, 0.05), lr });
});
add('step/positive-epoch-multistep-no-lr.csv', () => {
  // a classic image-classification recipe logged once per epoch, no lr column: the loss halves at epochs 30 and 60
  const r = new Rng(77);
  const train = range(100).map((e) => (1.5 + 1.5 * Math.exp(-e / 8)) * (e < 30 ? 1 : e < 60 ? 0.5 : 0.25) * (1 + 0.01 * r.normal()));
  return csv({ steps: range(100), train }, 'epoch');
});

// sawtooth
add('sawtooth/positive-alternating.csv', () => {
  const base = descent(300, 3.0, 1.5);
  return csv({ steps: range(300, 10, 10), train: base.map((v, i) => v * (i % 2 ? 1.3 : 0.7)) });
});
add('sawtooth/positive-small-batch-noise.jsonl', () => {
  const r = new Rng(82);
  return jsonl({ steps: range(400, 2, 2), train: descent(400, 5.2, 0.15).map((v) => v * Math.max(0.3, 1 + 0.3 * r.normal())) });
});
add('sawtooth/negative-smooth.csv', () => {
  const r = new Rng(83);
  return csv({ steps: range(300, 10, 10), train: noisy(r, descent(300, 3.0, 1.5), 0.01) });
});
add('sawtooth/negative-moderate-noise.csv', () => {
  const r = new Rng(84);
  return csv({ steps: range(300, 10, 10), train: noisy(r, descent(300, 3.0, 1.5), 0.05) });
});
add('sawtooth/positive-epoch-staircase.jsonl', () => {
  // a multi-epoch fine-tune whose data order repeats: level within an epoch (creeping up a little), a drop at each start
  const r = new Rng(85);
  const perEpoch = 60;
  const lines: string[] = [];
  for (let i = 0; i < 4 * perEpoch; i++) {
    const epoch = Math.floor(i / perEpoch);
    const level = 1.6 * 0.88 ** epoch * (1 + 0.02 * ((i % perEpoch) / perEpoch));
    const loss = level * (1 + 0.015 * r.normal());
    lines.push(`{"loss": ${loss.toPrecision(6)}, "learning_rate": 0.0002, "epoch": ${((i + 1) / perEpoch).toFixed(3)}, "step": ${(i + 1) * 5}}`);
  }
  return lines.join('\n') + '\n';
});
add('sawtooth/positive-periodic-data-order.csv', () => {
  // the same 40 batches in the same order, over and over: each batch's loss sits above or below the trend by its own amount
  const r = new Rng(86);
  const shape = range(40).map(() => 0.06 * r.normal());
  const base = descent(400, 8.4, 1.2);
  return csv({ steps: range(400, 10, 10), train: base.map((v, i) => v * Math.exp(shape[i % 40]) * (1 + 0.01 * r.normal())) });
});
add('sawtooth/positive-noisy-val.csv', () => {
  // a smooth train curve and a validation set so small that each evaluation swings ±25%
  const r = new Rng(87);
  const train = noisy(r, descent(60, 3.0, 1.2), 0.01);
  const val = noisy(r, descent(60, 3.1, 1.4), 0.25);
  return csv({ steps: range(60, 1, 1), train, val }, 'epoch');
});
add('sawtooth/negative-regular-step-decay.csv', () => {
  // StepLR every fifth of the run: four drops one period apart are a schedule, not a sawtooth
  const r = new Rng(88);
  const n = 500;
  const lr = range(n).map((i) => 0.1 * 0.3 ** Math.floor((5 * i) / n));
  const clean = descent(n, 4.0, 2.0).map((v, i) => v * 0.8 ** Math.floor((5 * i) / n));
  return csv({ steps: range(n, 10, 10), train: noisy(r, clean, 0.01), lr });
});

// good
add('good/positive-pretrain-with-val.csv', () => {
  const r = new Rng(91);
  const train = noisy(r, descent(800, LN_V + 0.05, 3.1), 0.008);
  const val = sparse(noisy(r, descent(800, LN_V + 0.05, 3.15), 0.002), 40);
  return csv({ steps: range(800, 25, 25), train, val });
});
add('good/positive-val-only.csv', () => {
  // a record that printed only its validation loss, every 125 steps of a speedrun
  const r = new Rng(93);
  const lines = ['step,val_loss', ...descent(48, LN_V, 3.3).map((v, i) => `${i * 125},${(v * (1 + 0.003 * r.normal())).toFixed(4)}`)];
  return lines.join('\n') + '\n';
});
add('good/positive-finetune.jsonl', () => {
  const r = new Rng(92);
  return jsonl({ steps: range(150, 20, 20), train: noisy(r, descent(150, 2.5, 1.6, 0.08, 0.8), 0.02) });
});
add('good/negative-stuck.csv', () => {
  const r = new Rng(93);
  return csv({ steps: range(100, 1), train: noisy(r, range(100).map(() => 1.386), 0.003) });
});
add('good/negative-too-short.csv', () => 'step,train_loss\n1,2.31\n2,2.30\n');

/** `node dist/scripts/make-fixtures.js [ROOT]`: (re)writes every pattern fixture under ROOT/fixtures/patterns. */
function cli(argv: string[]): void {
  const root = join(argv[0] ?? '.', 'fixtures', 'patterns');
  for (const [path, make] of Object.entries(FIXTURES)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, make());
  }
  process.stdout.write(`wrote ${Object.keys(FIXTURES).length} fixtures under ${root}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) cli(process.argv.slice(2));
