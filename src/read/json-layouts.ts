// The lines of a JSONL log repeat their layout: a line whose bytes between the values match a layout seen is read by comparing those bytes and reading the numbers between.

import { short, shortNumberEnd } from './json-numbers.js';
import type { Key } from './json-objects.js';

const KEPT = 2; // a training log interleaves two kinds of line (train steps, and now and then an eval)

/** A line's bytes around its values: texts[0], value 0, texts[1], ..., value k−1, texts[k]. Every value a short number. */
interface Layout {
  keys: Key[];
  texts: Uint8Array[];
}

/**
 * The layouts of the last lines FlatObjects parsed whose every value was a short number. A line that
 * spells one of them, with short numbers between, means what the full parse would read: the same keys
 * (each once, none an array index, as that parse checked) with those numbers.
 */
export class Layouts {
  private readonly kept: Layout[] = [];

  /** Reads a line matching a layout kept into keys and values (−0 as 0); its end as FlatObjects.parse gives it, or −1. */
  read(bytes: Uint8Array, start: number, end: number, keys: Key[], values: Float64Array): number {
    for (let l = 0; l < this.kept.length; l++) {
      const { keys: layoutKeys, texts } = this.kept[l];
      let i = spelt(bytes, start, end, texts[0]);
      for (let p = 0; i >= 0 && p < layoutKeys.length; p++) {
        i = shortNumberEnd(bytes, i, end);
        if (i < 0) break;
        values[p] = short.value === 0 ? 0 : short.value;
        i = spelt(bytes, i, end, texts[p + 1]);
      }
      if (i < 0) continue;
      for (let p = 0; p < layoutKeys.length; p++) keys[p] = layoutKeys[p];
      if (l > 0) this.kept.unshift(...this.kept.splice(l, 1)); // the latest first
      return i;
    }
    return -1;
  }

  /** How many values the layout read last has (valid after read returned a line end). */
  get pairs(): number {
    return this.kept[0].keys.length;
  }

  /** Keeps the layout of bytes[start, stop), whose values (one per key) lie at [from[p], to[p]). */
  learn(bytes: Uint8Array, start: number, stop: number, keys: Key[], from: Int32Array, to: Int32Array, count: number): void {
    const texts: Uint8Array[] = [];
    let at = start;
    // copies: the bytes are a chunk's, which the next read overwrites
    for (let p = 0; p < count; p++) {
      texts.push(Uint8Array.from(bytes.subarray(at, from[p])));
      at = to[p];
    }
    texts.push(Uint8Array.from(bytes.subarray(at, stop)));
    this.kept.unshift({ keys: keys.slice(0, count), texts });
    if (this.kept.length > KEPT) this.kept.pop();
  }
}

/** Where `text` ends if bytes spell it at `at` (within `end`), or −1. */
function spelt(bytes: Uint8Array, at: number, end: number, text: Uint8Array): number {
  const length = text.length;
  if (at + length > end) return -1;
  for (let k = 0; k < length; k++) if (bytes[at + k] !== text[k]) return -1;
  return at + length;
}
