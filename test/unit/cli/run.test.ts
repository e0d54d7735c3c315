import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDurationFlag, runCommand, type RunEnv } from '../../../src-main/cli/run';
import { runDesign } from '../../../src-main/engine/tock/run';
import { designHash } from '../../../src-main/store/hash';
import { RunStore } from '../../../src-main/store';
import { MAX_DURATION_NS } from '../../../src-shared/catalog/params';
import { estimateRecording, parseDesignText } from '../../../src-shared/model';
import { formatBytes } from '../../../src-shared/util/units';
import { DesignBuilder } from '../../fixtures/builder';
import { damageTable, databaseWithRuns, dbPath, fileHash, tempDir } from '../store/helpers';
import { invokeCli, invokeMain } from './invoke';

const root = join(__dirname, '../../..');
const example = join(root, 'resources/examples/queues.json');
const dir = tempDir('tock-cli-run-');

/** Runs `tock-studio run …` in-process. */
function run(...args: string[]): ReturnType<typeof invokeCli> {
  return invokeCli('run', runCommand, args);
}

/** Runs `tock-studio run …` in-process, the machine's free space as `env` says. */
function runWith(env: RunEnv, ...args: string[]): ReturnType<typeof invokeCli> {
  return invokeCli('run', (a, io) => runCommand(a, io, env), args);
}

/** The summary without what differs between two runs of the same design and seed. */
function comparable(json: string): Record<string, unknown> {
  const { runId: _r, wallMs: _w, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

describe('tock-studio run', () => {
  it('prints the same summary for the same design and seed, and the engine’s own numbers', async () => {
    const a = await run(example, '--seed', '3', '--duration', '50ms', '--json', '--no-record');
    const b = await run(example, '--seed', '3', '--duration', '50ms', '--json', '--no-record');
    expect(a.code).toBe(0);
    expect(comparable(b.out)).toEqual(comparable(a.out));
    const loaded = parseDesignText(readFileSync(example, 'utf8'));
    if (!loaded.ok) throw new Error('example invalid');
    const engine = runDesign(loaded.design, designHash(loaded.design), { seed: 3, durationNs: 50_000_000 });
    expect(comparable(a.out)).toEqual({ ...engine.summary, fingerprint: engine.fingerprint });
  });

  it('prints the lint\'s warnings for the run as set to stderr, and runs anyway', async () => {
    const wifi = join(root, 'resources/examples/wifi-http-server.json');
    const full = await run(wifi, '--json', '--no-record');
    expect([full.code, full.err]).toEqual([0, '']);
    const short = await run(wifi, '--duration', '1s', '--json', '--no-record');
    expect(short.code).toBe(0);
    // The element is named once, by the line's ending, not again in the reason.
    expect(short.err).toMatch(/: warning nodes\[1\]\.params\.bootWaitNs: brings its link up only at 3\.283 s \(the driver's boot\), after this 1 s run.* \(CYW43439 WiFi “CYW43439”\)\n/);
    expect(short.err).toContain(`${wifi}: warning nodes[1].params.bootWaitNs: brings its link up only at 3.283 s (the driver's boot), after this 1 s run`);
    expect(short.err).toContain('warning run.warmupNs: the warm-up is as long as the run');
    expect(JSON.parse(short.out)).toMatchObject({ simTimeNs: 1_000_000_000 });
  });

  it('records through the run worker: the stored run has the printed summary and its samples', async () => {
    const db = dbPath(dir);
    const recorded = await run(example, '--seed', '3', '--duration', '50ms', '--json', '--db', db);
    expect(recorded.code).toBe(0);
    const plain = await run(example, '--seed', '3', '--duration', '50ms', '--json', '--no-record');
    expect(comparable(recorded.out)).toEqual(comparable(plain.out));
    const printed = JSON.parse(recorded.out) as { runId: string; flows: { id: string; delivered: number }[] };
    const store = RunStore.open(db);
    try {
      const r = store.getRun(Number(printed.runId));
      expect(r.status).toBe('done');
      const { fingerprint: _f, ...summary } = JSON.parse(recorded.out) as Record<string, unknown>;
      expect(r.summary).toEqual(summary);
      expect(r.flowTable.map((f) => f.id)).toEqual(printed.flows.map((f) => f.id));
      expect(r.messages).toBeGreaterThanOrEqual(printed.flows.reduce((n, f) => n + f.delivered, 0));
    } finally {
      store.close();
    }
    const human = await run(example, '--duration', '5ms', '--db', db);
    expect(human.out).toMatch(/^Queues|Flows/m);
    expect(human.out).toContain(`Recorded as run 2 in ${db}`);
  });

  it('refuses bad flags, a design with errors and a foreign database, saying where', async () => {
    expect((await run(example, '--seed', '-1')).err).toMatch(/--seed -1: a seed is a whole number/);
    expect((await run(example, '--duration', '5 parsecs')).err).toMatch(/--duration 5 parsecs/);
    const bad = join(dir, 'bad.json');
    const design = JSON.parse(readFileSync(example, 'utf8')) as { nodes: { params: Record<string, unknown> }[] };
    design.nodes[0]!.params.clockHz = -5;
    writeFileSync(bad, JSON.stringify(design));
    const refused = await run(bad, '--no-record');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/bad\.json: .*nodes\[0\]/);
    expect(refused.err).toMatch(/the design has errors/);
    const foreign = join(dir, 'foreign.sqlite');
    writeFileSync(foreign, 'not a database, but my thesis');
    const before = fileHash(foreign);
    const r = await run(example, '--duration', '1ms', '--db', foreign);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/foreign\.sqlite/);
    expect(fileHash(foreign)).toBe(before);
  });

  it('refuses a bare number as --duration, suggesting units (5 is not 5 ns)', async () => {
    for (const bare of ['5', '0', '2.5', '1e9', '1_000']) {
      const r = await run(example, '--duration', bare, '--no-record', '--json');
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toBe(`tock-studio run: --duration ${bare}: add a unit: 250ns, 40us, 5ms, 10s\n`);
    }
    expect(() => parseDurationFlag('5')).toThrow(/add a unit/);
    expect(parseDurationFlag('5ns')).toBe(5);
  });

  it('refuses a --duration longer than a design file allows, naming the maximum', async () => {
    expect(parseDurationFlag('60min')).toBe(MAX_DURATION_NS);
    expect(parseDurationFlag('3600s')).toBe(MAX_DURATION_NS);
    for (const long of ['3600000000001ns', '61min', '2e4s']) {
      const r = await run(example, '--duration', long, '--no-record', '--json');
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toBe(`tock-studio run: --duration ${long}: longer than a design file allows; a run lasts at most 3600 s (1 hour)\n`);
    }
  });

  it('refuses an explicit --db in a folder that does not exist, creating nothing; the default database\'s folder is still made', async () => {
    const missingDir = join(dir, 'no', 'such', 'folder');
    const r = await run(example, '--duration', '1ms', '--db', join(missingDir, 'r.sqlite'));
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toBe(`tock-studio run: --db ${join(missingDir, 'r.sqlite')}: the folder ${missingDir} does not exist; create it first or choose another file\n`);
    expect(existsSync(join(dir, 'no'))).toBe(false);
    const notDir = join(dir, 'a-file');
    writeFileSync(notDir, 'x');
    expect((await run(example, '--duration', '1ms', '--db', join(notDir, 'r.sqlite'))).err).toBe(`tock-studio run: --db ${join(notDir, 'r.sqlite')}: ${notDir} is not a folder\n`);
    // The default database ($TOCK_STUDIO_DB here, else the data folder) gets its folder created, as before.
    const before = process.env.TOCK_STUDIO_DB;
    const defaultDb = join(dir, 'fresh', 'profile', 'runs.sqlite');
    process.env.TOCK_STUDIO_DB = defaultDb;
    try {
      const ok = await run(example, '--duration', '1ms', '--json');
      expect(ok.code).toBe(0);
      expect(existsSync(defaultDb)).toBe(true);
    } finally {
      if (before === undefined) delete process.env.TOCK_STUDIO_DB;
      else process.env.TOCK_STUDIO_DB = before;
    }
  });

  it('refuses a database damaged past its first page: exit 1 (not an internal error), the file byte-identical', async () => {
    const db = dbPath(dir, 'damaged');
    databaseWithRuns(db);
    damageTable(db, 'runs');
    const before = fileHash(db);
    const r = await invokeMain(['run', example, '--duration', '1ms', '--db', db]);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(new RegExp(`^tock-studio run: ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is damaged \\(SQLITE_CORRUPT[^\n]*\\); it was not modified\n$`));
    expect(fileHash(db)).toBe(before);
    expect(readdirSync(dir).filter((n) => n.startsWith(basename(db)) && n !== basename(db))).toEqual([]);
  });

  it('contradictory options are refused: --db with --no-record', async () => {
    const r = await run(example, '--no-record', '--db', join(dir, 'never.sqlite'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--db names where to record the run, and --no-record says not to/);
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
  });

  it('Ctrl+C records the run as cancelled, keeps the runs before it, and exits 130', async () => {
    const db = dbPath(dir, 'sigint');
    databaseWithRuns(db);
    const child = spawn(process.execPath, [join(root, 'bin/tock-studio.mjs'), 'run', join(root, 'resources/examples/stm32-ethernet.json'), '--duration', '3600s', '--db', db, '--no-space-check'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const status = (): string | undefined => {
      const raw = new Database(db, { readonly: true });
      try {
        return raw.prepare('SELECT status FROM runs WHERE id = 3').pluck().get() as string | undefined;
      } finally {
        raw.close();
      }
    };
    // Interrupt once the run is under way (its row says running).
    for (let i = 0; i < 300 && status() !== 'running'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(status()).toBe('running');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toMatch(/cancelled \(Ctrl\+C\); recorded as run 3, cancelled, in /);
    const s = RunStore.open(db);
    expect(s.openReport.interrupted).toEqual([]);
    expect(s.listRuns().items.map((r) => [r.id, r.status])).toEqual([
      [3, 'cancelled'],
      [2, 'done'],
      [1, 'done'],
    ]);
    s.close();
  }, 60_000);

  describe('the space a recorded run needs', () => {
    const stm32 = join(root, 'resources/examples/stm32-ethernet.json');
    const loadedStm32 = parseDesignText(readFileSync(stm32, 'utf8'));
    if (!loadedStm32.ok) throw new Error('template invalid');
    const hourBytes = estimateRecording(loadedStm32.design, { durationNs: MAX_DURATION_NS }).bytes;

    it('refuses, before recording anything, a run estimated larger than the free space: exit 2, naming the database, the estimate and the free space', async () => {
      const db = dbPath(dir, 'full-disk');
      const asked: string[] = [];
      const r = await runWith({ freeBytes: (f) => (asked.push(f), 1e9) }, stm32, '--duration', '3600s', '--db', db, '--json');
      expect([r.code, r.out]).toEqual([2, '']);
      expect(asked).toEqual([db]);
      expect(r.err).toBe(
        `tock-studio run: not enough free space to record this run in ${db}: it would record about ${estimateRecording(loadedStm32.design, { durationNs: MAX_DURATION_NS }).messages.toLocaleString('en-US')} messages, an estimated ${formatBytes(hourBytes)}, and its file system has ${formatBytes(1e9)} free; free some space, shorten the run (--duration), record elsewhere (--db) or not at all (--no-record), or record anyway with --no-space-check\n`,
      );
      expect(r.err).toMatch(/an estimated 1\.4\d* GiB, and its file system has 953\.7 MiB free/);
      expect(existsSync(db)).toBe(false);
      // Not recording needs no space.
      const plain = await runWith({ freeBytes: () => 0 }, example, '--duration', '5ms', '--no-record', '--json');
      expect([plain.code, plain.err]).toEqual([0, '']);
    });

    it('records anyway with --no-space-check, saying so on stderr', async () => {
      const db = dbPath(dir, 'forced');
      const tiny = { freeBytes: () => 1_000 }; // less than any run's fixed part
      const refused = await runWith(tiny, example, '--duration', '5ms', '--db', db, '--json');
      expect(refused.code).toBe(2);
      expect(refused.err).toContain(`not enough free space to record this run in ${db}`);
      expect(existsSync(db)).toBe(false);
      const forced = await runWith(tiny, example, '--duration', '5ms', '--db', db, '--json', '--no-space-check');
      expect(forced.code).toBe(0);
      expect(forced.err).toMatch(new RegExp(`^${example.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not enough free space to record this run in .*; recording anyway \\(--no-space-check\\)\n$`));
      expect(JSON.parse(forced.out)).toMatchObject({ simTimeNs: 5_000_000 });
      expect(existsSync(db)).toBe(true);
    });

    it('announces a run estimated above 1 GiB that fits, in one line on stderr, and runs it', async () => {
      // A client that may ask every 10 µs for an hour, of a service that takes the hour to answer (and no timeout):
      // the estimate (one request per think time, bounded by the client's CPU) is gigabytes; the run sends one.
      const design = new DesignBuilder('slow service', { durationNs: MAX_DURATION_NS })
        .kernel('k')
        .node('a', 'process', 'k', { workload: 'requestResponse', periodNs: 10_000, timeoutNs: 0 })
        .node('rq', 'relayRequest', 'k')
        .node('s', 'service', 'k', { serviceTimeNs: MAX_DURATION_NS })
        .edge('a', 'rq')
        .edge('rq', 's')
        .build();
      const file = join(dir, 'slow-service.json');
      writeFileSync(file, JSON.stringify(design));
      const e = estimateRecording(design, { durationNs: MAX_DURATION_NS });
      expect(e.bytes).toBeGreaterThan(1024 ** 3);
      const db = dbPath(dir, 'large');
      const r = await runWith({ freeBytes: () => 1e12 }, file, '--db', db, '--json');
      expect(r.code).toBe(0);
      expect(r.err).toBe(`${file}: this run will record about ${e.messages.toLocaleString('en-US')} messages, an estimated ${formatBytes(e.bytes)} (a coarse bound: "a" would send as fast as their CPU allows) in ${db} (${formatBytes(1e12)} free)\n`);
      // Below 1 GiB nothing is said.
      const small = await runWith({ freeBytes: () => 1e12 }, example, '--duration', '5ms', '--db', db, '--json');
      expect([small.code, small.err]).toEqual([0, '']);
    });
  });
});
