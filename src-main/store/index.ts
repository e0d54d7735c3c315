// The run store's public surface (main process only: better-sqlite3 and node:* inside).
export { RunStore, type RunStoreOptions } from './store';
export { RunWriter, MESSAGE_CHUNK, SERIES_CHUNK, DEFAULT_MAX_TRACE_EVENTS, type RunEndInfo } from './writer';
export { StoreError, type StoreErrorCode } from './errors';
export { defaultDbPath, APP_DIR_NAME, DB_FILE_NAME, DB_ENV_VAR } from './paths';
export { canonicalJson, designHash, designSnapshot } from './hash';
export { APPLICATION_ID, LATEST_VERSION, MIGRATIONS } from './migrations';
export type { OpenReport } from './open';
export type { CsvRows } from './exportRun';
export * from './types';
