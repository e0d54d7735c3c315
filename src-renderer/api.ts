// The renderer's side of the contract: the Electron bridge when the preload exposed it, HTTP (serve mode)
// otherwise. The rest of the renderer calls `getApi()` and never knows which.
import type { ApiMethod, ApiRequest, ApiResponses, RunProgress, StudioApi } from '../src-shared/api/contract';
import { METHOD_NAMES, PROGRESS_CHANNEL } from '../src-shared/api/methods';

/** An error from main: the user-facing message, its code and (for designs) the findings. */
export class StudioApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly findings?: unknown[],
  ) {
    super(message);
  }
}

declare global {
  interface Window {
    studio?: StudioApi;
    studioMenu?: { onCommand(listener: (command: string) => void): () => void };
  }
}

const TOKEN_KEY = 'tock-studio.token';

/**
 * Serve mode's access token: from the URL the server printed (`?token=…`), kept for this tab in sessionStorage (a
 * reload keeps working; no other origin can read it) and dropped from the address bar, so it is not left in the
 * history or shown over a shoulder. Null when the page was opened without one.
 */
export function serveToken(loc: Pick<Location, 'search' | 'pathname' | 'hash'> | undefined = globalThis.location): string | null {
  const fromUrl = loc ? new URLSearchParams(loc.search).get('token') : null;
  let stored: string | null = null;
  try {
    if (fromUrl) globalThis.sessionStorage?.setItem(TOKEN_KEY, fromUrl);
    stored = globalThis.sessionStorage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    // no storage (a locked-down browser): the token lives as long as the page
  }
  if (fromUrl && loc) {
    const rest = new URLSearchParams(loc.search);
    rest.delete('token');
    const q = rest.toString();
    globalThis.history?.replaceState(globalThis.history.state, '', `${loc.pathname}${q ? `?${q}` : ''}${loc.hash}`);
  }
  return fromUrl ?? stored;
}

/**
 * What a page whose access token the server refuses is told (HTTP 401): most often `tock-studio serve` was
 * restarted, which makes a new token (and, with the default `--port 0`, a new address, where this browser's recovery
 * drafts are not visible). Following the advice means leaving the page, so it says first how to keep the design.
 */
export const ACCESS_TOKEN_MESSAGE =
  'the studio server no longer accepts this page’s access token (was tock-studio serve restarted?). ' +
  'Save your design first — Ctrl+S downloads it — then open the URL tock-studio serve printed (with its ?token=…). ' +
  'Unsaved changes are also kept as a recovery draft in this browser; the start screen offers it again when the new URL has the same port (tock-studio serve --port N).';

function httpApi(base = '', token: string | null = serveToken()): StudioApi {
  const api: Record<string, unknown> = {};
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  for (const m of METHOD_NAMES) {
    api[m] = async (req: unknown) => {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(req ?? {}), credentials: 'omit' });
      } catch (e) {
        throw new StudioApiError(`the studio server is not reachable (${e instanceof Error ? e.message : String(e)})`, 'network');
      }
      if (res.status === 401) throw new StudioApiError(ACCESS_TOKEN_MESSAGE, 'bad-request');
      let body: { result?: unknown; error?: { code: string; message: string; findings?: unknown[] } };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new StudioApiError(`the studio server answered ${res.status} without JSON`, 'internal');
      }
      if (!res.ok || body.error) throw new StudioApiError(body.error?.message ?? `HTTP ${res.status}`, body.error?.code ?? 'internal', body.error?.findings);
      return body.result;
    };
  }
  const listeners = new Set<(p: RunProgress) => void>();
  let source: EventSource | null = null;
  api.onRunProgress = (listener: (p: RunProgress) => void) => {
    listeners.add(listener);
    if (!source) {
      // EventSource sends no headers: the stream takes the token in its query (same origin, no referrer is sent).
      source = new EventSource(`${base}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
      source.addEventListener(PROGRESS_CHANNEL, (e) => {
        const p = JSON.parse((e as MessageEvent<string>).data) as RunProgress;
        for (const l of listeners) l(p);
      });
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  return api as unknown as StudioApi;
}

let instance: StudioApi | null = null;

/** The contract, over the transport this page has. */
export function getApi(): StudioApi {
  if (!instance) {
    const bridge = window.studio;
    instance = bridge
      ? (Object.fromEntries(
          [...METHOD_NAMES, 'onRunProgress'].map((m) => [
            m,
            async (...args: unknown[]) => {
              try {
                return await (bridge as unknown as Record<string, (...a: unknown[]) => unknown>)[m]!(...args);
              } catch (e) {
                const err = e as { message?: string; code?: string; findings?: unknown[] };
                throw new StudioApiError(err.message ?? String(e), err.code ?? 'internal', err.findings);
              }
            },
          ]),
        ) as unknown as StudioApi)
      : httpApi();
    if (bridge) instance.onRunProgress = bridge.onRunProgress.bind(bridge);
  }
  return instance;
}

/** Calls one method (typed). */
export function call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponses[M]> {
  return (getApi()[method] as unknown as (r: ApiRequest<M>) => Promise<ApiResponses[M]>)(req);
}

/** Test hook: replace the transport (renderer unit tests). */
export function setApiForTests(api: StudioApi | null): void {
  instance = api;
}
