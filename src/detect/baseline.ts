// The random-guess loss a run is judged against: what the user gave, ln(V) for a language model from scratch, ln(k) for a k-way classifier, or none.

import { median } from '../stats/robust.js';
import type { Curve } from '../types.js';
import { profileOf, startsNonNegative } from './profile.js';

export interface Baseline {
  value: number;
  /** Where the value comes from, as the report names it: "ln(10): 10-way guess", "ln(50257) vocabulary". */
  source: string;
  /** The baseline speaks about this loss; when false no finding leans on it and the report does not show it. */
  applies: boolean;
  kind: 'given' | 'vocabulary' | 'classes' | 'none';
  /** How a message names it: "ln(10)", "ln(50257)", "the --baseline value". */
  name: string;
}

export interface BaselineOptions {
  vocab: number;
  /** --vocab was typed: the vocabulary baseline applies whatever the loss starts at. */
  vocabGiven?: boolean;
  /** --baseline X. */
  baseline?: number;
  /**
   * The log holds component losses beside the train loss (loss_cls, loss_box_reg, dfl_loss): the loss is a sum or a
   * part of a multi-task objective, no single k-way cross-entropy, so no ln(k) is looked for.
   */
  componentLosses?: boolean;
}

const CLASS_COUNTS = [2, 4, 10, 100, 1000]; // binary (and DPO's start, ln 2 exactly), four-way choice, CIFAR-10, CIFAR-100, ImageNet
// An untrained classifier is never better than uniform on average (Jensen: E[log Σ exp(z_j − z_y)] ≥ ln k), so its
// first loss sits at ln(k) or above it; 3% below covers the batch noise of one logged average
const BELOW = 0.03;
// random initial logits put it a little above ln(k) (a logit spread σ adds about σ²/2: σ ≤ 0.45 gives ≤ +5% of ln 2);
// a start in this window is at chance on its own evidence
const AT_START = 0.05;
// a start up to 30% above (confident initial logits: 0.89 for a Keras binary model at ln 2 = 0.693) counts only when
// the loss then comes to rest at ln(k) within REST: a model that learned the prior of balanced classes and nothing
// else sits there to within its batch noise (0.6931 ± 0.1% for that binary model), while an LM that happens to level
// off near 1.39 sits 2–3% off ln 4
const ABOVE = 0.3;
const REST = 0.01;
// windows around consecutive candidates never overlap: ln k · 1.3 < ln k' · 0.97 for each pair above
// an LM from scratch starts near ln(V): its first logs sit from ln(V) down to about 70% of it once the first
// hundred steps are averaged in; above 1.5·ln(V) the loss is some other loss (a CTC loss of 332 is no LM)
const LM_FROM = 0.7;
const LM_REACH = 1.5;

/** Recognises the baseline of a train loss from its curve. Pure: the same curve and options give the same baseline. */
export function recogniseBaseline(train: Curve | undefined, options: BaselineOptions): Baseline {
  const values = train?.values ?? [];
  const vocabValue = Math.log(options.vocab);
  const vocab: Baseline = { value: vocabValue, source: `ln(${options.vocab}) vocabulary`, applies: true, kind: 'vocabulary', name: `ln(${options.vocab})` };
  const crossEntropy = startsNonNegative(values);
  if (options.baseline !== undefined) {
    return { value: options.baseline, source: 'given (--baseline)', applies: crossEntropy, kind: 'given', name: 'the --baseline value' };
  }
  if (options.vocabGiven) return { ...vocab, applies: crossEntropy };
  const none: Baseline = { ...vocab, applies: false, kind: 'none' };
  if (!train || !crossEntropy) return none;
  // the profile's finite points (computed once per curve, and the detectors read it anyway)
  const p = profileOf(train);
  if (p.n === 0) return none;
  // where the curve starts: its first point (a fast fall leaves the next ones well below it), or the median of its
  // first three when that is higher (a first point logged low by chance)
  const start = Math.max(median(p.values, 0, Math.min(p.n, 3)), p.values[0]);
  if (start >= LM_FROM * vocabValue && start <= LM_REACH * vocabValue) return vocab;
  if (options.componentLosses) return none;
  const rest = p.end; // where it comes to rest: the median of its last fifth
  for (const k of CLASS_COUNTS) {
    const ln = Math.log(k);
    if (start < (1 - BELOW) * ln || start > (1 + ABOVE) * ln) continue;
    if (start <= (1 + AT_START) * ln || Math.abs(rest - ln) <= REST * ln) {
      return { value: ln, source: `ln(${k}): ${k}-way guess`, applies: true, kind: 'classes', name: `ln(${k})` };
    }
  }
  return none;
}
