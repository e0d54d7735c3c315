// The run store: one SQLite file (WAL) holding designs (content-addressed), runs and their recordings.
// Repositories are methods here; chart queries live in queries.ts, comparison in compare.ts, exports in
// exportRun.ts. Everything returned is plain, small, serialisable data.
import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Design } from '../../src-shared/model/design';
import { diffDesigns, type DesignDiff, type DiffOptions } from '../../src-shared/model/diff';
import { deriveFlows } from '../../src-shared/model/flows';
import type { RunSummary } from '../../src-shared/results/summary';
import { compareInputs } from './compare';
import { StoreError, guardFile, guardIterable } from './errors';
import { messagesCsv, flowsCsv, runJson, type CsvRows } from './exportRun';
import { canonicalJson, designHash, designSnapshot } from './hash';
import { Lease } from './lease';
import { openDatabase, type OpenDbOptions, type OpenReport } from './open';
import * as q from './queries';
import { DEFAULT_OUTCOME_NAMES, RUN_STATUSES } from './types';
import type {
  BeginRunInit,
  DownsampledSeries,
  FlowRef,
  FlowStats,
  LatencyCdf,
  LatencyHistogram,
  LatencyOverTime,
  RunComparison,
  RunId,
  RunListItem,
  RunListPage,
  RunQuery,
  RunRecord,
  RunStatus,
  SeriesInfo,
  TraceEvent,
  TraceQuery,
} from './types';
import { DEFAULT_MAX_TRACE_EVENTS, RunWriter, prepareWriterStatements, type WriterStatements } from './writer';

/** Options of `RunStore.open`. */
export type RunStoreOptions = OpenDbOptions;

type RunRow = {
  id: number;
  status: RunStatus;
  design_name: string;
  design_hash: string;
  label: string | null;
  seed: number;
  engine_version: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  wall_ms: number | null;
  events: number | null;
  sim_time_ns: number | null;
  messages: number;
  flows: number;
  error: string | null;
};

const LIST_COLUMNS = `r.id, r.status, d.name AS design_name, r.design_hash, r.label, r.seed, r.engine_version, r.created_at, r.started_at,
  r.finished_at, r.wall_ms, r.events, r.sim_time_ns, r.messages, (SELECT count(*) FROM run_flows f WHERE f.run_id = r.id) AS flows, r.error`;

function listItem(r: RunRow): RunListItem {
  return {
    id: r.id,
    status: r.status,
    designName: r.design_name,
    designHash: r.design_hash,
    label: r.label,
    seed: r.seed,
    engineVersion: r.engine_version,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    wallMs: r.wall_ms,
    events: r.events,
    simTimeNs: r.sim_time_ns,
    messages: r.messages,
    flows: r.flows,
    error: r.error,
  };
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The run store. Open with `RunStore.open(file)`; one instance per file per process is the normal use (several
 * processes may share a file: WAL readers never block, writers queue on the busy timeout).
 */
export class RunStore {
  readonly file: string;
  /** What opening found and did (created, migrations, runs marked interrupted, integrity check). */
  readonly openReport: OpenReport;
  private readonly db: Database.Database;
  private st: WriterStatements | null = null;
  private lease: Lease | null = null;
  private readonly writers = new Set<RunWriter>();
  private isOpen = true;

  private constructor(file: string, db: Database.Database, report: OpenReport) {
    this.file = file;
    this.db = db;
    this.openReport = report;
  }

  /**
   * Opens or creates the run database at `file`. Refuses (StoreError, file untouched) a file that is not SQLite,
   * belongs to another application, was written by a newer version, or is damaged.
   */
  static open(file: string, opts: RunStoreOptions = {}): RunStore {
    const abs = resolve(file);
    const { db, report } = openDatabase(abs, opts);
    return new RunStore(abs, db, report);
  }

  /** @internal The connection, for tests and the benchmark. */
  get database(): Database.Database {
    return this.db;
  }

  private live(): void {
    if (!this.isOpen) throw new StoreError('closed', `${this.file}: the run store is closed`);
  }

  /**
   * Runs one request on the connection: what SQLite says about the file in it — damage (a page past the ones checked
   * at open), a lock held by another process, a read-only file, a full disk — becomes a `StoreError` naming the file
   * (`fileError`), worded as the refusals at open. A failed read, or a write whose transaction rolled back, leaves
   * the file as it was.
   */
  private guarded<T>(f: () => T): T {
    this.live();
    return guardFile(this.file, f);
  }

  /** Stores a design snapshot (idempotent) and returns its hash. */
  putDesign(design: Design): string {
    return this.guarded(() => {
      const hash = designHash(design);
      this.db.prepare('INSERT OR IGNORE INTO designs (hash, name, json, created_at) VALUES (?, ?, ?, ?)').run(hash, design.name, canonicalJson(designSnapshot(design)), Date.now());
      return hash;
    });
  }

  /** A stored design by hash (as snapshotted: without `ui`). */
  getDesignByHash(hash: string): Design {
    return this.guarded(() => {
      const row = this.db.prepare('SELECT json FROM designs WHERE hash = ?').get(hash) as { json: string } | undefined;
      if (!row) throw new StoreError('not-found', `no design ${hash}`);
      return JSON.parse(row.json) as Design;
    });
  }

  /**
   * Begins a run: snapshots the design, inserts the run (`running`, or `queued`) with its flow table and the
   * owner's pid, host and lease, and returns its writer.
   */
  beginRun(init: BeginRunInit): RunWriter {
    return this.guarded(() => {
      if (!Number.isInteger(init.seed) || init.seed < 0) throw new StoreError('invalid', `seed must be a non-negative integer, not ${init.seed}`);
      if (!init.engineVersion) throw new StoreError('invalid', 'engineVersion is required');
      const hash = designHash(init.design);
      if (init.designHash !== undefined && init.designHash !== hash) {
        throw new StoreError('invalid', `designHash ${init.designHash} does not match the design (sha256 of its canonical JSON is ${hash})`);
      }
      const flowDefs = init.flows ?? safeDeriveFlows(init.design);
      const flows: FlowRef[] = flowDefs.map((f, idx) => ({ idx, id: f.id, name: f.name ?? f.id }));
      if (new Set(flows.map((f) => f.id)).size !== flows.length) throw new StoreError('invalid', 'flow ids must be unique within a run');
      this.lease ??= Lease.acquire(this.file);
      this.st ??= prepareWriterStatements(this.db);
      const now = Date.now();
      const status: RunStatus = init.queued ? 'queued' : 'running';
      const json = canonicalJson(designSnapshot(init.design));
      const runId = this.db.transaction(() => {
        this.db.prepare('INSERT OR IGNORE INTO designs (hash, name, json, created_at) VALUES (?, ?, ?, ?)').run(hash, init.design.name, json, now);
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO runs (design_hash, label, seed, engine_version, settings_json, outcome_names_json, status, created_at, started_at, owner_pid, owner_host, owner_token, owner_lease)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(hash, init.label ?? null, init.seed, init.engineVersion, JSON.stringify(init.settings ?? {}), JSON.stringify(init.outcomeNames ?? DEFAULT_OUTCOME_NAMES), status, now, status === 'running' ? now : null, init.pid ?? process.pid, hostname(), this.lease!.token, this.lease!.file)
            .lastInsertRowid,
        );
        for (const f of flows) this.st!.insertFlow.run(id, f.idx, f.id, f.name);
        return id;
      })();
      const w = new RunWriter(this.db, this.st, runId, flows, status, Math.max(0, Math.floor(init.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS)), (done) => this.writers.delete(done));
      this.writers.add(w);
      return w;
    });
  }

  /** The run list, newest first, filtered; `total` counts all matches (for paging). */
  listRuns(query: RunQuery = {}): RunListPage {
    return this.guarded(() => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.designName) {
        where.push("d.name LIKE ? ESCAPE '\\'");
        params.push(`%${likeEscape(query.designName)}%`);
      }
      if (query.designHash) {
        if (!/^[0-9a-f]{4,64}$/i.test(query.designHash)) throw new StoreError('invalid', `design hash ${JSON.stringify(query.designHash)}: 4–64 hex digits`);
        where.push('r.design_hash LIKE ?');
        params.push(`${query.designHash.toLowerCase()}%`);
      }
      if (query.status !== undefined) {
        const statuses = (typeof query.status === 'string' ? [query.status] : [...query.status]) as RunStatus[];
        for (const s of statuses) if (!RUN_STATUSES.includes(s)) throw new StoreError('invalid', `unknown status ${JSON.stringify(s)} (known: ${RUN_STATUSES.join(', ')})`);
        where.push(`r.status IN (${statuses.map(() => '?').join(', ') || "''"})`);
        params.push(...statuses);
      }
      if (query.seed !== undefined) {
        where.push('r.seed = ?');
        params.push(query.seed);
      }
      if (query.text) {
        const like = `%${likeEscape(query.text)}%`;
        where.push("(d.name LIKE ? ESCAPE '\\' OR r.label LIKE ? ESCAPE '\\' OR r.engine_version LIKE ? ESCAPE '\\' OR r.error LIKE ? ESCAPE '\\' OR CAST(r.id AS TEXT) = ? OR r.design_hash LIKE ?)");
        params.push(like, like, like, like, query.text.trim(), `${likeEscape(query.text.trim().toLowerCase())}%`);
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const limit = Math.min(1000, Math.max(1, Math.floor(query.limit ?? 50)));
      const offset = Math.max(0, Math.floor(query.offset ?? 0));
      const total = this.db.prepare(`SELECT count(*) FROM runs r JOIN designs d ON d.hash = r.design_hash ${w}`).pluck().get(...params) as number;
      const rows = this.db.prepare(`SELECT ${LIST_COLUMNS} FROM runs r JOIN designs d ON d.hash = r.design_hash ${w} ORDER BY r.id DESC LIMIT ? OFFSET ?`).all(...params, limit, offset) as RunRow[];
      return { total, items: rows.map(listItem) };
    });
  }

  /** One run in full, or null. */
  findRun(id: RunId): RunRecord | null {
    return this.guarded(() => {
      const r = this.db
        .prepare(
          `SELECT ${LIST_COLUMNS}, r.settings_json, r.summary_json, r.outcome_names_json, r.trace_events, r.trace_dropped, r.owner_pid, r.owner_host
           FROM runs r JOIN designs d ON d.hash = r.design_hash WHERE r.id = ?`,
        )
        .get(id) as (RunRow & { settings_json: string; summary_json: string | null; outcome_names_json: string; trace_events: number; trace_dropped: number; owner_pid: number | null; owner_host: string | null }) | undefined;
      if (!r) return null;
      return {
        ...listItem(r),
        settings: JSON.parse(r.settings_json) as Record<string, unknown>,
        summary: r.summary_json ? (JSON.parse(r.summary_json) as RunSummary) : null,
        flowTable: q.flowTable(this.db, id),
        outcomeNames: JSON.parse(r.outcome_names_json) as string[],
        traceEvents: r.trace_events,
        traceDropped: r.trace_dropped,
        ownerPid: r.owner_pid,
        ownerHost: r.owner_host,
      };
    });
  }

  /** One run in full; `StoreError('not-found')` if there is none. */
  getRun(id: RunId): RunRecord {
    const r = this.findRun(id);
    if (!r) throw new StoreError('not-found', `no run ${id} in ${this.file}`);
    return r;
  }

  /** A run's stored summary (null until it is done, or for runs that ended without one). */
  getSummary(id: RunId): RunSummary | null {
    return this.guarded(() => {
      const row = this.db.prepare('SELECT summary_json FROM runs WHERE id = ?').get(id) as { summary_json: string | null } | undefined;
      if (!row) throw new StoreError('not-found', `no run ${id} in ${this.file}`);
      return row.summary_json ? (JSON.parse(row.summary_json) as RunSummary) : null;
    });
  }

  /**
   * The design a run ran: its snapshot, with the `run` block (seed, duration, warm-up) the run was really run with
   * — a `run --seed/--duration` or a re-run is not the snapshot's own. So "what changed" between runs (compare, the
   * report, `runs compare`) and a run's JSON export tell the truth, for runs already recorded too. The snapshot as
   * stored, which its hash (`designHash`) addresses, is `getDesignByHash`.
   */
  getDesign(id: RunId): Design {
    return this.guarded(() => {
      const row = this.db.prepare('SELECT d.json, r.seed, r.settings_json FROM runs r JOIN designs d ON d.hash = r.design_hash WHERE r.id = ?').get(id) as { json: string; seed: number; settings_json: string } | undefined;
      if (!row) throw new StoreError('not-found', `no run ${id} in ${this.file}`);
      return withRunSettings(JSON.parse(row.json) as Design, row.seed, row.settings_json);
    });
  }

  /** Per-flow statistics from the samples. */
  flowStats(id: RunId): FlowStats[] {
    return this.guarded(() => q.flowStats(this.db, id));
  }

  /** Latency histogram of one flow (by id or index) in `bins` bins. */
  latencyHistogram(id: RunId, flow: string | number, bins: number, range?: { fromNs?: number; toNs?: number }): LatencyHistogram {
    return this.guarded(() => q.latencyHistogram(this.db, id, flow, bins, range));
  }

  /** Latency CDF of one flow at ≤ `points` points. */
  latencyCdf(id: RunId, flow: string | number, points: number): LatencyCdf {
    return this.guarded(() => q.latencyCdf(this.db, id, flow, points));
  }

  /** Latency over time of one flow in `buckets` buckets. */
  latencyOverTime(id: RunId, flow: string | number, buckets: number, range?: { fromNs?: number; toNs?: number }): LatencyOverTime {
    return this.guarded(() => q.latencyOverTime(this.db, id, flow, buckets, range));
  }

  /** The series of a run (keys and extents). */
  listSeries(id: RunId): SeriesInfo[] {
    return this.guarded(() => q.listSeries(this.db, id));
  }

  /** One series downsampled to `buckets` min/max/mean/last buckets. */
  series(id: RunId, key: string, buckets: number, range?: { fromNs?: number; toNs?: number }): DownsampledSeries {
    return this.guarded(() => q.downsampleSeries(this.db, id, key, buckets, range));
  }

  /** Trace events of a run. */
  trace(id: RunId, query?: TraceQuery): TraceEvent[] {
    return this.guarded(() => q.traceEvents(this.db, id, query));
  }

  /** What changed in the design from run `a` to run `b`. */
  designDiff(a: RunId, b: RunId, opts?: DiffOptions): DesignDiff {
    return diffDesigns(this.getDesign(a), this.getDesign(b), opts);
  }

  /** Compares N ≥ 2 runs (run 0 is the baseline): per-flow/process/mechanism/kernel deltas and design diffs. */
  compareRuns(ids: readonly RunId[]): RunComparison {
    return this.guarded(() => {
      if (ids.length < 2) throw new StoreError('invalid', 'compare needs at least two runs');
      const runs = ids.map((id) => this.getRun(id));
      const designs = ids.map((id) => this.getDesign(id));
      const rows = compareInputs(runs.map((r) => ({ summary: r.summary, flowStats: r.summary ? [] : q.flowStats(this.db, r.id) })));
      const list = runs.map(({ settings: _s, summary: _su, flowTable: _f, outcomeNames: _o, traceEvents: _t, traceDropped: _d, ownerPid: _p, ownerHost: _h, ...item }) => item);
      return { runs: list, ...rows, designDiffs: designs.map((d) => diffDesigns(designs[0]!, d)) };
    });
  }

  /** A CSV export as text pieces (stream them). */
  exportCsv(id: RunId, rows: CsvRows = 'messages'): Iterable<string> {
    const run = this.getRun(id);
    if (rows === 'flows') return [this.guarded(() => flowsCsv(run, q.flowStats(this.db, id)))];
    return guardIterable(this.file, messagesCsv(this.db, run));
  }

  /** The JSON export object of a run. */
  exportJson(id: RunId): Record<string, unknown> {
    const run = this.getRun(id);
    const design = this.getDesign(id);
    return this.guarded(() => runJson(this.db, run, design));
  }

  /** Deletes a run and its recordings (and its design if no other run uses it). Refuses a run being written. */
  deleteRun(id: RunId): boolean {
    return this.guarded(() => {
      const run = this.findRun(id);
      if (!run) return false;
      if (run.status === 'running' || run.status === 'queued') throw new StoreError('invalid', `run ${id} is ${run.status}; cancel it before deleting it`);
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
        this.db.prepare('DELETE FROM designs WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM runs WHERE design_hash = designs.hash)').run(run.designHash);
      })();
      return true;
    });
  }

  /** Runs `PRAGMA quick_check` (for a "check database" command); 'ok' or the problems found. */
  quickCheck(): string[] {
    return this.guarded(() => this.db.prepare('PRAGMA quick_check').pluck().all() as string[]);
  }

  /**
   * Closes the store. Runs still being written by this store become `interrupted` (what they recorded is kept),
   * the lease is released, and SQLite checkpoints the WAL. Idempotent.
   */
  close(): void {
    if (!this.isOpen) return;
    for (const w of [...this.writers]) {
      try {
        w.interrupt('interrupted: the run store was closed before the run finished');
      } catch {
        // The file may be unwritable now; the next open marks the run interrupted (its lease is gone).
      }
    }
    this.writers.clear();
    this.isOpen = false;
    try {
      this.db.close();
    } finally {
      this.lease?.release();
      this.lease = null;
    }
  }
}

/**
 * `design` with its `run` block as the run was run: the runs table's seed, and the duration and warm-up the runner
 * recorded in its settings (a setting not recorded — a run from an older version, or unreadable settings — keeps
 * the snapshot's value).
 */
export function withRunSettings(design: Design, seed: number, settingsJson: string): Design {
  let settings: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(settingsJson);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) settings = parsed as Record<string, unknown>;
  } catch {
    // Unreadable settings: the snapshot's duration and warm-up stand.
  }
  const time = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const durationNs = time(settings.durationNs);
  const warmupNs = time(settings.warmupNs);
  return {
    ...design,
    run: { ...design.run, seed, ...(durationNs !== undefined && durationNs > 0 ? { durationNs } : {}), ...(warmupNs !== undefined ? { warmupNs } : {}) },
  };
}

function safeDeriveFlows(design: Design): { id: string; name: string }[] {
  try {
    return deriveFlows(design);
  } catch {
    return [];
  }
}
