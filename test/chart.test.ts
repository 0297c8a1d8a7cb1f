// The terminal chart as a picture: round ticks in one format per axis, the y scale and the findings it must not flatten, zoom, smoothing, ASCII, wrapping, tiny logs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { diagnose, readLog, renderText, type Report } from '../src/index.js';
import { axisFormatter, ema, MIN_FINDING_ROWS, niceTicks, renderChart, yLayout, type ChartOptions, type Layer } from '../src/report/chart.js';
import { toAscii, wrapLine } from '../src/report/text.js';
import { utf8Locale } from '../src/cli/options.js';
import { FIXTURES, ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin', 'losscurve.js');
const SPIKE = join(FIXTURES, 'patterns', 'spike', 'positive-pretrain-spike-at-6000.csv');
const plain = (t: string) => t;
const BASE: ChartOptions = { width: 100, height: 14, paintAxis: plain, paintBad: plain, paintBaseline: plain, stepName: 'step' };

function run(args: string[], env: NodeJS.ProcessEnv = {}, input?: string, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, cwd, env: { ...process.env, LC_ALL: 'C.UTF-8', ...env }, timeout: 20000 });
  return { code: r.status, bytes: r.stdout, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

/** Whether x is a whole multiple of 1, 2 or 5 × 10^e. */
function oneTwoFive(step: number): boolean {
  const e = Math.floor(Math.log10(step) + 1e-9);
  const m = Number((step / 10 ** e).toPrecision(6));
  return m === 1 || m === 2 || m === 5;
}

/** A label back to its number: 2.5k, 1.0M, 2.0e-4, 0.50. */
function labelValue(label: string): number {
  const m = /^(-?[\d.]+(?:e[+-]?\d+)?)([kMGT]?)$/.exec(label);
  assert.ok(m, `not a number label: ${label}`);
  return Number(m[1]) * ({ '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 } as Record<string, number>)[m[2]];
}

/** The shape of a label's format: its decimals and its suffix (zero aside, written bare beside a suffix). */
function shape(label: string): string {
  const m = /^-?\d+(?:\.(\d+))?(e[+-]?\d+|[kMGT])?$/.exec(label)!;
  return `${m[1]?.length ?? 0}/${m[2] ? (m[2].startsWith('e') ? 'e' : m[2]) : ''}`;
}

interface Parsed {
  /** Plot rows, top first: the cells after the axis. */
  grid: string[][];
  /** Labelled rows: row index (top 0) and label. */
  yLabels: Array<{ row: number; label: string }>;
  axisChars: string[];
  /** x labels with the column (in the plot) of their middle. */
  xLabels: Array<{ column: number; label: string }>;
  /** Columns of the x axis's tick marks. */
  xMarks: number[];
}

/** Reads a chart's lines back (plain, no colour): the label column is 9 wide, then a space and the axis character. */
function parse(lines: string[], corner = '└', mark = '┬'): Parsed {
  const axisAt = lines.findIndex((l) => l.slice(0, 10).trim() === '' && l.charAt(10) === corner && /^[─┬+-]+$/.test(l.slice(11)));
  assert.ok(axisAt > 0, 'no x axis line');
  const rows = lines.slice(0, axisAt);
  const grid = rows.map((l) => [...l.slice(11)]);
  const yLabels = rows.map((l, row) => ({ row, label: l.slice(0, 9).trim() })).filter((r) => r.label !== '');
  const xMarks = [...lines[axisAt].slice(11)].flatMap((ch, c) => (ch === mark ? [c] : []));
  const xLine = lines[axisAt + 1].slice(11);
  const xLabels: Parsed['xLabels'] = [];
  for (const m of xLine.matchAll(/\S+/g)) xLabels.push({ column: m.index! + Math.floor((m[0].length - 1) / 2), label: m[0] });
  return { grid, yLabels, axisChars: rows.map((l) => l.charAt(10)), xLabels, xMarks };
}

/** A falling curve with noise-free values, `n` points from step `first` every `every`. */
function curve(n: number, first: number, every: number, f: (i: number) => number): Layer {
  return { steps: Float64Array.from({ length: n }, (_, i) => first + i * every), values: Float64Array.from({ length: n }, (_, i) => f(i)), paint: plain };
}

describe('ticks', () => {
  const ranges: Array<[number, number]> = [[0, 1], [293, 896], [10, 10000], [0.000686, 0.008933], [3.139, 10.82], [-2.5, 7.1], [1, 40], [1e6, 3.7e7], [0.2, 0.2001]];
  for (const [lo, hi] of ranges) {
    test(`niceTicks(${lo}, ${hi}): equal 1-2-5 steps, whole multiples, covering the range`, () => {
      const ticks = niceTicks(lo, hi, 8);
      assert.ok(ticks.length >= 2 && ticks.length <= 8, String(ticks));
      const step = ticks[1] - ticks[0];
      assert.ok(oneTwoFive(step), `step ${step}`);
      ticks.forEach((t, i) => {
        assert.ok(Math.abs(t - (ticks[0] + i * step)) <= 1e-9 * Math.max(1, Math.abs(t)), `uneven: ${ticks}`);
        assert.ok(Math.abs(t / step - Math.round(t / step)) < 1e-6, `${t} is no multiple of ${step}`);
      });
      assert.ok(ticks[0] <= lo && ticks[ticks.length - 1] >= hi, `${ticks} do not cover ${lo}–${hi}`);
    });
  }

  test('whole-number axes get whole-number ticks', () => {
    for (const t of niceTicks(1, 3, 10, 1)) assert.ok(Number.isInteger(t), String(t));
  });

  test('axisFormatter: one format per axis, never 0.008933 beside 6.86e-4', () => {
    const sets = [[0, 2500, 5000, 7500, 10000], [0.0002, 0.0004, 0.0006, 0.0008, 0.001], [0.5, 0.75, 1, 1.25], [0.001, 0.01, 0.1, 1], [0, 0.2, 0.4], [100, 200, 300], [1e6, 2e6, 3e6]];
    for (const ticks of sets) {
      const format = axisFormatter(ticks);
      const labels = ticks.map(format);
      const shapes = labels.filter((l, i) => ticks[i] !== 0 || /^0\.\d+$/.test(l)).map(shape);
      assert.equal(new Set(shapes).size, 1, `${labels.join(' ')}: ${shapes.join(' ')}`);
      labels.forEach((l, i) => assert.ok(Math.abs(labelValue(l) - ticks[i]) <= 1e-9 + 1e-6 * Math.abs(ticks[i]), `${l} for ${ticks[i]}`));
    }
    assert.deepEqual([0, 2500, 5000].map(axisFormatter([0, 2500, 5000])), ['0', '2.5k', '5.0k']);
  });

  test('yLayout: every tick on a row, the rows holding the range', () => {
    for (const [lo, hi, rows] of [[3.1, 10.82, 8], [1.49, 3.76, 14], [0.0006, 0.42, 14], [2.4, 2.5, 5], [-1, 1, 30]] as const) {
      const l = yLayout(lo, hi, rows);
      assert.ok(l.bottom <= lo + 1e-12 && l.bottom + (rows - 1) * l.rowValue >= hi - 1e-12, JSON.stringify(l));
      assert.ok(l.ticks.length >= 2);
      l.ticks.forEach((t, i) => {
        const row = (t - l.bottom) / l.rowValue;
        assert.ok(Math.abs(row - (l.firstTickRow + i * l.rowsPerTick)) < 1e-6, `tick ${t} is not on its row`);
        assert.ok(row >= -1e-9 && row <= rows - 1 + 1e-9);
      });
    }
  });
});

describe('the chart', () => {
  const layers = [curve(1000, 10, 10, (i) => 3 + 7.8 * Math.exp(-i / 120) + 0.1 * Math.sin(i)), { ...curve(100, 100, 100, (i) => 3.2 + 7 * Math.exp(-i / 12)), dashed: true }];
  const chart = renderChart(layers, BASE);
  const p = parse(chart.lines);

  test('y labels: 1-2-5 steps at evenly spaced rows, one format, the data inside the axis', () => {
    const values = p.yLabels.map((l) => labelValue(l.label));
    assert.ok(values.length >= 3, p.yLabels.map((l) => l.label).join(' '));
    const step = values[0] - values[1];
    const gap = p.yLabels[1].row - p.yLabels[0].row;
    assert.ok(oneTwoFive(step), `step ${step}`);
    p.yLabels.forEach((l, i) => {
      assert.ok(Math.abs(values[i] - (values[0] - i * step)) < 1e-9, 'uneven labels');
      assert.equal(l.row, p.yLabels[0].row + i * gap, 'labels on uneven rows');
    });
    assert.equal(new Set(p.yLabels.map((l) => shape(l.label))).size, 1, p.yLabels.map((l) => l.label).join(' '));
    // the value of the top and bottom rows, read off the labels, hold the data (3 to 10.8)
    const perRow = step / gap;
    const top = values[0] + p.yLabels[0].row * perRow;
    const bottom = values[0] - (p.grid.length - 1 - p.yLabels[0].row) * perRow;
    assert.ok(bottom <= 3 && top >= 10.8, `${bottom}–${top}`);
  });

  test('no ┼ anywhere; the axis is ┤ on labelled rows and │ between', () => {
    assert.ok(chart.lines.every((l) => !l.includes('┼')));
    p.axisChars.forEach((ch, row) => assert.equal(ch, p.yLabels.some((l) => l.row === row) ? '┤' : '│'));
  });

  test('x labels: round steps under their tick marks, one format, covering the steps logged', () => {
    const values = p.xLabels.map((l) => labelValue(l.label));
    assert.ok(values.length >= 3, p.xLabels.map((l) => l.label).join(' '));
    const step = values[1] - values[0];
    assert.ok(oneTwoFive(step));
    values.forEach((v, i) => assert.ok(Math.abs(v - (values[0] + i * step)) < 1e-9));
    assert.ok(values[0] <= 10 && values[values.length - 1] >= 10000, values.join(' '));
    assert.equal(new Set(p.xLabels.filter((l) => l.label !== '0').map((l) => shape(l.label))).size, 1, p.xLabels.map((l) => l.label).join(' '));
    assert.equal(p.xMarks.length, p.xLabels.length);
    p.xLabels.forEach((l, i) => assert.ok(Math.abs(l.column - p.xMarks[i]) <= Math.ceil(l.label.length / 2), `${l.label} is not under its mark`));
  });
});

/** A log shaped like issue 12's overfit: train falls ×480 (0.29 → 6e-4), validation, evaluated five times, rises +31%. */
function overfitLog(): string {
  const rows = ['step,loss,eval_loss'];
  const evals: Record<number, number> = { 1000: 0.321, 2000: 0.3585, 3000: 0.3937, 4000: 0.4123, 5000: 0.42 };
  for (let step = 25; step <= 5000; step += 25) rows.push(`${step},${(0.3 * Math.exp(-step / 800) + 0.0003).toFixed(6)},${evals[step] ?? ''}`);
  return rows.join('\n') + '\n';
}

/** The rows a layer's cells take in the columns of [from, to], the layer painted V and the others painted T. */
function rowsSpanned(report: Report, series: 'train' | 'val', yScale: 'auto' | 'log', from: number, to: number): { rows: number; chart: ReturnType<typeof renderChart> } {
  const c = report.curves;
  const layers: Layer[] = [
    { steps: c.train!.steps, values: c.train!.values, paint: () => (series === 'train' ? 'V' : 'T') },
    ...(c.val ? [{ steps: c.val.steps, values: c.val.values, paint: () => (series === 'val' ? 'V' : 'T'), dashed: true }] : []),
  ];
  const keep = report.findings.filter((f) => ['overfit', 'spike'].includes(f.pattern)).map((f) => ({ layer: f.series === 'train' ? 0 : 1, from: f.start_step, to: f.end_step }));
  const chart = renderChart(layers, { ...BASE, yScale, keep });
  const p = parse(chart.lines);
  const ticks = p.xLabels.map((l) => ({ column: l.column, step: labelValue(l.label) }));
  const columnOf = (step: number) => ticks[0].column + ((step - ticks[0].step) / (ticks[1].step - ticks[0].step)) * (ticks[1].column - ticks[0].column);
  const rows = new Set<number>();
  p.grid.forEach((cells, r) => cells.forEach((ch, col) => {
    if (ch === 'V' && col >= Math.floor(columnOf(from)) && col <= Math.ceil(columnOf(to))) rows.add(r);
  }));
  return { rows: rows.size, chart };
}

describe('the y scale', () => {
  const overfit = diagnose(readLog(Buffer.from(overfitLog()), { name: 'overfit.csv' }));
  const finding = overfit.findings.find((f) => f.pattern === 'overfit');

  test('the overfit case: found on val, and the automatic scale draws its +31% rise over several rows', () => {
    assert.ok(finding, overfit.findings.map((f) => f.pattern).join(','));
    assert.equal(finding.series, 'val');
    const auto = rowsSpanned(overfit, 'val', 'auto', finding.start_step, finding.end_step);
    assert.ok(auto.rows >= MIN_FINDING_ROWS, `${auto.rows} rows:\n${auto.chart.lines.join('\n')}`);
    assert.equal(auto.chart.logScale, false);
    // the rule matters: the log axis the ×480 train range would ask for draws the rise within a row or two
    const log = rowsSpanned(overfit, 'val', 'log', finding.start_step, finding.end_step);
    assert.equal(log.chart.logScale, true);
    assert.ok(log.rows < MIN_FINDING_ROWS, `${log.rows} rows on the log axis`);
  });

  test('a spike spans several rows too', () => {
    const report = diagnose(readLog(SPIKE));
    const spike = report.findings.find((f) => f.pattern === 'spike')!;
    assert.ok(rowsSpanned(report, 'train', 'auto', spike.start_step, spike.end_step).rows >= MIN_FINDING_ROWS);
  });

  const wide = [curve(300, 1, 1, (i) => 5 * Math.exp(-i / 30) + 0.004)];
  test('a range over ×50 with nothing to keep is drawn on a log axis, decade ticks, and the report says so', () => {
    const chart = renderChart(wide, BASE);
    assert.equal(chart.logScale, true);
    const labels = parse(chart.lines).yLabels.map((l) => labelValue(l.label));
    labels.forEach((v) => assert.ok(Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9, `${v} is no decade`));
    const csv = 'step,loss\n' + Array.from(wide[0].steps, (step, i) => `${step},${wide[0].values[i]}\n`).join('');
    assert.match(run(['diagnose', '-'], {}, csv).stdout, /y: log scale/);
    assert.doesNotMatch(run(['diagnose', '-', '--linear-y'], {}, csv).stdout, /log scale/);
  });

  test('--linear-y and --log-y are obeyed; a narrow range stays linear', () => {
    assert.equal(renderChart(wide, { ...BASE, yScale: 'linear' }).logScale, false);
    const narrow = [curve(300, 1, 1, (i) => 3 - i / 300)];
    assert.equal(renderChart(narrow, BASE).logScale, false);
    assert.equal(renderChart(narrow, { ...BASE, yScale: 'log' }).logScale, true);
    assert.equal(run(['diagnose', SPIKE, '--log-y', '--linear-y']).code, 2);
  });
});

describe('--from / --to', () => {
  test('the chart shows only the window and says so; findings outside it are still listed', () => {
    const r = run(['diagnose', SPIKE, '--from', '7000', '--to', '9000']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /steps 7,000–9,000 \(--from\/--to/);
    assert.match(r.stdout, /spike {2}train · step 6,000/);
    const lines = r.stdout.split('\n');
    const p = parse(lines.slice(lines.findIndex((l) => /[┤│]/.test(l.charAt(10)))));
    const xs = p.xLabels.map((l) => labelValue(l.label));
    assert.ok(xs[0] >= 6000 && xs[0] <= 7000 && xs[xs.length - 1] >= 9000 && xs[xs.length - 1] <= 10000, xs.join(' '));
  });

  test('a window without a point is said, and one that ends before it starts is bad usage', () => {
    const layers = [curve(10, 1, 1, (i) => 3 - i / 10)];
    const chart = renderChart(layers, { ...BASE, from: 100, to: 200 });
    assert.equal(chart.lines.length, 0);
    assert.ok(chart.tooShort);
    const r = run(['diagnose', SPIKE, '--from', '5000', '--to', '4000']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^losscurve: --from 5000 --to 4000/);
  });
});

describe('--smooth', () => {
  test("ema is TensorBoard's debiased EMA", () => {
    assert.deepEqual([...ema([4, 4, 4], 0.9)].map((v) => Number(v.toFixed(12))), [4, 4, 4]);
    const e = ema([1, 2, NaN, 3], 0.5);
    assert.equal(e[0], 1); // debiased: the first point is itself
    assert.ok(Math.abs(e[1] - 1.25 / 0.75) < 1e-12);
    assert.ok(Number.isNaN(e[2]));
    assert.ok(Math.abs(e[3] - (1.25 * 0.5 + 1.5) / 0.875) < 1e-12);
    assert.deepEqual([...ema([1, 5, 2], 0)], [1, 5, 2]);
  });

  test('the raw curve is drawn dotted under the smoothed one, and the legend names both', () => {
    const r = run(['diagnose', SPIKE, '--smooth', '0.9']);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    const p = parse(lines.slice(lines.findIndex((l) => /[┤│]/.test(l.charAt(10)))));
    assert.ok(p.grid.some((cells) => cells.includes('·')), 'no dotted raw curve');
    assert.ok(p.grid.some((cells) => cells.includes('─')), 'no solid smoothed curve');
    assert.match(r.stdout, /── train \(train_loss, EMA 0\.9\)/);
    assert.match(r.stdout, /·· raw/);
    const raw = run(['diagnose', SPIKE]).stdout.split('\n');
    assert.ok(parse(raw.slice(raw.findIndex((l) => /[┤│]/.test(l.charAt(10))))).grid.every((cells) => !cells.includes('·')), 'dots without --smooth');
    for (const bad of ['1', '-0.1', 'x']) assert.equal(run(['diagnose', SPIKE, '--smooth', bad]).code, 2);
  });
});

describe('ASCII', () => {
  const ascii = (bytes: Buffer) => bytes.every((b) => b < 0x80);

  test('LC_ALL, then LC_CTYPE, then LANG, as setlocale reads them; none set is the C locale', () => {
    assert.equal(utf8Locale({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }, 'linux'), false);
    assert.equal(utf8Locale({ LC_ALL: '', LC_CTYPE: 'en_US.utf8', LANG: 'C' }, 'linux'), true);
    assert.equal(utf8Locale({ LANG: 'C.UTF-8' }, 'linux'), true);
    assert.equal(utf8Locale({ LANG: 'POSIX' }, 'linux'), false);
    assert.equal(utf8Locale({}, 'linux'), false);
  });

  for (const [what, args, env] of [
    ['LC_ALL=C', [], { LC_ALL: 'C', LANG: 'en_US.UTF-8' }],
    ['LC_CTYPE=C under LANG=UTF-8', [], { LC_ALL: '', LC_CTYPE: 'C', LANG: 'en_US.UTF-8' }],
    ['--ascii in a UTF-8 locale', ['--ascii'], {}],
  ] as const) {
    test(`${what}: every byte of the whole text report is ASCII, and the chart is still drawn`, () => {
      for (const file of [SPIKE, join(FIXTURES, 'patterns', 'nan', 'positive-pretrain-nan-at-1200.csv')]) {
        const r = run(['diagnose', file, '--smooth', '0.6', ...args], env);
        assert.ok(ascii(r.bytes), `non-ASCII bytes: ${[...new Set([...r.stdout].filter((ch) => ch.charCodeAt(0) >= 0x80))].join(' ')}`);
        const lines = r.stdout.split('\n');
        const p = parse(lines.slice(lines.findIndex((l) => /[+|]/.test(l.charAt(10)) && /\d/.test(l.slice(0, 9)))), '+', '+');
        assert.ok(p.yLabels.length >= 2 && p.xLabels.length >= 2);
        assert.match(r.stdout, /Verdict: /);
      }
    });
  }

  test('a UTF-8 locale without --ascii keeps the box-drawing chart', () => {
    assert.match(run(['diagnose', SPIKE], { LC_ALL: '', LC_CTYPE: '', LANG: 'en_US.UTF-8' }).stdout, /┤/);
  });

  test('the config file\'s "ascii" and "smooth" keys: true is ASCII in a UTF-8 locale, false the box chart in the C locale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losscurve-chart-'));
    writeFileSync(join(dir, 'losscurve.config.json'), JSON.stringify({ ascii: true, smooth: 0.8 }));
    const r = run(['diagnose', SPIKE], {}, undefined, dir);
    assert.ok(ascii(r.bytes));
    assert.match(r.stdout, /EMA 0\.8/);
    writeFileSync(join(dir, 'losscurve.config.json'), JSON.stringify({ ascii: false }));
    assert.match(run(['diagnose', SPIKE], { LC_ALL: 'C' }, undefined, dir).stdout, /┤/);
    writeFileSync(join(dir, 'losscurve.config.json'), JSON.stringify({ smooth: 1 }));
    const bad = run(['diagnose', SPIKE], {}, undefined, dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /key "smooth"/);
  });

  test('toAscii spells the report\'s own characters and marks any other', () => {
    assert.equal(toAscii('a · b → c — d −4% ×2 é'), 'a - b -> c -- d -4% x2 ?');
  });
});

describe('wrapping', () => {
  const visible = (s: string) => [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;

  test('wrapLine: at spaces, within the width, continuation indented, words intact', () => {
    const line = '    train loss jumped from 3.5 (the median just before) to 9.16 (×2.6) at step 6,000, back to 4.17 by step 6,030';
    const lines = wrapLine(line, 40);
    assert.ok(lines.length > 1);
    lines.forEach((l) => assert.ok(visible(l) <= 40, l));
    lines.slice(1).forEach((l) => assert.match(l, /^ {4}\S/));
    assert.equal(lines.map((l) => l.trim()).join(' '), line.trim());
    assert.deepEqual(wrapLine('  short', 40), ['  short']);
    assert.deepEqual(wrapLine(line, undefined), [line]);
    assert.deepEqual(wrapLine('  averyveryverylongwordthatcannotbreak x', 20), ['  averyveryverylongwordthatcannotbreak', '  x']);
  });

  test('--width wraps findings and the plan; without it a pipe gets one line per finding', () => {
    const wrapped = run(['diagnose', SPIKE, '--width', '60']).stdout.split('\n');
    const body = wrapped.slice(wrapped.findIndex((l) => l.startsWith('Findings')), wrapped.findIndex((l) => l.startsWith('Verdict')));
    assert.ok(body.every((l) => visible(l) <= 60), body.filter((l) => visible(l) > 60).join('\n'));
    const plan = wrapped.findIndex((l) => l.startsWith('What to try'));
    // a plan item continues under its text, not under its number
    const continued = wrapped.slice(plan).find((l, i, all) => i > 0 && /^ {2}\d+\. /.test(all[i - 1]) && /^ {5}\S/.test(l));
    assert.ok(continued, wrapped.slice(plan).join('\n'));
    const flat = run(['diagnose', SPIKE]).stdout;
    assert.match(flat, /\n {4}train loss jumped from 3\.5 [^\n]* back to 4\.17 by step 6,030\n/);
  });
});

describe('tiny logs', () => {
  test('one point: drawn as a short mark at its value, labelled on both axes', () => {
    const text = renderText(diagnose(readLog(Buffer.from('step,loss\n1,2.5\n'))), { width: 80 });
    const lines = text.split('\n');
    const p = parse(lines.slice(lines.findIndex((l) => /[┤│]/.test(l.charAt(10)))));
    const ys = p.yLabels.map((l) => labelValue(l.label));
    assert.ok(Math.min(...ys) <= 2.5 && Math.max(...ys) >= 2.5, ys.join(' '));
    assert.ok(p.xLabels.some((l) => l.label === '1'));
    assert.equal(p.grid.filter((cells) => cells.some((ch) => ch !== ' ')).length, 1);
  });

  test('a window without a point says so instead of drawing', () => {
    const text = renderText(diagnose(readLog(Buffer.from('step,loss\n1,2.5\n2,2.4\n'))), { width: 80, from: 10, to: 20 });
    assert.match(text, /chart: no point in the window \(steps 10–20\)/);
    assert.doesNotMatch(text, /[┤└]/);
  });

  test('two points: a line between them, labelled on both axes', () => {
    const chart = renderChart([curve(2, 1, 1, (i) => 2.5 - 0.1 * i)], BASE);
    const p = parse(chart.lines);
    assert.ok(p.yLabels.length >= 2);
    const ys = p.yLabels.map((l) => labelValue(l.label));
    assert.ok(Math.max(...ys) >= 2.4 && Math.min(...ys) <= 2.5);
    assert.deepEqual(p.xLabels.map((l) => l.label), ['1', '2']);
    const drawn = p.grid.flatMap((cells, r) => cells.flatMap((ch, c) => (ch !== ' ' ? [[r, c]] : [])));
    assert.ok(drawn.length > 0);
    // it falls: the first column's cell is above the last's
    const rowAt = (c: number) => Math.min(...drawn.filter(([, col]) => col === c).map(([r]) => r));
    const cols = drawn.map(([, c]) => c);
    assert.ok(rowAt(Math.min(...cols)) < rowAt(Math.max(...cols)));
  });
});
