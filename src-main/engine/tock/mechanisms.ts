// The IPC mechanisms and use-case patterns of tock-model.md §8, each acting on the Tock model: what the sender's
// syscalls cost, where bytes are copied (each copy counted where it happens, at the kernel's copy rate), what is
// buffered, what happens when full, which MPU regions are taken and released, and what a restart does.

import { effectiveParams, getKind, SLICE_HEADER_BYTES, type BufferPlacement, type ParamValue } from '../../../src-shared/catalog';
import type { DesignNode } from '../../../src-shared/model';
import { Outcome } from '../../../src-shared/results/outcome';
import { sampleNs } from '../core/distributions';
import { removeIndex } from '../core/arrays';
import { WIDE } from '../core/wide';
import { EV, type TockModel } from './model';
import type { ChannelRt, CopySite, Job, KernelRt, Msg, OutRt, ProcRt } from './runtime';

/** Job phases shared by all channels (a channel's `complete` switches on them). */
export const PH = {
  send: 1,
  work: 2,
  recv: 3,
  extra: 4,
  extra2: 5,
  extra3: 6,
} as const;

/**
 * What every channel does the same way: its ends, its counters, how a sender's job is built, how a receiver's
 * work after delivery is charged. Subclasses implement `onSend` (the sender's syscall completed) and `onPhase`.
 */
export abstract class BaseChannel implements ChannelRt {
  readonly id: string;
  readonly kind: string;
  readonly senders: ProcRt[] = [];
  readonly receivers: ProcRt[] = [];
  copies = 0;
  bytesCopied = WIDE;
  readonly copySites: CopySite[] = [];
  depth = 0;
  maxDepth = 0;
  drops = 0;
  readonly depthSeries: number;
  readonly p: Record<string, ParamValue>;
  readonly kernel: KernelRt | null;
  private rr = 0;
  /** The value ID of the send being handed over (`onSend`), set on the messages it makes (−1: none). */
  private sendValueId = -1;
  /** Whether a send (job) is refused at its check point; mechanisms that refuse sends before copying define it. */
  refusesNow?(job: Job): boolean;

  constructor(
    readonly m: TockModel,
    readonly node: DesignNode,
    readonly idx: number,
  ) {
    this.bytesCopied = 0;
    this.id = node.id;
    this.kind = node.kind;
    this.p = effectiveParams(getKind(node.kind)!, node.params);
    this.kernel = node.parent ? ((m.byId.get(node.parent) as KernelRt | undefined) ?? null) : null;
    this.depthSeries = m.addSeries(`depth:${node.id}`, 'entries');
  }

  get kernelIdx(): number {
    return this.kernel === null ? -1 : this.kernel.idx;
  }

  /** A new place where this mechanism copies, for the per-site counts of the summary (in the order declared). */
  protected copySite(label: string): CopySite {
    const site: CopySite = { label, copies: 0, bytes: 0 };
    this.copySites.push(site);
    return site;
  }

  /** Syscalls the sender makes per message (allow + command by default). */
  protected sendSyscalls(): number {
    return 2;
  }

  /** Extra sender-side cycles per message (copies done inside the sender's command), given the payload. */
  protected sendCopyCycles(_out: OutRt, _k: KernelRt): number {
    return 0;
  }

  /**
   * Offset into a send job (its `pre` cycles of upcall and app work, then `sys` syscalls) at which `refusesNow` is
   * asked: at the start, for a mechanism whose state only its own kernel changes while the job runs.
   */
  protected refusalCheckNs(_k: KernelRt, _pre: number, _sys: number): number {
    return 0;
  }

  /** Payload bytes of a message sent on `out` through this channel. */
  protected payload(out: OutRt): number {
    return out.payloadBytes;
  }

  send(out: OutRt, fromUpcall: boolean, valueId = -1): void {
    const p = out.proc;
    const k = p.kernel;
    const sys = this.sendSyscalls();
    const cost = out.sendCostNs;
    const at = fromUpcall ? 0 : 2;
    if (cost[at]! < 0) {
      const pre = (fromUpcall ? k.costs.upcall : 0) + p.appCycles;
      cost[at] = this.m.ns(k, pre + sys * k.costs.syscall + this.sendCopyCycles(out, k));
      cost[at + 1] = this.m.ns(k, pre);
      cost[4 + (at >> 1)] = cost[at]! - this.m.ns(k, pre + sys * k.costs.syscall);
      cost[6 + (at >> 1)] = this.refusalCheckNs(k, pre, sys);
    }
    const job = this.m.newJob(p, this);
    job.remNs = cost[at]!;
    job.phase = PH.send;
    job.markNs = cost[at + 1]!;
    job.n = out.idx;
    job.sys = sys;
    job.refundNs = cost[4 + (at >> 1)]!;
    job.valueId = valueId;
    if (this.refusesNow !== undefined) job.checkNs = cost[6 + (at >> 1)]!;
    if (fromUpcall) {
      if (this.m.pushUpcall(p, job)) this.countPending(out, job);
      else if (out.workload === 'requestResponse') {
        // The alarm upcall was lost: the client's timer fires again one period later.
        this.m.rearm(out);
      }
    } else if (this.m.continueWith(p, job)) this.countPending(out, job);
  }

  /** A send job queued on `out`: it counts against the connection's limit until it completes (or is lost). */
  private countPending(out: OutRt, job: Job): void {
    job.sendsOn = out;
    out.pending++;
  }

  complete(job: Job): void {
    if (job.sys > 0) (job.proc ? job.proc.kernel : this.kernel!).syscalls += job.sys;
    if (job.phase === PH.send) {
      const out = this.m.outs[job.n]!;
      out.sent++;
      if (job.sendsOn === out) out.pending--;
      if (out.workload === 'requestResponse') out.waiting = true;
      this.sendValueId = job.valueId;
      this.onSend(out, job.markAtNs >= 0 ? job.markAtNs : this.m.now);
      this.sendValueId = -1;
      if (out.workload === 'requestResponse' && !this.hasResponse()) this.m.responded(out);
    } else if (job.phase === PH.work) {
      const ids = job.valueIds;
      if (job.msg !== null) this.workDone(job.msg);
      for (let i = 0; i < job.n; i++) this.m.received(job.proc!, ids !== null ? ids[i]! : job.valueId);
    } else this.onPhase(job);
  }

  /** True for mechanisms whose requests get a response (request/response clients measure the round trip). */
  protected hasResponse(): boolean {
    return false;
  }

  /** The sender's syscalls completed at time `sendNs`: hand the message over. */
  protected abstract onSend(out: OutRt, sendNs: number): void;

  protected onPhase(_job: Job): void {}

  peerDied(_proc: ProcRt): void {}

  /** Next receiver for a unicast send (round robin over the receivers). */
  protected nextReceiver(): ProcRt | undefined {
    const r = this.peekReceiver();
    if (r !== undefined) this.rr++;
    return r;
  }

  /** The receiver the next unicast send goes to, without taking the turn. */
  protected peekReceiver(): ProcRt | undefined {
    return this.receivers.length === 0 ? undefined : this.receivers[this.rr % this.receivers.length];
  }

  /** Flow index of out → receiver, cached per connection (a string lookup per message is measurable). */
  private flowFor(out: OutRt, r: ProcRt | null): number {
    const key = r ? r.idx : -1;
    if (key === out.lastFlowKey) return out.lastFlow; // a connection with one receiver: the same flow every time
    let f = out.flowCache.get(key);
    if (f === undefined) {
      f = this.m.flowOf(out.proc.id, this.id, r ? r.id : this.id);
      out.flowCache.set(key, f);
    }
    out.lastFlowKey = key;
    out.lastFlow = f;
    return f;
  }

  /** A message on the flow sender → this → receiver, sent at `sendNs`, counted as sent. */
  protected msg(out: OutRt, r: ProcRt | null, bytes: number, sendNs: number): Msg {
    const flow = this.flowFor(out, r);
    const msg = this.m.newMsg(flow, out.proc, r, bytes);
    msg.sendNs = sendNs;
    msg.valueId = this.sendValueId;
    this.m.sent(msg);
    return msg;
  }

  /** Whether `r` (a service with an allowlist) accepts messages from `sender`. */
  protected allowed(r: ProcRt, sender: ProcRt): boolean {
    return r.allowlist === null || r.allowlist.has(sender.name);
  }

  /** Whether `r` takes messages from `sender` now (alive, on a running kernel, allowed). */
  protected accepts(r: ProcRt, sender: ProcRt | null): boolean {
    return r.alive && !r.kernel.failed && (sender === null || this.allowed(r, sender));
  }

  /** Whether a receiver can take a message now; resolves it as failed (NODEVICE / refused) when not. */
  protected reachable(msg: Msg, r: ProcRt): boolean {
    if (!this.accepts(r, msg.sender)) {
      this.m.resolve(msg, Outcome.failed);
      return false;
    }
    return true;
  }

  /** A drop: counted on the channel and resolved on the message. */
  protected drop(msg: Msg, outcome: number = Outcome.dropped): void {
    this.drops++;
    this.m.resolve(msg, outcome);
  }

  /** Queues an upcall to `r` costing the upcall delivery plus `cycles` (phase, message, receiver index). */
  protected upcall(r: ProcRt, phase: number, msg: Msg | null, cycles: number, sys: number): boolean {
    const k = r.kernel;
    const j = this.m.job(r, this, k, k.costs.upcall + cycles + sys * k.costs.syscall, phase, msg);
    j.sys = sys;
    return this.m.pushUpcall(r, j);
  }

  /**
   * Delivers `msg` to `r` now and queues the receiver's work on it (app cycles or a service time). With `holds`, the
   * receiver works on the message in place (a buffer it maps): `workDone` is told when that work is over.
   */
  protected deliver(msg: Msg, r: ProcRt, holds = false): void {
    if (!msg.resolved) this.m.resolve(msg, msg.truncated ? Outcome.truncated : Outcome.delivered);
    this.work(r, 1, msg.valueId, null, holds ? msg : null);
  }

  /** The receiver's work on a message it held in place (`deliver` with `holds`) is over. */
  protected workDone(_msg: Msg): void {}

  /**
   * The receiver's own work on `count` messages, then forwarding: a forwarder passes on each message's value ID
   * (`valueId` for one message, `valueIds` for several; −1 / null: none).
   */
  protected work(r: ProcRt, count: number, valueId = -1, valueIds: readonly number[] | null = null, held: Msg | null = null): void {
    if (count <= 0) return;
    const k = r.kernel;
    let ns = 0;
    for (let i = 0; i < count; i++) ns += r.serviceSampler ? sampleNs(r.serviceSampler) : this.m.ns(k, r.appCycles);
    const j = this.m.newJob(r, this);
    j.remNs = ns;
    j.phase = PH.work;
    j.n = count;
    j.quiet = !r.forwards && held === null;
    j.valueId = valueId;
    j.valueIds = valueIds;
    j.msg = held;
    if (ns === 0) this.complete(j);
    else this.m.continueWith(r, j);
  }

  protected setDepth(d: number): void {
    this.m.setDepth(this, d);
  }

  /** A copy on a message's path that another message already paid for on the channel (broadcast fan-out). */
  protected pathCopy(msg: Msg, bytes: number): void {
    this.m.onPath(msg, bytes);
  }
}

// ------------------------------------------------------------------------------------------ notification
/** Command → upcall: ≤ 3 words, 0 copies; the upcall is the message, so a full upcall queue drops it (NOMEM). */
class Notification extends BaseChannel {
  protected override sendSyscalls(): number {
    return 1;
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const bytes = (this.p.payloadWords as number) * 4;
    for (const r of this.receivers) {
      const msg = this.msg(out, r, bytes, sendNs);
      if (!this.reachable(msg, r)) continue;
      if (!this.upcall(r, PH.recv, msg, 0, 0)) this.drop(msg);
    }
  }
  protected override onPhase(job: Job): void {
    this.deliver(job.msg!, job.proc!);
  }
}

// ------------------------------------------------------------------------------------------ queues
interface QueueConfig {
  capacityEntries: number;
  capacityBytes: number;
  whenFull: 'reject' | 'dropOldest';
  /** Messages longer than this are truncated (`truncate`) or refused (`reject`). */
  maxBytes: number;
  tooLong: 'truncate' | 'reject';
  /** Copies on each side: 1 (allow + copy) or 0 (values passed in syscall registers). */
  copiesPerSide: 0 | 1;
  broadcast: boolean;
  fixedBytes: number;
}

/**
 * A kernel FIFO between allows (two-copy channel, numeric and packet FIFOs, ring buffer): copy in on send, copy
 * out when the receiver asks; full → reject new (error) or overwrite the oldest. A receiver drains every entry
 * for it on each upcall; later upcalls may find nothing: their upcall and syscalls are paid, no copy is.
 */
class QueueChannel extends BaseChannel {
  private readonly q: Msg[] = [];
  private bytesQueued = WIDE;
  /** The unicast receiver of the message being queued (reused: no array per send). */
  private readonly one: ProcRt[] = [];
  private readonly copyIn = this.copySite("sender's allow → kernel FIFO");
  private readonly copyOut = this.copySite("kernel FIFO → receiver's allow");
  constructor(m: TockModel, node: DesignNode, idx: number, private readonly cfg: QueueConfig) {
    super(m, node, idx);
    this.bytesQueued = 0;
  }
  protected override payload(out: OutRt): number {
    return this.cfg.fixedBytes > 0 ? this.cfg.fixedBytes : out.payloadBytes;
  }
  protected override sendSyscalls(): number {
    return this.cfg.copiesPerSide ? 2 : 1;
  }
  private storedBytes(bytes: number): number {
    return this.cfg.tooLong === 'truncate' ? Math.min(bytes, this.cfg.maxBytes) : bytes;
  }
  protected override sendCopyCycles(out: OutRt, k: KernelRt): number {
    return this.cfg.copiesPerSide ? this.storedBytes(this.payload(out)) / k.costs.copyBytesPerCycle : 0;
  }
  /**
   * A send: it will be refused before its copy (too long with reject, or every receiver it goes to full with reject
   * new). A read: it will find nothing for its receiver, so it copies nothing (marked for `onPhase` by n = −1).
   */
  override refusesNow(job: Job): boolean {
    if (job.phase === PH.recv) {
      const q = this.q;
      // (The oldest entry is most often the reader's own: no search.)
      if ((q.length > 0 && q[0]!.receiver === job.proc) || this.indexFor(job.proc!) >= 0) return false;
      job.n = -1;
      return true;
    }
    const cfg = this.cfg;
    const out = this.m.outs[job.n]!;
    const raw = this.payload(out);
    if (cfg.tooLong === 'reject' && raw > cfg.maxBytes) return true;
    if (cfg.whenFull !== 'reject') return false;
    const bytes = this.storedBytes(raw);
    if (!cfg.broadcast) {
      const r = this.peekReceiver();
      return r !== undefined && this.refuses(r, out.proc, bytes);
    }
    for (const r of this.receivers) if (!this.refuses(r, out.proc, bytes)) return false;
    return this.receivers.length > 0;
  }
  private refuses(r: ProcRt, sender: ProcRt, bytes: number): boolean {
    return !this.accepts(r, sender) || this.full(bytes, r);
  }
  private full(extraBytes: number, r: ProcRt): boolean {
    const cfg = this.cfg;
    const entries = cfg.broadcast ? this.entriesFor(r) : this.q.length;
    if (cfg.capacityEntries > 0 && entries >= cfg.capacityEntries) return true;
    return cfg.capacityBytes > 0 && this.bytesQueued + extraBytes > cfg.capacityBytes;
  }
  private entriesFor(r: ProcRt): number {
    let n = 0;
    for (const x of this.q) if (x.receiver === r) n++;
    return n;
  }
  /** Index of the oldest entry for `r`, from index `from` on (−1: none). */
  private indexFor(r: ProcRt, from = 0): number {
    const q = this.q;
    for (let i = from; i < q.length; i++) if (q[i]!.receiver === r) return i;
    return -1;
  }
  private removeAt(i: number): Msg {
    const x = removeIndex(this.q, i);
    this.bytesQueued -= x.bytes;
    return x;
  }
  protected onSend(out: OutRt, sendNs: number): void {
    if (this.cfg.broadcast) {
      this.enqueue(out, sendNs, this.receivers);
      return;
    }
    const r = this.nextReceiver();
    if (!r) return;
    this.one[0] = r;
    this.enqueue(out, sendNs, this.one);
  }
  /** Queues the message on `out` for each receiver in `to` (one, or a broadcast's receivers). */
  private enqueue(out: OutRt, sendNs: number, to: readonly ProcRt[]): void {
    const raw = this.payload(out);
    const k = out.proc.kernel;
    let paid = false;
    for (let i = 0; i < to.length; i++) {
      const r = to[i]!;
      const msg = this.msg(out, r, raw, sendNs);
      if (this.cfg.tooLong === 'reject' && raw > this.cfg.maxBytes) {
        this.drop(msg);
        continue;
      }
      if (!this.reachable(msg, r)) continue;
      const bytes = this.storedBytes(raw);
      msg.truncated = bytes < raw;
      msg.bytes = bytes;
      // Make room: reject the new message, or overwrite the oldest entries (for this receiver when broadcast).
      while (this.full(bytes, r)) {
        if (this.cfg.whenFull === 'reject') break;
        const i = this.cfg.broadcast ? this.indexFor(r) : this.q.length > 0 ? 0 : -1;
        if (i < 0) break;
        this.drops++;
        this.m.resolve(this.removeAt(i), Outcome.overwritten);
      }
      if (this.full(bytes, r)) {
        this.drop(msg);
        continue;
      }
      if (this.cfg.copiesPerSide) {
        if (!paid) this.m.copy(k, this, msg, bytes, this.copyIn);
        else this.pathCopy(msg, bytes);
        paid = this.cfg.broadcast;
      }
      this.q.push(msg);
      this.bytesQueued += bytes;
      this.setDepth(this.q.length);
      // One upcall per message (Tock schedules one per event); a full upcall queue loses it, not the data.
      const sys = this.cfg.copiesPerSide ? 2 : 1;
      const rk = r.kernel;
      const j = this.m.job(r, this, rk, rk.costs.upcall + sys * rk.costs.syscall + this.recvCycles(r, bytes), PH.recv);
      j.sys = sys;
      this.readsAtStart(j, rk, rk.costs.upcall + sys * rk.costs.syscall);
      this.m.pushUpcall(r, j);
    }
  }
  private recvCycles(r: ProcRt, bytes: number): number {
    return this.cfg.copiesPerSide ? bytes / r.kernel.costs.copyBytesPerCycle : 0;
  }
  /**
   * A read job whose cost is `fixedCycles` (upcall, syscalls) plus the copy out: it asks at its start whether there is
   * anything to read (`refusesNow`); if not, the copy is not paid. Nothing on its CPU runs before its command.
   */
  private readsAtStart(j: Job, k: KernelRt, fixedCycles: number): void {
    j.checkNs = 0;
    j.refundNs = j.remNs - this.m.ns(k, fixedCycles);
  }
  protected override onPhase(job: Job): void {
    const r = job.proc!;
    // Nothing to read when it started (drained by an earlier upcall): the syscalls found the queue empty.
    if (job.n < 0) return;
    const i = this.indexFor(r);
    if (i < 0) return;
    const msg = this.removeAt(i);
    this.setDepth(this.q.length);
    if (this.cfg.copiesPerSide) this.m.copy(r.kernel, this, msg, msg.bytes, this.copyOut);
    this.deliver(msg, r);
    // More for this receiver? It keeps reading (command + allow + copy each) before yielding.
    const ni = this.indexFor(r, i);
    if (ni >= 0) {
      const next = this.q[ni]!;
      const k = r.kernel;
      const sys = this.cfg.copiesPerSide ? 2 : 1;
      const j = this.m.job(r, this, k, sys * k.costs.syscall + this.recvCycles(r, next.bytes), PH.recv);
      j.sys = sys;
      this.readsAtStart(j, k, sys * k.costs.syscall);
      this.m.continueWith(r, j);
    }
  }
  override peerDied(proc: ProcRt): void {
    // Entries for a dead peer are purged (tock-model §8).
    for (let i = this.q.length - 1; i >= 0; i--) {
      if (this.q[i]!.receiver === proc) this.m.resolve(this.removeAt(i), Outcome.failed);
    }
    this.setDepth(this.q.length);
  }
}

// ------------------------------------------------------------------------------------------ Relay Message
/**
 * Relay Message / one-copy mailbox: the kernel copies header + payload from the sender's allow straight into the
 * receiver's StreamingProcessSlice; a full slice fails the send at once (`exceeded`), and with `halt` set every later
 * send too until the receiver swaps its slice (on an upcall; it reads everything in it).
 */
class RelayMessage extends BaseChannel {
  /** Each receiver's slice: bytes written, the messages in it, and its `exceeded` flag. */
  private readonly slices = new Map<ProcRt, { used: number; msgs: Msg[]; exceeded: boolean }>();
  private readonly copyIn = this.copySite("sender's allow → receiver's slice");
  /** Bytes of the receiver's slice that messages can fill: its StreamingProcessSlice header comes first. */
  private readonly room = Math.max(0, (this.p.sliceBytes as number) - SLICE_HEADER_BYTES);
  protected override sendCopyCycles(out: OutRt, k: KernelRt): number {
    return ((this.p.headerBytes as number) + out.payloadBytes) / k.costs.copyBytesPerCycle;
  }
  private slice(r: ProcRt): { used: number; msgs: Msg[]; exceeded: boolean } {
    let s = this.slices.get(r);
    if (!s) this.slices.set(r, (s = { used: 0, msgs: [], exceeded: false }));
    return s;
  }
  /** The receiver's slice takes no message now: `exceeded` and `halt` are both set. */
  private halted(s: { exceeded: boolean } | undefined): boolean {
    return s !== undefined && s.exceeded && this.p.halt === true;
  }
  /** The send will fail before its copy: the receiver is gone, or its slice has no room (`exceeded`) or is halted. */
  override refusesNow(job: Job): boolean {
    const out = this.m.outs[job.n]!;
    const r = this.peekReceiver();
    if (r === undefined) return false;
    const s = this.slices.get(r);
    const used = s?.used ?? 0;
    return !this.accepts(r, out.proc) || this.halted(s) || used + (this.p.headerBytes as number) + out.payloadBytes > this.room;
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const r = this.nextReceiver();
    if (!r) return;
    const msg = this.msg(out, r, out.payloadBytes, sendNs);
    if (!this.reachable(msg, r)) return;
    const s = this.slice(r);
    const need = (this.p.headerBytes as number) + msg.bytes;
    if (this.halted(s)) {
      this.drop(msg); // halted since a message did not fit
      return;
    }
    if (s.used + need > this.room) {
      s.exceeded = true;
      this.drop(msg); // exceeded
      return;
    }
    this.m.copy(out.proc.kernel, this, msg, need, this.copyIn);
    s.used += need;
    s.msgs.push(msg);
    this.setDepth(this.totalDepth());
    this.upcall(r, PH.recv, null, 0, 1);
  }
  private totalDepth(): number {
    let n = 0;
    for (const s of this.slices.values()) n += s.msgs.length;
    return n;
  }
  protected override onPhase(job: Job): void {
    const r = job.proc!;
    const s = this.slice(r);
    const msgs = s.msgs.splice(0);
    s.used = 0;
    s.exceeded = false;
    this.setDepth(this.totalDepth());
    for (const msg of msgs) this.m.resolve(msg, Outcome.delivered);
    this.work(r, msgs.length, -1, r.forwards ? msgs.map((x) => x.valueId) : null);
  }
  override peerDied(proc: ProcRt): void {
    const s = this.slices.get(proc);
    if (s) {
      // The dead receiver's slice is gone.
      for (const msg of s.msgs) this.m.resolve(msg, Outcome.failed);
      this.slices.delete(proc);
      this.setDepth(this.totalDepth());
    }
  }
}

// ------------------------------------------------------------------------------------------ Relay Request
/**
 * Relay Request (synchronous mailbox): 1 outstanding request per client (another send → ALREADY); the service
 * handles one at a time, clients in round robin; request and response each copied min(src, dst) bytes (SIZE when
 * truncated); no kernel timeout — a client's userspace timeout gives up on the answer, not the slot.
 *
 * Identifiers change on restart (tock-model §1, §3): a restarted service has lost its registration and refuses
 * requests (UNINSTALLED) until it has registered again (allow, subscribe, command; completed by an upcall); a client
 * still holding the old identifier gets NODEVICE and looks the service up again (a command, completed by an
 * upcall). Identifiers held at the start of the run are taken as already discovered.
 */
class RelayRequest extends BaseChannel {
  private readonly copyRequest = this.copySite("client's request → server's buffer");
  private readonly copyResponse = this.copySite("server's response → client's buffer");
  private readonly outstanding = new Map<ProcRt, Msg>();
  private readonly pending: Msg[] = [];
  private busy: Msg | null = null;
  /** Index (in `senders`) of the client served last, for round robin (−1: none yet). */
  private lastServed = -1;
  private outOf = new Map<Msg, OutRt>();
  /** The service generation each client's identifier names, and the clients looking it up again. */
  private readonly known = new Map<ProcRt, number>();
  private readonly lookingUp = new Set<ProcRt>();
  /** Whether the service instance is registered (false from its restart until it has registered again). */
  private accepting = true;
  protected override hasResponse(): boolean {
    return true;
  }
  private get service(): ProcRt | undefined {
    return this.receivers[0];
  }
  start(): void {
    const svc = this.service;
    if (svc) for (const s of this.senders) this.known.set(s, svc.generation);
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const svc = this.service;
    const client = out.proc;
    const msg = this.msg(out, svc ?? null, out.payloadBytes, sendNs);
    if (this.outstanding.has(client)) {
      this.drop(msg); // ALREADY
      if (out.workload === 'requestResponse') this.m.responded(out);
      return;
    }
    if (!svc || !this.reachable(msg, svc)) {
      this.m.responded(out); // UNINSTALLED / NODEVICE: the client learns at once
      return;
    }
    if (this.known.get(client) !== svc.generation) {
      // NODEVICE: the identifier names an earlier instance; the client looks the service up again.
      this.m.resolve(msg, Outcome.failed);
      this.m.responded(out);
      this.lookUp(client);
      return;
    }
    if (!this.accepting) {
      // UNINSTALLED: the new instance has not registered yet.
      this.m.resolve(msg, Outcome.failed);
      this.m.responded(out);
      return;
    }
    this.outstanding.set(client, msg);
    this.outOf.set(msg, out);
    this.pending.push(msg);
    this.setDepth(this.pending.length);
    if (out.workload === 'requestResponse' && out.timeoutNs > 0) {
      this.m.timeout(msg, out.timeoutNs, () => {
        this.m.resolve(msg, Outcome.timedOut);
        this.m.responded(out);
      });
    }
    this.serveNext();
  }
  /** A client looks the service up by name (a command; the registry answers with an upcall): a new identifier. */
  private lookUp(client: ProcRt): void {
    if (this.lookingUp.has(client)) return;
    const k = client.kernel;
    const j = this.m.job(client, this, k, k.costs.upcall + k.costs.syscall, PH.extra2);
    j.sys = 1;
    if (this.m.pushUpcall(client, j)) this.lookingUp.add(client);
  }
  restarted(proc: ProcRt): void {
    if (proc === this.service) {
      // Its registration went with the old instance: allow the request buffer, subscribe, register (3 syscalls),
      // completed by an upcall.
      this.accepting = false;
      const k = proc.kernel;
      const j = this.m.job(proc, this, k, k.costs.upcall + 3 * k.costs.syscall, PH.extra3);
      j.sys = 3;
      this.m.continueWith(proc, j);
    }
    if (this.senders.includes(proc)) {
      // A restarted client runs its start-up again, which looks the service up.
      this.lookingUp.delete(proc);
      this.lookUp(proc);
    }
  }
  /**
   * The next request served: round robin over the clients (tock-model §3), starting after the last one served, in
   * the order they are connected (each has at most one request waiting).
   */
  private takeNext(): Msg | undefined {
    const pending = this.pending;
    if (pending.length <= 1) {
      const msg = pending.pop();
      if (msg !== undefined) this.lastServed = this.senders.indexOf(msg.sender!);
      return msg;
    }
    const n = this.senders.length;
    let best = -1;
    let bestDist = Infinity;
    for (let i = 0; i < pending.length; i++) {
      const dist = (this.senders.indexOf(pending[i]!.sender!) - this.lastServed - 1 + n) % n;
      if (dist < bestDist) {
        bestDist = dist;
        best = i;
      }
    }
    const msg = removeIndex(pending, best);
    this.lastServed = this.senders.indexOf(msg.sender!);
    return msg;
  }
  private serveNext(): void {
    const svc = this.service;
    if (this.busy || !svc || !svc.alive || !this.accepting) return;
    let msg: Msg | undefined;
    while ((msg = this.takeNext()) !== undefined) {
      this.setDepth(this.pending.length);
      const k = svc.kernel;
      const reqBytes = Math.min(msg.bytes, this.p.serverBufferBytes as number);
      const respBytes = Math.min(svc.params.responseBytes as number, this.p.clientBufferBytes as number);
      msg.truncated = reqBytes < msg.bytes || respBytes < (svc.params.responseBytes as number);
      // The service's upcall: read the request (unallow), serve, then allow the response + command (3 syscalls).
      const cycles = k.costs.upcall + 3 * k.costs.syscall + (reqBytes + respBytes) / k.costs.copyBytesPerCycle;
      const j = this.m.job(svc, this, k, cycles, PH.recv, msg);
      j.remNs += svc.serviceSampler ? sampleNs(svc.serviceSampler) : 0;
      j.sys = 3;
      j.n = reqBytes;
      if (this.m.pushUpcall(svc, j)) {
        this.busy = msg;
        return;
      }
      // The service's upcall queue is full: the upcall is lost (NOMEM, counted by the kernel) and with it the
      // request, which the service never hears of; the client's slot is free again and it is told at once.
      this.lose(msg);
    }
  }
  /** `msg` is lost to a full upcall queue (NOMEM): dropped, its client's slot freed, the client told. */
  private lose(msg: Msg): void {
    this.release(msg);
    this.drop(msg);
    const out = this.outOf.get(msg);
    this.outOf.delete(msg);
    if (out) this.m.responded(out);
  }
  /** Whether `msg`'s sender is still the instance that sent it (a restart makes a new one, with nothing pending). */
  private sameClient(msg: Msg): boolean {
    const client = msg.sender!;
    return client.alive && client.generation === msg.senderGen;
  }
  /** Frees the client's one outstanding request when it is `msg` (not a later request of a restarted client). */
  private release(msg: Msg): void {
    if (this.outstanding.get(msg.sender!) === msg) this.outstanding.delete(msg.sender!);
  }
  protected override onPhase(job: Job): void {
    const msg = job.msg!;
    const svc = job.proc!;
    if (job.phase === PH.recv) {
      const k = svc.kernel;
      msg.receiverGen = svc.generation; // the instance that served it
      this.m.copy(k, this, msg, job.n, this.copyRequest);
      this.busy = null;
      const client = msg.sender!;
      if (!this.sameClient(msg)) {
        // Response dropped: the client died (and maybe restarted: the new instance has no allow to copy into).
        this.release(msg);
        this.outOf.delete(msg);
        this.m.resolve(msg, Outcome.failed);
      } else {
        const respBytes = Math.min(svc.params.responseBytes as number, this.p.clientBufferBytes as number);
        this.m.copy(k, this, msg, respBytes, this.copyResponse);
        const c = client.kernel;
        const j = this.m.job(client, this, c, c.costs.upcall + c.costs.syscall, PH.extra, msg);
        j.sys = 1;
        if (!this.m.pushUpcall(client, j)) this.lose(msg);
      }
      // A forwarding service sends the request out to its device, not back to the apps (tock-model §3: Relay Request
      // carries the outgoing side).
      this.m.answered(svc);
      this.serveNext();
    } else if (job.phase === PH.extra2) {
      // A look-up answered: the client's identifier names the instance there is now.
      const svc = this.service;
      this.lookingUp.delete(job.proc!);
      if (svc) this.known.set(job.proc!, svc.generation);
    } else if (job.phase === PH.extra3) {
      // The restarted service has registered: it takes requests again.
      this.accepting = true;
      this.serveNext();
    } else if (job.phase === PH.extra) {
      const client = job.proc!;
      this.release(msg);
      const out = this.outOf.get(msg);
      this.outOf.delete(msg);
      const late = msg.resolved;
      if (!late) this.m.resolve(msg, msg.truncated ? Outcome.truncated : Outcome.delivered);
      this.work(client, 1);
      if (out && !late) this.m.responded(out);
    }
  }
  override peerDied(proc: ProcRt): void {
    if (proc === this.service) {
      for (const msg of this.pending.splice(0)) this.failRequest(msg);
      if (this.busy) this.failRequest(this.busy);
      this.busy = null;
      this.setDepth(0);
      return;
    }
    const msg = this.outstanding.get(proc);
    if (msg) {
      const i = this.pending.indexOf(msg);
      if (i >= 0) this.pending.splice(i, 1);
      this.outstanding.delete(proc);
      this.outOf.delete(msg);
      this.m.resolve(msg, Outcome.failed);
      this.setDepth(this.pending.length);
    }
  }
  private failRequest(msg: Msg): void {
    this.release(msg);
    this.m.resolve(msg, Outcome.failed); // NODEVICE
    const out = this.outOf.get(msg);
    this.outOf.delete(msg);
    if (out) this.m.responded(out);
  }
}

// ------------------------------------------------------------------------------------------ legacy IPC
/**
 * Legacy share + notify (kernel/src/ipc.rs): 0 copies; on delivery the client's buffer is mapped into the service
 * (+1 region per client buffer, never freed until the service restarts). An unmappable buffer still fires the
 * upcall and the service faults on access. One-way cost measured: 19,300 cycles client → server.
 */
class LegacyIpc extends BaseChannel {
  /** The service instance each client discovered (by index, no generation): later sends go to that index. */
  private readonly discoveredGen = new Map<ProcRt, number>();
  protected override hasResponse(): boolean {
    return true;
  }
  protected override sendSyscalls(): number {
    return 1;
  }
  protected override sendCopyCycles(_out: OutRt, k: KernelRt): number {
    // The measured one-way notify, less the upcall delivery and the syscall charged separately.
    return Math.max(0, k.costs.legacyNotifyClient - k.costs.upcall - k.costs.syscall);
  }
  start(): void {
    for (const s of this.senders) this.discover(s);
  }
  /** A client discovers the service (synchronous, by package name) and allows its buffer: at start and restart. */
  private discover(client: ProcRt): void {
    const svc = this.receivers[0];
    if (svc) this.discoveredGen.set(client, svc.generation);
    const k = client.kernel;
    const j = this.m.job(client, this, k, k.costs.legacyDiscover + k.costs.syscall, PH.extra3);
    j.sys = 1;
    this.m.continueWith(client, j);
  }
  restarted(proc: ProcRt): void {
    // A restarted client runs its start-up again: it finds the service instance there is now.
    if (this.senders.includes(proc)) this.discover(proc);
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const svc = this.receivers[0];
    const msg = this.msg(out, svc ?? null, out.payloadBytes, sendNs);
    (msg as Msg & { out?: OutRt }).out = out;
    // The index the client holds, whatever instance now sits at it.
    msg.receiverGen = this.discoveredGen.get(out.proc) ?? msg.receiverGen;
    msg.staleOk = true;
    if (out.workload === 'requestResponse' && out.timeoutNs > 0) {
      this.m.timeout(msg, out.timeoutNs, () => {
        this.m.resolve(msg, Outcome.timedOut);
        this.m.responded(out);
      });
    }
    if (!svc || !svc.alive || svc.kernel.failed) {
      this.m.resolve(msg, Outcome.failed);
      this.m.responded(out);
      return;
    }
    if (!this.upcall(svc, PH.recv, msg, 0, 0)) {
      this.drop(msg); // NOMEM
      this.m.responded(out);
    }
  }
  protected override onPhase(job: Job): void {
    if (job.phase === PH.extra3) return; // discovery done
    const msg = job.msg!;
    const out = (msg as Msg & { out?: OutRt }).out!;
    if (job.phase === PH.recv) {
      const svc = job.proc!;
      const client = msg.sender!;
      const ok = this.m.mapShare(svc, `legacy:${this.id}:${client.id}`, this.p.bufferBytes as number, this.p.bufferPlacement as BufferPlacement);
      if (!ok) {
        // The upcall fired but the buffer is not mapped: the service faults on access.
        this.m.resolve(msg, Outcome.failed);
        this.m.responded(out);
        this.m.crash(svc);
        return;
      }
      if (out.workload !== 'requestResponse') {
        this.deliver(msg, svc);
        return;
      }
      // Serve, then notify the client back (measured 24,300 cycles one way).
      const k = svc.kernel;
      const j = this.m.job(svc, this, k, Math.max(0, k.costs.legacyNotifyService - k.costs.upcall), PH.extra, msg);
      j.remNs += svc.serviceSampler ? sampleNs(svc.serviceSampler) : 0;
      j.sys = 1;
      this.m.continueWith(svc, j);
    } else if (job.phase === PH.extra) {
      const client = msg.sender!;
      if (!client.alive || !this.upcall(client, PH.extra2, msg, 0, 0)) {
        this.m.resolve(msg, client.alive ? Outcome.dropped : Outcome.failed);
        this.m.responded(out);
      }
      this.m.answered(job.proc!); // outgoing, as Relay Request's requests
    } else if (job.phase === PH.extra2) {
      const late = msg.resolved;
      this.m.resolve(msg, Outcome.delivered);
      this.work(job.proc!, 1);
      if (!late) this.m.responded(out);
    }
  }
}

// ------------------------------------------------------------------------------------------ shared memory
/**
 * Shared memory: the client writes into its chunk (0 copies) and notifies; the service activates the chunk
 * (+1 region in the service while active). No free region, or a chunk that breaks the alignment rule: fall back
 * to a kernel copy, or fail (the design's choice). Revoked when either side restarts.
 */
class SharedMemory extends BaseChannel {
  private readonly copyFallback = this.copySite('client → service (fallback copy, no chunk mapped)');
  protected override sendSyscalls(): number {
    return 1;
  }
  private key(client: ProcRt): string {
    return `shm:${this.id}:${client.id}`;
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const r = this.nextReceiver();
    if (!r) return;
    const msg = this.msg(out, r, out.payloadBytes, sendNs);
    if (!this.reachable(msg, r)) return;
    if (!this.upcall(r, PH.recv, msg, 0, 0)) this.drop(msg);
  }
  protected override onPhase(job: Job): void {
    const msg = job.msg!;
    const r = job.proc!;
    const k = r.kernel;
    if (job.phase === PH.recv) {
      const client = msg.sender!;
      if (!client.alive || client.generation !== msg.senderGen) {
        this.m.resolve(msg, Outcome.failed); // the chunk was revoked (a restarted client has a new one)
        return;
      }
      const key = this.key(client);
      if (r.shares.has(key)) {
        this.deliver(msg, r);
        this.maybeDeactivate(r, msg);
        return;
      }
      if (this.m.mapShare(r, key, this.p.chunkBytes as number, this.p.chunkPlacement as BufferPlacement)) {
        // Activate: a syscall and an MPU rewrite.
        const j = this.m.job(r, this, k, k.costs.syscall + k.costs.mpuReprogram, PH.extra, msg);
        j.sys = 1;
        this.m.continueWith(r, j);
      } else if (this.p.onNoRegion === 'fallbackCopy') {
        const j = this.m.job(r, this, k, k.costs.syscall + msg.bytes / k.costs.copyBytesPerCycle, PH.extra2, msg);
        j.sys = 1;
        this.m.continueWith(r, j);
      } else this.drop(msg, Outcome.failed);
    } else if (job.phase === PH.extra) {
      this.deliver(msg, r);
      this.maybeDeactivate(r, msg);
    } else if (job.phase === PH.extra2) {
      this.m.copy(k, this, msg, msg.bytes, this.copyFallback);
      this.deliver(msg, r);
    } else if (job.phase === PH.extra3) {
      // Deactivated: the chunk's region is free from here on.
      this.m.unmapShare(r, this.key(msg.sender!));
    }
  }
  /**
   * Without keepActive the service deactivates the client's chunk once it has worked on the message (a syscall and
   * an MPU rewrite, after its work): the region stays taken until then.
   */
  private maybeDeactivate(r: ProcRt, msg: Msg): void {
    if (this.p.keepActive === true) return;
    const k = r.kernel;
    const j = this.m.job(r, this, k, k.costs.syscall + k.costs.mpuReprogram, PH.extra3, msg);
    j.sys = 1;
    this.m.continueWith(r, j);
  }
  override peerDied(proc: ProcRt): void {
    if (this.senders.includes(proc)) for (const r of this.receivers) this.m.unmapShare(r, this.key(proc));
  }
}

// ------------------------------------------------------------------------------------------ inter-kernel
/**
 * Inter-kernel channel (tock-model §7): a shared ring of depth 2 and an inter-processor interrupt; one message in
 * flight per process; ring full → the send fails. By copy: sender allow → ring slot → receiver buffer (2 copies).
 * By reference: 0 copies, the receiver maps the sender's buffer (+1 region while it reads, sized and aligned as
 * the MPU requires), and the message stays in flight until the receiver has read it. Sends to a failed
 * kernel are never consumed and time out; the sender's kernel goes on.
 */
class InterKernel extends BaseChannel {
  private readonly copyIn = this.copySite("sender's allow → ring slot");
  private readonly copyOut = this.copySite("ring slot → receiver's buffer");
  /**
   * Each process's one message in flight (tock-model §7: one per process, whichever inter-kernel channel carries it):
   * by copy until the destination takes it out of the ring; by reference until the receiver has read the sender's
   * buffer (it is mapped into the receiver meanwhile). Shared by every inter-kernel channel of the model.
   */
  private get inFlight(): Map<ProcRt, Msg> {
    return this.m.interKernelInFlight;
  }
  /** This channel's messages among them. */
  private readonly mine = new Set<Msg>();
  /** Messages in the ring (sent, not yet taken by the destination kernel) → their send timeout (0: none). */
  private readonly inRing = new Map<Msg, number>();
  private ring = 0;
  private downUntilNs = -1;
  /** Link down (a fault: arg = −1 − duration in ns, 0 = until the end): nothing crosses while down. */
  onEvent(arg: number): void {
    if (arg >= 0) return;
    const downFor = -1 - arg;
    // Overlapping outages make one, until the later end (as a peripheral's link).
    this.downUntilNs = Math.max(this.downUntilNs, downFor === 0 ? Infinity : this.m.now + downFor);
  }
  private get byCopy(): boolean {
    return this.p.mode === 'byCopy';
  }
  private slotBytes(bytes: number): number {
    return Math.min(bytes, this.p.slotBytes as number);
  }
  protected override sendCopyCycles(out: OutRt, k: KernelRt): number {
    return this.byCopy ? this.slotBytes(out.payloadBytes) / k.costs.copyBytesPerCycle : 0;
  }
  /** Sends refused at their check (`refusesNow`): they fail even if the ring has room by the time they complete. */
  private readonly refusedAtCheck = new Set<OutRt>();
  /**
   * The other kernel frees ring slots and in-flight messages at any time, so the send is checked where its command
   * starts (after the upcall, the app work and the allow), not when its job starts.
   */
  protected override refusalCheckNs(k: KernelRt, pre: number, sys: number): number {
    return this.m.ns(k, pre + (sys - 1) * k.costs.syscall);
  }
  /** The send fails before its copy into the ring: the link is down, the sender has its message in flight, or the ring is full. */
  override refusesNow(job: Job): boolean {
    const refused = this.receivers.length > 0 && this.refuses(job.proc!);
    if (refused) this.refusedAtCheck.add(this.m.outs[job.n]!);
    return refused;
  }
  private refuses(sender: ProcRt): boolean {
    return this.m.now < this.downUntilNs || this.inFlight.has(sender) || this.ring >= (this.p.ringDepth as number);
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const refusedAtCheck = this.refusedAtCheck.delete(out);
    const r = this.nextReceiver();
    if (!r) return;
    const s = out.proc;
    const msg = this.msg(out, r, out.payloadBytes, sendNs);
    if (refusedAtCheck || this.refuses(s)) {
      this.drop(msg); // link down / one in flight per process / ring full: the send fails
      return;
    }
    if (this.byCopy) {
      msg.bytes = this.slotBytes(msg.bytes);
      msg.truncated = msg.bytes < out.payloadBytes;
      this.m.copy(s.kernel, this, msg, msg.bytes, this.copyIn);
    }
    this.inFlight.set(s, msg);
    this.mine.add(msg);
    this.ring++;
    this.setDepth(this.ring);
    const dst = r.kernel;
    // Only a message still in the ring times out (e.g. the destination kernel failed): one the destination took
    // out is past the send, whatever happens to it afterwards.
    const timeoutId = this.m.timeout(msg, this.p.timeoutNs as number, () => {
      if (!this.takeFromRing(msg)) return;
      this.done(msg);
      this.m.resolve(msg, Outcome.timedOut);
    });
    this.inRing.set(msg, timeoutId);
    // The IPI: the destination kernel takes the message out of the ring in its interrupt handler.
    const cycles = dst.costs.ipi + dst.costs.exceptionExit + (this.byCopy ? msg.bytes / dst.costs.copyBytesPerCycle : dst.costs.mpuReprogram);
    this.m.kernelWork(dst, this.m.job(null, this, dst, cycles, PH.recv, msg));
  }
  protected override onPhase(job: Job): void {
    const msg = job.msg!;
    const r = msg.receiver!;
    if (job.phase === PH.recv) {
      if (!this.takeFromRing(msg)) return;
      if (this.byCopy) this.done(msg); // the message is out of the sender's hands
      if (msg.resolved || !this.reachable(msg, r)) {
        this.done(msg);
        return;
      }
      if (this.byCopy) this.m.copy(r.kernel, this, msg, msg.bytes, this.copyOut);
      else if (!this.m.mapShare(r, this.shareKey(msg), msg.bytes, 'aligned')) {
        // The sender's buffer cannot be mapped into the receiver (no free region, or its size breaks the rule).
        this.done(msg);
        this.drop(msg, Outcome.failed);
        return;
      }
      if (!this.upcall(r, PH.extra, msg, 0, 1)) {
        this.m.unmapShare(r, this.shareKey(msg));
        this.done(msg);
        this.drop(msg);
      }
    } else if (job.phase === PH.extra) {
      if (this.byCopy) this.deliver(msg, r);
      // By reference the receiver works on the sender's buffer in place: it stays mapped, and the message in
      // flight, until that work is over (`workDone`).
      else this.deliver(msg, r, true);
    }
  }
  protected override workDone(msg: Msg): void {
    this.m.unmapShare(msg.receiver!, this.shareKey(msg));
    this.done(msg);
  }
  override peerDied(proc: ProcRt): void {
    // A dead sender's instance has nothing in flight any more, nor a send refused at its check (its job is gone); a
    // dead receiver reads no sender's buffer.
    for (const out of this.refusedAtCheck) if (out.proc === proc) this.refusedAtCheck.delete(out);
    for (const msg of this.mine) if (msg.sender === proc || (msg.receiver === proc && !this.inRing.has(msg))) this.done(msg);
  }
  private shareKey(msg: Msg): string {
    return `ikc:${this.id}:${msg.id}`;
  }
  /** `msg` no longer holds its sender's one message in flight. */
  private done(msg: Msg): void {
    this.mine.delete(msg);
    if (this.inFlight.get(msg.sender!) === msg) this.inFlight.delete(msg.sender!);
  }
  /**
   * Takes `msg` out of the ring (the destination's interrupt handler, or its timeout): frees the slot and cancels
   * the send timeout. False when it was no longer in the ring.
   */
  private takeFromRing(msg: Msg): boolean {
    const timeoutId = this.inRing.get(msg);
    if (timeoutId === undefined) return false;
    this.inRing.delete(msg);
    this.m.cancelTimeout(timeoutId);
    this.ring--;
    this.setDepth(this.ring);
    return true;
  }
}

// ------------------------------------------------------------------------------------------ latest value
/**
 * Latest value: the capsule holds one value per value ID (fixed at board build; a ring of length 1 each). The
 * publisher copies the value + timestamp into the capsule under its ID (1 copy): a forwarder publishes under the ID
 * of the message it forwards (e.g. a CAN frame's), any other publisher under its own (the n-th publisher connected:
 * ID n mod valueIds). Push-to-all copies the value into every reader's allow for that ID and upcalls; read-on-demand
 * readers poll every readPeriodNs with one command per value ID in use, each copying its value out. A value replaced
 * under the same ID before a reader saw it is `overwritten` on that reader's flow; other IDs are not touched.
 */
class LatestValue extends BaseChannel {
  private readonly copyPublish = this.copySite("publisher's allow → capsule");
  private readonly copyOut = this.copySite("capsule → reader's allow");
  /** Each reader's unread values, by value ID. */
  private readonly unread = new Map<ProcRt, Map<number, Msg>>();
  /** Value IDs published so far (what a polling reader reads). */
  private readonly idsInUse = new Set<number>();
  private readonly upcallPending = new Set<ProcRt>();
  private unreadCount = 0;
  private get bytes(): number {
    return (this.p.valueBytes as number) + (this.p.timestampBytes as number);
  }
  private get push(): boolean {
    return this.p.delivery === 'pushToAll';
  }
  protected override payload(): number {
    return this.bytes;
  }
  protected override sendCopyCycles(_out: OutRt, k: KernelRt): number {
    return (this.bytes * (1 + (this.push ? this.receivers.length : 0))) / k.costs.copyBytesPerCycle;
  }
  start(): void {
    if (this.push) return;
    this.receivers.forEach((_r, i) => this.m.sim.scheduleAt(this.p.readPeriodNs as number, 0, EV.channel, this.idx, i));
  }
  onEvent(i: number): void {
    const r = this.receivers[i];
    if (!r) return;
    this.m.sim.schedule(this.p.readPeriodNs as number, 0, EV.channel, this.idx, i);
    if (!r.alive) return;
    // Poll: the reader's alarm, then a command per value ID in use, each copying its value out (one command,
    // reading an empty value, before anything was published).
    const reads = Math.max(1, this.idsInUse.size);
    this.upcall(r, PH.extra, null, (reads * this.bytes) / r.kernel.costs.copyBytesPerCycle, reads);
  }
  private unreadOf(r: ProcRt): Map<number, Msg> {
    let u = this.unread.get(r);
    if (u === undefined) this.unread.set(r, (u = new Map()));
    return u;
  }
  /** The value ID a message is published under. */
  private idOf(out: OutRt, msg: Msg): number {
    const ids = this.p.valueIds as number;
    return (msg.valueId >= 0 ? msg.valueId : Math.max(0, this.senders.indexOf(out.proc))) % ids;
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const k = out.proc.kernel;
    let first = true;
    for (const r of this.receivers) {
      const msg = this.msg(out, r, this.bytes, sendNs);
      const id = this.idOf(out, msg);
      msg.valueId = id;
      this.idsInUse.add(id);
      if (first) this.m.copy(k, this, msg, this.bytes, this.copyPublish);
      else this.pathCopy(msg, this.bytes);
      first = false;
      if (!r.alive) {
        this.m.resolve(msg, Outcome.failed);
        continue;
      }
      const u = this.unreadOf(r);
      const old = u.get(id);
      if (old !== undefined) {
        this.drops++;
        this.m.resolve(old, Outcome.overwritten);
      } else this.unreadCount++;
      u.set(id, msg);
      if (this.push) {
        this.m.copy(k, this, msg, this.bytes, this.copyOut);
        if (!this.upcallPending.has(r) && this.upcall(r, PH.recv, null, 0, 1)) this.upcallPending.add(r);
      }
    }
    this.setDepth(this.unreadCount);
  }
  protected override onPhase(job: Job): void {
    const r = job.proc!;
    this.upcallPending.delete(r);
    const u = this.unread.get(r);
    const polled = job.phase === PH.extra;
    if (polled) {
      // Every value ID in use is read, new or not: the unchanged ones are copied out too.
      for (const id of this.idsInUse) if (!u?.has(id)) this.copyStale(r);
    }
    if (u === undefined || u.size === 0) return;
    const ids: number[] = [];
    for (const msg of u.values()) {
      if (polled) this.m.copy(r.kernel, this, msg, this.bytes, this.copyOut);
      if (!msg.resolved) this.m.resolve(msg, Outcome.delivered);
      ids.push(msg.valueId);
    }
    this.unreadCount -= u.size;
    u.clear();
    this.setDepth(this.unreadCount);
    this.work(r, ids.length, -1, r.forwards ? ids : null);
  }
  /** A poll's copy of a value the reader had already seen (on no message's path). */
  private copyStale(r: ProcRt): void {
    this.m.copy(r.kernel, this, null, this.bytes, this.copyOut);
  }
  override peerDied(proc: ProcRt): void {
    // The reader's allow is gone with it: values it had not read yet are lost (NODEVICE).
    this.upcallPending.delete(proc);
    const u = this.unread.get(proc);
    if (u === undefined || u.size === 0) return;
    for (const msg of u.values()) this.m.resolve(msg, Outcome.failed);
    this.unreadCount -= u.size;
    u.clear();
    this.setDepth(this.unreadCount);
  }
}

// ------------------------------------------------------------------------------------------ event counter
/**
 * Event counter: each increment is a command (0 copies; the count comes back in the command's return value).
 * Readers read every period: read-and-reset swaps the shared counter to 0, so increments taken by one reader are
 * lost to the others (`dropped` on their flows); continuous readers each see every increment by differencing.
 */
class EventCounter extends BaseChannel {
  private readonly pending = new Map<ProcRt, Msg[]>();
  protected override sendSyscalls(): number {
    return 1;
  }
  protected override payload(): number {
    return this.p.counterBytes as number;
  }
  start(): void {
    this.receivers.forEach((_r, i) => this.m.sim.scheduleAt(this.p.readPeriodNs as number, 0, EV.channel, this.idx, i));
  }
  onEvent(i: number): void {
    const r = this.receivers[i];
    if (!r) return;
    this.m.sim.schedule(this.p.readPeriodNs as number, 0, EV.channel, this.idx, i);
    if (r.alive) this.upcall(r, PH.recv, null, 0, 1);
  }
  protected onSend(out: OutRt, sendNs: number): void {
    for (const r of this.receivers) {
      const msg = this.msg(out, r, this.p.counterBytes as number, sendNs);
      let list = this.pending.get(r);
      if (!list) this.pending.set(r, (list = []));
      list.push(msg);
    }
    this.setDepth(Math.max(0, ...[...this.pending.values()].map((l) => l.length)));
  }
  protected override onPhase(job: Job): void {
    const r = job.proc!;
    const mine = this.pending.get(r) ?? [];
    this.pending.set(r, []);
    for (const msg of mine) this.m.resolve(msg, Outcome.delivered);
    if (this.p.mode === 'readAndReset') {
      // The swap to 0 took every increment so far away from the other readers.
      for (const [other, list] of this.pending) {
        if (other === r) continue;
        for (const msg of list) this.drop(msg);
        this.pending.set(other, []);
      }
    }
    this.setDepth(Math.max(0, ...[...this.pending.values()].map((l) => l.length)));
    this.work(r, mine.length > 0 ? 1 : 0);
  }
  override peerDied(proc: ProcRt): void {
    for (const msg of this.pending.get(proc) ?? []) this.m.resolve(msg, Outcome.failed);
    this.pending.delete(proc);
  }
}

// ------------------------------------------------------------------------------------------ registry
/**
 * Registry / manager (tock-model §3): registration and discovery are asynchronous. Each registrant registers at
 * start, and again when it restarts (its registration went with the old instance): a command, completed by an
 * upcall. Once a registration completes, a "new service registered" upcall goes to every other app on its kernel.
 * (Names and identifier width are described, not costed.)
 */
class Registry extends BaseChannel {
  start(): void {
    for (const s of this.senders) this.register(s);
  }
  restarted(proc: ProcRt): void {
    if (this.senders.includes(proc)) this.register(proc);
  }
  private register(s: ProcRt): void {
    const k = s.kernel;
    const j = this.m.job(s, this, k, k.costs.upcall + k.costs.syscall, PH.extra);
    j.sys = 1;
    this.m.pushUpcall(s, j);
  }
  protected override onPhase(job: Job): void {
    if (job.phase !== PH.extra) return;
    const registered = job.proc!;
    // Every other app hears of it: an upcall each (lost, like any, when its queue is full).
    for (const p of registered.kernel.procs) {
      if (p === registered || !p.alive) continue;
      this.m.pushUpcall(p, this.m.job(p, this, p.kernel, p.kernel.costs.upcall, PH.extra2));
    }
  }
  override send(): void {}
  protected onSend(): void {}
}

/** Builds the runtime of a mechanism or pattern node; peripherals come from `peripherals.ts`. */
export function makeMechanism(m: TockModel, node: DesignNode, idx: number): ChannelRt | null {
  const p = effectiveParams(getKind(node.kind)!, node.params);
  const q = (cfg: Partial<QueueConfig>): QueueChannel =>
    new QueueChannel(m, node, idx, { capacityEntries: 0, capacityBytes: 0, whenFull: 'reject', maxBytes: Infinity, tooLong: 'truncate', copiesPerSide: 1, broadcast: false, fixedBytes: 0, ...cfg });
  switch (node.kind) {
    case 'notification':
      return new Notification(m, node, idx);
    case 'relayRequest':
      return new RelayRequest(m, node, idx);
    case 'relayMessage':
      return new RelayMessage(m, node, idx);
    case 'legacyIpc':
      return new LegacyIpc(m, node, idx);
    case 'sharedMemory':
      return new SharedMemory(m, node, idx);
    case 'interKernelChannel':
      return new InterKernel(m, node, idx);
    case 'registry':
      return new Registry(m, node, idx);
    case 'latestValue':
      return new LatestValue(m, node, idx);
    case 'eventCounter':
      return new EventCounter(m, node, idx);
    case 'twoCopyChannel':
      return q({ capacityEntries: p.capacity as number, whenFull: p.whenFull as QueueConfig['whenFull'], maxBytes: p.maxMessageBytes as number });
    case 'numericFifo': {
      const bytes = p.valueBytes as number;
      // Values of up to two words travel in the command's and upcall's registers: no copy.
      return q({ capacityEntries: p.capacity as number, whenFull: p.whenFull as QueueConfig['whenFull'], fixedBytes: bytes, copiesPerSide: bytes > 8 ? 1 : 0, broadcast: p.cast === 'broadcast' });
    }
    case 'packetFifo':
      return q({ capacityBytes: p.capacityBytes as number, whenFull: p.whenFull as QueueConfig['whenFull'], maxBytes: p.maxPacketBytes as number, tooLong: 'reject' });
    case 'ringBuffer':
      return q({ capacityEntries: p.capacity as number, whenFull: 'dropOldest', maxBytes: p.entryBytes as number });
    default:
      return null;
  }
}
