// Electron smoke test: opens the desktop app and checks the window is locked down. It runs where Electron's
// binary exists; here (ELECTRON_SKIP_BINARY_DOWNLOAD) it is skipped and says so.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : '';
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const NO_BINARY = 'SKIPPED: the Electron smoke test needs Electron\'s binary, which is not installed on this machine (the install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1); it runs where `npm start` works';

test('the desktop app opens a locked-down window with the studio', async () => {
  if (!binary || !existsSync(binary)) console.log(NO_BINARY);
  test.skip(!binary || !existsSync(binary), NO_BINARY);
  test.skip(!existsSync(join(root, 'out/main/index.js')), 'SKIPPED: run `npm run build` first');
  const app = await electron.launch({ executablePath: binary, args: [root], env: { ...process.env, TOCK_STUDIO_DB: join(process.env.STUDIO_TMP ?? root, 'electron-runs.sqlite') } });
  const win = await app.firstWindow();
  await expect(win).toHaveTitle(/Tock IPC Studio/);
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0]!;
    const p = (w.webContents as unknown as { getLastWebPreferences(): { contextIsolation?: boolean; nodeIntegration?: boolean; sandbox?: boolean } | null }).getLastWebPreferences();
    return { contextIsolation: p?.contextIsolation, nodeIntegration: p?.nodeIntegration, sandbox: p?.sandbox };
  });
  expect(prefs).toEqual({ contextIsolation: true, nodeIntegration: false, sandbox: true });
  expect(await win.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
  const info = await win.evaluate(() => (globalThis as unknown as { studio: { info(r: object): Promise<{ mode: string }> } }).studio.info({}));
  expect(info.mode).toBe('electron');
  await app.close();
});
