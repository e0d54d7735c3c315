import { describe, expect, it } from 'vitest';
import { RunStore, designHash } from '../../../src-main/store';
import { compareInputs } from '../../../src-main/store/compare';
import { batch, dbPath, flow, smallDesign, summary, tempDir } from './helpers';

const dir = tempDir();

const base = summary({
  flows: [flow('a', { name: 'A', sent: 100, delivered: 99, dropped: 1, latencyNs: { mean: 110, p50: 100, p90: 200, p99: 300, max: 400 }, copiesPerMessage: 2 })],
  processes: [{ id: 'p', name: 'P', kernel: 'k', mpuRegionsPeak: 3, mpuRegionsCapacity: 5, mpuMapFailures: 0, alignmentWasteBytes: 0, restarts: 0 }],
  mechanisms: [{ id: 'm', kind: 'twoCopyChannel', copies: 200, bytesCopied: 1600, maxDepth: 4, drops: 1 }],
  kernels: [{ id: 'k', name: 'K', cpuUtilization: 0.25, contextSwitches: 10, syscalls: 20, upcallsDropped: 0 }],
});
const other = summary({
  flows: [
    flow('a', { name: 'A', sent: 100, delivered: 96, dropped: 3, overwritten: 1, latencyNs: { mean: 90, p50: 80, p90: 150, p99: 250, max: 300 }, copiesPerMessage: 1 }),
    flow('b', { name: 'B', sent: 5, delivered: 5, latencyNs: { mean: 5, p50: 5, p90: 5, p99: 5, max: 5 }, copiesPerMessage: 0 }),
  ],
  processes: [{ id: 'p', name: 'P', kernel: 'k', mpuRegionsPeak: 5, mpuRegionsCapacity: 5, mpuMapFailures: 2, alignmentWasteBytes: 0, restarts: 1 }],
  mechanisms: [{ id: 'm2', name: 'shared buffer', kind: 'sharedMemory', copies: 0, bytesCopied: 0, maxDepth: 0, drops: 0 }],
  kernels: [{ id: 'k', name: 'K', cpuUtilization: 0.5, contextSwitches: 12, syscalls: 30, upcallsDropped: 0 }],
});

describe('run comparison (pure)', () => {
  it('gives per-flow Δp50, Δp99, Δcopies/message and Δdrops matched by id', () => {
    const c = compareInputs([
      { summary: base, flowStats: [] },
      { summary: other, flowStats: [] },
    ]);
    expect(c.flows.map((r) => r.id)).toEqual(['a', 'b']);
    const a = c.flows[0]!;
    expect(a.values[0]).toMatchObject({ p50: 100, p99: 300, copiesPerMessage: 2, drops: 1 });
    expect(a.deltas[0]).toEqual({ p50: 0, p99: 0, copiesPerMessage: 0, drops: 0, sent: 0, delivered: 0, truncated: 0 });
    expect(a.deltas[1]).toEqual({ p50: -20, p99: -50, copiesPerMessage: -1, drops: 3, sent: 0, delivered: -3, truncated: 0 });
    const b = c.flows[1]!;
    expect(b.values[0]).toBeNull();
    expect(b.deltas).toEqual([null, null]);
  });

  it('gives per-process ΔMPU peak, per-mechanism and per-kernel deltas', () => {
    const c = compareInputs([
      { summary: base, flowStats: [] },
      { summary: other, flowStats: [] },
      { summary: base, flowStats: [] },
    ]);
    expect(c.processes[0]!.deltas).toEqual([
      { mpuRegionsPeak: 0, mpuRegionsCapacity: 0, mpuMapFailures: 0, restarts: 0 },
      { mpuRegionsPeak: 2, mpuRegionsCapacity: 0, mpuMapFailures: 2, restarts: 1 },
      { mpuRegionsPeak: 0, mpuRegionsCapacity: 0, mpuMapFailures: 0, restarts: 0 },
    ]);
    expect(c.mechanisms.map((r) => [r.id, r.values.map((v) => v?.drops ?? null)])).toEqual([
      ['m', [1, null, 1]],
      ['m2', [null, 0, null]],
    ]);
    expect(c.kernels[0]!.deltas[1]).toEqual({ cpuUtilization: 0.25, contextSwitches: 2 });
    // Mechanisms are named as in their run's design; runs recorded before names were kept show the id.
    expect(c.mechanisms.map((r) => r.values.find(Boolean)!.name)).toEqual(['m', 'shared buffer']);
  });

  it('carries each run\'s messages cut short (from the summary, else from the samples) and their delta', () => {
    const cut = summary({ flows: [flow('a', { sent: 10, delivered: 10, truncated: 4 })] });
    const c = compareInputs([
      { summary: base, flowStats: [] },
      { summary: cut, flowStats: [] },
      { summary: null, flowStats: [{ idx: 0, id: 'a', name: 'A', sent: 3, delivered: 3, outcomes: [1, 0, 0, 0, 0, 2], copies: 0, bytes: 0, latencyNs: null }] },
    ]);
    expect(c.flows[0]!.values.map((v) => v!.truncated)).toEqual([0, 4, 2]);
    expect(c.flows[0]!.deltas.map((d) => d!.truncated)).toEqual([0, 4, 2]);
  });

  it("compares a mechanism's lost (its flows' messages that never arrived, timeouts included) apart from what it discarded", () => {
    const run = (timedOut: number): ReturnType<typeof summary> =>
      summary({
        flows: [flow('p>m>c', { sent: 20, delivered: 18 - timedOut, dropped: 2, timedOut })],
        mechanisms: [{ id: 'm', kind: 'twoCopyChannel', copies: 30, bytesCopied: 240, maxDepth: 4, drops: 2 }],
      });
    const c = compareInputs([
      { summary: run(0), flowStats: [] },
      { summary: run(3), flowStats: [] },
    ]);
    expect(c.mechanisms[0]!.values.map((v) => [v!.lost, v!.drops])).toEqual([
      [2, 2],
      [5, 2],
    ]);
    expect(c.mechanisms[0]!.deltas[1]).toMatchObject({ lost: 3, drops: 0 });
  });
});

describe('RunStore.compareRuns', () => {
  it('compares finished runs by their summaries and unfinished ones by their samples, with design diffs', () => {
    const store = RunStore.open(dbPath(dir));
    const d1 = smallDesign('cmp');
    const d2 = smallDesign('cmp', { periodNs: 2000 });
    const w1 = store.beginRun({ design: d1, seed: 1, engineVersion: 'e', flows: [{ id: 'a' }] });
    w1.finish(base, { wallMs: 1, events: 1 });
    const w2 = store.beginRun({ design: d2, seed: 1, engineVersion: 'e', flows: [{ id: 'a' }] });
    // Samples of flow a: latencies 50, 70, 90 delivered, one dropped, one overwritten; copies 1 each on 4 of 5.
    w2.addMessages(batch([
      [0, 0, 50, 8, 1, 0],
      [0, 10, 80, 8, 1, 0],
      [0, 20, 110, 8, 1, 0],
      [0, 30, NaN, 8, 0, 1],
      [0, 40, 60, 8, 1, 2],
    ]));
    w2.cancel();
    const c = store.compareRuns([w1.runId, w2.runId]);
    expect(c.runs.map((r) => [r.id, r.status])).toEqual([
      [w1.runId, 'done'],
      [w2.runId, 'cancelled'],
    ]);
    expect(c.runs[0]).not.toHaveProperty('summary');
    expect(c.flows[0]!.values[1]).toMatchObject({ p50: 70, p99: 90, copiesPerMessage: 4 / 5, drops: 2, sent: 5, delivered: 3 });
    expect(c.flows[0]!.deltas[1]).toMatchObject({ p50: -30, p99: -210, drops: 1 });
    expect(c.flows[0]!.deltas[1]!.copiesPerMessage).toBeCloseTo(-1.2, 12);
    expect(c.processes[0]!.values).toEqual([expect.objectContaining({ mpuRegionsPeak: 3 }), null]);
    expect(c.designDiffs[0]!.identical).toBe(true);
    expect(c.designDiffs[1]!.nodes.changed).toEqual([{ id: 'p', kind: 'process', name: 'p', fields: [], params: [{ key: 'periodNs', change: 'changed', before: 1000, after: 2000 }] }]);
    expect(store.designDiff(w1.runId, w2.runId).counts.paramsChanged).toBe(1);
    expect(() => store.compareRuns([w1.runId])).toThrow(/at least two runs/);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    store.close();
  });
});

describe('the design of a run carries the settings it was really run with', () => {
  // `tock-studio run queues.json --seed 7 --duration 1s` records the file's design (seed 1, its duration) with the
  // run's seed and settings beside it; the design's hash, and so the snapshot, stays the file's.
  const file = smallDesign('queues');
  const asCli = (store: RunStore, seed: number, durationNs: number): number => {
    const w = store.beginRun({ design: file, seed, engineVersion: 'e', settings: { durationNs, warmupNs: 0 }, flows: [{ id: 'a' }] });
    w.finish(base, { wallMs: 1, events: 1 });
    return w.runId;
  };

  it('compare says seed and duration changed between two CLI runs of one file; the hashes stay the file’s', () => {
    const store = RunStore.open(dbPath(dir));
    const a = asCli(store, 7, 1_000_000_000);
    const b = asCli(store, 3, 500_000_000);
    const c = store.compareRuns([a, b]);
    expect(c.designDiffs[1]!.identical).toBe(false);
    expect(c.designDiffs[1]!.design).toEqual([
      { path: 'run.durationNs', before: 1_000_000_000, after: 500_000_000 },
      { path: 'run.seed', before: 7, after: 3 },
    ]);
    expect(c.designDiffs[1]!.counts).toMatchObject({ nodesChanged: 0, paramsChanged: 0 });
    expect(store.designDiff(a, b).design.map((f) => f.path)).toEqual(['run.durationNs', 'run.seed']);
    expect(store.getDesign(b).run).toEqual({ ...file.run, seed: 3, durationNs: 500_000_000, warmupNs: 0 });
    // Hashes and the stored snapshot are untouched: one design row, addressed by the file's hash.
    expect(c.runs.map((r) => r.designHash)).toEqual([designHash(file), designHash(file)]);
    expect(store.getDesignByHash(designHash(file)).run).toEqual(file.run);
    // The JSON export (what the studio's report reads as a run's design) says the same.
    expect((store.exportJson(b) as { design: { run: unknown } }).design.run).toMatchObject({ seed: 3, durationNs: 500_000_000 });
    store.close();
  });

  it('a CLI --seed 7 run and a run of the design saved with seed 7 are the same design and settings', () => {
    const store = RunStore.open(dbPath(dir));
    const cli = asCli(store, 7, file.run.durationNs);
    const saved = { ...file, run: { ...file.run, seed: 7 } };
    const w = store.beginRun({ design: saved, seed: 7, engineVersion: 'e', settings: { durationNs: saved.run.durationNs, warmupNs: saved.run.warmupNs }, flows: [{ id: 'a' }] });
    w.finish(base, { wallMs: 1, events: 1 });
    const c = store.compareRuns([cli, w.runId]);
    expect(c.runs[0]!.designHash).not.toBe(c.runs[1]!.designHash); // the snapshots differ (seed 1 vs 7)…
    expect(c.designDiffs[1]).toMatchObject({ identical: true, design: [], layoutChanged: false }); // …what ran does not
    store.close();
  });

  it('a run that recorded no duration keeps its snapshot’s', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: file, seed: 5, engineVersion: 'e', flows: [{ id: 'a' }] });
    w.cancel();
    expect(store.getDesign(w.runId).run).toEqual({ ...file.run, seed: 5 });
    store.close();
  });
});
