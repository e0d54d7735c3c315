// Serve mode: the built renderer and the same contract over HTTP on 127.0.0.1 only, progress pushed with server-sent
// events. Every API call carries a random token in its Authorization header: the page reads it from the URL the
// server printed, keeps it in its tab (sessionStorage) and drops it from the address bar. No cookie: a cookie for
// 127.0.0.1 would go to every other server on the machine (cookies ignore ports), and another local page could
// make the browser send it. A header cannot be added by another origin without a CORS preflight, which this
// server never grants; API calls from another origin are refused besides. The page's own files (the built
// renderer, no secret in it) are served to any request for our host.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { RunProgress } from '../../src-shared/api/contract';
import { PROGRESS_CHANNEL } from '../../src-shared/api/methods';
import { dispatch } from '../api/dispatch';
import type { Handlers } from '../api/handlers';

/** The Content-Security-Policy of the studio's pages (same as the Electron window's). */
export const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const MAX_BODY_BYTES = 25 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Options of the studio server. */
export interface ServeOptions {
  handlers: Handlers;
  /** Source of run progress events (the Runner). */
  progress: { on(event: 'progress', l: (p: RunProgress) => void): unknown; off(event: 'progress', l: (p: RunProgress) => void): unknown };
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
}

/** A running studio server. */
export interface StudioServer {
  server: Server;
  port: number;
  token: string;
  /** The URL to open (token included). */
  url: string;
  close(): Promise<void>;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error(`request body over ${MAX_BODY_BYTES / 1048576} MiB`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the server on 127.0.0.1 (`port` 0 = any free port). */
export async function startStudioServer(opts: ServeOptions): Promise<StudioServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticRoot = normalize(opts.staticDir + sep);
  let port = 0;

  /** The token in the Authorization header (or, for the event stream, which EventSource opens without headers, the query). */
  const authorized = (req: IncomingMessage, url: URL, queryAllowed: boolean): boolean => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && sameToken(auth.slice(7), token)) return true;
    const q = queryAllowed ? url.searchParams.get('token') : null;
    return q !== null && sameToken(q, token);
  };
  /** Why a request to the API does not come from the studio's own page (null: it does, as far as the browser says). */
  const foreign = (req: IncomingMessage): string | null => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) return `requests from ${origin} are not accepted`;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return `${String(site)} requests are not accepted`;
    return null;
  };

  const serveStatic = async (res: ServerResponse, pathname: string): Promise<void> => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      sendJson(res, 400, { error: { code: 'bad-request', message: `${pathname}: not a valid path` } });
      return;
    }
    if (rel === '/' || !extname(rel)) rel = '/index.html';
    const file = normalize(join(staticRoot, rel));
    if (!file.startsWith(staticRoot)) {
      sendJson(res, 403, { error: { code: 'bad-request', message: 'path outside the studio' } });
      return;
    }
    try {
      const st = await fs.stat(file);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': st.size,
        'Content-Security-Policy': STUDIO_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': rel.startsWith('/assets/') ? 'max-age=31536000, immutable' : 'no-cache',
      });
      createReadStream(file).pipe(res);
    } catch {
      if (rel === '/index.html') {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The studio UI is not built: run `npm run build:renderer` (tock-studio serve builds it when missing).');
      } else sendJson(res, 404, { error: { code: 'not-found', message: `${pathname}: not found` } });
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // DNS rebinding: only our own host names.
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
        sendJson(res, 421, { error: { code: 'bad-request', message: `unexpected Host "${host}"` } });
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        const refused = foreign(req);
        if (refused) {
          sendJson(res, 403, { error: { code: 'bad-request', message: `${refused}: the studio's API answers its own page only` } });
          return;
        }
        if (!authorized(req, url, url.pathname === '/api/events')) {
          sendJson(res, 401, { error: { code: 'bad-request', message: 'missing or wrong access token: open the URL tock-studio serve printed (with its ?token=…)' } });
          return;
        }
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        const listener = (p: RunProgress): void => void res.write(`event: ${PROGRESS_CHANNEL}\ndata: ${JSON.stringify(p)}\n\n`);
        opts.progress.on('progress', listener);
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(ping);
          opts.progress.off('progress', listener);
        });
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') {
          sendJson(res, 405, { error: { code: 'bad-request', message: 'API calls are POST with a JSON body' } });
          return;
        }
        if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
          sendJson(res, 415, { error: { code: 'bad-request', message: 'API calls carry Content-Type: application/json' } });
          return;
        }
        let payload: unknown;
        try {
          const body = await readBody(req);
          payload = body.trim() === '' ? {} : JSON.parse(body);
        } catch (e) {
          const status = (e as { status?: number }).status ?? 400;
          sendJson(res, status, { error: { code: 'bad-request', message: status === 413 ? (e as Error).message : `the request body is not valid JSON: ${(e as Error).message}` } });
          return;
        }
        const r = await dispatch(opts.handlers, url.pathname.slice(5), payload);
        if (r.ok) sendJson(res, 200, { result: r.result });
        else sendJson(res, r.error.code === 'not-found' ? 404 : r.error.code === 'internal' ? 500 : 400, { error: r.error });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: { code: 'bad-request', message: `${req.method} not allowed` } });
        return;
      }
      await serveStatic(res, url.pathname);
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
