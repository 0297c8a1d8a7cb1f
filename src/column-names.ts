// What each column is, from its name alone: a step axis, a train or validation loss, a learning rate, or something else.

export type Role = 'step' | 'epoch' | 'train' | 'val' | 'lr' | 'gradNorm' | 'valMetric' | 'other';

export interface ColumnRole {
  role: Role;
  /** Lower is a better pick within the role: 0 for the names trainers use for exactly this. */
  rank: number;
  /** For a valMetric: whether a larger value is better (accuracy) or worse (WER). */
  higherIsBetter?: boolean;
}

/** Splits a column name into lower-case words: "train/CrossEntropyLoss" → train, cross, entropy, loss. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const squash = (name: string) => words(name).join('_');

// Step axes in the order of preference the issue tracker agreed on; epoch only when none is there.
const STEP_NAMES = ['step', 'iter', 'iteration', 'global_step', 'step', 'update', 'num_updates', 'current_steps',
  'trainer_global_step', 'iters', 'updates', 'batch', 'it', 'train_global_step'];
const EPOCH_NAMES = ['epoch', 'epochs'];

// Exact names of the train loss, best first ("value" is TensorBoard's CSV export of one scalar).
const TRAIN_NAMES = ['loss', 'train_loss', 'train_loss_step', 'training_loss', 'train_loss_epoch', 'lm_loss', 'trl',
  'train_lm_loss', 'value'];
// Exact names of the validation loss, best first ("tel" is llm.c's test/val loss).
const VAL_NAMES = ['val_loss', 'eval_loss', 'valid_loss', 'validation_loss', 'val_lm_loss', 'eval_lm_loss', 'tel',
  'test_loss', 'val_loss_epoch', 'valid_loss_epoch', 'dev_loss'];

const VAL_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'dev', 'heldout']);
const TRAIN_WORDS = new Set(['train', 'training', 'tr']);
const LOSS_WORDS = new Set(['loss', 'nll', 'losses', 'xent', 'objective']);
// Words that make a "loss" column something else: a loss scale, a count, a ratio, a statistic of the loss.
const NOT_LOSS_WORDS = new Set(['scale', 'scaler', 'weight', 'count', 'std', 'var', 'min', 'max', 'ratio', 'z',
  'acc', 'accuracy', 'ppl', 'perplexity', 'time', 'runtime', 'per', 'second', 'seconds', 'tokens', 'samples',
  'norm', 'grad', 'best', 'improvement', 'delta', 'diff', 'avg_time', 'ema_decay',
  // settings printed in config lines ("val_loss_every", "auxiliary_loss_multiplier"): about a loss, not one
  'every', 'interval', 'freq', 'frequency', 'multiplier', 'coef', 'coeff', 'factor', 'patience', 'threshold']);
// Words that say which granularity a Lightning-style column holds; they do not make it a component loss.
const NEUTRAL_WORDS = new Set(['step', 'epoch', 'avg', 'mean', 'total', 'lm', 'ce', 'cross', 'entropy', 'loss',
  'losses', 'nll', 'objective', 'xent', 'overall', 'main']);

// Validation metrics that are not losses, best pick first, with the direction they improve in (WER and CER fall).
const METRIC_WORDS: ReadonlyArray<[string, boolean]> = [['accuracy', true], ['acc', true], ['f1', true], ['bleu', true],
  ['sacrebleu', true], ['rouge', true], ['rouge1', true], ['rouge2', true], ['rougel', true], ['exact', true], ['em', true],
  ['top1', true], ['auc', true], ['map', true], ['miou', true], ['iou', true], ['dice', true], ['mcc', true],
  ['wer', false], ['cer', false]];
// Words that make a metric column something else: a count, a timing, a statistic of the metric
const NOT_METRIC_WORDS = new Set(['std', 'var', 'min', 'count', 'time', 'runtime', 'per', 'second', 'seconds', 'samples', 'steps', 'best', 'delta', 'diff']);

// A W&B chart export names a column "<run name> - <metric>"; the run name may hold any word ("val-sweep-3").
const RUN_METRIC_SEPARATOR = ' - ';
// No trainer names a metric with more characters than this; a longer "name" is garbage, and splitting it into words costs time
const MAX_NAME_LENGTH = 256;

// The text reader's column for a loss's running average ("loss: 1.23 (1.31)"): normalise gives it to the series beside its loss
const AVERAGE_SUFFIX = ' (avg)';
export const averageColumn = (loss: string) => loss + AVERAGE_SUFFIX;

export function classify(name: string): ColumnRole {
  if (name.length > MAX_NAME_LENGTH || name.endsWith(AVERAGE_SUFFIX)) return { role: 'other', rank: 0 };
  const cut = name.lastIndexOf(RUN_METRIC_SEPARATOR);
  if (cut > 0 && cut + RUN_METRIC_SEPARATOR.length < name.length) {
    // only the metric says what a run's column holds; a header like "Loss - Train" is still read whole
    const metric = classifyName(name.slice(cut + RUN_METRIC_SEPARATOR.length));
    if (metric.role !== 'other') return metric;
  }
  return classifyName(name);
}

function classifyName(name: string): ColumnRole {
  const key = squash(name);
  const ws = words(name);
  const stepRank = STEP_NAMES.indexOf(key);
  // W&B's own `_step` counts log calls: a step the trainer named itself (trainer/global_step) is the better axis
  if (stepRank >= 0 || name === '_step') return { role: 'step', rank: name === '_step' ? STEP_NAMES.length : stepRank };
  const epochRank = EPOCH_NAMES.indexOf(key);
  if (epochRank >= 0 || (ws.length === 2 && ws[1] === 'epoch' && ws[0] === 'train')) return { role: 'epoch', rank: 0 };
  if (ws[0] === 'lr' || key.includes('learning_rate')) return { role: 'lr', rank: key === 'lr' || key === 'learning_rate' ? 0 : 1 };
  if ((ws.includes('grad') || ws.includes('gradient')) && ws.includes('norm')) return { role: 'gradNorm', rank: 0 };
  if (key === 'norm' || key === 'gnorm' || key === 'grad_norm' || key === 'total_norm') return { role: 'gradNorm', rank: 1 };

  const trainRank = TRAIN_NAMES.indexOf(key);
  if (trainRank >= 0) return { role: 'train', rank: trainRank };
  const valRank = VAL_NAMES.indexOf(key);
  if (valRank >= 0) return { role: 'val', rank: valRank };
  const metric = validationMetric(ws);
  if (metric) return metric;
  if (!ws.some((w) => LOSS_WORDS.has(w) || w.endsWith('loss')) || ws.some((w) => NOT_LOSS_WORDS.has(w))) {
    return { role: 'other', rank: 0 };
  }
  const isVal = ws.some((w) => VAL_WORDS.has(w));
  const isTrain = ws.some((w) => TRAIN_WORDS.has(w));
  // words beyond train/val/granularity name a component ("dynamics_loss", "eval_g0_loss"): a worse pick than the total
  const extra = ws.filter((w) => !VAL_WORDS.has(w) && !TRAIN_WORDS.has(w) && !NEUTRAL_WORDS.has(w)).length;
  const rank = 20 + 10 * extra + (ws.includes('epoch') ? 1 : 0);
  if (isVal && !isTrain) return { role: 'val', rank };
  return { role: 'train', rank };
}

/** val_accuracy, eval_f1, eval/wer, val_acc: a validation metric that is no loss, ranked by the words beyond the metric's. */
function validationMetric(ws: string[]): ColumnRole | undefined {
  if (!ws.some((w) => VAL_WORDS.has(w)) || ws.some((w) => TRAIN_WORDS.has(w) || LOSS_WORDS.has(w) || w.endsWith('loss') || NOT_METRIC_WORDS.has(w))) return undefined;
  const at = METRIC_WORDS.findIndex(([m]) => ws.includes(m));
  if (at < 0) return undefined;
  // "val_sparse_categorical_accuracy" is still the accuracy; "eval_accuracy_class_3" is one class of it, a worse pick
  const extra = ws.filter((w) => !VAL_WORDS.has(w) && !METRIC_WORDS.some(([m]) => m === w) && !NEUTRAL_WORDS.has(w)).length;
  return { role: 'valMetric', rank: at + 10 * extra, higherIsBetter: METRIC_WORDS[at][1] };
}
