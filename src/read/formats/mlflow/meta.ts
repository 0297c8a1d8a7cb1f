// The few fields of an MLflow meta.yaml that say which run is which and when it ran; a line scanner, not a YAML parser.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface RunMeta {
  runId?: string;
  runName?: string;
  /** ms since 1970, as MLflow writes them. */
  startTime?: number;
  endTime?: number;
  /** "active" or "deleted". */
  lifecycleStage?: string;
  /** When meta.yaml was last written, ms since 1970: the fallback when it holds no times. */
  modified: number;
}

const META_FILE = 'meta.yaml';

/** The top-level `key: value` lines MLflow writes; anything nested, or a file that cannot be read, is left out. */
export function readRunMeta(dir: string): RunMeta {
  const path = join(dir, META_FILE);
  const meta: RunMeta = { modified: 0 };
  let text = '';
  try {
    meta.modified = statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch {
    return meta;
  }
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.startsWith(' ') || line.startsWith('-')) continue;
    const key = line.slice(0, colon).trim();
    const value = unquote(line.slice(colon + 1).trim());
    if (value === '' || value === 'null' || value === '~') continue;
    if (key === 'run_id') meta.runId = value;
    else if (key === 'run_name') meta.runName = value;
    else if (key === 'start_time') meta.startTime = toTime(value);
    else if (key === 'end_time') meta.endTime = toTime(value);
    else if (key === 'lifecycle_stage') meta.lifecycleStage = value;
  }
  return meta;
}

/** The latest moment the run is known to have been alive: its end, else its start, else when its meta.yaml was written. */
export function lastActive(meta: RunMeta): number {
  const times = [meta.endTime, meta.startTime].filter((t): t is number => t !== undefined);
  return times.length ? Math.max(...times) : meta.modified;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

function toTime(value: string): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
