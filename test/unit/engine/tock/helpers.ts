import type { Design } from '../../../../src-shared/model';
import { validateDesign } from '../../../../src-shared/model';
import type { FlowSummary, RunSummary } from '../../../../src-shared/results/summary';
import { runDesign, type RunOptions } from '../../../../src-main/engine/tock/run';

/** Validates (must have no errors) and runs a design; returns the summary and fingerprint. */
export function run(design: Design, opts: Partial<RunOptions> = {}): { s: Omit<RunSummary, 'runId' | 'wallMs'>; fingerprint: string } {
  const errors = validateDesign(design).filter((f) => f.severity === 'error');
  if (errors.length) throw new Error(`invalid test design: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const out = runDesign(design, 'test', { seed: design.run.seed, durationNs: design.run.durationNs, ...opts });
  return { s: out.summary, fingerprint: out.fingerprint };
}

/** The flow from `source` to `target`. */
export function flow(s: { flows: FlowSummary[] }, source: string, target: string): FlowSummary {
  const f = s.flows.find((x) => x.source === source && x.target === target);
  if (!f) throw new Error(`no flow ${source} → ${target}`);
  return f;
}

/** STM32F429 at 50 MHz: 20 ns per cycle. */
export const NS_PER_CYCLE_STM = 20;
