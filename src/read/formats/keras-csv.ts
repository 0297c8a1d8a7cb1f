// Keras CSVLogger files: "epoch" first, then the metric names sorted, any delimiter, NA for a metric not logged that epoch.

import { CsvLineParser, sniffDelimiter, splitFields } from './csv.js';
import { flavoured, renamedCsv } from './flavour.js';
import type { Format, Head } from '../format.js';

const FORMAT_NAME = 'keras csvlogger';

export const kerasCsv: Format = {
  id: 'keras-csv',
  matches: (head) => !head.binary && isCsvLoggerHeader(head),
  // runs appended to one file (CSVLogger(append=True)) restart at epoch 0; normalise/runs.ts splits them
  lines: (head) => flavoured(new CsvLineParser(sniffDelimiter(head.lines) ?? ','), renamedCsv(FORMAT_NAME)),
};

/**
 * CSVLogger writes ["epoch"] + sorted(logs) and Keras always logs "loss". Lightning's CSV logger
 * also sorts its header and may start with "epoch", but it always has a "step" column.
 */
function isCsvLoggerHeader(head: Head): boolean {
  const delimiter = sniffDelimiter(head.lines);
  const first = head.lines.find((l) => l.trim() !== '');
  if (delimiter === undefined || first === undefined) return false;
  const cells = splitFields(first, delimiter).map((c) => c.trim());
  if (cells[0] !== 'epoch' || !cells.includes('loss') || cells.includes('step')) return false;
  for (let i = 2; i < cells.length; i++) if (cells[i - 1] > cells[i]) return false;
  return true;
}
