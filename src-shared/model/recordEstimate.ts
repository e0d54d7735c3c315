// An estimate, before a run starts, of how much it will record: one message sample per message that reaches its
// outcome (delivered, dropped, overwritten, timed out, failed) after the warm-up, on every flow, plus the series
// and the trace that come with them. Worked out from the design's parameters alone, without simulating, so the
// command line and the studio can warn about (or refuse) a run that would fill the disk before starting it.
//
// It is an ESTIMATE, meant to be an upper bound in practice, not a prediction. What it assumes:
// - every workload sends at its nominal pace over the recorded window [max(warm-up, start), duration): periodic and
//   burst on the grid of their period, Poisson at its mean rate; random ones (Poisson, periodic with jitter) plus three
//   standard deviations of their count; a request/response client one request per think time (the most it can: a
//   round trip takes the think time and more);
// - a connection's message limit caps what it sends; faults (crashes, kernel failures, links down) are ignored, which
//   can only make a run record less;
// - a message sent is recorded whatever its fate (a drop or a refusal is recorded too), so queues filling up, full
//   upcall queues or busy devices do not lower the figure;
// - a mechanism makes one message per send for one receiver (round robin over its receivers), or one per receiver
//   for the broadcasting kinds (notification, latest value, event counter, broadcast numeric FIFO); a registry none;
// - peripherals generate inbound traffic by themselves at their catalog rate (Ethernet, CYW43439 after its boot,
//   VirtIO net: rxRatePerSec; VirtIO input: eventRatePerSec; CAN: valueIds frames per periodNs), one message per
//   subscribed app per frame; VirtIO RNG answers each request with a second message when the app reads its `rx`;
// - a forwarder sends on each of its forward connections what it receives; the requests it answers (Relay Request,
//   legacy IPC with a request/response client) go only to its connections into a peripheral, as in the engine; the
//   answers to its own Relay Requests count as received;
// - a process cannot send faster than its kernel runs the cheapest send (its app cycles plus one syscall per
//   message): this bounds a forwarding loop, and a sender set faster than its CPU. Each process is given the
//   whole CPU (kernels are not shared out), so the bound stays an upper one.

import { effectiveParams, getKind, type ParamValue } from '../catalog';
import type { Design, DesignNode } from './design';
import { cywBootNs } from './deviceTiming';
import { deriveFlows } from './flows';

/**
 * Bytes on disk per recorded message, for the space a run needs (the run database and its write-ahead log at their
 * largest). Measured with `tock-studio run resources/examples/stm32-ethernet.json --duration 3600s --db <new file>`
 * (sizes of the file and its `-wal` sampled every 2 s): they peaked at 1,530,733,272 B for 21,691,499 messages,
 * 70.6 B each. The final file was 1,345,437,696 B, 62.0 B each (dbstat: 22.1 B of message columns, 31.9 B of
 * queue-depth series points, 8.0 B of delivered latencies, which also pass through the WAL at the end). Rounded up.
 * The other templates grew their final file by 29–65 B per message between a 60 s and a 600 s run. Short runs show
 * more per message (172 B for a 1 s run of the same template) because the trace's fixed part dominates them: that
 * is `RECORD_FIXED_BYTES`, not this.
 */
export const BYTES_PER_RECORDED_MESSAGE = 72;

/**
 * Bytes a recorded run takes whatever its length: the trace (at most 100,000 points by default, 1.75 MB in the runs
 * measured above), the design snapshot, the CPU-load series (500 windows per kernel) and the run's rows.
 */
export const RECORD_FIXED_BYTES = 2 * 1024 * 1024;

/** The estimated messages of one flow (`id` as `deriveFlows` names it). Invariant: `messages` is a whole number ≥ 0. */
export interface FlowEstimate {
  id: string;
  messages: number;
}

/**
 * What a run is estimated to record. Invariants: `messages` is the sum of `flows[].messages`; `bytes` is
 * `recordBytes(messages)`; `flows` lists every flow of the design, in `deriveFlows` order.
 */
export interface RecordEstimate {
  messages: number;
  bytes: number;
  flows: FlowEstimate[];
  /** Names of the processes whose sends were bounded by their CPU (a forwarding loop, or a sender set too fast). */
  cpuBound: string[];
}

/** Bytes on disk for a recorded run of `messages` messages (see `BYTES_PER_RECORDED_MESSAGE`). */
export function recordBytes(messages: number): number {
  return RECORD_FIXED_BYTES + messages * BYTES_PER_RECORDED_MESSAGE;
}

/** Kinds that make one message per receiver on each send (the others: one, to the next receiver in turn). */
function broadcasts(node: DesignNode, eff: Readonly<Record<string, ParamValue>>): boolean {
  switch (node.kind) {
    case 'notification':
    case 'latestValue':
    case 'eventCounter':
      return true;
    case 'numericFifo':
      return eff.cast === 'broadcast';
    default:
      return false;
  }
}

/** Points of a grid of step `periodNs` in [fromNs, toNs): the most there can be, whatever the grid's phase. */
function onGrid(fromNs: number, toNs: number, periodNs: number): number {
  return toNs > fromNs ? Math.ceil((toNs - fromNs) / periodNs) : 0;
}

/**
 * Ticks of a periodic workload whose every period is displaced by a uniform ±`jitterNs`: the errors add up, so the
 * count may exceed the grid's. The grid's count plus one, plus three standard deviations of a renewal count
 * (period sd jitter / √3; count sd (sd / period) · √count).
 */
function jitteredTicks(fromNs: number, toNs: number, periodNs: number, jitterNs: number): number {
  const n = onGrid(fromNs, toNs, periodNs);
  if (!(jitterNs > 0) || n === 0) return n;
  return n + 1 + 3 * (Math.min(jitterNs, periodNs) / Math.sqrt(3) / periodNs) * Math.sqrt(n);
}

/**
 * Arrivals of a Poisson process whose mean over the window is `mean`, as an upper bound: three standard deviations
 * (√mean) above the mean, exceeded by fewer than 0.2% of runs.
 */
function poissonBound(mean: number): number {
  return mean > 0 ? mean + 3 * Math.sqrt(mean) : 0;
}

/** A connection from a process to a mechanism or peripheral: it runs the process's workload. */
interface Conn {
  via: DesignNode;
  forward: boolean;
  toPeripheral: boolean;
  /** Sends per run by the workload itself (0 for forwarders). */
  own: number;
  /** Sends per run, forwarded ones included, after the caps. */
  sends: number;
  /** Message limit of the connection (Infinity: none). */
  limit: number;
}

/**
 * Estimates what a run of `design` (valid) lasting `durationNs`, of which the first `warmupNs` are not recorded,
 * will record. Pure; see the module comment for its assumptions.
 */
export function estimateRecording(design: Design, run: { durationNs: number; warmupNs?: number }): RecordEstimate {
  const durationNs = Math.max(0, run.durationNs);
  const warmupNs = Math.min(Math.max(0, run.warmupNs ?? 0), durationNs);
  const windowNs = durationNs - warmupNs;
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const eff = new Map<string, Record<string, ParamValue>>();
  for (const n of design.nodes) {
    const kind = getKind(n.kind);
    if (kind) eff.set(n.id, effectiveParams(kind, n.params));
  }
  const p = (n: DesignNode): Record<string, ParamValue> => eff.get(n.id) ?? {};
  const num = (n: DesignNode, key: string): number => Number(p(n)[key] ?? 0);
  const isProcess = (n: DesignNode | undefined): boolean => n !== undefined && getKind(n.kind)?.category === 'process';

  // Receivers of each mechanism or peripheral: the processes its out port (rx for peripherals) delivers to.
  const receivers = new Map<string, DesignNode[]>();
  for (const e of design.edges) {
    const src = byId.get(e.source);
    const dst = byId.get(e.target);
    if (!src || !dst || !isProcess(dst) || isProcess(src)) continue;
    const list = receivers.get(src.id) ?? [];
    list.push(dst);
    receivers.set(src.id, list);
  }
  const receiversOf = (id: string): DesignNode[] => receivers.get(id) ?? [];

  // Connections, with what each workload sends by itself over the recorded window.
  const connsOf = new Map<string, Conn[]>();
  for (const e of design.edges) {
    const src = byId.get(e.source);
    const dst = byId.get(e.target);
    const dstKind = dst ? getKind(dst.kind) : undefined;
    if (!src || !dst || !dstKind || !isProcess(src) || isProcess(dst) || dstKind.category === 'kernel') continue;
    const workload = String(p(src).workload);
    const fromNs = Math.max(num(src, 'startNs'), warmupNs);
    let own = 0;
    if (workload === 'periodic') own = jitteredTicks(fromNs, durationNs, num(src, 'periodNs'), num(src, 'jitterNs'));
    else if (workload === 'requestResponse') own = onGrid(fromNs, durationNs, num(src, 'periodNs'));
    else if (workload === 'burst') own = onGrid(fromNs, durationNs, num(src, 'burstPeriodNs')) * num(src, 'burstSize');
    else if (workload === 'poisson') own = poissonBound((Math.max(0, durationNs - fromNs) / 1e9) * num(src, 'ratePerSec'));
    const limit = num(src, 'messageLimit') > 0 ? num(src, 'messageLimit') : Infinity;
    const c: Conn = { via: dst, forward: workload === 'forward', toPeripheral: dstKind.category === 'peripheral', own: Math.min(own, limit), sends: 0, limit };
    c.sends = c.own;
    const list = connsOf.get(src.id) ?? [];
    list.push(c);
    connsOf.set(src.id, list);
  }

  // The most sends a process's CPU allows over the window: its app cycles and one syscall each, at its kernel's clock.
  const kernelKind = getKind('kernel');
  const cpuCap = new Map<string, number>();
  for (const [procId] of connsOf) {
    const proc = byId.get(procId)!;
    const kernel = proc.parent ? byId.get(proc.parent) : undefined;
    const k = kernel && kernelKind ? effectiveParams(kernelKind, kernel.params) : {};
    const cycles = num(proc, 'appCycles') + Math.max(1, Number(k.syscallCycles ?? 1));
    cpuCap.set(procId, ((windowNs / 1e9) * Number(k.clockHz ?? 1e9)) / cycles);
  }

  // Traffic the peripherals generate by themselves: frames (or events) per subscribed app over the window.
  const inbound = (node: DesignNode): number => {
    switch (node.kind) {
      case 'stm32Ethernet':
      case 'virtioNet':
      case 'cyw43439': {
        const workload = p(node).rxWorkload;
        const rate = num(node, 'rxRatePerSec');
        if (workload !== 'periodic' && workload !== 'poisson') return 0;
        // The CYW43439 sees no traffic before its link is up (boot).
        const fromNs = node.kind === 'cyw43439' ? Math.max(warmupNs, cywBootNs(p(node))) : warmupNs;
        if (durationNs <= fromNs) return 0;
        return workload === 'periodic' ? onGrid(fromNs, durationNs, 1e9 / rate) : poissonBound(((durationNs - fromNs) / 1e9) * rate);
      }
      case 'virtioInput':
        return poissonBound((windowNs / 1e9) * num(node, 'eventRatePerSec'));
      case 'canSource':
        // Jitter displaces each frame from a schedule that does not drift: one more may fall in the window.
        return onGrid(warmupNs, durationNs, num(node, 'periodNs') / num(node, 'valueIds')) + (num(node, 'jitterNs') > 0 ? 1 : 0);
      default:
        return 0;
    }
  };

  const flows = deriveFlows(design);
  const connFor = (sourceId: string, viaId: string): Conn[] => (connsOf.get(sourceId) ?? []).filter((c) => c.via.id === viaId);
  const inboundOf = new Map<string, number>();
  const flowCounts = (): number[] =>
    flows.map((f) => {
      const via = byId.get(f.via)!;
      const kind = getKind(via.kind)!;
      if (kind.category === 'peripheral') {
        if (f.target === via.id) return connFor(f.source, via.id).reduce((n, c) => n + c.sends, 0); // app → device
        if (via.kind === 'virtioRng') return connFor(f.target, via.id).reduce((n, c) => n + c.sends, 0); // the answer
        let frames = inboundOf.get(via.id);
        if (frames === undefined) inboundOf.set(via.id, (frames = inbound(via)));
        return frames;
      }
      const sends = connFor(f.source, via.id).reduce((n, c) => n + c.sends, 0);
      return broadcasts(via, p(via)) ? sends : sends / Math.max(1, receiversOf(via.id).length);
    });

  // A forwarder sends on each connection what it received (and, into a peripheral, the requests it answered).
  const forwarders = [...connsOf.entries()].filter(([, cs]) => cs.some((c) => c.forward));
  const frozen = new Set<string>();
  /** One round: forwarded sends from the flows' `counts`, within each forwarder's caps. Returns whether any grew. */
  const step = (counts: readonly number[]): boolean => {
    const received = new Map<string, number>();
    const answered = new Map<string, number>();
    const reads = new Map<string, Map<string, number>>();
    const add = (m: Map<string, number>, id: string, n: number): void => void m.set(id, (m.get(id) ?? 0) + n);
    flows.forEach((f, i) => {
      const via = byId.get(f.via)!;
      const n = counts[i]!;
      if (via.kind === 'relayRequest') {
        add(answered, f.target, n);
        add(received, f.source, n); // the answer to a forwarder's own request is something it receives
      } else if (via.kind === 'legacyIpc' && p(byId.get(f.source)!).workload === 'requestResponse') add(answered, f.target, n);
      else if (via.kind === 'eventCounter') {
        const m = reads.get(via.id) ?? new Map<string, number>();
        add(m, f.target, n);
        reads.set(via.id, m);
      } else add(received, f.target, n);
    });
    // An event counter's reader works once per read that found increments: at most once per read period.
    for (const [viaId, m] of reads) {
      const readsInWindow = onGrid(warmupNs, durationNs, num(byId.get(viaId)!, 'readPeriodNs'));
      for (const [target, n] of m) add(received, target, Math.min(n, readsInWindow));
    }
    let grew = false;
    for (const [procId, cs] of forwarders) {
      if (frozen.has(procId)) continue;
      const got = received.get(procId) ?? 0;
      const demand = cs.map((c) => Math.min(c.limit, got + (c.toPeripheral ? (answered.get(procId) ?? 0) : 0)));
      const total = demand.reduce((a, b) => a + b, 0);
      const cap = cpuCap.get(procId)!;
      const scale = total > cap ? cap / total : 1;
      cs.forEach((c, i) => {
        const next = demand[i]! * scale;
        if (next > c.sends * (1 + 1e-9) + 1e-9) grew = true;
        c.sends = next;
      });
    }
    return grew;
  };

  // Own sends are bounded by each process's CPU; then forwarded traffic is iterated to a fixed point.
  for (const [procId, cs] of connsOf) {
    const total = cs.reduce((n, c) => n + c.own, 0);
    const cap = cpuCap.get(procId)!;
    if (total > cap) for (const c of cs) c.sends = c.own * (cap / total);
  }
  let counts = flowCounts();
  for (let round = 0; round <= forwarders.length; round++) {
    let converged = false;
    for (let i = 0; i < 200 && !converged; i++) {
      converged = !step(counts);
      counts = flowCounts();
    }
    if (converged) break;
    // Still growing after 200 rounds: a loop of forwarders, whose traffic grows until their CPUs are busy. The
    // forwarders that still grow are set to that bound (their limits permitting) and kept there.
    const before = forwarders.map(([, cs]) => cs.map((c) => c.sends));
    step(counts);
    forwarders.forEach(([procId, cs], j) => {
      if (frozen.has(procId) || !cs.some((c, i) => c.sends > before[j]![i]! * (1 + 1e-9) + 1e-9)) return;
      frozen.add(procId);
      const share = cpuCap.get(procId)! / cs.length;
      for (const c of cs) c.sends = Math.min(c.limit, Math.max(c.sends, share));
    });
    counts = flowCounts();
  }
  const cpuBound = [...connsOf].filter(([procId, cs]) => cs.reduce((n, c) => n + c.sends, 0) >= cpuCap.get(procId)! * (1 - 1e-9)).map(([procId]) => byId.get(procId)!.name);

  const out = flows.map((f, i) => ({ id: f.id, messages: Math.max(0, Math.ceil(counts[i]! - 1e-9)) }));
  const messages = out.reduce((n, f) => n + f.messages, 0);
  return { messages, bytes: recordBytes(messages), flows: out, cpuBound };
}
