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

function httpApi(base = ''): StudioApi {
  const api: Record<string, unknown> = {};
  for (const m of METHOD_NAMES) {
    api[m] = async (req: unknown) => {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(req ?? {}), credentials: 'same-origin' });
      } catch (e) {
        throw new StudioApiError(`the studio server is not reachable (${e instanceof Error ? e.message : String(e)})`, 'network');
      }
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
      source = new EventSource(`${base}/api/events`, { withCredentials: true });
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
