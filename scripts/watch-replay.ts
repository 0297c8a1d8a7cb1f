// Replays logs through watch's incremental session, line by line on a simulated clock: when each alert would come, and whether the end agrees with diagnose.
//
// node dist/scripts/watch-replay.js [--ms-per-line N] FILE... | MANIFEST.json | synth PER_PATTERN SEED

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diagnose, type Report, type ReportFinding } from '../src/diagnose.js';
import { readTable } from '../src/read/index.js';
import { WatchSession } from '../src/watch/session.js';
import { synthCorpus } from './synth.js';

const DEFAULT_MS_PER_LINE = 10; // a trainer logging a hundred lines a second: a pass every twenty lines

interface Replayed {
  name: string;
  lines: number;
  alerts: Array<{ finding: ReportFinding; line: number }>;
  /** Alerts the final report does not hold: a prefix of the run said something the whole run does not. */
  transient: ReportFinding[];
  agrees: boolean;
}

function essence(report: Report): string {
  const { curves: _curves, ...rest } = report;
  return JSON.stringify(rest);
}

export function replay(name: string, bytes: Buffer, msPerLine: number): Replayed | undefined {
  let offline: Report;
  try {
    offline = diagnose(readTable({ name, bytes }), name, { vocab: 50257 });
  } catch {
    return undefined; // diagnose cannot read it either: nothing to compare
  }
  let now = 0;
  let line = 0;
  const alerts: Replayed['alerts'] = [];
  const session = new WatchSession({
    name, diagnose: { vocab: 50257 }, now: () => now,
    onFindings: (fresh) => { for (const finding of fresh) alerts.push({ finding, line }); },
  });
  const input = session.input();
  const text = bytes.toString('latin1'); // split on bytes, not characters: every byte goes in unchanged
  for (const piece of text.split(/(?<=\n)/)) {
    line++;
    input.push(Buffer.from(piece, 'latin1'));
    now += msPerLine;
    session.poll();
  }
  const online = session.finish();
  // the same finding: pattern, series and run, and spans that meet within 2% of the run's steps (as watch's ledger matches them)
  const slack = 0.02 * Math.max(1, online.steps.last - online.steps.first);
  const held = (f: ReportFinding) => online.findings.some((g) => g.pattern === f.pattern && g.series === f.series && g.run === f.run
    && g.start_step - slack <= f.end_step + slack && f.start_step - slack <= g.end_step + slack);
  return { name, lines: line, alerts, transient: alerts.map((a) => a.finding).filter((f) => !held(f)), agrees: essence(online) === essence(offline) };
}

function inputs(args: string[]): Array<{ name: string; bytes: Buffer }> {
  if (args[0] === 'synth') return synthCorpus(Number(args[1] ?? 5), Number(args[2] ?? 1)).map((c) => ({ name: c.file, bytes: Buffer.from(c.content) }));
  if (args.length === 1 && args[0].endsWith('.json') && basename(args[0]).toUpperCase().startsWith('MANIFEST')) {
    const root = dirname(args[0]);
    const entries = JSON.parse(readFileSync(args[0], 'utf8')) as Array<{ file: string }>;
    return entries.map((e) => join(root, e.file)).filter((p) => statSync(p).isFile()).map((p) => ({ name: basename(p), bytes: readFileSync(p) }));
  }
  return args.map((p) => ({ name: basename(p), bytes: readFileSync(p) }));
}

function main(argv: string[]): void {
  let msPerLine = DEFAULT_MS_PER_LINE;
  const at = argv.indexOf('--ms-per-line');
  if (at >= 0) { msPerLine = Number(argv[at + 1]); argv.splice(at, 2); }
  let read = 0;
  let agree = 0;
  let alerts = 0;
  let transient = 0;
  for (const { name, bytes } of inputs(argv)) {
    const r = replay(name, bytes, msPerLine);
    if (!r) continue;
    read++;
    if (r.agrees) agree++;
    alerts += r.alerts.length;
    transient += r.transient.length;
    const said = r.alerts.map((a) => `${a.finding.pattern}@${a.finding.start_step} (line ${a.line}/${r.lines})`).join(', ') || 'no alerts';
    const gone = r.transient.length ? `; transient: ${r.transient.map((f) => f.pattern).join(', ')}` : '';
    console.log(`${r.agrees ? 'agrees  ' : 'DIFFERS '} ${name}: ${said}${gone}`);
  }
  console.log(`logs read: ${read}, final report equal to diagnose: ${agree}/${read}, alerts: ${alerts}, transient alerts: ${transient}`);
}

main(process.argv.slice(2));
