// The fail policy (--fail-on): which findings fail the run, by pattern or by severity, as ESLint's error/warning levels do.

import { DETECTORS } from './detect/index.js';
import type { Finding, PatternId, Severity } from './types.js';

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
