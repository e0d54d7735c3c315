// Opening a run database without ever damaging a file that is not ours.
//
// Order of checks, none of which writes anything:
//  1. stat: missing / directory / unreadable;
//  2. the 100-byte header read with plain fs: SQLite magic (else "text file" / "not SQLite"), application_id
//     (else "another application"), user_version (else "newer version"), page size, and — when no -wal or
//     -journal file lies next to it — a size that is a whole number of pages, at least the pages the header
//     declares (else "truncated");
//  3. a READ-ONLY SQLite connection (which never writes the main file, never checkpoints, never rolls back):
//     application_id and user_version again (the header can lag behind the WAL), the tables the schema version
//     must have, `PRAGMA quick_check` of the small tables every command reads (runs, designs, flows, series),
//     unfinished runs whose writer is dead (= an unclean shutdown) and then `PRAGMA quick_check` of everything.
// Damage SQLite meets later, in a query, is reported as the same `corrupt` StoreError (store.ts, writer.ts).
// Only then a read-write connection: WAL, foreign keys, pending migrations, runs of dead writers → interrupted.
// A new database is created in rollback-journal mode so application_id and schema reach the main file in the
// creating transaction (a WAL-only header could make a crashed new file look foreign), then switched to WAL.
import type Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import { StoreError, fileError, sqliteMessage } from './errors';
import { ownerLiveness, sweepDeadLeases, type OwnerInfo } from './lease';
import { APPLICATION_ID, LATEST_VERSION, expectedTables, migrate } from './migrations';
import { openSqlite } from './sqlite';

const SQLITE_MAGIC = 'SQLite format 3\u0000';
/** Page size of new databases: large pages keep the long BLOB overflow chains short (see bench.ts). */
export const PAGE_SIZE = 16384;

/** Options of `openDatabase`. */
export interface OpenDbOptions {
  /** Create the file (and its folder) when missing or empty. Default true. */
  create?: boolean;
  /** Bytes of memory-mapped I/O for reads (default 256 MiB; 0 disables). */
  mmapBytes?: number;
  /** How long a writer waits for another writer's lock (default 5,000 ms). */
  busyTimeoutMs?: number;
  /** Page size of a new database (default `PAGE_SIZE`; ignored for existing files). */
  pageSize?: number;
}

/** What happened while opening. */
export interface OpenReport {
  created: boolean;
  migrated: number[];
  /** Runs found `running`/`queued` with a dead writer, now `interrupted`. */
  interrupted: number[];
  /** `ok` when an unclean shutdown triggered PRAGMA quick_check; `skipped` otherwise. */
  quickCheck: 'ok' | 'skipped';
}

type HeaderState = { kind: 'absent' } | { kind: 'empty' } | { kind: 'ours'; userVersion: number };

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  // Text is valid UTF-8 (a sequence cut by the 100-byte read is fine: `stream` leaves it pending). Without this, one
  // file of random bytes in ~170 passed as text: 88 % of byte values count as printable below.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return false;
  }
  let printable = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127)) printable++;
  return printable / Math.max(1, bytes.length) > 0.95;
}

function preview(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('utf8').split(/\r?\n/)[0] ?? '';
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

const untouched = 'it was not modified';

/** Step 1 and 2: what the file is, from the file system and its first 100 bytes. Throws a StoreError if unusable. */
export function inspectHeader(file: string): HeaderState {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new StoreError('unreadable', `${file}: is a directory, not a run database`);
    if (!st.isFile()) throw new StoreError('unreadable', `${file}: is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof StoreError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    throw new StoreError('unreadable', `${file}: cannot read (${code ?? String(e)})`);
  }
  if (size === 0) return { kind: 'empty' };
  const head = new Uint8Array(100);
  let got: number;
  try {
    const fd = openSync(file, 'r');
    try {
      got = readSync(fd, head, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new StoreError('unreadable', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const bytes = head.subarray(0, got);
  const magic = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (magic !== SQLITE_MAGIC) {
    if (looksLikeText(bytes)) {
      throw new StoreError('not-sqlite', `${file}: is a text file ("${preview(bytes)}"), not a Tock IPC Studio run database; ${untouched}`);
    }
    throw new StoreError('not-sqlite', `${file}: is not an SQLite database (unrecognised content), so not a Tock IPC Studio run database; ${untouched}`);
  }
  if (got < 100) throw new StoreError('corrupt', `${file}: is a truncated SQLite file (${size} bytes); ${untouched}`);
  const view = new DataView(head.buffer);
  const appId = view.getUint32(68, false);
  const userVersion = view.getUint32(60, false);
  if (appId !== APPLICATION_ID) {
    throw new StoreError(
      'foreign',
      `${file}: is an SQLite database of another application (application_id 0x${appId.toString(16).padStart(8, '0')}, expected 0x${APPLICATION_ID.toString(16)}), not a Tock IPC Studio run database; ${untouched}`,
    );
  }
  if (userVersion > LATEST_VERSION) throw newerError(file, userVersion);
  checkSize(file, size, view);
  return { kind: 'ours', userVersion };
}

/**
 * A file cut short is refused: its size must be a whole number of pages and hold at least the pages its header
 * declares (SQLite itself rounds a cut last page up and reads zeros). The header (big-endian): page size at 16
 * (1 means 65,536), change counter at 24, page count at 28, valid only when "version-valid-for" at 92 equals the
 * change counter. The size rules are skipped while a -wal or -journal file lies next to the file: mid-checkpoint
 * (page 1 is copied first, the file grows as later pages follow) or before a hot journal is rolled back, the main
 * file alone may legitimately be short or ragged, and SQLite completes it from that file.
 */
function checkSize(file: string, size: number, header: DataView): void {
  const raw = header.getUint16(16, false);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new StoreError('corrupt', `${file}: is damaged (its header declares a page size of ${raw} bytes); ${untouched}`);
  }
  if (existsSync(`${file}-wal`) || existsSync(`${file}-journal`)) return;
  if (size % pageSize !== 0) {
    throw new StoreError('corrupt', `${file}: is damaged (truncated: ${size} bytes is not a whole number of ${pageSize}-byte pages); ${untouched}`);
  }
  const declared = header.getUint32(28, false);
  const valid = declared > 0 && header.getUint32(92, false) === header.getUint32(24, false);
  if (valid && size / pageSize < declared) {
    throw new StoreError('corrupt', `${file}: is damaged (truncated: ${size / pageSize} pages of ${pageSize} bytes, but its header declares ${declared}); ${untouched}`);
  }
}

function newerError(file: string, version: number): StoreError {
  return new StoreError(
    'newer',
    `${file}: was written by a newer version of Tock IPC Studio (schema version ${version}; this version reads up to ${LATEST_VERSION}); update the studio or choose another database; ${untouched}`,
  );
}

interface DeadRun {
  id: number;
  owner: OwnerInfo;
}

type UnfinishedRow = { id: number; owner_pid: number | null; owner_host: string | null; owner_token: string | null; owner_lease: string | null };

function deadRuns(db: Database.Database): DeadRun[] {
  const rows = db.prepare("SELECT id, owner_pid, owner_host, owner_token, owner_lease FROM runs WHERE status IN ('queued', 'running')").all() as UnfinishedRow[];
  const dead: DeadRun[] = [];
  for (const r of rows) {
    const owner: OwnerInfo = { pid: r.owner_pid, host: r.owner_host, token: r.owner_token, lease: r.owner_lease };
    if (ownerLiveness(owner) === 'dead') dead.push({ id: r.id, owner });
  }
  return dead;
}

/**
 * Step 3: validates our file through a read-only connection. Returns whether an unclean shutdown was seen. A
 * read-only connection to a WAL database creates the `-wal`/`-shm` side files if absent; when the file is then
 * refused, side files it created (empty WAL) are removed again so a refusal leaves the folder as it was.
 */
function validateReadOnly(file: string): { unclean: boolean } {
  const hadWal = existsSync(`${file}-wal`);
  const hadShm = existsSync(`${file}-shm`);
  try {
    return validateWith(file);
  } catch (e) {
    if (e instanceof StoreError) {
      try {
        if (!hadWal && existsSync(`${file}-wal`) && statSync(`${file}-wal`).size === 0) rmSync(`${file}-wal`, { force: true });
        if (!hadShm && !existsSync(`${file}-wal`)) rmSync(`${file}-shm`, { force: true });
      } catch {
        // best effort: the database file itself was not touched either way
      }
    }
    throw e;
  }
}

/** Tables of bulk recordings, not checked page by page at open (a run's samples can be gigabytes). */
const BULK_TABLES: ReadonlySet<string> = new Set(['msg_chunks', 'flow_stats', 'series_chunks', 'trace_chunks']);

/** The first problems `PRAGMA quick_check` listed, on one line. */
function quickCheckLines(result: string[]): string {
  const lines = result
    .flatMap((l) => l.split('\n'))
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l && !/^\*\*\* in database \w+ \*\*\*$/.test(l) && l !== 'database disk image is malformed');
  return `${lines.slice(0, 3).join('; ')}${lines.length > 3 ? '; …' : ''}`;
}

/**
 * An error met while reading a file to check it: what it says about the file (a lock, read-only, I/O: `fileError`),
 * else damage — a read of our own tables that fails is the file's fault.
 */
function damaged(file: string, e: unknown): StoreError {
  return fileError(file, e) ?? new StoreError('corrupt', `${file}: is damaged (${sqliteMessage(e)}); ${untouched}`);
}

function validateWith(file: string): { unclean: boolean } {
  let ro: Database.Database;
  try {
    ro = openSqlite(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StoreError('unreadable', `${file}: cannot open (${sqliteMessage(e)}); ${untouched}`);
  }
  try {
    let appId: number;
    let version: number;
    let tables: string[];
    try {
      appId = ro.pragma('application_id', { simple: true }) as number;
      version = ro.pragma('user_version', { simple: true }) as number;
      tables = ro.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    } catch (e) {
      throw damaged(file, e);
    }
    if (appId >>> 0 !== APPLICATION_ID) {
      throw new StoreError('foreign', `${file}: is an SQLite database of another application (application_id 0x${(appId >>> 0).toString(16).padStart(8, '0')}); ${untouched}`);
    }
    if (version > LATEST_VERSION) throw newerError(file, version);
    if (version < 1) throw new StoreError('corrupt', `${file}: carries Tock IPC Studio's application id but no schema (user_version 0); ${untouched}`);
    const missing = expectedTables(version).filter((t) => !tables.includes(t));
    if (missing.length) {
      throw new StoreError('corrupt', `${file}: is damaged or not a run database: schema version ${version} lacks table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; ${untouched}`);
    }
    // The small tables every command reads are checked page by page at each open (milliseconds); the bulk ones —
    // samples, sorted latencies, series points, trace — are left to the queries that read them, which report
    // damage the same way.
    for (const table of expectedTables(version).filter((t) => !BULK_TABLES.has(t))) {
      let result: string[];
      try {
        result = ro.prepare(`PRAGMA quick_check("${table}")`).pluck().all() as string[];
      } catch (e) {
        throw damaged(file, e);
      }
      if (result.length !== 1 || result[0] !== 'ok') {
        throw new StoreError('corrupt', `${file}: is damaged (SQLITE_CORRUPT in table ${table}: ${quickCheckLines(result)}); ${untouched}`);
      }
    }
    let unclean = false;
    try {
      unclean = deadRuns(ro).length > 0;
    } catch (e) {
      throw damaged(file, e);
    }
    if (unclean) {
      let result: string[];
      try {
        result = ro.prepare('PRAGMA quick_check').pluck().all() as string[];
      } catch (e) {
        const about = fileError(file, e);
        throw about !== null && about.code !== 'corrupt' ? about : new StoreError('corrupt', `${file}: is damaged (quick_check failed: ${sqliteMessage(e)}); ${untouched}`);
      }
      if (result.length !== 1 || result[0] !== 'ok') {
        throw new StoreError('corrupt', `${file}: is damaged after an unclean shutdown (quick_check: ${quickCheckLines(result)}); ${untouched}`);
      }
    }
    return { unclean };
  } finally {
    ro.close();
  }
}

function configure(db: Database.Database, opts: OpenDbOptions): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL'); // WAL + NORMAL: never corrupt; a power cut may lose the last commits
  db.pragma(`mmap_size = ${Math.max(0, Math.floor(opts.mmapBytes ?? 256 * 1024 * 1024))}`);
  db.pragma('cache_size = -16384'); // 16 MiB page cache
  db.pragma('journal_size_limit = 67108864'); // a big run's WAL shrinks back to ≤ 64 MiB after checkpoints
}

/**
 * Opens (or creates) a run database. Throws a `StoreError` naming the file when it is missing (and `create` is
 * false), not SQLite, another application's, newer, or damaged — in all those cases without modifying it.
 */
export function openDatabase(file: string, opts: OpenDbOptions = {}): { db: Database.Database; report: OpenReport } {
  if (endianness() !== 'LE') throw new StoreError('invalid', 'the run store needs a little-endian host');
  const state = inspectHeader(file);
  const report: OpenReport = { created: false, migrated: [], interrupted: [], quickCheck: 'skipped' };
  let db: Database.Database;
  if (state.kind === 'absent' || state.kind === 'empty') {
    if (opts.create === false) throw new StoreError('missing', `${file}: no such run database`);
    try {
      mkdirSync(dirname(file), { recursive: true });
      db = openSqlite(file);
    } catch (e) {
      throw new StoreError('unreadable', `${file}: cannot create the run database (${sqliteMessage(e)})`);
    }
    try {
      if ((db.pragma('page_count', { simple: true }) as number) === 0) db.pragma(`page_size = ${opts.pageSize ?? PAGE_SIZE}`);
      configure(db, opts);
      report.migrated = migrate(db);
      // Another process may have created it meanwhile: check it is ours before switching modes.
      if ((db.pragma('application_id', { simple: true }) as number) >>> 0 !== APPLICATION_ID) {
        throw new StoreError('foreign', `${file}: another application created an SQLite database here at the same time; ${untouched}`);
      }
      db.pragma('journal_mode = WAL');
      report.created = report.migrated.includes(1);
    } catch (e) {
      db.close();
      throw e;
    }
  } else {
    const { unclean } = validateReadOnly(file);
    if (unclean) report.quickCheck = 'ok';
    try {
      db = openSqlite(file, { fileMustExist: true });
    } catch (e) {
      throw new StoreError('unreadable', `${file}: cannot open for writing (${sqliteMessage(e)})`);
    }
    try {
      configure(db, opts);
      db.pragma('journal_mode = WAL');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > LATEST_VERSION) throw newerError(file, version);
      report.migrated = migrate(db);
    } catch (e) {
      db.close();
      // Damage met here (a migration's transaction rolls back) leaves the file as it was, as the checks above do.
      throw fileError(file, e) ?? e;
    }
  }
  // Runs whose writer died (SIGKILL, crash, power cut) become `interrupted`, in one transaction.
  let dead: DeadRun[];
  try {
    dead = deadRuns(db);
    if (dead.length) {
      const mark = db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status IN ('queued', 'running')");
      db.transaction(() => {
        const now = Date.now();
        for (const r of dead) {
          const who = r.owner.pid !== null ? `process ${r.owner.pid}${r.owner.host ? ` on ${r.owner.host}` : ''}` : 'its writer';
          if (mark.run(now, `interrupted: ${who} stopped before the run finished`, r.id).changes) report.interrupted.push(r.id);
        }
      })();
    }
  } catch (e) {
    db.close();
    throw fileError(file, e) ?? e;
  }
  if (dead.length) {
    // Their leases are proven dead: remove the files now rather than waiting for the age-gated sweep.
    for (const lease of new Set(dead.map((r) => r.owner.lease))) {
      if (lease && lease.startsWith(`${file}-lease-`)) {
        rmSync(lease, { force: true });
        rmSync(`${lease}-journal`, { force: true });
      }
    }
  }
  sweepDeadLeases(file);
  return { db, report };
}
