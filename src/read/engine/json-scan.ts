// JSON documents read by scanning their text once: the elements of one top-level array with their lines, even in a file cut off mid-write.

import { CR, LF, SPACE, TAB } from './bytes.js';
import type { Head } from '../format.js';

export interface ArrayElement {
  /** The element's JSON text, to parse on its own. */
  text: string;
  /** 1-based line where the element starts. */
  line: number;
}

export interface ArrayScan {
  /** False when the top-level object has no such key holding an array (or the text ends before it). */
  found: boolean;
  /** The complete object and array elements, in order; scalars in the array are not elements. */
  elements: ArrayElement[];
  /** True once the array's closing bracket is seen; false for a document cut off inside the array. */
  closed: boolean;
  /** Line where an unfinished last element starts, when the text ends inside one. */
  cutLine?: number;
}

// Character codes the scan stops at; everything else outside strings is skipped.
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const OPEN_OBJECT = 123;
const OPEN_ARRAY = 91;
const CLOSE_OBJECT = 125;
const CLOSE_ARRAY = 93;
const TOP_LEVEL = 1; // inside the document's outer object

/**
 * Finds `key` among the top-level object's keys and returns the elements of the array it holds. One
 * linear pass: strings are skipped with indexOf, brackets counted, line ends counted (LF, CRLF, CR).
 * Nothing is parsed here; a broken element is the caller's to report.
 */
export function scanTopLevelArray(text: string, key: string): ArrayScan {
  const scan: ArrayScan = { found: false, elements: [], closed: false };
  let depth = 0;
  let line = 1;
  let keySeen = false; // the key was just read: a colon and then the array's bracket may follow
  let arrayDepth = -1; // depth inside the array once found
  let start = -1;
  let startLine = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) {
      if (!(c === CR && text.charCodeAt(i + 1) === LF)) line++;
      continue;
    }
    if (c === SPACE || c === TAB) continue;
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) break; // cut off inside a string
      keySeen = arrayDepth < 0 && depth === TOP_LEVEL && end - i - 1 === key.length && text.startsWith(key, i + 1);
      i = end;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (keySeen && c === OPEN_ARRAY && depth === TOP_LEVEL) {
        scan.found = true;
        arrayDepth = depth + 1;
      } else if (depth === arrayDepth) {
        start = i;
        startLine = line;
      }
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === arrayDepth && start >= 0) {
        scan.elements.push({ text: text.slice(start, i + 1), line: startLine });
        start = -1;
      } else if (depth === arrayDepth - 1 && arrayDepth > 0) {
        scan.closed = true;
        return scan;
      }
    }
    if (c !== COLON) keySeen = false;
  }
  if (start >= 0) scan.cutLine = startLine;
  return scan;
}

/** Index of the quote that closes the string opening at `open`, or -1 when the text ends first. */
function stringEnd(text: string, open: number): number {
  let i = open + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    // the quote is escaped when an odd number of backslashes precede it
    let slashes = 0;
    for (let j = quote - 1; j > open && text.charCodeAt(j) === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return quote;
    i = quote + 1;
  }
}

/** The head as text, BOM removed: a one-line document longer than the head has no whole line to look at. */
export function headText(head: Head): string {
  const text = head.bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the text's first character that is not white space is `char`. */
export function firstCharIs(text: string, char: string): boolean {
  return text.trimStart().startsWith(char);
}

/** The 1-based line of a character offset (for a JSON.parse error's position). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** True when the head's first line that starts an object holds every one of the quoted keys (a JSONL flavour's signature). */
export function firstObjectHas(head: Head, keys: string[]): boolean {
  const first = head.lines.find((l) => l.trimStart().startsWith('{'));
  return first !== undefined && keys.every((key) => first.includes(key));
}
