import { describe, expect, it } from 'vitest';
import { csvField } from '../../../src-main/store/exportRun';
import { MESSAGE_CHUNK, RunStore, StoreError, canonicalJson, designHash, type RunId } from '../../../src-main/store';
import { batch, dbPath, flow, smallDesign, summary, tempDir, uniformBatch } from './helpers';

const dir = tempDir();

describe('a run round trip', () => {
  it('stores the design snapshot, settings, samples, series, trace and summary, and reads them back after reopening', () => {
    const file = dbPath(dir);
    const design = { ...smallDesign('round trip'), ui: { viewport: { x: 1, y: 2, zoom: 1 } } };
    const hash = designHash(design);
    let runId: RunId;
    {
      const store = RunStore.open(file);
      const w = store.beginRun({ design, designHash: hash, seed: 42, engineVersion: 'engine-1', settings: { durationNs: 5000 }, flows: [{ id: 'a', name: 'A' }, { id: 'b' }], label: 'first try' });
      runId = w.runId;
      expect(store.getRun(runId)).toMatchObject({ status: 'running', messages: 0, flowTable: [{ idx: 0, id: 'a', name: 'A' }, { idx: 1, id: 'b', name: 'b' }] });
      // Flow a crosses a chunk boundary (MESSAGE_CHUNK + 10 samples in uneven batches); flow b has losses.
      w.addMessages(uniformBatch(0, 40_000, (i) => 100 + (i % 10)));
      w.addMessages(uniformBatch(0, MESSAGE_CHUNK + 10 - 40_000, (i) => 100 + ((i + 40_000) % 10), 40_000_000));
      w.addMessages(batch([
        [1, 0, 50, 8, 1, 0],
        [1, 10, NaN, 8, 0, 1],
        [1, 20, 70, 8, 1, 5],
        [1, 30, 90, 8, 1, 2],
      ]));
      w.addSeriesPoint('mpu:p', 0, 2);
      w.addSeriesPoint('mpu:p', 100, 3);
      w.addSeries('depth:m', [0, 5, 5, 9], [0, 1, 4, 2]); // the second point at t=5 supersedes the first
      w.addTrace(10, 'k', 'p', 'syscall', 'command 1');
      w.addTrace(20, 'k', null, 'contextSwitch', '');
      const s = summary({ design: design.name, designHash: hash, seed: 42, engineVersion: 'engine-1', simTimeNs: 50_000_000, flows: [flow('a', { name: 'A', sent: MESSAGE_CHUNK + 10 }), flow('b', { name: 'B', sent: 4 })] });
      w.finish(s, { wallMs: 12.5, events: 777 });
      expect(w.closed).toBe(true);
      expect(() => w.addMessages(uniformBatch(0, 1, () => 1))).toThrow(StoreError);
      store.close();
    }
    const store = RunStore.open(file);
    const run = store.getRun(runId);
    expect(run).toMatchObject({
      id: runId,
      status: 'done',
      designName: 'round trip',
      designHash: hash,
      label: 'first try',
      seed: 42,
      engineVersion: 'engine-1',
      wallMs: 12.5,
      events: 777,
      simTimeNs: 50_000_000,
      messages: MESSAGE_CHUNK + 14,
      flows: 2,
      error: null,
      settings: { durationNs: 5000 },
      traceEvents: 2,
      traceDropped: 0,
      ownerPid: process.pid,
      flowTable: [{ idx: 0, id: 'a', name: 'A' }, { idx: 1, id: 'b', name: 'B' }],
      outcomeNames: ['delivered', 'dropped', 'overwritten', 'timedOut', 'failed', 'truncated'],
    });
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.createdAt);
    // The summary comes back as stored, with this run's id, wall time and events.
    expect(run.summary).toMatchObject({ runId: String(runId), wallMs: 12.5, events: 777, designHash: hash });
    expect(Object.keys(run.summary!)).toEqual(Object.keys(summary()));
    // The design snapshot is the design without `ui`, content-addressed; the run's design carries the seed and
    // duration it was run with (the runs table's), the snapshot its own.
    const { ui: _ui, ...model } = design;
    expect(store.getDesign(runId)).toEqual({ ...model, run: { ...model.run, seed: 42, durationNs: 5000 } });
    expect(canonicalJson(store.getDesignByHash(hash))).toBe(canonicalJson(model));
    // Per-flow statistics from the samples.
    const [a, b] = store.flowStats(runId);
    expect(a).toMatchObject({ id: 'a', sent: MESSAGE_CHUNK + 10, delivered: MESSAGE_CHUNK + 10, copies: 2 * (MESSAGE_CHUNK + 10), bytes: 16 * (MESSAGE_CHUNK + 10) });
    expect(a!.latencyNs).toMatchObject({ min: 100, max: 109 });
    expect(b).toMatchObject({ id: 'b', sent: 4, delivered: 2, outcomes: [1, 1, 1, 0, 0, 1], copies: 3, bytes: 32, latencyNs: { min: 50, max: 50, p50: 50, mean: 50 } });
    // Series and trace.
    expect(store.listSeries(runId)).toEqual([
      { key: 'depth:m', points: 3, tMinNs: 0, tMaxNs: 9, vMin: 0, vMax: 4 },
      { key: 'mpu:p', points: 2, tMinNs: 0, tMaxNs: 100, vMin: 2, vMax: 3 },
    ]);
    expect(store.trace(runId)).toEqual([
      { seq: 0, timeNs: 10, kernelId: 'k', processId: 'p', kind: 'syscall', detail: 'command 1' },
      { seq: 1, timeNs: 20, kernelId: 'k', processId: null, kind: 'contextSwitch', detail: '' },
    ]);
    store.close();
  });

  it('exports message CSV (one row per sample), flow CSV and JSON', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', flows: [{ id: 'x>y', name: 'X, "quoted"' }] });
    w.addMessages(batch([
      [0, 0, 150, 8, 2, 0],
      [0, 10, NaN, 8, 0, 1],
      [0, 20, 45, 4, 1, 5],
    ]));
    w.finish(summary({ flows: [flow('x>y', { name: 'X, "quoted"', mechanism: 'mailbox' })] }), { wallMs: 1, events: 3 });
    const id = w.runId;
    expect([...store.exportCsv(id)].join('')).toBe(
      'run_id,flow_idx,flow_id,seq,send_ns,deliver_ns,latency_ns,bytes,copies,outcome\n' +
        `${id},0,x>y,0,0,150,150,8,2,delivered\n` +
        `${id},0,x>y,1,10,,,8,0,dropped\n` +
        `${id},0,x>y,2,20,45,25,4,1,truncated\n`,
    );
    expect([...store.exportCsv(id, 'flows')].join('')).toBe(
      'run_id,flow_idx,flow_id,name,mechanism,sent,delivered,outcome_delivered,outcome_dropped,outcome_overwritten,outcome_timedOut,outcome_failed,outcome_truncated,copies,bytes,latency_min_ns,latency_mean_ns,latency_p50_ns,latency_p90_ns,latency_p99_ns,latency_max_ns,bytes_copied\n' +
        `${id},0,x>y,"X, ""quoted""",mailbox,3,2,1,1,0,0,0,1,3,20,25,87.5,25,150,150,150,0\n`,
    );
    const json = store.exportJson(id) as { format: string; version: number; run: { id: number; summary: unknown }; design: { name: string }; flowStats: unknown[] };
    expect(json).toMatchObject({ format: 'tock-ipc-studio/run-export', version: 1, run: { id }, design: { name: 'small' } });
    expect(json.flowStats).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    store.close();
  });

  it('keeps one design row per content, and rejects a designHash that does not match', () => {
    const store = RunStore.open(dbPath(dir));
    const d = smallDesign('same');
    for (const seed of [1, 2, 3]) store.beginRun({ design: d, seed, engineVersion: 'e' }).finish(summary(), { wallMs: 0, events: 0 });
    // Key order and the ui field do not change the content address.
    const reordered = JSON.parse(JSON.stringify({ ui: { zoom: 2 }, run: d.run, edges: d.edges, nodes: d.nodes, name: d.name, version: d.version, format: d.format }));
    expect(designHash(reordered)).toBe(designHash(d));
    store.beginRun({ design: reordered, seed: 4, engineVersion: 'e' }).cancel();
    expect(store.database.prepare('SELECT count(*) FROM designs').pluck().get()).toBe(1);
    expect(() => store.beginRun({ design: d, designHash: 'f'.repeat(64), seed: 1, engineVersion: 'e' })).toThrow(/does not match the design/);
    store.close();
  });

  it('follows the life cycle: queued → running → cancelled / failed; closing the store interrupts open runs', () => {
    const file = dbPath(dir);
    const store = RunStore.open(file);
    const d = smallDesign();
    const q = store.beginRun({ design: d, seed: 1, engineVersion: 'e', queued: true });
    expect(store.getRun(q.runId)).toMatchObject({ status: 'queued', startedAt: null });
    q.start();
    expect(store.getRun(q.runId).status).toBe('running');
    expect(store.getRun(q.runId).startedAt).not.toBeNull();
    q.addMessages(uniformBatch(0, 5, () => 10));
    q.cancel({ wallMs: 3 });
    expect(store.getRun(q.runId)).toMatchObject({ status: 'cancelled', messages: 5, wallMs: 3, summary: null });
    const f = store.beginRun({ design: d, seed: 2, engineVersion: 'e' });
    f.fail(new Error('engine blew up: queue overflow'));
    expect(store.getRun(f.runId)).toMatchObject({ status: 'failed', error: 'engine blew up: queue overflow' });
    const open = store.beginRun({ design: d, seed: 3, engineVersion: 'e' });
    open.addMessages(uniformBatch(0, 7, () => 10));
    store.close();
    const again = RunStore.open(file);
    expect(again.getRun(open.runId)).toMatchObject({ status: 'interrupted', messages: 7, error: expect.stringMatching(/store was closed/) });
    expect(again.openReport.interrupted).toEqual([]); // it was marked at close, not found dead at open
    again.close();
  });

  it('caps trace events and counts the rest; deletes runs with their recordings', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', maxTraceEvents: 10 });
    for (let i = 0; i < 15; i++) w.addTrace(i, 'k', null, 'tick', `${i}`);
    // Faults have their own cap: a crash and a link going down after the cap are kept.
    w.addTrace(20, 'k', 'p', 'crash');
    w.addTrace(21, 'k', null, 'linkDown', 'eth');
    w.addMessages(uniformBatch(0, 3, () => 1));
    w.addSeriesPoint('cpu:k', 0, 0.5);
    w.finish(summary(), { wallMs: 0, events: 0 });
    expect(store.getRun(w.runId)).toMatchObject({ traceEvents: 12, traceDropped: 5 });
    expect(store.trace(w.runId, { limit: 100 }).map((e) => e.detail)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '', 'eth']);
    expect(store.trace(w.runId, { kind: 'crash' }).map((e) => [e.timeNs, e.processId])).toEqual([[20, 'p']]);
    const running = store.beginRun({ design: smallDesign(), seed: 2, engineVersion: 'e' });
    expect(() => store.deleteRun(running.runId)).toThrow(/cancel it before deleting/);
    expect(store.deleteRun(w.runId)).toBe(true);
    expect(store.deleteRun(w.runId)).toBe(false);
    const db = store.database;
    for (const t of ['msg_chunks', 'flow_stats', 'series', 'series_chunks', 'trace_chunks']) expect(db.prepare(`SELECT count(*) FROM ${t} WHERE ${t === 'series_chunks' ? 'series_id IN (SELECT id FROM series WHERE run_id = ?)' : 'run_id = ?'}`).pluck().get(w.runId)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM designs').pluck().get()).toBe(1); // still used by the running run
    running.cancel();
    store.close();
  });

  it('rejects malformed input with a StoreError', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e' });
    const bad = uniformBatch(0, 3, () => 1);
    bad.outcome = new Uint8Array(2);
    expect(() => w.addMessages(bad)).toThrow(/columns differ in length/);
    w.addSeriesPoint('s', 10, 1);
    expect(() => w.addSeriesPoint('s', 5, 1)).toThrow(/time 5 is before 10/);
    expect(() => store.beginRun({ design: smallDesign(), seed: -1, engineVersion: 'e' })).toThrow(/seed/);
    expect(() => store.getRun(999)).toThrow(expect.objectContaining({ code: 'not-found' }));
    w.cancel();
    store.close();
  });
});

describe('the run list', () => {
  const file = dbPath(dir);
  const ids: RunId[] = [];
  it('filters by design name, hash prefix, status, seed and text; pages with limit/offset', () => {
    const store = RunStore.open(file);
    const d1 = smallDesign('CAN latest value');
    const d2 = smallDesign('Queues 100%_test');
    const mk = (d: typeof d1, seed: number, end: 'done' | 'failed' | 'running', label?: string): void => {
      const w = store.beginRun({ design: d, seed, engineVersion: 'e-9', ...(label ? { label } : {}) });
      ids.push(w.runId);
      if (end === 'done') w.finish(summary(), { wallMs: 1, events: 1 });
      else if (end === 'failed') w.fail('MPU exhausted');
    };
    mk(d1, 1, 'done');
    mk(d1, 2, 'failed');
    mk(d2, 1, 'done', 'baseline');
    mk(d2, 3, 'running');
    const all = store.listRuns();
    expect(all.total).toBe(4);
    expect(all.items.map((r) => r.id)).toEqual([...ids].reverse());
    expect(store.listRuns({ designName: 'can LATEST' }).items.map((r) => r.seed)).toEqual([2, 1]);
    expect(store.listRuns({ designName: '100%_' }).total).toBe(2); // LIKE wildcards are literal
    expect(store.listRuns({ designName: '%' }).items.map((r) => r.designName)).toEqual(['Queues 100%_test', 'Queues 100%_test']);
    expect(store.listRuns({ designHash: designHash(d2).slice(0, 8) }).total).toBe(2);
    expect(store.listRuns({ status: 'done' }).total).toBe(2);
    expect(store.listRuns({ status: ['failed', 'running'] }).items.map((r) => r.status)).toEqual(['running', 'failed']);
    expect(store.listRuns({ seed: 1 }).total).toBe(2);
    expect(store.listRuns({ text: 'baseline' }).items.map((r) => r.id)).toEqual([ids[2]]);
    expect(store.listRuns({ text: 'mpu exhausted' }).items.map((r) => r.id)).toEqual([ids[1]]);
    expect(store.listRuns({ text: String(ids[0]) }).items.map((r) => r.id)).toContain(ids[0]);
    const page = store.listRuns({ limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4 });
    expect(page.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect(() => store.listRuns({ status: 'bogus' as never })).toThrow(/unknown status/);
    expect(() => store.listRuns({ designHash: 'xyz' })).toThrow(/hex digits/);
    store.close();
  });
});

describe('the flow table', () => {
  it('defaults to the design flows, can be replaced while running, and takes the summary flows at the end', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e' });
    expect(store.getRun(w.runId).flowTable).toEqual([{ idx: 0, id: 'p>m>c', name: 'p → m → c' }]);
    w.setFlowTable([{ id: 'x', name: 'X' }, { id: 'y' }]);
    w.addMessages(batch([[2, 0, 5, 1, 1, 0]])); // an index beyond the table gets a placeholder
    w.flush();
    expect(store.getRun(w.runId).flowTable).toEqual([
      { idx: 0, id: 'x', name: 'X' },
      { idx: 1, id: 'y', name: 'y' },
      { idx: 2, id: '#2', name: 'flow #2' },
    ]);
    expect(() => w.setFlowTable([{ id: 'x' }, { id: 'x' }])).toThrow(/unique/);
    w.finish(summary({ flows: [flow('x2', { name: 'X2' })] }), { wallMs: 0, events: 0 });
    expect(store.getRun(w.runId).flowTable).toEqual([
      { idx: 0, id: 'x2', name: 'X2' },
      { idx: 1, id: 'y', name: 'y' },
      { idx: 2, id: '#2', name: 'flow #2' },
    ]);
    store.close();
  });
});

describe('streaming an export', () => {
  it('leaves the connection free between pieces (other queries can run while it is paused)', () => {
    const store = RunStore.open(dbPath(dir));
    const w = store.beginRun({ design: smallDesign(), seed: 1, engineVersion: 'e', flows: [{ id: 'a' }] });
    w.addMessages(uniformBatch(0, MESSAGE_CHUNK * 2 + 5, () => 7));
    w.finish(summary({ flows: [flow('a')] }), { wallMs: 0, events: 0 });
    const it = store.exportCsv(w.runId)[Symbol.iterator]();
    let rows = 0;
    for (let r = it.next(); !r.done; r = it.next()) {
      rows += (r.value.match(/\n/g) ?? []).length;
      expect(store.listRuns().total).toBe(1); // would throw "connection is busy" with an open iterator
    }
    expect(rows).toBe(MESSAGE_CHUNK * 2 + 5 + 1);
    store.close();
  });
});

describe('CSV fields', () => {
  it('quote what needs quoting and defuse text a spreadsheet would run as a formula', () => {
    expect(['plain', 'a,b', 'say "hi"', '=HYPERLINK("x")', '+1', '-cmd', '@SUM(A1)', 42, -1, null].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', `"'=HYPERLINK(""x"")"`, "'+1", "'-cmd", "'@SUM(A1)", '42', '-1', '']);
  });
});
