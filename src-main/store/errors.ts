/** Why the store refused a file or a request. Stable codes: the CLI and the UI switch on them. */
export type StoreErrorCode =
  | 'missing' // the database file does not exist (and creating it was not asked for)
  | 'not-sqlite' // random bytes, a text file, a truncated file
  | 'foreign' // an SQLite database of another application
  | 'newer' // written by a newer version of the studio
  | 'corrupt' // ours, but damaged (quick_check failed, tables missing)
  | 'unreadable' // permission denied, a directory, an I/O error
  | 'busy' // another process holds the database locked (longer than the busy timeout)
  | 'read-only' // the file or its folder cannot be written
  | 'disk-full' // the disk (or the file system's quota) is full
  | 'not-found' // no such run / flow / series
  | 'invalid' // a bad argument (caller error)
  | 'closed'; // the store or the writer is closed

/**
 * A user-facing store error: `message` is one sentence naming the file (or run) and what to do; no stack needed.
 * Invariant: for every file-level refusal the file was not modified.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** `SQLITE_CORRUPT: database disk image is malformed` from an SQLite error (its code, when it has one, and message). */
export function sqliteMessage(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const msg = e instanceof Error ? e.message : String(e);
  return typeof code === 'string' ? `${code}: ${msg}` : msg;
}

/** Whether `e` is SQLite saying the file is damaged or no longer a database (SQLITE_CORRUPT*, SQLITE_NOTADB). */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_') || code === 'SQLITE_NOTADB');
}

/**
 * The `StoreError('corrupt')` for damage SQLite met in `file` after it was opened, worded as the refusals at open
 * are: `<file>: is damaged (SQLITE_CORRUPT: database disk image is malformed); <then>`. `then` says what became
 * of the file (a failed read or a rolled-back write leaves it as it was).
 */
export function corruptError(file: string, e: unknown, then = 'it was not modified'): StoreError {
  return new StoreError('corrupt', `${file}: is damaged (${sqliteMessage(e)}); ${then}`);
}

/**
 * What SQLite's error `e` says about `file`, as a `StoreError` naming it and what to do: damage (`corruptError`), a
 * lock another process holds, a read-only file or folder, a full disk, an I/O failure. Null for any other error (a
 * bug, a constraint): those are not about the file.
 */
export function fileError(file: string, e: unknown, then = 'it was not modified'): StoreError | null {
  if (isCorruption(e)) return corruptError(file, e, then);
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const why = sqliteMessage(e);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('busy', `${file}: is locked by another process (${why}); ${then}. Try again when that process has finished`);
  }
  if (code.startsWith('SQLITE_READONLY')) return new StoreError('read-only', `${file}: cannot be written, the file or its folder is read-only (${why}); ${then}`);
  if (code === 'SQLITE_FULL') return new StoreError('disk-full', `${file}: the disk is full (${why}); ${then}. Free some space and try again`);
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new StoreError('unreadable', `${file}: cannot be read or written (${why}); ${then}`);
  }
  return null;
}

/** Runs `f`, turning SQLite's errors about the file into `fileError(file, …, then)`; other errors pass through. */
export function guardFile<T>(file: string, f: () => T, then?: string): T {
  try {
    return f();
  } catch (e) {
    throw fileError(file, e, then) ?? e;
  }
}

/** An iterable whose iteration is guarded as `guardFile` guards a call (for lazily read exports). */
export function* guardIterable<T>(file: string, items: Iterable<T>, then?: string): Generator<T, void, undefined> {
  const it = guardFile(file, () => items[Symbol.iterator](), then);
  let finished = false;
  try {
    for (;;) {
      const r = guardFile(file, () => it.next(), then);
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    // A consumer that stops early (or fails) lets the source release what it holds (a statement's cursor).
    if (!finished) it.return?.();
  }
}
