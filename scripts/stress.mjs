// A second generator of labelled curves, written apart from scripts/synth.ts (the one the detectors were tuned on):
// other curve shapes, heavy-tailed and correlated noise, printed precision, scales and lengths. A developer's check
// of false alarms and misses on curves nobody tuned for; usage: node scripts/stress.mjs OUT_DIR [PER_PATTERN] [SEED],
// then node ../shared/tools/score.mjs OUT_DIR/MANIFEST.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** xorshift32 with Box–Muller: seeded, the same on every machine. */
function rng(seed) {
  // the seed is mixed first (a murmur3 finaliser), so that neighbouring seeds do not start on neighbouring streams
  let s = seed >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  s = (s ^ (s >>> 16)) >>> 0 || 1;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const r = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    normal: () => Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next()),
  };
  // Student-t with 3 degrees of freedom, scaled to unit variance (var = 3): the heavy tails of small-batch losses
  r.t3 = () => { const z = r.normal(); const c = r.normal() ** 2 + r.normal() ** 2 + r.normal() ** 2; return z / Math.sqrt(c / 3) / Math.sqrt(3); };
  return r;
}

const ALL = ['good', 'flat', 'spike', 'plateau', 'overfit', 'nan', 'step', 'sawtooth', 'divergence'];
const UNSURE = {
  good: [], flat: [], spike: ['good'], plateau: ['step'], overfit: ['good', 'plateau'], nan: ['plateau', 'spike', 'divergence'],
  step: ['good', 'plateau'], sawtooth: ['good', 'spike', 'plateau'], divergence: ['spike', 'plateau'],
};

/** A healthy descent from start toward floor, still falling in its last half; one of five shapes. */
function healthy(r, u, start, floor) {
  const form = r.pick(['exp', 'power', 'warmup', 'twophase', 'cosine']);
  const tau = r.range(0.15, 0.4);
  const warm = r.range(0.02, 0.08);
  return u.map((x) => {
    switch (form) {
      case 'exp': return floor + (start - floor) * Math.exp(-x / tau);
      case 'power': return floor + (start - floor) * (1 + x / (tau / 5)) ** -0.7;
      case 'warmup': return x < warm ? start * (1 + 0.01 * Math.sin((Math.PI * x) / warm)) : floor + (start - floor) * Math.exp(-(x - warm) / tau);
      case 'twophase': return floor + (start - floor) * (0.6 * Math.exp(-x / 0.03) + 0.4 * (1 - x));
      default: return floor + (start - floor) * (0.5 + 0.5 * Math.cos(Math.PI * Math.min(1, x * 0.9)));
    }
  });
}

/** Noise of one of four models: proportional Gaussian, Student-t, AR(1) (a running average), or additive; a loss stays above zero. */
function noisy(r, values, sigma, model) {
  let ar = 0;
  const scale = values.find(Number.isFinite) ?? 1;
  const positive = (v, x) => Math.max(v * 0.2, x);
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    if (model === 't') return positive(v, v * (1 + sigma * r.t3()));
    if (model === 'ar') { ar = 0.9 * ar + Math.sqrt(1 - 0.81) * r.normal(); return positive(v, v * (1 + sigma * ar)); }
    if (model === 'add') return positive(v, v + sigma * 0.3 * scale * r.normal());
    return positive(v, v * (1 + sigma * r.normal()));
  });
}

function makeCase(pattern, seed) {
  const r = rng(seed);
  const n = r.pick([30, 80, 300, 1500, 6000, 20000]);
  const every = r.pick([1, 5, 20, 100]);
  const first = r.pick([0, every]);
  const steps = Array.from({ length: n }, (_, i) => first + i * every);
  const u = steps.map((_, i) => i / (n - 1));
  const kind = r.pick(['pretrain', 'finetune', 'classify', 'regress']);
  const vocab = r.pick([50257, 32000, 151936, 256000]);
  const classes = r.pick([10, 100, 1000]);
  const start = kind === 'pretrain' ? Math.log(vocab) : kind === 'classify' ? Math.log(classes) : kind === 'finetune' ? r.range(0.8, 3) : 10 ** r.range(-2, 2);
  const floor = kind === 'pretrain' ? r.range(2.2, 3.5) : start * r.range(0.05, 0.4);
  const sigma = pattern === 'sawtooth' ? 0.005 : r.pick([0.003, 0.01, 0.03, 0.06]);
  const model = r.pick(['gauss', 't', 'ar', 'add']);
  const decimals = r.pick([null, null, 4, 3]);
  const where = {};
  let clean = healthy(r, u, start, floor);
  let train;
  const at = (lo, hi) => Math.floor(r.range(lo, hi) * (n - 1));
  switch (pattern) {
    case 'flat': clean = u.map((x) => start * (1 - 0.004 * x)); break;
    case 'plateau': {
      const level = kind === 'pretrain' ? r.range(6, 8) : start * r.range(0.55, 0.8);
      const knee = r.range(0.08, 0.25);
      where.plateau = [steps[Math.floor(knee * (n - 1))]];
      clean = u.map((x) => level + (start - level) * Math.exp((-5 * x) / knee));
      break;
    }
    case 'step': {
      const cuts = r.pick([[0.4, 0.7], [0.3, 0.6, 0.8], [0.5, 0.8]]);
      const drop = cuts.map(() => r.range(0.55, 0.8));
      where.step = cuts.map((c) => steps[Math.floor(c * (n - 1))]);
      const level = start * r.range(0.5, 0.7);
      clean = u.map((x) => {
        let v = level + (start - level) * Math.exp(-x / 0.04);
        cuts.forEach((c, k) => { if (x >= c) v *= drop[k] + (1 - drop[k]) * Math.exp(-(x - c) / 0.008); });
        return v;
      });
      break;
    }
    case 'divergence': {
      const i0 = at(0.35, 0.7);
      const growth = r.range(1.5, 4);
      where.divergence = [steps[i0]];
      const base = clean[i0];
      clean = clean.map((v, i) => (i <= i0 ? v : base * growth ** ((u[i] - u[i0]) / (1 - u[i0]))));
      break;
    }
    default: break;
  }
  train = noisy(r, clean, sigma, model);
  if (pattern === 'spike') {
    const i0 = at(0.2, 0.85);
    const size = r.range(2.2, 4);
    const width = Math.max(0.7, r.range(0.001, 0.01) * n);
    where.spike = [steps[i0]];
    train = train.map((v, i) => (i < i0 ? v : v * (1 + (size - 1) * Math.exp(-(i - i0) / width))));
  }
  if (pattern === 'nan') {
    const i0 = at(0.3, 0.95);
    where.nan = [steps[i0]];
    const inf = r.next() < 0.3;
    train = train.map((v, i) => (i < i0 ? v : inf && i === i0 ? Infinity : NaN));
  }
  if (pattern === 'sawtooth') {
    const period = r.int(3, 25);
    const amp = r.range(0.2, 0.4);
    const bounce = r.next() < 0.5 ? (i) => 1 + amp * (1 - 2 * ((i % period) / (period - 1))) : () => Math.max(0.3, 1 + amp * r.normal());
    train = train.map((v, i) => v * bounce(i));
  }
  const withVal = pattern === 'overfit' || r.next() < 0.5;
  const valEvery = Math.max(1, Math.round(n / r.pick([8, 15, 40, 100])));
  let val = [];
  if (withVal) {
    const gap = r.range(1.02, 1.2);
    let v = clean.map((x) => x * gap);
    if (pattern === 'overfit') {
      const i0 = at(0.3, 0.6);
      const rise = r.range(0.25, 0.8);
      where.overfit = [steps[i0]];
      v = v.map((x, i) => (i <= i0 ? x : v[i0] * (1 + rise * ((u[i] - u[i0]) / (1 - u[i0])) ** r.range(1, 1.8))));
    }
    if (pattern === 'nan') v = v.map((x, i) => (Number.isFinite(train[i]) ? x : NaN));
    val = noisy(r, v, sigma / 3, 'gauss');
  }
  const cell = (v) => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : decimals === null ? String(Number(v.toPrecision(7))) : v.toFixed(decimals));
  const text = r.next() < 0.5;
  // the learning rate a text log prints: a cosine decay, or for a step decay the cuts themselves (×0.1 each); a log
  // that prints an lr which never moves while the loss drops in steps would contradict itself
  const cuts = where.step ?? [];
  const lrAt = (i) => (pattern === 'step' ? 0.1 * 0.1 ** cuts.filter((c) => steps[i] >= c).length : 3e-4 * 0.5 * (1 + Math.cos(Math.PI * u[i])));
  const showLr = pattern !== 'step' || r.next() < 0.5;
  const lines = [];
  if (text) {
    steps.forEach((st, i) => {
      lines.push(`step ${st} | loss ${cell(train[i])}${showLr ? ` | lr ${lrAt(i).toExponential(3)}` : ''}`);
      if (withVal && (i % valEvery === valEvery - 1 || i === n - 1)) lines.push(`step ${st} | val_loss ${cell(val[i])}`);
    });
  } else {
    lines.push(withVal ? 'step,train_loss,val_loss' : 'step,train_loss');
    steps.forEach((st, i) => {
      const hasVal = withVal && (i % valEvery === valEvery - 1 || i === n - 1);
      lines.push(withVal ? `${st},${cell(train[i])},${hasVal ? cell(val[i]) : ''}` : `${st},${cell(train[i])}`);
    });
  }
  const unsure = [...UNSURE[pattern]];
  // a log this short may be judged inconclusive, which reports no "good"
  if (n < 60 && !unsure.includes('good')) unsure.push('good');
  const expect = [pattern];
  const absent = ALL.filter((p) => !expect.includes(p) && !unsure.includes(p));
  const file = `${pattern}-${seed}-${kind}-n${n}-${model}.${text ? 'log' : 'csv'}`;
  return { file, expect, absent, unsure, where, vocab_hint: kind === 'pretrain' ? vocab : undefined, content: lines.join('\n') + '\n' };
}

const [out, per = '20', seed = '1'] = process.argv.slice(2);
if (!out) { process.stderr.write('usage: node scripts/stress.mjs OUT_DIR [PER_PATTERN] [SEED]\n'); process.exit(2); }
mkdirSync(out, { recursive: true });
const manifest = [];
ALL.forEach((pattern, p) => {
  for (let k = 0; k < Number(per); k++) {
    const { content, ...label } = makeCase(pattern, Number(seed) * 1_000_003 + p * 10_007 + k);
    writeFileSync(join(out, label.file), content);
    manifest.push(label);
  }
});
writeFileSync(join(out, 'MANIFEST.json'), JSON.stringify(manifest, null, 1));
process.stdout.write(`wrote ${manifest.length} logs and MANIFEST.json to ${out}\n`);
