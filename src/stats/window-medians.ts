// Medians of every full window of w consecutive values in O(n log w): Suomela's two-block method (sort once, then linked lists).

import { lowerBound } from './search.js';

/**
 * One block of w inputs in sorted order, as a doubly linked list over ranks from which elements can
 * leave (the block sliding out of the window) or rejoin (the block sliding in). Node r+1 is rank r;
 * node 0 and node size+1 are the ends, valued −∞ and +∞.
 */
interface Block {
  size: number;
  /** Node → value, with the ends: value[0] = −∞, value[size+1] = +∞. */
  value: Float64Array;
  /** Input position in the block → its node. */
  nodeOf: Int32Array;
  next: Int32Array;
  prev: Int32Array;
}

const BUCKET_SORT_BLOCK = 64; // a whole block this small sorts fastest by buckets and insertion (bucketSorted)
const BUCKETS = 64; // one bucket per value or so for a block of up to BUCKET_SORT_BLOCK
const bucketStarts = new Int32Array(BUCKETS + 1); // scratch for bucketSorted
let tiesTaken = new Int32Array(0); // scratch for nativeSorted: ranks given so far within each run of equal values

function newBlock(w: number): Block {
  return { size: 0, value: new Float64Array(w + 2), nodeOf: new Int32Array(w), next: new Int32Array(w + 2), prev: new Int32Array(w + 2) };
}

/**
 * Sorts x[from, from+size) into value[1..size] with their positions in order[0..size), stably: a counting
 * pass puts each value in one of BUCKETS buckets by where it lies between the block's least and greatest
 * (buckets come in value order), then insertion sort has only neighbours to swap. About 2.5× faster than
 * insertion sort alone on a block of 51 noisy values; a block with one far outlier sorts as insertion sort did.
 */
function bucketSorted(x: Float64Array, from: number, size: number, value: Float64Array, order: Int32Array, keys: Float64Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < size; j++) {
    const v = x[from + j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // an infinite spread scales to 0: one bucket (and NaN from ∞·0 truncates to bucket 0 too)
  const scale = hi > lo ? (BUCKETS - 1) / (hi - lo) : 0;
  bucketStarts.fill(0);
  for (let j = 0; j < size; j++) {
    const b = ((x[from + j] - lo) * scale) | 0;
    keys[j] = b;
    bucketStarts[b + 1]++;
  }
  for (let b = 1; b <= BUCKETS; b++) bucketStarts[b] += bucketStarts[b - 1];
  for (let j = 0; j < size; j++) {
    const at = bucketStarts[keys[j]]++;
    order[at] = j;
    value[at + 1] = x[from + j];
  }
  value[0] = -Infinity; // below everything: the insertion loop needs no bounds test
  for (let i = 1; i < size; i++) {
    const v = value[i + 1];
    const o = order[i];
    let k = i;
    while (value[k] > v) { value[k + 1] = value[k]; order[k] = order[k - 1]; k--; }
    value[k + 1] = v;
    order[k] = o;
  }
}

/**
 * The same for bigger blocks (wide windows, which come late in a run, when a sort of our own would still be
 * running unoptimised): the engine's sort of a copy, then each position's rank by binary search, equal values
 * taking consecutive ranks in position order, as a stable sort leaves them.
 */
function nativeSorted(x: Float64Array, from: number, size: number, value: Float64Array, order: Int32Array, keys: Float64Array): void {
  const sorted = keys.subarray(0, size);
  sorted.set(x.subarray(from, from + size));
  sorted.sort();
  if (tiesTaken.length < size) tiesTaken = new Int32Array(size);
  tiesTaken.fill(0, 0, size);
  for (let j = 0; j < size; j++) {
    const v = x[from + j];
    const first = lowerBound(sorted, v, 0, size); // the first rank of v's run of equal values
    const r = first + tiesTaken[first]++;
    order[r] = j;
    value[r + 1] = v;
  }
}

type Sorter = (x: Float64Array, from: number, size: number, value: Float64Array, order: Int32Array, keys: Float64Array) => void;

/** Fills the block from x[from, from+size), every element present. */
function load(block: Block, x: Float64Array, from: number, size: number, order: Int32Array, keys: Float64Array, sorted: Sorter): void {
  block.size = size;
  const { value, nodeOf, next, prev } = block;
  // the sorter is chosen once per window size, so neither path's code meets the other's data (no deoptimising)
  sorted(x, from, size, value, order, keys);
  value[0] = -Infinity;
  value[size + 1] = Infinity;
  for (let r = 0; r < size; r++) nodeOf[order[r]] = r + 1;
  for (let node = 0; node <= size + 1; node++) { next[node] = node + 1; prev[node] = node - 1; }
}

/**
 * out[at + s] = median of x[s, s + w) for every s from 0 to n − w: the middle value, or the mean of the
 * two middle values when w is even (exactly as a sorted window gives it). Values must not be NaN.
 * The input is cut into blocks of w; a window is the tail of one block (A) and the head of the next
 * (B), so sliding it takes one element out of A's list and puts one back into B's. Two cursors, one
 * per list, with k elements before them together, move a step or two per slide to the median.
 */
export function windowMedians(x: Float64Array, w: number, out: Float64Array, at: number): void {
  const n = x.length;
  if (w < 1 || n < w) return;
  const k = (w - 1) >> 1; // rank of the (lower) middle value
  const even = w % 2 === 0;
  const order = new Int32Array(w);
  const keys = new Float64Array(w);
  const sorter: Sorter = w <= BUCKET_SORT_BLOCK ? bucketSorted : nativeSorted;
  let A = newBlock(w);
  let B = newBlock(w);
  load(A, x, 0, w, order, keys, sorter);
  out[at] = even ? (A.value[k + 1] + A.value[k + 2]) / 2 : A.value[k + 1];

  for (let start = 0; start + w < n; start += w) {
    const size = Math.min(w, n - start - w);
    load(B, x, start + w, size, order, keys, sorter);
    const aValue = A.value, aNext = A.next, aPrev = A.prev, aNode = A.nodeOf;
    const bValue = B.value, bNext = B.next, bPrev = B.prev, bNode = B.nodeOf;
    // B starts empty: its elements leave last-first, so that rejoining first-first restores every link
    for (let j = size - 1; j >= 0; j--) {
      const node = bNode[j];
      bNext[bPrev[node]] = bNext[node];
      bPrev[bNext[node]] = bPrev[node];
    }
    // A is whole: its cursor sits on rank k; B's at its end
    let am = k + 1, as = k, bm = size + 1, bs = 0;
    for (let t = 0; t < size; t++) {
      const leaving = aNode[t];
      if (leaving < am) as--;
      else if (leaving === am) am = aNext[leaving];
      aNext[aPrev[leaving]] = aNext[leaving];
      aPrev[aNext[leaving]] = aPrev[leaving];
      const joining = bNode[t];
      bNext[bPrev[joining]] = joining;
      bPrev[bNext[joining]] = joining;
      if (joining < bm) bs++;
      // k elements must precede the two cursors together...
      while (as + bs > k) {
        if (aValue[aPrev[am]] >= bValue[bPrev[bm]]) { am = aPrev[am]; as--; } else { bm = bPrev[bm]; bs--; }
      }
      while (as + bs < k) {
        if (aValue[am] <= bValue[bm]) { am = aNext[am]; as++; } else { bm = bNext[bm]; bs++; }
      }
      // ...and be the k smallest: swap across while one before a cursor exceeds the other cursor's value
      for (;;) {
        if (aValue[aPrev[am]] > bValue[bm]) { am = aPrev[am]; as--; bm = bNext[bm]; bs++; }
        else if (bValue[bPrev[bm]] > aValue[am]) { bm = bPrev[bm]; bs--; am = aNext[am]; as++; }
        else break;
      }
      const va = aValue[am];
      const vb = bValue[bm];
      const low = va <= vb ? va : vb;
      // the next value up is found for odd windows too: one path for both keeps the compiled loop from deoptimising
      const high = va <= vb ? Math.min(aValue[aNext[am]], vb) : Math.min(va, bValue[bNext[bm]]);
      out[at + start + t + 1] = even ? (low + high) / 2 : low;
    }
    const done = A;
    A = B;
    B = done;
  }
}
