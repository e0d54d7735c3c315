// Electron main process: one locked-down window (contextIsolation, sandbox, no nodeIntegration, strict CSP,
// navigation and new windows blocked), native menus, open/save dialogs, window state kept, single instance, a
// prompt before losing unsaved changes, and the contract bound on ipcMain with every payload validated and the
// sender frame checked. Thin: everything else lives in src-main/api, runner and store.
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type MenuItemConstructorOptions } from 'electron';
import { MENU_CHANNEL, PROGRESS_CHANNEL } from '../../src-shared/api/methods';
import { createStudioHost, type StudioHost } from '../api/host';
import { STUDIO_CSP } from '../serve/server';
import { bindContract } from './ipc';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;

let win: BrowserWindow | null = null;
let host: StudioHost | null = null;
let doc = { dirty: false, title: 'Untitled design' };

interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

function stateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

function loadWindowState(): WindowState {
  try {
    const s = JSON.parse(readFileSync(stateFile(), 'utf8')) as WindowState;
    if (s.width >= 400 && s.height >= 300) return s;
  } catch {
    // first start, or an unreadable file: defaults
  }
  return { width: 1440, height: 900 };
}

function saveWindowState(w: BrowserWindow): void {
  const b = w.getNormalBounds();
  void fs.writeFile(stateFile(), JSON.stringify({ ...b, maximized: w.isMaximized() })).catch(() => undefined);
}

/** Only our own page may call the contract. */
function trustedFrame(url: string): boolean {
  if (devUrl) return url.startsWith(devUrl);
  return url === pathToFileURL(rendererIndex).href || url.startsWith(`${pathToFileURL(rendererIndex).href}#`);
}

function sendMenu(command: string): void {
  win?.webContents.send(MENU_CHANNEL, command);
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New', accelerator: 'CmdOrCtrl+N', click: () => sendMenu('new') },
        { label: 'New from Template…', accelerator: 'CmdOrCtrl+Shift+N', click: () => sendMenu('templates') },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => sendMenu('open') },
        { label: 'Open Recent', click: () => sendMenu('recent') },
        { type: 'separator' },
        { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => sendMenu('save') },
        { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => sendMenu('saveAs') },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => sendMenu('export') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => sendMenu('undo') },
        { label: 'Redo', accelerator: isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y', click: () => sendMenu('redo') },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { label: 'Delete', accelerator: 'Delete', click: () => sendMenu('delete') },
        { role: 'selectAll' },
      ],
    },
    // No Reload item: Ctrl/Cmd+R starts a run, and a reload would drop unsaved work.
    { label: 'View', submenu: [{ role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    {
      label: 'Run',
      submenu: [
        { label: 'Start Run', accelerator: 'CmdOrCtrl+R', click: () => sendMenu('run') },
        { label: 'Cancel Run', accelerator: 'CmdOrCtrl+.', click: () => sendMenu('cancelRun') },
        { label: 'Sweep a Parameter…', accelerator: 'CmdOrCtrl+Shift+P', click: () => sendMenu('sweep') },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'F1', click: () => sendMenu('help') },
        { label: 'Tock IPC documentation', click: () => void shell.openExternal('https://github.com/tock/tock/tree/master/doc') },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** Links the studio may open in the system browser: Tock's own sites, over HTTPS. */
function externalAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && (u.hostname === 'www.tockos.org' || u.hostname === 'tockos.org' || (u.hostname === 'github.com' && u.pathname.startsWith('/tock/')));
  } catch {
    return false;
  }
}

function createWindow(): BrowserWindow {
  const state = loadWindowState();
  const w = new BrowserWindow({
    ...state,
    minWidth: 900,
    minHeight: 600,
    title: 'Tock IPC Studio',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  // The page opens no window of its own; a link to Tock's documentation goes to the system browser, nothing else.
  w.webContents.setWindowOpenHandler(({ url }) => {
    if (externalAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  w.webContents.on('will-navigate', (e) => e.preventDefault());
  w.on('close', (e) => {
    saveWindowState(w);
    if (doc.dirty) {
      const choice = dialog.showMessageBoxSync(w, {
        type: 'warning',
        buttons: ['Save…', "Don't Save", 'Cancel'],
        defaultId: 0,
        cancelId: 2,
        message: `Do you want to save the changes to "${doc.title}"?`,
        detail: 'Your changes will be lost if you close without saving.',
      });
      if (choice === 2) e.preventDefault();
      else if (choice === 0) {
        e.preventDefault();
        sendMenu('saveThenClose');
      }
    }
  });
  if (devUrl) void w.loadURL(devUrl);
  else void w.loadFile(rendererIndex);
  return w;
}

function bindApi(h: StudioHost): void {
  bindContract(ipcMain, h.handlers, trustedFrame);
  h.runner.on('progress', (p) => win?.webContents.send(PROGRESS_CHANNEL, p));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  void app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [STUDIO_CSP] } });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    const userData = app.getPath('userData');
    try {
      host = createStudioHost({
        dbPath: process.env.TOCK_STUDIO_DB ?? join(userData, 'runs.sqlite'),
        mode: 'electron',
        recentFile: join(userData, 'recent-designs.json'),
        dialogs: {
          async open() {
            const r = await dialog.showOpenDialog(win!, { title: 'Open design', filters: [{ name: 'Tock IPC Studio design', extensions: ['json'] }], properties: ['openFile'] });
            return r.canceled ? null : (r.filePaths[0] ?? null);
          },
          async save(defaultName) {
            const r = await dialog.showSaveDialog(win!, { title: 'Save design', defaultPath: defaultName, filters: [{ name: 'Tock IPC Studio design', extensions: ['json'] }] });
            return r.canceled ? null : (r.filePath ?? null);
          },
        },
        onDocumentState(s) {
          doc = s;
          win?.setTitle(`${s.dirty ? '• ' : ''}${s.title} — Tock IPC Studio`);
          win?.setDocumentEdited(s.dirty);
        },
      });
    } catch (e) {
      dialog.showErrorBox('Tock IPC Studio cannot open its run database', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    bindApi(host);
    buildMenu();
    win = createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
    });
  });
  app.on('window-all-closed', () => {
    void host?.close().finally(() => app.quit());
  });
}
