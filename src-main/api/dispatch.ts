// One entry point for both transports: validate the request, run the handler, turn failures into ApiErrorBody.

import { ApiError, API_METHODS, parseRequest, type ApiErrorBody, type ApiMethod } from '../../src-shared/api/contract';
import type { Handlers } from './handlers';

/** The outcome of one call: a result, or an error body for the user. */
export type CallResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** True for a method name of the contract. */
export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as string[]).includes(name);
}

/** Validates `payload` for `method` and calls its handler. Never throws. */
export async function dispatch(handlers: Handlers, method: string, payload: unknown): Promise<CallResult> {
  try {
    if (!isApiMethod(method)) throw new ApiError('not-found', `no such method "${method}"`);
    const req = parseRequest(method, payload);
    const result = await (handlers[method] as (r: unknown) => Promise<unknown>)(req);
    return { ok: true, result };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message, ...(e.findings ? { findings: e.findings } : {}) } };
    console.error(`studio api ${method}:`, e);
    return { ok: false, error: { code: 'internal', message: `internal error in ${method}: ${e instanceof Error ? e.message : String(e)}` } };
  }
}
