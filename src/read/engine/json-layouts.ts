// The lines of a JSONL log repeat their layout: a line whose bytes between the values match a layout seen is read by comparing those bytes and reading the numbers between.

import { short, shortNumberEnd } from './json-numbers.js';
import type { Key } from './json-objects.js';

const KEPT = 2; // a training log interleaves two kinds of line (train steps, and now and then an eval)

/** A line's bytes around its values: texts[0], value 0, texts[1], ..., value k−1, texts[k]. Every value a short number. */
interface Layout {
  keys: Key[];
  texts: Uint8Array[];
  /** Each text's whole 4-byte words (little-endian), compared a word at a time: a line is mostly these texts. */
  words: Int32Array[];
}

/**
 * The layouts of the last lines FlatObjects parsed whose every value was a short number. A line that
 * spells one of them, with short numbers between, means what the full parse would read: the same keys
 * (each once, none an array index, as that parse checked) with those numbers.
 */
export class Layouts {
  private readonly kept: Layout[] = [];
  // a view of the bytes last read, for their words: readers pass the same few chunk buffers again and again
  private bytes: Uint8Array | undefined;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** Reads a line matching a layout kept into keys and values (−0 as 0); its end as FlatObjects.parse gives it, or −1. */
  read(bytes: Uint8Array, start: number, end: number, keys: Key[], values: Float64Array): number {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const view = this.view;
    for (let l = 0; l < this.kept.length; l++) {
      const { keys: layoutKeys, texts, words } = this.kept[l];
      let i = spelt(bytes, view, start, end, texts[0], words[0]);
      for (let p = 0; i >= 0 && p < layoutKeys.length; p++) {
        i = shortNumberEnd(bytes, i, end);
        if (i < 0) break;
        values[p] = short.value === 0 ? 0 : short.value;
        i = spelt(bytes, view, i, end, texts[p + 1], words[p + 1]);
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
    this.kept.unshift({ keys: keys.slice(0, count), texts, words: texts.map(wordsOf) });
    if (this.kept.length > KEPT) this.kept.pop();
  }
}

/** Where `text` ends if bytes spell it at `at` (within `end`), or −1: a word at a time (`words`, view of `bytes`), then byte by byte. */
function spelt(bytes: Uint8Array, view: DataView<ArrayBufferLike>, at: number, end: number, text: Uint8Array, words: Int32Array): number {
  const length = text.length;
  if (at + length > end) return -1;
  for (let w = 0; w < words.length; w++) if (view.getInt32(at + 4 * w, true) !== words[w]) return -1;
  for (let k = 4 * words.length; k < length; k++) if (bytes[at + k] !== text[k]) return -1;
  return at + length;
}

/** The whole little-endian 4-byte words of `text`. */
function wordsOf(text: Uint8Array): Int32Array {
  const view = new DataView(text.buffer, text.byteOffset, text.byteLength);
  return Int32Array.from({ length: text.length >> 2 }, (_, w) => view.getInt32(4 * w, true));
}
