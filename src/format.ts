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
  // toLocaleString('en-US', { maximumFractionDigits: 2 }) says the same, but its first call loads the
  // locale data, a third of a small run's time; beyond 1e21 a number prints in exponent form, so it is left to it
  if (Math.abs(step) >= 1e21) return step.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const sign = step < 0 || Object.is(step, -0) ? '-' : '';
  const shortest = String(Math.abs(step)); // like the locale formatter, round the shortest decimal, not the binary value
  if (shortest.includes('e')) return `${sign}0`; // below 1e-6: rounds to zero, keeping its sign
  const point = shortest.indexOf('.');
  let digits = point < 0 ? `${shortest}00` : shortest.slice(0, point) + shortest.slice(point + 1, point + 3).padEnd(2, '0');
  // half away from zero on the third decimal
  if (point >= 0 && shortest.charCodeAt(point + 3) >= 53) digits = incremented(digits);
  const whole = digits.slice(0, -2);
  const fraction = digits.slice(-2).replace(/0$/, '').replace(/0$/, '');
  let grouped = '';
  for (let i = 0; i < whole.length; i++) grouped += (i > 0 && (whole.length - i) % 3 === 0 ? ',' : '') + whole[i];
  return `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** A string of decimal digits plus one: "0999" → "1000". */
function incremented(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') { out[i] = String.fromCharCode(out[i].charCodeAt(0) + 1); return out.join(''); }
    out[i] = '0';
  }
  return `1${out.join('')}`;
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

/**
 * Text taken from the input (column names, file names, messages quoting them) as printed: every control character
 * (newlines and tabs too, so a name cannot start a line of its own, such as a forged "Verdict: HEALTHY") and the
 * invisible characters that reorder or break a line (bidi overrides, separators) are shown escaped, never executed.
 */
export function escapeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, escapeChar);
}

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
