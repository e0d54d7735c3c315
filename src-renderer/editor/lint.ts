import { validateDesign, type Design, type Finding } from '../../src-shared/model';

/** Findings of a design, errors first. `validateDesign` normalises in place, so it runs on a copy. */
export function lintDesign(design: Design): Finding[] {
  const findings = validateDesign(structuredClone(design));
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** The worst severity per node id (for badges on the canvas). */
export function severityByNode(findings: readonly Finding[]): Map<string, 'error' | 'warning'> {
  const m = new Map<string, 'error' | 'warning'>();
  for (const f of findings) {
    if (!f.nodeId) continue;
    if (f.severity === 'error' || !m.has(f.nodeId)) m.set(f.nodeId, f.severity);
  }
  return m;
}

/** Counts of errors and warnings. */
export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const f of findings) if (f.severity === 'error') errors++;
  return { errors, warnings: findings.length - errors };
}

/**
 * The elements whose warnings wait for their errors: the lint skips every check that would read an element with an
 * error (`validateDesign`), so these are checked once the errors are fixed. By the names a person sees, each once,
 * in the order of the findings; empty when there is no error.
 */
export function deferredByErrors(findings: readonly Finding[]): string[] {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const place = f.where ?? f.nodeId ?? f.edgeId;
    if (place !== undefined) out.add(place);
  }
  return [...out];
}

/** A list of names for a sentence: `a`, `a and b`, `a, b and c`, `a, b, c and 2 more`. */
export function nameList(names: readonly string[], max = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > max) return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
}
