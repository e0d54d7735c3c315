import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

/** The application folder name: Electron's `userData` is `<appData>/<package name>`. */
export const APP_DIR_NAME = 'tock-ipc-studio';
/** The run database's file name inside the user's data folder. */
export const DB_FILE_NAME = 'runs.sqlite';
/** Environment variable that overrides the default database path (tests, CI, several profiles). */
export const DB_ENV_VAR = 'TOCK_STUDIO_DB';

/**
 * The default run database: `$TOCK_STUDIO_DB` if set, else `runs.sqlite` in the folder Electron uses as
 * `app.getPath('userData')` for an app named `tock-ipc-studio`, so the CLI and the desktop app share one history:
 * Linux `$XDG_CONFIG_HOME/tock-ipc-studio` (default `~/.config/…`), macOS `~/Library/Application Support/…`,
 * Windows `%APPDATA%\tock-ipc-studio` (default `~\AppData\Roaming\…`).
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const override = env[DB_ENV_VAR];
  if (override) return override;
  if (platform === 'win32') {
    const appData = env.APPDATA || win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, APP_DIR_NAME, DB_FILE_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME, DB_FILE_NAME);
  const xdg = env.XDG_CONFIG_HOME;
  // XDG: a relative XDG_CONFIG_HOME is invalid and must be ignored (Electron/Chromium do the same).
  const config = xdg && xdg.startsWith('/') ? xdg : join(home, '.config');
  return join(config, APP_DIR_NAME, DB_FILE_NAME);
}
