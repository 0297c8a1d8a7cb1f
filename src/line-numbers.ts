// The source line of each row, kept as runs of rows whose lines go up by a fixed step: a CSV of ten million rows is one run, not 40 MB of line numbers.

const START_RUNS = 4; // most logs are one run, or a few (a header repeated, a skipped line)

/** Runs, appended to: run r starts at row starts[r] on line firsts[r], each row after it steps[r] lines on. */
export class LineRuns {
  starts = new Int32Array(START_RUNS);
  firsts = new Int32Array(START_RUNS);
  steps = new Int32Array(START_RUNS);
  runs = 0;
  /** Rows so far. */
  length = 0;

  /** The next row's line. Its run goes on if the line is its next; a run's second row fixes its step. */
  push(line: number): void {
    const r = this.runs - 1;
    if (r >= 0) {
      const rows = this.length - this.starts[r];
      if (rows === 1) {
        this.steps[r] = line - this.firsts[r];
        this.length++;
        return;
      }
      if (line === this.firsts[r] + rows * this.steps[r]) {
        this.length++;
        return;
      }
    }
    if (this.runs === this.starts.length) this.grow();
    this.starts[this.runs] = this.length;
    this.firsts[this.runs] = line;
    this.steps[this.runs] = 0;
    this.runs++;
    this.length++;
  }

  /** `count` rows on lines first, first + 1, ...: one step for a block of a plain file's rows. */
  pushConsecutive(first: number, count: number): void {
    // three rows pushed one by one end a run of step 1 (a new run's second row fixes it), which the rest continue
    const one = Math.min(count, 3);
    for (let k = 0; k < one; k++) this.push(first + k);
    if (count > one) this.length += count - one;
  }

  /** Drops the last row (a row begun and then found empty). */
  pop(): void {
    this.length--;
    if (this.runs > 0 && this.starts[this.runs - 1] === this.length) this.runs--;
  }

  /** The first `n` rows as LineNumbers (later pushes do not change them: rows already there never change). */
  view(n: number): LineNumbers {
    return new LineNumbers(this.starts, this.firsts, this.steps, this.runs, 0, n);
  }

  private grow(): void {
    const wider = (a: Int32Array) => { const b = new Int32Array(a.length * 2); b.set(a); return b; };
    this.starts = wider(this.starts);
    this.firsts = wider(this.firsts);
    this.steps = wider(this.steps);
  }
}

/** Line numbers by index, like an Int32Array one reads with at(i) (1-based lines; 0 where the format has none). */
export class LineNumbers {
  private hint = 0; // the run of the last index asked for: indices mostly come in order

  constructor(
    private readonly starts: Int32Array,
    private readonly firsts: Int32Array,
    private readonly steps: Int32Array,
    private readonly runs: number,
    private readonly offset: number,
    readonly length: number,
  ) {}

  /** The lines of an array, one per index. */
  static of(lines: ArrayLike<number>): LineNumbers {
    const runs = new LineRuns();
    for (let i = 0; i < lines.length; i++) runs.push(lines[i]);
    return runs.view(lines.length);
  }

  at(i: number): number {
    const row = i + this.offset;
    let r = this.hint;
    if (!(r < this.runs && this.starts[r] <= row && (r + 1 === this.runs || row < this.starts[r + 1]))) {
      let lo = 0;
      let hi = this.runs - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (this.starts[mid] <= row) lo = mid;
        else hi = mid - 1;
      }
      r = this.hint = lo;
    }
    return this.firsts[r] + (row - this.starts[r]) * this.steps[r];
  }

  /** Indices [from, to) as their own LineNumbers, as Int32Array.subarray (no copy). */
  subarray(from: number, to = this.length): LineNumbers {
    const start = Math.max(0, Math.min(this.length, from < 0 ? this.length + from : from));
    const end = Math.max(start, Math.min(this.length, to < 0 ? this.length + to : to));
    return new LineNumbers(this.starts, this.firsts, this.steps, this.runs, this.offset + start, end - start);
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}
