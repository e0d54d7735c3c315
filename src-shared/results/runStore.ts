// Public types of the run store. They are plain data (no Node types) so the API contract and the renderer can
// `import type` them; query results are small by construction (N bins, N points, N buckets).
import type { Design } from '../model/design';
import type { DesignDiff } from '../model/diff';
import { OUTCOME_NAMES, Outcome } from './outcome';
import type { RunSummary } from './summary';

/** A run's integer id (SQLite rowid, never reused: AUTOINCREMENT). The summary's `runId` is its decimal string. */
export type RunId = number;

/** Life cycle of a run. `queued → running → done | failed | cancelled`; `interrupted` = its writer died. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'];

/** Default names of the outcome codes (index = code): the shared `Outcome` contract (src-shared/results/outcome). */
export const DEFAULT_OUTCOME_NAMES: readonly string[] = OUTCOME_NAMES;

/**
 * Outcome codes whose samples count as delivered (latency statistics, CDF, histogram): `delivered` and
 * `truncated` (it reached the receiver). Invariant: a sample counts only if its `deliverNs` is a number too.
 */
export const DELIVERED_OUTCOMES: readonly number[] = [Outcome.delivered, Outcome.truncated];

/** Outcome codes that count as lost in comparisons (`drops`): dropped, overwritten, timed out, failed. */
export const LOST_OUTCOMES: readonly number[] = [Outcome.dropped, Outcome.overwritten, Outcome.timedOut, Outcome.failed];

/**
 * Trace kinds that mark faults (every time chart marks them). A run records up to MAX_FAULT_TRACE of them besides its
 * cap on the other trace points, which a long run fills early: its faults are marked to its end.
 */
export const FAULT_TRACE_KINDS: ReadonlySet<string> = new Set(['crash', 'restart', 'kernelFailed', 'linkDown', 'linkUp']);
export const MAX_FAULT_TRACE = 10_000;

/**
 * One batch of message samples, as parallel arrays of equal length (the engine → store contract). `flow` indexes
 * the run's flow table (= the summary's `flows`), `deliverNs` is NaN when not delivered, `outcome` an `Outcome` code (0–255).
 */
export interface MessageBatch {
  flow: Uint32Array;
  sendNs: Float64Array;
  deliverNs: Float64Array;
  bytes: Uint32Array;
  copies: Uint8Array;
  outcome: Uint8Array;
}

/** A flow of a run's flow table: index = position. Invariant: ids unique within a run. */
export interface FlowRef {
  idx: number;
  id: string;
  name: string;
}

/** What `RunStore.beginRun` needs. The design is snapshotted (content-addressed) before the run starts. */
export interface BeginRunInit {
  design: Design;
  /** If given, must equal `designHash(design)` (a mismatch is a caller bug and throws). */
  designHash?: string;
  seed: number;
  engineVersion: string;
  /** Run settings as the runner used them (duration, warm-up, …); stored as JSON. */
  settings?: Record<string, unknown>;
  /** Flow table (index → id, name) that `MessageBatch.flow` refers to. Default: `deriveFlows(design)`.
   *  Replaced by the summary's `flows` at `finish`. */
  flows?: readonly { id: string; name?: string }[];
  /** Names of outcome codes (index = code); default `DEFAULT_OUTCOME_NAMES`. */
  outcomeNames?: readonly string[];
  /** Free text shown in the run list and matched by the text search. */
  label?: string;
  /** Insert as `queued`; `RunWriter.start()` moves it to `running`. Default: insert as `running`. */
  queued?: boolean;
  /** Cap on stored trace events (default 100,000); further events are only counted. */
  maxTraceEvents?: number;
  /** Writer process id, recorded for diagnostics (default `process.pid`). Liveness uses the store's lease. */
  pid?: number;
}

/** The run list's filter. Every field optional; results newest first. */
export interface RunQuery {
  /** Substring of the design name (case-insensitive). */
  designName?: string;
  /** A design hash or a prefix of one (≥ 4 hex digits). */
  designHash?: string;
  status?: RunStatus | readonly RunStatus[];
  seed?: number;
  /** Text search over design name, label, engine version, error text and the id. */
  text?: string;
  /** Default 50, at most 1,000. */
  limit?: number;
  offset?: number;
}

/** One line of the run list (no summary, no design: small). */
export interface RunListItem {
  id: RunId;
  status: RunStatus;
  designName: string;
  designHash: string;
  label: string | null;
  seed: number;
  engineVersion: string;
  /** Wall-clock epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  wallMs: number | null;
  events: number | null;
  simTimeNs: number | null;
  /** Message samples committed. */
  messages: number;
  flows: number;
  error: string | null;
}

/** A page of the run list. */
export interface RunListPage {
  total: number;
  items: RunListItem[];
}

/** Per-flow statistics computed from the message samples (exact; nearest-rank quantiles). */
export interface FlowStats {
  idx: number;
  id: string;
  name: string;
  sent: number;
  delivered: number;
  /** Count per outcome code (index = code). */
  outcomes: number[];
  copies: number;
  bytes: number;
  latencyNs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number } | null;
}

/** One run in full: the list line plus settings, summary (null until done) and flows. */
export interface RunRecord extends RunListItem {
  settings: Record<string, unknown>;
  summary: RunSummary | null;
  flowTable: FlowRef[];
  outcomeNames: string[];
  traceEvents: number;
  traceDropped: number;
  ownerPid: number | null;
  ownerHost: string | null;
}

/** A latency histogram: `counts[i]` samples in [edges[i], edges[i+1]) (the last bin includes its upper edge). */
export interface LatencyHistogram {
  runId: RunId;
  flow: FlowRef;
  /** Delivered samples counted. */
  samples: number;
  edgesNs: number[];
  counts: number[];
}

/** The empirical CDF at ≤ N points: `fraction[i]` = share of delivered samples ≤ `latencyNs[i]`. */
export interface LatencyCdf {
  runId: RunId;
  flow: FlowRef;
  samples: number;
  latencyNs: number[];
  fraction: number[];
}

/**
 * A series (piecewise-constant, step changes) in `buckets` equal time buckets over [fromNs, toNs): per bucket,
 * the min and max of every value that held in it (including the value carried in from before), its time-weighted
 * mean, and the value at its end. `null` where the series had no value yet.
 */
export interface DownsampledSeries {
  runId: RunId;
  key: string;
  fromNs: number;
  toNs: number;
  /** Raw points in the range (before downsampling). */
  points: number;
  /** Bucket start times; bucket i is [t[i], t[i] + bucketNs). */
  t: number[];
  bucketNs: number;
  min: (number | null)[];
  max: (number | null)[];
  mean: (number | null)[];
  last: (number | null)[];
}

/** A stored series (no points). */
export interface SeriesInfo {
  key: string;
  points: number;
  tMinNs: number | null;
  tMaxNs: number | null;
  vMin: number | null;
  vMax: number | null;
}

/** Latency over (delivery) time: per time bucket, min/max/mean latency and the count of delivered samples. */
export interface LatencyOverTime {
  runId: RunId;
  flow: FlowRef;
  fromNs: number;
  toNs: number;
  bucketNs: number;
  t: number[];
  count: number[];
  min: (number | null)[];
  max: (number | null)[];
  mean: (number | null)[];
}

/** One stored trace event. */
export interface TraceEvent {
  seq: number;
  timeNs: number;
  kernelId: string;
  processId: string | null;
  kind: string;
  detail: string;
}

/** The trace filter. Results in time order. */
export interface TraceQuery {
  fromNs?: number;
  toNs?: number;
  kernelId?: string;
  kind?: string;
  /** Default 5,000, at most 100,000. */
  limit?: number;
}

/** Flow metrics compared across runs (from the stored summary; from the samples when a run has none). */
export interface FlowMetrics {
  name: string;
  mechanism: string;
  p50: number | null;
  p99: number | null;
  copiesPerMessage: number | null;
  /** Lost messages: dropped + overwritten + timedOut + failed. */
  drops: number;
  sent: number;
  delivered: number;
  /** Delivered but cut to the mechanism's or the receiver's largest message (counted in delivered). */
  truncated: number;
}

/** Process metrics compared across runs. */
export interface ProcessMetrics {
  name: string;
  mpuRegionsPeak: number;
  mpuRegionsCapacity: number;
  mpuMapFailures: number;
  restarts: number;
}

/** Mechanism metrics compared across runs. */
export interface MechanismMetrics {
  name: string;
  kind: string;
  copies: number;
  maxDepth: number;
  /** What the mechanism discarded itself (full, overwritten): the summary's `drops`. */
  drops: number;
  /** Messages of the flows it carries that never arrived (dropped, overwritten, timed out, failed: `mechanismLoss`). */
  lost: number;
}

/** Kernel metrics compared across runs. */
export interface KernelMetrics {
  name: string;
  cpuUtilization: number;
  contextSwitches: number;
}

/** A numeric delta map: same keys as the metrics, each `value(run) − value(baseline)`, null if either is null. */
export type Deltas<M> = { [K in keyof M as M[K] extends number | null ? K : never]: number | null };

/**
 * One compared entity (flow, process, mechanism, kernel) across runs, matched by id. `values[i]` belongs to
 * `runs[i]` (null when that run lacks the entity); `deltas[i]` is run i minus the baseline (run 0), null when
 * either side lacks it; `deltas[0]` is all zeros when the baseline has it.
 */
export interface ComparedRow<M> {
  id: string;
  values: (M | null)[];
  deltas: (Deltas<M> | null)[];
}

/** A comparison of N ≥ 2 runs; run 0 is the baseline. */
export interface RunComparison {
  runs: RunListItem[];
  flows: ComparedRow<FlowMetrics>[];
  processes: ComparedRow<ProcessMetrics>[];
  mechanisms: ComparedRow<MechanismMetrics>[];
  kernels: ComparedRow<KernelMetrics>[];
  /** `designDiffs[i]`: baseline's design → run i's design (`designDiffs[0]` is identical). */
  designDiffs: DesignDiff[];
}
