// Picks a live log's format from its first lines: tentatively once a few lines or a moment have passed, for good on a head as long as diagnose reads, sliding past a preamble.

import { InputError } from '../read/errors.js';
import type { Format, Head } from '../read/format.js';
import { HEAD_BYTES, headOf } from '../read/index.js';

/** A line as the splitter gave it, held until the format is settled so it can be read again. */
export interface HeldLine {
  text: string;
  lineNo: number;
  terminated: boolean;
  /** Too long to hold: only its number is kept (the parser counts it as skipped). */
  overlong: boolean;
}

const FIRST_GUESS_LINES = 8; // a header and a few rows: enough for a first guess at CSV or JSONL, re-checked as lines double
const SLID_HEAD_BYTES = HEAD_BYTES / 2; // after a slide, half a head is kept: the next judgement comes after half a head more, so each byte is sniffed about twice
const GUESS_WAIT_MS = 1000; // a slow trainer may print a line a minute: guess after a second with what there is, then at most once a second

/**
 * Holds the head of the stream. A guess may be made early (a slow trainer must not wait for 200
 * lines before NaN can be seen) and is re-made as the head grows; once the head is complete, the
 * choice is the one diagnose makes on the same bytes, and the held lines are let go.
 */
export class HeadSniffer {
  private held: HeldLine[] = [];
  private bytes = 0;
  private filled = 0;
  private lastGuessAt: number | undefined;
  private guessedAt = 0;
  private nextGuess = FIRST_GUESS_LINES;

  hold(line: HeldLine, now: number): void {
    this.held.push(line);
    this.bytes += Buffer.byteLength(line.text) + 1;
    if (line.text.trim() !== '') this.filled++;
    this.lastGuessAt ??= now;
  }

  get lines(): readonly HeldLine[] {
    return this.held;
  }

  /** The head is as long as diagnose's (its bytes: the text format weighs all of them, not only the first lines): more would not change its choice. */
  get complete(): boolean {
    return this.bytes > HEAD_BYTES;
  }

  /**
   * A complete head that no format recognises: the oldest lines are let go, so the head moves on with the
   * stream and is judged again once complete. A log after a long preamble (a training script's source dump)
   * is recognised when its records reach the head; a stream is never given up on for its preamble alone.
   */
  slide(): void {
    let drop = 0;
    while (drop < this.held.length && this.bytes > SLID_HEAD_BYTES) this.bytes -= Buffer.byteLength(this.held[drop++].text) + 1;
    this.held = this.held.slice(drop);
    this.filled = this.held.filter((l) => l.text.trim() !== '').length;
    this.guessedAt = this.filled;
    this.nextGuess = Math.max(FIRST_GUESS_LINES, 2 * this.filled);
  }

  /** A (new) guess is worth making: lines came since the last one, and they doubled or a wait has passed. */
  guessDue(now: number): boolean {
    if (this.filled === this.guessedAt) return false;
    return this.filled >= this.nextGuess || now - this.lastGuessAt! >= GUESS_WAIT_MS;
  }

  /** Milliseconds until a guess is due on time alone; undefined when no line came since the last guess. */
  guessWakeIn(now: number): number | undefined {
    if (this.filled === this.guessedAt) return undefined;
    return Math.max(0, this.lastGuessAt! + GUESS_WAIT_MS - now);
  }

  /** The format for the head so far (the forced one when named); undefined when none recognises it yet. */
  choose(formats: readonly Format[], formatId: string | undefined, name: string, now: number): { format: Format; head: Head } | undefined {
    this.guessedAt = this.filled;
    this.lastGuessAt = now;
    this.nextGuess = Math.max(FIRST_GUESS_LINES, 2 * this.filled);
    const head = this.head();
    if (formatId !== undefined) {
      const forced = formats.find((f) => f.id === formatId);
      if (!forced) throw new InputError(`--input-format ${formatId} is not a format losscurve reads; use one of ${formats.map((f) => f.id).join(', ')}`, name);
      return { format: forced, head };
    }
    const format = formats.find((f) => f.matches(head));
    return format ? { format, head } : undefined;
  }

  /** The held head reads as binary data (as diagnose would say of it): no preamble, so no reason to read on. */
  get binary(): boolean {
    return this.head().binary;
  }

  /** Lets the held lines go once the format is settled for good. */
  release(): void {
    this.held = [];
  }

  private head(): Head {
    const text = this.held.filter((l) => !l.overlong).map((l) => l.text).join('\n');
    // as diagnose's head: at most HEAD_BYTES, and a line cut by that limit is not a line
    const bytes = Buffer.from(this.complete ? text + '\n' : text);
    return headOf(bytes);
  }
}
