// How many rows a file will give, projected from the bytes and rows read so far, so a reader sizes its arrays once.

const HEADROOM = 1.1; // 10% spare on the rows still to come: later lines may run shorter; a second resize costs a copy of every column
const START_ROWS = 1024; // before any bytes are read there is nothing to project from

export class RowEstimate {
  constructor(private readonly size: number | undefined) {}

  initial(): number {
    return START_ROWS;
  }

  /** Rows the whole file should hold: `rows` in the first `bytesRead` bytes, and the rest at that density. */
  rowsFor(bytesRead: number, rows: number): number {
    // a stream's size is unknown: its table grows by doubling, whose spare capacity is never written, so costs no memory
    if (this.size === undefined || bytesRead <= 0 || rows <= 0 || bytesRead >= this.size) return rows;
    return rows + Math.ceil(((this.size - bytesRead) * rows * HEADROOM) / bytesRead);
  }
}
