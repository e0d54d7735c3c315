// Batches the engine's observations into typed arrays, so a run streams them to the store (directly in the CLI,
// through postMessage from the run worker) without holding them: memory stays flat as a run grows.

import type { MessageBatch } from '../../src-shared/results/runStore';
import type { Recorder } from '../engine/core/recorder';

/** Message samples of one batch: the store's MessageBatch (parallel typed arrays of equal length). */
export type MessageChunk = MessageBatch;

/** Series points and trace points of one batch. */
export interface PointChunk {
  seriesIdx: Uint32Array;
  seriesTimeNs: Float64Array;
  seriesValue: Float64Array;
  traceTimeNs: Float64Array;
  traceKind: Uint8Array;
  traceA: Int32Array;
  traceB: Int32Array;
}

/** What a flush hands over. Invariant: arrays are exactly as long as their content (sliced). */
export interface RecordBatch {
  messages: MessageChunk;
  points: PointChunk;
}

/** Receives full batches (the store writer, or a port to the main thread). */
export type BatchSink = (batch: RecordBatch) => void;

/** A Recorder that fills typed arrays and hands them to `sink` every `capacity` samples (and on `flush`). */
export class BatchRecorder implements Recorder {
  private m!: MessageChunk;
  private p!: PointChunk;
  private nm = 0;
  private ns = 0;
  private nt = 0;

  constructor(
    private readonly sink: BatchSink,
    private readonly capacity = 65_536,
  ) {
    this.alloc();
  }

  private alloc(): void {
    const c = this.capacity;
    this.m = { flow: new Uint32Array(c), sendNs: new Float64Array(c), deliverNs: new Float64Array(c), bytes: new Uint32Array(c), copies: new Uint8Array(c), outcome: new Uint8Array(c) };
    this.p = { seriesIdx: new Uint32Array(c), seriesTimeNs: new Float64Array(c), seriesValue: new Float64Array(c), traceTimeNs: new Float64Array(c), traceKind: new Uint8Array(c), traceA: new Int32Array(c), traceB: new Int32Array(c) };
  }

  message(flowIdx: number, sendNs: number, deliverNs: number, bytes: number, copies: number, outcome: number): void {
    const i = this.nm++;
    const m = this.m;
    m.flow[i] = flowIdx;
    m.sendNs[i] = sendNs;
    m.deliverNs[i] = outcome === 0 || outcome === 5 ? deliverNs : NaN;
    m.bytes[i] = bytes;
    m.copies[i] = Math.min(255, copies);
    m.outcome[i] = outcome;
    if (this.nm === this.capacity) this.flush();
  }

  series(seriesIdx: number, timeNs: number, value: number): void {
    const i = this.ns++;
    this.p.seriesIdx[i] = seriesIdx;
    this.p.seriesTimeNs[i] = timeNs;
    this.p.seriesValue[i] = value;
    if (this.ns === this.capacity) this.flush();
  }

  trace(timeNs: number, kind: number, a: number, b: number): void {
    const i = this.nt++;
    this.p.traceTimeNs[i] = timeNs;
    this.p.traceKind[i] = kind;
    this.p.traceA[i] = a;
    this.p.traceB[i] = b;
    if (this.nt === this.capacity) this.flush();
  }

  /** Hands over what is buffered (if anything) and starts fresh arrays. */
  flush(): void {
    if (this.nm === 0 && this.ns === 0 && this.nt === 0) return;
    const { m, p, nm, ns, nt } = this;
    this.sink({
      messages: { flow: m.flow.slice(0, nm), sendNs: m.sendNs.slice(0, nm), deliverNs: m.deliverNs.slice(0, nm), bytes: m.bytes.slice(0, nm), copies: m.copies.slice(0, nm), outcome: m.outcome.slice(0, nm) },
      points: {
        seriesIdx: p.seriesIdx.slice(0, ns),
        seriesTimeNs: p.seriesTimeNs.slice(0, ns),
        seriesValue: p.seriesValue.slice(0, ns),
        traceTimeNs: p.traceTimeNs.slice(0, nt),
        traceKind: p.traceKind.slice(0, nt),
        traceA: p.traceA.slice(0, nt),
        traceB: p.traceB.slice(0, nt),
      },
    });
    this.nm = this.ns = this.nt = 0;
  }
}

/** Index → name tables a run publishes so the store can name series and trace points. */
export interface RunTables {
  seriesKeys: string[];
  kernelIds: string[];
  processIds: string[];
  /** Mechanism (and peripheral) ids by index: a link's trace points (linkDown, linkUp) name it in their detail. */
  mechanismIds: string[];
  traceKinds: Record<number, string>;
}

/** Trace kinds whose second index is a mechanism's (a link's), not a process's. */
const LINK_KINDS: ReadonlySet<string> = new Set(['linkDown', 'linkUp']);

/** Minimal writer surface the batches are applied to (RunWriter implements it). */
export interface BatchTarget {
  addMessages(b: MessageChunk): void;
  addSeries(key: string, timesNs: ArrayLike<number>, values: ArrayLike<number>): void;
  addTrace(timeNs: number, kernelId: string, processId: string | null, kind: string, detail?: string): void;
}

/** Applies one batch to a store writer, naming series and trace points with `tables`. */
export function applyBatch(target: BatchTarget, tables: RunTables, b: RecordBatch): void {
  if (b.messages.flow.length > 0) target.addMessages(b.messages);
  const p = b.points;
  // Group the batch's points by series, keeping their order (a counting sort into two typed arrays): one store
  // call per series instead of one per point, and no per-point allocation.
  const n = p.seriesIdx.length;
  if (n > 0) {
    let series = 0;
    for (let i = 0; i < n; i++) series = Math.max(series, p.seriesIdx[i]! + 1);
    const start = new Uint32Array(series + 1);
    for (let i = 0; i < n; i++) start[p.seriesIdx[i]! + 1]!++;
    for (let s = 0; s < series; s++) start[s + 1]! += start[s]!;
    const next = start.slice(0, series);
    const times = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const at = next[p.seriesIdx[i]!]!++;
      times[at] = p.seriesTimeNs[i]!;
      values[at] = p.seriesValue[i]!;
    }
    for (let s = 0; s < series; s++) {
      if (start[s] === start[s + 1]) continue;
      target.addSeries(tables.seriesKeys[s] ?? `series:${s}`, times.subarray(start[s]!, start[s + 1]!), values.subarray(start[s]!, start[s + 1]!));
    }
  }
  for (let i = 0; i < p.traceTimeNs.length; i++) {
    const b2 = p.traceB[i]!;
    const kind = tables.traceKinds[p.traceKind[i]!] ?? String(p.traceKind[i]);
    const kernelId = tables.kernelIds[p.traceA[i]!] ?? '';
    if (LINK_KINDS.has(kind)) target.addTrace(p.traceTimeNs[i]!, kernelId, null, kind, tables.mechanismIds[b2] ?? '');
    else target.addTrace(p.traceTimeNs[i]!, kernelId, b2 >= 0 ? (tables.processIds[b2] ?? null) : null, kind);
  }
}
