// Shared helpers of the store tests: temporary files, small designs, summaries and message batches.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { Design } from '../../../src-shared/model/design';
import type { FlowSummary, RunSummary } from '../../../src-shared/results/summary';
import { RunStore, StoreError, type MessageBatch, type StoreErrorCode } from '../../../src-main/store';
import { DesignBuilder } from '../../fixtures/builder';

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'tock-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
/** A new database path inside `dir`. */
export function dbPath(dir: string, name = 'runs'): string {
  return join(dir, `${name}-${++n}.sqlite`);
}

/** sha256 of a file's bytes. */
export function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Opening `file` (in `dir`) is refused with a StoreError of `code` whose message names the file, matches `message`
 * and says it was not modified; the file's bytes and its folder's entries are unchanged. Returns the error.
 */
export function expectRefusedAtOpen(dir: string, file: string, code: StoreErrorCode, message: RegExp): StoreError {
  const before = fileHash(file);
  const siblings = readdirSync(dir).sort();
  let err: unknown;
  try {
    RunStore.open(file).close();
  } catch (e) {
    err = e;
  }
  expect(err, `${file} should be refused`).toBeInstanceOf(StoreError);
  const e = err as StoreError;
  expect(e.code).toBe(code);
  expect(e.message).toContain(file);
  expect(e.message).toMatch(message);
  expect(e.message).toMatch(/not modified/);
  expect(fileHash(file), 'the bytes must be unchanged').toBe(before);
  expect(readdirSync(dir).sort(), 'no -wal/-shm/lease files appear').toEqual(siblings);
  return e;
}

/** A small valid-looking design: kernel k, producer p, channel m, consumer c. */
export function smallDesign(name = 'small', params: Record<string, number> = {}): Design {
  return new DesignBuilder(name)
    .kernel('k')
    .node('p', 'process', 'k', { periodNs: 1000, ...params })
    .node('m', 'twoCopyChannel', 'k')
    .node('c', 'process', 'k')
    .edge('p', 'm')
    .edge('m', 'c')
    .build();
}

/** A flow summary with defaults. */
export function flow(id: string, over: Partial<FlowSummary> = {}): FlowSummary {
  return {
    id,
    name: id,
    source: 'p',
    target: 'c',
    mechanism: 'twoCopyChannel',
    sent: 0,
    delivered: 0,
    dropped: 0,
    overwritten: 0,
    timedOut: 0,
    failed: 0,
    truncated: 0,
    stale: 0,
    latencyNs: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
    copiesPerMessage: 0,
    bytesCopied: 0,
    ...over,
  };
}

/** A run summary with defaults. */
export function summary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'x',
    design: 'small',
    designHash: '',
    seed: 1,
    engineVersion: 'test-1',
    simTimeNs: 1000,
    events: 0,
    wallMs: 0,
    flows: [],
    mechanisms: [],
    processes: [],
    kernels: [],
    ...over,
  };
}

/** A message batch from rows `[flow, sendNs, deliverNs, bytes, copies, outcome]`. */
export function batch(rows: [number, number, number, number, number, number][]): MessageBatch {
  return {
    flow: Uint32Array.from(rows.map((r) => r[0])),
    sendNs: Float64Array.from(rows.map((r) => r[1])),
    deliverNs: Float64Array.from(rows.map((r) => r[2])),
    bytes: Uint32Array.from(rows.map((r) => r[3])),
    copies: Uint8Array.from(rows.map((r) => r[4])),
    outcome: Uint8Array.from(rows.map((r) => r[5])),
  };
}

/** A batch of `count` delivered samples on one flow with latency `latency(i)`, sent at `t0 + i·step`. */
export function uniformBatch(flowIdx: number, count: number, latency: (i: number) => number, t0 = 0, step = 1000): MessageBatch {
  const b: MessageBatch = { flow: new Uint32Array(count).fill(flowIdx), sendNs: new Float64Array(count), deliverNs: new Float64Array(count), bytes: new Uint32Array(count).fill(16), copies: new Uint8Array(count).fill(2), outcome: new Uint8Array(count) };
  for (let i = 0; i < count; i++) {
    b.sendNs[i] = t0 + i * step;
    b.deliverNs[i] = t0 + i * step + latency(i);
  }
  return b;
}

/**
 * A closed database with two finished runs (samples recorded), as the CLI leaves it; with `bigRunSamples`, a third
 * run of that many samples, so the file ends in sample data (pages only a read of that run's samples touches).
 */
export function databaseWithRuns(file: string, bigRunSamples = 0): void {
  const s = RunStore.open(file);
  for (const seed of [1, 2]) {
    const w = s.beginRun({ design: smallDesign(), seed, engineVersion: 't', flows: [{ id: 'f', name: 'f' }] });
    w.addMessages(batch([
      [0, 0, 100, 8, 2, 0],
      [0, 10, 120, 8, 2, 0],
    ]));
    w.finish(summary(), { wallMs: 1, events: 2 });
  }
  if (bigRunSamples > 0) {
    const w = s.beginRun({ design: smallDesign(), seed: 3, engineVersion: 't', flows: [{ id: 'f', name: 'f' }] });
    w.addMessages(uniformBatch(0, bigRunSamples, (i) => 100 + (i % 50)));
    w.finish(summary(), { wallMs: 1, events: bigRunSamples });
  }
  s.close();
}

/** The page size and the first page (1-based) of table `table`'s b-tree. */
export function tablePage(file: string, table: string): { pageSize: number; page: number } {
  // Read-write, so that closing removes the -wal/-shm files it opened (a read-only connection leaves them).
  const db = new Database(file, { fileMustExist: true });
  try {
    return { pageSize: db.pragma('page_size', { simple: true }) as number, page: db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number };
  } finally {
    db.close();
  }
}

/** Overwrites the second half of table `table`'s root page (where its rows live), or all of it, with 0xff bytes. */
export function damageTable(file: string, table: string, whole = false): void {
  const { pageSize, page } = tablePage(file, table);
  expect(page, `${table} is not on page 1`).toBeGreaterThan(1);
  const fd = openSync(file, 'r+');
  try {
    const n = whole ? pageSize : pageSize / 2;
    writeSync(fd, Buffer.alloc(n, 0xff), 0, n, page * pageSize - n);
  } finally {
    closeSync(fd);
  }
}
