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
