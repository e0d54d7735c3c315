// A fake of the studio contract for renderer tests: every method is a vi.fn with a sensible default answer,
// progress is pushed by the test with `emit`, and runs / records are plain fixtures the test can change.
import { vi } from 'vitest';
import type { ApiMethod, ApiResponses, RunProgress, StudioApi } from '../../../src-shared/api/contract';
import type { Design } from '../../../src-shared/model';
import type { RunListItem, RunRecord } from '../../../src-shared/results/runStore';
import type { RunSummary } from '../../../src-shared/results/summary';
import { setApiForTests } from '../../../src-renderer/api';
import { clearQueryCache } from '../../../src-renderer/results/useQuery';

/** A summary of a run of `twoKernels()` (producer p → two-copy channel m → consumer c, kernels k0 and k1). */
export function twoKernelsSummary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: '7',
    design: 'Test design',
    designHash: 'abc123',
    seed: 1,
    engineVersion: '0.2.0',
    simTimeNs: 1_000_000_000,
    events: 12_345,
    wallMs: 80,
    flows: [
      {
        id: 'p>m>c',
        name: 'producer → channel → consumer',
        source: 'p',
        target: 'c',
        mechanism: 'twoCopyChannel',
        sent: 100,
        delivered: 88,
        dropped: 10,
        overwritten: 0,
        timedOut: 2,
        failed: 0,
        truncated: 0,
        stale: 0,
        latencyNs: { mean: 50_000, p50: 48_000, p90: 60_000, p99: 52_560, max: 90_000 },
        copiesPerMessage: 2,
        bytesCopied: 11_264,
      },
    ],
    mechanisms: [
      {
        id: 'm',
        kind: 'twoCopyChannel',
        copies: 176,
        bytesCopied: 11_264,
        copySites: [
          { site: "sender's allow → kernel FIFO", copies: 96, bytesCopied: 6_144 },
          { site: "kernel FIFO → receiver's allow", copies: 80, bytesCopied: 5_120 },
        ],
        maxDepth: 8,
        drops: 10,
      },
    ],
    processes: [
      { id: 'p', name: 'producer', kernel: 'k0', mpuRegionsPeak: 3, mpuRegionsCapacity: 8, mpuMapFailures: 0, alignmentWasteBytes: 0, restarts: 0 },
      { id: 'c', name: 'consumer', kernel: 'k0', mpuRegionsPeak: 9, mpuRegionsCapacity: 8, mpuMapFailures: 1, alignmentWasteBytes: 512, restarts: 0 },
    ],
    kernels: [
      { id: 'k0', name: 'k0', cpuUtilization: 0.125, contextSwitches: 200, syscalls: 400, upcallsDropped: 0 },
      { id: 'k1', name: 'k1', cpuUtilization: 0, contextSwitches: 0, syscalls: 0, upcallsDropped: 0 },
    ],
    ...over,
  };
}

/** A run list line. */
export function listItem(id: number, over: Partial<RunListItem> = {}): RunListItem {
  return {
    id,
    status: 'done',
    designName: 'Test design',
    designHash: 'abc123',
    label: null,
    seed: 1,
    engineVersion: '0.2.0',
    createdAt: 1_700_000_000_000 + id * 60_000,
    startedAt: 1_700_000_000_000 + id * 60_000,
    finishedAt: 1_700_000_000_000 + id * 60_000 + 80,
    wallMs: 80,
    events: 12_345,
    simTimeNs: 1_000_000_000,
    messages: 100,
    flows: 1,
    error: null,
    ...over,
  };
}

/** A full record (done, with the summary). */
export function record(id: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    ...listItem(id),
    settings: { durationNs: 1_000_000_000, warmupNs: 0 },
    summary: twoKernelsSummary({ runId: String(id) }),
    flowTable: [{ idx: 0, id: 'p>m>c', name: 'producer → channel → consumer' }],
    outcomeNames: ['delivered', 'dropped', 'overwritten', 'timedOut', 'failed', 'truncated'],
    traceEvents: 10,
    traceDropped: 0,
    ownerPid: null,
    ownerHost: null,
    ...over,
  };
}

export type FakeApi = StudioApi & {
  [M in ApiMethod]: ReturnType<typeof vi.fn>;
} & {
  /** Pushes a progress event to the subscribers. */
  emit(p: Partial<RunProgress> & { runId: number; status: RunProgress['status'] }): void;
  listeners: Set<(p: RunProgress) => void>;
  records: Map<number, RunRecord>;
  designs: Map<number, Design>;
};

/** Installs a fake contract (`setApiForTests`) and returns it. */
export function installFakeApi(overrides: Partial<{ [M in ApiMethod]: (req: never) => Promise<ApiResponses[M]> }> = {}): FakeApi {
  clearQueryCache();
  const listeners = new Set<(p: RunProgress) => void>();
  const records = new Map<number, RunRecord>();
  const designs = new Map<number, Design>();
  let nextRun = 7;
  const defaults: Record<string, (req: never) => Promise<unknown>> = {
    info: async () => ({ version: 'test', engineVersion: '0.2.0', mode: 'serve', dbPath: ':memory:', nativeFiles: false }),
    startRun: async (req: { design: Design }) => {
      const runId = nextRun++;
      designs.set(runId, req.design);
      return { runId };
    },
    cancelRun: async () => ({ cancelled: true }),
    getRun: async (req: { runId: number }) => {
      const r = records.get(req.runId);
      if (!r) throw new Error(`no run ${req.runId}`);
      return r;
    },
    listRuns: async () => ({ total: records.size, items: [...records.values()].sort((a, b) => b.id - a.id) }),
    deleteRun: async (req: { runId: number }) => ({ deleted: records.delete(req.runId) }),
    listSeries: async () => [
      { key: 'mpu:p', points: 3, tMinNs: 0, tMaxNs: 500_000_000, vMin: 2, vMax: 3 },
      { key: 'depth:m', points: 10, tMinNs: 0, tMaxNs: 900_000_000, vMin: 0, vMax: 8 },
      { key: 'cpu:k0', points: 100, tMinNs: 0, tMaxNs: 990_000_000, vMin: 0, vMax: 0.5 },
    ],
    getSeries: async (req: { runId: number; key: string; buckets: number }) => ({
      runId: req.runId,
      key: req.key,
      fromNs: 0,
      toNs: 1_000_000_000,
      points: 4,
      t: [0, 250_000_000, 500_000_000, 750_000_000],
      bucketNs: 250_000_000,
      min: [2, 2, 3, 3],
      max: [2, 3, 3, 3],
      mean: [2, 2.5, 3, 3],
      last: [2, 3, 3, 3],
    }),
    latencyCdf: async (req: { runId: number }) => ({ runId: req.runId, flow: { idx: 0, id: 'p>m>c', name: 'producer → channel → consumer' }, samples: 88, latencyNs: [40_000, 48_000, 52_560, 90_000], fraction: [0.25, 0.5, 0.99, 1] }),
    latencyHistogram: async (req: { runId: number }) => ({ runId: req.runId, flow: { idx: 0, id: 'p>m>c', name: 'producer → channel → consumer' }, samples: 88, edgesNs: [40_000, 50_000, 60_000, 70_000, 80_000, 90_000], counts: [40, 30, 10, 5, 3] }),
    latencyOverTime: async (req: { runId: number }) => ({ runId: req.runId, flow: { idx: 0, id: 'p>m>c', name: 'producer → channel → consumer' }, fromNs: 0, toNs: 1_000_000_000, bucketNs: 250_000_000, t: [0, 250_000_000, 500_000_000, 750_000_000], count: [22, 22, 22, 22], min: [40_000, 41_000, 40_500, 40_000], max: [90_000, 60_000, 70_000, 80_000], mean: [50_000, 49_000, 51_000, 50_000] }),
    trace: async () => [],
    exportRun: async (req: { runId: number }) => ({ fileName: `run-${req.runId}.json`, mime: 'application/json', text: JSON.stringify({ run: records.get(req.runId), design: designs.get(req.runId) }) }),
  };
  const api: Record<string, unknown> = {};
  const all = { ...defaults, ...overrides } as Record<string, (req: never) => Promise<unknown>>;
  for (const [m, f] of Object.entries(all)) api[m] = vi.fn(f);
  for (const m of ['listTemplates', 'getTemplate', 'validateDesign', 'openDesign', 'saveDesign', 'recentDesigns', 'setDocumentState', 'compareRuns', 'designDiff']) {
    if (!api[m]) api[m] = vi.fn(async () => { throw new Error(`${m} not faked`); });
  }
  api.onRunProgress = vi.fn((l: (p: RunProgress) => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  });
  api.emit = (p: Partial<RunProgress> & { runId: number; status: RunProgress['status'] }) => {
    const full: RunProgress = { simTimeNs: 0, durationNs: 1_000_000_000, fraction: 0, events: 0, eventsPerSec: 0, wallMs: 0, ...p };
    for (const l of [...listeners]) l(full);
  };
  api.listeners = listeners;
  api.records = records;
  api.designs = designs;
  setApiForTests(api as unknown as StudioApi);
  return api as unknown as FakeApi;
}
