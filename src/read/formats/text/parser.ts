// Training stdout, line by line: each line's pairs become a row at the step the line (or the lines before it) names.

import type { LineParser } from '../../format.js';
import { TableBuilder, type Table } from '../../table.js';
import { isGanTerm } from './aliases.js';
import { interpret, isLoss, PROGRESS_KEY, type LineRecord, type Metric } from './record.js';
import { isRunBanner, looksLikeCode, progressBarEnd } from './shapes.js';
import { StepClock } from './steps.js';
import { TextNotes } from './notes.js';
import { LineShapeCache } from './line-cache.js';
import { tokenize, type LineTokens } from './tokens.js';

const MAX_COLUMNS = 1024; // far more metrics than any trainer logs; each column costs memory for every row

/** Where a record lands: a step, or an epoch when the log counts in epochs only. */
interface Place {
  step?: number;
  epoch?: number;
}

/**
 * Reads any training stdout with one general key/value extractor (tokens.ts) and a table of
 * aliases (aliases.ts). A line is a record when it holds a loss; a line with only a step or an
 * epoch ("Epoch 3/10", OLMo's "[step=10/1000,epoch=0]") sets where the next records land, and the
 * indented "key=value" lines right after it make up one record. Everything else (banners, config
 * dumps, source code, tracebacks, progress bars) is passed over without being counted as garbage.
 */
export class TextLineParser implements LineParser {
  readonly builder = new TableBuilder();
  /** Lines that gave a record, lines that named only a step by its key ("step:6/5820 train_time:1132ms"), and lines with any text: what the sniffer weighs. */
  recordLines = 0;
  placeLines = 0;
  textLines = 0;
  private readonly clock = new StepClock();
  private readonly notes = new TextNotes();
  private step: number | undefined; // where the last record or header was
  private epoch: number | undefined;
  private sawStep = false; // some line named a step: lines without one belong to the step before them
  private epochAxis = false; // records are placed by whole epochs ("Epoch 7: Train Loss=...")
  private trainRecords = 0; // for logs that print no step at all (Hugging Face dicts, bare "loss=2.3" lines)
  private block: { place: Place; row: boolean } | undefined; // a header whose indented lines follow
  private readonly shapes = new Map<string, string[]>(); // a record's keys by its first key: to tell a cut-off line
  private stepSource: string | undefined; // what gave the first record its step, from the record's own line
  private headerStepSource: string | undefined; // else what gave the first step-only line its step (records placed after it)
  private shape: string | undefined;
  private trainColumn = 'loss'; // the train loss column seen last: a lost update's NaN goes there
  private columns = 0;
  private readonly cache = new LineShapeCache();

  line(text: string, lineNo: number, terminated: boolean): void {
    // a line shaped like a record line read before is that line with other digits: its plan is reused (line-cache.ts)
    if (terminated && !(this.block && isIndented(text))) {
      const known = this.cache.match(text);
      if (known) {
        this.textLines++;
        this.block = undefined;
        if (known.keys.length > 0) this.shapes.set(known.keys[0], known.keys);
        this.write(known.record, this.place(known.record), lineNo, text);
        return;
      }
    }
    if (text.trim() === '') { this.block = undefined; return; }
    this.textLines++;
    if (isRunBanner(text)) { this.builder.markBoundary(); this.block = undefined; return; }
    const bar = progressBarEnd(text);
    if (bar > 0) text = text.slice(bar);
    if (looksLikeCode(text)) { this.block = undefined; return; }
    const trace = bar === 0 && terminated && this.cache.wantsTrace() ? this.cache.trace : undefined;
    if (trace) trace.length = 0;
    const tokens = tokenize(text, trace);
    if (tokens.body > 0 && looksLikeCode(text.slice(tokens.body))) { this.block = undefined; return; }
    const record = interpret(tokens);
    if (this.block && isIndented(text) && record.metrics.length > 0 && !namesPlace(record)) {
      this.continueBlock(record, lineNo);
      return;
    }
    this.block = undefined;
    if (!record.metrics.some((m) => isLoss(m.role)) && !this.lostUpdate(record, lineNo)) {
      if (record.broken) this.builder.skipped.add(lineNo);
      else if (namesPlace(record) && record.metrics.length === 0) {
        // a progress line names its step by a key ("step:6/5820", "Epoch 3/10"); a lone number ("1", "9: 6,") may be anything
        if (record.leadStep === undefined) this.placeLines++;
        this.header(record);
      }
      return;
    }
    if (!terminated && this.isCutOff(tokens)) { this.notes.cutOff(lineNo); return; }
    this.remember(tokens);
    if (trace) this.cache.learn(text, tokens);
    this.write(record, this.place(record), lineNo, text);
  }

  overlong(lineNo: number): void {
    this.builder.skipped.add(lineNo);
  }

  /** May be called again as more lines arrive (watch): the builder is only read. */
  finish(): Table {
    const from = this.stepSource ?? this.headerStepSource ?? (this.trainRecords > 0 ? 'the order of train records' : undefined);
    const source = from ? `, steps from "${from}"` : '';
    const table = this.builder.finish(`text log: ${this.shape ?? 'key/value lines'}${source}`);
    table.notes = [...table.notes, ...this.notes.list({ noStep: !this.sawStep && !this.epochAxis && this.trainRecords > 1 })];
    return table;
  }

  /** A line naming only a step or an epoch: later lines land there; indented lines right after it are its record. */
  private header(record: LineRecord): void {
    const place = this.place(record, false);
    this.block = { place, row: false };
  }

  private continueBlock(record: LineRecord, lineNo: number): void {
    const block = this.block!;
    if (!block.row) {
      this.startRow(block.place, lineNo);
      block.row = true;
      this.shape ??= 'multi-line records';
    }
    this.recordLines++;
    this.setMetrics(record.metrics);
  }

  /** The step (or epoch) of a record, from the line itself or from the lines before it. */
  private place(record: LineRecord, isRecord = true): Place {
    if (record.epoch) this.epoch = record.epoch.value;
    const epoch = record.epoch?.value ?? this.epoch;
    let step: number | undefined;
    if (record.global !== undefined) step = record.global;
    else if (record.counter) {
      const { value, total, perEpoch } = record.counter;
      if (epoch === undefined) step = value;
      else step = perEpoch && total !== undefined ? this.clock.perEpoch(epoch, value, total) : this.clock.counter(epoch, value, total);
    } else if (record.leadStep !== undefined) step = record.leadStep;
    else if (record.epochEnd !== undefined) {
      this.epoch = record.epochEnd;
      step = this.clock.endOf(record.epochEnd);
      if (step === undefined && !this.sawStep) return this.epochPlace(record.epochEnd, isRecord);
    } else if (record.epoch?.integer && !this.sawStep) return this.epochPlace(record.epoch.value, isRecord);
    if (step !== undefined) {
      this.sawStep = true;
      this.step = step;
      // a record's own step says more than a stray line before the log (a dict in printed source code, "9: 6,")
      if (isRecord) this.stepSource ??= stepSourceOf(record);
      else this.headerStepSource ??= stepSourceOf(record);
      return { step, epoch: record.epoch?.value };
    }
    if (this.step !== undefined) return { step: this.step, epoch: record.epoch?.value };
    if (this.epochAxis && this.epoch !== undefined) return { epoch: this.epoch };
    if (!isRecord) return {};
    // no step anywhere yet: the train records are counted (a val record belongs to the train record before it)
    if (record.metrics.some((m) => m.role === 'train')) this.trainRecords++;
    return { step: this.trainRecords, epoch: record.epoch?.value };
  }

  private epochPlace(epoch: number, isRecord: boolean): Place {
    if (isRecord) { this.epochAxis = true; this.stepSource ??= 'epoch'; }
    return { epoch };
  }

  /**
   * Megatron prints no "lm loss" for an iteration whose grad norm is nan: the update is lost and the
   * job is dead, so a line with a step and a non-finite grad norm but no loss gets a NaN loss.
   */
  private lostUpdate(record: LineRecord, lineNo: number): boolean {
    if (!namesPlace(record) || !record.metrics.some((m) => m.role === 'gradNorm' && !Number.isFinite(m.value))) return false;
    record.metrics.push({ column: this.trainColumn, value: NaN, role: 'train' });
    this.notes.deadUpdate(lineNo);
    return true;
  }

  private write(record: LineRecord, place: Place, lineNo: number, text: string): void {
    this.recordLines++;
    this.shape ??= shapeOf(record, text);
    const train = record.metrics.find((m) => m.role === 'train');
    if (train) this.trainColumn = train.column;
    if (record.generator) {
      this.notes.generator(record.generator, ganTerms(record.metrics));
      this.builder.adversarial = true;
    }
    this.startRow(place, lineNo);
    this.setMetrics(record.metrics);
  }

  private startRow(place: Place, lineNo: number): void {
    const b = this.builder;
    b.beginRow(lineNo);
    if (place.step !== undefined) b.set(b.column('step'), place.step);
    if (place.epoch !== undefined) b.set(b.column('epoch'), place.epoch);
  }

  private setMetrics(metrics: Metric[]): void {
    for (const m of metrics) {
      // a log that names a new key on every line would otherwise grow a column per line; losses always get theirs
      if (!this.builder.hasColumn(m.column) && this.columns >= MAX_COLUMNS && !isLoss(m.role)) continue;
      if (!this.builder.hasColumn(m.column)) this.columns++;
      if (m.isNull) this.builder.setNull(this.builder.column(m.column));
      else this.builder.set(this.builder.column(m.column), m.value);
    }
  }

  /** A last line without an ending that holds fewer keys than the records shaped like it: cut off mid-write. */
  private isCutOff(tokens: LineTokens): boolean {
    const keys = tokens.pairs.map((p) => p.key);
    const known = this.shapes.get(keys[0]);
    return known !== undefined && keys.length < known.length && keys.every((k, i) => known[i] === k);
  }

  private remember(tokens: LineTokens): void {
    const keys = tokens.pairs.map((p) => p.key);
    if (keys.length > 0) this.shapes.set(keys[0], keys);
  }
}

/** The loss terms of a GAN log line: its first G/D term and what follows it (CycleGAN prints timings before them). */
function ganTerms(metrics: Metric[]): string[] {
  const first = metrics.findIndex((m) => isGanTerm(m.column) || m.column.endsWith('(generator loss)'));
  return metrics.slice(Math.max(0, first)).map((m) => m.column);
}

/** How the report names where steps came from: the key as the log spells it. */
function stepSourceOf(record: LineRecord): string {
  if (record.global !== undefined) return record.stepKey!;
  if (record.counter) return record.counter.key;
  return record.leadStep !== undefined ? 'the number opening each line' : 'end of epoch';
}

/** The line names a step, a counter or an epoch. */
function namesPlace(record: LineRecord): boolean {
  return record.global !== undefined || record.counter !== undefined || record.epoch !== undefined
    || record.epochEnd !== undefined || record.leadStep !== undefined;
}

function isIndented(text: string): boolean {
  return text[0] === ' ' || text[0] === '\t';
}

/** What the report says the log looked like, from its first record. */
function shapeOf(record: LineRecord, text: string): string {
  if (record.generator) return 'GAN loss log';
  if (text.trimStart().startsWith('{')) return 'printed dicts';
  if (record.counter?.key === PROGRESS_KEY) return 'progress bars';
  return 'key/value lines';
}
