import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getKind, type ParamValue } from '../../../../src-shared/catalog';
import { parseDesignText, validateDesign } from '../../../../src-shared/model';
import { canFrameBits } from '../../../../src-shared/model/deviceTiming';
import { MemoryRecorder } from '../../../../src-main/engine/core/recorder';
import { runDesign } from '../../../../src-main/engine/tock/run';
import { DesignBuilder } from '../../../fixtures/builder';
import { flow, run } from './helpers';

// Every expected time below is worked out by hand from the catalog defaults (tock-model §5–6):
// STM32F429: 50 MHz → 20 ns/cycle; exception entry 12 + exit 10; syscall 400; upcall 640; kernel copy 0.33 B/cycle.
// RP2040: 125 MHz → 8 ns/cycle; exception entry 15 + exit 10; syscall 550; upcall 790; kernel copy 0.25 B/cycle.
// qemu_rv32_virt: 100 MHz → 10 ns/cycle; exception entry/exit 0; syscall 2,300; upcall 2,560; copy 0.33 B/cycle.
// A periodic sender's job is its alarm upcall + app work (1,000 cycles) + allow + command (+ the copy into the
// capsule); its message counts as sent when the syscalls start, i.e. after upcall + app work.
const US = 1_000;
const MS = 1_000_000;
type P = Record<string, ParamValue>;

/** One peripheral in kernel `k` with receiving apps `r…` on rx and sending apps `s…` on tx. */
function device(kind: string, params: P, chip: string, opts: { rx?: number; tx?: P[]; durationNs?: number; rxApp?: P } = {}): DesignBuilder {
  const b = new DesignBuilder(kind, { durationNs: opts.durationNs ?? 100 * MS }).kernel('k', { chip }).node('dev', kind, 'k', params);
  for (let i = 0; i < (opts.rx ?? 0); i++) b.node(`r${i}`, 'process', 'k', { workload: 'none', ...opts.rxApp }).edge('dev', `r${i}`, 'rx', 'in');
  (opts.tx ?? []).forEach((p, i) => b.node(`s${i}`, 'process', 'k', { messageLimit: 1, ...p }).edge(`s${i}`, 'dev', 'out', 'tx'));
  return b;
}

const one = (x: number): { mean: number; p50: number; p90: number; p99: number; max: number } => ({ mean: x, p50: x, p90: x, p99: x, max: x });

/**
 * A device `dev` whose receiver r0 has one upcall slot, kept full by its own alarm: every 1 ms, a 2 ms handler
 * (100,000 cycles on the STM32F429) that notifies a sink.
 */
function busyReceiver(durationNs: number, kind: string, params: P): DesignBuilder {
  return new DesignBuilder('busy-receiver', { durationNs })
    .kernel('k', { chip: 'stm32f429', upcallQueueEntries: 1 })
    .node('dev', kind, 'k', params)
    .node('r0', 'process', 'k', { workload: 'periodic', periodNs: 1 * MS, appCycles: 100_000 })
    .node('n', 'notification', 'k')
    .node('sink', 'process', 'k', { workload: 'none' })
    .edge('dev', 'r0', 'rx', 'in')
    .edge('r0', 'n')
    .edge('n', 'sink');
}

describe('STM32 Ethernet MAC (RMII, tap capsule)', () => {
  const eth = (params: P, opts: Parameters<typeof device>[3] = {}): DesignBuilder => device('stm32Ethernet', { rxWorkload: 'none', ...params }, 'stm32f429', opts);

  it('TX: a 1,518-byte frame takes (8 + 1,518 + 12) × 8 / 100 Mbit/s = 123.04 µs on the wire, after 1 copy', () => {
    const { s } = run(eth({}, { tx: [{ payloadBytes: 1_518 }] }).build());
    const f = flow(s, 's0', 'dev');
    // allow + command 800 cycles + copy 1,518 / 0.33 = 4,600 cycles → 5,400 × 20 = 108,000 ns; wire 123,040 ns.
    expect(f.latencyNs).toEqual(one(108_000 + 123_040));
    expect(f).toMatchObject({ sent: 1, delivered: 1, copiesPerMessage: 1, bytesCopied: 1_518 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 1, bytesCopied: 1_518, drops: 0 });
    // 10 Mbit/s: ten times the wire time.
    const slow = run(eth({ linkSpeed: '10M' }, { tx: [{ payloadBytes: 1_518 }] }).build()).s;
    expect(flow(slow, 's0', 'dev').latencyNs.max).toBe(108_000 + 1_230_400);
  });

  it('pads frames shorter than 64 B on the wire', () => {
    const { s } = run(eth({}, { tx: [{ payloadBytes: 33 }] }).build());
    // allow + command 800 + copy 33 / 0.33 = 100 cycles → 18,000 ns; wire (8 + 64 + 12) × 80 ns = 6,720 ns.
    expect(flow(s, 's0', 'dev').latencyNs.max).toBe(18_000 + 6_720);
  });

  it('RX: DMA (no CPU copy), then 1 copy of header + frame into the subscribed app, and its upcall', () => {
    // Periodic inbound frames at 100/s: the first arrives at 10 ms; the run ends before the second.
    const { s } = run(eth({ rxWorkload: 'periodic', rxRatePerSec: 100, rxPayloadBytes: 1_518 }, { rx: 1, durationNs: 15 * MS }).build());
    const f = flow(s, 'dev', 'r0');
    // wire 123,040; interrupt: 12 + 10 + (12 + 1,518) / 0.33 = 4,658.36 cycles → 93,167 ns; the app's upcall +
    // allow (slice swap) 1,040 cycles → 20,800 ns.
    expect(f.latencyNs).toEqual(one(123_040 + 93_167 + 20_800));
    expect(f).toMatchObject({ sent: 1, delivered: 1, copiesPerMessage: 1, bytesCopied: 1_530 });
  });

  it('RX to 3 apps: 3 copies per frame after the DMA, each with the 12-byte tap header', () => {
    const { s } = run(eth({ rxWorkload: 'periodic', rxRatePerSec: 1_000, rxPayloadBytes: 600 }, { rx: 3, durationNs: 50 * MS + 500 * US }).build());
    for (const r of ['r0', 'r1', 'r2']) expect(flow(s, 'dev', r)).toMatchObject({ sent: 50, delivered: 50, copiesPerMessage: 1, bytesCopied: 50 * 612 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 150, bytesCopied: 150 * 612, drops: 0 });
    // One interrupt copies for all three: wire (8 + 600 + 12) × 80 = 49,600; 22 + 3 × 612 / 0.33 = 5,585.64
    // cycles → 111,713 ns; the three upcalls (20,800 ns each) and app work (20,000 ns) run one after the other,
    // so per frame the apps see L, L + 40,800 and L + 81,600 (which app is first rotates with the scheduler).
    const L = 49_600 + 111_713 + 20_800;
    const stats = ['r0', 'r1', 'r2'].map((r) => flow(s, 'dev', r).latencyNs);
    expect(stats.reduce((a, x) => a + x.mean, 0)).toBeCloseTo(3 * L + 122_400, 6);
    expect(Math.max(...stats.map((x) => x.max))).toBe(L + 81_600);
  });

  it('the tap holds one frame per process: a second while the first is pending gets BUSY, nothing copied', () => {
    // No app work: the second frame's allow + command (800 cycles) ends long before the first frame has left.
    const burst = { workload: 'burst', burstSize: 2, burstPeriodNs: 50 * MS, payloadBytes: 1_518, messageLimit: 2, appCycles: 0 };
    for (const txDescriptors of [1, 2]) {
      const s = run(eth({ txDescriptors }, { tx: [burst] }).build()).s;
      expect(flow(s, 's0', 'dev')).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
      // ethernet_tap.rs checks the process's pending frame before copying anything.
      expect(s.mechanisms[0]).toMatchObject({ copies: 1, drops: 1, maxDepth: 1 });
    }
  });

  it('frames of other processes wait in the tap for the TX descriptor (queued, not refused); two descriptors take both', () => {
    // s0 and s1 send 1,518 B at the same time (no app work). s0: alarm upcall 640 cycles (its mark at 12.8 µs),
    // allow + command 800 (to 28.8 µs); the tap copies its frame (4,600 cycles, 92 µs: kernel work, before s1)
    // and puts it on the wire (120.8 → 243.84 µs). s1: mark at 133.6 µs, command done at 149.6 µs; its frame
    // waits in the tap until s0's TX interrupt (12 + 10 cycles: 244.28 µs), then copy and wire: 459.32 µs.
    const frame = { payloadBytes: 1_518, appCycles: 0 };
    const one1 = run(eth({}, { tx: [frame, frame] }).build()).s;
    const f0 = flow(one1, 's0', 'dev');
    const f1 = flow(one1, 's1', 'dev');
    expect([f0.delivered, f1.delivered, f0.dropped + f1.dropped]).toEqual([1, 1, 0]);
    expect(f0.latencyNs.max).toBe(16_000 + 92_000 + 123_040);
    expect(f1.latencyNs.max).toBe(459_320 - 133_600);
    expect(one1.mechanisms[0]).toMatchObject({ copies: 2, drops: 0, maxDepth: 2 });
    // Two descriptors: the tap hands both on at once (the copies one after the other, then the wire in turn).
    const two = run(eth({ txDescriptors: 2 }, { tx: [frame, frame] }).build()).s;
    expect(flow(two, 's1', 'dev').latencyNs.max).toBeLessThan(f1.latencyNs.max);
  });

  it('refuses a frame over the MTU (SIZE) before copying it', () => {
    const { s } = run(eth({ mtuBytes: 1_000 }, { tx: [{ payloadBytes: 1_200 }] }).build());
    expect(flow(s, 's0', 'dev')).toMatchObject({ sent: 1, delivered: 0, dropped: 1, bytesCopied: 0 });
  });

  it('a frame over the MTU sent while the descriptor is busy waits in the tap, fails (SIZE) at its turn, and the next goes', () => {
    // s0, s1, s2 send at the same time (no app work); s0's 900-byte frame takes the descriptor. s1's 1,200 B and
    // s2's 900 B wait in the tap (the command succeeds). At s0's TX interrupt the tap tries s1's: over the 1,000-byte
    // MTU, nothing copied, s1 gets its "transmitted" upcall with SIZE; the tap goes on to s2's.
    const { s } = run(eth({ mtuBytes: 1_000 }, { tx: [{ payloadBytes: 900, appCycles: 0 }, { payloadBytes: 1_200, appCycles: 0 }, { payloadBytes: 900, appCycles: 0 }] }).build());
    expect(flow(s, 's0', 'dev')).toMatchObject({ delivered: 1, dropped: 0 });
    expect(flow(s, 's1', 'dev')).toMatchObject({ sent: 1, delivered: 0, dropped: 1, bytesCopied: 0 });
    expect(flow(s, 's2', 'dev')).toMatchObject({ delivered: 1, dropped: 0 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 2, bytesCopied: 1_800, drops: 1, maxDepth: 3 });
    // s1 learnt of the failure by its upcall, as it would have learnt of a sent frame: the same syscalls (each upcall
    // is the return of a yield) and context switches as when all three frames go.
    const allGo = run(eth({ mtuBytes: 1_000 }, { tx: [{ payloadBytes: 900, appCycles: 0 }, { payloadBytes: 900, appCycles: 0 }, { payloadBytes: 900, appCycles: 0 }] }).build()).s;
    expect(s.kernels[0]).toMatchObject({ syscalls: allGo.kernels[0]!.syscalls, contextSwitches: allGo.kernels[0]!.contextSwitches });
  });

  it('drops inbound frames while every RX descriptor is held; more descriptors absorb the bursts', () => {
    // Poisson 1,500-byte frames at 4,000/s to two apps: after its 123 µs on the wire a frame holds its descriptor
    // through the interrupt handler's two copies (2 × 4,582 cycles ≈ 183 µs), longer than the next frame's wire
    // time, so with one descriptor a frame completing meanwhile is dropped.
    // The apps' slices are made large enough that only the descriptors limit (the next test is about the slices).
    const mk = (rxDescriptors: number): ReturnType<typeof run>['s'] =>
      run(eth({ rxWorkload: 'poisson', rxRatePerSec: 4_000, rxPayloadBytes: 1_500, rxDescriptors, rxSliceBytes: 1_048_576 }, { rx: 2, durationNs: 100 * MS }).build()).s;
    const d1 = flow(mk(1), 'dev', 'r0');
    expect(d1.dropped).toBeGreaterThan(0);
    expect(d1.delivered + d1.dropped).toBeLessThanOrEqual(d1.sent);
    const d8 = flow(mk(8), 'dev', 'r0');
    expect(d8.sent).toBe(d1.sent); // the same arrivals (same seed)
    expect(d8.dropped).toBe(0);
  });

  it('RX into the app\'s slice: frames pile up while the app is busy; one that does not fit is dropped after a partial copy', () => {
    // Frames of 1,500 B every 1 ms (the first at 1 ms); the app works 500,000 cycles (10 ms) on each batch it reads.
    // Frame 1 is read at once; frames 2 and 3 fill its fresh slice: 4,096 − 8 (slice header) = 4,088 B of data,
    // 2 × (12 + 1,500) = 3,024 B used. Frames 4…10 find 1,064 B of room: the kernel copies those 1,064 B (the
    // append copies until the slice ends), sets `exceeded`, and the frame is dropped for the app. The run ends at
    // 10.5 ms, with frames 2 and 3 still in the slice (their one upcall waits behind the app's work).
    const mk = (rxSliceBytes: number): ReturnType<typeof run>['s'] =>
      run(eth({ rxWorkload: 'periodic', rxRatePerSec: 1_000, rxPayloadBytes: 1_500, rxSliceBytes }, { rx: 1, durationNs: 10.5 * MS, rxApp: { appCycles: 500_000 } }).build()).s;
    const s = mk(4_096);
    expect(flow(s, 'dev', 'r0')).toMatchObject({ sent: 10, delivered: 1, dropped: 7, inFlight: 2 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 10, bytesCopied: 3 * 1_512 + 7 * 1_064, drops: 7 });
    // A slice of 16 KiB holds all nine.
    const big = mk(16_384);
    expect(flow(big, 'dev', 'r0')).toMatchObject({ sent: 10, delivered: 1, dropped: 0, inFlight: 9 });
    expect(big.mechanisms[0]).toMatchObject({ copies: 10, bytesCopied: 10 * 1_512 });
    // With halt set in the slice, frames 4…10 find it halted (exceeded and halt): dropped untouched, no partial copy.
    const halted = run(eth({ rxWorkload: 'periodic', rxRatePerSec: 1_000, rxPayloadBytes: 1_500, rxSliceHalt: true }, { rx: 1, durationNs: 10.5 * MS, rxApp: { appCycles: 500_000 } }).build()).s;
    expect(flow(halted, 'dev', 'r0')).toMatchObject({ sent: 10, delivered: 1, dropped: 7, inFlight: 2 });
    expect(halted.mechanisms[0]).toMatchObject({ copies: 4, bytesCopied: 3 * 1_512 + 1_064 });
  });

  it('RX: the tap upcalls only for the first frame in the app\'s slice, so a lost upcall (full queue) leaves the app unaware', () => {
    // One upcall slot per process. r0's alarm fires every 1 ms and its handler works 2 ms (100,000 cycles), so an
    // alarm upcall is always waiting: frame 1 (at 1.12 ms) finds the queue full and its upcall is lost (NOMEM).
    // ethernet_tap.rs does not retry: frames 2… are not first in the slice, so no upcall. The app never swaps its
    // slice: frames 1 and 2 stay in it (3,024 of 4,088 B), frames 3…10 are dropped (exceeded).
    const { s } = run(busyReceiver(10.5 * MS, 'stm32Ethernet', { rxWorkload: 'periodic', rxRatePerSec: 1_000, rxPayloadBytes: 1_500 }).build());
    expect(flow(s, 'dev', 'r0')).toMatchObject({ sent: 10, delivered: 0, dropped: 8, inFlight: 2 });
    expect(s.kernels[0]!.upcallsDropped).toBeGreaterThan(0);
  });
});

describe('CYW43439 WiFi (gSPI / SDIO)', () => {
  // Boot at the defaults (gSPI 31.25 MHz: 256 ns per byte; 4-byte command + status words; transfers padded to whole
  // words), as Tock's driver does it. F1 chunks of 64 B cost (64 + 8) × 256 = 18,432 ns each: firmware 231,077 B =
  // 3,610 chunks + 37 B (padded to 40: 12,288 ns), NVRAM 742 B = 11 chunks + 38 B (12,288 ns) → 66,766,848 ns. The CLM
  // (984 B) is one "clmload" IOCTL: SDPCM 12 + CDC 16 + iovar name 8 + download header 12 + 984 = 1,032 B
  // (266,240 ns) and its response of 28 B (9,216 ns). Then 23 IOCTLs, each a request and a response of 28 B:
  // 423,936 ns. Bus time: 67,466,240 ns; with the driver's fixed waits (3,216 ms) the link is up at 3,283,466,240 ns.
  const BUS_BOOT_NS = 66_766_848 + 266_240 + 9_216 + 423_936;
  const BOOT_NS = 3_216 * MS + BUS_BOOT_NS;
  // The datapath tests skip the driver's waits (bootWaitNs 0): the link is up at 67.47 ms.
  const wifi = (params: P, opts: Parameters<typeof device>[3] = {}): DesignBuilder => device('cyw43439', { rxWorkload: 'none', bootWaitNs: 0, ...params }, 'rp2040', opts);

  it('RX over gSPI: air, the interrupt register and the packet over the bus, the driver\'s copy, the tap\'s copy', () => {
    // Periodic frames at 10/s: the first after boot arrives at 100 ms.
    const { s } = run(wifi({ rxWorkload: 'periodic', rxRatePerSec: 10, rxPayloadBytes: 512 }, { rx: 1, durationNs: 150 * MS }).build());
    const f = flow(s, 'dev', 'r0');
    // air 512 × 8 / 10 Mbit/s = 409,600; bus: interrupt register (4 + 8) × 256 = 3,072, packet SDPCM 12 + padding
    // 2 + BDC 6 + 512 = 532 B, (532 + 8) × 256 = 138,240; interrupt 15 + 10 + the driver's memcpy of the packet
    // out of the bus buffer 532 / 1.0 + the tap's copy of its 12-byte header + 512 B, 524 / 0.25 = 2,653 cycles
    // → 21,224; upcall + allow 1,340 cycles → 10,720 ns.
    expect(f.latencyNs).toEqual(one(409_600 + 3_072 + 138_240 + 21_224 + 10_720));
    expect(f).toMatchObject({ sent: 1, delivered: 1, copiesPerMessage: 2, bytesCopied: 532 + 524 });
  });

  it('RX over SDIO 4-bit at 50 MHz: 4 bits per clock', () => {
    const { s } = run(wifi({ bus: 'sdio', rxWorkload: 'periodic', rxRatePerSec: 10, rxPayloadBytes: 512 }, { rx: 1, durationNs: 150 * MS }).build());
    // 40 ns per byte: interrupt register 12 × 40 = 480, packet 540 × 40 = 21,600 ns.
    expect(flow(s, 'dev', 'r0').latencyNs.max).toBe(409_600 + 480 + 21_600 + 21_224 + 10_720);
  });

  it('splits an F2 packet over maxF2Bytes into two transactions, each with its command and status word', () => {
    const { s } = run(wifi({ rxWorkload: 'periodic', rxRatePerSec: 10, rxPayloadBytes: 2_048 }, { rx: 1, durationNs: 150 * MS }).build());
    // 2,048 + 20 header bytes = 2,068: a 2,048-byte transaction (2,056 × 256 = 526,336 ns) and a 20-byte one
    // (28 × 256 = 7,168 ns), after the interrupt register (3,072). Air 1,638,400; interrupt 25 + 2,068 (memcpy) +
    // (12 + 2,048) / 0.25 = 10,333 cycles → 82,664; upcall 10,720 ns.
    expect(flow(s, 'dev', 'r0').latencyNs.max).toBe(1_638_400 + 3_072 + 526_336 + 7_168 + 82_664 + 10_720);
  });

  it('boot: nothing crosses before the driver\'s waits, the firmware, NVRAM and CLM downloads and the IOCTLs are done', () => {
    expect(BOOT_NS).toBe(3_283_466_240);
    // RX at 1,000/s from the start of the run: arrivals before the link is up do not exist (nobody sends to an
    // unassociated station); the first counted frame is the one at 3,284 ms.
    const rx = (durationNs: number): ReturnType<typeof run>['s'] => run(device('cyw43439', { rxWorkload: 'periodic', rxRatePerSec: 1_000 }, 'rp2040', { rx: 1, durationNs }).build()).s;
    expect(flow(rx(BOOT_NS), 'dev', 'r0').sent).toBe(0);
    expect(flow(rx(3_284 * MS), 'dev', 'r0').sent).toBe(1);
    // TX: the send's syscalls end 2,890 cycles (23,120 ns) after its alarm (upcall 790 + app 1,000 + allow +
    // command 1,100; the copies come later). A send ending 1 ns before the link is up is refused, nothing copied; at
    // boot end, taken.
    const tx = (startNs: number): ReturnType<typeof run>['s'] => run(device('cyw43439', { rxWorkload: 'none' }, 'rp2040', { tx: [{ startNs, payloadBytes: 64 }], durationNs: BOOT_NS + 20 * MS }).build()).s;
    expect(flow(tx(BOOT_NS - 23_120 - 1), 's0', 'dev')).toMatchObject({ sent: 1, delivered: 0, dropped: 1, bytesCopied: 0 });
    expect(flow(tx(BOOT_NS - 23_120), 's0', 'dev')).toMatchObject({ sent: 1, delivered: 1, dropped: 0 });
    // Without the driver's waits the link is up after the bus time alone.
    const fast = (startNs: number): ReturnType<typeof run>['s'] => run(wifi({}, { tx: [{ startNs, payloadBytes: 64 }], durationNs: 80 * MS }).build()).s;
    expect(flow(fast(BUS_BOOT_NS - 23_120 - 1), 's0', 'dev').dropped).toBe(1);
    expect(flow(fast(BUS_BOOT_NS - 23_120), 's0', 'dev').delivered).toBe(1);
  });

  it('boot over SDIO is 4 bits per clock: 10,541,600 ns of bus time', () => {
    // 40 ns per byte: 64-byte chunks 2,880 ns, the two partial ones 1,920 each; CLM 1,040 × 40 = 41,600 and its
    // response 1,440; IOCTLs 46 × 1,440.
    const boot = 3_621 * 2_880 + 2 * 1_920 + 41_600 + 1_440 + 46 * 1_440;
    expect(boot).toBe(10_541_600);
    const tx = (startNs: number): ReturnType<typeof run>['s'] => run(wifi({ bus: 'sdio' }, { tx: [{ startNs, payloadBytes: 64 }], durationNs: 20 * MS }).build()).s;
    expect(flow(tx(boot - 23_120 - 1), 's0', 'dev').dropped).toBe(1);
    expect(flow(tx(boot - 23_120), 's0', 'dev').delivered).toBe(1);
  });

  it('TX: three copies (tap, driver buffer, bus buffer), then bus, air; credits limit the frames at the chip until they are on air', () => {
    // 1,000-byte frames every 400 µs, from 70 ms (after boot). Send job: upcall 790 + app 1,000 (14,320 ns to the
    // mark) + allow + command 1,100 (23,120 ns). Then kernel work: the tap's copy out of the app's allow, 1,000 /
    // 0.25 = 4,000 cycles; the driver's memcpy of the frame into its buffer, 1,000, and the bus layer's memcpy of the
    // 1,020-byte packet (SDPCM 12 + padding 2 + BDC 6 + frame) behind its command word, 1,020: 6,020 cycles,
    // 48,160 ns (to 71,280 ns). Bus (1,020 + 8) × 256 = 263,168 ns; air 1,000 × 8 / 10 Mbit/s = 800,000 ns.
    const sender = { startNs: 70 * MS, periodNs: 400 * US, payloadBytes: 1_000, messageLimit: 3 };
    const one1 = run(wifi({ txCredits: 1 }, { tx: [sender] }).build()).s;
    // Frame 1: 71,280 − 14,320 + 263,168 + 800,000 = 1,120,128; its driver buffer is free after the bus and the
    // interrupt (334,648). Frames 2 and 3 are upcalls to s0, which ran last: no MPU reprogramming, 40 cycles
    // (320 ns) less to the mark. Frame 2 (mark 414,000, command done at 422,800, copied by 470,960) waits for the
    // credit until frame 1 is on air (1,134,448), then bus + air: delivered at 2,197,616 → 1,783,616 after its
    // mark. Frame 3 (command done at 822,800) finds frame 2 still pending in the tap: BUSY, nothing copied.
    const f1 = flow(one1, 's0', 'dev');
    expect(f1).toMatchObject({ sent: 3, delivered: 2, dropped: 1, copiesPerMessage: 3, bytesCopied: 2 * (1_000 + 1_000 + 1_020) });
    expect(one1.mechanisms[0]).toMatchObject({ copies: 6, drops: 1 });
    expect(f1.latencyNs).toMatchObject({ max: 1_783_616 });
    expect([f1.latencyNs.mean * 2]).toEqual([1_120_128 + 1_783_616]);
    // Eight credits: frame 2 crosses the bus at once (470,960 → 734,128) and queues for the air behind frame 1
    // (→ 1,934,448: latency 1,520,448); frame 3, no longer pending behind frame 2, follows (→ 2,734,448: 1,920,448).
    // Where the copies happen, per frame sent: one at each of the three places.
    expect(one1.mechanisms[0]!.copySites).toEqual([
      { site: "app's allow → tap's TX buffer", copies: 2, bytesCopied: 2_000 },
      { site: "tap's TX buffer → driver buffer (memcpy)", copies: 2, bytesCopied: 2_000 },
      { site: 'driver buffer → bus buffer, behind the command word (memcpy)', copies: 2, bytesCopied: 2_040 },
    ]);
    const f8 = flow(run(wifi({ txCredits: 8 }, { tx: [sender] }).build()).s, 's0', 'dev');
    expect(f8).toMatchObject({ sent: 3, delivered: 3, dropped: 0 });
    expect(f8.latencyNs).toMatchObject({ p50: 1_520_448, max: 1_920_448 });
  });

  it('TX through the tap: a frame over its 1,518-byte MTU is refused (SIZE) before the copy; another process\'s frame waits for the driver buffer', () => {
    const big = run(wifi({}, { tx: [{ startNs: 70 * MS, payloadBytes: 1_519 }] }).build()).s;
    expect(flow(big, 's0', 'dev')).toMatchObject({ sent: 1, delivered: 0, dropped: 1, bytesCopied: 0 });
    const mtu = run(wifi({}, { tx: [{ startNs: 70 * MS, payloadBytes: 1_518 }] }).build()).s;
    expect(flow(mtu, 's0', 'dev')).toMatchObject({ sent: 1, delivered: 1 });
    // Two processes send 1,000 B at the same time: the second frame waits in the tap while the driver buffer holds
    // the first (its copies, bus and interrupt), then goes; neither is refused.
    const frame = { startNs: 70 * MS, payloadBytes: 1_000 };
    const both = run(wifi({}, { tx: [frame, frame] }).build()).s;
    expect([flow(both, 's0', 'dev').delivered, flow(both, 's1', 'dev').delivered]).toEqual([1, 1]);
    expect(both.mechanisms[0]).toMatchObject({ copies: 6, drops: 0, maxDepth: 2 });
    // s1's frame is handed over when s0's has crossed the bus (263,168 ns) and the interrupt ran.
    expect(flow(both, 's1', 'dev').latencyNs.max).toBeGreaterThan(263_168 + 800_000);
  });

  it('RX to 3 apps: the driver copies the packet once, the tap copies header + frame once per app', () => {
    const { s } = run(wifi({ rxWorkload: 'periodic', rxRatePerSec: 100, rxPayloadBytes: 256 }, { rx: 3, durationNs: 200 * MS }).build());
    // Frames at 70, 80 … 190 ms (13), the one at 200 ms is still on the air. Each app's message went through both
    // copies; the device made 13 driver copies of 276 B and 39 tap copies of 268 B.
    for (const r of ['r0', 'r1', 'r2']) expect(flow(s, 'dev', r)).toMatchObject({ sent: 14, delivered: 13, copiesPerMessage: 2 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 13 + 39, bytesCopied: 13 * 276 + 39 * 268 });
    expect(s.mechanisms[0]!.copySites).toEqual([
      { site: "tap → app's RX slice (header + frame)", copies: 39, bytesCopied: 39 * 268 },
      { site: 'bus buffer → driver buffer (memcpy)', copies: 13, bytesCopied: 13 * 276 },
    ]);
  });
});

describe('VirtIO under QEMU (rv32 virt)', () => {
  const q = (kind: string, params: P, opts: Parameters<typeof device>[3] = {}): DesignBuilder => device(kind, params, 'qemu_rv32_virt', opts);

  it('net TX: 1 copy into the capsule, QueueNotify (a QEMU exit), device latency; the driver copies nothing', () => {
    const { s } = run(q('virtioNet', { rxWorkload: 'none' }, { tx: [{ payloadBytes: 512 }] }).build());
    // Job after the mark: allow + command 4,600 + copy 512 / 0.33 = 1,551.52 cycles; the whole job 9,711.52
    // cycles → 97,115 ns, mark at 35,600 → 61,515 ns; notify 20,000; device 10,000.
    expect(flow(s, 's0', 'dev')).toMatchObject({ delivered: 1, copiesPerMessage: 1, bytesCopied: 512, latencyNs: one(61_515 + 30_000) });
    expect(s.mechanisms[0]).toMatchObject({ copies: 1 });
  });

  it('net TX through the tap: one frame pending per process (BUSY); another process waits for the queue slot', () => {
    // The device holds a chain for 1 ms. One process: its second frame gets BUSY (nothing copied).
    const burst = { workload: 'burst', burstSize: 2, burstPeriodNs: 50 * MS, messageLimit: 2, payloadBytes: 512 };
    const slow = { rxWorkload: 'none', deviceLatencyNs: 1 * MS };
    const one1 = run(q('virtioNet', slow, { tx: [burst] }).build()).s;
    expect(flow(one1, 's0', 'dev')).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
    expect(one1.mechanisms[0]).toMatchObject({ copies: 1 });
    // Two processes, a TX queue of 2 (one header + frame chain): the second frame waits in the tap, then goes.
    const frame = { payloadBytes: 512 };
    const both = run(q('virtioNet', slow, { tx: [frame, frame] }).build()).s;
    expect([flow(both, 's0', 'dev').delivered, flow(both, 's1', 'dev').delivered]).toEqual([1, 1]);
    expect(flow(both, 's1', 'dev').latencyNs.max).toBeGreaterThan(1.5 * MS);
    // A queue of 4 holds two chains: the tap hands the second over at once; it then waits only for the device,
    // which processes one request at a time.
    const wide = run(q('virtioNet', { ...slow, txQueueSize: 4 }, { tx: [frame, frame] }).build()).s;
    expect(flow(wide, 's1', 'dev').latencyNs.max).toBeLessThan(flow(both, 's1', 'dev').latencyNs.max);
  });

  it('net TX: the tap refuses a frame over its 1,518-byte MTU (SIZE) before copying it', () => {
    const { s } = run(q('virtioNet', { rxWorkload: 'none' }, { tx: [{ payloadBytes: 9_000 }] }).build());
    expect(flow(s, 's0', 'dev')).toMatchObject({ sent: 1, delivered: 0, dropped: 1, bytesCopied: 0 });
  });

  it('net RX: device → used ring → interrupt; the capsule copies into each app and re-posts the buffer', () => {
    const { s } = run(q('virtioNet', { rxWorkload: 'periodic', rxRatePerSec: 100, rxPayloadBytes: 1_514 }, { rx: 2, durationNs: 15 * MS }).build());
    // device 10,000; handler: trap entry + exit 150 + 2 copies of the tap's 12-byte header + 1,514 B (9,248.48)
    // = 9,398.48 cycles → 93,985 ns, + QueueNotify 20,000 ns; then upcall + allow (4,860 cycles = 48,600 ns) for
    // the first app, then its app work (10,000 ns) before the second app's upcall.
    expect(flow(s, 'dev', 'r0')).toMatchObject({ delivered: 1, copiesPerMessage: 1, latencyNs: one(10_000 + 93_985 + 20_000 + 48_600) });
    expect(flow(s, 'dev', 'r1').latencyNs.max).toBe(10_000 + 93_985 + 20_000 + 48_600 + 10_000 + 48_600);
    expect(s.mechanisms[0]).toMatchObject({ copies: 2, bytesCopied: 2 * 1_526 });
  });

  it('net RX: a frame that finds no posted buffer waits in QEMU\'s net queue, up to hostQueueFrames', () => {
    // RX queue of 2 = one buffer; frames every 10 µs while each takes ~78 µs to hand over (device 10 µs; handler:
    // trap 150 + (12 + 1,514) / 0.33 cycles = 47,742 ns, QueueNotify 20,000 ns), so the frames pile up in QEMU.
    const mk = (params: P): ReturnType<typeof run>['s'] =>
      run(q('virtioNet', { rxWorkload: 'periodic', rxRatePerSec: 100_000, rxPayloadBytes: 1_514, rxSliceBytes: 1_048_576, ...params }, { rx: 1, durationNs: 1 * MS }).build()).s;
    const queued = mk({});
    const f = flow(queued, 'dev', 'r0');
    expect(f.sent).toBe(100);
    expect(f.dropped).toBe(0);
    expect(f.delivered).toBeGreaterThan(3);
    expect(f.delivered + (f.inFlight ?? 0)).toBe(f.sent);
    // The RX handler's kernel work keeps the CPU while frames wait, so the app reads them in batches, late.
    expect(f.latencyNs.p50).toBeGreaterThan(2 * (10_000 + 67_742 + 48_600));
    expect(queued.mechanisms[0]!.maxDepth).toBeGreaterThan(50);
    // A queue of 5: the buffer's frame and 5 waiting; the others are dropped.
    const five = mk({ hostQueueFrames: 5 });
    expect(flow(five, 'dev', 'r0').dropped).toBeGreaterThan(50);
    expect(five.mechanisms[0]!.maxDepth).toBe(6);
    expect(flow(five, 'dev', 'r0').delivered).toBe(f.delivered);
    // 0: dropped at once while the buffer is in use.
    const none = mk({ hostQueueFrames: 0 });
    expect(flow(none, 'dev', 'r0').dropped).toBeGreaterThan(50);
    expect(none.mechanisms[0]!.maxDepth).toBe(1);
  });

  it('net RX: frames waiting in QEMU when the link goes down are lost; those after it comes back are delivered', () => {
    const b = q('virtioNet', { rxWorkload: 'periodic', rxRatePerSec: 100_000, rxPayloadBytes: 1_514 }, { rx: 1, durationNs: 2 * MS })
      .node('ld', 'linkDown', undefined, { targetId: 'dev', atNs: 500 * US, downForNs: 100 * US });
    const s = run(b.build()).s;
    const f = flow(s, 'dev', 'r0');
    // Every frame queued by 500 µs (~45) is lost with the link, as are the 10 arriving while it is down.
    expect(f.dropped).toBeGreaterThan(45);
    expect(f.dropped + f.delivered + (f.inFlight ?? 0)).toBe(f.sent);
    // After 600 µs the queue starts again from empty.
    expect(f.delivered).toBeGreaterThan(flow(run(q('virtioNet', { rxWorkload: 'periodic', rxRatePerSec: 100_000, rxPayloadBytes: 1_514 }, { rx: 1, durationNs: 500 * US }).build()).s, 'dev', 'r0').delivered);
  });

  it('gpu: a draw command is copied once into the capsule, then notify + device', () => {
    const { s } = run(q('virtioGpu', {}, { tx: [{ payloadBytes: 4_096 }] }).build());
    // After the mark: 4,600 + 4,096 / 0.33 = 12,412.12 cycles; whole job 20,572.12 → 205,721 ns; − 35,600.
    expect(flow(s, 's0', 'dev')).toMatchObject({ delivered: 1, copiesPerMessage: 1, bytesCopied: 4_096, latencyNs: one(170_121 + 30_000) });
  });

  it('rng: the request completes at the used ring; the bytes are copied to the requesting app (1 copy)', () => {
    const b = q('virtioRng', {}, { tx: [{ payloadBytes: 32 }] }).edge('dev', 's0', 'rx', 'in');
    const { s } = run(b.build());
    // Request: allow + command 4,600 cycles = 46,000 ns, notify 20,000, device 10,000. Reply: + handler (trap
    // entry + exit 150 + copy 32 / 0.33 = 96.97 cycles: 2,470 ns) + upcall 25,600 ns less the MPU reprogramming
    // (60 cycles, 600 ns: s0 ran last, its configuration is still loaded).
    expect(flow(s, 's0', 'dev')).toMatchObject({ delivered: 1, copiesPerMessage: 0, latencyNs: one(76_000) });
    expect(flow(s, 'dev', 's0')).toMatchObject({ delivered: 1, copiesPerMessage: 1, bytesCopied: 32, latencyNs: one(76_000 + 2_470 + 25_600 - 600) });
  });

  it('rng: a request cut off by the link going down loses its reply too (and the run goes on)', () => {
    // Device latency 1 ms; the link is down from 0.5 to 0.6 ms, while the first request (at 0) is with the device.
    const b = new DesignBuilder('rng', { durationNs: 20 * MS })
      .kernel('k', { chip: 'qemu_rv32_virt' })
      .node('dev', 'virtioRng', 'k', { deviceLatencyNs: 1 * MS })
      .node('s0', 'process', 'k', { periodNs: 10 * MS, payloadBytes: 32 })
      .edge('s0', 'dev', 'out', 'tx')
      .edge('dev', 's0', 'rx', 'in')
      .node('ld', 'linkDown', undefined, { targetId: 'dev', atNs: 0.5 * MS, downForNs: 0.1 * MS });
    const { s } = run(b.build());
    expect(flow(s, 'dev', 's0')).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
  });

  it('rng queue of 1: a second request while one is outstanding gets BUSY', () => {
    const burst = { workload: 'burst', burstSize: 2, burstPeriodNs: 50 * MS, messageLimit: 2, payloadBytes: 32 };
    expect(flow(run(q('virtioRng', { deviceLatencyNs: 1 * MS }, { tx: [burst] }).build()).s, 's0', 'dev')).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
  });

  it('input: an event is copied to each subscribed app', () => {
    const { s } = run(q('virtioInput', { eventRatePerSec: 1_000 }, { rx: 2, durationNs: 100 * MS }).build());
    const f0 = flow(s, 'dev', 'r0');
    const f1 = flow(s, 'dev', 'r1');
    expect(f0.sent).toBeGreaterThan(50);
    expect(f0).toMatchObject({ copiesPerMessage: 1, dropped: 0 });
    expect(f1.sent).toBe(f0.sent);
    expect(s.mechanisms[0]!.copies).toBe(f0.delivered + f1.delivered);
    // One app: device 10,000 + handler (trap entry + exit 150 + copy 8 / 0.33 = 24.24 cycles: 1,742 ns) + upcall
    // 25,600 (no syscall: the event is in the app's buffer) less the MPU reprogramming (600 ns: the app ran last).
    const single = flow(run(q('virtioInput', { eventRatePerSec: 100 }, { rx: 1, durationNs: 100 * MS }).build()).s, 'dev', 'r0');
    expect(single.latencyNs.p50).toBe(10_000 + 1_742 + 25_600 - 600);
  });

  it('input: with one posted buffer, events arriving while it is in use are dropped', () => {
    const { s } = run(q('virtioInput', { eventRatePerSec: 50_000, eventQueueSize: 1 }, { rx: 1, durationNs: 20 * MS }).build());
    expect(flow(s, 'dev', 'r0').dropped).toBeGreaterThan(0);
  });
});

describe('CAN signal source', () => {
  it('classic CAN frame bits with worst-case stuffing (Davis et al. 2007): 47 + 8n + ⌊(33 + 8n) / 4⌋', () => {
    expect(canFrameBits(8)).toBe(135);
    expect(canFrameBits(0)).toBe(55);
    expect(canFrameBits(1)).toBe(65);
    // CAN FD estimate, 64 bytes, no bit-rate switch: 22 + 512 + 133 stuff + 4 + 21 CRC + 7 fixed stuff + 13.
    expect(canFrameBits(64)).toBe(712);
  });

  it('frames every periodNs / valueIds, round robin; bus time, RX interrupt, 1 copy per app', () => {
    const b = new DesignBuilder('can', { durationNs: 100 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('can', 'canSource', 'k', { periodNs: 10 * MS, valueIds: 8, frameBytes: 8, bitrateBps: 500_000 })
      .node('a', 'process', 'k', { workload: 'none' })
      .node('b', 'process', 'k', { workload: 'none' })
      .edge('can', 'a', 'rx', 'in')
      .edge('can', 'b', 'rx', 'in');
    const { s } = run(b.build());
    const fa = flow(s, 'can', 'a');
    // 8 value IDs each every 10 ms: a frame every 1.25 ms → 80 frames in 100 ms (the one at 100 ms still on the bus).
    expect(fa).toMatchObject({ sent: 80, delivered: 79, copiesPerMessage: 1, bytesCopied: 79 * 8 });
    // 135 bits at 500 kbit/s = 270,000 ns; interrupt 12 + 10 + 2 × 8 / 0.33 = 70.48 cycles → 1,410 ns; upcall 640
    // cycles = 12,800 ns; the app served second waits for the first's upcall and app work (+ 12,800 + 20,000).
    const first = 270_000 + 1_410 + 12_800;
    const fb = flow(s, 'can', 'b');
    expect(Math.min(fa.latencyNs.p50, fb.latencyNs.p50)).toBe(first);
    expect(Math.max(fa.latencyNs.max, fb.latencyNs.max)).toBe(first + 20_000 + 12_800);
    expect(fa.latencyNs.mean + fb.latencyNs.mean).toBe(2 * first + 20_000 + 12_800);
    expect(s.mechanisms[0]).toMatchObject({ copies: 158, bytesCopied: 158 * 8 });
    // One app, one frame: the formula's 270 µs on the bus + interrupt (12 + 10 + 8 / 0.33 = 46.24 cycles → 925 ns)
    // + upcall.
    const single = new DesignBuilder('can1', { durationNs: 2 * MS }).kernel('k').node('can', 'canSource', 'k', { periodNs: 1 * MS, valueIds: 1 }).node('a', 'process', 'k', { workload: 'none' }).edge('can', 'a', 'rx', 'in');
    expect(flow(run(single.build()).s, 'can', 'a').latencyNs).toEqual(one(270_000 + 925 + 12_800));
  });

  it('a lost RX upcall (full upcall queue) is retried with the next frame, unlike under the ethernet tap', () => {
    // As in the tap's test: one upcall slot, and r0's alarm (every 1 ms, a 2 ms handler) keeps it full. The CAN
    // capsule's upcall for a frame is lost, but the next frame tries again and gets in whenever r0 has just taken
    // its alarm upcall; under the tap the app would never hear of its frames.
    const { s } = run(busyReceiver(20 * MS, 'canSource', { periodNs: 1 * MS, valueIds: 1 }).build());
    const f = flow(s, 'dev', 'r0');
    expect(s.kernels[0]!.upcallsDropped).toBeGreaterThan(0);
    // 9 of the 20 frames are read in the run (the tap's rule would read none: its first upcall is lost).
    expect(f).toMatchObject({ sent: 20, delivered: 9 });
  });

  it('jitter moves each frame around its nominal time without drifting the rate', () => {
    const b = new DesignBuilder('can', { durationNs: 1_000 * MS })
      .kernel('k')
      .node('can', 'canSource', 'k', { periodNs: 10 * MS, valueIds: 1, jitterNs: 2 * MS })
      .node('a', 'process', 'k', { workload: 'none' })
      .edge('can', 'a', 'rx', 'in');
    const f = flow(run(b.build()).s, 'can', 'a');
    expect(f.sent).toBeGreaterThanOrEqual(99);
    expect(f.sent).toBeLessThanOrEqual(100);
  });
});

describe('link down on a peripheral', () => {
  it('Ethernet: frames arriving while the link is down are lost; traffic resumes when it comes back', () => {
    const b = device('stm32Ethernet', { rxWorkload: 'periodic', rxRatePerSec: 1_000, rxPayloadBytes: 1_518 }, 'stm32f429', { rx: 1 })
      .node('ld', 'linkDown', undefined, { targetId: 'dev', atNs: 50 * MS, downForNs: 20 * MS });
    const f = flow(run(b.build()).s, 'dev', 'r0');
    // Frames at 1 … 100 ms; those at 50 … 69 ms are lost; the one at 100 ms is still on the wire.
    expect(f).toMatchObject({ sent: 100, dropped: 20, delivered: 79 });
  });

  it('Ethernet TX: a frame on the wire when the link goes down is lost', () => {
    // The frame is on the wire from 108 µs to 231.04 µs; the link goes down at 150 µs.
    const b = device('stm32Ethernet', { rxWorkload: 'none' }, 'stm32f429', { tx: [{ payloadBytes: 1_518, startNs: 0 }] }).node('ld', 'linkDown', undefined, {
      targetId: 'dev',
      atNs: 150 * US,
      downForNs: 1 * MS,
    });
    expect(flow(run(b.build()).s, 's0', 'dev')).toMatchObject({ sent: 1, delivered: 0, dropped: 1 });
  });

  it('CYW43439 down until the end of the run (downForNs 0): nothing after it', () => {
    const b = device('cyw43439', { rxWorkload: 'periodic', rxRatePerSec: 100, bootWaitNs: 0 }, 'rp2040', { rx: 1, durationNs: 300 * MS }).node('ld', 'linkDown', undefined, { targetId: 'dev', atNs: 150 * MS, downForNs: 0 });
    const f = flow(run(b.build()).s, 'dev', 'r0');
    // Without the driver's boot waits the link is up at 67.5 ms. Frames at 70 … 140 ms delivered (8), 150 … 300 ms
    // lost (16).
    expect(f).toMatchObject({ delivered: 8, dropped: 16, sent: 24 });
  });

  it('CAN: frames queued or on the bus when it goes down are lost', () => {
    const b = new DesignBuilder('can', { durationNs: 100 * MS })
      .kernel('k')
      .node('can', 'canSource', 'k', { periodNs: 10 * MS, valueIds: 1 })
      .node('a', 'process', 'k', { workload: 'none' })
      .edge('can', 'a', 'rx', 'in')
      .node('ld', 'linkDown', undefined, { targetId: 'can', atNs: 30 * MS + 100 * US, downForNs: 15 * MS });
    // Frames at 10 … 100 ms; the one at 30 ms is on the bus (270 µs) when the link drops, the one at 40 ms finds
    // it down; the one at 100 ms is still on the bus at the end.
    expect(flow(run(b.build()).s, 'can', 'a')).toMatchObject({ sent: 10, dropped: 2, delivered: 7 });
  });
});

describe('kernel failure under a peripheral', () => {
  it('stops the device: what is inside fails, nothing arrives after, and the other kernel goes on', () => {
    const b = device('stm32Ethernet', { rxWorkload: 'periodic', rxRatePerSec: 1_000, rxPayloadBytes: 1_518 }, 'stm32f429', { rx: 1 })
      .kernel('k2')
      .node('p', 'process', 'k2', { periodNs: 1 * MS })
      .node('m', 'twoCopyChannel', 'k2')
      .node('c', 'process', 'k2', { workload: 'none' })
      .edge('p', 'm')
      .edge('m', 'c')
      // 50.05 ms: the frame that arrived at 50 ms is on the wire.
      .node('kf', 'kernelFailure', undefined, { targetId: 'k', atNs: 50 * MS + 50 * US });
    const { s } = run(b.build());
    expect(flow(s, 'dev', 'r0')).toMatchObject({ sent: 50, delivered: 49, failed: 1 });
    expect(flow(s, 'p', 'c')).toMatchObject({ sent: 100, delivered: 100 });
  });
});

describe('every peripheral is deterministic', () => {
  it('same seed ⇒ same summary', () => {
    const d = device('cyw43439', { rxWorkload: 'poisson', rxRatePerSec: 500 }, 'rp2040', { rx: 2, tx: [{ periodNs: 3 * MS, messageLimit: 0, startNs: 70 * MS }] }).build();
    expect(JSON.stringify(run(d).s)).toBe(JSON.stringify(run(d).s));
  });
});

describe('templates', () => {
  const dir = join(__dirname, '../../../../resources/examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

  it.each(files)('%s runs, and its peripherals carry traffic', (file) => {
    const r = parseDesignText(readFileSync(join(dir, file), 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { summary } = runDesign(r.design, 'template', { seed: r.design.run.seed, durationNs: r.design.run.durationNs, warmupNs: r.design.run.warmupNs });
    expect(summary.simTimeNs).toBe(r.design.run.durationNs);
    expect(summary.flows.length).toBeGreaterThan(0);
    for (const f of summary.flows) {
      expect(f.delivered + f.dropped + f.overwritten + f.timedOut + f.failed).toBeLessThanOrEqual(f.sent);
      if (getKind(f.mechanism)?.category === 'peripheral') expect(f.delivered).toBeGreaterThan(0);
    }
    // Every copy is counted at one place: the places add up to the mechanism's totals (after a warm-up too).
    for (const m of summary.mechanisms) {
      const sites = m.copySites ?? [];
      expect([sites.reduce((a, x) => a + x.copies, 0), sites.reduce((a, x) => a + x.bytesCopied, 0)]).toEqual([m.copies, m.bytesCopied]);
    }
  });
});

describe('any peripheral configuration', () => {
  // Every peripheral kind with parameters drawn from the catalog ranges, apps on rx and tx, a link that goes down,
  // a crash and a kernel failure: the run never throws, the recorder's ordering contract holds, and no flow resolves
  // more messages than were sent.
  const kinds: Record<string, { rx: boolean; tx: boolean; params: fc.Arbitrary<P> }> = {
    stm32Ethernet: { rx: true, tx: true, params: fc.record({ rxWorkload: fc.constantFrom('none', 'periodic', 'poisson'), rxRatePerSec: fc.constantFrom(10, 5_000, 200_000), rxPayloadBytes: fc.integer({ min: 1, max: 8_191 }), txDescriptors: fc.integer({ min: 1, max: 4 }), rxDescriptors: fc.integer({ min: 1, max: 4 }), linkSpeed: fc.constantFrom('10M', '100M') }) },
    cyw43439: { rx: true, tx: true, params: fc.record({ bus: fc.constantFrom('gspi', 'sdio'), rxWorkload: fc.constantFrom('none', 'periodic', 'poisson'), rxRatePerSec: fc.constantFrom(10, 5_000), rxPayloadBytes: fc.integer({ min: 1, max: 2_048 }), txCredits: fc.integer({ min: 1, max: 8 }), maxF2Bytes: fc.integer({ min: 64, max: 2_048 }), firmwareBytes: fc.integer({ min: 0, max: 50_000 }), bootIoctls: fc.integer({ min: 0, max: 30 }) }) },
    virtioNet: { rx: true, tx: true, params: fc.record({ rxWorkload: fc.constantFrom('none', 'periodic', 'poisson'), rxRatePerSec: fc.constantFrom(10, 5_000, 100_000), txQueueSize: fc.integer({ min: 1, max: 8 }), rxQueueSize: fc.integer({ min: 1, max: 8 }), notifyCostNs: fc.integer({ min: 0, max: 50_000 }) }) },
    virtioGpu: { rx: false, tx: true, params: fc.record({ queueSize: fc.integer({ min: 1, max: 4 }) }) },
    virtioRng: { rx: true, tx: true, params: fc.record({ queueSize: fc.integer({ min: 1, max: 4 }) }) },
    virtioInput: { rx: true, tx: false, params: fc.record({ eventRatePerSec: fc.constantFrom(1, 100, 50_000), eventQueueSize: fc.integer({ min: 1, max: 4 }) }) },
    canSource: { rx: true, tx: false, params: fc.record({ periodNs: fc.constantFrom(1_000, 1 * MS, 10 * MS), valueIds: fc.integer({ min: 1, max: 64 }), frameBytes: fc.integer({ min: 1, max: 64 }), jitterNs: fc.constantFrom(0, 500, 5 * MS), bitrateBps: fc.constantFrom(10_000, 500_000, 8_000_000) }) },
  };
  const arb = fc.record({
    kind: fc.constantFrom(...Object.keys(kinds)),
    chip: fc.constantFrom('rp2040', 'stm32f429', 'qemu_rv32_virt'),
    apps: fc.array(fc.record({ rx: fc.boolean(), tx: fc.boolean(), payloadBytes: fc.integer({ min: 1, max: 4_000 }), workload: fc.constantFrom('periodic', 'poisson', 'burst') }), { minLength: 1, maxLength: 3 }),
    down: fc.option(fc.record({ atNs: fc.integer({ min: 0, max: 40 * MS }), downForNs: fc.constantFrom(0, 1 * MS, 10 * MS) })),
    crashAt: fc.option(fc.integer({ min: 0, max: 40 * MS })),
    failAt: fc.option(fc.integer({ min: 0, max: 40 * MS })),
    seed: fc.integer({ min: 0, max: 1_000 }),
  }).chain((c) => kinds[c.kind]!.params.map((params) => ({ ...c, params })));

  it('runs without throwing and keeps every outcome count within what was sent', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const k = kinds[c.kind]!;
        const b = new DesignBuilder('prop', { durationNs: 50 * MS }).kernel('k', { chip: c.chip }).node('dev', c.kind, 'k', c.params);
        c.apps.forEach((a, i) => {
          b.node(`p${i}`, 'process', 'k', { workload: a.workload, periodNs: 1 * MS, ratePerSec: 1_000, burstPeriodNs: 5 * MS, payloadBytes: a.payloadBytes, restartDelayNs: 1 * MS });
          if (k.rx && (a.rx || !k.tx)) b.edge('dev', `p${i}`, 'rx', 'in');
          if (k.tx && (a.tx || !k.rx)) b.edge(`p${i}`, 'dev', 'out', 'tx');
        });
        if (c.down) b.node('ld', 'linkDown', undefined, { targetId: 'dev', ...c.down });
        if (c.crashAt !== null) b.node('pc', 'processCrash', undefined, { targetId: 'p0', atNs: c.crashAt });
        if (c.failAt !== null) b.kernel('k2').node('kf', 'kernelFailure', undefined, { targetId: 'k', atNs: c.failAt });
        const d = b.build();
        expect(validateDesign(d).filter((f) => f.severity === 'error')).toEqual([]);
        const { summary } = runDesign(d, 'prop', { seed: c.seed, durationNs: 50 * MS, recorder: new MemoryRecorder(true) });
        for (const f of summary.flows) expect(f.delivered + f.dropped + f.overwritten + f.timedOut + f.failed).toBeLessThanOrEqual(f.sent);
        for (const m of summary.mechanisms) expect(m.copies).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 60, seed: 20_260_804 },
    );
  });
});
