// Owner liveness for runs, robust to pid reuse.
//
// A pid alone cannot tell whether the process that began a run is still alive: after a crash the pid may be
// reused by an unrelated process (or, after a reboot, by anything). So a store that writes runs holds a *lease*:
// a small sibling file `<db>-lease-<token>` on which it keeps an SQLite RESERVED lock (BEGIN IMMEDIATE, never
// committed). The operating system drops that lock when the process dies — SIGKILL, crash, power loss — and only
// then. Another process probes the lease by trying BEGIN IMMEDIATE itself with no busy timeout: SQLITE_BUSY means
// the owner lives; success (or a missing lease file) means it is gone. This works the same on Linux, macOS and
// Windows (POSIX advisory locks / LockFileEx, through SQLite's own VFS, which also handles several connections in
// one process correctly).
//
// The pid and host are recorded too, for people reading the run list and as a fast path: on the same host a pid
// that no longer exists proves the owner is dead without touching the lease.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { openSqlite } from './sqlite';

/** Tokens of the leases this process holds (a same-process probe needs no file access). */
const heldTokens = new Set<string>();

/** A held lease. Invariant: while `held`, the lock is held by this process's open connection. */
export class Lease {
  readonly token: string;
  readonly file: string;
  private conn: Database.Database | null;

  private constructor(token: string, file: string, conn: Database.Database) {
    this.token = token;
    this.file = file;
    this.conn = conn;
  }

  /** Creates and locks a new lease next to `dbFile`. */
  static acquire(dbFile: string): Lease {
    const token = randomBytes(8).toString('hex');
    const file = `${dbFile}-lease-${token}`;
    const conn = openSqlite(file, { timeout: 0 });
    conn.exec('BEGIN IMMEDIATE');
    heldTokens.add(token);
    return new Lease(token, file, conn);
  }

  get held(): boolean {
    return this.conn !== null;
  }

  /** Drops the lock and deletes the file. Idempotent. */
  release(): void {
    if (!this.conn) return;
    try {
      this.conn.close();
    } finally {
      this.conn = null;
      heldTokens.delete(this.token);
      rmSync(this.file, { force: true });
      rmSync(`${this.file}-journal`, { force: true });
    }
  }
}

/** What the store knows about a run's writer. */
export interface OwnerInfo {
  pid: number | null;
  host: string | null;
  token: string | null;
  lease: string | null;
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/** Whether `pid` exists on this host (EPERM: exists, owned by someone else). */
export function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Probes a lease file: alive if someone holds its lock, dead if not or if it is gone, unknown on other errors. */
export function probeLeaseFile(file: string): Liveness {
  if (!existsSync(file)) return 'dead';
  let conn: Database.Database | null = null;
  try {
    conn = openSqlite(file, { timeout: 0, fileMustExist: true });
    conn.exec('BEGIN IMMEDIATE');
    conn.exec('ROLLBACK');
    return 'dead';
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? 'alive' : 'unknown';
  } finally {
    conn?.close();
  }
}

/**
 * Is a run's writer still alive? A lease held by this process: alive. Same host and the pid is gone: dead. A
 * lease file: its lock decides. No lease recorded (never the case for runs this build writes): the pid decides
 * on the same host (a reused pid keeps such a run `running`: the conservative error), unknown elsewhere.
 */
export function ownerLiveness(o: OwnerInfo): Liveness {
  if (o.token && heldTokens.has(o.token)) return 'alive';
  const sameHost = o.host === hostname();
  if (sameHost && o.pid !== null) {
    if (o.pid === process.pid) {
      // Our pid but not our lease: an earlier process that had our pid (pid reuse) — dead.
      if (o.lease) return 'dead';
    } else if (!pidExists(o.pid)) return 'dead';
  }
  if (o.lease) return probeLeaseFile(o.lease);
  if (sameHost && o.pid !== null) return pidExists(o.pid) ? 'unknown' : 'dead';
  return 'unknown';
}

/**
 * Deletes lease files next to `dbFile` whose owner is dead (left by killed processes). Returns how many. Only
 * files older than `minAgeMs` are considered: a lease is created and then locked, and a sweep must not catch a
 * brand-new one in between. (A run's lease is locked before the run row exists, so probing runs has no such gap.)
 */
export function sweepDeadLeases(dbFile: string, minAgeMs = 60_000): number {
  const dir = dirname(dbFile);
  const prefix = `${basename(dbFile)}-lease-`;
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || name.endsWith('-journal')) continue;
    const token = name.slice(prefix.length);
    if (heldTokens.has(token) || !/^[0-9a-f]{16}$/.test(token)) continue;
    const file = join(dir, name);
    try {
      if (Date.now() - statSync(file).mtimeMs < minAgeMs) continue;
    } catch {
      continue;
    }
    if (probeLeaseFile(file) === 'dead') {
      rmSync(file, { force: true });
      rmSync(`${file}-journal`, { force: true });
      removed++;
    }
  }
  return removed;
}
