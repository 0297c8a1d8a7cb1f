// When watch re-runs the detectors on the data so far: often enough that alerts are prompt, rarely enough that a long run stays cheap.

const MIN_GAP_MS = 200; // at most five passes a second: an alert comes within a fifth of a second of the line that settles it
const COST_FACTOR = 9; // wait nine times as long as the last pass took, so detection uses at most a tenth of the time on any run length

/** Paces detection passes by the time they cost: a pass over n points costs O(n), so the gap grows with the run. */
export class DetectionPacer {
  private lastEnd = -Infinity;
  private lastCost = 0;

  /** A pass is due when one is wanted (new data, a finding to confirm) and the gap since the last pass has passed. */
  due(now: number, wanted: boolean): boolean {
    return wanted && now - this.lastEnd >= this.gap();
  }

  /** Milliseconds until a pass is due, or undefined when none is wanted. */
  wakeIn(now: number, wanted: boolean): number | undefined {
    if (!wanted) return undefined;
    return Math.max(0, this.lastEnd + this.gap() - now);
  }

  ran(start: number, end: number): void {
    this.lastEnd = end;
    this.lastCost = Math.max(0, end - start);
  }

  private gap(): number {
    return Math.max(MIN_GAP_MS, COST_FACTOR * this.lastCost);
  }
}
