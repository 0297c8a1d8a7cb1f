// The fail policy (--fail-on): which findings fail the run, by pattern or by severity, as ESLint's error/warning levels do.

import { DETECTORS } from './detect/index.js';
import { PATTERN_IDS, type Finding, type PatternId, type Severity } from './types.js';

export interface FailPolicy {
  /** The policy as the user gave it (or the default), for the verdict line: "error", "nan,spike", "none". */
  text: string;
  /** Patterns that fail the run whatever their finding's severity. */
  patterns: ReadonlySet<PatternId>;
  /** Findings of this severity or worse fail the run; each finding is judged at its own severity (a partial flat is a warning). */
  severity?: Severity;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The default: error-severity findings fail the run, as in ESLint; which patterns those can be comes from the detectors. */
export const DEFAULT_POLICY: FailPolicy = { text: 'error', patterns: new Set(), severity: 'error' };

/** A fail policy that cannot be read: an unknown pattern or severity (the CLI says it as bad usage). */
export class PolicyError extends Error {}

/**
 * --fail-on: a comma list of patterns and severities (error, warning, info: that severity or worse, each
 * finding at its own), or any (every pattern but good), or none. "error" is the default.
 */
export function parsePolicy(value: string, flag = '--fail-on'): FailPolicy {
  const words = value.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  if (words.length === 1 && words[0] === 'none') return { text: 'none', patterns: new Set() };
  if (words.length === 1 && words[0] === 'any') return { text: 'any', patterns: new Set(), severity: 'info' };
  const isPattern = (w: string) => (PATTERN_IDS as readonly string[]).includes(w);
  const isSeverity = (w: string) => (SEVERITIES as readonly string[]).includes(w);
  const unknown = words.filter((w) => !isPattern(w) && !isSeverity(w));
  if (unknown.length > 0 || words.length === 0) {
    throw new PolicyError(`${flag}: unknown pattern or severity ${unknown.join(', ') || '(empty)'}; use a severity (${SEVERITIES.join(', ')}), any, none or a list of ${PATTERN_IDS.join(', ')}`);
  }
  // several severities: the most lenient one given decides, as it includes the others
  const severity = SEVERITIES.filter((v) => words.includes(v)).pop() as Severity | undefined;
  return { text: words.join(','), patterns: new Set(words.filter(isPattern) as PatternId[]), severity };
}

/** The patterns whose detectors rate their findings errors (nan, divergence, flat): what the default can fail on. */
export function errorPatterns(): PatternId[] {
  return DETECTORS.filter((d) => d.severity === 'error').map((d) => d.id);
}

/** Whether this finding fails the run. `good` never does: it says the run is fine. */
export function fails(policy: FailPolicy, finding: Finding): boolean {
  if (finding.pattern === 'good') return false;
  if (policy.patterns.has(finding.pattern)) return true;
  return policy.severity !== undefined && RANK[finding.severity] <= RANK[policy.severity];
}
