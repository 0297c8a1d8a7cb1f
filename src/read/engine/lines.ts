// Bytes in chunks → lines: LF, CRLF and bare CR (progress bars) all end a line; overlong lines are dropped, not buffered.

/**
 * Called once per line, without its ending. `terminated` is false only for a last line that had no ending;
 * `bareCR` is true for a line a lone CR ended (a progress bar's redraw; a CRLF cut between chunks reads so too).
 */
export type OnLine = (text: string, lineNo: number, terminated: boolean, bareCR: boolean) => void;
/** Called for a line longer than the limit: its number only, its text is never held. */
export type OnOverlong = (lineNo: number) => void;

export const MAX_LINE = 1 << 20; // 1 MiB: no log line is longer; a 10 MB line is garbage and must not be held

/**
 * Splits a byte stream into lines. Decoding is UTF-8 with replacement characters for invalid bytes,
 * done per chunk (a character split across chunks is kept whole by the streaming decoder).
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  private pending = '';
  private overlong = false;
  private lastWasCR = false;
  private lineNo = 0;

  constructor(
    private readonly onLine: OnLine,
    private readonly onOverlong: OnOverlong = () => {},
    private readonly maxLine = MAX_LINE,
  ) {}

  push(chunk: Uint8Array): void {
    this.feed(this.decoder.decode(chunk, { stream: true }));
  }

  pushText(text: string): void {
    this.feed(text);
  }

  /** Ends the input; a last line without an ending is passed on with terminated = false. */
  end(): void {
    this.feed(this.decoder.decode());
    if (this.overlong) this.onOverlong(++this.lineNo);
    else if (this.pending !== '') this.onLine(this.pending, ++this.lineNo, false, false);
    this.pending = '';
    this.overlong = false;
  }

  /** Lines passed on so far. */
  get lines(): number {
    return this.lineNo;
  }

  private feed(text: string): void {
    let start = 0;
    // a CRLF split across two chunks: the LF is the end of the line the CR already ended
    if (this.lastWasCR && text.charCodeAt(0) === 10) start = 1;
    this.lastWasCR = false;
    const n = text.length;
    let i = start;
    // the next LF and CR are looked up only once passed: each search covers the text once, so splitting is linear
    let lf = -2;
    let cr = -2;
    while (i < n) {
      if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
      if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
      const brk = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (brk < 0) break;
      this.emit(text, i, brk, text.charCodeAt(brk) === 13 && text.charCodeAt(brk + 1) !== 10);
      if (text.charCodeAt(brk) === 13) {
        if (brk + 1 < n && text.charCodeAt(brk + 1) === 10) i = brk + 2;
        else if (brk + 1 === n) { this.lastWasCR = true; i = n; }
        else i = brk + 1;
      } else i = brk + 1;
    }
    if (i < n) this.hold(text, i, n);
  }

  private emit(text: string, from: number, to: number, bareCR: boolean): void {
    this.lineNo++;
    if (this.overlong || this.pending.length + (to - from) > this.maxLine) {
      this.onOverlong(this.lineNo);
    } else {
      this.onLine(this.pending === '' ? text.slice(from, to) : this.pending + text.slice(from, to), this.lineNo, true, bareCR);
    }
    this.pending = '';
    this.overlong = false;
  }

  private hold(text: string, from: number, to: number): void {
    if (this.overlong) return;
    if (this.pending.length + (to - from) > this.maxLine) {
      this.pending = '';
      this.overlong = true;
      return;
    }
    this.pending += text.slice(from, to);
  }
}
