// One plan per report: the fixes of a run's findings merged into one ordered list, duplicates said once, contradictions resolved with the reason.

import { fmtStep } from '../format.js';
import { PATTERN_IDS, type Finding, type PatternId, type Severity } from '../types.js';

/** What a fix does, so that two findings' fixes can be merged, ordered and checked against each other. */
export type FixKind =
  | 'clip' | 'clip-lower' | 'lr-lower' | 'warmup' | 'schedule-later' | 'lr-raise' | 'lr-restart-higher'
  | 'grad-accum' | 'batch-size' | 'stop' | 'dropout' | 'weight-decay' | 'inspect-data' | 'more-data' | 'capacity'
  | 'check-code' | 'context' | 'other';

export interface PlanItem {
  text: string;
  /** What the fix does (`other` for advice the catalogue does not know). */
  kind: FixKind;
  /** The patterns of the findings it serves, most severe first. */
  serves: PatternId[];
  /** Try it only once these findings' fixes have worked (a raise of the learning rate after spikes are gone). */
  after?: PatternId[];
}

export interface LeftOut extends PlanItem {
  /** Why the plan does not advise it now. */
  reason: string;
}

export interface Plan {
  items: PlanItem[];
  leftOut: LeftOut[];
}

interface KindRule {
  kind: FixKind;
  test: RegExp;
  order: number;
  lr?: 'lower' | 'raise';
  /** Fixes of this kind are distinct checks, merged only when word for word. */
  distinct?: boolean;
}

/**
 * The guide's order of fixes, as what each fix text does: gradient clipping (max_norm 1.0, then 0.5), then the
 * learning rate, then a larger batch or gradient accumulation, then regularisation; checks of the data and
 * the model come after the changes that fix most runs. The first rule whose pattern matches a fix text wins.
 */
const KINDS: KindRule[] = [
  // context first: "prefer a cosine decay (with warmup)" is about a schedule that works, not a warmup to lengthen
  { kind: 'context', test: /nothing is broken|noise is harmless|prefer a cosine|if you keep step decay/i, order: 80, distinct: true },
  { kind: 'clip-lower', test: /(lower|halve)[^;]*max_norm/i, order: 21 },
  { kind: 'clip', test: /clip (the )?gradients|clip_grad_norm/i, order: 20 },
  { kind: 'warmup', test: /warmup/i, order: 31 },
  { kind: 'schedule-later', test: /decays? too early|decay (it )?later/i, order: 34, lr: 'raise' },
  { kind: 'lr-restart-higher', test: /higher peak/i, order: 36, lr: 'raise' },
  { kind: 'lr-raise', test: /raise the (peak )?learning rate/i, order: 35, lr: 'raise' },
  { kind: 'lr-lower', test: /(lower|halve|reduce)[^;]*learning rate/i, order: 30, lr: 'lower' },
  { kind: 'grad-accum', test: /gradient accumulation|grad_accum/i, order: 40 },
  { kind: 'batch-size', test: /batch size/i, order: 41 },
  { kind: 'stop', test: /^(stop at|keep the checkpoint)/i, order: 50 },
  { kind: 'dropout', test: /dropout/i, order: 51 },
  { kind: 'weight-decay', test: /weight decay/i, order: 52 },
  { kind: 'inspect-data', test: /inspect the batches|check the data/i, order: 60 },
  { kind: 'more-data', test: /more (and more varied )?data|augment/i, order: 62 },
  { kind: 'check-code', test: /^(check |after loss\.backward|print a few batches|under mixed precision)/i, order: 61, distinct: true },
  { kind: 'capacity', test: /bigger model/i, order: 70 },
];

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
// an unknown fix stays just after the known fix it followed in its finding's list (or first, if none did)
const AFTER_PREVIOUS = 0.001;

/** What a fix text does, and where the guide puts it. */
export function kindOf(text: string): Omit<KindRule, 'test'> {
  const rule = KINDS.find((r) => r.test.test(text));
  return rule ? { kind: rule.kind, order: rule.order, lr: rule.lr, distinct: rule.distinct } : { kind: 'other', order: NaN, distinct: true };
}

interface Draft extends PlanItem { severity: number; order: number; lr?: 'lower' | 'raise' }

/**
 * The plan for one run's findings (pass only the diagnosed run's). Pure: the same findings give the same plan.
 * Order: the severity of the most severe finding an item serves, then the guide's order, then the finding's own.
 */
export function makePlan(findings: readonly Finding[]): Plan {
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const drafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  for (const f of sorted) {
    let previous = 0;
    f.fixes.forEach((text) => {
      const k = kindOf(text);
      const order = Number.isNaN(k.order) ? (previous += AFTER_PREVIOUS) : (previous = k.order);
      // two fixes of one kind are one piece of advice (the most severe finding's words); unknown advice merges only when word for word
      const key = k.distinct ? `${k.kind}:${text}` : k.kind;
      const seen = byKey.get(key);
      if (seen) {
        if (!seen.serves.includes(f.pattern)) seen.serves.push(f.pattern);
        seen.severity = Math.min(seen.severity, SEVERITY_RANK[f.severity]);
        return;
      }
      const draft: Draft = { text, kind: k.kind, serves: [f.pattern], severity: SEVERITY_RANK[f.severity], order, lr: k.lr };
      byKey.set(key, draft);
      drafts.push(draft);
    });
  }
  const leftOut: LeftOut[] = [];
  const lowering = drafts.filter((d) => d.lr === 'lower');
  let items = drafts;
  if (lowering.length) {
    const lowerFor = unique(lowering.flatMap((d) => d.serves));
    // a raise that may follow comes after every fix of the findings that asked for the lowering
    const theirs = drafts.filter((d) => d.lr !== 'raise' && d.serves.some((p) => lowerFor.includes(p)));
    const lowerOrder = Math.max(...theirs.map((d) => d.order));
    const lowerSeverity = Math.max(...theirs.map((d) => d.severity));
    // a NaN or a climb says the rate is already too high: raising it for a plateau would undo the fix; recovered
    // spikes may be data or clipping, so a raise can follow once they are gone, never before or alongside the lowering
    // so does a spike that never came back down: the loss jumped and stayed, a climb in one step
    const tooHigh = findings.filter((f) => lowerFor.includes(f.pattern)
      && (f.severity === 'error' || (f.pattern === 'spike' && f.evidence.recovered_step === null)));
    const errorLowering = tooHigh.length > 0;
    items = [];
    for (const d of drafts) {
      if (d.lr !== 'raise') { items.push(d); continue; }
      if (errorLowering) {
        const why = unique(tooHigh.map((f) => (f.pattern === 'spike' ? `the spike at ${fmtStep(f.start_step)} that never came back down` : `the ${f.pattern}`)));
        leftOut.push({ text: d.text, kind: d.kind, serves: d.serves, reason: `${why.join(' and ')} ${why.length > 1 ? 'say' : 'says'} the learning rate is too high already: lower it first (above); raising it now would undo that` });
        continue;
      }
      items.push({ ...d, text: `once ${goneClause(lowerFor)} and the loss still stalls: ${d.text}`, after: orderPatterns(lowerFor), severity: Math.max(d.severity, lowerSeverity), order: Math.max(d.order, lowerOrder + AFTER_PREVIOUS) });
    }
  }
  items = [...items].sort((a, b) => a.severity - b.severity || a.order - b.order);
  return {
    items: items.map(({ text, kind, serves, after }) => ({ text, kind, serves: orderPatterns(serves), ...(after ? { after } : {}) })),
    leftOut: leftOut.map((l) => ({ ...l, serves: orderPatterns(l.serves) })),
  };
}

const PATTERN_RANK = Object.fromEntries(PATTERN_IDS.map((p, i) => [p, i])) as Record<PatternId, number>;
const orderPatterns = (ps: PatternId[]) => [...ps].sort((a, b) => PATTERN_RANK[a] - PATTERN_RANK[b]);
const unique = <T>(xs: T[]) => xs.filter((x, i) => xs.indexOf(x) === i);

function goneClause(patterns: PatternId[]): string {
  const things = orderPatterns(patterns).map((p) => (p === 'spike' ? 'the spikes' : p === 'nan' ? 'the NaNs' : `the ${p}`));
  return `${things.join(' and ')} ${things.length > 1 || things[0] === 'the spikes' || things[0] === 'the NaNs' ? 'are' : 'is'} gone`;
}
