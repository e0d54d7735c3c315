import Database from 'better-sqlite3';

/**
 * Opens a better-sqlite3 connection. In the desktop app the addon must be built for Electron's ABI, while tests
 * and the CLI use the Node build in node_modules: `npm start` builds an Electron copy and points
 * TOCK_STUDIO_SQLITE_BINDING at it.
 */
export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  const binding = process.env.TOCK_STUDIO_SQLITE_BINDING;
  return new Database(file, binding ? { ...options, nativeBinding: binding } : options);
}
