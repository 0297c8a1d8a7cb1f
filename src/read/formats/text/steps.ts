// Turns what a line says about time (an epoch and a counter that may restart with it, "end of epoch N") into one global step.

/**
 * Epoch-relative counters become global steps. With a per-epoch total ("200/2983 batches",
 * Keras' "3/234") the step is (epoch − first) · total + counter. Without one (CycleGAN's
 * "epoch: 2, iters: 64") an epoch starts where the last one ended, as far as it was logged, plus
 * one logging interval; a counter that does not go back when the epoch changes is global already
 * and gets no offset. An epoch seen again (a resumed run) reuses its offset, so its steps repeat.
 */
export class StepClock {
  private base: number | undefined; // 0 when epochs count from 0 (OLMo), else 1
  private total: number | undefined;
  private readonly offsets = new Map<number, number>();
  private readonly highest = new Map<number, number>(); // the highest counter logged in each epoch
  private lastEpoch: number | undefined;
  private latestEpoch: number | undefined;
  private lastCounter = -Infinity;
  private interval = 1; // counters logged apart within an epoch; 1 until two are seen

  /** The global step of a counter that restarts each epoch and has a known total per epoch. */
  perEpoch(epoch: number, counter: number, total: number): number {
    this.base ??= Math.min(1, epoch);
    this.total = total;
    return (epoch - this.base) * total + counter;
  }

  /**
   * The global step of a counter that may or may not restart with the epoch. `total` is the M of
   * "Step [100/600]": the epoch's length if the counter does restart (a run's length if it never does).
   */
  counter(epoch: number, counter: number, total?: number): number {
    this.base ??= Math.min(1, epoch);
    let offset = this.offsets.get(epoch);
    if (offset === undefined) {
      offset = this.offsetOfNewEpoch(epoch, counter, total);
      this.offsets.set(epoch, offset);
    }
    if (epoch === this.lastEpoch && counter > this.lastCounter) this.interval = counter - this.lastCounter;
    this.lastEpoch = epoch;
    this.latestEpoch = Math.max(this.latestEpoch ?? epoch, epoch);
    this.lastCounter = counter;
    this.highest.set(epoch, Math.max(this.highest.get(epoch) ?? counter, counter));
    return offset + counter;
  }

  /** The step at which "end of epoch N" lands: after the epoch's last batch; undefined if nothing placed it. */
  endOf(epoch: number): number | undefined {
    if (this.total !== undefined && this.base !== undefined) return (epoch - this.base + 1) * this.total;
    const offset = this.offsets.get(epoch);
    return offset === undefined ? undefined : offset + (this.highest.get(epoch) ?? 0);
  }

  /** A new epoch starts after the latest epoch so far (not the last one logged: a resume may have gone back). */
  private offsetOfNewEpoch(epoch: number, counter: number, total: number | undefined): number {
    const previous = this.latestEpoch;
    if (previous === undefined || epoch < previous) return 0;
    const offset = this.offsets.get(previous) ?? 0;
    const highest = this.highest.get(previous) ?? 0;
    if (counter > highest) return offset; // the counter kept counting: it is global
    const length = total !== undefined && total >= highest ? total : highest + this.interval;
    return offset + length * (epoch - previous);
  }
}
