import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../../src-shared/api/contract';
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf } from '../../../src-shared/api/methods';
import type { CallResult } from '../../../src-main/api/dispatch';
import { createStudioHost, type StudioHost } from '../../../src-main/api/host';
import { bindContract } from '../../../src-main/electron/ipc';
import { buildBridge } from '../../../src-main/preload/bridge';

// The Electron transport without Electron: the real handlers (engine, runner, store on a temporary database)
// bound through bindContract on a fake ipcMain, called through the preload's bridge on a fake ipcRenderer.
const APP_URL = 'file:///opt/tock-studio/out/renderer/index.html';
const root = join(__dirname, '../../..');

type Listener = (e: { senderFrame?: { url: string } | null }, payload: unknown) => Promise<CallResult>;
let host: StudioHost;
const channels = new Map<string, Listener>();
const renderer = new EventEmitter();
let frameUrl = APP_URL;
let studio: Record<string, (req?: unknown) => Promise<unknown>>;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'tock-ipc-'));
  host = createStudioHost({ dbPath: join(dir, 'runs.sqlite'), mode: 'electron', recentFile: join(dir, 'recent.json') });
  bindContract({ handle: (ch, l) => void channels.set(ch, l) }, host.handlers, (url) => url === APP_URL);
  host.runner.on('progress', (p) => renderer.emit(PROGRESS_CHANNEL, {}, p));
  const invoke = (ch: string, payload: unknown): Promise<unknown> => channels.get(ch)!({ senderFrame: { url: frameUrl } }, structuredClone(payload));
  studio = buildBridge(invoke, renderer) as typeof studio;
});

afterAll(async () => {
  await host.close();
});

describe('the contract over Electron IPC (preload bridge → ipcMain → handlers)', () => {
  it('binds exactly the contract: one channel per method, and the bridge exposes those methods', () => {
    expect([...channels.keys()].sort()).toEqual(METHOD_NAMES.map(channelOf).sort());
    expect(Object.keys(studio).sort()).toEqual([...METHOD_NAMES, 'onRunProgress'].sort());
  });

  it('answers calls from our page and refuses other frames', async () => {
    expect(await studio.info!({})).toMatchObject({ mode: 'electron' });
    frameUrl = 'https://evil.example/';
    await expect(studio.info!({})).rejects.toThrow(/untrusted sender/);
    frameUrl = APP_URL;
  });

  it('rejects malformed payloads with the field and reason', async () => {
    await expect(studio.getRun!({ runId: -3 })).rejects.toThrow(/getRun: invalid request — runId/);
    await expect(studio.latencyCdf!({ runId: 1, flow: 'x', points: 1e9 })).rejects.toThrow(/points/);
  });

  it('runs a design, streams progress, and serves the recorded results', async () => {
    const design = JSON.parse(readFileSync(join(root, 'resources/examples/mechanisms-compare.json'), 'utf8'));
    const seen: RunProgress[] = [];
    const done = new Promise<void>((resolve) => {
      const off = (studio.onRunProgress as unknown as (l: (p: RunProgress) => void) => () => void)((p) => {
        seen.push(p);
        if (p.status === 'done') {
          off();
          resolve();
        }
      });
    });
    const { runId } = (await studio.startRun!({ design, durationNs: 100_000_000 })) as { runId: number };
    await done;
    expect(seen.map((p) => p.status)).toContain('running');
    const run = (await studio.getRun!({ runId })) as { status: string; summary: { engineVersion: string } };
    expect(run.status).toBe('done');
    const cmp = (await studio.listRuns!({})) as { total: number };
    expect(cmp.total).toBeGreaterThanOrEqual(1);
  });
});
