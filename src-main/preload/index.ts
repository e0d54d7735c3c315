// Preload: exposes exactly the contract to the renderer through contextBridge. Until the contract lands
// (shell issue) it exposes only the platform tag the renderer uses to pick its transport.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('studioPlatform', { kind: 'electron' as const });
