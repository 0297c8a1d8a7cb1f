// The shapes every pipeline stage shares: the table a reader fills, the series detectors read, the findings they return.

import type { LineNumbers } from './line-numbers.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeriesName = 'train' | 'val';

/** Every pattern losscurve knows, in the order a report lists ties. */
export const PATTERN_IDS = ['nan', 'divergence', 'flat', 'spike', 'plateau', 'overfit', 'step', 'sawtooth', 'good'] as const;
export type PatternId = (typeof PATTERN_IDS)[number];

/**
 * One metric over steps, sorted by step with one point per step. Non-finite values stay in:
 * they are data (the nan detector needs them), and every statistic skips them.
 */
export interface Curve {
  /** The column the values came from, as the log spells it ("train/loss", "eval_loss"). */
  name: string;
  steps: Float64Array;
  values: Float64Array;
  /** 1-based source line of each point, 0 where the format has no lines (binary files). */
  lines: LineNumbers;
}

/** A validation metric that is not a loss (accuracy, F1, BLEU, WER), with the direction in which it improves. */
export interface MetricCurve extends Curve {
  higherIsBetter: boolean;
}

/** One training run, normalised: the curves a detector may read, all on the same step axis. */
export interface Series {
  train?: Curve;
  /** The train loss's running average where the log prints one beside each value (MetricLogger's "loss: 1.23 (1.31)"). */
  trainAverage?: Curve;
  val?: Curve;
  lr?: Curve;
  gradNorm?: Curve;
  /** The epoch counter beside a step axis (fractional in Hugging Face logs), where the log has both. */
  epoch?: Curve;
  /** A GAN's generator and discriminator losses, paired by name (G_A with D_A), where the log is adversarial. */
  adversaries?: Array<{ generator: Curve; discriminator: Curve }>;
  /** The validation metric beside the loss, where the log has one: overfit tells "by loss only" from it. */
  valMetric?: MetricCurve;
  /** What the step axis is: the column name, or "row" when the log has none. */
  stepName: string;
}

export type EvidenceValue = number | string | boolean | null | number[];

export interface Finding {
  pattern: PatternId;
  severity: Severity;
  series: SeriesName;
  start_step: number;
  end_step: number;
  /** One sentence with the numbers that show the pattern. */
  message: string;
  /** The same numbers, named, for machines. */
  evidence: Record<string, EvidenceValue>;
  /** What to try, most likely to help first. */
  fixes: string[];
}

/** What detectors know besides the curves. Built once per run by detect/context.ts. */
export interface DetectContext {
  /** Loss of a model that guesses uniformly: ln(vocab), or what --baseline said. */
  baseline: number;
  /** True when the train loss behaves like a cross-entropy (never legitimately negative). */
  crossEntropy: boolean;
  /**
   * True when the baseline speaks about this loss: a cross-entropy, and either the user gave a
   * vocabulary or baseline, or the loss starts within reach of it (a CTC loss of 332 is no LM over ln(50257)).
   */
  baselineApplies: boolean;
  /** What the baseline is: a vocabulary's ln(V), a k-way classifier's ln(k), the user's; only an LM's says where a loss should get. */
  baselineKind?: 'given' | 'vocabulary' | 'classes' | 'none';
  /** How a message names the baseline: "ln(10)", "ln(50257)". */
  baselineName?: string;
  /** Findings of the detectors that ran earlier in detect/index.ts's order. */
  earlier: readonly Finding[];
  /** The loss is a GAN generator's: it need not fall, and only a detector that knows GANs judges its climb. */
  adversarial?: boolean;
}

export interface Detector {
  id: PatternId;
  title: string;
  /** The severity of a typical finding; a detector may lower it for a milder case. */
  severity: Severity;
  /**
   * True for detectors that judge a curve against "a loss should fall" (good, flat, plateau, divergence):
   * they do not run on an adversarial loss, which a healthy GAN holds level or even raises.
   */
  assumesFallingLoss?: boolean;
  detect(series: Series, context: DetectContext): Finding[];
}
