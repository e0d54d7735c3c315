import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunProgress } from '../../../src-shared/api/contract';
import { createStudioHost, type StudioHost } from '../../../src-main/api/host';
import { Runner } from '../../../src-main/runner/runner';
import { startStudioServer, type StudioServer } from '../../../src-main/serve/server';

const root = join(__dirname, '../../..');
const example = (f: string): unknown => JSON.parse(readFileSync(join(root, 'resources/examples', f), 'utf8'));

let host: StudioHost;
let srv: StudioServer;
let dir: string;

function raw(path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${srv.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

async function call(method: string, payload: unknown): Promise<{ status: number; json: { result?: unknown; error?: { code: string; message: string } } }> {
  const r = await raw(`/api/${method}`, { method: 'POST', body: JSON.stringify(payload), headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' } });
  return { status: r.status, json: JSON.parse(r.body) };
}

function waitFor(runId: number, status: RunProgress['status']): Promise<RunProgress> {
  return new Promise((resolve) => {
    const l = (p: RunProgress): void => {
      if (p.runId === runId && p.status === status) {
        host.runner.off('progress', l);
        resolve(p);
      }
    };
    host.runner.on('progress', l);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tock-serve-'));
  host = createStudioHost({ dbPath: join(dir, 'runs.sqlite'), mode: 'serve', recentFile: join(dir, 'recent.json') });
  srv = await startStudioServer({ handlers: host.handlers, progress: host.runner, staticDir: join(dir, 'no-ui') });
});

afterAll(async () => {
  await srv.close();
  await host.close();
});

describe('serve mode: the contract over HTTP', () => {
  it('listens on loopback only and requires the token in a header on every API call', async () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const json = { 'Content-Type': 'application/json' };
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: json })).status).toBe(401);
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: { ...json, Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: { ...json, Authorization: `Bearer ${srv.token}`, Host: 'evil.example:80' } })).status).toBe(421);
    const ok = await call('info', {});
    expect(ok.status).toBe(200);
    expect(ok.json.result).toMatchObject({ mode: 'serve', nativeFiles: false });
    // No cookie is set or taken: a cookie for 127.0.0.1 would reach every other local server (cookies ignore ports).
    const page = await raw(`/?token=${srv.token}`);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: { ...json, Cookie: `tock_studio_token=${srv.token}` } })).status).toBe(401);
    // The token in the query only opens the event stream (EventSource sends no headers).
    expect((await raw(`/api/info?token=${srv.token}`, { method: 'POST', body: '{}', headers: json })).status).toBe(401);
  });

  it('answers API calls from its own page only: another origin, a cross-site fetch or a form post is refused', async () => {
    const auth = { Authorization: `Bearer ${srv.token}` };
    const post = (headers: Record<string, string>) => raw('/api/info', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', ...auth, ...headers } });
    expect((await post({ Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await post({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await post({ Origin: `http://127.0.0.1:${srv.port}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    // A body a page can send without a preflight (a form, text/plain) is not an API call.
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: { ...auth, 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: { ...auth, 'Content-Type': 'application/json-evil' } })).status).toBe(415);
    expect((await raw('/api/info', { method: 'POST', body: '{}', headers: { ...auth, 'Content-Type': 'application/json; charset=utf-8' } })).status).toBe(200);
    expect((await raw('/%zz.js')).status).toBe(400);
  });

  it('opens the event stream with the token in its query, and not without', async () => {
    const head = (path: string): Promise<{ status: number; type: string | undefined }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: srv.port, path, headers: { Host: `127.0.0.1:${srv.port}` } }, (res) => {
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] });
          req.destroy();
        });
        req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
        req.end();
      });
    expect(await head(`/api/events?token=${srv.token}`)).toEqual({ status: 200, type: 'text/event-stream' });
    expect((await head('/api/events')).status).toBe(401);
  });

  it('rejects malformed payloads with a clear error naming the field', async () => {
    const r = await call('getRun', { runId: 'seven' });
    expect(r.status).toBe(400);
    expect(r.json.error!.message).toMatch(/getRun: invalid request — runId: /);
    const extra = await call('cancelRun', { runId: 1, sneaky: true });
    expect(extra.json.error!.message).toMatch(/Unrecognized key/);
    const notJson = await raw('/api/info', { method: 'POST', body: '{nope', headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.message).toMatch(/not valid JSON/);
    expect((await call('noSuchMethod', {})).status).toBe(404);
  });

  it('refuses to run an invalid design, listing its errors', async () => {
    const d = example('queues.json') as { nodes: { kind: string }[] };
    d.nodes[1]!.kind = 'bogus';
    const r = await call('startRun', { design: d });
    expect(r.json.error).toMatchObject({ code: 'invalid-design' });
    expect(r.json.error!.message).toMatch(/nodes\[1\]\.kind/);
  });

  it('runs a template in a worker, reports progress, records it, and answers the queries', async () => {
    const started = await call('startRun', { design: example('mechanisms-compare.json'), durationNs: 200_000_000 });
    const { runId } = started.json.result as { runId: number };
    const done = await waitFor(runId, 'done');
    expect(done.fraction).toBe(1);
    const run = (await call('getRun', { runId })).json.result as { status: string; summary: { flows: { id: string; delivered: number }[] } };
    expect(run.status).toBe('done');
    const f = run.summary.flows.find((x) => x.id === 'prod2>mech2>cons2')!;
    expect(f.delivered).toBe(20);
    const cdf = (await call('latencyCdf', { runId, flow: f.id, points: 10 })).json.result as { samples: number; latencyNs: number[] };
    expect(cdf.samples).toBe(20);
    expect(cdf.latencyNs.at(-1)).toBe(52_558);
    const list = (await call('listRuns', {})).json.result as { total: number };
    expect(list.total).toBeGreaterThanOrEqual(1);
  });

  it('cancels a long run promptly', async () => {
    const { runId } = (await call('startRun', { design: example('queues.json'), durationNs: 3_600_000_000_000 })).json.result as { runId: number };
    await waitFor(runId, 'running');
    const t0 = performance.now();
    const cancelled = waitFor(runId, 'cancelled');
    expect((await call('cancelRun', { runId })).json.result).toEqual({ cancelled: true });
    await cancelled;
    console.log(`cancel took effect in ${(performance.now() - t0).toFixed(0)} ms`);
    const run = (await call('getRun', { runId })).json.result as { status: string };
    expect(run.status).toBe('cancelled');
  });
});

describe('runner', () => {
  it('marks a run whose worker throws as failed, with its error, and keeps going', async () => {
    const runner = new Runner(host.store, { worker: { url: pathToFileURL(join(root, 'test/fixtures/throwingWorker.mjs')), execArgv: [] } });
    const d = (await call('validateDesign', { design: example('queues.json') })).json.result as { design: never };
    const failed = new Promise<RunProgress>((resolve) => runner.on('progress', (p: RunProgress) => p.status === 'failed' && resolve(p)));
    const runId = runner.start({ design: d.design, seed: 1, durationNs: 1_000_000 });
    const p = await failed;
    expect(p.error).toMatch(/simulated engine bug/);
    expect(host.store.getRun(runId)).toMatchObject({ status: 'failed' });
    expect(host.store.getRun(runId).error).toMatch(/simulated engine bug/);
    await runner.shutdown();
  });

  it('a warm runner runs each run in a worker loaded ahead of it and kept for the next (same results as a cold one), ended at shutdown', async () => {
    const d = (await call('validateDesign', { design: example('queues.json') })).json.result as { design: never };
    const once = async (runner: Runner): Promise<string> => {
      const finished = new Promise<string>((resolve) => runner.once('finished', (f: { fingerprint: string }) => resolve(f.fingerprint)));
      runner.start({ design: d.design, seed: 1, durationNs: 20_000_000 });
      return finished;
    };
    const standbyOf = (r: Runner): unknown => (r as unknown as { standby: unknown }).standby;
    const warm = new Runner(host.store, { warmWorker: true });
    const first = standbyOf(warm);
    expect(first).not.toBeNull();
    const a = await once(warm);
    // The run took the standby, and its worker waits for the next run.
    expect(standbyOf(warm)).toBe(first);
    const b = await once(warm);
    expect(standbyOf(warm)).toBe(first);
    const cold = new Runner(host.store);
    expect(standbyOf(cold)).toBeNull();
    const c = await once(cold);
    expect(a).toBe(c);
    expect(b).toBe(c);
    await warm.shutdown();
    expect(standbyOf(warm)).toBeNull();
    await cold.shutdown();
  });
});
