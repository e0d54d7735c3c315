import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createStudioHost, projectRoot } from '../api/host';
import { startStudioServer } from '../serve/server';
import { StoreError } from '../store/errors';
import { defaultDbPath } from '../store/paths';
import { parseArgs } from './args';
import { CliError, checkDbFolder, type CliIo } from './io';

/** Builds the renderer (out/renderer) with Vite when it is missing or `force`. */
export async function ensureRendererBuilt(io: CliIo, force = false): Promise<string> {
  const root = projectRoot();
  const out = join(root, 'out/renderer');
  if (!force && existsSync(join(out, 'index.html'))) return out;
  io.stderr.write('Building the studio UI (out/renderer)…\n');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.renderer.config.ts'), logLevel: 'warn' });
  return out;
}

function inUse(port: number): string {
  return `port ${port} is in use; pick another with --port or use --port 0`;
}

/** Whether 127.0.0.1:`port` can be listened on now (another process may still take it before the studio does). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Where serve notes the port it listened on, beside the database (as the recent designs are). */
export function servePortFile(dbPath: string): string {
  return join(dirname(dbPath), 'serve-port.json');
}

/**
 * The port to listen on when none is given: the one of the last time, when it is free, so the page comes back at the
 * same address (and with it what the browser keeps per address: the recovery drafts of unsaved designs); else any
 * free port (0). A missing or unreadable note is no port.
 */
export async function rememberedPort(file: string, free: (port: number) => Promise<boolean> = portFree): Promise<number> {
  let port: unknown;
  try {
    port = (JSON.parse(readFileSync(file, 'utf8')) as { port?: unknown }).port;
  } catch {
    return 0;
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) return 0;
  return (await free(port)) ? port : 0;
}

/** Notes the port listened on for the next start (best effort: a folder that cannot be written only loses the note). */
export function rememberPort(file: string, port: number): void {
  try {
    writeFileSync(file, `${JSON.stringify({ port })}\n`);
  } catch {
    // Not worth failing the server for: the next start picks any free port.
  }
}

/**
 * `tock-studio serve [--port N] [--db <file>] [--rebuild]`: the studio in a browser on 127.0.0.1, with an access
 * token in the printed URL. Runs until interrupted.
 */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseArgs(args, ['port', 'db'], ['rebuild']);
  if (a.positionals.length) throw new CliError('usage: tock-studio serve [--port N] [--db <file>] [--rebuild]', 2);
  const asked = a.flags.port !== undefined ? Number(a.flags.port) : undefined;
  // Digits only: Number() would also take 0x50 and 1e3.
  if ((a.flags.port !== undefined && !/^\d{1,5}$/.test(String(a.flags.port))) || (asked ?? 0) > 65535) throw new CliError(`--port ${String(a.flags.port)}: a port is a whole number from 0 to 65535`);
  // As for run: the default database's folder is made on first use, a folder named by --db must exist.
  if (typeof a.flags.db === 'string') checkDbFolder(a.flags.db);
  const dbPath = typeof a.flags.db === 'string' ? a.flags.db : defaultDbPath();
  const portFile = servePortFile(dbPath);
  const port = asked ?? (await rememberedPort(portFile));
  // A port in use is said before anything is made (the database would otherwise be created for nothing).
  if (port !== 0 && !(await portFree(port))) throw new CliError(inUse(port));
  const staticDir = await ensureRendererBuilt(io, a.flags.rebuild === true);
  let host;
  try {
    host = createStudioHost({ dbPath, mode: 'serve', recentFile: join(dirname(dbPath), 'recent-designs.json') });
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message);
    throw e;
  }
  let srv;
  try {
    const start = (at: number): ReturnType<typeof startStudioServer> => startStudioServer({ handlers: host.handlers, progress: host.runner, staticDir, port: at });
    // Last time's port, taken meanwhile by another process: any free one will do (it was not asked for).
    srv = await start(port).catch((e: NodeJS.ErrnoException) => (asked === undefined && port !== 0 && e.code === 'EADDRINUSE' ? start(0) : Promise.reject(e)));
  } catch (e) {
    await host.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EADDRINUSE' ? inUse(port) : `cannot listen: ${(e as Error).message}`);
  }
  rememberPort(portFile, Number(new URL(srv.url).port));
  io.stdout.write(`Tock IPC Studio is at ${srv.url}\n(runs recorded in ${dbPath}; Ctrl+C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await srv.close();
  await host.close();
  return 0;
}
