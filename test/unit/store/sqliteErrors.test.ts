import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RunStore, StoreError } from '../../../src-main/store';
import { fileError } from '../../../src-main/store/errors';
import { damageTable, databaseWithRuns, dbPath, smallDesign, summary, tempDir, uniformBatch } from './helpers';

const dir = tempDir('tock-store-sqlite-');

/** The StoreError `f` throws (fails the test when it throws anything else, or nothing). */
function storeErrorOf(f: () => unknown): StoreError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('what SQLite says about the file reaches the user as a sentence naming the file', () => {
  it('a database another process keeps locked: "locked by another process", not damaged, not an internal error', () => {
    const file = dbPath(dir, 'locked');
    databaseWithRuns(file);
    const s = RunStore.open(file, { busyTimeoutMs: 20 });
    const holder = new Database(file);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const e = storeErrorOf(() => s.beginRun({ design: smallDesign(), seed: 1, engineVersion: 't' }));
      expect(e.code).toBe('busy');
      expect(e.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is locked by another process \\(SQLITE_BUSY: database is locked\\); it was not modified\\. Try again when that process has finished$`));
      // Reading goes on meanwhile (WAL).
      expect(s.listRuns().total).toBe(2);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const w = s.beginRun({ design: smallDesign(), seed: 1, engineVersion: 't' });
    w.finish(summary(), { wallMs: 1, events: 1 });
    expect(s.listRuns().total).toBe(3);
    s.close();
  });

  it('read-only, a full disk, an I/O failure each get their own code and words; other errors are not about the file', () => {
    const err = (code: string, message: string): Error => Object.assign(new Error(message), { code });
    const cases: [string, string, RegExp][] = [
      ['SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database', /^f\.sqlite: cannot be written, the file or its folder is read-only \(SQLITE_READONLY_DIRECTORY: attempt to write a readonly database\); then$/],
      ['SQLITE_FULL', 'database or disk is full', /^f\.sqlite: the disk is full \(SQLITE_FULL: database or disk is full\); then\. Free some space and try again$/],
      ['SQLITE_IOERR_WRITE', 'disk I/O error', /^f\.sqlite: cannot be read or written \(SQLITE_IOERR_WRITE: disk I\/O error\); then$/],
      ['SQLITE_CORRUPT', 'database disk image is malformed', /^f\.sqlite: is damaged \(SQLITE_CORRUPT: database disk image is malformed\); then$/],
    ];
    const codes = ['read-only', 'disk-full', 'unreadable', 'corrupt'];
    cases.forEach(([code, message, words], i) => {
      const e = fileError('f.sqlite', err(code, message), 'then');
      expect(e?.code, code).toBe(codes[i]);
      expect(e?.message, code).toMatch(words);
    });
    expect(fileError('f.sqlite', err('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'))).toBeNull();
    expect(fileError('f.sqlite', new TypeError('x'))).toBeNull();
  });
});

describe('a run whose data cannot be written', () => {
  it('is recorded as failed, saying why, and the history opens afterwards (it does not stay running)', () => {
    const file = dbPath(dir, 'bulk-damage');
    databaseWithRuns(file, 20_000);
    // Damage the table of message samples: opening does not read it, a run writing samples meets it.
    damageTable(file, 'msg_chunks', true);
    const s = RunStore.open(file);
    const w = s.beginRun({ design: smallDesign(), seed: 4, engineVersion: 't', flows: [{ id: 'f', name: 'f' }] });
    w.addMessages(uniformBatch(0, 20_000, (i) => 100 + (i % 7)));
    const e = storeErrorOf(() => w.finish(summary(), { wallMs: 1, events: 20_000 }));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/: is damaged \(SQLITE_CORRUPT.*\); run 4 was not recorded in full$/);
    const run = s.getRun(4);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/is damaged \(SQLITE_CORRUPT.*run 4 was not recorded in full/);
    s.close();
    // A clean shutdown: the next open is an ordinary one, and the runs recorded before are all there.
    const again = RunStore.open(file);
    expect(again.openReport.interrupted).toEqual([]);
    expect(again.listRuns().items.map((r) => [r.id, r.status])).toEqual([
      [4, 'failed'],
      [3, 'done'],
      [2, 'done'],
      [1, 'done'],
    ]);
    again.close();
  });
});
