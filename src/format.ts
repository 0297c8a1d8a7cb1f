// How numbers read in messages: losses to 3–4 significant digits, steps with thousands separators, rates in short exponent form.

/** A loss value: 3.142, 0.0123, 1.2e-4, NaN, Inf. */
export function fmtLoss(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** A step or epoch: 12,300; fractional epochs keep two decimals. */
export function fmtStep(step: number): string {
  if (!Number.isFinite(step)) return String(step);
  if (Number.isInteger(step)) return step.toLocaleString('en-US');
  return step.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A learning rate: 6e-4, 3e-3, 0.1. */
export function fmtRate(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 0.01 || Math.abs(x) >= 1e4)) return x.toExponential(1).replace(/\.0e/, 'e');
  return String(Number(x.toPrecision(3)));
}

/** A signed percentage: +31%, −4.5%. */
export function fmtPct(fraction: number): string {
  const pct = fraction * 100;
  const text = Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  return `${pct > 0 ? '+' : ''}${text}%`.replace('-', '−');
}

/** A ratio: ×2.4. */
export function fmtRatio(r: number): string {
  return `×${r >= 10 ? r.toFixed(0) : r.toFixed(1)}`;
}

/** "step 1,200" or "epoch 4" or "row 17", as the log counts. */
export function at(stepName: string, step: number): string {
  const unit = /epoch/i.test(stepName) ? 'epoch' : stepName === 'row' ? 'row' : 'step';
  return `${unit} ${fmtStep(step)}`;
}

/** Rounds for evidence objects: enough digits to check, none of float noise. */
export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}
