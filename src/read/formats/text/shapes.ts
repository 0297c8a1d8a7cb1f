// Lines that are no record whatever numbers they hold: source code (modded-nanogpt prints its script first), config reprs, run banners.

import { isLetter, isWordChar } from './scan.js';

// Statements that open a line of Python (and the C-like languages' comments): such a line is code, never a record.
const KEYWORDS = new Set(['def', 'class', 'import', 'from', 'return', 'if', 'elif', 'else', 'for', 'while', 'with', 'try',
  'except', 'finally', 'raise', 'assert', 'lambda', 'yield', 'async', 'await', 'pass', 'del', 'global', 'nonlocal']);
const MIN_BANNER_RULE = 3; // "=== Training Loss (...) ===": a run of at least this many "=" on both sides

/**
 * True for source code and Python reprs: a line opening with a keyword, a call or repr
 * ("TrainConfig(", "print0("), a decorator or comment, an indented assignment with spaces
 * around "=" ("        val_loss = 0.0"), or an f-string / "{name}" template. Trainers print none of
 * these as a record; plain "loss = 2.31" (not indented) stays a record.
 */
export function looksLikeCode(line: string): boolean {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  const indented = i > 0;
  const first = line.charCodeAt(i);
  if (first === 64 /* @ */ || first === 35 /* # */ || line.startsWith('//', i) || line.startsWith('/*', i)) return true;
  const wordStart = i;
  while (i < line.length && (isWordChar(line.charCodeAt(i)) || (line[i] === '.' && isWordChar(line.charCodeAt(i + 1))))) i++;
  if (i > wordStart && (isLetter(line.charCodeAt(wordStart)) || line[wordStart] === '_')) {
    const word = line.slice(wordStart, i);
    const after = line[i];
    if (KEYWORDS.has(word) && (after === undefined || after === ' ' || after === ':' || after === '(')) return true;
    if (after === '(') return true;
    if (indented && isSpacedAssignment(line, i)) return true;
  }
  return hasTemplate(line);
}

/** " = x", " += x" after an identifier (possibly indexed: "x[0] = "), with spaces on both sides. */
function isSpacedAssignment(line: string, i: number): boolean {
  if (line[i] === '[') {
    const close = line.indexOf(']', i);
    if (close < 0) return false;
    i = close + 1;
  }
  if (line[i] !== ' ') return false;
  while (line[i] === ' ') i++;
  if ('+-*/'.includes(line[i] ?? 'x') && line[i + 1] === '=') i++;
  return line[i] === '=' && line[i + 1] === ' ';
}

/** f'...' / f"..." strings and "{name}" / "{name:.4f}" / "{args.lr}" placeholders: a print statement, not its output. */
function hasTemplate(line: string): boolean {
  for (let i = line.indexOf('{'); i >= 0; i = line.indexOf('{', i + 1)) {
    let j = i + 1;
    if (!isLetter(line.charCodeAt(j)) && line[j] !== '_') continue;
    while (j < line.length && isWordChar(line.charCodeAt(j))) j++;
    const after = line[j];
    // "{loss: 0.5}" is an object printed with a space after its key; "{loss:.4f}" is a format spec
    if (after === '}' || after === '.' || after === '[' || after === '(' || (after === ':' && line[j + 1] !== ' ')) return true;
    i = j - 1;
  }
  for (let i = line.indexOf('f'); i >= 0; i = line.indexOf('f', i + 1)) {
    const quote = line[i + 1];
    if ((quote === "'" || quote === '"') && (i === 0 || !isWordChar(line.charCodeAt(i - 1)))) return true;
  }
  return false;
}

/**
 * "=== Training Loss (Wed Oct 30 10:43:06 2024) ===": pytorch-CycleGAN-and-pix2pix writes one each
 * time training starts or resumes. A line of "=" alone is a separator, not a banner.
 */
export function isRunBanner(line: string): boolean {
  const text = line.trim();
  let left = 0;
  while (text[left] === '=') left++;
  let right = text.length;
  while (right > left && text[right - 1] === '=') right--;
  if (left < MIN_BANNER_RULE || text.length - right < MIN_BANNER_RULE) return false;
  for (let i = left; i < right; i++) if (isLetter(text.charCodeAt(i))) return true;
  return false;
}

/**
 * The end of a tqdm progress bar ("Loss: 1.52:  33%|███▎  | 10/30 [00:10<00:20,  1.00it/s]"), or 0 when
 * the line has none. The bar, its description and its postfix are a display redrawn many times a
 * step, never a record; a record printed right after it on the same line (a dict after the bar's
 * last redraw) is kept.
 */
export function progressBarEnd(line: string): number {
  const bar = line.indexOf('%|');
  if (bar < 0) return 0;
  const open = line.indexOf('[', bar);
  const close = open < 0 ? -1 : line.indexOf(']', open);
  if (close < 0) return 0;
  const lt = line.indexOf('<', open);
  return lt > open && lt < close ? close + 1 : 0;
}
