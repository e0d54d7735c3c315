// The main-process services behind the contract (store, runner, handlers), built the same way for the desktop
// app and for serve mode.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudioInfo } from '../../src-shared/api/contract';
import { Runner } from '../runner/runner';
import { RunStore } from '../store/store';
import { createHandlers, type Dialogs, type Handlers } from './handlers';

/** The project root (where resources/ and package.json are), from this module's location (source or bundle). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'tock-ipc-studio') return dir;
    } catch {
      // keep looking upwards
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the Tock IPC Studio package root');
}

/** A running set of services. */
export interface StudioHost {
  store: RunStore;
  runner: Runner;
  handlers: Handlers;
  close(): Promise<void>;
}

/** Opens the store at `dbPath` (a StoreError names a bad file), starts the runner, builds the handlers. */
export function createStudioHost(opts: { dbPath: string; mode: StudioInfo['mode']; recentFile: string; dialogs?: Dialogs; onDocumentState?: (s: { dirty: boolean; title: string }) => void }): StudioHost {
  const root = projectRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const store = RunStore.open(opts.dbPath);
  // A worker waits, loaded, for each next run: in serve mode from a checkout that saves ~0.7 s per run.
  const runner = new Runner(store, { warmWorker: true });
  const handlers = createHandlers({
    store,
    runner,
    mode: opts.mode,
    version,
    dbPath: opts.dbPath,
    examplesDir: join(root, 'resources/examples'),
    recentFile: opts.recentFile,
    ...(opts.dialogs ? { dialogs: opts.dialogs } : {}),
    ...(opts.onDocumentState ? { onDocumentState: opts.onDocumentState } : {}),
  });
  return {
    store,
    runner,
    handlers,
    async close() {
      await runner.shutdown();
      store.close();
    },
  };
}
