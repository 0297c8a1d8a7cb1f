// The profile's passes over every point once the level is known: the noise measures and the buckets, shared with the helper thread on a long curve.

import { isShared, runOnHelper, sharedFloat64 } from '../parallel/helper.js';
import { median } from '../stats/robust.js';
import { firstIndex } from '../stats/search.js';
import { blockResidualMedians, medianResidual, noiseBlock, stepJitter } from './noise.js';

const MAX_BUCKETS = 200; // fine enough to see a knee or a short stall, coarse enough that long runs cost O(n) once
// From this many points a binary search per bucket beats a division per point; below, one plain loop asks for
// fewer divisions (1,000 points: 1,000 rather than ~2,000), which counts while a short log's code runs unoptimised
const SEARCHED_FROM = 1 << 14;
const SHARED_FROM = 1 << 20; // from a million points the helper thread takes part of these passes
// Of the local-noise blocks and the bucket medians, the share this thread does while the helper does the rest
// and the residuals' median (this thread also does the step jitter): at 10^7 points the residuals' median costs
// the helper more than the jitter costs this thread, but the helper runs the same work ~15% faster (no
// collector, nothing else on it): 55% evens the two out (traced: ~190 ms each)
const MAIN_SHARE = 0.55;

export interface Passes {
  /** The median relative residual around the level (noise.ts). */
  residual: number;
  jitter: number;
  /** Block medians of the local noise, still to be finished (finishLocalNoise). */
  localNoise: Float64Array;
  bucketSteps: Float64Array;
  bucketValues: Float64Array;
  bucketFrom: Int32Array;
}

/**
 * The residual median, the step jitter, the local noise's block medians and the buckets of a curve with
 * its level: on a long curve in shared memory the helper thread does the residual median and 45% of the
 * blocks and buckets, while this thread does the rest (the same numbers either way). `positive`: every
 * value is above zero (stepJitter); `rising`: no step is below the one before (bucketStarts).
 */
export function profilePasses(steps: Float64Array, values: Float64Array, level: Float64Array, floor: number, half: number, positive: boolean, rising: boolean): Passes {
  const n = values.length;
  const block = noiseBlock(half);
  const blocks = Math.ceil(n / block);
  const bucketFrom = bucketStarts(steps, rising);
  const buckets = bucketFrom.length;
  const shared = n >= SHARED_FROM && isShared(values) && isShared(level);
  const array = (length: number) => (shared ? sharedFloat64(length) : new Float64Array(length));
  const task: PassesTask = {
    kind: 'passes', values, level, floor, half, block,
    blocks: [shared ? Math.floor(blocks * MAIN_SHARE) : blocks, blocks], localNoise: array(blocks + 1),
    bucketFrom, buckets: [shared ? Math.floor(buckets * MAIN_SHARE) : buckets, buckets], bucketValues: array(buckets),
    residual: array(1),
  };
  const helper = shared && n >= 5 ? runOnHelper(task) : undefined;
  blockResidualMedians(values, level, floor, half, block, 0, task.blocks[0], task.localNoise);
  bucketMedians(values, bucketFrom, 0, task.buckets[0], task.bucketValues);
  const jitter = n >= 5 ? stepJitter(values, level, floor, half, positive) : 0;
  if (!helper?.wait()) runPasses(task, n >= 5);
  const bucketSteps = new Float64Array(buckets);
  for (let b = 0; b < buckets; b++) bucketSteps[b] = steps[(bucketFrom[b] + (b + 1 < buckets ? bucketFrom[b + 1] : n) - 1) >> 1];
  return { residual: task.residual[0], jitter, localNoise: task.localNoise, bucketSteps, bucketValues: task.bucketValues, bucketFrom };
}

/** The profile's passes after the level: the helper's share of blocks and buckets, and the residual median (src/worker.ts registers its runner). */
export interface PassesTask {
  kind: 'passes';
  values: Float64Array;
  level: Float64Array;
  floor: number;
  half: number;
  block: number;
  /** The helper's blocks are [blocks[0], blocks[1]) (their medians into localNoise), its buckets likewise. */
  blocks: [number, number];
  localNoise: Float64Array;
  bucketFrom: Int32Array;
  buckets: [number, number];
  bucketValues: Float64Array;
  residual: Float64Array;
}

/** The helper's part of profilePasses (or this thread's, when the helper could not): see PassesTask. */
export function runPasses(task: PassesTask, residual = true): void {
  const { values, level, floor, half, block } = task;
  task.residual[0] = residual ? medianResidual(values, level, floor, half) : NaN;
  blockResidualMedians(values, level, floor, half, block, task.blocks[0], task.blocks[1], task.localNoise);
  bucketMedians(values, task.bucketFrom, task.buckets[0], task.buckets[1], task.bucketValues);
}

/** out[b] = median of bucket b's values, for from ≤ b < to. */
function bucketMedians(values: Float64Array, starts: Int32Array, from: number, to: number, out: Float64Array): void {
  for (let b = from; b < to; b++) out[b] = median(values, starts[b], b + 1 < starts.length ? starts[b + 1] : values.length);
}

/**
 * The first point of each of up to MAX_BUCKETS buckets of equal width in steps (empty ones dropped), so
 * "a quarter of the run" means a quarter of the steps even when a log is dense early and sparse later:
 * equal point counts would turn a change of logging interval into a change of slope. `rising`: no step is
 * below the one before (the caller checked; either way the buckets are the same, only found faster).
 */
function bucketStarts(steps: Float64Array, rising: boolean): Int32Array {
  const n = steps.length;
  const wanted = Math.min(MAX_BUCKETS, n);
  const first = steps[0];
  const span = steps[n - 1] - first || 1;
  const at = (i: number) => Math.min(wanted - 1, Math.floor(((steps[i] - first) / span) * wanted));
  const froms: number[] = [];
  if (rising && n >= SEARCHED_FROM) {
    // bucket numbers then never fall: each bucket's first point is found by binary search, not a division per point
    for (let i = 0; i < n;) {
      froms.push(i);
      const b = at(i);
      i = firstIndex(i + 1, n, (j) => at(j) > b);
    }
  } else {
    for (let i = 0, last = -1; i < n; i++) {
      const b = at(i);
      if (b !== last) froms.push(i);
      last = b;
    }
  }
  return Int32Array.from(froms);
}
