// Damage past the first page and truncated files: refused with the same "is damaged …; it was not modified"
// message as header damage, whether SQLite notices at open or at a later query, and never modified.
import { closeSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunStore, StoreError, type StoreErrorCode } from '../../../src-main/store';
import { batch, damageTable, expectRefusedAtOpen as refusedAtOpen, databaseWithRuns, dbPath, fileHash, smallDesign, summary, tablePage, tempDir, uniformBatch } from './helpers';

const dir = tempDir('tock-store-damage-');

function expectRefusedAtOpen(file: string, code: StoreErrorCode, message: RegExp): void {
  const e = refusedAtOpen(dir, file, code, message);
  expect(e.message).toContain(`${file}: is damaged (`);
  expect(e.message).toMatch(/; it was not modified$/);
}

function storeError(f: () => unknown): StoreError {
  try {
    f();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw new Error(`expected a StoreError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
  throw new Error('expected a StoreError, nothing was thrown');
}

describe('a run database damaged past its first page', () => {
  it('is refused at open when a table the history reads (runs) is damaged, and not modified', () => {
    const file = dbPath(dir, 'runs-page');
    databaseWithRuns(file);
    damageTable(file, 'runs');
    expectRefusedAtOpen(file, 'corrupt', /is damaged \(SQLITE_CORRUPT.*\); it was not modified$/);
  });

  it('damage a later query meets is a StoreError("corrupt") naming the file, and the file stays as it was', () => {
    const file = dbPath(dir, 'chunks-page');
    databaseWithRuns(file);
    damageTable(file, 'msg_chunks', true); // a page no check at open reads: only the samples' readers meet it
    const before = fileHash(file);
    const s = RunStore.open(file);
    try {
      for (const read of [() => [...s.exportCsv(1)], () => s.latencyOverTime(1, 'f', 10)]) {
        const e = storeError(read);
        expect(e.code).toBe('corrupt');
        expect(e.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is damaged \\(SQLITE_CORRUPT[^)]*: database disk image is malformed\\); it was not modified$`));
      }
    } finally {
      s.close();
    }
    expect(fileHash(file)).toBe(before);
  });

  it('a writer that meets damage fails with StoreError("corrupt"), not a raw SqliteError', () => {
    const file = dbPath(dir, 'chunks-write');
    databaseWithRuns(file);
    damageTable(file, 'msg_chunks', true);
    const s = RunStore.open(file);
    try {
      const w = s.beginRun({ design: smallDesign(), seed: 3, engineVersion: 't', flows: [{ id: 'f', name: 'f' }] });
      w.addMessages(batch([[0, 0, 100, 8, 2, 0]]));
      const e = storeError(() => w.flush());
      expect(e.code).toBe('corrupt');
      expect(e.message).toContain(`${file}: is damaged (SQLITE_CORRUPT`);
      expect(e.message).toMatch(/run 3/);
    } finally {
      s.close();
    }
  });
});

describe('a truncated run database', () => {
  it('cut in the middle of a page is refused at open and not modified', () => {
    const file = dbPath(dir, 'cut-mid-page');
    databaseWithRuns(file, 200_000);
    const size = statSync(file).size;
    const { pageSize } = tablePage(file, 'runs');
    // Within the last page: SQLite itself rounds the size up to whole pages, so it would read zeros for the rest.
    truncateSync(file, size - 1000);
    expectRefusedAtOpen(file, 'corrupt', new RegExp(`\\(truncated: ${size - 1000} bytes is not a whole number of ${pageSize}-byte pages\\)`));
  });

  it('cut at a page boundary, shorter than its header says, is refused at open and not modified', () => {
    const file = dbPath(dir, 'cut-page');
    databaseWithRuns(file, 200_000);
    const size = statSync(file).size;
    const { pageSize } = tablePage(file, 'runs');
    truncateSync(file, size - 2 * pageSize);
    expectRefusedAtOpen(file, 'corrupt', new RegExp(`\\(truncated: ${(size - 2 * pageSize) / pageSize} pages of ${pageSize} bytes, but its header declares ${size / pageSize}\\)`));
  });

  it('a healthy database in use (WAL next to it, mid-checkpoint: header ahead of the main file) is opened as usual', () => {
    const file = dbPath(dir, 'in-use');
    databaseWithRuns(file);
    const a = RunStore.open(file);
    try {
      // Grow the database in a's WAL without a checkpoint: the main file lags behind the database.
      a.database.pragma('wal_autocheckpoint = 0');
      for (let seed = 10; seed < 30; seed++) {
        const w = a.beginRun({ design: smallDesign(`grown ${seed}`), seed, engineVersion: 't', flows: [{ id: 'f', name: 'f' }] });
        w.addMessages(uniformBatch(0, 5_000, (i) => 100 + i));
        w.finish(summary(), { wallMs: 1, events: 1 });
      }
      // A checkpoint copies page 1 first, then the others in page order, extending the file as it goes: do its
      // first step, so the main file's header declares more pages than the file has (the WAL has them all).
      const wal = readFileSync(`${file}-wal`);
      const pageSize = wal.readUInt32BE(8);
      let page1: Buffer | null = null;
      for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) if (wal.readUInt32BE(off) === 1) page1 = wal.subarray(off + 24, off + 24 + pageSize);
      expect(page1, 'the WAL holds page 1').not.toBeNull();
      const declared = page1!.readUInt32BE(28);
      expect(declared * pageSize, 'the header in the WAL declares more than the main file holds').toBeGreaterThan(statSync(file).size);
      const fd = openSync(file, 'r+');
      writeSync(fd, page1!, 0, pageSize, 0);
      closeSync(fd);
      const b = RunStore.open(file);
      try {
        expect(b.listRuns().total).toBe(22);
      } finally {
        b.close();
      }
    } finally {
      a.close();
    }
    const again = RunStore.open(file);
    expect(again.listRuns().total).toBe(22);
    again.close();
  });
});
