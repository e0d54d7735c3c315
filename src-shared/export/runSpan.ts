// What span of a run its figures cover, as the exports say it. A run with a warm-up counts only what follows it
// (messages sent from then on, their latencies and losses; copies, peaks and CPU load from then on), and an export
// that states the run's length without the warm-up would pass those figures off as the whole run's.

import type { Design } from '../model';
import type { RunSummary } from '../results/summary';
import { formatDuration } from '../util/units';

/** What an export knows of a run, for its warm-up. */
export interface RunSpanSource {
  summary: Pick<RunSummary, 'simTimeNs' | 'design'>;
  /** The run's warm-up (ns) from its record (`settings.warmupNs`): exact, and what callers holding the record pass. */
  warmupNs?: number;
  /** The design the run was recorded from (its snapshot): its `run.warmupNs` is the warm-up the run had. */
  design?: Design;
  /** Set when the run is not exactly of the exported design (edited since, another version). */
  note?: string;
}

/**
 * The run's warm-up in ns, or null when not known. From, in order: the run's own `warmupNs`; the design it was
 * recorded from; the exported design, when the run is of it (no note and the same name: the callers note every run
 * that is not exactly of the design they export, and a design's run settings are part of it).
 */
export function runWarmupNs(run: RunSpanSource, exported?: Design): number | null {
  const w = typeof run.warmupNs === 'number' ? run.warmupNs : run.design ? run.design.run.warmupNs : exported && !run.note && exported.name === run.summary.design ? exported.run.warmupNs : null;
  return typeof w === 'number' && Number.isFinite(w) ? Math.max(0, w) : null;
}

/**
 * What the figures of a run of `simTimeNs` cover, after its span (`4.5 s simulated, …`): `counted from 3.5 s (warm-up
 * excluded)`; '' without a warm-up (or when it is not known: nothing is claimed).
 */
export function warmupClause(simTimeNs: number, warmupNs: number | null): string {
  if (!warmupNs || warmupNs <= 0) return '';
  if (warmupNs >= simTimeNs) return `all of it warm-up (${formatDuration(warmupNs)}): nothing counted`;
  return `counted from ${formatDuration(warmupNs)} (warm-up excluded)`;
}

/** The run's span as a line states it: `4.5 s simulated, counted from 3.5 s (warm-up excluded)`, or `1 s simulated`. */
export function spanText(simTimeNs: number, warmupNs: number | null): string {
  const clause = warmupClause(simTimeNs, warmupNs);
  return `${formatDuration(simTimeNs)} simulated${clause ? `, ${clause}` : ''}`;
}
