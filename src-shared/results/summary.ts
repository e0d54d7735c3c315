/**
 * The run summary: the `--json` contract of product.md. Same design + same seed ⇒ the same summary, byte for
 * byte, except `runId` and `wallMs`. Extend with new fields; never rename or remove one.
 */

/** Latency statistics of delivered messages, in simulated nanoseconds (exact order statistics). */
export interface LatencyStats {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One flow: sender → mechanism → receiver. */
export interface FlowSummary {
  id: string;
  name: string;
  source: string;
  target: string;
  /** The carrying node's kind (`twoCopyChannel`, `stm32Ethernet`, …). */
  mechanism: string;
  sent: number;
  delivered: number;
  dropped: number;
  overwritten: number;
  timedOut: number;
  /** Extension: lost because the peer was gone or restarted, or a share could not be mapped. */
  failed: number;
  /** Extension: delivered but truncated to the receiver's buffer (also counted in `delivered`). */
  truncated: number;
  /** Extension: delivered to a restarted instance through a stale identifier (legacy IPC). */
  stale: number;
  /**
   * Extension: sent but not resolved when the run ended (queued, on a bus or wire, awaiting an answer), so that
   * sent = delivered + dropped + overwritten + timedOut + failed + inFlight. Absent in runs recorded before it.
   */
  inFlight?: number;
  latencyNs: LatencyStats;
  /** Copies made for a delivered message, on average (what one delivered message costs). */
  copiesPerMessage: number;
  /** Bytes copied for the flow's messages, whatever became of them (the copy traffic, lost messages included). */
  bytesCopied: number;
}

/** One mechanism, pattern or peripheral node. */
export interface MechanismSummary {
  id: string;
  /** Extension: the node's name (absent in runs recorded before it was added). */
  name?: string;
  kind: string;
  /** Copies the node made (of messages delivered or not), and their bytes. */
  copies: number;
  bytesCopied: number;
  /**
   * Extension: the same copies by where they happen (e.g. "sender's allow → kernel FIFO"), those with at least one
   * copy; they add up to `copies` and `bytesCopied`. Absent in runs recorded before it was added.
   */
  copySites?: { site: string; copies: number; bytesCopied: number }[];
  maxDepth: number;
  /** Messages it lost: refused when full, overwritten, or lost to a full upcall queue. */
  drops: number;
}

/** One process or service. */
export interface ProcessSummary {
  id: string;
  name: string;
  kernel: string;
  mpuRegionsPeak: number;
  mpuRegionsCapacity: number;
  mpuMapFailures: number;
  /** Bytes lost to the MPU's alignment rule (rounded-up size − requested size) by the shares mapped at one time: the most over the run, as for mpuRegionsPeak. */
  alignmentWasteBytes: number;
  restarts: number;
  /**
   * Extension: upcalls lost to its full upcall queue (NOMEM; the kernel's `upcallsDropped` adds them up). A sender
   * whose alarm upcall is lost never sends that message, so this is where a starved sender shows. Absent in runs
   * recorded before it was added.
   */
  upcallsDropped?: number;
}

/** One kernel (core). */
export interface KernelSummary {
  id: string;
  name: string;
  cpuUtilization: number;
  contextSwitches: number;
  syscalls: number;
  upcallsDropped: number;
}

/** The summary object printed by `tock-studio run --json` and stored with each run. */
export interface RunSummary {
  runId: string;
  design: string;
  designHash: string;
  seed: number;
  engineVersion: string;
  simTimeNs: number;
  events: number;
  wallMs: number;
  flows: FlowSummary[];
  mechanisms: MechanismSummary[];
  processes: ProcessSummary[];
  kernels: KernelSummary[];
}
