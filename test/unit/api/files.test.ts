import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, MAX_QUEUED_RUNS } from '../../../src-main/api/handlers';
import { createStudioHost, type StudioHost } from '../../../src-main/api/host';
import type { Runner } from '../../../src-main/runner/runner';

// Files by path: main reads or writes only a file the user chose in a native dialog (or a recent design, which got
// there that way). The renderer cannot name any other file (a script in the page, or another local page through
// serve mode, could otherwise read or overwrite any file of the user).
const root = join(__dirname, '../../..');
const example = readFileSync(join(root, 'resources/examples/queues.json'), 'utf8');
let dir: string;
let desktop: StudioHost;
let serve: StudioHost;
let chosen: string | null = null;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tock-files-'));
  desktop = createStudioHost({ dbPath: join(dir, 'a.sqlite'), mode: 'electron', recentFile: join(dir, 'recent.json'), dialogs: { open: async () => chosen, save: async () => chosen } });
  serve = createStudioHost({ dbPath: join(dir, 'b.sqlite'), mode: 'serve', recentFile: join(dir, 'recent-serve.json') });
});

afterAll(async () => {
  await desktop.close();
  await serve.close();
});

describe('designs opened and saved by path', () => {
  it('refuses to open or overwrite a file no dialog gave, saying how to get it, and leaves it as it was', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious data');
    const design = JSON.parse(example);
    for (const host of [desktop, serve]) {
      await expect(host.handlers.openDesign({ path: victim })).rejects.toThrow(/only be opened by path when it was chosen in an Open or Save dialog/);
      await expect(host.handlers.saveDesign({ design, path: victim })).rejects.toThrow(/only be saved by path when it was chosen/);
    }
    expect(readFileSync(victim, 'utf8')).toBe('precious data');
    // Nor does it say whether a file exists.
    await expect(desktop.handlers.openDesign({ path: join(dir, 'missing.json') })).rejects.toThrow(/chosen in an Open or Save dialog/);
  });

  it('reads and writes the file it checked: a granted folder’s `link/..` cannot reach the folder the link points into', async () => {
    const home = join(dir, 'home');
    const elsewhere = join(dir, 'elsewhere', 'deep');
    mkdirSync(home, { recursive: true });
    mkdirSync(elsewhere, { recursive: true });
    symlinkSync(elsewhere, join(home, 'l'));
    const granted = join(home, 'design.json');
    writeFileSync(granted, example);
    const victim = join(dir, 'elsewhere', 'design.json');
    writeFileSync(victim, 'precious');
    chosen = granted;
    const opened = await desktop.handlers.openDesign({});
    chosen = null;
    // As text, home/l/../design.json is home/design.json, the granted file; the OS would resolve it through the link
    // to elsewhere/design.json. Main reads and writes the path it checked: the granted file, never the other one.
    const r = await desktop.handlers.saveDesign({ design: opened!.design, path: join(home, 'l', '..', 'design.json') });
    expect(r?.path).toBe(granted);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    // A path that resolves into the link's target folder is not granted at all.
    await expect(desktop.handlers.saveDesign({ design: opened!.design, path: join(home, 'l', 'design.json') })).rejects.toThrow(/chosen in an Open or Save dialog/);
  });

  it('opens work in progress the studio saved (a fault with no target yet), with its problems; refuses what the editor cannot hold', async () => {
    const wip = JSON.parse(example) as { nodes: { id: string; kind: string; name: string; position: { x: number; y: number }; params: Record<string, unknown> }[] };
    wip.nodes.push({ id: 'crash', kind: 'processCrash', name: 'crash', position: { x: 0, y: 0 }, params: { targetId: '' } });
    const file = join(dir, 'wip.json');
    writeFileSync(file, JSON.stringify(wip));
    chosen = file;
    const opened = await desktop.handlers.openDesign({});
    expect(opened?.design.nodes.map((n) => n.id)).toContain('crash');
    expect(opened?.findings.some((f) => f.severity === 'error' && f.path.includes('targetId'))).toBe(true);
    // Two nodes with one id: not something the editor can show.
    const dup = JSON.parse(example) as typeof wip;
    dup.nodes.push({ ...dup.nodes[1]!, position: { x: 1, y: 1 } });
    writeFileSync(file, JSON.stringify(dup));
    await expect(desktop.handlers.openDesign({ path: file })).rejects.toThrow(/is not a valid design/);
    chosen = null;
  });

  it('opens and saves again, by path, a file chosen in a dialog, and a recent design', async () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, example);
    chosen = file;
    const opened = await desktop.handlers.openDesign({});
    expect(opened?.path).toBe(file);
    expect((await desktop.handlers.saveDesign({ design: opened!.design, path: file }))?.path).toBe(file);
    expect((await desktop.handlers.openDesign({ path: file }))?.design.name).toBe(opened!.design.name);
    // A new session: the recent list still grants it.
    chosen = null;
    const again = createStudioHost({ dbPath: join(dir, 'c.sqlite'), mode: 'electron', recentFile: join(dir, 'recent.json'), dialogs: { open: async () => null, save: async () => null } });
    try {
      expect((await again.handlers.openDesign({ path: file }))?.path).toBe(file);
    } finally {
      await again.close();
    }
  });
});

describe('the run queue', () => {
  it('refuses a run when MAX_QUEUED_RUNS are queued or running, saying so', async () => {
    const design = JSON.parse(example);
    const runner = { pending: Array.from({ length: MAX_QUEUED_RUNS }, (_, i) => i + 1), start: () => 99 } as unknown as Runner;
    const h = createHandlers({ runner, store: desktop.store, mode: 'serve', version: 't', dbPath: ':memory:', examplesDir: join(root, 'resources/examples'), recentFile: join(dir, 'r.json') });
    await expect(h.startRun({ design })).rejects.toThrow(/64 runs are queued or running already/);
  });

  it('refuses a run estimated larger than the free space of the database\'s disk, before starting it', async () => {
    const design = JSON.parse(example);
    let started = 0;
    const runner = { pending: [], start: () => (started++, 99) } as unknown as Runner;
    const db = join(dir, 'space.sqlite');
    const asked: string[] = [];
    const handlers = (free: number): ReturnType<typeof createHandlers> =>
      createHandlers({ runner, store: desktop.store, mode: 'serve', version: 't', dbPath: db, examplesDir: join(root, 'resources/examples'), recentFile: join(dir, 'r.json'), freeBytes: (f) => (asked.push(f), free) });
    // The queues template for 1 s: a few thousand messages and the fixed part, about 2.2 MiB.
    await expect(handlers(1_000_000).startRun({ design })).rejects.toMatchObject({
      code: 'store',
      message: expect.stringMatching(new RegExp(`^not enough free space to record this run in ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it would record about [\\d,]+ messages, an estimated 2\\.\\d+ MiB, and its file system has 976\\.6 KiB free\\. Shorten the run or free some space\\.$`)),
    });
    expect(started).toBe(0);
    expect(asked).toEqual([db]);
    await expect(handlers(1e12).startRun({ design })).resolves.toEqual({ runId: 99 });
    expect(started).toBe(1);
  });
});
