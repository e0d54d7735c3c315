import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runsCommand } from '../../../src-main/cli/runs';
import { invokeCli, invokeMain } from '../cli/invoke';
import { RunStore } from '../../../src-main/store';
import { batch, damageTable, databaseWithRuns, dbPath, fileHash, flow, smallDesign, summary, tempDir } from './helpers';

const dir = tempDir();
let db: string;

/** Runs `tock-studio runs …` in-process. */
function runs(...args: string[]): ReturnType<typeof invokeCli> {
  return invokeCli('runs', runsCommand, args);
}

beforeAll(() => {
  db = dbPath(dir, 'cli');
  const s = RunStore.open(db);
  const w1 = s.beginRun({ design: smallDesign('CLI design'), seed: 1, engineVersion: 'e1', flows: [{ id: 'p>m>c', name: 'p → m → c' }] });
  w1.addMessages(batch([
    [0, 0, 100, 8, 2, 0],
    [0, 10, NaN, 8, 0, 1],
  ]));
  w1.finish(
    summary({
      design: 'CLI design',
      flows: [flow('p>m>c', { name: 'p → m → c', sent: 2, delivered: 1, dropped: 1, latencyNs: { mean: 100, p50: 100, p90: 100, p99: 100, max: 100 }, copiesPerMessage: 2 })],
      processes: [{ id: 'p', name: 'p', kernel: 'k', mpuRegionsPeak: 3, mpuRegionsCapacity: 5, mpuMapFailures: 0, alignmentWasteBytes: 0, restarts: 0 }],
      mechanisms: [
        {
          id: 'm',
          name: 'm',
          kind: 'twoCopyChannel',
          copies: 2,
          bytesCopied: 16,
          copySites: [
            { site: "sender's allow → kernel FIFO", copies: 1, bytesCopied: 8 },
            { site: "kernel FIFO → receiver's allow", copies: 1, bytesCopied: 8 },
          ],
          maxDepth: 1,
          drops: 1,
        },
      ],
    }),
    { wallMs: 5, events: 10 },
  );
  const w2 = s.beginRun({ design: smallDesign('CLI design', { periodNs: 500 }), seed: 2, engineVersion: 'e1', flows: [{ id: 'p>m>c', name: 'p → m → c' }] });
  w2.addMessages(batch([[0, 0, 80, 8, 1, 0]]));
  w2.finish(
    summary({
      design: 'CLI design',
      flows: [flow('p>m>c', { name: 'p → m → c', sent: 1, delivered: 1, latencyNs: { mean: 80, p50: 80, p90: 80, p99: 80, max: 80 }, copiesPerMessage: 1 })],
      processes: [{ id: 'p', name: 'p', kernel: 'k', mpuRegionsPeak: 4, mpuRegionsCapacity: 5, mpuMapFailures: 0, alignmentWasteBytes: 0, restarts: 0 }],
    }),
    { wallMs: 6, events: 11 },
  );
  s.close();
});

const envBefore = process.env.TOCK_STUDIO_DB;
afterEach(() => {
  if (envBefore === undefined) delete process.env.TOCK_STUDIO_DB;
  else process.env.TOCK_STUDIO_DB = envBefore;
});

describe('tock-studio runs list', () => {
  it('prints a table, newest first', async () => {
    const r = await runs('list', '--db', db);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+id\s+status\s+design\s+hash\s+seed\s+messages\s+wall\s+created$/);
    expect(lines[1]).toMatch(/^\s+2\s+done\s+CLI design\s+[0-9a-f]{12}\s+2\s+1\s+6 ms\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(lines[2]).toMatch(/^\s+1\s+done\s+CLI design/);
  });
  it('keeps one run to a line when a name holds a newline or a tab', async () => {
    const file = dbPath(dir, 'cli-newline');
    const s = RunStore.open(file);
    const w = s.beginRun({ design: smallDesign('two\nlines\there'), seed: 1, engineVersion: 'e1', flows: [{ id: 'f', name: 'f' }] });
    w.finish(summary({ design: 'two\nlines\there', flows: [flow('f', { name: 'a\nflow' })] }), { wallMs: 1, events: 1 });
    s.close();
    const list = (await runs('list', '--db', file)).out.trimEnd().split('\n');
    expect(list).toHaveLength(2);
    expect(list[1]).toMatch(/^\s+1\s+done\s+two lines here\s+[0-9a-f]{12}/);
    const show = (await runs('show', '1', '--db', file)).out;
    expect(show).toContain('\n  design    two lines here (');
    expect(show).toMatch(/\n {2}a flow +0 /);
    expect(show).toContain('recorded  0 message samples, 1 flow, 0 trace events');
  });
  it('prints JSON and applies filters', async () => {
    const r = await runs('list', '--db', db, '--json', '--seed', '1');
    expect(r.code).toBe(0);
    const page = JSON.parse(r.out);
    expect(page).toMatchObject({ db, total: 1, items: [{ id: 1, status: 'done', designName: 'CLI design', seed: 1, messages: 2 }] });
    expect(JSON.parse((await runs('list', '--db', db, '--json', '--status', 'failed,interrupted')).out).total).toBe(0);
    expect(JSON.parse((await runs('list', '--db', db, '--json', '--search', 'cli des', '--limit', '1')).out)).toMatchObject({ total: 2, items: [{ id: 2 }] });
  });
  it('uses the default database ($TOCK_STUDIO_DB) and says when it does not exist yet', async () => {
    process.env.TOCK_STUDIO_DB = db;
    expect((await runs('list', '--json')).out).toContain('"total":2');
    process.env.TOCK_STUDIO_DB = join(dir, 'never-created.sqlite');
    const r = await runs('list');
    expect(r).toMatchObject({ code: 0, out: `no runs yet (${join(dir, 'never-created.sqlite')} does not exist)\n` });
    expect(existsSync(join(dir, 'never-created.sqlite'))).toBe(false);
  });
  it('rejects bad options with exit 2', async () => {
    expect(await runs('list', '--db', db, '--status', 'finished')).toMatchObject({ code: 2, err: expect.stringContaining('--status finished: unknown status') });
    expect(await runs('list', '--db', db, '--limit', 'lots')).toMatchObject({ code: 2 });
    // 0 would list nothing; it used to list one run.
    expect(await runs('list', '--db', db, '--limit', '0', '--json')).toMatchObject({ code: 2, out: '', err: expect.stringContaining('--limit 0: a whole number from 1 to 1000') });
    expect(await runs('list', '--db', db, '--frobnicate')).toMatchObject({ code: 1, err: expect.stringContaining('unknown option --frobnicate') });
    // A flag given a value, and a short option, are refused as such (not "unknown --json (known: … --json …)", not a file).
    expect(await runs('list', '--db', db, '--json=true')).toMatchObject({ code: 1, out: '', err: expect.stringContaining('--json takes no value (write --json, not --json=true)') });
    expect(await runs('list', '--db', db, '-j')).toMatchObject({ code: 1, out: '', err: expect.stringContaining('unknown option -j (options are spelled out: ') });
  });
});

describe('tock-studio runs show', () => {
  it('prints one run', async () => {
    const r = await runs('show', '1', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^run 1 — done\n/);
    expect(r.out).toMatch(/seed\s+1\s+engine e1/);
    expect(r.out).toMatch(/recorded\s+2 message samples, 1 flow, 0 trace events/);
    expect(r.out).toMatch(/p → m → c\s+2\s+1\s+1\s+100 ns\s+100 ns\s+2\.00/);
    expect(r.out).toMatch(/processes \(MPU regions peak \/ capacity\)\n\s+p\s+3 \/ 5/);
    expect(r.out).toMatch(/m \(twoCopyChannel\)\s+copies 2, 16 B copied, max depth 1, discarded 1\n\s+sender's allow → kernel FIFO\s+1 copy, 8 B\n\s+kernel FIFO → receiver's allow\s+1 copy, 8 B\n/);
  });
  it('prints the run record with its summary as JSON', async () => {
    const r = await runs('show', '#2', '--db', db, '--json');
    expect(JSON.parse(r.out)).toMatchObject({ id: 2, status: 'done', summary: { runId: '2', wallMs: 6, events: 11 } });
  });
  it('names a missing run, and a bad id', async () => {
    expect(await runs('show', '99', '--db', db)).toMatchObject({ code: 1, err: `tock-studio runs: no run 99 in ${db}\n` });
    expect(await runs('show', 'abc', '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('"abc" is not a run id') });
  });
});

describe('tock-studio runs compare', () => {
  it('prints deltas against the first run and the design changes', async () => {
    const r = await runs('compare', '1', '2', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^comparing 2 runs \(deltas against the baseline, #1\)\n {2}#1 {2}CLI design {2}seed 1 {2}1 µs simulated {2}\[done\] {2}\(baseline\)\n {2}#2 {2}CLI design {2}seed 2 {2}1 µs simulated {2}\[done\]\n/);
    expect(r.out).toContain('#2          p50 80 ns (−20 ns)   p99 80 ns (−20 ns)   copies/msg 1.00 (−1.00)   lost 0 (−1)   sent 1 (−1)');
    expect(r.out).toContain('MPU peak 4 (+1)');
    expect(r.out).toContain('~ node p (process) params.periodNs: 1000 → 500');
    expect(r.out).toContain('#1 → #2: 0 nodes added, 0 removed, 1 changed; 0 edges added, 0 removed, 0 changed; 1 parameters changed\n    different run: seed 1 → 2\n');
  });
  it('shows each run\'s seed and simulated time, and says how runs of the same design were run differently', async () => {
    const file = dbPath(dir, 'same-design');
    const s = RunStore.open(file);
    for (const [seed, simTimeNs] of [[4, 1_000_000_000], [5, 500_000_000], [4, 1_000_000_000]] as const) {
      const w = s.beginRun({ design: smallDesign('Same'), seed, engineVersion: 'e1', flows: [{ id: 'f', name: 'f' }] });
      w.finish(summary({ design: 'Same', seed, simTimeNs, flows: [flow('f')] }), { wallMs: 1, events: 1 });
    }
    s.close();
    const r = await runs('compare', '1', '2', '3', '--db', file);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      'comparing 3 runs (deltas against the baseline, #1)',
      '  #1  Same  seed 4     1 s simulated  [done]  (baseline)',
      '  #2  Same  seed 5  500 ms simulated  [done]',
      '  #3  Same  seed 4     1 s simulated  [done]',
    ]);
    expect(r.out).toContain('\n  #1 → #2: same design; different run: seed 4 → 5, simulated 1 s → 500 ms\n  #1 → #3: same design\n');
    // --json keeps its fields (each run's seed and simTimeNs were there already).
    const c = JSON.parse((await runs('compare', '1', '2', '--db', file, '--json')).out) as { runs: Record<string, unknown>[] };
    expect(Object.keys(c)).toEqual(['runs', 'flows', 'processes', 'mechanisms', 'kernels', 'designDiffs']);
    expect(c.runs.map((x) => [x.seed, x.simTimeNs])).toEqual([[4, 1_000_000_000], [5, 500_000_000]]);
  });
  it('shows messages cut short, in a column of their own only when some run cut any', async () => {
    const file = dbPath(dir, 'cli-cut');
    const s = RunStore.open(file);
    for (const truncated of [0, 40, 0]) {
      const w = s.beginRun({ design: smallDesign('Cut'), seed: 1, engineVersion: 'e1', flows: [{ id: 'f', name: 'f' }] });
      w.finish(summary({ design: 'Cut', flows: [flow('f', { sent: 40, delivered: 40, truncated })] }), { wallMs: 1, events: 1 });
    }
    s.close();
    const cut = await runs('compare', '1', '2', '--db', file);
    expect(cut.code).toBe(0);
    expect(cut.out).toMatch(/#1 \(base\)\s+cut 0\s+p50 /);
    expect(cut.out).toMatch(/#2\s+cut 40 \(\+40\)\s+p50 /);
    expect((await runs('compare', '1', '3', '--db', file)).out).not.toMatch(/\bcut\b/);
  });

  it('says how CLI runs of one design file were run (--seed, --duration), once, and not a design change', async () => {
    const file = dbPath(dir, 'cli-settings');
    const s = RunStore.open(file);
    const design = smallDesign('Queues'); // saved with its own seed and duration
    const saved7 = { ...design, run: { ...design.run, seed: 7 } };
    for (const [d, seed, durationNs] of [[design, 7, 1_000_000_000], [design, 3, 500_000_000], [saved7, 7, 1_000_000_000]] as const) {
      const w = s.beginRun({ design: d, seed, engineVersion: 'e1', settings: { durationNs, warmupNs: 0 }, flows: [{ id: 'f', name: 'f' }] });
      w.finish(summary({ design: 'Queues', seed, simTimeNs: durationNs, flows: [flow('f')] }), { wallMs: 1, events: 1 });
    }
    s.close();
    const r = await runs('compare', '1', '2', '3', '--db', file);
    expect(r.code).toBe(0);
    // #1 → #3: the CLI's --seed 7 and a design saved with seed 7 ran the same.
    expect(r.out).toContain('\n  #1 → #2: same design; different run: seed 7 → 3, simulated 1 s → 500 ms\n  #1 → #3: same design\n');
    expect(r.out).not.toContain('run.seed');
  });

  it('prints JSON', async () => {
    const c = JSON.parse((await runs('compare', '1', '2', '--db', db, '--json')).out);
    expect(c.flows[0].deltas[1]).toMatchObject({ p50: -20, p99: -20, copiesPerMessage: -1, drops: -1 });
    expect(c.processes[0].deltas[1]).toMatchObject({ mpuRegionsPeak: 1 });
    expect(c.designDiffs[1].counts.paramsChanged).toBe(1);
  });
  it('needs two runs', async () => {
    expect(await runs('compare', '1', '--db', db)).toMatchObject({ code: 2 });
  });
});

describe('tock-studio runs export', () => {
  it('writes message CSV to a file', async () => {
    const out = join(dir, 'msgs.csv');
    const r = await runs('export', '1', '--format', 'csv', '--out', out, '--db', db);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^run 1: wrote \d+ bytes of CSV \(messages\) to /);
    expect(readFileSync(out, 'utf8')).toBe('run_id,flow_idx,flow_id,seq,send_ns,deliver_ns,latency_ns,bytes,copies,outcome\n1,0,p>m>c,0,0,100,100,8,2,delivered\n1,0,p>m>c,1,10,,,8,0,dropped\n');
  });
  it('writes flow CSV and JSON to stdout', async () => {
    const flows = await runs('export', '1', '--format', 'csv', '--rows', 'flows', '--db', db);
    expect(flows.out.split('\n')[1]).toBe('1,0,p>m>c,p → m → c,twoCopyChannel,2,1,1,1,0,0,0,0,2,16,100,100,100,100,100,100,0');
    const json = JSON.parse((await runs('export', '2', '--format', 'json', '--db', db)).out);
    expect(json).toMatchObject({ format: 'tock-ipc-studio/run-export', run: { id: 2 }, design: { name: 'CLI design' } });
  });
  it('checks --format and --rows', async () => {
    expect(await runs('export', '1', '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('--format (missing): csv or json') });
    expect(await runs('export', '1', '--format', 'xml', '--db', db)).toMatchObject({ code: 2 });
    expect(await runs('export', '1', '--format', 'csv', '--rows', 'bytes', '--db', db)).toMatchObject({ code: 2 });
    expect(await runs('export', '1', '--format', 'csv', '--out', db, '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('that is the run database (') });
  });
});

describe('tock-studio runs with a file that is not a run database', () => {
  it('names the file, exits 1 and leaves it untouched', async () => {
    const txt = join(dir, 'readme.txt');
    writeFileSync(txt, 'hello\n');
    const before = fileHash(txt);
    const r = await runs('list', '--db', txt);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tock-studio runs: ${txt}: is a text file ("hello"), not a Tock IPC Studio run database; it was not modified\n`);
    expect(fileHash(txt)).toBe(before);
    expect(await runs('show', '1', '--db', join(dir, 'missing.sqlite'))).toMatchObject({ code: 1, err: expect.stringContaining('missing.sqlite: no such run database') });
  });
  it('a database damaged past its first page: list and show refuse it (exit 1, one line), the file byte-identical', async () => {
    const file = dbPath(dir, 'damaged-runs');
    databaseWithRuns(file);
    damageTable(file, 'runs');
    const before = fileHash(file);
    for (const argv of [['runs', 'list', '--db', file], ['runs', 'show', '1', '--db', file], ['runs', 'compare', '1', '2', '--db', file, '--json']]) {
      const r = await invokeMain(argv);
      expect([r.code, r.out], argv.join(' ')).toEqual([1, '']);
      expect(r.err).toMatch(/^tock-studio runs: .*: is damaged \(SQLITE_CORRUPT[^\n]*\); it was not modified\n$/);
      expect(r.err).toContain(file);
    }
    expect(fileHash(file)).toBe(before);
  });
  it('damage met by a later query (the samples of an export) is refused the same way, not an internal error', async () => {
    const file = dbPath(dir, 'damaged-chunks');
    databaseWithRuns(file);
    damageTable(file, 'msg_chunks', true);
    const before = fileHash(file);
    const out = join(dir, 'damaged.csv');
    for (const argv of [['runs', 'export', '1', '--format', 'csv', '--db', file], ['runs', 'export', '1', '--format', 'csv', '--out', out, '--db', file]]) {
      const r = await invokeMain(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toBe(`tock-studio runs: ${file}: is damaged (SQLITE_CORRUPT: database disk image is malformed); it was not modified\n`);
    }
    expect(existsSync(out)).toBe(false);
    expect(fileHash(file)).toBe(before);
  });
  it('a truncated database is refused, exit 1, untouched', async () => {
    const file = dbPath(dir, 'truncated');
    databaseWithRuns(file, 50_000);
    const size = statSync(file).size;
    truncateSync(file, size - 100);
    const before = fileHash(file);
    const r = await invokeMain(['runs', 'list', '--db', file]);
    expect(r).toEqual({ code: 1, out: '', err: `tock-studio runs: ${file}: is damaged (truncated: ${size - 100} bytes is not a whole number of 16384-byte pages); it was not modified\n` });
    expect(fileHash(file)).toBe(before);
  });
  it('prints usage for no or unknown subcommands', async () => {
    expect(await runs()).toMatchObject({ code: 2, out: expect.stringContaining('tock-studio runs list') });
    expect(await runs('help')).toMatchObject({ code: 0 });
    expect(await runs('purge')).toMatchObject({ code: 2, err: expect.stringContaining('unknown subcommand "purge"') });
  });
});
