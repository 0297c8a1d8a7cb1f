// The config file (losscurve.config.json, or a "losscurve" key in package.json): found upwards from the working directory, only read, applied below the flags.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parsePolicy, PolicyError } from '../policy.js';
import { chartHeight, finiteNumber, jobCount, positiveInt, REPORT_FORMATS, smoothingWeight, UsageError, type ReportFormat } from './options.js';

export const CONFIG_FILE = 'losscurve.config.json';

/** The keys a config file may set, each with the option (commander's attribute name) it stands for. */
const KEYS = {
  'fail-on': 'failOn',
  vocab: 'vocab',
  baseline: 'baseline',
  format: 'format',
  width: 'width',
  height: 'height',
  color: 'color',
  // display preferences a person keeps (a terminal without UTF-8 fonts, a noisy trainer), not per-run choices like --from
  ascii: 'ascii',
  smooth: 'smooth',
  jobs: 'jobs',
} as const;
type Key = keyof typeof KEYS;
export const CONFIG_KEYS = Object.keys(KEYS) as Key[];

/** A config file found: where, and the values it sets (already checked). */
export interface FoundConfig {
  path: string;
  values: Partial<Record<Key, string | number | boolean>>;
}

/** The nearest config from `start` upwards; in one folder losscurve.config.json beats package.json. Undefined when none. */
export function findConfig(start: string): FoundConfig | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const own = join(dir, CONFIG_FILE);
    if (existsSync(own)) return { path: own, values: checked(own, parse(own)) };
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = parse(pkg);
      if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'losscurve' in json) {
        return { path: pkg, values: checked(pkg, (json as Record<string, unknown>).losscurve, 'losscurve.') };
      }
    }
    if (dirname(dir) === dir) return undefined; // the filesystem root: nothing above it
  }
}

function parse(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? error}); check its permissions`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message}); fix the file or remove it`);
  }
}

/** The config object checked key by key: an unknown key or a bad value is bad usage naming the file and key. */
function checked(path: string, config: unknown, prefix = ''): FoundConfig['values'] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new UsageError(`${path}: ${prefix ? 'the "losscurve" key' : 'the config'} must be a JSON object of ${CONFIG_KEYS.join(', ')}`);
  }
  const values: FoundConfig['values'] = {};
  for (const [key, value] of Object.entries(config)) {
    const bad = (what: string) => new UsageError(`${path}: key "${prefix}${key}": ${what}`);
    if (!(key in KEYS)) throw bad(`unknown key; use one of ${CONFIG_KEYS.join(', ')} (per-detector thresholds cannot be set)`);
    values[key as Key] = checkedValue(key as Key, value, bad);
  }
  return values;
}

function checkedValue(key: Key, value: unknown, bad: (what: string) => UsageError): string | number | boolean {
  const number = (parse: (s: string) => number): number => {
    if (typeof value !== 'number') throw bad(`must be a number, not ${JSON.stringify(value)}`);
    try {
      return parse(String(value));
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw bad(error.message);
      throw error;
    }
  };
  switch (key) {
    case 'fail-on':
      if (typeof value !== 'string') throw bad(`must be a string such as "error" or "nan,divergence", not ${JSON.stringify(value)}`);
      try {
        parsePolicy(value, 'fail-on');
      } catch (error) {
        if (error instanceof PolicyError) throw bad(error.message.replace(/^fail-on: /, ''));
        throw error;
      }
      return value;
    case 'format':
      if (typeof value !== 'string' || !(REPORT_FORMATS as readonly string[]).includes(value)) {
        throw bad(`must be one of ${REPORT_FORMATS.join(', ')}, not ${JSON.stringify(value)}`);
      }
      return value;
    case 'color':
    case 'ascii':
      if (typeof value !== 'boolean') throw bad(`must be true or false, not ${JSON.stringify(value)}`);
      return value;
    case 'smooth':
      return number(smoothingWeight);
    case 'vocab':
    case 'width':
      return number(positiveInt);
    case 'jobs':
      return number(jobCount);
    case 'height':
      return number(chartHeight);
    case 'baseline':
      return number(finiteNumber);
  }
}

/**
 * Sets on `command` every config value whose option was not typed: flags > config > defaults. A value set here
 * has the source 'config', so "was it given" checks see it as given. `formats`: the report formats this command takes.
 */
export function applyConfig(command: Command, found: FoundConfig | undefined, formats: readonly ReportFormat[]): void {
  if (!found) return;
  for (const key of CONFIG_KEYS) {
    const value = found.values[key];
    if (value === undefined) continue;
    const name = KEYS[key];
    if (!hasOption(command, name)) continue; // jobs: diagnose's only; watch and run read one log
    if (command.getOptionValueSource(name) === 'cli') continue;
    // --json and --exit-on are other spellings of format and fail-on: typed, they beat the config too
    if (key === 'format' && command.getOptionValueSource('json') === 'cli') continue;
    if (key === 'fail-on' && command.getOptionValueSource('exitOn') === 'cli') continue;
    if (key === 'format' && !formats.includes(value as ReportFormat)) {
      throw new UsageError(`${found.path}: key "format": ${command.name()} writes ${formats.join(' or ')}, not ${value}; pass --format to this command or change the key`);
    }
    command.setOptionValueWithSource(name, value, 'config');
  }
}

/** The resolved values and where each came from (flag, the config file's path, or default), one line each, for --print-config. */
export function describeConfig(command: Command, found: FoundConfig | undefined): string {
  const opts = command.opts();
  const lines = [`config file: ${found ? found.path : 'none found (from ' + process.cwd() + ' up)'}`];
  for (const key of CONFIG_KEYS) {
    const name = KEYS[key];
    if (!hasOption(command, name)) continue;
    let value: unknown = opts[name];
    let source = command.getOptionValueSource(name);
    if (key === 'format' && command.getOptionValueSource('json') === 'cli' && source !== 'cli') [value, source] = ['json', 'cli'];
    if (key === 'fail-on' && command.getOptionValueSource('exitOn') === 'cli' && source !== 'cli') [value, source] = [opts.exitOn, 'cli'];
    const where = source === 'cli' ? 'flag' : source === 'config' ? found!.path : 'default';
    const shown = value === undefined ? unsetText(key) : String(value);
    lines.push(`${key.padEnd(9)} ${shown.padEnd(12)} ${where}`);
  }
  return lines.join('\n') + '\n';
}

/** Whether the command takes the option (by commander's attribute name). */
function hasOption(command: Command, name: string): boolean {
  return command.options.some((o) => o.attributeName() === name);
}

/** What an unset value means, so --print-config never shows a bare "undefined". */
function unsetText(key: Key): string {
  if (key === 'baseline') return '(ln(vocab))';
  if (key === 'color') return '(auto)';
  if (key === 'width') return '(terminal)';
  if (key === 'ascii') return '(locale)';
  if (key === 'smooth') return '(off)';
  if (key === 'jobs') return '(cores)';
  return '(auto)';
}
