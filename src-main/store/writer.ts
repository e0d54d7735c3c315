// The streaming writer of one run. The engine hands it batches; it splits message samples by flow into
// fixed-size column buffers and writes each full buffer as one chunk row (typed-array BLOBs), series points as
// (time, value) chunks per series, and trace events as rows — every write of one call in one transaction, with the
// run's committed-message counter in the same transaction, so a SIGKILL leaves whole chunks only.
//
// Memory: one chunk of columns per active flow and series, plus each flow's delivered latencies (8 B/sample),
// kept so that `finish` can store them sorted without reading the run back.
import type Database from 'better-sqlite3';
import type { RunSummary } from '../../src-shared/results/summary';
import { F64Column, toBlob } from './blob';
import { StoreError, guardFile } from './errors';
import { sortedFloat64 } from './sort';
import { DELIVERED_OUTCOMES, FAULT_TRACE_KINDS, MAX_FAULT_TRACE, type FlowRef, type MessageBatch, type RunId, type RunStatus } from './types';

/** Samples per message chunk row (per flow): 65,536 × 22 B ≈ 1.4 MB per row. */
export const MESSAGE_CHUNK = 65_536;
/** Points per series chunk row: 65,536 × 16 B = 1 MiB. */
export const SERIES_CHUNK = 65_536;
/** Trace events per chunk row. */
export const TRACE_CHUNK = 4_096;
/** Default cap on stored trace events per run (more are counted in `trace_dropped`). */
export const DEFAULT_MAX_TRACE_EVENTS = 100_000;
/** 1 for the outcome codes that count as delivered. */
export const IS_DELIVERED = new Uint8Array(256);
for (const c of DELIVERED_OUTCOMES) IS_DELIVERED[c] = 1;

/** Largest flow index accepted (a guard against garbage indices allocating huge tables). */
const MAX_FLOWS = 1_000_000;

/** Extra figures given when a run ends. */
export interface RunEndInfo {
  wallMs?: number;
  events?: number;
  /** A summary, if the engine produced one (partial for failed/cancelled runs). */
  summary?: RunSummary;
}

/** One chunk's worth of message columns. */
interface Columns {
  send: Float64Array;
  deliver: Float64Array;
  bytes: Uint32Array;
  copies: Uint8Array;
  outcome: Uint8Array;
}

function newColumns(): Columns {
  return { send: new Float64Array(MESSAGE_CHUNK), deliver: new Float64Array(MESSAGE_CHUNK), bytes: new Uint32Array(MESSAGE_CHUNK), copies: new Uint8Array(MESSAGE_CHUNK), outcome: new Uint8Array(MESSAGE_CHUNK) };
}

/** Written chunks' columns are reused (SQLite copied them when binding): less allocation, less GC. */
const POOL_MAX = 8;

class FlowBuffer {
  send: Float64Array;
  deliver: Float64Array;
  bytes: Uint32Array;
  copies: Uint8Array;
  outcome: Uint8Array;
  len = 0;
  seq = 0;
  // Statistics over every sample of the run (written at the end).
  sent = 0;
  outcomes = new Float64Array(256);
  copiesSum = 0;
  bytesSum = 0;
  latencySum = 0;
  latencies = new F64Column(1024);
  constructor(c: Columns) {
    this.send = c.send;
    this.deliver = c.deliver;
    this.bytes = c.bytes;
    this.copies = c.copies;
    this.outcome = c.outcome;
  }
  /** Swaps in fresh columns (the full ones go to a chunk). */
  swap(c: Columns): void {
    this.send = c.send;
    this.deliver = c.deliver;
    this.bytes = c.bytes;
    this.copies = c.copies;
    this.outcome = c.outcome;
    this.len = 0;
  }
}

/** Adds the first `n` samples of the flow's current columns to its run statistics (once per chunk). */
function sealStats(buf: FlowBuffer, n: number): void {
  const { send, deliver, bytes, copies, outcome, outcomes } = buf;
  let copiesSum = 0;
  let bytesSum = 0;
  let latencySum = 0;
  const lat = buf.latencies;
  if (lat.length + n > lat.data.length) lat.grow(lat.length + n);
  const data = lat.data;
  let m = lat.length;
  for (let i = 0; i < n; i++) {
    const o = outcome[i]!;
    outcomes[o]!++;
    copiesSum += copies[i]!;
    bytesSum += bytes[i]!;
    const d = deliver[i]!;
    if (IS_DELIVERED[o] === 1 && d === d) {
      const l = d - send[i]!;
      latencySum += l;
      data[m++] = l;
    }
  }
  lat.length = m;
  buf.sent += n;
  buf.copiesSum += copiesSum;
  buf.bytesSum += bytesSum;
  buf.latencySum += latencySum;
}

interface FullChunk {
  flow: number;
  seq: number;
  n: number;
  send: Float64Array;
  deliver: Float64Array;
  bytes: Uint32Array;
  copies: Uint8Array;
  outcome: Uint8Array;
}

class SeriesBuffer {
  id: number | null = null;
  times = new Float64Array(SERIES_CHUNK);
  vals = new Float64Array(SERIES_CHUNK);
  len = 0;
  seq = 0;
  lastT = -Infinity;
  constructor(readonly key: string) {}
}

/** Prepared statements shared by a store's writers. */
export interface WriterStatements {
  insertChunk: Database.Statement;
  addMessages: Database.Statement;
  insertSeries: Database.Statement;
  insertSeriesChunk: Database.Statement;
  updateSeries: Database.Statement;
  insertTrace: Database.Statement;
  addTrace: Database.Statement;
  insertFlow: Database.Statement;
  deleteFlows: Database.Statement;
  insertFlowStats: Database.Statement;
  endRun: Database.Statement;
  startRun: Database.Statement;
}

/** Prepares the writer statements on `db`. */
export function prepareWriterStatements(db: Database.Database): WriterStatements {
  return {
    insertChunk: db.prepare('INSERT INTO msg_chunks (run_id, flow_idx, seq, n, send_ns, deliver_ns, bytes, copies, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    addMessages: db.prepare('UPDATE runs SET messages = messages + ? WHERE id = ?'),
    insertSeries: db.prepare('INSERT INTO series (run_id, key) VALUES (?, ?)'),
    insertSeriesChunk: db.prepare('INSERT INTO series_chunks (series_id, seq, n, t_first, t_last, times, vals) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    updateSeries: db.prepare(
      'UPDATE series SET points = points + ?, t_min = min(coalesce(t_min, ?), ?), t_max = max(coalesce(t_max, ?), ?), v_min = min(coalesce(v_min, ?), ?), v_max = max(coalesce(v_max, ?), ?) WHERE id = ?',
    ),
    insertTrace: db.prepare('INSERT INTO trace_chunks (run_id, seq, first_event, n, t_first, t_last, times, cols) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    addTrace: db.prepare('UPDATE runs SET trace_events = trace_events + ?, trace_dropped = ? WHERE id = ?'),
    insertFlow: db.prepare('INSERT INTO run_flows (run_id, idx, flow_id, name) VALUES (?, ?, ?, ?)'),
    deleteFlows: db.prepare('DELETE FROM run_flows WHERE run_id = ?'),
    insertFlowStats: db.prepare(
      'INSERT OR REPLACE INTO flow_stats (run_id, idx, sent, delivered, outcomes_json, copies, bytes, latency_sum, latency_sorted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    endRun: db.prepare(
      "UPDATE runs SET status = ?, finished_at = ?, wall_ms = ?, events = ?, sim_time_ns = ?, summary_json = ?, error = ? WHERE id = ? AND status IN ('queued', 'running')",
    ),
    startRun: db.prepare("UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'"),
  };
}

function checkBatch(b: MessageBatch, flowLimit: number): number {
  const n = b.flow.length;
  if (b.sendNs.length !== n || b.deliverNs.length !== n || b.bytes.length !== n || b.copies.length !== n || b.outcome.length !== n) {
    throw new StoreError('invalid', `message batch: columns differ in length (flow ${n}, sendNs ${b.sendNs.length}, deliverNs ${b.deliverNs.length}, bytes ${b.bytes.length}, copies ${b.copies.length}, outcome ${b.outcome.length})`);
  }
  for (let i = 0; i < n; i++) {
    if (b.flow[i]! >= flowLimit) throw new StoreError('invalid', `message batch: flow index ${b.flow[i]} at row ${i} exceeds ${flowLimit - 1}`);
  }
  return n;
}

/**
 * Streams one run into the store. Not thread-safe; one writer per run. After `finish`, `fail`, `cancel` (or the
 * store closing: `interrupted`) every method throws `StoreError('closed')`.
 */
export class RunWriter {
  readonly runId: RunId;
  private flows: (FlowBuffer | undefined)[] = [];
  private flowTable: FlowRef[];
  private ready: FullChunk[] = [];
  private pool: Columns[] = [];
  private series = new Map<string, SeriesBuffer>();
  private readySeries: { buf: SeriesBuffer; seq: number; n: number; times: Float64Array; vals: Float64Array }[] = [];
  private traceT: number[] = [];
  private traceKernel: string[] = [];
  private traceProcess: (string | null)[] = [];
  private traceKind: string[] = [];
  private traceDetail: string[] = [];
  private traceSeq = 0;
  private traceChunkSeq = 0;
  private traceDropped = 0;
  /** Trace points kept so far: faults (FAULT_TRACE_KINDS, up to MAX_FAULT_TRACE) and the others (up to `maxTrace`). */
  private faultTraceKept = 0;
  private otherTraceKept = 0;
  private committedMessages = 0;
  private bufferedMessages = 0;
  private status: RunStatus;
  private readonly writeTx: () => void;

  /** @internal Created by `RunStore.beginRun`. */
  constructor(
    private readonly db: Database.Database,
    private readonly st: WriterStatements,
    runId: RunId,
    flowTable: FlowRef[],
    status: RunStatus,
    private readonly maxTrace: number,
    private readonly onClose: (w: RunWriter) => void,
  ) {
    this.runId = runId;
    this.flowTable = flowTable;
    this.status = status;
    const writeTx = db.transaction(() => this.writeReady());
    this.writeTx = () => this.guarded(writeTx);
  }

  /**
   * Runs one write: what SQLite says about the file (damage, a lock held too long, read-only, a full disk) becomes a
   * `StoreError` naming the file (`fileError`); that transaction rolls back, what was committed before stays.
   */
  private guarded<T>(f: () => T): T {
    return guardFile(this.db.name, f, `run ${this.runId} was not recorded in full`);
  }

  /** The run's status as this writer last set it. */
  get currentStatus(): RunStatus {
    return this.status;
  }

  /** True once the run ended (finish, fail, cancel, interrupted). */
  get closed(): boolean {
    return this.status !== 'queued' && this.status !== 'running';
  }

  /** Samples accepted so far, and how many of them are committed to disk. */
  get counts(): { messages: number; committedMessages: number; traceEvents: number; traceDropped: number } {
    return { messages: this.committedMessages + this.bufferedMessages, committedMessages: this.committedMessages, traceEvents: this.traceSeq, traceDropped: this.traceDropped };
  }

  private live(): void {
    if (this.closed) throw new StoreError('closed', `run ${this.runId} is ${this.status}; its writer is closed`);
  }

  /**
   * Replaces the run's flow table (index → id, name) while it runs — for engines that publish their flows after
   * the run began. Committed at once, so an interrupted run keeps correct names. `finish` still applies the
   * summary's flows on top.
   */
  setFlowTable(flows: readonly { id: string; name?: string }[]): void {
    this.live();
    const table = flows.map((f, idx) => ({ idx, id: f.id, name: f.name ?? f.id }));
    if (new Set(table.map((f) => f.id)).size !== table.length) throw new StoreError('invalid', 'flow ids must be unique within a run');
    this.guarded(
      this.db.transaction(() => {
        this.st.deleteFlows.run(this.runId);
        for (const f of table) this.st.insertFlow.run(this.runId, f.idx, f.id, f.name);
      }),
    );
    this.flowTable = table;
  }

  /** Moves a queued run to `running` (no-op if already running). */
  start(): void {
    this.live();
    if (this.status === 'queued') {
      this.guarded(() => this.st.startRun.run(Date.now(), this.runId));
      this.status = 'running';
    }
  }

  private flowBuffer(f: number): FlowBuffer {
    let fb = this.flows[f];
    if (!fb) {
      fb = new FlowBuffer(this.pool.pop() ?? newColumns());
      this.flows[f] = fb;
    }
    return fb;
  }

  /** Adds one batch of message samples (parallel columns, see `MessageBatch`). Writes full chunks at once. */
  addMessages(b: MessageBatch): void {
    this.live();
    const n = checkBatch(b, MAX_FLOWS);
    const { flow, sendNs, deliverNs, bytes, copies, outcome } = b;
    let last = -1;
    let fb: FlowBuffer | undefined;
    for (let i = 0; i < n; i++) {
      const f = flow[i]!;
      if (f !== last) {
        fb = this.flowBuffer(f);
        last = f;
      }
      // The scatter loop only copies; statistics are taken per sealed chunk (tight loops over its columns).
      const buf = fb!;
      const k = buf.len;
      buf.send[k] = sendNs[i]!;
      buf.deliver[k] = deliverNs[i]!;
      buf.bytes[k] = bytes[i]!;
      buf.copies[k] = copies[i]!;
      buf.outcome[k] = outcome[i]!;
      if (k + 1 === MESSAGE_CHUNK) {
        sealStats(buf, MESSAGE_CHUNK);
        this.ready.push({ flow: f, seq: buf.seq++, n: MESSAGE_CHUNK, send: buf.send, deliver: buf.deliver, bytes: buf.bytes, copies: buf.copies, outcome: buf.outcome });
        buf.swap(this.pool.pop() ?? newColumns());
      } else buf.len = k + 1;
    }
    this.bufferedMessages += n;
    if (this.ready.length) this.writeTx();
  }

  /** Adds one message sample (convenience for per-event recorders; batches are faster). */
  addMessage(flow: number, sendNs: number, deliverNs: number, bytes: number, copies: number, outcome: number): void {
    this.addMessages({
      flow: Uint32Array.of(flow),
      sendNs: Float64Array.of(sendNs),
      deliverNs: Float64Array.of(deliverNs),
      bytes: Uint32Array.of(bytes),
      copies: Uint8Array.of(copies),
      outcome: Uint8Array.of(outcome),
    });
  }

  /**
   * Adds one step change of a series (`mpu:<processId>`, `depth:<mechanismId>`, `cpu:<kernelId>`, …). Per series,
   * times are non-decreasing; a point at the same time as the previous one replaces it.
   */
  addSeriesPoint(key: string, timeNs: number, value: number): void {
    this.live();
    let sb = this.series.get(key);
    if (!sb) {
      if (!key || key.length > 200) throw new StoreError('invalid', `series key ${JSON.stringify(key)}: 1–200 characters`);
      sb = new SeriesBuffer(key);
      this.series.set(key, sb);
    }
    this.pushPoint(sb, timeNs, value);
    if (this.readySeries.length) this.writeTx();
  }

  /** Adds many points of one series (same rules as `addSeriesPoint`). */
  addSeries(key: string, timesNs: ArrayLike<number>, values: ArrayLike<number>): void {
    this.live();
    if (timesNs.length !== values.length) throw new StoreError('invalid', `series ${key}: ${timesNs.length} times but ${values.length} values`);
    let sb = this.series.get(key);
    if (!sb) {
      if (!key || key.length > 200) throw new StoreError('invalid', `series key ${JSON.stringify(key)}: 1–200 characters`);
      sb = new SeriesBuffer(key);
      this.series.set(key, sb);
    }
    for (let i = 0; i < timesNs.length; i++) this.pushPoint(sb, timesNs[i]!, values[i]!);
    if (this.readySeries.length) this.writeTx();
  }

  private pushPoint(sb: SeriesBuffer, t: number, v: number): void {
    if (!(t >= sb.lastT)) throw new StoreError('invalid', `series ${sb.key}: time ${t} is before ${sb.lastT} (or not a number)`);
    if (t === sb.lastT && sb.len > 0) {
      sb.vals[sb.len - 1] = v; // same instant: supersede
      return;
    }
    sb.times[sb.len] = t;
    sb.vals[sb.len] = v;
    sb.len++;
    sb.lastT = t;
    if (sb.len === SERIES_CHUNK) {
      this.readySeries.push({ buf: sb, seq: sb.seq++, n: sb.len, times: sb.times, vals: sb.vals });
      sb.times = new Float64Array(SERIES_CHUNK);
      sb.vals = new Float64Array(SERIES_CHUNK);
      sb.len = 0;
    }
  }

  /**
   * Adds one trace event. Beyond the run's cap (default 100,000) events are counted as dropped, not stored; faults
   * have their own cap (MAX_FAULT_TRACE), so the faults of a long run are kept after its other points stop.
   */
  addTrace(timeNs: number, kernelId: string, processId: string | null, kind: string, detail = ''): void {
    this.live();
    const fault = FAULT_TRACE_KINDS.has(kind);
    if (fault ? this.faultTraceKept >= MAX_FAULT_TRACE : this.otherTraceKept >= this.maxTrace) {
      this.traceDropped++;
      return;
    }
    if (fault) this.faultTraceKept++;
    else this.otherTraceKept++;
    this.traceT.push(timeNs);
    this.traceKernel.push(kernelId);
    this.traceProcess.push(processId);
    this.traceKind.push(kind);
    this.traceDetail.push(detail);
    if (this.traceT.length >= TRACE_CHUNK) this.writeTx();
  }

  /** Commits everything buffered (partial chunks included) in one transaction. Call it now and then (e.g. on
   *  progress ticks) to bound what a crash can lose. */
  flush(): void {
    this.live();
    this.stageAll();
    this.writeTx();
  }

  private stageAll(): void {
    this.flows.forEach((buf, f) => {
      if (!buf || buf.len === 0) return;
      const n = buf.len;
      sealStats(buf, n);
      this.ready.push({ flow: f, seq: buf.seq++, n, send: buf.send.slice(0, n), deliver: buf.deliver.slice(0, n), bytes: buf.bytes.slice(0, n), copies: buf.copies.slice(0, n), outcome: buf.outcome.slice(0, n) });
      buf.len = 0;
    });
    for (const sb of this.series.values()) {
      if (sb.len === 0) continue;
      this.readySeries.push({ buf: sb, seq: sb.seq++, n: sb.len, times: sb.times.slice(0, sb.len), vals: sb.vals.slice(0, sb.len) });
      sb.len = 0;
    }
  }

  /** Writes staged chunks, series chunks and buffered trace events; must run inside a transaction. */
  private writeReady(): void {
    const st = this.st;
    let written = 0;
    for (const c of this.ready) {
      const n = c.n;
      st.insertChunk.run(
        this.runId,
        c.flow,
        c.seq,
        n,
        toBlob(c.send.subarray(0, n)),
        toBlob(c.deliver.subarray(0, n)),
        toBlob(c.bytes.subarray(0, n)),
        toBlob(c.copies.subarray(0, n)),
        toBlob(c.outcome.subarray(0, n)),
      );
      written += n;
    }
    if (written) st.addMessages.run(written, this.runId);
    const newIds: SeriesBuffer[] = [];
    try {
      this.writeSeriesAndTrace(newIds);
    } catch (e) {
      for (const sb of newIds) sb.id = null; // their rows roll back with the transaction
      throw e;
    }
    // Only now, inside the transaction that succeeded so far, drop what was written from the buffers.
    const nt = this.traceT.length;
    this.committedMessages += written;
    this.bufferedMessages -= written;
    this.traceSeq += nt;
    this.traceChunkSeq += Math.ceil(nt / TRACE_CHUNK);
    for (const c of this.ready) if (c.n === MESSAGE_CHUNK && c.send.length === MESSAGE_CHUNK && this.pool.length < POOL_MAX) this.pool.push(c);
    this.ready = [];
    this.readySeries = [];
    this.traceT = [];
    this.traceKernel = [];
    this.traceProcess = [];
    this.traceKind = [];
    this.traceDetail = [];
  }

  private writeSeriesAndTrace(newIds: SeriesBuffer[]): void {
    const st = this.st;
    for (const s of this.readySeries) {
      const sb = s.buf;
      if (sb.id === null) {
        sb.id = Number(st.insertSeries.run(this.runId, sb.key).lastInsertRowid);
        newIds.push(sb);
      }
      const times = s.times.subarray(0, s.n);
      const vals = s.vals.subarray(0, s.n);
      let vmin = Infinity;
      let vmax = -Infinity;
      for (let i = 0; i < vals.length; i++) {
        const v = vals[i]!;
        if (v < vmin) vmin = v;
        if (v > vmax) vmax = v;
      }
      const t0 = times[0]!;
      const t1 = times[s.n - 1]!;
      st.insertSeriesChunk.run(sb.id, s.seq, s.n, t0, t1, toBlob(times), toBlob(vals));
      st.updateSeries.run(s.n, t0, t0, t1, t1, vmin, vmin, vmax, vmax, sb.id);
    }
    const nt = this.traceT.length;
    if (nt || this.traceDropped) {
      for (let start = 0; start < nt; start += TRACE_CHUNK) {
        const end = Math.min(nt, start + TRACE_CHUNK);
        const times = Float64Array.from(this.traceT.slice(start, end));
        let t0 = Infinity;
        let t1 = -Infinity;
        for (const t of times) {
          if (t < t0) t0 = t;
          if (t > t1) t1 = t;
        }
        const dict: string[] = [];
        const index = new Map<string, number>();
        const code = (x: string): number => {
          let i = index.get(x);
          if (i === undefined) {
            i = dict.length;
            dict.push(x);
            index.set(x, i);
          }
          return i;
        };
        const cols = {
          kernel: this.traceKernel.slice(start, end).map(code),
          process: this.traceProcess.slice(start, end).map((p) => (p === null ? -1 : code(p))),
          kind: this.traceKind.slice(start, end).map(code),
          detail: this.traceDetail.slice(start, end),
          dict,
        };
        st.insertTrace.run(this.runId, this.traceChunkSeq + start / TRACE_CHUNK, this.traceSeq + start, end - start, t0, t1, toBlob(times), JSON.stringify(cols));
      }
      st.addTrace.run(nt, this.traceDropped, this.runId);
    }
  }

  /** The run completed: stores the summary (its `runId`, `wallMs` and `events` set from this run) → `done`. */
  finish(summary: RunSummary, info: { wallMs: number; events: number }): void {
    this.end('done', null, { ...info, summary });
  }

  /** The run failed (engine error): keeps what was recorded, stores the error text → `failed`. */
  fail(error: unknown, info: RunEndInfo = {}): void {
    const text = error instanceof Error ? error.message : String(error);
    this.end('failed', text || 'failed', info);
  }

  /** The user cancelled: keeps what was recorded → `cancelled`. */
  cancel(info: RunEndInfo = {}): void {
    this.end('cancelled', null, info);
  }

  /** @internal The store is closing with this run unfinished → `interrupted` (data so far kept). */
  interrupt(reason: string): void {
    if (this.closed) return;
    this.end('interrupted', reason, {});
  }

  private end(status: RunStatus, error: string | null, info: RunEndInfo): void {
    this.live();
    this.stageAll();
    // CPU work outside the write lock: sort each flow's latencies.
    const sorted = this.flows.map((fb) => (fb ? sortedFloat64(fb.latencies.view()) : undefined));
    let summaryJson: string | null = null;
    let simTimeNs: number | null = null;
    const events = info.events ?? info.summary?.events ?? null;
    const wallMs = info.wallMs ?? info.summary?.wallMs ?? null;
    if (info.summary) {
      const s: RunSummary = { ...info.summary, runId: String(this.runId), ...(wallMs !== null ? { wallMs } : {}), ...(events !== null ? { events } : {}) };
      summaryJson = JSON.stringify(s);
      simTimeNs = Number.isFinite(s.simTimeNs) ? s.simTimeNs : null;
    }
    const flows = info.summary ? this.mergeFlowTable(info.summary) : this.flowTableWithUsed();
    const tx = this.db.transaction(() => {
      this.writeReady();
      this.st.deleteFlows.run(this.runId);
      for (const f of flows) this.st.insertFlow.run(this.runId, f.idx, f.id, f.name);
      this.flows.forEach((fb, f) => {
        if (!fb) return;
        const lat = sorted[f]!;
        const outcomes: Record<string, number> = {};
        fb.outcomes.forEach((c, code) => {
          if (c) outcomes[code] = c;
        });
        this.st.insertFlowStats.run(this.runId, f, fb.sent, lat.length, JSON.stringify(outcomes), fb.copiesSum, fb.bytesSum, fb.latencySum, toBlob(lat));
      });
      const changed = this.st.endRun.run(status, Date.now(), wallMs, events, simTimeNs, summaryJson, error, this.runId).changes;
      if (!changed) throw new StoreError('closed', `run ${this.runId} was already ended by another process (marked interrupted)`);
    });
    try {
      this.guarded(tx);
    } catch (e) {
      if (e instanceof StoreError && e.code === 'closed') {
        // Someone decided this writer was dead (e.g. its lease was lost): stop writing for good.
        this.closeAs('interrupted');
      } else if (e instanceof StoreError) {
        // The run's data could not be written (damage in a table of samples, a full disk, a lock held too long). Its
        // end is still recorded, on its own in one small row, so that it does not stay `running`: a run left so reads
        // as an unclean shutdown at the next open, whose full check would then refuse the whole history for damage
        // that a clean open leaves to the queries reading it. A run meant to be done has failed.
        const why = e.message;
        try {
          this.st.endRun.run(status === 'done' ? 'failed' : status, Date.now(), wallMs, events, simTimeNs, null, error ? `${error}; ${why}` : why, this.runId);
          this.closeAs(status === 'done' ? 'failed' : status);
        } catch {
          // The file takes not even that: the run stays as it was, and the next open marks it interrupted.
        }
      }
      throw e;
    }
    this.closeAs(status);
  }

  /** This writer is done: its status as recorded, its buffers dropped, the store told. */
  private closeAs(status: RunStatus): void {
    this.status = status;
    this.flows = [];
    this.series.clear();
    this.onClose(this);
  }

  private flowTableWithUsed(): FlowRef[] {
    const out = this.flowTable.slice();
    this.flows.forEach((fb, f) => {
      if (fb && !out[f]) out[f] = { idx: f, id: `#${f}`, name: `flow #${f}` };
    });
    return out.filter((x): x is FlowRef => x !== undefined);
  }

  private mergeFlowTable(summary: RunSummary): FlowRef[] {
    const out = this.flowTableWithUsed();
    const byIdx = new Map(out.map((f) => [f.idx, f]));
    summary.flows.forEach((f, idx) => byIdx.set(idx, { idx, id: f.id, name: f.name }));
    const ids = new Set<string>();
    return [...byIdx.values()]
      .sort((a, b) => a.idx - b.idx)
      .map((f) => {
        // Ids must stay unique (PRIMARY KEY is the index, but lookups go by id): suffix duplicates.
        const id = ids.has(f.id) ? `${f.id}#${f.idx}` : f.id;
        ids.add(id);
        return { ...f, id };
      });
  }
}
