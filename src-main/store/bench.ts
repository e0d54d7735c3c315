// Store benchmark: ingest rate, query latency and file size of the chosen layout, and — to justify it — the same
// ingest and CDF with one row per message sample (batched prepared INSERTs in transactions). Prints figures; run
// `npx tsx src-main/store/bench.ts` or call `runStoreBench()` (the project's `npm run bench`). Wall-clock only;
// tests never assert on these numbers.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Design } from '../../src-shared/model/design';
import type { RunSummary } from '../../src-shared/results/summary';
import { RunStore } from './store';
import type { MessageBatch } from './types';

/** Options of the benchmark (defaults: the sizes the issue asks about). */
export interface StoreBenchOptions {
  /** Samples of the big flow (default 1,000,000). */
  bigFlowMessages?: number;
  /** Further flows and their samples (default 4 × 250,000). */
  otherFlows?: number;
  otherFlowMessages?: number;
  /** Samples per batch handed to the writer (default 10,000, like an engine flushing its recorder). */
  batchSize?: number;
  /** Series and points per series (default 8 × 100,000). */
  series?: number;
  seriesPoints?: number;
  traceEvents?: number;
  /** Also measure one row per sample (default true). */
  compareLayouts?: boolean;
  /** Page size of the new database (default the store's). */
  pageSize?: number;
  /** Folder for the temporary database (default a new one under os.tmpdir(), removed afterwards). */
  dir?: string;
}

/** The figures (rates per second, times in ms, sizes in bytes). */
export interface StoreBenchResult {
  messages: number;
  ingestMs: number;
  messagesPerSec: number;
  /** Of `ingestMs`: the `finish` call (sorting latencies, per-flow statistics, last chunks). */
  finishMs: number;
  seriesPoints: number;
  seriesPerSec: number;
  traceEvents: number;
  tracePerSec: number;
  dbBytes: number;
  bytesPerMessage: number;
  queryMs: {
    cdf1MFirst: number;
    cdf1MWarm: number;
    histogram1MWarm: number;
    seriesDownsample: number;
    latencyOverTime1M: number;
    runList: number;
    compare2: number;
  };
  rowLayout?: { messages: number; ingestMs: number; messagesPerSec: number; cdf1MMs: number; bytesPerMessage: number };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

function fileBytes(file: string): number {
  let n = 0;
  for (const suffix of ['', '-wal']) {
    try {
      n += statSync(file + suffix).size;
    } catch {
      // absent
    }
  }
  return n;
}

/** A deterministic pseudo-random source (the bench must not depend on Math.random to be comparable). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function benchDesign(flows: number): Design {
  return {
    format: 'tock-ipc-studio/design',
    version: 1,
    name: 'store bench',
    nodes: [{ id: 'k', kind: 'kernel', name: 'k', position: { x: 0, y: 0 }, params: {} }],
    edges: [],
    run: { durationNs: 10_000_000_000, seed: 1, warmupNs: 0 },
    ui: { flows },
  };
}

function summaryFor(flowIds: string[], simTimeNs: number): RunSummary {
  return {
    runId: '',
    design: 'store bench',
    designHash: '',
    seed: 1,
    engineVersion: 'bench',
    simTimeNs,
    events: 0,
    wallMs: 0,
    flows: flowIds.map((id) => ({
      id,
      name: id,
      source: 'a',
      target: 'b',
      mechanism: 'twoCopyChannel',
      sent: 0,
      delivered: 0,
      dropped: 0,
      overwritten: 0,
      timedOut: 0,
      failed: 0,
      truncated: 0,
      stale: 0,
      latencyNs: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
      copiesPerMessage: 2,
      bytesCopied: 0,
    })),
    mechanisms: [],
    processes: [{ id: 'p', name: 'p', kernel: 'k', mpuRegionsPeak: 3, mpuRegionsCapacity: 5, mpuMapFailures: 0, alignmentWasteBytes: 0, restarts: 0 }],
    kernels: [],
  };
}

/** Generates the message stream: the big flow and the others interleaved, deliveries in time order. */
function* batches(bigFlow: number, others: number, perOther: number, batchSize: number): Generator<MessageBatch> {
  const rnd = lcg(42);
  const total = bigFlow + others * perOther;
  const left = [bigFlow, ...Array.from({ length: others }, () => perOther)];
  let t = 0;
  for (let done = 0; done < total; ) {
    const n = Math.min(batchSize, total - done);
    const b: MessageBatch = { flow: new Uint32Array(n), sendNs: new Float64Array(n), deliverNs: new Float64Array(n), bytes: new Uint32Array(n), copies: new Uint8Array(n), outcome: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      let f = Math.floor(rnd() * left.length);
      while (left[f] === 0) f = (f + 1) % left.length;
      left[f]!--;
      t += 1000 + Math.floor(rnd() * 1000);
      const latency = 2000 + Math.floor(-Math.log(1 - rnd()) * 20_000);
      const drop = rnd() < 0.01;
      b.flow[i] = f;
      b.sendNs[i] = t - latency;
      b.deliverNs[i] = drop ? NaN : t;
      b.bytes[i] = 64;
      b.copies[i] = 2;
      b.outcome[i] = drop ? 1 : 0;
    }
    done += n;
    yield b;
  }
}

/** Runs the benchmark and returns the figures. */
export function runStoreBench(opts: StoreBenchOptions = {}): StoreBenchResult {
  const bigFlow = opts.bigFlowMessages ?? 1_000_000;
  const others = opts.otherFlows ?? 4;
  const perOther = opts.otherFlowMessages ?? 250_000;
  const batchSize = opts.batchSize ?? 10_000;
  const nSeries = opts.series ?? 8;
  const perSeries = opts.seriesPoints ?? 100_000;
  const nTrace = opts.traceEvents ?? 100_000;
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'tock-store-bench-'));
  const file = join(dir, 'bench.sqlite');
  try {
    const store = RunStore.open(file, opts.pageSize ? { pageSize: opts.pageSize } : {});
    const flowIds = ['big', ...Array.from({ length: others }, (_, i) => `f${i + 1}`)];
    const design = benchDesign(flowIds.length);
    const all = [...batches(bigFlow, others, perOther, batchSize)]; // generated up front: not part of ingest time
    const messages = bigFlow + others * perOther;

    const t0 = performance.now();
    const w = store.beginRun({ design, seed: 1, engineVersion: 'bench', flows: flowIds.map((id) => ({ id })) });
    for (const b of all) w.addMessages(b);
    const tFinish = performance.now();
    const simTimeNs = all.at(-1)!.deliverNs.at(-1)! || 1;
    w.finish(summaryFor(flowIds, simTimeNs), { wallMs: 0, events: messages });
    const t1 = performance.now();
    const ingestMs = t1 - t0;
    const finishMs = t1 - tFinish;

    // Series and trace in a second run (so their rates are measured alone).
    const w2 = store.beginRun({ design, seed: 2, engineVersion: 'bench', flows: flowIds.map((id) => ({ id })) });
    const rnd = lcg(7);
    const [, seriesMs] = timed(() => {
      for (let s = 0; s < nSeries; s++) {
        const key = `depth:m${s}`;
        for (let i = 0; i < perSeries; i++) w2.addSeriesPoint(key, i * 1000, Math.floor(rnd() * 10));
      }
      w2.flush();
    });
    const [, traceMs] = timed(() => {
      for (let i = 0; i < nTrace; i++) w2.addTrace(i * 100, 'k', i % 3 ? 'p' : null, i % 2 ? 'contextSwitch' : 'syscall', `#${i}`);
      w2.flush();
    });
    w2.finish(summaryFor(flowIds, perSeries * 1000), { wallMs: 0, events: 0 });
    store.database.pragma('wal_checkpoint(TRUNCATE)');
    const dbBytes = fileBytes(file);
    store.close();

    // Queries on a fresh connection (cold caches for the first CDF).
    const rs = RunStore.open(file);
    const [, cdf1MFirst] = timed(() => rs.latencyCdf(1, 'big', 200));
    const cdfTimes: number[] = [];
    const histTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      cdfTimes.push(timed(() => rs.latencyCdf(1, 'big', 200))[1]);
      histTimes.push(timed(() => rs.latencyHistogram(1, 'big', 100))[1]);
    }
    const [, seriesDownsample] = timed(() => rs.series(2, 'depth:m0', 1000));
    const [, latencyOverTime1M] = timed(() => rs.latencyOverTime(1, 'big', 500));
    const [, runList] = timed(() => rs.listRuns({ text: 'bench', limit: 50 }));
    const [, compare2] = timed(() => rs.compareRuns([1, 2]));
    rs.close();

    const result: StoreBenchResult = {
      messages,
      ingestMs,
      messagesPerSec: messages / (ingestMs / 1000),
      finishMs,
      seriesPoints: nSeries * perSeries,
      seriesPerSec: (nSeries * perSeries) / (seriesMs / 1000),
      traceEvents: nTrace,
      tracePerSec: nTrace / (traceMs / 1000),
      dbBytes,
      bytesPerMessage: dbBytes / messages,
      queryMs: { cdf1MFirst, cdf1MWarm: median(cdfTimes), histogram1MWarm: median(histTimes), seriesDownsample, latencyOverTime1M, runList, compare2 },
    };
    if (opts.compareLayouts !== false) result.rowLayout = rowLayoutBench(dir, all, bigFlow);
    return result;
  } finally {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The alternative layout: one row per message sample, batched prepared INSERTs, one transaction per batch. */
function rowLayoutBench(dir: string, all: MessageBatch[], bigFlow: number): NonNullable<StoreBenchResult['rowLayout']> {
  const file = join(dir, 'rows.sqlite');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE msgs (run_id INTEGER NOT NULL, flow_idx INTEGER NOT NULL, seq INTEGER NOT NULL, send_ns INTEGER NOT NULL, deliver_ns INTEGER, bytes INTEGER NOT NULL, copies INTEGER NOT NULL, outcome INTEGER NOT NULL, PRIMARY KEY (run_id, flow_idx, seq)) WITHOUT ROWID');
    const ins = db.prepare('INSERT INTO msgs VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const seqs = new Map<number, number>();
    const tx = db.transaction((b: MessageBatch) => {
      for (let i = 0; i < b.flow.length; i++) {
        const f = b.flow[i]!;
        const s = seqs.get(f) ?? 0;
        seqs.set(f, s + 1);
        const d = b.deliverNs[i]!;
        ins.run(1, f, s, b.sendNs[i], d === d ? d : null, b.bytes[i], b.copies[i], b.outcome[i]);
      }
    });
    let messages = 0;
    const [, ingestMs] = timed(() => {
      for (const b of all) {
        tx(b);
        messages += b.flow.length;
      }
    });
    const [, cdf1MMs] = timed(() => {
      const lat = db.prepare('SELECT deliver_ns - send_ns FROM msgs WHERE run_id = 1 AND flow_idx = 0 AND outcome = 0 ORDER BY 1').pluck().all() as number[];
      const out: number[] = [];
      for (let i = 0; i < 200; i++) out.push(lat[Math.round((i * (lat.length - 1)) / 199)]!);
      return out;
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
    void bigFlow;
    return { messages, ingestMs, messagesPerSec: messages / (ingestMs / 1000), cdf1MMs, bytesPerMessage: fileBytes(file) / messages };
  } finally {
    db.close();
  }
}

/** Prints the figures as a small table. */
export function formatStoreBench(r: StoreBenchResult): string {
  const f = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `run store benchmark`,
    `  ingest        ${f(r.messages)} message samples in ${f(r.ingestMs)} ms → ${f(r.messagesPerSec)} samples/s (finish: ${f(r.finishMs)} ms)`,
    `  series        ${f(r.seriesPoints)} points → ${f(r.seriesPerSec)} points/s`,
    `  trace         ${f(r.traceEvents)} events → ${f(r.tracePerSec)} events/s`,
    `  database      ${f(r.dbBytes / 1048576, 1)} MiB (${f(r.bytesPerMessage, 1)} B per message sample, series and trace included)`,
    `  CDF 1M flow   first ${f(r.queryMs.cdf1MFirst, 1)} ms, warm ${f(r.queryMs.cdf1MWarm, 1)} ms (200 points)`,
    `  histogram 1M  warm ${f(r.queryMs.histogram1MWarm, 1)} ms (100 bins)`,
    `  series        ${f(r.queryMs.seriesDownsample, 1)} ms (100,000 points → 1,000 buckets)`,
    `  latency/time  ${f(r.queryMs.latencyOverTime1M, 1)} ms (1M samples → 500 buckets)`,
    `  run list      ${f(r.queryMs.runList, 1)} ms; compare 2 runs ${f(r.queryMs.compare2, 1)} ms`,
  ];
  if (r.rowLayout) {
    const x = r.rowLayout;
    lines.push(
      `  row layout    ${f(x.messages)} rows in ${f(x.ingestMs)} ms → ${f(x.messagesPerSec)} samples/s; CDF 1M ${f(x.cdf1MMs, 1)} ms; ${f(x.bytesPerMessage, 1)} B/sample`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = runStoreBench();
  console.log(formatStoreBench(r));
}
