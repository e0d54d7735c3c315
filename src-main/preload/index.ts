// Preload: exposes exactly the contract to the renderer (contextIsolation on, sandbox on). Each method is one
// ipcRenderer.invoke on its channel; main validates the payload and the sender frame.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { MENU_CHANNEL } from '../../src-shared/api/methods';
import { buildBridge } from './bridge';

contextBridge.exposeInMainWorld('studio', buildBridge((channel, payload) => ipcRenderer.invoke(channel, payload), ipcRenderer));
contextBridge.exposeInMainWorld('studioMenu', {
  onCommand(listener: (command: string) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, command: unknown): void => {
      if (typeof command === 'string') listener(command);
    };
    ipcRenderer.on(MENU_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(MENU_CHANNEL, wrapped);
  },
});
