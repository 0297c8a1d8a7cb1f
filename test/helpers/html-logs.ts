// The logs the HTML report's tests write for themselves: a spike, an overfit with validation, a NaN, a healthy run, a sweep of them in mixed formats, a hostile name.

/** A seeded generator (an LCG), so every run of the tests writes the same logs. */
export function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

export const SPIKE_AT = 3000; // the spike run's jump, for 30 steps
export const NAN_FROM = 700; // the NaN run's first bad step
export const OVERFIT_BEST = 1200; // the overfit run's validation minimum
/** A column name and a file name that are HTML, to prove the page shows them as text. */
export const HOSTILE_COLUMN = '<script>alert(1)</script>';
export const HOSTILE_FILE = '<img src=x onerror=alert(2)>.csv';

export function spikeCsv(): string {
  const r = noise(11);
  const rows = ['step,loss'];
  for (let s = 0; s <= 5000; s += 10) {
    const jump = s >= SPIKE_AT && s < SPIKE_AT + 30 ? 4 : 0;
    rows.push(`${s},${(2.5 * Math.exp(-s / 800) + 1.5 + 0.03 * r() + jump).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

export function overfitCsv(): string {
  const r = noise(3);
  const rows = ['step,train_loss,val_loss'];
  for (let s = 10; s < 3000; s += 10) {
    const val = s % 100 === 0 ? (1 + 0.5 * ((s - OVERFIT_BEST) / 1000) ** 2 + 0.02 * r()).toFixed(4) : '';
    rows.push(`${s},${(2 * Math.exp(-s / 400) + 0.1 + 0.02 * r()).toFixed(4)},${val}`);
  }
  return rows.join('\n') + '\n';
}

export function nanJsonl(): string {
  const r = noise(5);
  const lines: string[] = [];
  for (let s = 0; s < 1000; s += 10) lines.push(s < NAN_FROM ? JSON.stringify({ step: s, loss: 2.5 * Math.exp(-s / 300) + 0.3 + 0.04 * r() }) : `{"step": ${s}, "loss": NaN}`);
  return lines.join('\n') + '\n';
}

export function healthyCsv(): string {
  const r = noise(7);
  const rows = ['step,loss,val_loss'];
  for (let s = 0; s < 2000; s += 10) {
    const v = 2.5 * Math.exp(-s / 500) + 0.3 + 0.04 * r();
    rows.push(`${s},${v.toFixed(4)},${s % 100 ? '' : (v + 0.05).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

/** The overfit run as a Hugging Face trainer_state.json, for the sweep's mix of formats. */
export function overfitTrainerState(): string {
  const r = noise(9);
  const history: object[] = [];
  for (let s = 10; s < 3000; s += 10) {
    history.push({ step: s, epoch: s / 300, loss: 2 * Math.exp(-s / 400) + 0.1 + 0.02 * r() });
    if (s % 100 === 0) history.push({ step: s, epoch: s / 300, eval_loss: 1 + 0.5 * ((s - OVERFIT_BEST) / 1000) ** 2 + 0.02 * r() });
  }
  return JSON.stringify({ log_history: history, global_step: 2990, max_steps: 3000 });
}

/** A healthy run whose loss column is named HOSTILE_COLUMN (read with --loss). */
export function hostileCsv(): string {
  return healthyCsv().replace('step,loss,val_loss', `step,${HOSTILE_COLUMN},val_loss`);
}

/** The single-run logs, by file name, and the pattern each must show. */
export const SINGLE_LOGS: ReadonlyArray<{ name: string; text: () => string; pattern: string; exit: number }> = [
  { name: 'spike.csv', text: spikeCsv, pattern: 'spike', exit: 0 },
  { name: 'overfit.csv', text: overfitCsv, pattern: 'overfit', exit: 0 },
  { name: 'nan.jsonl', text: nanJsonl, pattern: 'nan', exit: 1 },
  { name: 'healthy.csv', text: healthyCsv, pattern: 'good', exit: 0 },
];

/** The sweep folder: four runs in three formats (CSV, JSONL, trainer_state.json), one in a sub-folder. */
export function writeSweep(write: (relative: string, text: string) => void): void {
  write('sweep/healthy.csv', healthyCsv());
  write('sweep/nan.jsonl', nanJsonl());
  write('sweep/spike.csv', spikeCsv());
  write('sweep/lr_3e-4/trainer_state.json', overfitTrainerState());
}
