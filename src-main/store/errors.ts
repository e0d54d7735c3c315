/** Why the store refused a file or a request. Stable codes: the CLI and the UI switch on them. */
export type StoreErrorCode =
  | 'missing' // the database file does not exist (and creating it was not asked for)
  | 'not-sqlite' // random bytes, a text file, a truncated file
  | 'foreign' // an SQLite database of another application
  | 'newer' // written by a newer version of the studio
  | 'corrupt' // ours, but damaged (quick_check failed, tables missing)
  | 'unreadable' // permission denied, a directory, an I/O error
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
