// The Tock model: kernels with a CPU and a scheduler, processes with their upcall queues and workloads, MPU
// accounting, messages and their outcomes. Mechanisms (mechanisms.ts) act through the small API below; every
// number they produce (copies, regions, costs) is counted here as it happens.

import { effectiveParams, fitShare, freeRegionsForIpc, getKind, mpuArchOf, type BufferPlacement } from '../../../src-shared/catalog';
import type { Design, DesignNode, FlowDef } from '../../../src-shared/model';
import { deriveFlows } from '../../../src-shared/model/flows';
import { allowlistNames } from '../../../src-shared/model/validate';
import { Outcome } from '../../../src-shared/results/outcome';
import { MAX_FAULT_TRACE } from '../../../src-shared/results/runStore';
import { makeDurationSampler, type Distribution, type Sampler } from '../core/distributions';
import type { Recorder } from '../core/recorder';
import { streamFor } from '../core/rng';
import { removeIndex, rotateToEnd, takeFirst } from '../core/arrays';
import { WIDE, widen } from '../core/wide';
import type { EventHandler, Simulator } from '../core/simulator';
import { Job, type ChannelRt, type CopySite, type JobOwner, type KernelCosts, type KernelRt, type Msg, type OutRt, type ProcRt } from './runtime';

/** Event kinds of the Tock model (the `kind` of a simulator event). */
export const EV = {
  jobDone: 1,
  tick: 2,
  channel: 3,
  fault: 4,
  restart: 5,
  timeout: 6,
  window: 7,
} as const;

/**
 * Trace kinds (the `kind` of a recorder trace point): a = kernel index, b = process index (−1 = kernel); for
 * linkDown / linkUp, a = the link's kernel (−1: a channel between kernels) and b = the link's mechanism index.
 */
export const TRACE = { run: 1, idle: 2, contextSwitch: 3, upcallDropped: 4, crash: 5, restart: 6, kernelFailed: 7, linkDown: 8, linkUp: 9 } as const;

/** Per-flow accumulators (exact: every delivered latency kept for order statistics). */
export interface FlowStats {
  def: FlowDef;
  sent: number;
  delivered: number;
  dropped: number;
  overwritten: number;
  timedOut: number;
  failed: number;
  truncated: number;
  stale: number;
  copies: number;
  bytesCopied: number;
  latencies: Float64Array;
  latencyCount: number;
}

/**
 * The counters at the end of the warm-up, by index of channel, process and kernel: the summary reports what
 * happened after it (peaks restart from the values held then).
 */
export interface WarmupSnapshot {
  channels: { copies: number; bytesCopied: number; drops: number; sites: { copies: number; bytes: number }[] }[];
  procs: { mapFailures: number; restarts: number; upcallsDropped: number }[];
  kernels: { busyNs: number; contextSwitches: number; syscalls: number; upcallsDropped: number }[];
}

/** The series the model emits, by index: `mpu:<process>`, `depth:<mechanism>`, `cpu:<kernel>`. */
export interface SeriesDef {
  key: string;
  unit: string;
}

/** MLFQ time slices per level [V: tock-model §1; capsules/system/src/scheduler/mlfq.rs]. */
const MLFQ_SLICES_NS = [10_000_000, 20_000_000, 50_000_000];
/** MLFQ priority boost period [V: PRIORITY_REFRESH_PERIOD_MS = 5000 in mlfq.rs]. */
const MLFQ_BOOST_NS = 5_000_000_000;
/**
 * Minimum quantum [V: tock-model §1, MIN_QUANTA_THRESHOLD_US = 500 in kernel.rs]: a process whose slice has less
 * than this left is not run on; its slice has expired.
 */
export const MIN_QUANTUM_NS = 500_000;

function kernelCosts(p: Record<string, unknown>): KernelCosts {
  const n = (k: string): number => p[k] as number;
  return {
    syscall: n('syscallCycles'),
    mpuReprogram: n('mpuReprogramCycles'),
    scheduler: n('schedulerCycles'),
    upcall: n('upcallCycles'),
    contextSwitch: n('syscallCycles') + n('mpuReprogramCycles') + n('schedulerCycles'),
    copyBytesPerCycle: n('kernelCopyBytesPerCycle'),
    memcpyBytesPerCycle: n('memcpyBytesPerCycle'),
    ipi: n('ipiCycles'),
    exceptionEntry: n('exceptionEntryCycles'),
    exceptionExit: n('exceptionExitCycles'),
    legacyNotifyClient: n('legacyNotifyClientCycles'),
    legacyNotifyService: n('legacyNotifyServiceCycles'),
    legacyDiscover: n('legacyDiscoverCycles'),
  };
}

function serviceDistribution(p: Record<string, unknown>): Distribution {
  const mean = p.serviceTimeNs as number;
  const spread = p.serviceSpreadNs as number;
  switch (p.serviceTimeDist) {
    case 'uniform':
      return { kind: 'uniform', min: Math.max(0, mean - spread), max: mean + spread };
    case 'normal':
      return { kind: 'normal', mean, sd: spread };
    case 'exponential':
      return { kind: 'exponential', mean };
    default:
      return { kind: 'constant', value: mean };
  }
}

/** A service's allowlist as the names it lets through (null: everyone), read as the design's lint reads it. */
function allowlistSet(value: unknown): Set<string> | null {
  const names = allowlistNames(typeof value === 'string' ? value : undefined);
  return names === null ? null : new Set(names);
}

/** Options of one model run. */
export interface ModelOptions {
  seed: number;
  durationNs: number;
  warmupNs: number;
  /** Bound on trace points recorded (the timeline view); further points are counted but not recorded. */
  maxTrace: number;
  /** Width of a CPU-load window. */
  cpuWindowNs: number;
}

/** Builds a channel runtime for a node; supplied by mechanisms.ts (kept separate to keep this file about Tock). */
export type ChannelFactory = (model: TockModel, node: DesignNode, idx: number) => ChannelRt;

/**
 * The Tock model as an EventHandler. Construct with a validated design; call `start()` then run the simulator.
 * Invariants: a process runs only on its kernel's CPU; one job at a time per CPU; a message is resolved once.
 */
export class TockModel implements EventHandler {
  readonly kernels: KernelRt[] = [];
  readonly procs: ProcRt[] = [];
  readonly channels: ChannelRt[] = [];
  readonly outs: OutRt[] = [];
  readonly flows: FlowStats[] = [];
  readonly series: SeriesDef[] = [];
  readonly byId = new Map<string, KernelRt | ProcRt | ChannelRt>();
  readonly nodes = new Map<string, DesignNode>();
  private readonly flowIndex = new Map<string, number>();
  /** Completed jobs, kept for reuse (no owner holds a job after completing it). */
  private readonly jobPool: Job[] = [];
  private readonly pendingTimeouts = new Map<number, { msg: Msg; onTimeout: () => void }>();
  private nextMsgId = 1;
  private nextTimeoutId = 1;
  traced = 0;
  traceDropped = 0;
  /** Fault trace points recorded (crashes, restarts, kernel failures, links down and up): outside `maxTrace`. */
  private faultTraced = 0;
  /** Each process's one message in flight between kernels (tock-model §7), shared by the inter-kernel channels. */
  readonly interKernelInFlight = new Map<ProcRt, Msg>();
  /** Per mechanism index: until when its link is down (−1: up; Infinity: for the rest of the run). */
  private readonly linkDownUntil: number[] = [];
  /** Taken at the end of the warm-up (null: none, or not reached yet). */
  warmup: WarmupSnapshot | null = null;

  constructor(
    readonly design: Design,
    readonly sim: Simulator,
    readonly rec: Recorder,
    readonly opts: ModelOptions,
    channelFactory: ChannelFactory,
  ) {
    for (const n of design.nodes) this.nodes.set(n.id, n);
    this.buildKernels();
    this.buildProcesses();
    for (const n of design.nodes) {
      const kind = getKind(n.kind)!;
      if (kind.category === 'mechanism' || kind.category === 'pattern' || kind.category === 'peripheral') {
        const ch = channelFactory(this, n, this.channels.length);
        this.channels.push(ch);
        this.byId.set(n.id, ch);
      }
    }
    this.wireEdges();
    // Messages are created by one literal (newMsg): one created with wide times sets the shape they all share.
    widen(this.newMsg(-1, null, null, WIDE), ['sendNs', 'bytesCopied'], WIDE);
    this.nextMsgId = 1;
    for (const f of deriveFlows(design)) {
      this.flowIndex.set(f.id, this.flows.length);
      this.flows.push({ def: f, sent: 0, delivered: 0, dropped: 0, overwritten: 0, timedOut: 0, failed: 0, truncated: 0, stale: 0, copies: 0, bytesCopied: WIDE, latencies: new Float64Array(64), latencyCount: 0 });
      widen(this.flows[this.flows.length - 1]!, ['bytesCopied']);
    }
  }

  // ----------------------------------------------------------------------------------------------- building
  private buildKernels(): void {
    const kernelKind = getKind('kernel')!;
    for (const n of this.design.nodes) {
      if (n.kind !== 'kernel') continue;
      const p = effectiveParams(kernelKind, n.params);
      const clockHz = p.clockHz as number;
      const k: KernelRt = {
        idx: this.kernels.length,
        id: n.id,
        name: n.name,
        clockHz,
        nsPerCycle: 1e9 / clockHz,
        costs: kernelCosts(p),
        switchNs: 0,
        mpuReprogramNs: 0,
        scheduler: p.scheduler as KernelRt['scheduler'],
        timesliceNs: p.timesliceNs as number,
        // Cooperative and priority schedulers give no timeslice (Tock's priority.rs: the running process is always the
        // best ready one until an interrupt readies a better one); MLFQ's depends on the process's level.
        sliceNs: p.scheduler === 'cooperative' || p.scheduler === 'priority' ? Infinity : p.scheduler === 'mlfq' ? -1 : (p.timesliceNs as number),
        upcallQueueLen: p.upcallQueueEntries as number,
        arch: mpuArchOf(p),
        failed: false,
        busy: false,
        running: null,
        chunkNs: WIDE,
        chunkStartNs: WIDE,
        chunkExtraNs: WIDE,
        chunkSeq: 0,
        deferredEndNs: WIDE,
        deferredHandle: 0,
        lastProc: null,
        runOpen: false,
        sliceUsedNs: WIDE,
        kwork: [],
        ready: [],
        procs: [],
        busyNs: WIDE,
        contextSwitches: 0,
        syscalls: 0,
        upcallsDropped: 0,
        cpuSeries: this.addSeries(`cpu:${n.id}`, 'fraction'),
        windowStartNs: WIDE,
        windowBusyNs: WIDE,
      };
      widen(k, ['chunkNs', 'chunkStartNs', 'chunkExtraNs', 'sliceUsedNs', 'busyNs', 'windowStartNs', 'windowBusyNs']);
      widen(k, ['deferredEndNs'], -1);
      k.switchNs = this.ns(k, k.costs.contextSwitch);
      k.mpuReprogramNs = this.ns(k, k.costs.mpuReprogram);
      this.kernels.push(k);
      this.byId.set(n.id, k);
    }
  }

  private buildProcesses(): void {
    for (const n of this.design.nodes) {
      const kind = getKind(n.kind)!;
      if (kind.category !== 'process') continue;
      const k = this.byId.get(n.parent!) as KernelRt;
      const p = effectiveParams(kind, n.params);
      const isService = n.kind === 'service';
      const proc: ProcRt = {
        idx: this.procs.length,
        id: n.id,
        name: n.name,
        kernel: k,
        isService,
        params: p,
        allowlist: allowlistSet(p.allowlist),
        priority: p.priority as number,
        appCycles: p.appCycles as number,
        serviceSampler: isService ? makeDurationSampler(serviceDistribution(p), streamFor(this.opts.seed, `${n.id}/service`)) : null,
        alive: true,
        generation: 0,
        restarts: 0,
        jobs: [],
        upcalls: [],
        inReady: false,
        mlfqLevel: 0,
        mlfqUsedNs: WIDE,
        regions: 0,
        regionsPeak: 0,
        regionCapacityExtra: freeRegionsForIpc(k.arch),
        mapFailures: 0,
        upcallsDropped: 0,
        alignmentWasteBytes: 0,
        alignmentWastePeakBytes: 0,
        shares: new Map(),
        mpuSeries: this.addSeries(`mpu:${n.id}`, 'regions'),
        busyNs: WIDE,
        outs: [],
        forwards: false,
        rng: streamFor(this.opts.seed, `${n.id}/process`),
      };
      widen(proc, ['busyNs', 'mlfqUsedNs']);
      this.procs.push(proc);
      k.procs.push(proc);
      this.byId.set(n.id, proc);
    }
  }

  private wireEdges(): void {
    for (const e of this.design.edges) {
      const src = this.byId.get(e.source);
      const dst = this.byId.get(e.target);
      if (!src || !dst) continue;
      if (isProc(src) && !isProc(dst) && !isKernel(dst)) {
        const ch = dst as ChannelRt;
        ch.senders.push(src);
        const p = src.params;
        const out: OutRt = {
          idx: this.outs.length,
          proc: src,
          via: ch,
          workload: p.workload as string,
          periodNs: p.periodNs as number,
          jitterNs: p.jitterNs as number,
          ratePerSec: p.ratePerSec as number,
          burstSize: p.burstSize as number,
          burstPeriodNs: p.burstPeriodNs as number,
          payloadBytes: p.payloadBytes as number,
          startNs: p.startNs as number,
          limit: p.messageLimit as number,
          timeoutNs: p.timeoutNs as number,
          sent: 0,
          pending: 0,
          toPeripheral: getKind(ch.kind)?.category === 'peripheral',
          flowCache: new Map(),
          lastFlowKey: -2,
          lastFlow: -1,
          sendCostNs: new Float64Array(8).fill(-1),
          waiting: false,
          rng: streamFor(this.opts.seed, `${src.id}>${ch.id}/workload`),
        };
        this.outs.push(out);
        src.outs.push(out);
        if (out.workload === 'forward') src.forwards = true;
      } else if (!isProc(src) && !isKernel(src) && isProc(dst)) {
        (src as ChannelRt).receivers.push(dst);
      }
    }
  }

  addSeries(key: string, unit: string): number {
    this.series.push({ key, unit });
    return this.series.length - 1;
  }

  /** The flow index of (sender, via, receiver); −1 when the design has no such flow. */
  flowOf(senderId: string, viaId: string, receiverId: string): number {
    const key = senderId === viaId ? `${viaId}>${receiverId}` : receiverId === viaId ? `${senderId}>${viaId}` : `${senderId}>${viaId}>${receiverId}`;
    return this.flowIndex.get(key) ?? -1;
  }

  get now(): number {
    return this.sim.nowNs;
  }

  // ------------------------------------------------------------------------------------------------ start
  /** Schedules the first events: workload ticks, channel start-up, faults, CPU-load windows. */
  start(faults: readonly DesignNode[]): void {
    for (const out of this.outs) {
      if (out.workload === 'none' || out.workload === 'forward') continue;
      const first = out.startNs + (out.workload === 'poisson' ? this.expNs(out) : 0);
      this.sim.scheduleAt(first, 0, EV.tick, out.idx, 0);
    }
    for (const ch of this.channels) ch.start?.();
    // Every process's MPU holds its own regions (flash, RAM) from the start.
    for (const p of this.procs) this.rec.series(p.mpuSeries, 0, p.kernel.arch.usedPerProcess);
    faults.forEach((f, i) => this.scheduleFault(f, i, true));
    this.sim.scheduleAt(this.opts.cpuWindowNs, 10, EV.window, 0, 0);
    // The end of the warm-up comes before anything else at that time (what happens then counts).
    if (this.opts.warmupNs > 0) this.sim.scheduleAt(this.opts.warmupNs, -2, EV.window, 2, 0);
    for (const k of this.kernels) if (k.scheduler === 'mlfq') this.sim.scheduleAt(MLFQ_BOOST_NS, 5, EV.window, 1, k.idx);
  }

  // ------------------------------------------------------------------------------------------------- events
  handle(kind: number, target: number, arg: number, _timeNs: number): void {
    switch (kind) {
      case EV.jobDone: {
        const k = this.kernels[target]!;
        if (arg === k.chunkSeq) this.jobDone(k);
        break;
      }
      case EV.tick:
        this.tick(this.outs[target]!, arg);
        break;
      case EV.channel:
        this.channels[target]!.onEvent?.(arg);
        break;
      case EV.fault:
        this.fault(target);
        break;
      case EV.restart:
        this.restart(this.procs[target]!);
        break;
      case EV.timeout: {
        const t = this.pendingTimeouts.get(target);
        if (t) {
          this.pendingTimeouts.delete(target);
          if (!t.msg.resolved) t.onTimeout();
        }
        break;
      }
      case EV.window:
        if (target === 0) this.cpuWindow();
        else if (target === 1) this.mlfqBoost(this.kernels[arg]!);
        else if (target === 3) this.linkUp(this.channels[arg]!);
        else this.endWarmup();
        break;
    }
  }

  // ------------------------------------------------------------------------------------------- workloads
  private expNs(out: OutRt): number {
    return Math.max(1, Math.round((-Math.log(1 - out.rng.next()) * 1e9) / out.ratePerSec));
  }

  private nextTickDelay(out: OutRt): number {
    switch (out.workload) {
      case 'periodic': {
        const j = out.jitterNs > 0 ? Math.round((out.rng.next() * 2 - 1) * out.jitterNs) : 0;
        return Math.max(1, out.periodNs + j);
      }
      case 'poisson':
        return this.expNs(out);
      case 'burst':
        return out.burstPeriodNs;
      default:
        return out.periodNs;
    }
  }

  /** A workload tick: the process's alarm fires (an upcall); its handler sends on `out`. */
  private tick(out: OutRt, arg: number): void {
    // The alarm chain stops once the limit is really sent: sends still queued (`pending`) may yet be lost.
    if (out.limit > 0 && out.sent >= out.limit) return;
    // A request/response client's timer belongs to its instance: a restart drops it (its new instance arms its own).
    if (out.workload === 'requestResponse' && arg !== out.proc.generation) return;
    const k = out.proc.kernel;
    if ((k.scheduler === 'mlfq' || k.scheduler === 'priority') && k.running !== null && !k.failed) {
      // The alarm is an interrupt: the running process traps into the kernel, which may choose another (MLFQ:
      // a better level; priority: a better priority). Round robin and cooperative resume it: nothing to model.
      this.settle(k);
      this.interrupt(k);
      this.alarm(out);
      if (!k.busy) this.dispatch(k);
    } else this.alarm(out);
  }

  /** The workload's alarm upcall: its handler sends on `out` (burst: several), and the next alarm is set. */
  private alarm(out: OutRt): void {
    const p = out.proc;
    if (out.workload !== 'requestResponse') this.sim.schedule(this.nextTickDelay(out), 0, EV.tick, out.idx, 0);
    if (!p.alive || p.kernel.failed) return; // a request/response client is armed again when it restarts
    const n = out.workload === 'burst' ? out.burstSize : 1;
    for (let i = 0; i < n; i++) {
      if (atLimit(out)) break;
      out.via.send(out, i === 0);
    }
  }

  /** A request/response client got its answer (or gave up): think, then send again. */
  responded(out: OutRt): void {
    if (out.workload !== 'requestResponse' || !out.waiting) return;
    out.waiting = false;
    if (atLimit(out)) return;
    this.rearm(out);
  }

  /** Arms a request/response client's timer one period (its think time) from now, for its current instance. */
  rearm(out: OutRt): void {
    this.sim.schedule(out.periodNs, 0, EV.tick, out.idx, out.proc.generation);
  }

  /**
   * After a process received a message (carrying `valueId`, −1: none): forwarders send one on each outgoing
   * connection, under the same value ID.
   */
  received(proc: ProcRt, valueId = -1): void {
    for (const out of proc.outs) {
      if (out.workload === 'forward' && !atLimit(out)) out.via.send(out, false, valueId);
    }
  }

  /**
   * After a forwarding service answered a client's request (Relay Request, legacy IPC): the request is outgoing
   * traffic (tock-model §3: the thread server takes outgoing packets over Relay Request), so it goes out on the
   * connections into a peripheral (the device's transmit side), not back to the apps as incoming traffic.
   */
  answered(proc: ProcRt): void {
    for (const out of proc.outs) {
      if (out.workload === 'forward' && out.toPeripheral && !atLimit(out)) out.via.send(out, false);
    }
  }

  // ------------------------------------------------------------------------------------------- messages
  /** A new message on `flow` (sendNs is set when the sender's job reaches its send point). */
  newMsg(flow: number, sender: ProcRt | null, receiver: ProcRt | null, bytes: number): Msg {
    return { id: this.nextMsgId++, flow, sender, receiver, bytes, sendNs: this.now, copies: 0, bytesCopied: 0, senderGen: sender ? sender.generation : 0, receiverGen: receiver ? receiver.generation : 0, resolved: false, truncated: false, staleOk: false, tag: 0, valueId: -1 };
  }

  /** Counts a message as sent on its flow (when it is handed to the mechanism). */
  sent(msg: Msg): void {
    const f = this.flows[msg.flow];
    if (f && msg.sendNs >= this.opts.warmupNs) f.sent++;
  }

  /** Resolves a message once with an outcome (Outcome code), recording it. */
  resolve(msg: Msg, outcome: number): void {
    if (msg.resolved) return;
    msg.resolved = true;
    const stale = msg.receiver !== null && msg.receiverGen !== msg.receiver.generation;
    // Identifiers carry a generation (tock-model §3, §7): a message for an earlier instance fails (NODEVICE),
    // except under legacy IPC, whose stale index silently reaches the new instance.
    if (stale && !msg.staleOk && (outcome === Outcome.delivered || outcome === Outcome.truncated)) outcome = Outcome.failed;
    const f = this.flows[msg.flow];
    const now = this.now;
    const counted = msg.sendNs >= this.opts.warmupNs;
    if (f && counted) {
      f.bytesCopied += msg.bytesCopied;
      switch (outcome) {
        case Outcome.delivered:
        case Outcome.truncated: {
          f.delivered++;
          if (outcome === Outcome.truncated) f.truncated++;
          f.copies += msg.copies;
          if (f.latencyCount === f.latencies.length) {
            const grown = new Float64Array(f.latencies.length * 2);
            grown.set(f.latencies);
            f.latencies = grown;
          }
          f.latencies[f.latencyCount++] = now - msg.sendNs;
          if (stale) f.stale++;
          break;
        }
        case Outcome.dropped:
          f.dropped++;
          break;
        case Outcome.overwritten:
          f.overwritten++;
          break;
        case Outcome.timedOut:
          f.timedOut++;
          break;
        default:
          f.failed++;
      }
    }
    if (counted && msg.flow >= 0) this.rec.message(msg.flow, msg.sendNs, now, outcome === Outcome.delivered || outcome === Outcome.truncated ? msg.bytes : 0, msg.copies, outcome);
  }

  /**
   * Starts a timeout for `msg`; `onTimeout` runs if the message is still unresolved then. Returns its id for
   * `cancelTimeout` (0: no timeout, the delay was not positive).
   */
  timeout(msg: Msg, delayNs: number, onTimeout: () => void): number {
    if (delayNs <= 0) return 0;
    const id = this.nextTimeoutId++;
    this.pendingTimeouts.set(id, { msg, onTimeout });
    this.sim.schedule(delayNs, 0, EV.timeout, id, 0);
    return id;
  }

  /** Cancels a pending timeout (no-op when it already fired or was cancelled): its event will find nothing. */
  cancelTimeout(id: number): void {
    this.pendingTimeouts.delete(id);
  }

  // ------------------------------------------------------------------------------------------------ costs
  /** Cycles → ns on kernel `k` (rounded to the nearest ns). */
  ns(k: KernelRt, cycles: number): number {
    return Math.round(cycles * k.nsPerCycle);
  }

  /**
   * A byte copy by the kernel of `bytes` for `msg` through `ch`: counts the copy where it happens and returns its
   * cost in cycles at the kernel's byte-wise copy rate.
   */
  copy(k: KernelRt, ch: ChannelRt | null, msg: Msg | null, bytes: number, site: CopySite | null = null): number {
    if (ch) {
      ch.copies++;
      ch.bytesCopied += bytes;
    }
    if (site) {
      site.copies++;
      site.bytes += bytes;
    }
    if (msg) {
      msg.copies++;
      msg.bytesCopied += bytes;
      if (msg.resolved) this.copiedAfterResolve(msg, bytes);
    }
    return bytes / k.costs.copyBytesPerCycle;
  }

  /**
   * A copy on `msg`'s path. Its flow adds the bytes when the message is resolved; a copy made after that (a
   * request's, after the client timed out) is added to the flow at once.
   */
  onPath(msg: Msg, bytes: number): void {
    msg.copies++;
    msg.bytesCopied += bytes;
    if (msg.resolved) this.copiedAfterResolve(msg, bytes);
  }

  private copiedAfterResolve(msg: Msg, bytes: number): void {
    const f = this.flows[msg.flow];
    if (f && msg.sendNs >= this.opts.warmupNs) f.bytesCopied += bytes;
  }

  /**
   * A memcpy by the kernel between its own buffers (copy_from_slice in a driver): counted where it happens, as
   * `copy` does, and returns its cost in cycles at the kernel's memcpy rate.
   */
  memcpy(k: KernelRt, ch: ChannelRt | null, msg: Msg | null, bytes: number, site: CopySite | null = null): number {
    this.copy(k, ch, msg, bytes, site);
    return bytes / k.costs.memcpyBytesPerCycle;
  }

  /** Counts `n` syscalls on `k` and returns their cycles. */
  syscalls(k: KernelRt, n: number): number {
    k.syscalls += n;
    return n * k.costs.syscall;
  }

  // -------------------------------------------------------------------------------------------------- MPU
  /**
   * Maps a shared buffer of `bytes` into `proc`'s MPU under `key` (a share already mapped under that key costs
   * nothing). Fails when no region is free or the buffer breaks the alignment rule; counts failures and waste.
   */
  mapShare(proc: ProcRt, key: string, bytes: number, placement: BufferPlacement): boolean {
    if (proc.shares.has(key)) return true;
    const fit = fitShare(proc.kernel.arch, bytes, placement);
    if (!fit.ok || proc.regions >= proc.regionCapacityExtra) {
      proc.mapFailures++;
      return false;
    }
    proc.shares.set(key, fit.wasteBytes);
    proc.alignmentWasteBytes += fit.wasteBytes;
    if (proc.alignmentWasteBytes > proc.alignmentWastePeakBytes) proc.alignmentWastePeakBytes = proc.alignmentWasteBytes;
    this.setRegions(proc, proc.regions + 1);
    return true;
  }

  /** Unmaps the share `key` from `proc` (no-op when not mapped). */
  unmapShare(proc: ProcRt, key: string): void {
    if (!proc.shares.has(key)) return;
    proc.alignmentWasteBytes -= proc.shares.get(key)!;
    proc.shares.delete(key);
    this.setRegions(proc, proc.regions - 1);
  }

  private setRegions(proc: ProcRt, regions: number): void {
    proc.regions = regions;
    if (regions > proc.regionsPeak) proc.regionsPeak = regions;
    this.rec.series(proc.mpuSeries, this.now, proc.kernel.arch.usedPerProcess + regions);
  }

  /** Records a channel's queue depth (and its maximum). */
  setDepth(ch: ChannelRt, depth: number): void {
    ch.depth = depth;
    if (depth > ch.maxDepth) ch.maxDepth = depth;
    this.rec.series(ch.depthSeries, this.now, depth);
  }

  // -------------------------------------------------------------------------------------------------- CPU
  /** A job for `proc`, costing `cycles` on its kernel. */
  job(proc: ProcRt | null, owner: JobOwner, k: KernelRt, cycles: number, phase = 0, msg: Msg | null = null): Job {
    const j = this.newJob(proc, owner);
    j.remNs = this.ns(k, cycles);
    j.phase = phase;
    j.msg = msg;
    return j;
  }

  /** A fresh job (recycled when one is free); its cost and phase are set by the caller. */
  newJob(proc: ProcRt | null, owner: JobOwner): Job {
    const j = this.jobPool.pop();
    if (j === undefined) return new Job(proc, owner);
    j.reuse(proc, owner);
    return j;
  }

  /**
   * Queues an upcall for `proc` (its 10-entry queue by default). A full queue loses the upcall: the kernel counts
   * it (NOMEM) and the caller is told (false). The job's cost must include the upcall delivery.
   */
  pushUpcall(proc: ProcRt, job: Job): boolean {
    const k = proc.kernel;
    if (!proc.alive || k.failed) return false;
    this.settle(k);
    if (proc.upcalls.length >= k.upcallQueueLen) {
      k.upcallsDropped++;
      proc.upcallsDropped++;
      this.trace(TRACE.upcallDropped, k.idx, proc.idx);
      return false;
    }
    job.upcall = true;
    proc.upcalls.push(job);
    this.makeReady(proc);
    return true;
  }

  /**
   * Queues work the running process does next (a continuation of what it is doing), ahead of its upcalls. False when
   * the process is gone (dead, or its kernel failed): nothing is queued.
   */
  continueWith(proc: ProcRt, job: Job): boolean {
    if (!proc.alive || proc.kernel.failed) return false;
    this.settle(proc.kernel);
    proc.jobs.push(job);
    this.makeReady(proc);
    return true;
  }

  /** Queues kernel work (a bottom half, an inter-processor interrupt): it runs before any process. */
  kernelWork(k: KernelRt, job: Job): void {
    if (k.failed) return;
    this.settle(k);
    k.kwork.push(job);
    this.interrupt(k);
    if (!k.busy) this.dispatch(k);
  }

  /**
   * An interrupt on `k` (call `settle(k)` first): a running process traps into the kernel now and its job goes
   * back to the front of its work. Round robin and priority resume it after the kernel's work if it is still the
   * choice (same process, same MPU configuration: no context switch). Under MLFQ the interrupt ends its run
   * (Tock: KernelPreemption): the time it used stays with its level, it goes behind the others, and the
   * scheduler chooses again.
   */
  private interrupt(k: KernelRt): void {
    const run = k.running;
    const p = run === null ? null : run.proc;
    if (p === null || !p.alive) return;
    const elapsed = this.now - k.chunkStartNs;
    const executed = Math.max(0, elapsed - k.chunkExtraNs);
    this.account(k, elapsed);
    p.busyNs += elapsed;
    k.sliceUsedNs += elapsed;
    run!.remNs -= Math.min(run!.remNs, executed);
    run!.executedNs += executed;
    if (run!.markAtNs > this.now) run!.markAtNs = -1;
    p.jobs.unshift(run!);
    k.running = null;
    k.busy = false;
    k.chunkSeq++;
    if (k.scheduler === 'mlfq') {
      p.mlfqUsedNs += k.sliceUsedNs;
      k.sliceUsedNs = 0;
      k.runOpen = false;
      moveToBack(k.ready, p);
    }
  }

  private makeReady(proc: ProcRt): void {
    const k = proc.kernel;
    if (!proc.inReady) {
      proc.inReady = true;
      k.ready.push(proc);
    }
    if (!k.busy) this.dispatch(k);
  }

  /**
   * The slice `p` is given for a run: the kernel's timeslice (Infinity: cooperative), or under MLFQ its level's
   * slice less the time it already used at that level (Tock's mlfq.rs).
   */
  private sliceNs(k: KernelRt, p: ProcRt): number {
    return k.sliceNs >= 0 ? k.sliceNs : MLFQ_SLICES_NS[p.mlfqLevel]! - p.mlfqUsedNs;
  }

  /** Whether the running process's slice has expired: less than the minimum quantum is left of it. */
  private sliceExpired(k: KernelRt, p: ProcRt): boolean {
    return this.sliceNs(k, p) - k.sliceUsedNs < MIN_QUANTUM_NS;
  }

  /**
   * `p`'s slice expired (Tock: TimesliceExpired): under MLFQ it drops a level and its time there is forgotten;
   * it goes behind the other ready processes; its run, if it was running, ends.
   */
  private expire(k: KernelRt, p: ProcRt): void {
    if (k.scheduler === 'mlfq') {
      if (p.mlfqLevel < MLFQ_SLICES_NS.length - 1) p.mlfqLevel++;
      p.mlfqUsedNs = 0;
    }
    if (p === k.lastProc) {
      k.sliceUsedNs = 0;
      k.runOpen = false;
    }
    moveToBack(k.ready, p);
  }

  /**
   * The scheduler's choice among ready processes. The running process keeps the CPU while its run goes on: it
   * has work and at least the minimum quantum left of its slice (Tock's do_process loop). Otherwise round robin
   * takes the first in line; MLFQ the first at the best level; priority the first of the best priority (which
   * also takes the CPU from a running process of a worse one).
   */
  private pick(k: KernelRt): ProcRt | null {
    const r = k.ready;
    if (r.length === 0) return null;
    const cur = k.lastProc;
    let curRuns = cur !== null && k.runOpen && cur.inReady;
    // A send stopped at its check point (`dispatch`) goes on: that stop is not a scheduling point.
    if (curRuns && cur!.jobs.length > 0 && cur!.jobs[0]!.checkNs > 0 && cur!.jobs[0]!.checkNs === cur!.jobs[0]!.executedNs) return cur;
    if (curRuns && this.sliceExpired(k, cur!)) {
      this.expire(k, cur!);
      curRuns = false;
    }
    if (k.scheduler === 'priority') {
      // The best ready process: lowest priority value, then first in the process array (Tock's priority.rs ranks by
      // array order alone; the design's `priority` comes first). The order is strict, so the running process keeps
      // the CPU exactly while it is the best.
      let best = r[0]!;
      for (let i = 1; i < r.length; i++) {
        const x = r[i]!;
        if (x.priority < best.priority || (x.priority === best.priority && x.idx < best.idx)) best = x;
      }
      return best;
    }
    if (curRuns) return cur;
    if (k.scheduler === 'mlfq') {
      for (;;) {
        let best = 0;
        for (let i = 1; i < r.length; i++) if (r[i]!.mlfqLevel < r[best]!.mlfqLevel) best = i;
        const b = r[best]!;
        // Less than the minimum quantum left at its level: it expires without running and drops a level.
        if (MLFQ_SLICES_NS[b.mlfqLevel]! - b.mlfqUsedNs >= MIN_QUANTUM_NS) return b;
        this.expire(k, b);
      }
    }
    return r[0]!;
  }

  /** Starts the next piece of work on an idle CPU: kernel work first, then the scheduler's pick. */
  private dispatch(k: KernelRt): void {
    if (k.busy || k.failed) return;
    let job: Job | undefined;
    let extraNs = 0;
    if (k.kwork.length > 0) {
      job = takeFirst(k.kwork)!;
    } else {
      const p = this.pick(k);
      if (!p) return;
      const switched = p !== k.lastProc;
      if (switched) {
        // A → kernel → B. An upcall delivery includes the switch (tock-model §5: upcall ≈ context switch).
        k.contextSwitches++;
        this.trace(TRACE.contextSwitch, k.idx, p.idx);
        k.sliceUsedNs = 0;
        k.lastProc = p;
        // Round robin: the process moves to the back of the ready list when it gets the CPU.
        moveToBack(k.ready, p, 1);
        if (p.jobs.length > 0 || !p.upcalls[0]) extraNs = k.switchNs;
      }
      // A run that ended (yield, expired slice) left sliceUsedNs at 0: this one starts with a fresh slice.
      k.runOpen = true;
      if (p.jobs.length > 0) job = removeIndex(p.jobs, 0);
      else {
        job = removeIndex(p.upcalls, 0);
        // The upcall is the return of a yield (TRD 104: one upcall per yield-wait): count that syscall.
        k.syscalls++;
        if (!switched && job.executedNs === 0) this.sameProcessUpcall(k, job);
      }
    }
    if (job.checkNs === job.executedNs) {
      // A job at its check point: a message the mechanism refuses before its copy (full, too long), or a read that
      // finds nothing, costs the syscalls only. Kernel-local mechanisms check when the job starts (nothing else runs on this CPU before
      // its command reaches the check); a mechanism whose state another kernel changes checks at the command.
      if (job.owner.refusesNow!(job)) job.remNs -= job.refundNs;
      job.checkNs = -1;
    }
    let chunk = job.remNs;
    if (job.proc) {
      const slice = this.sliceNs(k, job.proc);
      if (slice !== Infinity) chunk = Math.min(chunk, Math.max(1, slice - k.sliceUsedNs));
    }
    // A send whose check point is ahead runs up to it first (its process keeps the CPU and goes on from there).
    if (job.checkNs > job.executedNs) chunk = Math.min(chunk, job.checkNs - job.executedNs);
    const now = this.now;
    const start = now + extraNs;
    if (job.markNs >= 0 && job.markAtNs < 0 && job.markNs <= job.executedNs + chunk) job.markAtNs = start + (job.markNs - job.executedNs);
    k.busy = true;
    k.running = job;
    k.chunkNs = chunk + extraNs;
    k.chunkExtraNs = extraNs;
    k.chunkStartNs = now;
    k.chunkSeq++;
    this.trace(TRACE.run, k.idx, job.proc ? job.proc.idx : -1);
    const p = job.proc;
    if (job.quiet && chunk === job.remNs && p !== null && k.kwork.length === 0 && k.ready.length === 1 && p.jobs.length === 0 && p.upcalls.length === 0 && this.traced >= this.opts.maxTrace) {
      // Nothing else is queued on this CPU and completing this job changes nothing but the CPU's state (and, the
      // trace being full, records nothing): its jobDone event is needed only if something arrives before it.
      k.deferredEndNs = start + chunk;
      k.deferredHandle = this.sim.reserve();
    } else this.sim.schedule(chunk + extraNs, 0, EV.jobDone, k.idx, k.chunkSeq);
  }

  /**
   * An upcall delivered to the process that ran last: its MPU configuration is still loaded, so the delivery costs
   * the upcall less the MPU reprogramming (tock-model §4: skipped when returning to the same process).
   */
  private sameProcessUpcall(k: KernelRt, job: Job): void {
    const saved = Math.min(job.remNs, k.mpuReprogramNs);
    job.remNs -= saved;
    if (job.markNs >= 0) job.markNs = Math.max(0, job.markNs - saved);
    if (job.checkNs > 0) job.checkNs = Math.max(0, job.checkNs - saved);
  }

  /**
   * Brings a kernel with a deferred completion (see `dispatch`) up to date before anything reads or changes its
   * CPU state: if the completion's place in the event order has gone by, it happens now (exactly as its event
   * would have: nothing else was queued, so it only frees the CPU); otherwise its event is scheduled in the place
   * reserved for it. Either way the run is the one the event would have given.
   */
  private settle(k: KernelRt): void {
    const end = k.deferredEndNs;
    if (end < 0) return;
    k.deferredEndNs = -1;
    if (this.sim.isPast(end, 0, k.deferredHandle)) this.jobDone(k);
    else this.sim.scheduleReserved(end, 0, EV.jobDone, k.idx, k.chunkSeq, k.deferredHandle);
  }

  /**
   * When the event queue ran empty: schedules the deferred completions (the run goes on to them, as it would
   * have with their events queued). Returns whether there were any.
   */
  scheduleDeferred(): boolean {
    let any = false;
    for (const k of this.kernels) {
      if (k.deferredEndNs < 0) continue;
      this.sim.scheduleReserved(k.deferredEndNs, 0, EV.jobDone, k.idx, k.chunkSeq, k.deferredHandle);
      k.deferredEndNs = -1;
      any = true;
    }
    return any;
  }

  private jobDone(k: KernelRt): void {
    const job = k.running;
    if (!job || k.failed) return;
    // The CPU stays busy while the job's effects run: work they queue here is dispatched afterwards.
    k.running = null;
    const spent = k.chunkNs;
    this.account(k, spent);
    // The chunk's context-switch overhead is the kernel's, not the job's work.
    const executed = Math.min(job.remNs, spent - k.chunkExtraNs);
    job.remNs -= executed;
    job.executedNs += executed;
    const p = job.proc;
    if (p) {
      p.busyNs += spent;
      k.sliceUsedNs += spent;
    }
    if (p && !p.alive) {
      // The process died while this job ran: its work is gone.
    } else if (job.remNs > 0) {
      // Preempted at the end of its slice: back to the front of its work (`pick` finds the slice expired).
      p!.jobs.unshift(job);
    } else {
      job.owner.complete(job);
      this.jobPool.push(job);
    }
    if (p && p.inReady && p.jobs.length === 0 && p.upcalls.length === 0) {
      // Nothing left: the process yields and its run ends (under MLFQ the time it used stays with its level).
      p.inReady = false;
      removeFrom(k.ready, p);
      if (k.scheduler === 'mlfq' && p === k.lastProc) p.mlfqUsedNs += k.sliceUsedNs;
      k.sliceUsedNs = 0;
      k.runOpen = false;
    }
    k.busy = false;
    this.dispatch(k);
    if (!k.busy) this.trace(TRACE.idle, k.idx, -1);
  }

  private account(k: KernelRt, ns: number): void {
    k.busyNs += ns;
  }

  /** Busy time of `k` up to now, including the part of a chunk still running. */
  private busyUpToNow(k: KernelRt): number {
    this.settle(k);
    return k.busyNs + (k.busy ? this.now - k.chunkStartNs : 0);
  }

  /** Closes a CPU-load window: utilisation = busy time in the window / window width, per kernel. */
  private cpuWindow(): void {
    const w = this.opts.cpuWindowNs;
    for (const k of this.kernels) {
      const cum = this.busyUpToNow(k);
      this.rec.series(k.cpuSeries, k.windowStartNs, Math.min(1, (cum - k.windowBusyNs) / w));
      k.windowStartNs += w;
      k.windowBusyNs = cum;
    }
    if (this.now + w <= this.opts.durationNs) this.sim.schedule(w, 10, EV.window, 0, 0);
  }

  /** The warm-up ends: the counters are noted (the summary reports what follows) and the peaks start again. */
  private endWarmup(): void {
    const snap: WarmupSnapshot = { channels: [], procs: [], kernels: [] };
    for (const ch of this.channels) {
      snap.channels.push({ copies: ch.copies, bytesCopied: ch.bytesCopied, drops: ch.drops, sites: ch.copySites.map((x) => ({ copies: x.copies, bytes: x.bytes })) });
      ch.maxDepth = ch.depth;
    }
    for (const p of this.procs) {
      snap.procs.push({ mapFailures: p.mapFailures, restarts: p.restarts, upcallsDropped: p.upcallsDropped });
      p.regionsPeak = p.regions;
      p.alignmentWastePeakBytes = p.alignmentWasteBytes;
    }
    for (const k of this.kernels) snap.kernels.push({ busyNs: this.busyUpToNow(k), contextSwitches: k.contextSwitches, syscalls: k.syscalls, upcallsDropped: k.upcallsDropped });
    this.warmup = snap;
  }

  private mlfqBoost(k: KernelRt): void {
    for (const p of k.procs) {
      p.mlfqLevel = 0;
      p.mlfqUsedNs = 0;
    }
    this.sim.schedule(MLFQ_BOOST_NS, 5, EV.window, 1, k.idx);
  }

  trace(kind: number, a: number, b: number): void {
    if (this.traced < this.opts.maxTrace) {
      this.traced++;
      this.rec.trace(this.now, kind, a, b);
    } else this.traceDropped++;
  }

  /**
   * A fault's trace point (crash, restart, kernel failure, link down or up). Faults are rare and every chart marks
   * them, so they have their own bound (MAX_FAULT_TRACE) instead of sharing `maxTrace` with the CPU's points, which a
   * long run fills early on.
   */
  private traceFault(kind: number, a: number, b: number): void {
    if (this.faultTraced < MAX_FAULT_TRACE) {
      this.faultTraced++;
      this.rec.trace(this.now, kind, a, b);
    } else this.traceDropped++;
  }

  // ----------------------------------------------------------------------------------------------- faults
  private faultNodes: DesignNode[] = [];
  /** The random stream of each fault at a rate (kept here: the design's nodes are never written to). */
  private readonly faultRngs: ReturnType<typeof streamFor>[] = [];

  private scheduleFault(f: DesignNode, i: number, first: boolean): void {
    if (first) this.faultNodes[i] = f;
    const kind = getKind(f.kind)!;
    const p = effectiveParams(kind, f.params);
    if (p.trigger === 'atTime') {
      if (first) this.sim.scheduleAt(p.atNs as number, -1, EV.fault, i, 0);
    } else {
      const rng = streamFor(this.opts.seed, `${f.id}/fault`);
      const delay = Math.max(1, Math.round((-Math.log(1 - rng.next()) * 1e9) / (p.ratePerSec as number)));
      this.faultRngs[i] = rng;
      this.sim.schedule(delay, -1, EV.fault, i, 0);
    }
  }

  private fault(i: number): void {
    const f = this.faultNodes[i]!;
    const kind = getKind(f.kind)!;
    const p = effectiveParams(kind, f.params);
    const target = this.byId.get(p.targetId as string);
    if (f.kind === 'processCrash' && target && isProc(target)) this.crash(target);
    else if (f.kind === 'kernelFailure' && target && isKernel(target)) this.failKernel(target);
    else if (f.kind === 'linkDown' && target && !isProc(target) && !isKernel(target)) this.linkDown(target as ChannelRt, Math.max(0, Math.round(p.downForNs as number)));
    if (p.trigger === 'atRate') {
      const rng = this.faultRngs[i]!;
      this.sim.schedule(Math.max(1, Math.round((-Math.log(1 - rng.next()) * 1e9) / (p.ratePerSec as number))), -1, EV.fault, i, 0);
    }
  }

  /**
   * A link (a peripheral's, an inter-kernel channel) goes down for `forNs` (0: for the rest of the run). Downs that
   * overlap make one outage, until the latest of their ends: the trace marks where it starts and where it ends.
   */
  private linkDown(ch: ChannelRt, forNs: number): void {
    // A peripheral on a failed kernel is gone with it: nothing goes down or comes back up.
    if (ch.kernelIdx >= 0 && this.kernels[ch.kernelIdx]!.failed) return;
    const until = forNs > 0 ? this.now + forNs : Infinity;
    const prev = this.linkDownUntil[ch.idx] ?? -1;
    if (prev < this.now) this.traceFault(TRACE.linkDown, ch.kernelIdx, ch.idx);
    if (until > prev) {
      this.linkDownUntil[ch.idx] = until;
      if (until !== Infinity) this.sim.scheduleAt(until, 0, EV.window, 3, ch.idx);
    }
    ch.onEvent?.(-1 - forNs);
  }

  /** The end of a link's outage, unless a later down extended it. */
  private linkUp(ch: ChannelRt): void {
    if (this.linkDownUntil[ch.idx] !== this.now) return;
    this.linkDownUntil[ch.idx] = -1;
    // A peripheral whose kernel failed meanwhile does not come back.
    if (ch.kernelIdx >= 0 && this.kernels[ch.kernelIdx]!.failed) return;
    this.traceFault(TRACE.linkUp, ch.kernelIdx, ch.idx);
  }

  /**
   * A process faults (tock-model §1): queued work and upcalls dropped, grants nulled (every share, subscription
   * and IPC registration gone), MPU back to flash + RAM, a new identifier and generation; restarted per policy.
   * A message carried by dropped work (an upcall in its queue, the job it was running) is `failed` unless its
   * mechanism resolves it first (peerDied) or a timeout is pending on it (the sender only learns by timing out).
   */
  crash(p: ProcRt): void {
    if (!p.alive) return;
    const k = p.kernel;
    this.settle(k);
    p.alive = false;
    this.traceFault(TRACE.crash, k.idx, p.idx);
    const lost: Msg[] = [];
    for (const j of p.jobs) if (j.msg) lost.push(j.msg);
    for (const j of p.upcalls) if (j.msg) lost.push(j.msg);
    const running = k.running;
    const wasRunning = running !== null && running.proc === p;
    if (wasRunning) {
      // The fault traps into the kernel now: the CPU is taken back at once (its jobDone event, now stale, does
      // nothing); the time the chunk ran counts as busy, its work is void.
      if (running.msg) lost.push(running.msg);
      const elapsed = this.now - k.chunkStartNs;
      this.account(k, elapsed);
      p.busyNs += elapsed;
      k.running = null;
      k.busy = false;
      k.chunkSeq++;
    }
    // Sends that were queued or running are not made: their connections may send that many again.
    for (const j of p.jobs) if (j.sendsOn !== null) j.sendsOn.pending--;
    for (const j of p.upcalls) if (j.sendsOn !== null) j.sendsOn.pending--;
    if (wasRunning && running.sendsOn !== null) running.sendsOn.pending--;
    p.jobs.length = 0;
    p.upcalls.length = 0;
    if (p.inReady) {
      p.inReady = false;
      k.ready.splice(k.ready.indexOf(p), 1);
    }
    if (k.lastProc === p) {
      k.lastProc = null;
      k.runOpen = false;
      k.sliceUsedNs = 0;
    }
    for (const key of [...p.shares.keys()]) this.unmapShare(p, key);
    for (const out of p.outs) out.waiting = false;
    for (const ch of this.channels) ch.peerDied(p);
    if (lost.length > 0) {
      const timed = new Set<Msg>();
      for (const t of this.pendingTimeouts.values()) timed.add(t.msg);
      for (const msg of lost) if (!msg.resolved && !timed.has(msg)) this.resolve(msg, Outcome.failed);
    }
    const policy = p.params.restartPolicy;
    const threshold = p.params.restartThreshold as number;
    if (policy === 'always' || (policy === 'threshold' && p.restarts < threshold)) {
      this.sim.schedule(p.params.restartDelayNs as number, 0, EV.restart, p.idx, 0);
    }
    if (wasRunning) {
      this.dispatch(k);
      if (!k.busy) this.trace(TRACE.idle, k.idx, -1);
    }
  }

  private restart(p: ProcRt): void {
    if (p.alive || p.kernel.failed) return;
    p.alive = true;
    p.generation++;
    p.restarts++;
    p.mlfqLevel = 0;
    p.mlfqUsedNs = 0;
    this.traceFault(TRACE.restart, p.kernel.idx, p.idx);
    for (const ch of this.channels) ch.restarted?.(p);
    // Its workloads start again (request/response clients were waiting on the old instance).
    for (const out of p.outs) {
      if (out.workload === 'requestResponse') this.rearm(out);
    }
  }

  /** A kernel fails: its CPU stops, its processes stop for good; other kernels go on (no fate-sharing). */
  failKernel(k: KernelRt): void {
    if (k.failed) return;
    this.settle(k);
    this.traceFault(TRACE.kernelFailed, k.idx, -1);
    // Failed first: nothing is dispatched on it any more while its processes go.
    k.failed = true;
    for (const p of k.procs) {
      p.params = { ...p.params, restartPolicy: 'never' };
      this.crash(p);
    }
    if (k.busy) this.account(k, this.now - k.chunkStartNs);
    k.busy = false;
    k.running = null;
    k.kwork.length = 0;
    for (const ch of this.channels) ch.kernelFailed?.(k);
  }

  /** Closes the books at the end of the run (busy time of jobs still running counts up to the end). */
  finish(): void {
    // A run that ended within its warm-up measured nothing after it.
    if (this.opts.warmupNs > 0 && this.warmup === null) this.endWarmup();
    for (const k of this.kernels) {
      // A deferred completion within the run happened (the run stopped at a time limit, or was cut short).
      if (k.deferredEndNs >= 0 && k.deferredEndNs <= this.now) this.jobDone(k);
      k.deferredEndNs = -1;
      if (k.busy && !k.failed) {
        const ran = this.now - k.chunkStartNs;
        k.busyNs += ran;
        if (k.running?.proc) k.running.proc.busyNs += ran;
      }
      // The last CPU-load window, cut short by the end of the run: over its real width.
      const width = this.now - k.windowStartNs;
      if (width > 0) this.rec.series(k.cpuSeries, k.windowStartNs, Math.min(1, (k.busyNs - k.windowBusyNs) / width));
    }
  }
}

/** Whether a connection has sent, or has queued, as many messages as its limit (0: no limit) allows. */
function atLimit(out: OutRt): boolean {
  return out.limit > 0 && out.sent + out.pending >= out.limit;
}

/**
 * Moves `p` to the back of the ready list `r` when it is at index ≥ `from` (and not already last). Ready lists
 * are short: the elements are moved in place (core/arrays.ts).
 */
function moveToBack(r: ProcRt[], p: ProcRt, from = 0): void {
  if (r[r.length - 1] === p) return;
  const i = r[0] === p ? 0 : r.indexOf(p);
  if (i >= from) rotateToEnd(r, i);
}

/** Removes `p` from the ready list `r` (no-op when absent). */
function removeFrom(r: ProcRt[], p: ProcRt): void {
  const i = r[0] === p ? 0 : r.indexOf(p);
  if (i >= 0) removeIndex(r, i);
}


export function isProc(x: unknown): x is ProcRt {
  return typeof x === 'object' && x !== null && 'generation' in x;
}

export function isKernel(x: unknown): x is KernelRt {
  return typeof x === 'object' && x !== null && 'scheduler' in x && 'clockHz' in x;
}

export type { Sampler };
