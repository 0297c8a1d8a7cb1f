// Lines a reader could not use: counted, and the first few named for the report.

/** Lines that held no usable record (garbage, tracebacks, cut-off rows): counted and named, never fatal. */
export class SkippedLines {
  count = 0;
  readonly lines: number[] = [];
  private static readonly KEEP = 10; // naming ten lines is enough to find the rest

  add(line: number): void {
    this.count++;
    if (this.lines.length < SkippedLines.KEEP) this.lines.push(line);
  }

  describe(): string | undefined {
    if (this.count === 0) return undefined;
    const more = this.count > this.lines.length ? ', ...' : '';
    const noun = this.count === 1 ? 'line' : 'lines';
    return `skipped ${this.count} unreadable ${noun}: ${this.lines.join(', ')}${more}`;
  }
}
