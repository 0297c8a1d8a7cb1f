// JSON as Python writes it: bare NaN, Infinity and -Infinity tokens, which JSON.parse rejects.

/**
 * Parses JSON text that may hold Python's non-finite tokens. NaN becomes the string "NaN" (read as NaN
 * later, and never taken for a null, which may mean "not logged")
 * and ±Infinity becomes ±1e999 (which JSON.parse turns into ±Infinity). Strings are left alone.
 * Throws SyntaxError like JSON.parse when the text is not JSON even so.
 */
export function parseRelaxedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!text.includes('NaN') && !text.includes('Infinity')) throw error;
    return JSON.parse(replaceNonFiniteTokens(text));
  }
}

const TOKENS: Array<[string, string]> = [
  ['-Infinity', '-1e999'],
  ['Infinity', '1e999'],
  ['NaN', '"NaN"'],
];

// A token stands alone when the character before it could precede a JSON value and the one after could follow it.
const BEFORE = new Set(['', '[', ',', ':', ' ', '\t', '\n', '\r']);
const AFTER = new Set(['', ']', '}', ',', ' ', '\t', '\n', '\r']);

/** One linear pass that swaps the tokens outside strings; everything else is copied as is. */
function replaceNonFiniteTokens(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; continue; }
    if (c !== 'N' && c !== 'I' && c !== '-') continue;
    for (const [token, replacement] of TOKENS) {
      if (text.startsWith(token, i) && BEFORE.has(text[i - 1] ?? '') && AFTER.has(text[i + token.length] ?? '')) {
        out += text.slice(copiedUpTo, i) + replacement;
        i += token.length - 1;
        copiedUpTo = i + 1;
        break;
      }
    }
  }
  return out + text.slice(copiedUpTo);
}
