// Scores the detectors in-process on labelled logs (the synthetic corpus or a MANIFEST.json), as score.mjs does through the CLI.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diagnose } from '../src/diagnose.js';
import { readTable } from '../src/read/index.js';
import type { PatternId } from '../src/types.js';
import { synthCorpus } from './synth.js';

export interface LabelledLog {
  file: string;
  bytes: Buffer;
  expect: PatternId[];
  absent: PatternId[];
  vocab_hint?: number;
}

export interface Score {
  ok: number;
  total: number;
  misses: string[];
  perPattern: Map<PatternId, { tp: number; fn: number; fp: number; tn: number }>;
}

export function evaluate(logs: LabelledLog[]): Score {
  const score: Score = { ok: 0, total: 0, misses: [], perPattern: new Map() };
  const bump = (p: PatternId, k: 'tp' | 'fn' | 'fp' | 'tn') => {
    if (!score.perPattern.has(p)) score.perPattern.set(p, { tp: 0, fn: 0, fp: 0, tn: 0 });
    score.perPattern.get(p)![k]++;
  };
  for (const log of logs) {
    let found: Set<PatternId>;
    try {
      const table = readTable({ name: log.file, bytes: log.bytes });
      const report = diagnose(table, log.file, { vocab: log.vocab_hint ?? 50257, vocabGiven: log.vocab_hint !== undefined });
      found = new Set(report.findings.map((f) => f.pattern));
    } catch (error) {
      score.total += log.expect.length + log.absent.length;
      score.misses.push(`${log.file}: no report (${(error as Error).message})`);
      continue;
    }
    for (const p of log.expect) {
      score.total++;
      if (found.has(p)) { score.ok++; bump(p, 'tp'); } else { bump(p, 'fn'); score.misses.push(`${log.file}: missed ${p}`); }
    }
    for (const p of log.absent) {
      score.total++;
      if (!found.has(p)) { score.ok++; bump(p, 'tn'); } else { bump(p, 'fp'); score.misses.push(`${log.file}: false ${p}`); }
    }
  }
  return score;
}

export function synthLogs(perPattern: number, seed: number): LabelledLog[] {
  return synthCorpus(perPattern, seed).map((c) => ({ ...c, bytes: Buffer.from(c.content) }));
}

function manifestLogs(path: string): LabelledLog[] {
  const root = dirname(resolve(path));
  const labels = JSON.parse(readFileSync(path, 'utf8')) as Array<LabelledLog & { file: string }>;
  return labels.map((l) => ({ ...l, expect: l.expect ?? [], absent: l.absent ?? [], bytes: readFileSync(join(root, l.file)) }));
}

/** `node dist/scripts/evaluate.js synth [PER_PATTERN] [SEED]` or `node dist/scripts/evaluate.js MANIFEST.json`. */
function cli(argv: string[]): void {
  const [what = 'synth', per = '100', seed = '1'] = argv;
  const logs = what === 'synth' ? synthLogs(Number(per), Number(seed)) : manifestLogs(what);
  const started = Date.now();
  const score = evaluate(logs);
  const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');
  console.log('pattern      recall   false-alarm');
  for (const [p, c] of [...score.perPattern].sort()) console.log(`${p.padEnd(12)} ${pct(c.tp, c.tp + c.fn).padEnd(8)} ${pct(c.fp, c.fp + c.tn)}`);
  for (const m of score.misses.slice(0, 60)) console.log(`  ${m}`);
  if (score.misses.length > 60) console.log(`  ... ${score.misses.length - 60} more`);
  console.log(`logs: ${logs.length}, time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`score: ${score.ok}/${score.total} labels right (${pct(score.ok, score.total)})`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) cli(process.argv.slice(2));
