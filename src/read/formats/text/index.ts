// Training stdout, the most general format: any log whose head holds enough key/value records, read by one general parser.

import type { Format } from '../../format.js';
import { TextLineParser } from './parser.js';
import { looksLikeTrainingLog } from './sniff.js';

// The most general format: any training stdout whose head holds enough key/value records. Tried last.
export const text: Format = {
  id: 'text',
  matches: (head) => !head.binary && looksLikeTrainingLog(head.bytes, head.lines),
  lines: () => new TextLineParser(),
};
