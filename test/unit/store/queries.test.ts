import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, SERIES_CHUNK, type RunId } from '../../../src-main/store';
import { batch, dbPath, flow, smallDesign, summary, tempDir } from './helpers';

const dir = tempDir();
let store: RunStore;
let run: RunId;
let open: RunId;

beforeAll(() => {
  store = RunStore.open(dbPath(dir));
  const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', flows: [{ id: 'f' }, { id: 'g' }] });
  // Flow f: delivered latencies 10, 20, 20, 30, 40, 100 (in a scrambled order), plus samples that must not count:
  // a drop (NaN), an overwrite with a delivery time, and a truncated delivery (counts, latency 60 → added below).
  w.addMessages(batch([
    [0, 0, 20, 8, 1, 0],
    [0, 100, 200, 8, 1, 0],
    [0, 200, 210, 8, 1, 0],
    [0, 300, 330, 8, 1, 0],
    [0, 400, NaN, 8, 0, 1],
    [0, 500, 520, 8, 1, 0],
    [0, 600, 640, 8, 1, 0],
    [0, 700, 999, 8, 1, 2],
  ]));
  w.addSeries('mpu:p', [0, 10, 15, 40], [1, 5, 2, 3]);
  w.addSeries('depth:m', [0, 15, 15, 20], [0, 9, 2, 4]); // 9 is superseded at t=15
  w.addSeries('late', [20], [7]);
  w.addMessages(batch([[1, 1000, 1500, 8, 1, 0]]));
  for (let i = 0; i < 10; i++) w.addTrace(i * 10, i % 2 ? 'k1' : 'k0', i % 3 ? 'p' : null, i % 4 ? 'syscall' : 'switch', `e${i}`);
  w.finish(summary({ simTimeNs: 50, flows: [flow('f'), flow('g')] }), { wallMs: 1, events: 1 });
  run = w.runId;
  // A run still being written (no per-flow statistics stored yet): queries compute from the chunks.
  const o = store.beginRun({ design: smallDesign(), seed: 2, engineVersion: 'e', flows: [{ id: 'f' }] });
  o.addMessages(batch([
    [0, 0, 20, 8, 1, 0],
    [0, 100, 200, 8, 1, 0],
    [0, 200, 210, 8, 1, 0],
    [0, 300, 330, 8, 1, 0],
    [0, 400, NaN, 8, 0, 1],
    [0, 500, 520, 8, 1, 0],
    [0, 600, 640, 8, 1, 0],
  ]));
  o.flush();
  open = o.runId;
});
afterAll(() => store.close());

describe('latency histogram', () => {
  it('bins delivered latencies [10, 20, 20, 30, 40, 100] over min..max', () => {
    expect(store.latencyHistogram(run, 'f', 3)).toMatchObject({ samples: 6, edgesNs: [10, 40, 70, 100], counts: [4, 1, 1] });
  });
  it('uses a given range, the last bin closed, samples outside not counted', () => {
    expect(store.latencyHistogram(run, 'f', 5, { fromNs: 0, toNs: 50 })).toMatchObject({ samples: 5, edgesNs: [0, 10, 20, 30, 40, 50], counts: [0, 1, 2, 1, 1] });
  });
  it('gives 1 ns bins when every latency is equal, and empty arrays for a flow without deliveries', () => {
    expect(store.latencyHistogram(run, 'g', 2)).toMatchObject({ samples: 1, edgesNs: [500, 501, 502], counts: [1, 0] });
    const w = store.beginRun({ design: smallDesign(), seed: 9, engineVersion: 'e', flows: [{ id: 'lost' }] });
    w.addMessages(batch([[0, 0, NaN, 1, 0, 1]]));
    w.cancel();
    expect(store.latencyHistogram(w.runId, 'lost', 4)).toMatchObject({ samples: 0, edgesNs: [], counts: [] });
    expect(store.latencyCdf(w.runId, 'lost', 4)).toMatchObject({ samples: 0, latencyNs: [], fraction: [] });
  });
  it('is the same for a run still being written (computed from chunks)', () => {
    expect(store.latencyHistogram(open, 'f', 3)).toMatchObject({ samples: 6, edgesNs: [10, 40, 70, 100], counts: [4, 1, 1] });
  });
});

describe('latency CDF', () => {
  it('at as many points as samples: exact fractions ≤ x, equal latencies merged', () => {
    const c = store.latencyCdf(run, 'f', 6);
    expect(c.samples).toBe(6);
    expect(c.latencyNs).toEqual([10, 20, 30, 40, 100]);
    expect(c.fraction).toEqual([1 / 6, 3 / 6, 4 / 6, 5 / 6, 1]);
  });
  it('at 3 points: ranks 0, round(2.5) = 3 and 5', () => {
    expect(store.latencyCdf(run, 'f', 3)).toMatchObject({ latencyNs: [10, 30, 100], fraction: [1 / 6, 4 / 6, 1] });
  });
  it('at 1 point: the maximum; more points than samples is fine', () => {
    expect(store.latencyCdf(run, 'f', 1)).toMatchObject({ latencyNs: [100], fraction: [1] });
    expect(store.latencyCdf(run, 'f', 1000).latencyNs).toEqual([10, 20, 30, 40, 100]);
  });
  it('finds the flow by index and by #index; unknown flows and bad counts are errors', () => {
    expect(store.latencyCdf(run, 0, 3).flow).toEqual({ idx: 0, id: 'f', name: 'f' });
    expect(store.latencyCdf(run, '#1', 3).flow.id).toBe('g');
    expect(() => store.latencyCdf(run, 'nope', 3)).toThrow(/run \d+ has no flow "nope" \(flows: f, g\)/);
    expect(() => store.latencyCdf(run, 'f', 0)).toThrow(/points must be an integer from 1/);
    expect(() => store.latencyCdf(9999, 'f', 3)).toThrow(/no run 9999/);
  });
  it('is the same for a run still being written', () => {
    expect(store.latencyCdf(open, 'f', 6)).toMatchObject({ latencyNs: [10, 20, 30, 40, 100], fraction: [1 / 6, 3 / 6, 4 / 6, 5 / 6, 1] });
  });
});

describe('flow statistics', () => {
  it('count outcomes and give nearest-rank percentiles', () => {
    const [f] = store.flowStats(run);
    expect(f).toMatchObject({ sent: 8, delivered: 6, outcomes: [6, 1, 1], copies: 7, bytes: 64, latencyNs: { min: 10, max: 100, p50: 20, p90: 100, p99: 100 } });
    expect(f!.latencyNs!.mean).toBeCloseTo(220 / 6, 12);
    expect(store.flowStats(open)[0]).toMatchObject({ sent: 7, delivered: 6, outcomes: [6, 1], latencyNs: { min: 10, p50: 20, max: 100 } });
  });
});

describe('series downsampling (min/max per bucket)', () => {
  it('carries the held value into each bucket; time-weighted mean; value at the end', () => {
    // Points (0,1) (10,5) (15,2) (40,3) over [0, 50] in 5 buckets of 10 ns (50 = the run's simulated time).
    expect(store.series(run, 'mpu:p', 5)).toEqual({
      runId: run,
      key: 'mpu:p',
      fromNs: 0,
      toNs: 50,
      points: 4,
      t: [0, 10, 20, 30, 40],
      bucketNs: 10,
      min: [1, 2, 2, 2, 3],
      max: [1, 5, 2, 2, 3],
      mean: [1, 3.5, 2, 2, 3],
      last: [1, 2, 2, 2, 3],
    });
  });
  it('starts from the value held before the range', () => {
    const s = store.series(run, 'mpu:p', 2, { fromNs: 12, toNs: 32 });
    expect(s).toMatchObject({ min: [2, 2], max: [5, 2], last: [2, 2], points: 1 });
    expect(s.mean[0]).toBeCloseTo((5 * 3 + 2 * 7) / 10, 12);
  });
  it('ignores a value superseded at the same instant', () => {
    // Stored points: (0,0) (15,2) (20,4); bucket [10,20) holds 0 then 2, never 9.
    expect(store.series(run, 'depth:m', 2, { fromNs: 10, toNs: 30 })).toMatchObject({ min: [0, 4], max: [2, 4], last: [2, 4] });
  });
  it('gives null before the first point', () => {
    expect(store.series(run, 'late', 5)).toMatchObject({ min: [null, null, 7, 7, 7], max: [null, null, 7, 7, 7], mean: [null, null, 7, 7, 7] });
  });
  it('reads across chunk boundaries, carrying the last value of the previous chunk', () => {
    const w = store.beginRun({ design: smallDesign(), seed: 5, engineVersion: 'e' });
    const n = SERIES_CHUNK + 100;
    const times = Float64Array.from({ length: n }, (_, i) => i);
    const values = Float64Array.from({ length: n }, (_, i) => i % 7);
    w.addSeries('big', times, values);
    w.finish(summary({ simTimeNs: n - 1 }), { wallMs: 0, events: 0 });
    const whole = store.series(w.runId, 'big', 7);
    expect(whole.min).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(whole.max).toEqual([6, 6, 6, 6, 6, 6, 6]);
    expect(whole.points).toBe(n);
    // Around the boundary (chunk 2 starts at t = SERIES_CHUNK): bucket b = [from + b + ½, from + b + 1½) holds
    // the value of point from + b (carried in) and then that of point from + b + 1.
    const from = SERIES_CHUNK - 3;
    const near = store.series(w.runId, 'big', 6, { fromNs: from + 0.5, toNs: from + 6.5 });
    const held = [0, 1, 2, 3, 4, 5].map((b) => [(from + b) % 7, (from + b + 1) % 7]);
    expect(held[0]).toEqual([6, 0]);
    expect(near.min).toEqual(held.map(([x, y]) => Math.min(x!, y!)));
    expect(near.max).toEqual(held.map(([x, y]) => Math.max(x!, y!)));
    expect(near.mean).toEqual(held.map(([x, y]) => (x! + y!) / 2));
  });
  it('names the known series when a key is unknown', () => {
    expect(() => store.series(run, 'cpu:x', 5)).toThrow(/has no series "cpu:x" \(series: depth:m, late, mpu:p/);
  });
});

describe('latency over time', () => {
  it('buckets delivered samples by delivery time', () => {
    const r = store.latencyOverTime(run, 'f', 2, { fromNs: 0, toNs: 700 });
    // deliveries ≤ 350: 20 (lat 20), 200 (100), 210 (10), 330 (30); > 350: 520 (20), 640 (40)
    expect(r).toMatchObject({ t: [0, 350], bucketNs: 350, count: [4, 2], min: [10, 20], max: [100, 40], mean: [40, 30] });
  });
});

describe('trace', () => {
  it('filters by window, kernel and kind, in time order, with a limit', () => {
    expect(store.trace(run, { kernelId: 'k1' }).map((e) => e.detail)).toEqual(['e1', 'e3', 'e5', 'e7', 'e9']);
    expect(store.trace(run, { fromNs: 20, toNs: 50 }).map((e) => e.timeNs)).toEqual([20, 30, 40, 50]);
    expect(store.trace(run, { kind: 'switch' }).map((e) => e.seq)).toEqual([0, 4, 8]);
    expect(store.trace(run, { limit: 3 }).map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(store.trace(run, { kernelId: 'k9' })).toEqual([]);
  });
});
