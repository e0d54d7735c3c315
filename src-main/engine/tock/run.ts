// Runs a design on the Tock model and builds the summary of product.md. Pure: no clock, no I/O. The caller adds
// runId and wallMs (which exist only outside the engine).

import { getKind } from '../../../src-shared/catalog';
import type { Design } from '../../../src-shared/model';
import type { RunSummary } from '../../../src-shared/results/summary';
import { nullRecorder, type Recorder } from '../core/recorder';
import { Simulator, type EndReason } from '../core/simulator';
import { makeMechanism } from './mechanisms';
import { TockModel, type SeriesDef } from './model';
import { makePeripheral } from './peripherals';
import { latencyStats, round3 } from './stats';

/** Bumped whenever a change alters results for the same design and seed (golden fingerprints move with it). */
export const ENGINE_VERSION = '0.4.4';

/** Options of one run. Invariant: `seed` is a 32-bit unsigned integer; durations are integer ns. */
export interface RunOptions {
  seed: number;
  durationNs: number;
  warmupNs?: number;
  recorder?: Recorder;
  /** Polled every `checkEveryEvents` events; true cancels the run. */
  shouldStop?: () => boolean;
  progress?: (simTimeNs: number, events: number) => void;
  checkEveryEvents?: number;
  maxEvents?: number;
  maxTrace?: number;
}

/** What a run produces besides the summary: the fingerprint, why it ended, what the indices mean. */
export interface RunOutput {
  /** The summary without runId and wallMs (added by the caller). */
  summary: Omit<RunSummary, 'runId' | 'wallMs'>;
  fingerprint: string;
  endReason: EndReason;
  series: SeriesDef[];
  traceKinds: Record<number, string>;
  traceDropped: number;
}

/** Names of the indices the recorder receives: series keys, kernel and process ids, trace kinds. */
export interface RunIndexTables {
  seriesKeys: string[];
  kernelIds: string[];
  processIds: string[];
  /** Mechanism and peripheral ids by index (the links of `linkDown` / `linkUp` trace points). */
  mechanismIds: string[];
  traceKinds: Record<number, string>;
}

/** A run built and ready: its index tables are known before it executes (so samples can stream out). */
export interface PreparedRun {
  tables: RunIndexTables;
  execute(): RunOutput;
}

const TRACE_KINDS: Record<number, string> = { 1: 'run', 2: 'idle', 3: 'contextSwitch', 4: 'upcallDropped', 5: 'crash', 6: 'restart', 7: 'kernelFailed', 8: 'linkDown', 9: 'linkUp' };

/**
 * Simulates `design` (already validated) for `opts.durationNs` from `opts.seed`. Same design + same options ⇒
 * the same summary and fingerprint, byte for byte.
 */
export function runDesign(design: Design, designHash: string, opts: RunOptions): RunOutput {
  return prepareRun(design, designHash, opts).execute();
}

/** Builds the model for `design` without running it yet. */
export function prepareRun(design: Design, designHash: string, opts: RunOptions): PreparedRun {
  const sim = new Simulator({
    limits: { maxSimTimeNs: opts.durationNs, ...(opts.maxEvents !== undefined ? { maxEvents: opts.maxEvents } : {}) },
    fingerprint: true,
    ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.checkEveryEvents ? { checkEveryEvents: opts.checkEveryEvents } : {}),
  });
  const model = new TockModel(
    design,
    sim,
    opts.recorder ?? nullRecorder,
    {
      seed: opts.seed,
      durationNs: opts.durationNs,
      warmupNs: opts.warmupNs ?? 0,
      maxTrace: opts.maxTrace ?? 100_000,
      cpuWindowNs: Math.max(1_000, Math.round(opts.durationNs / 500)),
    },
    (m, node, idx) => makeMechanism(m, node, idx) ?? makePeripheral(m, node, idx),
  );
  const tables: RunIndexTables = {
    seriesKeys: model.series.map((x) => x.key),
    kernelIds: model.kernels.map((k) => k.id),
    processIds: model.procs.map((p) => p.id),
    mechanismIds: model.channels.map((c) => c.id),
    traceKinds: TRACE_KINDS,
  };
  return { tables, execute: () => execute(design, designHash, opts, sim, model) };
}

function execute(design: Design, designHash: string, opts: RunOptions, sim: Simulator, model: TockModel): RunOutput {
  model.start(design.nodes.filter((n) => getKind(n.kind)?.category === 'fault'));
  let result = sim.run(model);
  // An empty queue may still leave a CPU finishing a job whose completion event was deferred: run on to it.
  while (result.endReason === 'empty' && model.scheduleDeferred()) result = sim.run(model);
  model.finish();
  const simTimeNs = result.simTimeNs;
  // After a warm-up, every counter reports what happened after it (flows count the messages sent after it).
  const w = model.warmup;
  const measuredNs = simTimeNs - (w ? (opts.warmupNs ?? 0) : 0);
  const summary: Omit<RunSummary, 'runId' | 'wallMs'> = {
    design: design.name,
    designHash,
    seed: opts.seed,
    engineVersion: ENGINE_VERSION,
    simTimeNs,
    events: result.events,
    flows: model.flows.map((f) => ({
      id: f.def.id,
      name: f.def.name,
      source: f.def.source,
      target: f.def.target,
      mechanism: f.def.mechanism,
      sent: f.sent,
      delivered: f.delivered,
      dropped: f.dropped,
      overwritten: f.overwritten,
      timedOut: f.timedOut,
      failed: f.failed,
      truncated: f.truncated,
      stale: f.stale,
      inFlight: f.sent - f.delivered - f.dropped - f.overwritten - f.timedOut - f.failed,
      latencyNs: latencyStats(f.latencies, f.latencyCount),
      copiesPerMessage: f.delivered > 0 ? round3(f.copies / f.delivered) : 0,
      bytesCopied: f.bytesCopied,
    })),
    mechanisms: model.channels.map((c, i) => {
      const at = w?.channels[i];
      const copySites = c.copySites
        .map((x, j) => ({ site: x.label, copies: x.copies - (at?.sites[j]?.copies ?? 0), bytesCopied: x.bytes - (at?.sites[j]?.bytes ?? 0) }))
        .filter((x) => x.copies > 0);
      return { id: c.id, name: model.nodes.get(c.id)?.name ?? c.id, kind: c.kind, copies: c.copies - (at?.copies ?? 0), bytesCopied: c.bytesCopied - (at?.bytesCopied ?? 0), copySites, maxDepth: c.maxDepth, drops: c.drops - (at?.drops ?? 0) };
    }),
    processes: model.procs.map((p, i) => ({
      id: p.id,
      name: p.name,
      kernel: p.kernel.id,
      mpuRegionsPeak: p.kernel.arch.usedPerProcess + p.regionsPeak,
      mpuRegionsCapacity: p.kernel.arch.usedPerProcess + p.regionCapacityExtra,
      mpuMapFailures: p.mapFailures - (w?.procs[i]!.mapFailures ?? 0),
      alignmentWasteBytes: p.alignmentWastePeakBytes,
      restarts: p.restarts - (w?.procs[i]!.restarts ?? 0),
      upcallsDropped: p.upcallsDropped - (w?.procs[i]!.upcallsDropped ?? 0),
    })),
    kernels: model.kernels.map((k, i) => {
      const at = w?.kernels[i];
      return {
        id: k.id,
        name: k.name,
        cpuUtilization: measuredNs > 0 ? round3(Math.min(1, (k.busyNs - (at?.busyNs ?? 0)) / measuredNs)) : 0,
        contextSwitches: k.contextSwitches - (at?.contextSwitches ?? 0),
        syscalls: k.syscalls - (at?.syscalls ?? 0),
        upcallsDropped: k.upcallsDropped - (at?.upcallsDropped ?? 0),
      };
    }),
  };
  return {
    summary,
    fingerprint: result.fingerprint ?? '',
    endReason: result.endReason,
    series: model.series,
    traceKinds: TRACE_KINDS,
    traceDropped: model.traceDropped,
  };
}
