// Seeded synthetic loss logs of every pattern, with labels in score.mjs's MANIFEST shape: for fixtures, tests and scoring.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PatternId } from '../src/types.js';

export interface SynthCase {
  file: string;
  pattern: PatternId;
  expect: PatternId[];
  absent: PatternId[];
  unsure: PatternId[];
  vocab_hint?: number;
  where?: Record<string, number[]>;
  n: number;
  every: number;
  content: string;
}

/** A small seeded generator (LCG + Box–Muller): the same seed gives the same corpus on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = (seed * 2654435761) >>> 0 || 1; }
  next(): number { this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0; return this.s / 2 ** 32; }
  range(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  int(lo: number, hi: number): number { return Math.floor(this.range(lo, hi + 1)); }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

const ALL: PatternId[] = ['good', 'flat', 'spike', 'plateau', 'overfit', 'nan', 'step', 'sawtooth', 'divergence'];
const VOCABS = [50257, 32000, 128256, 50280];

/** Labels per pattern: what must be found, what must not, and what a reasonable detector may go either way on. */
const LABELS: Record<PatternId, { expect: PatternId[]; unsure: PatternId[] }> = {
  good: { expect: ['good'], unsure: [] },
  flat: { expect: ['flat'], unsure: [] },
  spike: { expect: ['spike'], unsure: ['good'] },
  plateau: { expect: ['plateau'], unsure: [] },
  overfit: { expect: ['overfit'], unsure: ['good', 'plateau'] },
  nan: { expect: ['nan'], unsure: ['plateau'] },
  step: { expect: ['step'], unsure: ['good', 'plateau'] },
  sawtooth: { expect: ['sawtooth'], unsure: ['good', 'spike', 'plateau'] },
  divergence: { expect: ['divergence'], unsure: ['spike', 'plateau'] },
};

interface Shape {
  /** Axis positions, 0..1, and their logged step numbers. */
  u: number[];
  steps: number[];
  start: number;
  pretrain: boolean;
  noise: number;
}

/** A healthy descent: fast early, still falling at the end (a power law toward a floor). */
function goodCurve(r: Rng, s: Shape): number[] {
  const tau = r.range(0.01, 0.06);
  const alpha = r.range(0.5, 1.0);
  const c = (1 + 1 / tau) ** -alpha;
  const endRatio = s.pretrain ? r.range(2.6, 3.6) / s.start : r.range(0.35, 0.75);
  const floor = (s.start * endRatio - s.start * c) / (1 - c);
  return s.u.map((u) => floor + (s.start - floor) * (1 + u / tau) ** -alpha);
}

function withNoise(r: Rng, values: number[], sigma: number): number[] {
  return values.map((v) => (Number.isFinite(v) ? v * (1 + sigma * r.normal()) : v));
}

/** The train curve of a pattern, and the clean trend under it (validation follows the trend, not train's noise). */
function trainCurve(r: Rng, pattern: PatternId, s: Shape, where: Record<string, number[]>): { train: number[]; clean: number[]; lr?: number[] } {
  const n = s.u.length;
  const good = goodCurve(r, s);
  switch (pattern) {
    case 'good':
    case 'overfit':
      return { train: withNoise(r, good, s.noise), clean: good };
    case 'flat': {
      const drift = r.range(-0.01, 0.005);
      const clean = s.u.map((u) => s.start * (1 + drift * u));
      return { train: withNoise(r, clean, s.noise), clean };
    }
    case 'plateau': {
      const level = s.pretrain ? r.range(5.5, 7.5) : s.start * r.range(0.6, 0.85);
      const knee = r.range(0.1, 0.3);
      where.plateau = [s.steps[Math.floor(knee * (n - 1))]];
      const clean = s.u.map((u) => level + (s.start - level) * Math.exp((-4 * u) / knee));
      return { train: withNoise(r, clean, s.noise), clean };
    }
    case 'spike': {
      const at = Math.floor(r.range(0.25, 0.8) * (n - 1));
      const size = r.range(2, 3);
      const width = Math.max(0.5, r.range(0, 0.02) * n);
      where.spike = [s.steps[at]];
      const train = withNoise(r, good, s.noise).map((v, i) => (i < at ? v : v * (1 + (size - 1) * Math.exp(-(i - at) / width))));
      return { train, clean: good };
    }
    case 'nan': {
      const at = Math.floor(r.range(0.3, 0.9) * (n - 1));
      where.nan = [s.steps[at]];
      const kind = r.pick(['nan', 'nan', 'inf', 'negative'] as const);
      const train = withNoise(r, good, s.noise).map((v, i) => {
        if (i < at) return v;
        if (kind === 'inf') return i === at ? Infinity : NaN;
        if (kind === 'negative') return i < at + 3 ? -0.05 * (i - at + 1) : NaN;
        return NaN;
      });
      return { train, clean: good.map((v, i) => (i < at ? v : NaN)) };
    }
    case 'divergence': {
      const from = r.range(0.3, 0.65);
      const rise = r.range(0.35, 1.2);
      const power = r.range(1, 2);
      const i0 = Math.floor(from * (n - 1));
      where.divergence = [s.steps[i0]];
      const base = good[i0];
      const clean = good.map((v, i) => (i <= i0 ? v : base * (1 + rise * ((s.u[i] - from) / (1 - from)) ** power)));
      return { train: withNoise(r, clean, s.noise), clean };
    }
    case 'sawtooth': {
      const periodic = r.next() < 0.5;
      const amp = r.range(0.25, 0.4);
      const period = r.int(2, 4); // a bounce every few logs: longer ramps move under 15% per log, which is noise, not a saw
      const bounce = (i: number) => (periodic ? 1 + amp * ((i % period) / (period - 1 || 1) - 0.5) * 2 : Math.max(0.3, 1 + amp * r.normal()));
      return { train: good.map((v, i) => v * bounce(i)), clean: good };
    }
    case 'step': {
      const cuts = r.pick([[0.5, 0.75], [0.33, 0.66], [0.3, 0.6, 0.85]]);
      const factors = cuts.map(() => r.range(0.65, 0.85));
      const lr0 = r.pick([0.1, 1e-3, 3e-4]);
      where.step = cuts.map((c) => s.steps[Math.floor(c * (n - 1))]);
      const decay = r.range(0.05, 0.12);
      const clean = s.u.map((u) => {
        let v = s.start * (0.55 + 0.45 * Math.exp(-u / decay));
        cuts.forEach((c, k) => { if (u >= c) v *= factors[k] + (1 - factors[k]) * Math.exp(-(u - c) / 0.01); });
        return v;
      });
      const lr = s.u.map((u) => cuts.reduce((acc, c) => (u >= c ? acc * 0.1 : acc), lr0));
      return { train: withNoise(r, clean, s.noise), clean, lr };
    }
  }
}

/** Validation follows train a little above it; for overfit it turns up after an onset and keeps rising. */
function valCurve(r: Rng, pattern: PatternId, clean: number[], s: Shape, where: Record<string, number[]>): number[] {
  const gap = r.range(1.03, 1.15);
  const smooth = clean;
  if (pattern !== 'overfit') return withNoise(r, smooth.map((v) => v * gap), s.noise / 3);
  const onset = r.range(0.25, 0.55);
  const rise = r.range(0.2, 0.7);
  const power = r.range(1, 2);
  const i0 = s.u.findIndex((u) => u >= onset);
  where.overfit = [s.steps[i0]];
  const base = smooth[i0] * gap;
  return withNoise(r, smooth.map((v, i) => (i < i0 ? v * gap : base * (1 + rise * ((s.u[i] - onset) / (1 - onset)) ** power))), s.noise / 3);
}

const SPELLINGS_CSV = ['nan', 'NaN', '-nan', 'inf'];

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

function toCsv(r: Rng, steps: number[], train: number[], val: (number | undefined)[], lr?: number[]): string {
  const nanWord = r.pick(SPELLINGS_CSV);
  const cell = (v: number | undefined) => (v === undefined ? '' : Number.isNaN(v) ? nanWord : v === Infinity ? 'inf' : fmt(v));
  const hasVal = val.some((v) => v !== undefined);
  const header = ['step', 'train_loss', ...(hasVal ? ['val_loss'] : []), ...(lr ? ['lr'] : [])];
  const lines = [header.join(',')];
  steps.forEach((st, i) => lines.push([String(st), cell(train[i]), ...(hasVal ? [cell(val[i])] : []), ...(lr ? [String(lr[i])] : [])].join(',')));
  return lines.join('\n') + '\n';
}

function toJsonl(r: Rng, steps: number[], train: number[], val: (number | undefined)[], lr?: number[]): string {
  const nanWord = r.pick(['NaN', 'null', '"nan"']);
  const num = (v: number) => (Number.isNaN(v) ? nanWord : v === Infinity ? 'Infinity' : fmt(v));
  const lines: string[] = [];
  steps.forEach((st, i) => {
    lines.push(`{"step": ${st}, "loss": ${num(train[i])}${lr ? `, "learning_rate": ${lr[i]}` : ''}}`);
    if (val[i] !== undefined) lines.push(`{"step": ${st}, "eval_loss": ${num(val[i]!)}}`);
  });
  return lines.join('\n') + '\n';
}

export function synthCase(pattern: PatternId, seed: number): SynthCase {
  const r = new Rng(seed);
  const epochLevel = r.next() < 0.3;
  let n: number;
  let every: number;
  let firstStep: number;
  if (epochLevel) {
    n = r.int(pattern === 'overfit' || pattern === 'step' ? 15 : 10, 60);
    every = 1;
    firstStep = r.pick([0, 1]);
  } else {
    const total = r.pick([500, 2000, 10000, 50000]);
    every = r.pick([1, 10, 50, 100].filter((k) => total / k >= 50 && total / k <= 20000));
    n = Math.round(total / every);
    firstStep = every;
  }
  const pretrain = r.next() < 0.5;
  const vocab = r.pick(VOCABS);
  const start = pretrain ? Math.log(vocab) * r.range(0.98, 1.02) : r.range(2, 4);
  const noise = pattern === 'sawtooth' ? 0.01 : r.pick([0.003, 0.01, 0.03]);
  const u = Array.from({ length: n }, (_, i) => i / (n - 1));
  const steps = u.map((_, i) => firstStep + i * every);
  const shape: Shape = { u, steps, start, pretrain, noise };
  const where: Record<string, number[]> = {};
  const { train, clean, lr } = trainCurve(r, pattern, shape, where);
  const withVal = pattern === 'overfit' || r.next() < 0.4;
  const valEvery = epochLevel ? 1 : Math.max(1, Math.round(n / r.pick([10, 20, 50])));
  const fullVal = withVal ? valCurve(r, pattern, clean, shape, where) : [];
  const val = steps.map((_, i) => (withVal && (i % valEvery === valEvery - 1 || i === n - 1) ? fullVal[i] : undefined));
  const useLr = lr ?? (r.next() < 0.4 ? u.map((x) => 3e-4 * (x < 0.05 ? x / 0.05 : 0.5 * (1 + Math.cos(Math.PI * (x - 0.05) / 0.95)))) : undefined);
  const stepLr = pattern === 'step' ? (r.next() < 0.7 ? lr : undefined) : useLr;
  const jsonl = r.next() < 0.4;
  const content = jsonl ? toJsonl(r, steps, train, val, stepLr) : toCsv(r, steps, train, val, stepLr);
  const { expect, unsure } = LABELS[pattern];
  const absent = ALL.filter((p) => !expect.includes(p) && !unsure.includes(p));
  const name = `${pattern}-${String(seed).padStart(4, '0')}-${pretrain ? 'pretrain' : 'finetune'}-n${n}.${jsonl ? 'jsonl' : 'csv'}`;
  return { file: name, pattern, expect, absent, unsure, vocab_hint: pretrain ? vocab : undefined, where, n, every, content };
}

export function synthCorpus(perPattern: number, seed = 1): SynthCase[] {
  const cases: SynthCase[] = [];
  ALL.forEach((pattern, p) => {
    for (let k = 0; k < perPattern; k++) cases.push(synthCase(pattern, seed * 100000 + p * 1000 + k));
  });
  return cases;
}

/** `node dist/scripts/synth.js OUT_DIR [PER_PATTERN] [SEED]`: writes the files and MANIFEST.json for score.mjs. */
function cli(argv: string[]): void {
  const [out, per = '40', seed = '1'] = argv;
  if (!out) {
    process.stderr.write('usage: node dist/scripts/synth.js OUT_DIR [PER_PATTERN] [SEED]\n');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const cases = synthCorpus(Number(per), Number(seed));
  for (const c of cases) writeFileSync(join(out, c.file), c.content);
  const manifest = cases.map(({ content: _c, pattern: _p, ...rest }) => rest);
  writeFileSync(join(out, 'MANIFEST.json'), JSON.stringify(manifest, null, 1));
  process.stdout.write(`wrote ${cases.length} logs and MANIFEST.json to ${out}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) cli(process.argv.slice(2));
