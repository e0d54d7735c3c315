/**
 * Outcome of one message, shared by the engine (which records it) and the store (which groups by it).
 * Invariant: codes never change value once released; new outcomes get new codes.
 */
export const Outcome = {
  /** Reached the receiver whole. */
  delivered: 0,
  /** Lost: refused at send (full queue or slice, ALREADY, BUSY, ring full) or dropped in flight (NOMEM). */
  dropped: 1,
  /** Replaced before the receiver read it (latest value, ring buffer, drop-oldest FIFO). */
  overwritten: 2,
  /** No outcome before a timeout (userspace timeout, inter-kernel send to a failed kernel). */
  timedOut: 3,
  /** The peer was gone or restarted (NODEVICE, UNINSTALLED), or the share could not be mapped. */
  failed: 4,
  /** Reached the receiver truncated to its buffer (Tock SIZE); counts as delivered. */
  truncated: 5,
} as const;

/** One of the `Outcome` codes. */
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];

/** Names by code, for CSV export and charts. */
export const OUTCOME_NAMES: readonly string[] = ['delivered', 'dropped', 'overwritten', 'timedOut', 'failed', 'truncated'];
