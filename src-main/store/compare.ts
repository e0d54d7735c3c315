// Comparing N runs: entities matched by id across runs, deltas against run 0 (the baseline). Pure functions over
// summaries and sample statistics (no database), so they are easy to test by hand.
import type { RunSummary } from '../../src-shared/results/summary';
import { Outcome } from '../../src-shared/results/outcome';
import { mechanismLoss } from '../../src-shared/results/overlay';
import { LOST_OUTCOMES, type ComparedRow, type Deltas, type FlowMetrics, type FlowStats, type KernelMetrics, type MechanismMetrics, type ProcessMetrics } from './types';

/** What compare needs of one run: its summary (null if it never finished) and its per-flow sample statistics. */
export interface CompareInput {
  summary: RunSummary | null;
  flowStats: FlowStats[];
}

/** Flow metrics of one run: from the summary when there is one (the engine's figures), else from the samples. */
export function flowMetrics(input: CompareInput): Map<string, FlowMetrics> {
  const out = new Map<string, FlowMetrics>();
  if (input.summary) {
    for (const f of input.summary.flows) {
      out.set(f.id, {
        name: f.name,
        mechanism: f.mechanism,
        p50: f.delivered > 0 ? f.latencyNs.p50 : null,
        p99: f.delivered > 0 ? f.latencyNs.p99 : null,
        copiesPerMessage: f.copiesPerMessage,
        drops: f.dropped + f.overwritten + f.timedOut + (f.failed ?? 0),
        sent: f.sent,
        delivered: f.delivered,
        truncated: f.truncated ?? 0,
      });
    }
    return out;
  }
  for (const f of input.flowStats) {
    out.set(f.id, {
      name: f.name,
      mechanism: '',
      p50: f.latencyNs?.p50 ?? null,
      p99: f.latencyNs?.p99 ?? null,
      copiesPerMessage: f.sent > 0 ? f.copies / f.sent : null,
      drops: LOST_OUTCOMES.reduce((s, code) => s + (f.outcomes[code] ?? 0), 0),
      sent: f.sent,
      delivered: f.delivered,
      truncated: f.outcomes[Outcome.truncated] ?? 0,
    });
  }
  return out;
}

function deltas<M extends object>(value: M, base: M): Deltas<M> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'number' && v !== null) continue;
    const b = (base as Record<string, unknown>)[k];
    out[k] = typeof v === 'number' && typeof b === 'number' ? v - b : null;
  }
  return out as Deltas<M>;
}

/** Rows for entities matched by id: ids in first-seen order over runs 0..N-1. */
export function compareMaps<M extends object>(maps: readonly Map<string, M>[]): ComparedRow<M>[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const m of maps)
    for (const id of m.keys())
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
  return ids.map((id) => {
    const values = maps.map((m) => m.get(id) ?? null);
    const base = values[0];
    return { id, values, deltas: values.map((v) => (v && base ? deltas(v, base) : null)) };
  });
}

/** Per-flow, per-process, per-mechanism and per-kernel comparison rows (run 0 = baseline). */
export function compareInputs(inputs: readonly CompareInput[]): {
  flows: ComparedRow<FlowMetrics>[];
  processes: ComparedRow<ProcessMetrics>[];
  mechanisms: ComparedRow<MechanismMetrics>[];
  kernels: ComparedRow<KernelMetrics>[];
} {
  const processes = inputs.map(
    (i) =>
      new Map<string, ProcessMetrics>(
        (i.summary?.processes ?? []).map((p) => [p.id, { name: p.name, mpuRegionsPeak: p.mpuRegionsPeak, mpuRegionsCapacity: p.mpuRegionsCapacity, mpuMapFailures: p.mpuMapFailures, restarts: p.restarts }]),
      ),
  );
  const mechanisms = inputs.map((i) => {
    const s = i.summary;
    return new Map<string, MechanismMetrics>((s?.mechanisms ?? []).map((m) => [m.id, { name: m.name ?? m.id, kind: m.kind, copies: m.copies, maxDepth: m.maxDepth, drops: m.drops, lost: mechanismLoss(s!, m).lost }]));
  });
  const kernels = inputs.map((i) => new Map<string, KernelMetrics>((i.summary?.kernels ?? []).map((k) => [k.id, { name: k.name, cpuUtilization: k.cpuUtilization, contextSwitches: k.contextSwitches }])));
  return {
    flows: compareMaps(inputs.map(flowMetrics)),
    processes: compareMaps(processes),
    mechanisms: compareMaps(mechanisms),
    kernels: compareMaps(kernels),
  };
}
