import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../src-main/store';
import { eightProducers } from '../../../scripts/benchDesigns';
import { dbPath, fileHash, smallDesign, summary, tempDir } from './helpers';

const dir = tempDir();
const root = join(__dirname, '../../..');
const child = join(root, 'test/fixtures/store-writer-child.ts');

/** Spawns the writer child; resolves once it reported `committedAtLeast` committed samples of run 2. */
function startWriter(file: string, committedAtLeast: number): Promise<{ kill: () => Promise<void>; committed: number; pid: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the writer child did not commit in time\nstdout: ${out.slice(-500)}\nstderr: ${err.slice(-2000)}`));
    }, 45_000);
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        clearTimeout(timer);
        reject(new Error(`the writer child exited early (${code ?? signal})\nstdout: ${out.slice(-500)}\nstderr: ${err.slice(-2000)}`));
      }
    });
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const counts = [...out.matchAll(/committed (\d+)\n/g)].map((m) => Number(m[1]));
      const last = counts.at(-1) ?? 0;
      if (last >= committedAtLeast) {
        clearTimeout(timer);
        proc.stdout.removeAllListeners('data');
        resolve({
          committed: last,
          pid: proc.pid!,
          kill: () =>
            new Promise<void>((done) => {
              proc.once('exit', () => done());
              proc.kill('SIGKILL');
            }),
        });
      }
    });
  });
}

describe('durability', () => {
  it('a writer killed with SIGKILL mid-run: earlier runs intact, that run interrupted, integrity checked', async () => {
    const file = dbPath(dir, 'killed');
    const writer = await startWriter(file, 50_000);
    await writer.kill(); // the child is in its write loop: killed between or during transactions
    expect(readdirSync(dir).some((n) => n.startsWith('killed') && n.includes('-lease-'))).toBe(true);

    const store = RunStore.open(file);
    expect(store.openReport.interrupted).toEqual([2]);
    expect(store.openReport.quickCheck).toBe('ok');
    expect(store.quickCheck()).toEqual(['ok']);

    const first = store.getRun(1);
    expect(first).toMatchObject({ status: 'done', messages: 5000, events: 5000, summary: { runId: '1', events: 5000 } });
    expect(store.latencyCdf(1, 'a', 2)).toMatchObject({ samples: 2500, latencyNs: [100, 148] });
    expect(store.series(1, 'cpu:k', 2, { fromNs: 0, toNs: 20 })).toMatchObject({ min: [0.5, 0.25] });

    const killed = store.getRun(2);
    expect(killed.status).toBe('interrupted');
    expect(killed.error).toBe(`interrupted: process ${writer.pid} on ${hostname()} stopped before the run finished`);
    expect(killed.summary).toBeNull();
    // Everything reported committed is there; at most one more batch beyond it (killed after COMMIT, before print).
    expect(killed.messages).toBeGreaterThanOrEqual(writer.committed);
    expect(killed.messages % 10_000).toBe(0);
    const chunkTotal = store.database.prepare('SELECT sum(n) FROM msg_chunks WHERE run_id = 2').pluck().get();
    expect(chunkTotal).toBe(killed.messages);
    // Queries work on the interrupted run (computed from its chunks).
    const stats = store.flowStats(2);
    expect(stats.map((s) => s.sent)).toEqual([killed.messages / 2, killed.messages / 2]);
    expect(store.latencyHistogram(2, 'b', 2).samples).toBe(killed.messages / 2);
    store.close();
    // The dead writer's lease file is gone, and so is ours.
    expect(readdirSync(dir).filter((n) => n.startsWith('killed') && n.includes('-lease-'))).toEqual([]);

    // A second open finds nothing more to do.
    const again = RunStore.open(file);
    expect(again.openReport).toMatchObject({ interrupted: [], quickCheck: 'skipped' });
    again.close();
  });

  it('`tock-studio run --db` killed with SIGKILL mid-run: the earlier run intact, that run interrupted', async () => {
    const file = dbPath(dir, 'cli-killed');
    const designFile = join(dir, 'long.json');
    writeFileSync(designFile, JSON.stringify(eightProducers(10_000_000)));
    const cli = (args: string[]): ReturnType<typeof spawn> => spawn(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'run', designFile, '--db', file, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    // Run 1 completes.
    const first = cli(['--duration', '20ms', '--json']);
    let firstOut = '';
    first.stdout!.on('data', (d: Buffer) => (firstOut += d.toString()));
    expect(await new Promise((done) => first.on('exit', done))).toBe(0);
    const firstSummary = JSON.parse(firstOut) as { runId: string; fingerprint?: string };
    // Run 2 is killed once it has committed samples (the runner commits about once a second).
    const long = cli(['--duration', '1000s']);
    const read = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const deadline = Date.now() + 60_000;
      let committed = 0;
      while (committed === 0) {
        if (Date.now() > deadline) throw new Error('the CLI run committed nothing in time');
        await new Promise((r) => setTimeout(r, 200));
        committed = (read.prepare('SELECT coalesce(max(messages), 0) FROM runs WHERE id = 2').pluck().get() as number) ?? 0;
      }
    } finally {
      read.close();
    }
    await new Promise<void>((done) => {
      long.once('exit', () => done());
      long.kill('SIGKILL');
    });
    const store = RunStore.open(file);
    try {
      expect(store.openReport.interrupted).toEqual([2]);
      expect(store.openReport.quickCheck).toBe('ok');
      const { fingerprint: _f, ...summary1 } = firstSummary;
      expect(store.getRun(1)).toMatchObject({ status: 'done', summary: summary1 });
      const killed = store.getRun(2);
      expect(killed.status).toBe('interrupted');
      expect(killed.messages).toBeGreaterThan(0);
      expect(killed.flowTable.length).toBe(8);
      expect(store.latencyCdf(2, killed.flowTable[0]!.id, 10).samples).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 90_000);

  it('pid reuse: a live pid whose lease is not held is dead; a held lease keeps the run running', async () => {
    const file = dbPath(dir, 'reuse');
    const a = RunStore.open(file);
    const design = smallDesign();
    const live = a.beginRun({ design, seed: 1, engineVersion: 'e' }); // our lease is held
    const reused = a.beginRun({ design, seed: 2, engineVersion: 'e' });
    const reusedOurs = a.beginRun({ design, seed: 3, engineVersion: 'e' });
    // Pretend `reused` was written by a dead process whose pid now belongs to a live one (our parent), and
    // `reusedOurs` by a dead process that had *our* pid: both recorded leases are files nobody locks.
    const stale = `${file}-lease-00000000deadbeef`;
    writeFileSync(stale, '');
    const db = a.database;
    db.prepare('UPDATE runs SET owner_pid = ?, owner_token = ?, owner_lease = ? WHERE id = ?').run(process.ppid, '00000000deadbeef', stale, reused.runId);
    db.prepare('UPDATE runs SET owner_pid = ?, owner_token = ?, owner_lease = ? WHERE id = ?').run(process.pid, '00000000deadbeef', stale, reusedOurs.runId);

    const b = RunStore.open(file); // a second store (as another process would)
    expect(b.openReport.interrupted.sort()).toEqual([reused.runId, reusedOurs.runId].sort());
    expect(b.getRun(live.runId).status).toBe('running');
    // The first store's writer learns its run was ended elsewhere.
    expect(() => reused.finish(summary(), { wallMs: 0, events: 0 })).toThrow(/already ended/);
    expect(reused.closed).toBe(true);
    expect(() => reused.addMessages({ flow: new Uint32Array(0), sendNs: new Float64Array(0), deliverNs: new Float64Array(0), bytes: new Uint32Array(0), copies: new Uint8Array(0), outcome: new Uint8Array(0) })).toThrow(/writer is closed/);
    live.finish(summary(), { wallMs: 0, events: 0 });
    expect(b.getRun(live.runId).status).toBe('done');
    b.close();
    a.close();
  });

  it('a run whose writer lives in another process stays running while that process holds its lease', async () => {
    const file = dbPath(dir, 'alive');
    const writer = await startWriter(file, 10_000);
    try {
      const s = RunStore.open(file);
      expect(s.openReport.interrupted).toEqual([]);
      expect(s.getRun(2).status).toBe('running');
      expect(s.listRuns({ status: 'running' }).total).toBe(1);
      s.close();
    } finally {
      await writer.kill();
    }
    const after = RunStore.open(file);
    expect(after.getRun(2).status).toBe('interrupted');
    after.close();
  });

  it('a database with an unfinished run of a dead writer gets PRAGMA quick_check, and a failing check refuses it', () => {
    const file = dbPath(dir, 'check');
    const s = RunStore.open(file);
    const w = s.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e' });
    s.database.prepare("UPDATE runs SET owner_lease = ?, owner_token = 'ffffffffffffffff', owner_pid = 999999999 WHERE id = ?").run(`${file}-lease-ffffffffffffffff`, w.runId);
    w.addSeries('depth:m', [0, 1, 2], [1, 2, 3]);
    w.flush();
    const db = s.database;
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'series_chunks'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close(); // as if the process died: the run stays `running`, nothing marks it (the WAL is checkpointed)
    // Damage a b-tree page the open path does not read (series_chunks): its cell pointers point nowhere.
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('PRAGMA quick_check').pluck().all()).toEqual(['ok']);
    raw.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(32, 0xff), 0, 32, (root - 1) * pageSize + 8);
    closeSync(fd);
    const before = fileHash(file);
    // quick_check either lists the problems or fails outright with SQLITE_CORRUPT, depending on the bytes hit.
    expect(() => RunStore.open(file)).toThrow(/is damaged (after an unclean shutdown \(quick_check: .+|\(quick_check failed: SQLITE_CORRUPT.*)\); it was not modified/);
    expect(fileHash(file)).toBe(before);
  });
});
