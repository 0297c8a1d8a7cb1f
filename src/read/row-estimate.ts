// How many rows a file will give, projected from the bytes and rows read so far, so a reader sizes its arrays once.

const HEADROOM = 1.1; // lines later in a log run a little longer (bigger step numbers): 10% spare beats a second resize
const START_ROWS = 1024; // before any bytes are read there is nothing to project from

export class RowEstimate {
  constructor(private readonly size: number) {}

  initial(): number {
    return START_ROWS;
  }

  /** Rows the whole file should hold at the density seen so far (`rows` in the first `bytesRead` bytes). */
  rowsFor(bytesRead: number, rows: number): number {
    if (bytesRead <= 0 || rows <= 0 || bytesRead >= this.size) return rows;
    return Math.ceil((rows * this.size * HEADROOM) / bytesRead);
  }
}
