import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore, type StoreErrorCode } from '../../../src-main/store';
import { dbPath, expectRefusedAtOpen, smallDesign, summary, tempDir } from './helpers';

const dir = tempDir();

function refused(file: string, code: StoreErrorCode, message: RegExp): void {
  expectRefusedAtOpen(dir, file, code, message);
}

describe('files that are not run databases are refused and never modified', () => {
  it('random bytes', () => {
    const file = join(dir, 'random.sqlite');
    writeFileSync(file, randomBytes(8192));
    refused(file, 'not-sqlite', /is not an SQLite database/);
  });

  it('binary bytes that are mostly printable as single bytes but not UTF-8 (an erased flash dump) are not called text', () => {
    const file = join(dir, 'flash-dump.bin');
    writeFileSync(file, Buffer.alloc(8192, 0xff));
    refused(file, 'not-sqlite', /is not an SQLite database \(unrecognised content\)/);
  });

  it('a text file', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'These are my notes about the IPC design.\nSecond line.\n');
    refused(file, 'not-sqlite', /is a text file \("These are my notes about the IPC design\."\)/);
  });

  it('a text file that starts like SQLite but is short', () => {
    const file = join(dir, 'short.sqlite');
    writeFileSync(file, 'SQLite format 3\u0000abc');
    refused(file, 'corrupt', /truncated SQLite file/);
  });

  it('an SQLite database of another application (rollback journal)', () => {
    const file = join(dir, 'other-app.db');
    const db = new Database(file);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');");
    db.close();
    refused(file, 'foreign', /SQLite database of another application \(application_id 0x00000000/);
  });

  it('an SQLite database of another application in WAL mode with its own application id', () => {
    const file = join(dir, 'other-wal.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('application_id = 12345');
    db.exec('CREATE TABLE runs (id INTEGER PRIMARY KEY)'); // even a table named like ours
    db.close();
    refused(file, 'foreign', /application_id 0x00003039/);
  });

  it('our application id but none of our tables', () => {
    const file = join(dir, 'fake-ours.db');
    const db = new Database(file);
    db.pragma('application_id = 1415792979');
    db.pragma('user_version = 1');
    db.exec('CREATE TABLE something (x)');
    db.close();
    refused(file, 'corrupt', /lacks tables designs, flow_stats, msg_chunks, run_flows, runs, series, series_chunks, trace_chunks/);
  });

  it('one of ours with a damaged schema page', () => {
    const file = dbPath(dir, 'damaged');
    const s = RunStore.open(file);
    const w = s.beginRun({ design: smallDesign(), seed: 1, engineVersion: 't' });
    w.finish(summary(), { wallMs: 1, events: 1 });
    s.close();
    // Overwrite the rest of page 1 (sqlite_master's b-tree) after the 100-byte header.
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(4000), 0, 4000, 100);
    closeSync(fd);
    refused(file, 'corrupt', /is damaged/);
  });

  it('a directory, and a missing file when creating is not asked for', () => {
    const sub = join(dir, 'a-folder');
    mkdirSync(sub);
    expect(() => RunStore.open(sub)).toThrow(expect.objectContaining({ code: 'unreadable', message: expect.stringMatching(/is a directory/) }));
    const missing = join(dir, 'nope.sqlite');
    expect(() => RunStore.open(missing, { create: false })).toThrow(expect.objectContaining({ code: 'missing', message: `${missing}: no such run database` }));
    expect(existsSync(missing)).toBe(false);
  });

  it('an empty (0-byte) file becomes a new database; a missing folder is created', () => {
    const empty = join(dir, 'empty.sqlite');
    writeFileSync(empty, '');
    const s = RunStore.open(empty);
    expect(s.openReport.created).toBe(true);
    s.close();
    const nested = join(dir, 'x', 'y', 'runs.sqlite');
    RunStore.open(nested).close();
    expect(existsSync(nested)).toBe(true);
  });
});
