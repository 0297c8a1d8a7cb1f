// LLaMA-Factory trainer_log.jsonl: one JSON object per logging step, stepped by current_steps, with elapsed times as text.

import { flavoured, renamed } from './flavour.js';
import type { Format } from '../format.js';
import { firstObjectHas } from '../engine/json-scan.js';
import { JsonlLineParser, jsonLineShare } from './jsonl.js';

const FORMAT_NAME = 'llama-factory trainer_log.jsonl';
const MIN_OBJECT_SHARE = 0.5; // as for any JSONL: most lines must be objects
// Keys LLaMA-Factory's LogCallback writes on every line; a plain JSONL log has neither
const SIGNATURE = ['"current_steps"', '"total_steps"'];

export const llamaFactoryLog: Format = {
  id: 'llamafactory',
  matches: (head) => !head.binary && jsonLineShare(head.lines) >= MIN_OBJECT_SHARE && firstObjectHas(head, SIGNATURE),
  // text values (elapsed_time "0:00:24") are no numbers and are skipped; a last line without loss adds no point
  lines: () => flavoured(new JsonlLineParser(), renamed(FORMAT_NAME)),
  trainerLog: true,
};
