// Whether an input's head reads as training stdout: enough of its lines are records the text reader understands.

import { LineSplitter } from '../../engine/lines.js';
import { TextLineParser } from './parser.js';

const MIN_RECORD_SHARE = 0.2; // a log's records are a good share of its lines; a README's stray "loss 2.3" is not
const ENOUGH_RECORDS = 20; // this many records is a log whatever else is printed around them (progress bars, warnings)

/**
 * Runs the text reader over the head (up to 64 KiB) and weighs the records it found, with the lines that
 * name only a step (a log that prints its loss every few hundred steps, or only its validation loss,
 * prints progress lines between), against the lines it saw; at least one line must hold a loss. A pretty-printed JSON document (a first line of "{" or "[") is left to the JSON
 * readers: read line by line, its keys would lose the objects that hold them.
 */
export function looksLikeTrainingLog(head: Uint8Array, lines: readonly string[]): boolean {
  const [first, second] = lines.map((l) => l.trim()).filter((l) => l !== '');
  if (first === '[' || (first === '{' && (second === undefined || second.startsWith('"') || second.startsWith('}')))) return false;
  const parser = new TextLineParser();
  // a segment a lone CR ended is a progress bar's redraw (tqdm redraws dozens of times per logged record): one that
  // holds no record is not weighed against the format, or a Trainer's log with its bar would read as no log at all
  let redraws = 0;
  const splitter = new LineSplitter((text, lineNo, terminated, bareCR) => {
    const before = parser.recordLines + parser.placeLines;
    parser.line(text, lineNo, terminated);
    if (bareCR && parser.recordLines + parser.placeLines === before && text.trim() !== '') redraws++;
  });
  splitter.push(head);
  splitter.end();
  const records = parser.recordLines;
  const logLines = records + parser.placeLines;
  return records > 0 && (logLines >= ENOUGH_RECORDS || logLines >= MIN_RECORD_SHARE * (parser.textLines - redraws));
}
