// Writes the bench's logs: a decaying noisy loss with step,train_loss,val_loss,lr, validation every 100th row, ~6 significant digits; CSV and the same rows as JSONL.

import { closeSync, openSync, writeSync } from 'node:fs';

const VAL_EVERY = 100; // validation runs every 100th step, as in a typical pre-training config
const FLUSH_CHARS = 1 << 20; // write in 1 MiB pieces: the generator must not hold a 250 MB string
const SIGNIFICANT = 6; // what a trainer's logger prints (Python's %g)

/** A seeded linear congruential generator: the same logs on every machine. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const sig = (x) => Number(x.toPrecision(SIGNIFICANT));

/** Row i of n: the loss decays from ~10 towards 2 with 5% noise; the LR follows a cosine. */
function rowOf(i, n, rnd) {
  const level = 2 + 8 * Math.exp(-i / (n / 10));
  return {
    step: i,
    train: sig(level * (1 + 0.05 * (rnd() - 0.5))),
    val: i % VAL_EVERY === 0 ? sig(level * 1.02) : undefined,
    lr: sig(6e-4 * (0.1 + 0.45 * (1 + Math.cos((Math.PI * i) / n)))),
  };
}

export function writeLog(path, rows, format) {
  const rnd = random(12345);
  const fd = openSync(path, 'w');
  let text = format === 'csv' ? 'step,train_loss,val_loss,lr\n' : '';
  for (let i = 1; i <= rows; i++) {
    const r = rowOf(i, rows, rnd);
    if (format === 'csv') text += `${r.step},${r.train},${r.val ?? ''},${r.lr}\n`;
    else if (r.val === undefined) text += `{"step": ${r.step}, "train_loss": ${r.train}, "lr": ${r.lr}}\n`;
    else text += `{"step": ${r.step}, "train_loss": ${r.train}, "val_loss": ${r.val}, "lr": ${r.lr}}\n`;
    if (text.length >= FLUSH_CHARS) { writeSync(fd, text); text = ''; }
  }
  writeSync(fd, text);
  closeSync(fd);
}
