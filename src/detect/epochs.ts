// Which epoch an epoch counter's value stands for: the one rule sawtooth and plateau share.

import type { Curve } from '../types.js';

/**
 * From a logged counter value to its epoch index: an integer counter as it is; a fractional one (Hugging Face's
 * 1.0 is the end of epoch 1, not the start of epoch 2) rounded up, less one.
 */
export function epochIndexOf(epoch: Curve): (value: number) => number {
  let fractional = false;
  for (const e of epoch.values) if (Number.isFinite(e) && e !== Math.round(e)) { fractional = true; break; }
  return fractional ? (e) => Math.max(0, Math.ceil(e - 1e-9) - 1) : (e) => e;
}
