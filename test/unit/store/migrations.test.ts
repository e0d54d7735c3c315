import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, RunStore, StoreError } from '../../../src-main/store';
import { expectedTables, migrate, type Migration } from '../../../src-main/store/migrations';
import { PAGE_SIZE } from '../../../src-main/store/open';
import { dbPath, fileHash, tempDir } from './helpers';

const dir = tempDir();
const SNAPSHOT = join(__dirname, '../../fixtures/store-schema.sql');

/** The schema as text: every object's SQL in a stable order, plus the identifying PRAGMAs. */
function schemaText(db: Database.Database): string {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name").all() as { type: string; name: string; sql: string }[];
  const head = `-- application_id = ${db.pragma('application_id', { simple: true })}\n-- user_version = ${db.pragma('user_version', { simple: true })}\n`;
  return `${head}${rows.map((r) => `-- ${r.type} ${r.name}\n${r.sql};\n`).join('\n')}`;
}

describe('store migrations', () => {
  it('are numbered 1…N without gaps', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('create a new database: WAL, foreign keys, application id, latest version, large pages', () => {
    const file = dbPath(dir);
    const store = RunStore.open(file);
    expect(store.openReport).toMatchObject({ created: true, migrated: MIGRATIONS.map((m) => m.version), interrupted: [], quickCheck: 'skipped' });
    const db = store.database;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    store.close();
    // The header (read without SQLite) carries the application id even right after creation.
    const head = readFileSync(file).subarray(0, 100);
    expect(head.readUInt32BE(68)).toBe(APPLICATION_ID);
  });

  it('match the schema snapshot (test/fixtures/store-schema.sql)', () => {
    const store = RunStore.open(dbPath(dir));
    const text = schemaText(store.database);
    store.close();
    if (process.env.UPDATE_STORE_SCHEMA === '1') writeFileSync(SNAPSHOT, text);
    expect(existsSync(SNAPSHOT)).toBe(true);
    // A released migration must never change; a new one changes this snapshot (regenerate with UPDATE_STORE_SCHEMA=1).
    expect(text).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('migrating :memory: gives the same schema as a file, and expectedTables lists its tables', () => {
    const mem = new Database(':memory:');
    expect(migrate(mem)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(mem)).toEqual([]);
    const tables = mem.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(expectedTables(LATEST_VERSION)).toEqual(tables);
    expect(tables).toEqual(['designs', 'flow_stats', 'msg_chunks', 'run_flows', 'runs', 'series', 'series_chunks', 'trace_chunks']);
    mem.close();
  });

  it('re-opening applies nothing and keeps the data', () => {
    const file = dbPath(dir);
    RunStore.open(file).close();
    const again = RunStore.open(file);
    expect(again.openReport).toMatchObject({ created: false, migrated: [] });
    again.close();
  });

  it('apply each migration with its user_version bump in one transaction (a failing step leaves no trace)', () => {
    const db = new Database(':memory:');
    const list: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two (fails half-way)', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, 2, list)).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(names).toEqual(['a']);
    expect(db.inTransaction).toBe(false);
    db.close();
  });

  it('refuse a database written by a newer version, without modifying it', () => {
    const file = dbPath(dir);
    RunStore.open(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close(); // checkpoints: the header now says LATEST + 1
    const before = fileHash(file);
    let err: unknown;
    try {
      RunStore.open(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('newer');
    expect((err as StoreError).message).toContain(file);
    expect((err as StoreError).message).toMatch(new RegExp(`newer version of Tock IPC Studio \\(schema version ${LATEST_VERSION + 1}; this version reads up to ${LATEST_VERSION}\\)`));
    expect(fileHash(file)).toBe(before);
  });

  it('refuse a newer version that is only in the WAL (header not yet checkpointed)', () => {
    const file = dbPath(dir);
    RunStore.open(file).close();
    const raw = new Database(file);
    raw.pragma('wal_autocheckpoint = 0');
    raw.pragma(`user_version = ${LATEST_VERSION + 7}`);
    // Keep `raw` open so its WAL is not checkpointed into the main file.
    expect(readFileSync(file).readUInt32BE(60)).toBe(LATEST_VERSION);
    expect(() => RunStore.open(file)).toThrow(expect.objectContaining({ code: 'newer', message: expect.stringContaining(`schema version ${LATEST_VERSION + 7}`) }));
    raw.close();
  });
});
