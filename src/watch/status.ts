// The live status line on a terminal's stderr: step, last loss, smoothed loss and its direction, findings so far; redrawn a few times a second.

import { fmtLoss, fmtStep } from '../format.js';
import type { LineState } from './alerts.js';
import type { Direction, Progress } from './progress.js';

const REFRESH_MS = 250; // four redraws a second: live to the eye, and no cost worth measuring
const ERASE = '\r\x1b[K'; // back to the line start and clear it: the status line is always the last, unfinished line
const ARROW: Record<Direction, string> = { falling: '↓', level: '→', rising: '↑' };

export interface StatusView {
  progress: Progress;
  patterns: string[];
  format: string | undefined;
}

/** The text of the status line (without colour), e.g. "losscurve · step 1,200 · loss 2.31 · smoothed 2.35 ↓ · no findings". */
export function statusText(view: StatusView): string {
  const p = view.progress;
  if (view.format === undefined || p.rows === 0) return `losscurve · waiting for rows${view.format ? ` (${view.format})` : ''}`;
  const parts = ['losscurve'];
  if (p.step !== undefined) parts.push(`step ${fmtStep(p.step)}`);
  if (p.loss !== undefined) parts.push(`loss ${fmtLoss(p.loss)}`);
  if (p.smoothed !== undefined) parts.push(`smoothed ${fmtLoss(p.smoothed)} ${ARROW[p.direction]}`);
  parts.push(view.patterns.length ? `findings: ${view.patterns.join(', ')}` : 'no findings');
  return parts.join(' · ');
}

/**
 * Drawn only on a terminal, and only when every stream sharing that terminal ended its last line:
 * a program's own progress bar is never erased.
 */
export class StatusLine {
  private shown = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly err: NodeJS.WriteStream,
    private readonly view: () => StatusView,
    private readonly sharing: readonly LineState[],
  ) {}

  start(): void {
    this.timer = setInterval(() => this.draw(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  /** Steps aside before anything else is written to the terminal; the next refresh draws it again. */
  clear(): void {
    if (!this.shown) return;
    this.err.write(ERASE);
    this.shown = false;
  }

  private draw(): void {
    if (this.sharing.some((s) => s.midLine)) return;
    const width = Math.max(20, (this.err.columns ?? 80) - 1);
    const text = statusText(this.view());
    this.err.write(ERASE + (text.length > width ? `${text.slice(0, width - 1)}…` : text));
    this.shown = true;
  }
}
