// Peripherals (tock-model.md §6) as channels of the Tock model: CYW43439 WiFi, STM32 Ethernet MAC, VirtIO net /
// gpu / input / rng, and a CAN signal source. Each is a BaseChannel whose senders are the apps on its `tx` port and
// whose receivers are the apps on its `rx` port. As in mechanisms.ts, every copy is counted where it happens
// (`model.copy`) and every CPU cost is charged in cycles of the kernel doing the work; bus, wire and air times
// come from the node's parameters. Flows: `periph>app` per subscribed app (one message per app per inbound frame,
// sent when the frame arrives from the outside world) and `app>periph` per transmitting app.
//
// Shared conventions (each one stated once here, referred to below):
// - A medium (gSPI/SDIO bus, Ethernet wire, WiFi air, CAN bus, a VirtIO device's queue processing) is a
//   `Medium`: one item at a time, first come first served.
// - The interrupt handler of a device is kernel work on the peripheral's kernel: exception entry + exit cycles,
//   plus what the capsule does there (copies; for VirtIO re-posting a buffer with a QueueNotify). Kernel work
//   preempts a running process chunk at once (TockModel.kernelWork); the process resumes after it.
// - RX fan-out follows capsules/extra/src/ethernet_tap.rs: the frame is appended to every subscribed app's
//   buffer (1 copy per app, at the kernel copy rate, in the interrupt's bottom half); the upcall swaps the buffer
//   and takes everything in it (StreamingProcessSlice semantics). The tap schedules the upcall only for the first
//   chunk in the buffer, so a lost one (full upcall queue) is not retried; the other devices upcall when none is
//   queued and retry a lost one with the next frame. Under the tap the buffer is the app's slice of
//   rxSliceBytes: a frame that does not fit is dropped for that app (`exceeded`), after the kernel has copied
//   what room was left (append_chunk_from_iter copies until the slice ends); with `halt` set (rxSliceHalt) every
//   later frame is dropped untouched until the app swaps its slice.
// - TX: the app's allow + command copies the frame into the capsule's buffer (1 copy) during its syscall; the
//   driver then refuses it (BUSY → `dropped`) when no descriptor / queue slot / driver buffer is free. A TX message
//   is delivered when the frame has left the device (end of wire / air time, or the used ring for VirtIO); the
//   completion interrupt then frees the slot and sends the app its "transmitted" upcall.
// - Link down (a `linkDown` fault, `onEvent(-1 - downForNs)`): frames arriving while the link is down are lost,
//   and so are frames that were on or queued for the medium when it went down (`dropped`).
// - Kernel failure of the peripheral's kernel stops it; every message still inside is `failed`.

import { getKind, SLICE_HEADER_BYTES, TAP_HEADER_BYTES, type ParamValue } from '../../../src-shared/catalog';
import type { DesignNode } from '../../../src-shared/model';
import { Outcome } from '../../../src-shared/results/outcome';
import { removeIndex } from '../core/arrays';
import { streamFor, type RngStream } from '../core/rng';
import { bitsNs, canFrameBits, CYW_IRQ_READ_BYTES, cywAirNs, cywBootNs, cywF2Ns, cywTransactionNs, ethernetWireNs } from '../../../src-shared/model/deviceTiming';
import { BaseChannel, PH } from './mechanisms';
import { EV, type TockModel } from './model';
import type { ChannelRt, Job, KernelRt, Msg, OutRt, ProcRt } from './runtime';

/** Thrown for a design whose parts the engine cannot simulate yet; the CLI prints the message. */
export class NotModelledError extends Error {}

type Params = Readonly<Record<string, ParamValue>>;
const num = (p: Params, k: string): number => p[k] as number;

/** The ethernet tap capsule (capsules/extra/src/ethernet_tap.rs) over VirtIO net and the CYW43: its MAX_MTU [V]. */
const TAP_MTU_BYTES = 1_518;

/** A subscribed app's RX buffer: bytes appended since its last swap, bytes promised to planned copies, the frames. */
interface RxSlice {
  used: number;
  reserved: number;
  /** A frame has not fitted since the last swap (the slice's `exceeded` flag, as planned). */
  exceeded: boolean;
  msgs: Msg[];
  /** An RX upcall is queued for the app (devices other than the tap: a lost one is retried with the next frame). */
  upcallQueued: boolean;
}
/** `msg.tag` between `planFanOut` and `fanOut`: the frame fits; its receiver was gone; else −1 − the partial bytes. */
const FITS = 1;
const RECEIVER_GONE = 2;

/** VirtIO net/gpu buffers are 2-descriptor chains (header + data; request + response): slots = ⌊queue / 2⌋ ≥ 1. */
export function virtioChains(queueSize: number): number {
  return Math.max(1, Math.floor(queueSize / 2));
}

// ------------------------------------------------------------------------------------------ building blocks
/** A medium that carries one item at a time, first come first served. */
class Medium {
  private readonly q: { ns: number; done: () => void }[] = [];
  private head = 0;
  private busy = false;
  constructor(private readonly dev: Peripheral) {}

  /** Queues an item taking `ns`; `done` runs when it has crossed. */
  use(ns: number, done: () => void): void {
    this.q.push({ ns, done });
    if (!this.busy) this.next();
  }

  private next(): void {
    if (this.head === this.q.length) {
      this.busy = false;
      this.q.length = 0;
      this.head = 0;
      return;
    }
    const item = this.q[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q.splice(0, this.head);
      this.head = 0;
    }
    this.busy = true;
    this.dev.after(item.ns, () => {
      item.done();
      this.next();
    });
  }
}

/**
 * What all peripherals share: timers on the model's event queue, media, link state, RX fan-out into subscribed
 * apps, and the bookkeeping that lets a kernel failure fail what is still inside.
 */
abstract class Peripheral extends BaseChannel {
  private readonly timers = new Map<number, () => void>();
  private nextTimer = 0;
  private readonly conts = new Map<Job, () => void>();
  /** Messages created and not yet resolved (failed on kernel failure). */
  private readonly live = new Set<Msg>();
  /** Each subscribed app's RX buffer (created on first use). */
  private readonly rxSlices = new Map<ProcRt, RxSlice>();
  /**
   * Data bytes of a subscribed app's RX buffer: under the ethernet tap (the devices with an `rxSliceBytes`), its
   * StreamingProcessSlice less the slice header; for the other devices, unbounded.
   */
  private readonly rxCapacity = typeof this.p.rxSliceBytes === 'number' ? Math.max(0, this.p.rxSliceBytes - SLICE_HEADER_BYTES) : Infinity;
  private readonly underTap = this.rxCapacity !== Infinity;
  /** Where the RX fan-out copies (under the tap: into the apps' slices, whole or, when exceeded, partly). */
  private readonly rxCopy = this.copySite(this.underTap ? "tap → app's RX slice (header + frame)" : "capsule → app's receive buffer");
  private readonly rxPartialCopy = this.underTap ? this.copySite("tap → app's RX slice, partly (exceeded)") : null;
  /** The tap's copy of a frame out of the app's allow when it hands the frame to the driver (transmit). */
  protected readonly tapCopy = this.underTap ? this.copySite("app's allow → tap's TX buffer") : null;
  /** Frames inside the device (queued for or on a medium, holding a descriptor or buffer): the depth series. */
  private inside = 0;
  protected down = false;
  private downUntil = 0;
  /** +1 each time the link goes down: an item that started under another epoch was cut off. */
  protected epoch = 0;
  protected dead = false;
  protected readonly rng: RngStream;

  constructor(m: TockModel, node: DesignNode, idx: number) {
    super(m, node, idx);
    this.rng = streamFor(m.opts.seed, `${node.id}/peripheral`);
  }

  protected get k(): KernelRt {
    return this.kernel!;
  }

  /** Runs `fn` after `delayNs` (an EV.channel event carrying a timer id ≥ 0). Nothing runs once the kernel failed. */
  after(delayNs: number, fn: () => void): void {
    const id = this.nextTimer++;
    this.timers.set(id, fn);
    this.m.sim.schedule(Math.max(0, Math.round(delayNs)), 0, EV.channel, this.idx, id);
  }

  onEvent(arg: number): void {
    if (arg < 0) {
      this.linkDown(-1 - arg);
      return;
    }
    const fn = this.timers.get(arg);
    if (!fn) return;
    this.timers.delete(arg);
    if (!this.dead) fn();
  }

  /** The link goes down for `forNs` (0: until the end of the run). */
  private linkDown(forNs: number): void {
    if (this.dead) return;
    this.down = true;
    this.epoch++;
    const until = forNs > 0 ? this.m.now + forNs : Infinity;
    if (until > this.downUntil) this.downUntil = until;
    if (until !== Infinity) {
      this.after(forNs, () => {
        if (this.m.now >= this.downUntil) this.down = false;
      });
    }
  }

  /** True when an item queued under `epoch` was cut off by the link going down (or it is down now). */
  protected cut(epoch: number): boolean {
    return this.down || this.epoch !== epoch;
  }

  /** Kernel work on the peripheral's kernel: `cycles` plus `extraNs`, then `fn`. */
  protected kwork(cycles: number, extraNs: number, fn: () => void): void {
    const j = this.m.job(null, this, this.k, cycles, PH.extra);
    j.remNs += Math.round(extraNs);
    this.conts.set(j, fn);
    this.m.kernelWork(this.k, j);
  }

  /** Cycles of entering and leaving the device's interrupt handler. */
  protected get isrCycles(): number {
    return this.k.costs.exceptionEntry + this.k.costs.exceptionExit;
  }

  protected enter(): void {
    this.setDepth(++this.inside);
  }

  protected leave(): void {
    this.setDepth(--this.inside);
  }

  /** A message is resolved: delivered, dropped (counted on the device), failed… */
  protected settle(msg: Msg, outcome: number): void {
    if (msg.resolved) return;
    this.live.delete(msg);
    if (outcome === Outcome.dropped) this.drops++;
    this.m.resolve(msg, outcome);
  }

  protected loseAll(msgs: readonly Msg[]): void {
    for (const msg of msgs) this.settle(msg, Outcome.dropped);
  }

  /** A transmit from an app: its message on `app>periph`, sent at `sendNs`. */
  protected txMsg(out: OutRt, bytes: number, sendNs: number): Msg {
    const msg = this.msg(out, null, bytes, sendNs);
    this.live.add(msg);
    return msg;
  }

  /** A message on `periph>r` sent at `sendNs` (default now: a frame arriving), counted as sent. */
  protected rxMsg(r: ProcRt, bytes: number, sendNs = this.m.now): Msg {
    const msg = this.m.newMsg(this.m.flowOf(this.id, this.id, r.id), null, r, bytes);
    msg.sendNs = sendNs;
    this.m.sent(msg);
    this.live.add(msg);
    return msg;
  }

  /** An inbound frame from the outside world: one message per subscribed app. */
  protected arrivals(bytes: number): Msg[] {
    return this.receivers.map((r) => this.rxMsg(r, bytes));
  }

  private rxSlice(r: ProcRt): RxSlice {
    let s = this.rxSlices.get(r);
    if (!s) this.rxSlices.set(r, (s = { used: 0, reserved: 0, exceeded: false, msgs: [], upcallQueued: false }));
    return s;
  }

  /**
   * Plans the bottom half that copies `bytes` (tap header + frame) into each live receiver of `msgs`, and returns
   * its cycles at the kernel copy rate. A receiver whose buffer has room gets the bytes reserved now (frames planned
   * earlier and not yet copied count); one without gets only what room is left, and the frame is dropped for it.
   * The plan is carried in `msg.tag` (FITS, or −1 − the partial bytes) until `fanOut`.
   */
  protected planFanOut(msgs: readonly Msg[], bytes: number): number {
    const cap = this.rxCapacity;
    let copied = 0;
    for (const msg of msgs) {
      msg.tag = RECEIVER_GONE;
      if (msg.resolved || !msg.receiver!.alive) continue;
      const s = this.rxSlice(msg.receiver!);
      const room = cap - s.used - s.reserved;
      if (s.exceeded && this.p.rxSliceHalt === true) {
        msg.tag = -1; // halted: the slice is not touched (BUSY), nothing copied
      } else if (bytes <= room) {
        s.reserved += bytes;
        msg.tag = FITS;
        copied += bytes;
      } else {
        s.exceeded = true;
        msg.tag = -1 - room;
        copied += room;
      }
    }
    return copied / this.k.costs.copyBytesPerCycle;
  }

  /**
   * The bottom half planned by `planFanOut`: the capsule copies `bytes` into each receiver's buffer (1 copy per app)
   * and schedules an upcall costing the upcall delivery + `sys` syscalls (see the header for when); the upcall takes
   * the app's buffer. A frame that did not fit is dropped for that app after its partial copy.
   */
  protected fanOut(msgs: readonly Msg[], bytes: number, sys: number): void {
    for (const msg of msgs) {
      const plan = msg.tag;
      msg.tag = 0;
      const r = msg.receiver!;
      const s = this.rxSlice(r);
      if (plan === FITS) s.reserved -= bytes;
      if (msg.resolved) continue;
      if (plan === 0) throw new Error(`${this.id}: a frame fanned out without planFanOut`);
      if (!r.alive || r.kernel.failed || plan === RECEIVER_GONE) {
        this.settle(msg, Outcome.failed); // its grant (allow, subscription) is gone, or was when the frame came in
        continue;
      }
      if (plan !== FITS) {
        const partial = -1 - plan;
        if (partial > 0) this.m.copy(this.k, this, msg, partial, this.rxPartialCopy);
        this.settle(msg, Outcome.dropped); // exceeded: the slice has no room for the whole frame
        continue;
      }
      this.m.copy(this.k, this, msg, bytes, this.rxCopy);
      // Whoever is subscribed now gets the frame: a restarted app re-subscribed; not a stale identifier.
      msg.receiverGen = r.generation;
      const first = s.msgs.length === 0;
      s.used += bytes;
      s.msgs.push(msg);
      if (this.underTap) {
        // The tap upcalls for the first chunk in the slice only: a lost upcall is not retried (ethernet_tap.rs).
        if (first) this.upcall(r, PH.recv, null, 0, sys);
      } else if (!s.upcallQueued && this.upcall(r, PH.recv, null, 0, sys)) s.upcallQueued = true; // else retried with the next frame
    }
  }

  /** The app's "transmitted" upcall (its cost only). */
  protected txDone(p: ProcRt): void {
    if (p.alive) this.upcall(p, PH.extra2, null, 0, 0);
  }

  protected override onPhase(job: Job): void {
    if (job.phase === PH.extra) {
      const fn = this.conts.get(job);
      this.conts.delete(job);
      if (fn && !this.dead) fn();
    } else if (job.phase === PH.recv) {
      // The app swaps in a fresh buffer and reads the frames in the one it gets back.
      const s = this.rxSlices.get(job.proc!);
      if (!s) return;
      s.upcallQueued = false;
      if (s.msgs.length === 0) return;
      const msgs = s.msgs;
      s.msgs = [];
      s.used = 0;
      s.exceeded = false;
      for (const msg of msgs) this.settle(msg, Outcome.delivered);
      this.work(job.proc!, msgs.length, -1, job.proc!.forwards ? msgs.map((x) => x.valueId) : null);
    }
  }

  override peerDied(proc: ProcRt): void {
    const s = this.rxSlices.get(proc);
    if (s) {
      // Its buffer went with it; a restarted instance allows a fresh one (frames planned for it are failed then).
      for (const msg of s.msgs) this.settle(msg, Outcome.failed);
      s.msgs = [];
      s.used = 0;
      s.exceeded = false;
      s.upcallQueued = false;
    }
    // A frame waiting in the tap is still in the app's allow, which went with it.
    for (let i = this.tapWaiting.length - 1; i >= 0; i--) {
      const w = this.tapWaiting[i]!;
      if (w.out.proc !== proc) continue;
      removeIndex(this.tapWaiting, i);
      this.tapPending.delete(proc);
      this.leave(); // it waited in the tap
      this.settle(w.msg, Outcome.failed);
    }
  }

  // ------------------------------------------------------------- the ethernet tap's transmit side
  // capsules/extra/src/ethernet_tap.rs, over the Ethernet MAC, the CYW43 and VirtIO net: one frame pending per
  // process (a second transmit before the first is done gets BUSY, nothing copied); frames of other processes wait
  // in the tap, which hands the next one to the driver (the lowest process first, as it walks the grants) when the
  // driver has room, copying it out of the app's allow then. The MTU is checked when the tap tries a frame: at the
  // command when the driver has room (SIZE, returned at once), else when the frame's turn comes (SIZE reported by
  // the app's "transmitted" upcall, and the tap goes on to the next frame).
  private readonly tapPending = new Map<ProcRt, Msg>();
  private readonly tapWaiting: { out: OutRt; msg: Msg }[] = [];
  private tapInDriver = 0;

  /** Frames the driver takes at once (its TX descriptors or queue slots). */
  protected tapSlots(): number {
    return 1;
  }

  /** Starts the driver on a frame the tap hands over; the subclass calls `tapDone` when the driver is done. */
  protected tapStart(_out: OutRt, _msg: Msg): void {}

  /** Largest frame the tap passes to the driver (its MAX_MTU). */
  protected tapMtu(): number {
    return TAP_MTU_BYTES;
  }

  /**
   * The app's transmit command: false when it fails at once, nothing copied: its process already has a frame
   * pending (BUSY), or the driver has room and the frame is over the MTU (SIZE).
   */
  protected tapSubmit(out: OutRt, msg: Msg): boolean {
    if (this.tapPending.has(out.proc)) return false;
    if (msg.bytes > this.tapMtu() && this.tapInDriver < this.tapSlots()) return false;
    this.tapPending.set(out.proc, msg);
    this.enter(); // waiting in the tap counts as inside the device; the driver counts its own part
    this.tapWaiting.push({ out, msg });
    this.tapPump();
    return true;
  }

  /** The driver is done with a frame (sent or not): its process may transmit again; the tap hands on the next. */
  protected tapDone(out: OutRt, msg: Msg): void {
    this.tapInDriver--;
    if (this.tapPending.get(out.proc) === msg) this.tapPending.delete(out.proc);
    this.tapPump();
  }

  private tapPump(): void {
    const w = this.tapWaiting;
    while (this.tapInDriver < this.tapSlots() && w.length > 0) {
      let next = 0;
      for (let i = 1; i < w.length; i++) if (w[i]!.out.proc.idx < w[next]!.out.proc.idx) next = i;
      const { out, msg } = removeIndex(w, next);
      this.leave();
      if (msg.bytes > this.tapMtu()) {
        // SIZE, found when its turn came: the app learns it from its "transmitted" upcall.
        this.tapPending.delete(out.proc);
        this.settle(msg, Outcome.dropped);
        this.txDone(out.proc);
        continue;
      }
      this.tapInDriver++;
      this.tapStart(out, msg);
    }
  }

  kernelFailed(k: KernelRt): void {
    if (k !== this.kernel || this.dead) return;
    this.dead = true;
    this.timers.clear();
    this.conts.clear();
    for (const msg of [...this.live]) this.settle(msg, Outcome.failed);
    this.rxSlices.clear();
    this.inside = 0;
    this.setDepth(0);
  }

  /**
   * Inbound traffic (`rxWorkload` none / periodic / poisson at `ratePerSec`): `arrive` runs at each arrival.
   * Periodic arrivals fall at k / rate (k ≥ 1); Poisson gaps are exponential.
   */
  protected inbound(workload: string, ratePerSec: number, arrive: () => void): void {
    if (workload === 'none' || !(ratePerSec > 0)) return;
    const periodNs = 1e9 / ratePerSec;
    let k = 0;
    const tick = (): void => {
      const delay = workload === 'periodic' ? Math.round(++k * periodNs) - this.m.now : Math.max(1, Math.round((-Math.log(1 - this.rng.next()) * 1e9) / ratePerSec));
      this.after(Math.max(1, delay), () => {
        tick();
        arrive();
      });
    };
    tick();
  }
}

// ------------------------------------------------------------------------------------------ STM32 Ethernet
/**
 * STM32F429 Ethernet MAC (PR #4524) under the ethernet tap capsule. RMII at the link speed; full duplex (a TX and
 * an RX wire). RX: a frame crosses the wire; at its end it needs a free RX DMA descriptor (none → the MAC drops
 * it; the 2 KB RX FIFO is taken to hold one frame while it waits [E]); DMA into the kernel buffer (no CPU copy);
 * the RX interrupt's bottom half copies tapHeaderBytes + frame into every subscribed app (1 copy each) and gives
 * the descriptor back. TX: the app's allow + command copies the frame into the kernel buffer (1 copy); no free TX
 * descriptor → BUSY; DMA to the wire; the TX-complete interrupt frees the descriptor and upcalls the app.
 * Frames are taken as given (FCS not added); frames over mtuBytes are refused (SIZE) or dropped by the MAC.
 */
class Stm32Ethernet extends Peripheral {
  private readonly rxWire = new Medium(this);
  private readonly txWire = new Medium(this);
  private rxInUse = 0;

  start(): void {
    this.inbound(this.p.rxWorkload as string, num(this.p, 'rxRatePerSec'), () => this.arrive());
  }

  private arrive(): void {
    const bytes = num(this.p, 'rxPayloadBytes');
    const msgs = this.arrivals(bytes);
    if (this.down || bytes > num(this.p, 'mtuBytes')) {
      this.loseAll(msgs);
      return;
    }
    const epoch = this.epoch;
    this.enter();
    this.rxWire.use(ethernetWireNs(bytes, this.p), () => {
      if (this.cut(epoch) || this.rxInUse >= num(this.p, 'rxDescriptors')) {
        this.leave();
        this.loseAll(msgs);
        return;
      }
      this.rxInUse++;
      const perApp = num(this.p, 'tapHeaderBytes') + bytes;
      this.kwork(this.isrCycles + this.planFanOut(msgs, perApp), 0, () => {
        this.rxInUse--;
        this.leave();
        this.fanOut(msgs, perApp, 1); // the app swaps its StreamingProcessSlice: 1 allow
      });
    });
  }

  /** The copy out of the app's allow is the tap's, when it hands the frame to the driver (`tapStart`). */
  protected override sendCopyCycles(): number {
    return 0;
  }

  protected override tapSlots(): number {
    return num(this.p, 'txDescriptors');
  }

  protected override tapMtu(): number {
    return num(this.p, 'mtuBytes');
  }

  protected onSend(out: OutRt, sendNs: number): void {
    const msg = this.txMsg(out, out.payloadBytes, sendNs);
    if (!this.tapSubmit(out, msg)) this.settle(msg, Outcome.dropped); // BUSY, or SIZE: refused before the copy
  }

  /** The tap copies the frame into the kernel's TX buffer and gives the DMA a descriptor; then the wire. */
  protected override tapStart(out: OutRt, msg: Msg): void {
    const bytes = msg.bytes;
    this.enter();
    this.kwork(bytes / this.k.costs.copyBytesPerCycle, 0, () => {
      this.m.copy(this.k, this, msg, bytes, this.tapCopy);
      const epoch = this.epoch;
      this.txWire.use(ethernetWireNs(bytes, this.p), () => {
        this.settle(msg, this.cut(epoch) ? Outcome.dropped : Outcome.delivered);
        this.kwork(this.isrCycles, 0, () => {
          this.leave();
          this.tapDone(out, msg);
          this.txDone(out.proc);
        });
      });
    });
  }
}

// ------------------------------------------------------------------------------------------ CYW43439
/**
 * CYW43439 (Pico W) with the CYW driver carrying the Ethernet-style datapath. The host bus (gSPI over PIO, half
 * duplex, 1 bit/clock; or SDIO 4-bit) is one medium: every transaction pays a command word and a status word;
 * WLAN packets (F2) carry SDPCM + padding + BDC headers on channel 2 and are split into transactions of
 * ≤ maxF2Bytes; every transfer is padded to whole 32-bit words. Boot (cywBootNs): the driver's fixed waits, firmware
 * and NVRAM over F1, the CLM and bootIoctls IOCTLs on channel 0; no RX or TX before that (sends are refused, nobody
 * sends to an unassociated station). The air side is a second medium (half duplex, shared by RX and TX) at
 * airRateBps. Apps reach the datapath through the ethernet tap capsule (ethernet_tap.rs), as over the Ethernet MAC.
 * RX: air → interrupt register read + F2 read → interrupt handler: the driver copies the packet out of the bus
 * buffer (memcpy), the tap copies its 12-byte header + the frame into every subscribed app (1 copy each). TX: the
 * tap refuses a second frame of a process whose last one is still pending (BUSY), nothing copied; other
 * processes' frames wait in the tap. The driver holds one frame: when it is free, the tap copies the next out of
 * the app's allow, the driver copies it into its buffer behind the headers and the bus layer copies that packet
 * behind its command word (3 copies, the last two at the memcpy rate); the frame waits for a credit (txCredits
 * frames may be at the chip), crosses the bus, frees the driver buffer (interrupt, "transmitted" upcall), crosses
 * the air; the chip returns the credit once the frame is on air. (Upstream, the driver's TX completion is still a
 * todo!(): the model follows the datapath as designed.)
 */
class Cyw43439 extends Peripheral {
  private readonly txDriverCopy = this.copySite("tap's TX buffer → driver buffer (memcpy)");
  private readonly txBusCopy = this.copySite('driver buffer → bus buffer, behind the command word (memcpy)');
  private readonly rxDriverSite = this.copySite('bus buffer → driver buffer (memcpy)');
  private readonly bus = new Medium(this);
  private readonly air = new Medium(this);
  private up = false;
  private credits = 0;
  private readonly creditWaiters: (() => void)[] = [];

  start(): void {
    this.credits = num(this.p, 'txCredits');
    this.bus.use(cywBootNs(this.p), () => {
      this.up = true;
    });
    this.inbound(this.p.rxWorkload as string, num(this.p, 'rxRatePerSec'), () => this.arrive());
  }

  /** SDPCM header, BDC padding and BDC header before the frame in a WLAN data packet (driver.rs send_bdc). */
  private get dataHeaders(): number {
    return num(this.p, 'sdpcmHeaderBytes') + num(this.p, 'bdcPaddingBytes') + num(this.p, 'bdcHeaderBytes');
  }

  /** The driver copies an RX packet out of the bus buffer into its own (spi.rs): one copy, on every app's message. */
  private rxDriverCopy(msgs: readonly Msg[], packet: number): void {
    this.copies++;
    this.bytesCopied += packet;
    this.rxDriverSite.copies++;
    this.rxDriverSite.bytes += packet;
    for (const msg of msgs) if (!msg.resolved) this.pathCopy(msg, packet);
  }

  private arrive(): void {
    if (!this.up) return; // not associated yet: no traffic
    const bytes = num(this.p, 'rxPayloadBytes');
    const msgs = this.arrivals(bytes);
    if (this.down) {
      this.loseAll(msgs);
      return;
    }
    const epoch = this.epoch;
    this.enter();
    this.air.use(cywAirNs(bytes, this.p), () => {
      if (this.cut(epoch)) {
        this.leave();
        this.loseAll(msgs);
        return;
      }
      // The driver reads the interrupt register, then the packet.
      const packet = this.dataHeaders + bytes;
      this.bus.use(cywTransactionNs(CYW_IRQ_READ_BYTES, this.p) + cywF2Ns(packet, this.p), () => {
        // The driver copies the packet out of the bus buffer; the tap copies the frame behind its header into every
        // subscribed app.
        const perApp = TAP_HEADER_BYTES + bytes;
        this.kwork(this.isrCycles + packet / this.k.costs.memcpyBytesPerCycle + this.planFanOut(msgs, perApp), 0, () => {
          this.leave();
          this.rxDriverCopy(msgs, packet);
          this.fanOut(msgs, perApp, 1);
        });
      });
    });
  }

  /** The copy out of the app's allow is the tap's, when it hands the frame to the driver (`tapStart`). */
  protected override sendCopyCycles(): number {
    return 0;
  }

  protected onSend(out: OutRt, sendNs: number): void {
    const msg = this.txMsg(out, out.payloadBytes, sendNs);
    if (!this.up || this.down) {
      this.settle(msg, Outcome.dropped); // the link is not up
      return;
    }
    if (!this.tapSubmit(out, msg)) this.settle(msg, Outcome.dropped); // BUSY, or SIZE: refused before the copy
  }

  /**
   * The tap copies the frame into the driver's buffer (one frame: tapSlots 1); the frame waits for a credit,
   * crosses the bus, frees the driver buffer (interrupt, "transmitted" upcall), then crosses the air.
   */
  protected override tapStart(out: OutRt, msg: Msg): void {
    const bytes = msg.bytes;
    const packet = this.dataHeaders + bytes;
    const k = this.k;
    this.enter();
    // Three copies in the tap's call into the driver: the tap's out of the app's allow, the driver's into its buffer
    // behind the SDPCM/BDC headers (send_bdc), the bus layer's of that packet behind its command word (write_bytes).
    this.kwork(bytes / k.costs.copyBytesPerCycle + (bytes + packet) / k.costs.memcpyBytesPerCycle, 0, () => {
      this.m.copy(k, this, msg, bytes, this.tapCopy);
      this.m.memcpy(k, this, msg, bytes, this.txDriverCopy);
      this.m.memcpy(k, this, msg, packet, this.txBusCopy);
      this.withCredit(() => {
        this.credits--;
        this.bus.use(cywF2Ns(packet, this.p), () => {
          this.kwork(this.isrCycles, 0, () => {
            this.tapDone(out, msg);
            this.txDone(out.proc);
          });
          const epoch = this.epoch;
          this.air.use(cywAirNs(bytes, this.p), () => {
            this.leave();
            this.settle(msg, this.cut(epoch) ? Outcome.dropped : Outcome.delivered);
            this.credits++;
            const next = this.creditWaiters.shift();
            if (next) next();
          });
        });
      });
    });
  }

  /** Runs `fn` when a credit is available (sdpcm_seq != bus_data_credit), in order. */
  private withCredit(fn: () => void): void {
    if (this.credits > 0 && this.creditWaiters.length === 0) fn();
    else this.creditWaiters.push(fn);
  }
}

// ------------------------------------------------------------------------------------------ VirtIO
/** A VirtIO queue: slots free for requests and the device processing them one at a time. */
interface Queue {
  free: number;
  device: Medium;
}

/**
 * VirtIO over MMIO on QEMU. A request: descriptors → available ring → QueueNotify (notifyCostNs of CPU time on the
 * kernel: a QEMU exit) → the device (deviceLatencyNs; one request at a time per queue) → used ring + interrupt →
 * the driver's handler (exception entry/exit; reading InterruptStatus and writing InterruptAck are taken as part
 * of it [E]) → the capsule (copies happen there; the driver copies nothing). Descriptors in use never exceed the
 * queue size: a full queue refuses a request (BUSY → `dropped`). An inbound net frame that finds no RX buffer
 * posted waits in QEMU's net queue (up to hostQueueFrames) until the driver re-posts one; virtio-input drops it.
 */
abstract class Virtio extends Peripheral {
  /** The capsule's copy of a request out of the app's allow (gpu commands). */
  protected readonly txCommandCopy = this.copySite("app's allow → capsule");
  protected get notifyNs(): number {
    return num(this.p, 'notifyCostNs');
  }
  protected get deviceNs(): number {
    return num(this.p, 'deviceLatencyNs');
  }
  protected queue(slots: number): Queue {
    return { free: slots, device: new Medium(this) };
  }

  /**
   * Sends a request through `q`: no free slot → `msg` is dropped (BUSY) and false is returned. Otherwise notify →
   * device → at the used ring `used(cut)` runs (cut: the link went down meanwhile) and returns the extra cycles of
   * the capsule's work in the interrupt handler; when the handler is done the slot is free and `handled()` runs.
   */
  protected request(q: Queue, msg: Msg, used: (cut: boolean) => number, handled: () => void): boolean {
    if (q.free === 0) {
      this.settle(msg, Outcome.dropped);
      return false;
    }
    q.free--;
    this.enter();
    this.kwork(0, this.notifyNs, () => {
      const epoch = this.epoch;
      q.device.use(this.deviceNs, () => {
        const extra = used(this.cut(epoch));
        this.kwork(this.isrCycles + extra, 0, () => {
          q.free++;
          this.leave();
          handled();
        });
      });
    });
    return true;
  }

  /** The TX of net and gpu: 1 copy of the app's buffer into the capsule, then a request; delivered at the used ring. */
  protected transmit(q: Queue, out: OutRt, sendNs: number): void {
    const bytes = out.payloadBytes;
    const msg = this.txMsg(out, bytes, sendNs);
    this.m.copy(out.proc.kernel, this, msg, bytes, this.txCommandCopy);
    if (this.down) {
      this.settle(msg, Outcome.dropped);
      return;
    }
    this.request(
      q,
      msg,
      (cut) => {
        this.settle(msg, cut ? Outcome.dropped : Outcome.delivered);
        return 0;
      },
      () => this.txDone(out.proc),
    );
  }

  protected override sendCopyCycles(out: OutRt, k: KernelRt): number {
    return out.payloadBytes / k.costs.copyBytesPerCycle;
  }
}

/**
 * VirtIO net: TX and RX queues of 2-descriptor chains (12-byte virtio-net header + frame), so ⌊size / 2⌋ frames
 * per queue, under the ethernet tap capsule (as on qemu_rv32_virt). RX: the driver keeps every RX buffer posted; a
 * frame that finds none waits in QEMU's net queue (up to hostQueueFrames, then dropped) until one is; the interrupt's
 * bottom half has the tap copy the frame, behind its 12-byte header, into every subscribed app (1 copy each) and
 * re-posts the buffer (available ring + QueueNotify). TX through the tap: one frame pending per process, 1 copy
 * from the app's allow when the tap hands it to the driver; frames over the tap's 1,518-byte MTU are refused.
 */
class VirtioNet extends Virtio {
  private readonly tx = this.queue(virtioChains(num(this.p, 'txQueueSize')));
  private readonly rxDevice = new Medium(this);
  private rxFree = virtioChains(num(this.p, 'rxQueueSize'));
  /** Inbound frames QEMU holds while no RX buffer is posted (net/queue.c), oldest first, with the link epoch. */
  private readonly hostQueue: { msgs: Msg[]; epoch: number }[] = [];
  private hostHead = 0;

  start(): void {
    this.inbound(this.p.rxWorkload as string, num(this.p, 'rxRatePerSec'), () => this.arrive());
  }

  private arrive(): void {
    const msgs = this.arrivals(num(this.p, 'rxPayloadBytes'));
    if (this.down) {
      this.loseAll(msgs);
      return;
    }
    if (this.rxFree === 0 || this.hostHead < this.hostQueue.length) {
      // No RX buffer posted: QEMU queues the frame (and delivers in order) up to its limit, then drops.
      if (this.hostQueue.length - this.hostHead >= num(this.p, 'hostQueueFrames')) {
        this.loseAll(msgs);
        return;
      }
      this.enter();
      this.hostQueue.push({ msgs, epoch: this.epoch });
      return;
    }
    this.enter();
    this.receive(msgs, this.epoch);
  }

  /** The device fills a posted buffer with the frame (already counted inside), then the used ring and the interrupt. */
  private receive(msgs: Msg[], epoch: number): void {
    const bytes = num(this.p, 'rxPayloadBytes');
    this.rxFree--;
    this.rxDevice.use(this.deviceNs, () => {
      if (this.cut(epoch)) {
        this.leave();
        this.loseAll(msgs);
        this.repost();
        return;
      }
      // The tap copies the frame behind its header into every subscribed app.
      const perApp = TAP_HEADER_BYTES + bytes;
      this.kwork(this.isrCycles + this.planFanOut(msgs, perApp), this.notifyNs, () => {
        this.leave();
        this.fanOut(msgs, perApp, 1);
        this.repost();
      });
    });
  }

  /** A buffer is posted again: QEMU flushes its queue into the free buffers (virtio_net_handle_rx). */
  private repost(): void {
    this.rxFree++;
    const q = this.hostQueue;
    while (this.rxFree > 0 && this.hostHead < q.length) {
      const { msgs, epoch } = q[this.hostHead++]!;
      if (this.cut(epoch)) {
        this.leave();
        this.loseAll(msgs); // the link went down while it waited
      } else this.receive(msgs, epoch);
    }
    if (this.hostHead === q.length) {
      q.length = 0;
      this.hostHead = 0;
    } else if (this.hostHead > 1024 && this.hostHead * 2 > q.length) {
      q.splice(0, this.hostHead);
      this.hostHead = 0;
    }
  }

  /** The copy out of the app's allow is the tap's, when it hands the frame to the driver (`tapStart`). */
  protected override sendCopyCycles(): number {
    return 0;
  }

  protected override tapSlots(): number {
    return virtioChains(num(this.p, 'txQueueSize'));
  }

  protected onSend(out: OutRt, sendNs: number): void {
    const msg = this.txMsg(out, out.payloadBytes, sendNs);
    if (this.down) {
      this.settle(msg, Outcome.dropped); // the link is down
      return;
    }
    if (!this.tapSubmit(out, msg)) this.settle(msg, Outcome.dropped); // BUSY, or SIZE: refused before the copy
  }

  /** The tap copies the frame out of the app's allow, then the driver's request (notify → device → used ring). */
  protected override tapStart(out: OutRt, msg: Msg): void {
    const bytes = msg.bytes;
    this.kwork(bytes / this.k.costs.copyBytesPerCycle, 0, () => {
      this.m.copy(this.k, this, msg, bytes, this.tapCopy);
      const done = (): void => {
        this.tapDone(out, msg);
        this.txDone(out.proc);
      };
      if (this.down) {
        this.settle(msg, Outcome.dropped);
        done();
        return;
      }
      this.request(
        this.tx,
        msg,
        (cut) => {
          this.settle(msg, cut ? Outcome.dropped : Outcome.delivered);
          return 0;
        },
        done,
      );
    });
  }
}

/** VirtIO GPU: draw commands on the control queue (request + response descriptors: ⌊size / 2⌋ in flight). */
class VirtioGpu extends Virtio {
  private readonly ctl = this.queue(virtioChains(num(this.p, 'queueSize')));
  protected onSend(out: OutRt, sendNs: number): void {
    this.transmit(this.ctl, out, sendNs);
  }
}

/**
 * VirtIO RNG: an app allows a buffer of payloadBytes and asks for entropy (allow + command, nothing copied yet);
 * one descriptor per request (queue of 1 by default). The request (`app>rng`) is delivered when the device has
 * filled the buffer (used ring); the interrupt's bottom half copies the bytes to the requesting app (1 copy) and
 * upcalls it: that reply is the `rng>app` message (sent with the request) when the app is connected to `rx`.
 */
class VirtioRng extends Virtio {
  private readonly rngCopy = this.copySite("device buffer → app's allow");
  private readonly q = this.queue(num(this.p, 'queueSize'));
  protected override sendCopyCycles(): number {
    return 0;
  }
  protected onSend(out: OutRt, sendNs: number): void {
    const app = out.proc;
    const bytes = out.payloadBytes;
    const req = this.txMsg(out, bytes, sendNs);
    const reply = this.receivers.includes(app) ? this.rxMsg(app, bytes, sendNs) : null;
    if (this.down) {
      this.loseAll(reply ? [req, reply] : [req]);
      return;
    }
    const ok = this.request(
      this.q,
      req,
      (cut) => {
        if (cut) {
          this.loseAll(reply ? [req, reply] : [req]);
          return 0;
        }
        this.settle(req, Outcome.delivered);
        if (reply) return this.planFanOut([reply], bytes);
        return app.alive ? bytes / this.k.costs.copyBytesPerCycle : 0;
      },
      () => {
        if (reply) this.fanOut([reply], bytes, 0);
        else if (app.alive) {
          this.m.copy(this.k, this, null, bytes, this.rngCopy);
          this.txDone(app);
        }
      },
    );
    if (!ok && reply) this.settle(reply, Outcome.dropped);
  }
}

/**
 * VirtIO input: eventQueueSize event buffers of eventBytes, all posted; events arrive at eventRatePerSec (Poisson);
 * an event finding no posted buffer is dropped by the device; the interrupt's bottom half copies the event into
 * every subscribed app (1 copy each) and re-posts the buffer (no QueueNotify cost in the catalog for this device).
 */
class VirtioInput extends Virtio {
  private readonly device = new Medium(this);
  private free = num(this.p, 'eventQueueSize');
  protected override get notifyNs(): number {
    return 0;
  }
  start(): void {
    this.inbound('poisson', num(this.p, 'eventRatePerSec'), () => this.arrive());
  }
  private arrive(): void {
    const bytes = num(this.p, 'eventBytes');
    const msgs = this.arrivals(bytes);
    if (this.down || this.free === 0) {
      this.loseAll(msgs);
      return;
    }
    this.free--;
    this.enter();
    const epoch = this.epoch;
    this.device.use(this.deviceNs, () => {
      if (this.cut(epoch)) {
        this.free++;
        this.leave();
        this.loseAll(msgs);
        return;
      }
      this.kwork(this.isrCycles + this.planFanOut(msgs, bytes), 0, () => {
        this.free++;
        this.leave();
        this.fanOut(msgs, bytes, 0);
      });
    });
  }
  protected onSend(): void {}
}

// ------------------------------------------------------------------------------------------ CAN
/**
 * CAN signal source: valueIds signals, each sent every periodNs, round robin — one frame every periodNs / valueIds,
 * each displaced by a uniform ±jitterNs (the nominal schedule does not drift). A frame occupies the bus for
 * canFrameBits(frameBytes) / bitrateBps; at its end the RX interrupt's handler (exception entry/exit) has the CAN
 * capsule copy the frame payload into every connected app (1 copy each) and upcall it. The message counts as sent
 * when the frame is queued for the bus.
 */
class CanSource extends Peripheral {
  private readonly bus = new Medium(this);
  private nominal = 0;
  private valueId = 0;

  start(): void {
    this.next();
  }

  private next(): void {
    const interval = num(this.p, 'periodNs') / num(this.p, 'valueIds');
    const j = num(this.p, 'jitterNs');
    this.nominal += interval;
    const at = Math.max(this.m.now, Math.round(this.nominal + (j > 0 ? (this.rng.next() * 2 - 1) * j : 0)));
    this.after(at - this.m.now, () => {
      this.next();
      this.frame();
    });
  }

  private frame(): void {
    const bytes = num(this.p, 'frameBytes');
    const msgs = this.arrivals(bytes);
    for (const msg of msgs) msg.valueId = this.valueId;
    this.valueId = (this.valueId + 1) % num(this.p, 'valueIds');
    if (this.down) {
      this.loseAll(msgs);
      return;
    }
    const epoch = this.epoch;
    this.enter();
    this.bus.use(bitsNs(canFrameBits(bytes), num(this.p, 'bitrateBps')), () => {
      if (this.cut(epoch)) {
        this.leave();
        this.loseAll(msgs);
        return;
      }
      this.kwork(this.isrCycles + this.planFanOut(msgs, bytes), 0, () => {
        this.leave();
        this.fanOut(msgs, bytes, 0);
      });
    });
  }

  protected onSend(): void {}
}

/** Builds the runtime of a peripheral node. */
export function makePeripheral(m: TockModel, node: DesignNode, idx: number): ChannelRt {
  switch (node.kind) {
    case 'stm32Ethernet':
      return new Stm32Ethernet(m, node, idx);
    case 'cyw43439':
      return new Cyw43439(m, node, idx);
    case 'virtioNet':
      return new VirtioNet(m, node, idx);
    case 'virtioGpu':
      return new VirtioGpu(m, node, idx);
    case 'virtioRng':
      return new VirtioRng(m, node, idx);
    case 'virtioInput':
      return new VirtioInput(m, node, idx);
    case 'canSource':
      return new CanSource(m, node, idx);
    default:
      throw new NotModelledError(`"${node.name}" (${node.kind}): ${getKind(node.kind)?.category === 'peripheral' ? 'this peripheral is' : 'this kind is'} not simulated`);
  }
}
