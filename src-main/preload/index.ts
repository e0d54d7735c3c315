// Preload: exposes exactly the contract to the renderer (contextIsolation on, sandbox on). Each method is one
// ipcRenderer.invoke on its channel; main validates the payload and the sender frame. Errors arrive as
// { ok: false, error } and are rethrown here as Error with the user-facing message.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { MENU_CHANNEL, METHOD_NAMES, PROGRESS_CHANNEL, channelOf } from '../../src-shared/api/methods';

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; findings?: unknown[] } };

const api: Record<string, unknown> = {};
for (const m of METHOD_NAMES) {
  api[m] = async (req: unknown) => {
    const reply = (await ipcRenderer.invoke(channelOf(m), req ?? {})) as Reply;
    if (reply.ok) return reply.result;
    throw Object.assign(new Error(reply.error.message), { code: reply.error.code, findings: reply.error.findings });
  };
}
api.onRunProgress = (listener: (p: unknown) => void) => {
  const wrapped = (_e: IpcRendererEvent, p: unknown): void => listener(p);
  ipcRenderer.on(PROGRESS_CHANNEL, wrapped);
  return () => void ipcRenderer.removeListener(PROGRESS_CHANNEL, wrapped);
};

contextBridge.exposeInMainWorld('studio', api);
contextBridge.exposeInMainWorld('studioMenu', {
  onCommand(listener: (command: string) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, command: unknown): void => {
      if (typeof command === 'string') listener(command);
    };
    ipcRenderer.on(MENU_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(MENU_CHANNEL, wrapped);
  },
});
