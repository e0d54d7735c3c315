// The contract bound on Electron's ipcMain, without importing Electron (so it is tested under Node with a fake
// ipcMain): one handler per method channel, the sender frame checked, the payload validated by `dispatch`.
import { METHOD_NAMES, channelOf } from '../../src-shared/api/methods';
import { dispatch, type CallResult } from '../api/dispatch';
import type { Handlers } from '../api/handlers';

/** The part of ipcMain this needs. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame?: { url: string } | null }, payload: unknown) => Promise<CallResult>): void;
}

/** Binds every method of the contract; calls from a frame `trusted` rejects are refused. */
export function bindContract(ipc: IpcMainLike, handlers: Handlers, trusted: (frameUrl: string) => boolean): void {
  for (const m of METHOD_NAMES) {
    ipc.handle(channelOf(m), async (e, payload) => {
      if (!trusted(e.senderFrame?.url ?? '')) return { ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
      return dispatch(handlers, m, payload);
    });
  }
}
