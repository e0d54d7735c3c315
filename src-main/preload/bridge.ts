// What the preload exposes, built from an `invoke` function (ipcRenderer.invoke in the app, a fake in tests):
// exactly the contract's methods, each rethrowing main's error as an Error with its user-facing message.
import { METHOD_NAMES, PROGRESS_CHANNEL, channelOf } from '../../src-shared/api/methods';

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; findings?: unknown[] } };

/** The subscription side of ipcRenderer. */
export interface ListenLike {
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

/** The object exposed as `window.studio`. */
export function buildBridge(invoke: (channel: string, payload: unknown) => Promise<unknown>, events: ListenLike): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const m of METHOD_NAMES) {
    api[m] = async (req: unknown) => {
      const reply = (await invoke(channelOf(m), req ?? {})) as Reply;
      if (reply.ok) return reply.result;
      throw Object.assign(new Error(reply.error.message), { code: reply.error.code, findings: reply.error.findings });
    };
  }
  api.onRunProgress = (listener: (p: unknown) => void) => {
    const wrapped = (_e: unknown, p: unknown): void => listener(p);
    events.on(PROGRESS_CHANNEL, wrapped);
    return () => void events.removeListener(PROGRESS_CHANNEL, wrapped);
  };
  return api;
}
