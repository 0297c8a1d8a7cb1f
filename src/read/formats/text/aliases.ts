// The table of names trainers print, mapped to what they are: a step counter, an epoch, or a metric and the column it fills.

import { classify, words } from '../../../column-names.js';

/**
 * What a key is. `counter` counts steps and may restart each epoch (Keras batches, CycleGAN iters);
 * `global` never restarts (fairseq num_updates); `epochEnd` is "end of epoch N".
 */
export type KeyKind = 'global' | 'counter' | 'epoch' | 'epochEnd' | 'metric';

interface Alias {
  kind: KeyKind;
  /** The column a metric fills, named so column-names.ts maps it. */
  column?: string;
  /** Only when printed as "key value" with no ":" or "=" (build-nanogpt's "0 train 10.93"): "train: 80%" is a progress bar. */
  bareOnly?: boolean;
  /** A counter whose "N/M" total is per epoch ("200/2983 batches"), not the run's ("step 61/74"). */
  perEpoch?: boolean;
}

// Keys are looked up by their lower-case words joined with "_", so "Train Loss", "train-loss" and "train_loss" meet.
const ALIASES = new Map<string, Alias>([
  // step counters
  ['step', { kind: 'counter' }], ['iter', { kind: 'counter' }], ['iters', { kind: 'counter' }],
  ['iteration', { kind: 'counter' }], ['batch', { kind: 'counter', perEpoch: true }],
  ['batches', { kind: 'counter', perEpoch: true }],
  ['s', { kind: 'global' }], // llm.c main.log: "s:250 trl:3.1"
  ['global_step', { kind: 'global' }], ['trainer_global_step', { kind: 'global' }], ['num_updates', { kind: 'global' }],
  ['train_num_updates', { kind: 'global' }], ['valid_num_updates', { kind: 'global' }],
  ['epoch', { kind: 'epoch' }], ['end_of_epoch', { kind: 'epochEnd' }],
  // train losses under names column-names.ts would not map (or would map to the wrong column)
  ['train_loss', { kind: 'metric', column: 'train_loss' }], ['training_loss', { kind: 'metric', column: 'train_loss' }],
  ['trl', { kind: 'metric', column: 'train_loss' }], ['train', { kind: 'metric', column: 'train_loss', bareOnly: true }],
  // validation losses
  ['val_loss', { kind: 'metric', column: 'val_loss' }], ['valid_loss', { kind: 'metric', column: 'val_loss' }],
  ['validation_loss', { kind: 'metric', column: 'val_loss' }], ['tel', { kind: 'metric', column: 'val_loss' }],
  ['val', { kind: 'metric', column: 'val_loss', bareOnly: true }],
  // optimiser state
  ['learning_rate', { kind: 'metric', column: 'lr' }], ['lr', { kind: 'metric', column: 'lr' }],
  ['norm', { kind: 'metric', column: 'grad_norm' }], ['grad_norm', { kind: 'metric', column: 'grad_norm' }],
  ['gnorm', { kind: 'metric', column: 'grad_norm' }],
]);

/** Words that qualify the word after them in an unpunctuated key: "train loss", "end of epoch", "grad norm". */
const QUALIFIERS = new Set(['train', 'training', 'val', 'valid', 'validation', 'eval', 'test', 'dev', 'lm', 'total', 'avg',
  'mean', 'running', 'end', 'of', 'global', 'grad', 'gradient', 'learning', 'smoothed', 'ema']);
const MAX_BARE_KEY_WORDS = 3; // "end of epoch": longer unpunctuated keys are prose ("the loss drops to 2.5")

// A log prints the same few keys on every line: their normal forms and roles are remembered, not worked out a million
// times (a third of `watch`'s time on training stdout went there). Bounded, so a log inventing keys costs no memory.
const MEMO_LIMIT = 1024;
const keys = new Map<string, string>();
const roles = new Map<string, MetricRole>();
function remember<V>(memo: Map<string, V>, name: string, make: (name: string) => V): V {
  let value = memo.get(name);
  if (value === undefined) {
    value = make(name);
    if (memo.size < MEMO_LIMIT) memo.set(name, value);
  }
  return value;
}

export const keyOf = (key: string) => remember(keys, key, (k) => words(k).join('_'));

export function aliasOf(key: string, joined: boolean): Alias | undefined {
  const alias = ALIASES.get(keyOf(key));
  return alias && (!alias.bareOnly || !joined) ? alias : undefined;
}

/**
 * The key of a value printed as "words value" without ":" or "=": the last word, with the
 * qualifiers before it ("val loss", "end of epoch"), so prose before a number does not become a key.
 */
export function bareKey(pending: readonly string[]): string {
  let from = pending.length - 1;
  while (from > 0 && pending.length - from < MAX_BARE_KEY_WORDS && QUALIFIERS.has(pending[from - 1].toLowerCase())) from--;
  return pending.slice(from).join(' ');
}

export type MetricRole = ReturnType<typeof classify>['role'];

/** The role column-names.ts will give the column: a record needs a train or val loss. */
export function roleOf(column: string): MetricRole {
  return remember(roles, column, (c) => classify(c).role);
}

// Units that make a number a time, a rate, a size or a share: never a loss, so the value is dropped.
const NOT_A_VALUE_UNITS = new Set(['ms', 's', 'sec', 'secs', 'us', 'µs', 'ns', 'm', 'min', 'mins', 'h', 'hr', 'hrs', '%',
  'x', 'k', 'b', 'kb', 'mb', 'gb', 'tb', 'kib', 'mib', 'gib', 'tib', 'w', 'c', 'z', 'g', 't']);

/** Whether a number with this glued unit still reads as its key's value; "44.41Batch 3: ..." keeps 44.41. */
export function keepsValue(unit: string): boolean {
  if (unit === '') return true;
  const lower = unit.toLowerCase();
  if (lower.includes('/') || NOT_A_VALUE_UNITS.has(lower)) return false;
  // a glued capitalised word is the next message run into the number (Keras' TerminateOnNaN)
  return unit.length > 1 && unit[0] !== lower[0];
}

// GAN loss logs (CycleGAN, pix2pix) name each term by its network: G_A, D_B, G_GAN, D_real; none is called loss.
const GAN_TERM = /^[GD](?:_[A-Za-z0-9]{1,8})?$/;

export const isGanTerm = (key: string) => GAN_TERM.test(key);
/** The generator's term: what such a run is trained to lower, so the series a person would watch. */
export const isGeneratorTerm = (key: string) => key[0] === 'G' && GAN_TERM.test(key);
