// Runtime structures of the Tock model: what a Design compiles to. Everything here is plain mutable state owned
// by one TockModel; indices are dense so events can carry them as numbers.

import type { MpuArch, ParamValue } from '../../../src-shared/catalog';
import type { Sampler } from '../core/distributions';
import type { RngStream } from '../core/rng';
import { WIDE, widen } from '../core/wide';

/** Cycle costs of one kernel (tock-model §5), already resolved from its chip preset and overrides. */
export interface KernelCosts {
  syscall: number;
  mpuReprogram: number;
  scheduler: number;
  upcall: number;
  /** A → kernel → B: syscall round trip + MPU reprogram + scheduler. */
  contextSwitch: number;
  copyBytesPerCycle: number;
  memcpyBytesPerCycle: number;
  ipi: number;
  exceptionEntry: number;
  exceptionExit: number;
  legacyNotifyClient: number;
  legacyNotifyService: number;
  legacyDiscover: number;
}

/** Who completes a job and what happens then. Implemented by mechanisms, workloads and peripherals. */
export interface JobOwner {
  complete(job: Job): void;
  /**
   * A send job reaches its check point (`checkNs`): true when the mechanism refuses its message there, before the
   * kernel copies it (full and rejecting, too long), so that the copy's share of the job (`refundNs`) is not spent.
   */
  refusesNow?(job: Job): boolean;
}

/**
 * A unit of CPU work on one kernel: a process's upcall handler or syscall sequence, or kernel work (bottom half,
 * inter-processor interrupt). Invariant: `remNs ≥ 0`; `markNs` (when ≥ 0) is the offset into the job at which the
 * message it carries counts as sent, and `markAtNs` the absolute time that offset was reached.
 */
export class Job {
  // Times start wide (core/wide.ts) and are set in the constructor.
  remNs = WIDE;
  executedNs = WIDE;
  markNs = WIDE;
  markAtNs = WIDE;
  /** True when the job is an upcall delivery (its cost includes the upcall; it came from the upcall queue). */
  upcall = false;
  phase = 0;
  msg: Msg | null = null;
  /** Index of the outgoing connection (sender jobs) or receiver (receiver jobs). */
  n = 0;
  /** Syscalls this job makes (counted when it completes). */
  sys = 0;
  /** The connection a send job sends on (its `pending` count holds the job until it completes or is lost); else null. */
  sendsOn: OutRt | null = null;
  /** Part of a send job that is the kernel's copy of the message, not spent if the message is refused first. */
  refundNs = WIDE;
  /** Offset into a send job at which its mechanism decides whether it refuses the message (−1: no such decision). */
  checkNs = WIDE;
  /** Completing it has no effect besides freeing the CPU (a receiver's own work with nothing to forward). */
  quiet = false;
  /** Value ID a send carries, or that the received message carried (work jobs of one message); −1: none. */
  valueId = -1;
  /** Value IDs of the messages a work job is for, when it is for several (else null: `valueId`). */
  valueIds: readonly number[] | null = null;
  constructor(
    public proc: ProcRt | null,
    public owner: JobOwner,
  ) {
    widen(this, ['remNs', 'executedNs', 'refundNs']);
    widen(this, ['markNs', 'markAtNs', 'checkNs'], -1);
  }

  /** Makes a finished job new again (the model recycles jobs: a run creates millions). */
  reuse(proc: ProcRt | null, owner: JobOwner): void {
    this.proc = proc;
    this.owner = owner;
    this.remNs = 0;
    this.executedNs = 0;
    this.markNs = -1;
    this.markAtNs = -1;
    this.upcall = false;
    this.phase = 0;
    this.msg = null;
    this.n = 0;
    this.sys = 0;
    this.sendsOn = null;
    this.refundNs = 0;
    this.checkNs = -1;
    this.quiet = false;
    this.valueId = -1;
    this.valueIds = null;
  }
}

/** One message in flight: created when a sender hands it to a mechanism; resolved once (delivered or not). */
export interface Msg {
  id: number;
  flow: number;
  sender: ProcRt | null;
  /** Receiver process (null for a transmit into a peripheral). */
  receiver: ProcRt | null;
  bytes: number;
  sendNs: number;
  copies: number;
  bytesCopied: number;
  /** Sender generation at send: an answer for an earlier instance of the sender is not for the current one. */
  senderGen: number;
  /** Receiver generation at send: a restart in between makes the message stale. */
  receiverGen: number;
  resolved: boolean;
  truncated: boolean;
  /** Delivery to a restarted receiver is allowed (legacy IPC's stale index) rather than failed (NODEVICE). */
  staleOk: boolean;
  /** Free slot for a mechanism (e.g. a ring slot, a pending-reader count). */
  tag: number;
  /** The value ID it carries (a CAN frame's, passed on by a forwarder; a latest value's slot), or −1: none. */
  valueId: number;
}

/** A kernel (one core) with its CPU and scheduler state. */
export interface KernelRt {
  idx: number;
  id: string;
  name: string;
  clockHz: number;
  nsPerCycle: number;
  costs: KernelCosts;
  scheduler: 'roundRobin' | 'mlfq' | 'priority' | 'cooperative';
  timesliceNs: number;
  /** The time slice every process gets (Infinity: cooperative), or −1 when it depends on the process (MLFQ). */
  sliceNs: number;
  upcallQueueLen: number;
  arch: MpuArch;
  failed: boolean;
  // CPU state
  busy: boolean;
  running: Job | null;
  chunkNs: number;
  chunkStartNs: number;
  /** A context switch (contextSwitch cycles) in ns. */
  switchNs: number;
  /** An MPU reprogramming (mpuReprogram cycles) in ns. */
  mpuReprogramNs: number;
  /** Part of the running chunk that is context-switch overhead (before the job's own work). */
  chunkExtraNs: number;
  /** Sequence of the running chunk: a jobDone event for an older chunk (preempted by an interrupt) is stale. */
  chunkSeq: number;
  /**
   * End time of a quiet last chunk whose jobDone event was not scheduled (−1: none), and the place in the event
   * order reserved for it (TockModel.settle).
   */
  deferredEndNs: number;
  deferredHandle: number;
  /** The process whose MPU configuration is loaded (last to run). */
  lastProc: ProcRt | null;
  /**
   * Whether `lastProc`'s run goes on: it has not yielded and its slice has not expired since it got the CPU (an
   * interrupt's kernel work does not end it). While it does, it keeps the CPU (Tock's do_process loop).
   */
  runOpen: boolean;
  /** CPU time `lastProc` has used of the slice it was given for this run. */
  sliceUsedNs: number;
  kwork: Job[];
  ready: ProcRt[];
  procs: ProcRt[];
  // accounting
  busyNs: number;
  contextSwitches: number;
  syscalls: number;
  upcallsDropped: number;
  cpuSeries: number;
  windowStartNs: number;
  /** Busy time accumulated up to the start of the current CPU-load window. */
  windowBusyNs: number;
}

/** A process or service. */
export interface ProcRt {
  idx: number;
  id: string;
  name: string;
  kernel: KernelRt;
  isService: boolean;
  params: Record<string, ParamValue>;
  /** Names allowed to send to this service (its allowlist), or null for everyone. */
  allowlist: Set<string> | null;
  priority: number;
  appCycles: number;
  serviceSampler: Sampler | null;
  alive: boolean;
  /** Instance generation: +1 per restart (the (kernel, process, generation) identifier of tock-model §7). */
  generation: number;
  restarts: number;
  jobs: Job[];
  upcalls: Job[];
  inReady: boolean;
  mlfqLevel: number;
  /** MLFQ: time used at this level in earlier runs (Tock's us_used_this_queue); a run gets the level's slice less it. */
  mlfqUsedNs: number;
  /** Extra MPU regions held for IPC right now, and the peak. */
  regions: number;
  regionsPeak: number;
  regionCapacityExtra: number;
  mapFailures: number;
  /** Upcalls lost to this process's full upcall queue (NOMEM): a send its alarm never made shows only here. */
  upcallsDropped: number;
  /** Bytes lost to the alignment rule by the shares mapped now, and the most lost at any one time. */
  alignmentWasteBytes: number;
  alignmentWastePeakBytes: number;
  /** Shares mapped into this process (key → region bytes), e.g. legacy buffers per client; freed on restart. */
  shares: Map<string, number>;
  mpuSeries: number;
  busyNs: number;
  outs: OutRt[];
  /** Some outgoing connection forwards what this process receives (its work on a message has an effect). */
  forwards: boolean;
  rng: RngStream;
}

/** One outgoing connection of a process: its workload drives sends into `via`. */
export interface OutRt {
  idx: number;
  proc: ProcRt;
  via: ChannelRt;
  workload: string;
  periodNs: number;
  jitterNs: number;
  ratePerSec: number;
  burstSize: number;
  burstPeriodNs: number;
  payloadBytes: number;
  startNs: number;
  limit: number;
  timeoutNs: number;
  sent: number;
  /**
   * Sends queued on this connection whose jobs have not completed yet (a burst's, a backed-up sender's): with `sent`
   * they count against `limit`, so a connection never sends more than its limit.
   */
  pending: number;
  /** It sends into a peripheral (a device's transmit side). */
  toPeripheral: boolean;
  /** Flow index by receiver index (−1: the carrying node itself), filled on first use. */
  flowCache: Map<number, number>;
  /** The receiver key (process index, −1: none) of the last flow looked up, and that flow. */
  lastFlowKey: number;
  lastFlow: number;
  /**
   * The sender job of a message on this connection, resolved on first use (its costs never change in a run):
   * [cost, send point] in ns from an alarm upcall, then [cost, send point] as a continuation, then the copy's
   * share of the cost (`Job.refundNs`) for each, then the refusal's check point (`Job.checkNs`) for each; −1 until
   * known.
   */
  sendCostNs: Float64Array;
  /** Request/response client waiting for its response (or its timeout). */
  waiting: boolean;
  rng: RngStream;
}

/** A place where a mechanism copies messages (e.g. "sender's allow → kernel FIFO"), and what it copied there. */
export interface CopySite {
  readonly label: string;
  copies: number;
  bytes: number;
}

/** What every mechanism, pattern and peripheral shares: its node, its ends, its flows and its counters. */
export interface ChannelRt extends JobOwner {
  idx: number;
  id: string;
  /** Index of the kernel it belongs to (−1: none, e.g. a channel between kernels). */
  readonly kernelIdx: number;
  kind: string;
  senders: ProcRt[];
  receivers: ProcRt[];
  copies: number;
  bytesCopied: number;
  /** Its copies by where they happen (they add up to `copies` and `bytesCopied`). */
  readonly copySites: readonly CopySite[];
  depth: number;
  maxDepth: number;
  drops: number;
  depthSeries: number;
  /** A sender's tick: build and queue the sender's job for a message on `out`. */
  /** A send on `out`; a forwarder passes on the value ID of the message it forwards (−1: none). */
  send(out: OutRt, fromUpcall: boolean, valueId?: number): void;
  /** The process `proc` died: purge what is queued for or from it. */
  peerDied(proc: ProcRt): void;
  /** The process `proc` restarted (a new instance, generation + 1). */
  restarted?(proc: ProcRt): void;
  /** A kernel failed. */
  kernelFailed?(k: KernelRt): void;
  /** Called once at time 0 to start periodic activity (readers polling, peripheral traffic). */
  start?(): void;
  /** Event dispatch for channel-specific events (EV.channel). */
  onEvent?(arg: number): void;
}
