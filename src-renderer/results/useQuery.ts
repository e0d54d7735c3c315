/**
 * Data for a view: one contract call per key, the latest key wins (answers to older keys are dropped), results
 * of finished runs cached (they never change). Each fetch leaves a `query:<method>` performance measure.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiMethod, ApiRequest, ApiResponses } from '../../src-shared/api/contract';
import { call } from '../api';

const CACHE_MAX = 300;
const cache = new Map<string, unknown>();

/** Forgets cached answers (tests; after a run is deleted its id is never reused, so deletion needs nothing). */
export function clearQueryCache(): void {
  cache.clear();
}

function remember(key: string, value: unknown): void {
  cache.set(key, value);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value as string);
}

/** Calls `method` with `req`, from the cache when `cacheable` (a finished run's data). */
export async function cachedCall<M extends ApiMethod>(method: M, req: ApiRequest<M>, cacheable: boolean): Promise<ApiResponses[M]> {
  const key = `${method}:${JSON.stringify(req)}`;
  if (cacheable && cache.has(key)) return cache.get(key) as ApiResponses[M];
  const t0 = performance.now();
  const value = await call(method, req);
  try {
    performance.measure(`query:${method}`, { start: t0, end: performance.now() });
  } catch {
    // diagnostics only
  }
  if (cacheable) remember(key, value);
  return value;
}

export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `fetcher` whenever `key` changes (null = nothing to fetch). With `keepPrevious`, the last answer stays
 * visible while the next loads (a moving window must not flash empty).
 */
export function useQuery<T>(key: string | null, fetcher: () => Promise<T>, keepPrevious = false): QueryState<T> {
  const [state, setState] = useState<{ key: string | null; data: T | undefined; error: string | null }>({ key: null, data: undefined, error: null });
  const [rev, setRev] = useState(0);
  const f = useRef(fetcher);
  useEffect(() => {
    f.current = fetcher;
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    f.current().then(
      (data) => live && setState({ key, data, error: null }),
      (e: unknown) => live && setState({ key, data: undefined, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [key, rev]);
  const current = state.key === key;
  return {
    data: current || keepPrevious ? state.data : undefined,
    error: current ? state.error : null,
    loading: key !== null && (!current || (state.data === undefined && state.error === null)),
    reload: () => {
      setState({ key: null, data: undefined, error: null });
      setRev((r) => r + 1);
    },
  };
}
