// Numbered, append-only schema migrations (Actual Budget style). Migration N takes the database from
// user_version N-1 to N and is applied together with its `PRAGMA user_version = N` in one transaction. Never edit
// a released migration: add a new one. The schema snapshot test (test/fixtures/store-schema.sql) catches edits.
import Database from 'better-sqlite3';

/** `PRAGMA application_id` of a run database: 'TcIS' (Tock IPC Studio). Set by migration 1. */
export const APPLICATION_ID = 0x54634953;

/** One migration: `version` = the user_version it produces (1, 2, 3…, dense). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/*
 * Layout (v1), chosen for ingest speed and small query payloads (figures in src-main/store/bench.ts):
 * - message samples are columnar typed-array BLOBs per (run, flow, chunk of ≤ 65,536 samples) — one row per
 *   chunk, not per sample. Measured here (2 vCPUs, shared): 1.3–1.7 M samples/s including the end-of-run sort,
 *   versus 0.10–0.16 M/s for one row per sample with batched prepared INSERTs in transactions (8–15× slower);
 *   30 B per sample (22 B of columns + 8 B sorted latency) versus 28 B as rows without any latency index;
 * - at the end of a run each flow's delivered latencies are stored once more, sorted (flow_stats.latency_sorted),
 *   so a CDF or histogram of 1,000,000 samples is one BLOB read and an O(N log n) pick: 6–25 ms, versus 2.7–4.7 s
 *   for `SELECT … ORDER BY latency` over rows;
 * - series points are (time, value) Float64 BLOB chunks per series with their time span, for range skipping;
 * - trace events (at most 100,000 per run by default) are chunks of ≤ 4,096 events too: times as a Float64 BLOB
 *   plus the string columns as JSON with a per-chunk dictionary (kernel, process and kind repeat a lot). As rows
 *   they ingested at only ~70–120k events/s here (1.2 s per capped run); chunks are decoded and filtered in TS,
 *   chunk time spans skip what lies outside the window.
 * BLOBs hold little-endian typed arrays (the store refuses to run on a big-endian host).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
PRAGMA application_id = ${APPLICATION_ID};

CREATE TABLE designs (
  hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
  name TEXT NOT NULL,
  json TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  design_hash TEXT NOT NULL REFERENCES designs(hash),
  label TEXT,
  seed INTEGER NOT NULL,
  engine_version TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  outcome_names_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  wall_ms REAL,
  events INTEGER,
  sim_time_ns INTEGER,
  messages INTEGER NOT NULL DEFAULT 0,
  trace_events INTEGER NOT NULL DEFAULT 0,
  trace_dropped INTEGER NOT NULL DEFAULT 0,
  summary_json TEXT,
  error TEXT,
  owner_pid INTEGER,
  owner_host TEXT,
  owner_token TEXT,
  owner_lease TEXT
);
CREATE INDEX runs_by_design ON runs (design_hash, id);
CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('queued', 'running');

CREATE TABLE run_flows (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  flow_id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (run_id, idx)
) WITHOUT ROWID;

CREATE TABLE flow_stats (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  sent INTEGER NOT NULL,
  delivered INTEGER NOT NULL,
  outcomes_json TEXT NOT NULL,
  copies INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  latency_sum REAL NOT NULL,
  latency_sorted BLOB NOT NULL,
  PRIMARY KEY (run_id, idx)
);

CREATE TABLE msg_chunks (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  flow_idx INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  n INTEGER NOT NULL,
  send_ns BLOB NOT NULL,
  deliver_ns BLOB NOT NULL,
  bytes BLOB NOT NULL,
  copies BLOB NOT NULL,
  outcome BLOB NOT NULL,
  UNIQUE (run_id, flow_idx, seq)
);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  points INTEGER NOT NULL DEFAULT 0,
  t_min REAL,
  t_max REAL,
  v_min REAL,
  v_max REAL,
  UNIQUE (run_id, key)
);

CREATE TABLE series_chunks (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  n INTEGER NOT NULL,
  t_first REAL NOT NULL,
  t_last REAL NOT NULL,
  times BLOB NOT NULL,
  vals BLOB NOT NULL,
  UNIQUE (series_id, seq)
);

CREATE TABLE trace_chunks (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  first_event INTEGER NOT NULL,
  n INTEGER NOT NULL,
  t_first REAL NOT NULL,
  t_last REAL NOT NULL,
  times BLOB NOT NULL,
  cols TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
`,
  },
];

/** The schema version this build writes; a file with a greater `user_version` is refused. */
export const LATEST_VERSION = MIGRATIONS.length;

/** Checks the list is dense and ordered (a programming error otherwise). */
function checkList(): void {
  MIGRATIONS.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list: entry ${i} has version ${m.version}, expected ${i + 1}`);
  });
}
checkList();

/**
 * Applies every migration above the database's `user_version`, each in its own IMMEDIATE transaction with its
 * version bump, re-reading the version inside the transaction so two processes opening a new file at once don't
 * both migrate. Returns the versions applied.
 */
export function migrate(db: Database.Database, upTo: number = LATEST_VERSION, list: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  for (const m of list) {
    if (m.version > upTo) break;
    if ((db.pragma('user_version', { simple: true }) as number) >= m.version) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current === m.version - 1) {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        applied.push(m.version);
      }
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
  }
  return applied;
}

const expectedCache = new Map<number, string[]>();

/** The table names a database at schema `version` must have (migrations 1..version applied to :memory:). */
export function expectedTables(version: number): string[] {
  let names = expectedCache.get(version);
  if (!names) {
    const mem = new Database(':memory:');
    try {
      migrate(mem, version);
      names = (mem.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]).slice();
    } finally {
      mem.close();
    }
    expectedCache.set(version, names);
  }
  return names;
}
