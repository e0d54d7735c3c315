import { describe, expect, it } from 'vitest';
import type { Design } from '../../../../src-shared/model';
import { DesignBuilder } from '../../../fixtures/builder';
import { flow, run } from './helpers';

// STM32F429 (tock-model §5): 50 MHz → 20 ns/cycle; syscall 400, MPU reprogram 40, scheduler 200, upcall 640
// cycles; kernel copy 0.33 B/cycle; app work 1,000 cycles (catalog default). A periodic sender's job is its
// alarm upcall (640) + app work (1,000) + its syscalls; the message counts as sent after the app work.
const MS = 1_000_000;

function pair(mech: string, mechParams = {}, sender = {}, receiver: Record<string, unknown> = { workload: 'none' }, receiverKind = 'process'): DesignBuilder {
  return new DesignBuilder('pair', { durationNs: 100 * MS })
    .kernel('k', { chip: 'stm32f429' })
    .node('a', 'process', 'k', { periodNs: 10 * MS, payloadBytes: 64, ...sender })
    .node('m', mech, 'k', mechParams)
    .node('b', receiverKind, 'k', receiver as Record<string, string | number | boolean>)
    .edge('a', 'm')
    .edge('m', 'b');
}

describe('two-copy channel (allow → kernel FIFO → allow)', () => {
  it('delivers one 64-byte message in exactly the syscall + copy + upcall costs', () => {
    const { s } = run(pair('twoCopyChannel').build());
    const f = flow(s, 'a', 'b');
    // Sender: allow + command (800) + copy 64 B at 0.33 B/cycle (193.94) → job ends at round(2633.94 × 20) ns,
    // 32,800 ns after its start of which 32,800 are upcall + app: 19,879 ns of IPC.
    // Receiver: upcall 640 + command + allow 800 + copy 193.94 = 1,633.94 cycles = 32,679 ns.
    expect(f.latencyNs).toEqual({ mean: 52_558, p50: 52_558, p90: 52_558, p99: 52_558, max: 52_558 });
    expect(f.sent).toBe(10);
    expect(f.delivered).toBe(10);
    expect(f.copiesPerMessage).toBe(2);
    expect(f.bytesCopied).toBe(10 * 128);
    expect(s.mechanisms[0]).toMatchObject({ id: 'm', name: 'm', kind: 'twoCopyChannel', copies: 20, bytesCopied: 1280, maxDepth: 1, drops: 0 });
    // Syscalls: allow + command on each side (4) and the yield each upcall returns from (the sender's alarm, the
    // receiver's upcall: 2) per message, and the yield of the 11th alarm, delivered at 100 ms as the run ends.
    expect(s.kernels[0]).toMatchObject({ syscalls: 10 * 6 + 1, contextSwitches: 21, upcallsDropped: 0 });
    // Per period: sender job 52,679 + receiver job 32,679 + receiver app 20,000 ns over 10 ms.
    expect(s.kernels[0]!.cpuUtilization).toBe(Math.round((10 * (52_679 + 32_679 + 20_000)) / 100_000_000 * 1000) / 1000);
    expect(s.processes.map((p) => p.mpuRegionsPeak)).toEqual([3, 3]);
  });

  it('rejects new messages when full (default) and overwrites the oldest when asked', () => {
    const burst = { workload: 'burst', burstSize: 5, burstPeriodNs: 100 * MS };
    const slow = { serviceTimeNs: 10 * MS };
    const rejected = run(pair('twoCopyChannel', { capacity: 2 }, burst, slow, 'service').build(), { durationNs: 50 * MS }).s;
    expect(flow(rejected, 'a', 'b')).toMatchObject({ sent: 5, delivered: 2, dropped: 3 });
    const ring = run(pair('twoCopyChannel', { capacity: 2, whenFull: 'dropOldest' }, burst, slow, 'service').build(), { durationNs: 50 * MS }).s;
    expect(flow(ring, 'a', 'b')).toMatchObject({ sent: 5, delivered: 2, overwritten: 3, dropped: 0 });
  });

  it('a refused send costs its syscalls but not the copy: the command checks the FIFO before copying', () => {
    // Capacity 1, a burst of 2 with no app work. Message 1: alarm upcall 640 (its mark at 12,800 ns) + allow +
    // command 800 + copy 193.94 cycles → 32,679 ns. Message 2 follows at once and finds the FIFO full: allow +
    // command only, 800 cycles = 16,000 ns (with the copy it would be 19,879). Then the service's upcall reads
    // message 1: 640 + 800 + 193.94 cycles = 32,679 ns. Latency of message 1: 19,879 + 16,000 + 32,679.
    const burst = { workload: 'burst', burstSize: 2, burstPeriodNs: 100 * MS, messageLimit: 2, appCycles: 0 };
    const { s } = run(pair('twoCopyChannel', { capacity: 1 }, burst, { serviceTimeNs: 1 * MS }, 'service').build(), { durationNs: 50 * MS });
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 2, delivered: 1, dropped: 1, bytesCopied: 128 });
    expect(flow(s, 'a', 'b').latencyNs.max).toBe(19_879 + 16_000 + 32_679);
    expect(s.mechanisms[0]).toMatchObject({ copies: 2, drops: 1 });
    // Message 1's two copies, one at each end of the FIFO; the refused one made none.
    expect(s.mechanisms[0]!.copySites).toEqual([
      { site: "sender's allow → kernel FIFO", copies: 1, bytesCopied: 64 },
      { site: "kernel FIFO → receiver's allow", copies: 1, bytesCopied: 64 },
    ]);
  });

  it('an upcall that finds the FIFO already drained pays its upcall and syscalls, not a copy', () => {
    // A burst of 2 (no app work) into a FIFO of 4; the receiver does no work. Sender: alarm upcall 640 + allow +
    // command 800 + copy 193.94 cycles = 32,679 ns, then the second send 993.94 cycles = 19,879 ns. Receiver: its first
    // upcall reads message 1 (32,679 ns) and goes on to message 2 (allow + command + copy, 19,879 ns); its second
    // upcall finds the FIFO empty: upcall 640 + allow + command 800 = 28,800 ns less the MPU reprogramming it skips
    // (same process: 40 cycles, 800 ns). Busy 133,116 ns of 200,000: 0.666 (with a copy it would be 0.685).
    const b = new DesignBuilder('drained', { durationNs: 200_000 })
      .kernel('k', { chip: 'stm32f429' })
      .node('a', 'process', 'k', { workload: 'burst', burstSize: 2, burstPeriodNs: 100 * MS, messageLimit: 2, appCycles: 0 })
      .node('m', 'twoCopyChannel', 'k', { capacity: 4 })
      .node('b', 'process', 'k', { workload: 'none', appCycles: 0 })
      .edge('a', 'm')
      .edge('m', 'b');
    const { s } = run(b.build());
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 2, delivered: 2, bytesCopied: 256 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 4 });
    expect(s.kernels[0]!.cpuUtilization).toBe(0.666);
  });

  it('a message over the maximum with tooLong reject is refused before the copy, too', () => {
    // Packet FIFO, packets ≤ 32 B; a 64-byte packet is refused: its sender pays allow + command only.
    const once = (maxPacketBytes: number): ReturnType<typeof run>['s'] => run(pair('packetFifo', { maxPacketBytes }, { messageLimit: 1 }).build(), { durationNs: 1 * MS }).s;
    const tooLong = once(32);
    expect(flow(tooLong, 'a', 'b')).toMatchObject({ sent: 1, dropped: 1, bytesCopied: 0 });
    // The sender's job over the 1 ms run: upcall 640 + app 1,000 + allow + command 800 cycles = 48,800 ns (4.9 %);
    // with the copy (193.94 cycles) it would be 52,679 ns. When the packet fits, the receiver's upcall and the
    // copy out follow (+ 32,679 ns) and its work (+ 20,000 ns): 105,358 ns (10.5 %).
    expect(tooLong.kernels[0]!.cpuUtilization).toBe(0.049);
    expect(once(64).kernels[0]!.cpuUtilization).toBe(0.105);
  });

  it('truncates messages longer than the maximum (SIZE)', () => {
    const { s } = run(pair('twoCopyChannel', { maxMessageBytes: 32 }).build());
    expect(flow(s, 'a', 'b')).toMatchObject({ delivered: 10, truncated: 10, bytesCopied: 10 * 64 });
  });
});

describe('notification (command → upcall)', () => {
  it('costs one command and one upcall, copies nothing', () => {
    const { s } = run(pair('notification', { payloadWords: 3 }).build());
    const f = flow(s, 'a', 'b');
    expect(f.latencyNs.max).toBe((400 + 640) * 20);
    expect(f.latencyNs.p50).toBe(20_800);
    expect(f.copiesPerMessage).toBe(0);
    expect(s.mechanisms[0]!.copies).toBe(0);
  });

  it('drops the message when the receiver\'s 10-entry upcall queue is full (NOMEM)', () => {
    const { s } = run(pair('notification', {}, { workload: 'burst', burstSize: 12, burstPeriodNs: 100 * MS }).build(), { durationNs: 50 * MS });
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 12, delivered: 10, dropped: 2 });
    expect(s.kernels[0]!.upcallsDropped).toBe(2);
  });
});

describe('Relay Message (one-copy mailbox)', () => {
  it('copies header + payload once into the receiver slice', () => {
    const { s } = run(pair('relayMessage').build());
    const f = flow(s, 'a', 'b');
    // Sender: allow + command + copy 76 B (12 header + 64) = 1,030.30 cycles after the mark → 20,606 ns;
    // receiver: upcall + allow swap = 1,040 cycles = 20,800 ns.
    expect(f.latencyNs.max).toBe(41_406);
    expect(f.copiesPerMessage).toBe(1);
    expect(f.bytesCopied).toBe(10 * 76);
  });

  it('fails a send at once when the slice is full (exceeded)', () => {
    const { s } = run(pair('relayMessage', { sliceBytes: 200 }, { workload: 'burst', burstSize: 4, burstPeriodNs: 100 * MS }).build(), { durationNs: 50 * MS });
    // 76 B per message: two fit in 200 B.
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 4, delivered: 2, dropped: 2, bytesCopied: 2 * 76 });
    // The kernel checks the slice before copying: the refused sends cost app work + allow + command (1,800 cycles,
    // 36,000 ns each), not the copy (230.30 cycles more). Message 1: the rest of its job after its mark (20,606 ns),
    // message 2's job (40,606), the two refused (72,000), then the receiver's upcall + allow swap (20,800).
    expect(flow(s, 'a', 'b').latencyNs.max).toBe(20_606 + 40_606 + 72_000 + 20_800);
  });

  it('the slice holds messages after its own 8-byte StreamingProcessSlice header', () => {
    // Two messages of 76 B need 152 B: a 160-byte slice holds them after its header, a 159-byte one only one.
    const burst = { workload: 'burst', burstSize: 2, burstPeriodNs: 100 * MS, messageLimit: 2 };
    expect(flow(run(pair('relayMessage', { sliceBytes: 160 }, burst).build(), { durationNs: 50 * MS }).s, 'a', 'b')).toMatchObject({ delivered: 2, dropped: 0 });
    expect(flow(run(pair('relayMessage', { sliceBytes: 159 }, burst).build(), { durationNs: 50 * MS }).s, 'a', 'b')).toMatchObject({ delivered: 1, dropped: 1 });
  });

  it('with halt set, nothing more is written after a message did not fit, until the receiver swaps its slice', () => {
    // Slice 200 B. At 0: a sends 100 B twice (112 B with the header: the first fits, the second exceeds), then c
    // sends 20 B (32 B), before b's upcall swaps the slice. Without halt c's fits (144 B used); with halt it fails.
    // c's second message, at 10 ms, finds a fresh slice either way.
    const mk = (halt: boolean): ReturnType<typeof run>['s'] =>
      run(
        new DesignBuilder('halt', { durationNs: 50 * MS })
          .kernel('k')
          .node('a', 'process', 'k', { workload: 'burst', burstSize: 2, burstPeriodNs: 100 * MS, messageLimit: 2, payloadBytes: 100, appCycles: 0 })
          .node('c', 'process', 'k', { workload: 'burst', burstSize: 1, burstPeriodNs: 10 * MS, messageLimit: 2, payloadBytes: 20, appCycles: 0 })
          .node('m', 'relayMessage', 'k', { sliceBytes: 200, halt })
          .node('b', 'process', 'k', { workload: 'none' })
          .edge('a', 'm')
          .edge('c', 'm')
          .edge('m', 'b')
          .build(),
      ).s;
    const open = mk(false);
    expect(flow(open, 'a', 'b')).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
    expect(flow(open, 'c', 'b')).toMatchObject({ sent: 2, delivered: 2, dropped: 0 });
    const halted = mk(true);
    expect(flow(halted, 'a', 'b')).toMatchObject({ sent: 2, delivered: 1, dropped: 1 });
    expect(flow(halted, 'c', 'b')).toMatchObject({ sent: 2, delivered: 1, dropped: 1, bytesCopied: 32 });
  });
});

describe('Relay Request (synchronous mailbox)', () => {
  it('a forwarding service answers requests; it forwards what it receives, not the requests', () => {
    // The networking stack of the templates: the app's requests (outgoing) come in over Relay Request, what the stack
    // forwards to the app (incoming) goes out over Relay Message. Requests are not echoed back as incoming traffic.
    const b = new DesignBuilder('stack', { durationNs: 100 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('app', 'process', 'k', { workload: 'requestResponse', periodNs: 5 * MS })
      .node('rq', 'relayRequest', 'k')
      .node('stack', 'service', 'k', { workload: 'forward' })
      .node('rm', 'relayMessage', 'k')
      .node('src', 'process', 'k', { periodNs: 10 * MS })
      .node('ch', 'twoCopyChannel', 'k')
      .edge('app', 'rq')
      .edge('rq', 'stack')
      .edge('stack', 'rm')
      .edge('rm', 'app')
      .edge('src', 'ch')
      .edge('ch', 'stack');
    const { s } = run(b.build());
    expect(flow(s, 'app', 'stack').delivered).toBeGreaterThan(10);
    // Only the 10 messages from src are forwarded.
    expect(flow(s, 'src', 'stack').delivered).toBe(10);
    expect(flow(s, 'stack', 'app').sent).toBe(10);
  });

  it('a forwarding service sends the requests it answers out to its device (the outgoing side), over Relay Request and legacy IPC', () => {
    for (const mech of ['relayRequest', 'legacyIpc']) {
      const b = new DesignBuilder('tx', { durationNs: 100 * MS })
        .kernel('k', { chip: 'stm32f429' })
        .node('app', 'process', 'k', { workload: 'requestResponse', periodNs: 5 * MS })
        .node('rq', mech, 'k')
        .node('stack', 'service', 'k', { workload: 'forward' })
        .node('eth', 'stm32Ethernet', 'k', { rxWorkload: 'none' })
        .node('rm', 'relayMessage', 'k')
        .edge('app', 'rq')
        .edge('rq', 'stack')
        .edge('stack', 'eth', 'out', 'tx')
        .edge('stack', 'rm')
        .edge('rm', 'app');
      const { s } = run(b.build());
      const requests = flow(s, 'app', 'stack').delivered;
      expect(requests, mech).toBeGreaterThan(10);
      expect(flow(s, 'stack', 'eth').sent, mech).toBe(requests);
      expect(flow(s, 'stack', 'app').sent, mech).toBe(0);
    }
  });

  it('the server takes waiting clients round robin, not in arrival order', () => {
    // a, b, c connected in that order; a asks at 0, c's alarm fires at 1 ms, b's at 2 ms. Serving takes 25 ms of CPU:
    // the 10 ms timeslice lets c, then b, send while a's request is being served. When a is done, b and c both
    // wait: round robin after a is b, then c (arrival order would serve c first).
    const b = new DesignBuilder('rr', { durationNs: 150 * MS })
      .kernel('k')
      .node('a', 'process', 'k', { workload: 'requestResponse', messageLimit: 1, timeoutNs: 0, startNs: 0 })
      .node('b', 'process', 'k', { workload: 'requestResponse', messageLimit: 1, timeoutNs: 0, startNs: 2 * MS })
      .node('c', 'process', 'k', { workload: 'requestResponse', messageLimit: 1, timeoutNs: 0, startNs: 1 * MS })
      .node('rq', 'relayRequest', 'k')
      .node('s', 'service', 'k', { serviceTimeNs: 25 * MS })
      .edge('a', 'rq')
      .edge('b', 'rq')
      .edge('c', 'rq')
      .edge('rq', 's');
    const { s } = run(b.build());
    const done = (p: string): number => flow(s, p, 's').latencyNs.max + (p === 'b' ? 2 * MS : 1 * MS);
    expect(flow(s, 'b', 's').delivered).toBe(1);
    expect(flow(s, 'c', 's').delivered).toBe(1);
    // b's answer comes back before c's.
    expect(done('b')).toBeLessThan(done('c'));
  });
  it('a flow counts the bytes copied for a request after its client gave up, as the mechanism does', () => {
    // The client times out after 3 ms; the service takes 5 ms: every request is copied in (and its response out)
    // after its message was resolved as timed out.
    const { s } = run(pair('relayRequest', {}, { workload: 'requestResponse', periodNs: 10 * MS, timeoutNs: 3 * MS }, { serviceTimeNs: 5 * MS }, 'service').build(), { durationNs: 200 * MS });
    const f = flow(s, 'a', 'b');
    expect(f.timedOut).toBeGreaterThan(10);
    expect(f.delivered).toBe(0);
    expect(f.bytesCopied).toBe(s.mechanisms[0]!.bytesCopied);
    expect(f.bytesCopied).toBeGreaterThan(0);
  });
  it('measures the round trip with 2 copies: request and response', () => {
    const { s } = run(pair('relayRequest', {}, { workload: 'requestResponse' }, {}, 'service').build(), { durationNs: 10 * MS });
    const f = flow(s, 'a', 'b');
    // Client allow + command: 800 cycles (16,000 ns). Service upcall 640 + 3 syscalls 1,200 + copies of 64 + 64 B
    // (387.88) = 2,227.88 cycles → 44,558 ns, plus the 50 µs service time. Client upcall + allow: 20,800 ns.
    expect(f.latencyNs.p50).toBe(16_000 + 44_558 + 50_000 + 20_800);
    expect(f.copiesPerMessage).toBe(2);
    expect(f.bytesCopied).toBe(f.delivered * 128);
  });

  it('refuses a second request while one is outstanding (ALREADY)', () => {
    const { s } = run(pair('relayRequest', {}, { periodNs: 5 * MS }, { serviceTimeNs: 12 * MS }, 'service').build(), { durationNs: 30 * MS });
    const f = flow(s, 'a', 'b');
    expect(f.dropped).toBeGreaterThan(0);
    expect(f.delivered + f.dropped).toBeLessThanOrEqual(f.sent);
  });

  it('times out in userspace without freeing the kernel slot', () => {
    const { s } = run(pair('relayRequest', {}, { workload: 'requestResponse', periodNs: 1 * MS, timeoutNs: 5 * MS }, { serviceTimeNs: 8 * MS }, 'service').build(), { durationNs: 40 * MS });
    const f = flow(s, 'a', 'b');
    expect(f.timedOut).toBeGreaterThan(0);
    expect(f.dropped).toBeGreaterThan(0); // sends after a timeout hit the still-outstanding request
  });
});

describe('shared memory', () => {
  it('copies nothing and holds one region per active chunk in the service', () => {
    const { s } = run(pair('sharedMemory').build());
    const f = flow(s, 'a', 'b');
    expect(f.copiesPerMessage).toBe(0);
    // First message activates the chunk (syscall + MPU rewrite: 440 cycles); later ones find it active.
    expect(f.latencyNs.max).toBe((400 + 640 + 440) * 20);
    expect(f.latencyNs.p50).toBe((400 + 640) * 20);
    expect(s.processes.find((p) => p.id === 'b')!.mpuRegionsPeak).toBe(4);
  });

  it('runs out of regions with more clients than free regions, then falls back to a kernel copy', () => {
    const b = new DesignBuilder('six clients', { durationNs: 50 * MS }).kernel('k').node('m', 'sharedMemory', 'k').node('svc', 'service', 'k').edge('m', 'svc');
    for (let i = 0; i < 6; i++) b.node(`c${i}`, 'process', 'k', { periodNs: 10 * MS, startNs: i * 1_000 }).edge(`c${i}`, 'm');
    const { s } = run(b.build());
    const svc = s.processes.find((p) => p.id === 'svc')!;
    expect(svc.mpuRegionsPeak).toBe(8); // 3 own + 5 free on ARMv7-M
    expect(svc.mpuMapFailures).toBeGreaterThan(0);
    expect(flow(s, 'c5', 'svc').copiesPerMessage).toBe(1);
    expect(flow(s, 'c0', 'svc').copiesPerMessage).toBe(0);
    const failing = run(new DesignBuilder('x', { durationNs: 50 * MS }).kernel('k').node('m', 'sharedMemory', 'k', { onNoRegion: 'fail', chunkPlacement: 'unaligned' }).node('svc', 'service', 'k').node('c', 'process', 'k').edge('c', 'm').edge('m', 'svc').build()).s;
    expect(flow(failing, 'c', 'svc')).toMatchObject({ delivered: 0, failed: 5 });
  });

  it('frees the region after each message when chunks are not kept active', () => {
    const { s } = run(pair('sharedMemory', { keepActive: false }).build());
    expect(s.processes.find((p) => p.id === 'b')!.mpuRegionsPeak).toBe(4);
    expect(flow(s, 'a', 'b').latencyNs.p50).toBe((400 + 640 + 440) * 20);
  });
});

describe('legacy share + notify', () => {
  it('takes the measured 19,300 cycles one way and one region per client buffer, never freed', () => {
    const { s } = run(pair('legacyIpc', {}, {}, { serviceTimeNs: 0 }, 'service').build());
    const f = flow(s, 'a', 'b');
    expect(f.latencyNs.p50).toBe(19_300 * 20);
    expect(f.copiesPerMessage).toBe(0);
    expect(s.processes.find((p) => p.id === 'b')!).toMatchObject({ mpuRegionsPeak: 4, mpuMapFailures: 0 });
  });

  it('fires the upcall for an unmappable buffer and the service faults', () => {
    const { s } = run(pair('legacyIpc', { bufferPlacement: 'unaligned' }, {}, {}, 'service').build(), { durationNs: 30 * MS });
    const svc = s.processes.find((p) => p.id === 'b')!;
    expect(svc.mpuMapFailures).toBe(3);
    expect(svc.restarts).toBe(3);
    expect(flow(s, 'a', 'b')).toMatchObject({ delivered: 0, failed: 3 });
  });
});

describe('registry', () => {
  it('registration is a command completed by an upcall; every other app is told of it; a restart registers again', () => {
    // a and b register; c only listens. Syscalls: each registration is a command + the yield its upcall returns from
    // (2 × 2); each "new service registered" upcall returns a yield in the two other apps (2 × 2): 8. a crashes at
    // 5 ms and restarts at once: it registers again (2) and b and c are told (2): 12.
    const mk = (crash: boolean): ReturnType<typeof run>['s'] => {
      const b = new DesignBuilder('reg', { durationNs: 10 * MS })
        .kernel('k')
        .node('a', 'process', 'k', { workload: 'none', restartDelayNs: 0 })
        .node('b', 'process', 'k', { workload: 'none' })
        .node('c', 'process', 'k', { workload: 'none' })
        .node('reg', 'registry', 'k')
        .edge('a', 'reg')
        .edge('b', 'reg');
      if (crash) b.node('pc', 'processCrash', undefined, { targetId: 'a', atNs: 5 * MS });
      return run(b.build()).s;
    };
    expect(mk(false).kernels[0]).toMatchObject({ syscalls: 8, upcallsDropped: 0 });
    expect(mk(true).kernels[0]).toMatchObject({ syscalls: 12, upcallsDropped: 0 });
  });
});

describe('patterns', () => {
  it('latest value: push-to-all copies in once and out once per reader; polling readers miss replaced values', () => {
    const mk = (params: Record<string, string | number>): DesignBuilder =>
      new DesignBuilder('lv', { durationNs: 100 * MS })
        .kernel('k')
        .node('pub', 'process', 'k', { periodNs: 2 * MS })
        .node('lv', 'latestValue', 'k', params)
        .node('r1', 'process', 'k', { workload: 'none' })
        .node('r2', 'process', 'k', { workload: 'none' })
        .edge('pub', 'lv')
        .edge('lv', 'r1')
        .edge('lv', 'r2');
    const push = run(mk({}).build()).s;
    const publishes = flow(push, 'pub', 'r1').sent;
    expect(publishes).toBe(50);
    expect(push.mechanisms[0]!.copies).toBe(publishes * 3);
    for (const r of ['r1', 'r2']) expect(flow(push, 'pub', r)).toMatchObject({ delivered: 50, overwritten: 0, copiesPerMessage: 2, bytesCopied: 50 * 2 * 16 });
    // Readers poll every 10 ms while a value is published every 2 ms: polls at 10 … 90 ms complete (the one at
    // 100 ms ends after the run), each value is read, replaced unseen, or still held at the end (the last one).
    const poll = run(mk({ delivery: 'readOnDemand', readPeriodNs: 10 * MS }).build()).s;
    for (const r of ['r1', 'r2']) {
      const f = flow(poll, 'pub', r);
      expect(f.delivered).toBe(9);
      expect(f.overwritten).toBe(50 - 9 - 1);
      expect(f.copiesPerMessage).toBe(2);
    }
    expect(poll.mechanisms[0]!.copies).toBe(50 + 2 * 9);
  });

  it('latest value: one slot per value ID: a publish replaces only its own ID; polls read every ID in use', () => {
    // Two publishers (IDs 0 and 1) every 2 ms, one reader polling every 10 ms: each poll reads both IDs. Before,
    // one slot for all IDs made each publish replace the other publisher's value.
    const b = new DesignBuilder('ids', { durationNs: 100 * MS })
      .kernel('k')
      .node('p0', 'process', 'k', { periodNs: 10 * MS, startNs: 1 * MS })
      .node('p1', 'process', 'k', { periodNs: 10 * MS, startNs: 2 * MS })
      .node('lv', 'latestValue', 'k', { delivery: 'readOnDemand', readPeriodNs: 10 * MS })
      .node('r', 'process', 'k', { workload: 'none' })
      .edge('p0', 'lv')
      .edge('p1', 'lv')
      .edge('lv', 'r');
    const { s } = run(b.build());
    // Publishes at 1, 11 … 91 ms and 2, 12 … 92 ms; polls at 10 … 90 ms read both values published since the last.
    for (const p of ['p0', 'p1']) expect(flow(s, p, 'r')).toMatchObject({ sent: 10, delivered: 9, overwritten: 0 });
    // 20 publishes in; 9 polls × 2 IDs out.
    expect(s.mechanisms[0]!.copies).toBe(20 + 9 * 2);
    // The same with 1 value ID: the two publishers share it and replace each other.
    const one = new DesignBuilder('one', { durationNs: 100 * MS })
      .kernel('k')
      .node('p0', 'process', 'k', { periodNs: 10 * MS, startNs: 1 * MS })
      .node('p1', 'process', 'k', { periodNs: 10 * MS, startNs: 2 * MS })
      .node('lv', 'latestValue', 'k', { delivery: 'readOnDemand', readPeriodNs: 10 * MS, valueIds: 1 })
      .node('r', 'process', 'k', { workload: 'none' })
      .edge('p0', 'lv')
      .edge('p1', 'lv')
      .edge('lv', 'r');
    const o = run(one.build()).s;
    expect(flow(o, 'p0', 'r')).toMatchObject({ sent: 10, delivered: 0, overwritten: 10 });
    expect(flow(o, 'p1', 'r')).toMatchObject({ sent: 10, delivered: 9, overwritten: 0 });
  });

  it('latest value behind a CAN gateway: each frame is published under its own value ID', () => {
    // The can-latest-value template with polling readers: 8 IDs refreshed every 10 ms, read every 10 ms: nothing is
    // replaced unseen (before, every frame replaced the previous ID's value: 7 in 8 were lost).
    const d = new DesignBuilder('can', { durationNs: 200 * MS })
      .kernel('k0', { chip: 'stm32f429' })
      .node('can', 'canSource', 'k0', { periodNs: 10 * MS, valueIds: 8, frameBytes: 8 })
      .node('gw', 'process', 'k0', { workload: 'forward' })
      .node('lv', 'latestValue', 'k0', { valueIds: 8, valueBytes: 8, delivery: 'readOnDemand', readPeriodNs: 10 * MS })
      .node('r', 'process', 'k0', { workload: 'none' })
      .edge('can', 'gw', 'rx', 'in')
      .edge('gw', 'lv')
      .edge('lv', 'r')
      .build();
    const f = flow(run(d).s, 'gw', 'r');
    expect(f.sent).toBeGreaterThan(150);
    expect(f.overwritten).toBe(0);
    expect(f.delivered).toBeGreaterThanOrEqual(f.sent - 8);
  });

  it('event counter: read-and-reset splits increments between readers; continuous readers see all', () => {
    const mk = (mode: string): DesignBuilder =>
      new DesignBuilder('ec', { durationNs: 105 * MS })
        .kernel('k')
        .node('p', 'process', 'k', { periodNs: 1 * MS })
        .node('c', 'eventCounter', 'k', { mode, readPeriodNs: 10 * MS })
        .node('r1', 'process', 'k', { workload: 'none' })
        .node('r2', 'process', 'k', { workload: 'none' })
        .edge('p', 'c')
        .edge('c', 'r1')
        .edge('c', 'r2');
    const reset = run(mk('readAndReset').build()).s;
    const f1 = flow(reset, 'p', 'r1');
    const f2 = flow(reset, 'p', 'r2');
    expect(f1.dropped + f2.dropped).toBeGreaterThan(0);
    expect(f1.copiesPerMessage).toBe(0);
    const cont = run(mk('continuous').build()).s;
    expect(flow(cont, 'p', 'r1')).toMatchObject({ dropped: 0, delivered: 100 });
    expect(flow(cont, 'p', 'r2')).toMatchObject({ dropped: 0, delivered: 100 });
  });

  it('numeric FIFO moves small values in registers (0 copies) and rejects when full', () => {
    const { s } = run(pair('numericFifo', { capacity: 2 }, { workload: 'burst', burstSize: 5, burstPeriodNs: 100 * MS }, { serviceTimeNs: 10 * MS }, 'service').build(), { durationNs: 50 * MS });
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 5, delivered: 2, dropped: 3, copiesPerMessage: 0 });
  });

  it('packet FIFO: capacity in bytes; packets over the maximum are refused', () => {
    const burst = { workload: 'burst', burstSize: 3, burstPeriodNs: 100 * MS, payloadBytes: 400 };
    const { s } = run(pair('packetFifo', { capacityBytes: 1_000 }, burst, { serviceTimeNs: 10 * MS }, 'service').build(), { durationNs: 50 * MS });
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 3, delivered: 2, dropped: 1, copiesPerMessage: 2 });
    const big = run(pair('packetFifo', {}, { payloadBytes: 2_000 }).build()).s;
    expect(flow(big, 'a', 'b')).toMatchObject({ delivered: 0, dropped: 10 });
  });

  it('ring buffer overwrites the oldest', () => {
    const { s } = run(pair('ringBuffer', { capacity: 2 }, { workload: 'burst', burstSize: 5, burstPeriodNs: 100 * MS }, { serviceTimeNs: 10 * MS }, 'service').build(), { durationNs: 50 * MS });
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 5, delivered: 2, overwritten: 3 });
  });
});

describe('inter-kernel channel', () => {
  // RP2040: 125 MHz → 8 ns/cycle; syscall 550, upcall 550 + 40 + 200 = 790, IPI 15 + 200, exception exit 10,
  // copy 0.25 B/cycle.
  const two = (mode: string): DesignBuilder =>
    new DesignBuilder('ikc', { durationNs: 100 * MS })
      .kernel('k0', { chip: 'rp2040' })
      .kernel('k1', { chip: 'rp2040' })
      .node('a', 'process', 'k0', { periodNs: 10 * MS })
      .node('ch', 'interKernelChannel', undefined, { mode })
      .node('b', 'process', 'k1', { workload: 'none' })
      .edge('a', 'ch')
      .edge('ch', 'b');

  it('by copy: 2 copies (allow → ring → receiver)', () => {
    const { s } = run(two('byCopy').build());
    const f = flow(s, 'a', 'b');
    // sender allow + command 1,100 + copy 64 B (256); IPI on core 1: 215 + 10 + copy 256; receiver upcall 790 less
    // the MPU reprogramming (40: b is the only process on core 1, its MPU configuration stays loaded) + allow 550
    // → 3,137 cycles × 8 ns.
    expect(f.latencyNs.p50).toBe(3_137 * 8);
    expect(f.copiesPerMessage).toBe(2);
    expect(s.processes.find((p) => p.id === 'b')!.mpuRegionsPeak).toBe(3);
  });

  it('by reference: 0 copies, +1 MPU region in the receiver while it reads', () => {
    const { s } = run(two('byReference').build());
    const f = flow(s, 'a', 'b');
    // IPI 215 + exit 10 + MPU reprogram 40 (the sender's buffer mapped) + upcall 790 − 40 (same process) + allow.
    expect(f.latencyNs.p50).toBe((1_100 + 215 + 10 + 40 + 750 + 550) * 8);
    expect(f.copiesPerMessage).toBe(0);
    expect(s.processes.find((p) => p.id === 'b')!.mpuRegionsPeak).toBe(4);
  });

  it('one message in flight per process: a send whose command finds it still in the ring fails before its copy', () => {
    // A burst of 2 with no app work; the ring is checked where the command starts. Message 1: alarm upcall 790 +
    // allow + command 1,100 + copy; it is in flight until core 1's interrupt (IPI 215 + exit 10 + the copy out)
    // takes it out of the ring. Message 2's job starts at once; its command starts after its allow (550 cycles).
    const burst = (payloadBytes: number): DesignBuilder =>
      new DesignBuilder('ikc', { durationNs: 1 * MS })
        .kernel('k0', { chip: 'rp2040' })
        .kernel('k1', { chip: 'rp2040' })
        .node('a', 'process', 'k0', { workload: 'burst', burstSize: 2, burstPeriodNs: 100 * MS, messageLimit: 2, appCycles: 0, payloadBytes })
        .node('ch', 'interKernelChannel', undefined, { mode: 'byCopy' })
        .node('b', 'process', 'k1', { workload: 'none' })
        .edge('a', 'ch')
        .edge('ch', 'b');
    // 256 B: core 1 takes message 1 out after 225 + 1,024 = 1,249 cycles, later than message 2's check at 550: it
    // fails, paying allow + command only. Core 0: (790 + 1,100 + 1,024) + 1,100 = 4,014 cycles × 8 = 32,112 ns of
    // the 1 ms run (3.2 %; with the copy it would be 40,304 ns, 4.0 %).
    const big = run(burst(256).build()).s;
    expect(flow(big, 'a', 'b')).toMatchObject({ sent: 2, delivered: 1, dropped: 1, bytesCopied: 2 * 256 });
    expect(big.mechanisms[0]).toMatchObject({ copies: 2, drops: 1 });
    expect(big.kernels.find((k) => k.id === 'k0')!.cpuUtilization).toBe(0.032);
    // 64 B: core 1 takes it out after 225 + 256 = 481 cycles, before message 2's command checks: both go.
    const small = run(burst(64).build()).s;
    expect(flow(small, 'a', 'b')).toMatchObject({ sent: 2, delivered: 2, dropped: 0 });
  });

  it('the check point moves with the upcall\'s MPU saving, and a sender that dies after its check leaves nothing behind', () => {
    const design = (k0: Record<string, number | string>, faults: (b: DesignBuilder) => DesignBuilder = (b) => b): ReturnType<DesignBuilder['build']> =>
      faults(
        new DesignBuilder('ikc', { durationNs: 8 * MS })
          .kernel('k0', { chip: 'rp2040', ...k0 })
          .kernel('k1', { chip: 'rp2040' })
          .node('a', 'process', 'k0', { periodNs: 1 * MS, appCycles: 0, payloadBytes: 64, restartDelayNs: 0 })
          .node('ch', 'interKernelChannel', undefined, { mode: 'byCopy' })
          .node('b', 'process', 'k1', { workload: 'none' })
          .node('down', 'linkDown', undefined, { targetId: 'ch', atNs: 2.5 * MS, downForNs: 1 * MS })
          .edge('a', 'ch')
          .edge('ch', 'b'),
      ).build();
    // Sends every 1 ms from 0; the one at 3 ms finds the link down at its check (1 µs of allow in at 3,010,400 ns).
    expect(flow(run(design({})).s, 'a', 'b')).toMatchObject({ sent: 8, delivered: 7, dropped: 1 });
    // An MPU reprogramming dearer than a syscall: the upcall's saving moves the check point with it (before, the
    // refused send's job went negative and the run threw).
    expect(flow(run(design({ syscallCycles: 10, mpuReprogramCycles: 100 })).s, 'a', 'b')).toMatchObject({ sent: 8, delivered: 7, dropped: 1 });
    // a crashes 1 µs after that check and restarts at once: its refused send is gone with it, and the new instance's
    // send at 4 ms goes (before, the stale refusal dropped it).
    const crashed = run(design({}, (b) => b.node('crash', 'processCrash', undefined, { targetId: 'a', atNs: 3_011_400 }))).s;
    expect(flow(crashed, 'a', 'b')).toMatchObject({ sent: 7, delivered: 7, dropped: 0 });
  });
});

describe('schedulers', () => {
  it('a job cut by its time slice after a context switch still does all its work (the switch is not part of it)', () => {
    // rp2040 (8 ns/cycle; context switch 550 + 40 + 200 = 790 cycles = 6,320 ns), round robin with a 1 ms slice.
    // A's alarm job: upcall 790 + app 250,000 + command 550 = 2,010,720 ns. B's alarm (at 0.5 ms) waits; at 1 ms
    // A's slice ends and B runs (upcall + app 1,000 + command: 18,720 ns), then A again: a switch (6,320) + 1 ms of
    // its job; then the sink's upcall + work (6,320 + 8,000) for B's message, then A: a switch + its last 10,720 ns,
    // then the sink for A's message (14,320). Busy: 2,010,720 + 2 × 6,320 + 18,720 + 2 × 14,320 = 2,070,720 ns of
    // the 3 ms run (69.0 %). Counting the switch as A's work would end A's job 6,320 ns early (68.8 %).
    const d = new DesignBuilder('slices', { durationNs: 3 * MS })
      .kernel('k', { chip: 'rp2040', timesliceNs: 1 * MS })
      .node('a', 'process', 'k', { periodNs: 100 * MS, messageLimit: 1, appCycles: 250_000 })
      .node('b', 'process', 'k', { periodNs: 100 * MS, startNs: 0.5 * MS, messageLimit: 1, appCycles: 1_000 })
      .node('n1', 'notification', 'k')
      .node('n2', 'notification', 'k')
      .node('s', 'process', 'k', { workload: 'none' })
      .edge('a', 'n1')
      .edge('n1', 's')
      .edge('b', 'n2')
      .edge('n2', 's')
      .build();
    const { s } = run(d);
    expect([flow(s, 'a', 's').delivered, flow(s, 'b', 's').delivered]).toEqual([1, 1]);
    expect(s.kernels[0]!.cpuUtilization).toBe(0.69);
  });

  // A 30 ms job on one process and a 1 ms periodic pair on the same kernel: the pair's latency shows the policy.
  const contended = (scheduler: string): DesignBuilder =>
    new DesignBuilder('sched', { durationNs: 200 * MS })
      .kernel('k', { scheduler })
      .node('hogger', 'process', 'k', { periodNs: 40 * MS, priority: 20 })
      .node('n', 'notification', 'k')
      .node('hog', 'service', 'k', { serviceTimeNs: 30 * MS, priority: 20 })
      .edge('hogger', 'n')
      .edge('n', 'hog')
      .node('a', 'process', 'k', { periodNs: 1 * MS, priority: 0 })
      .node('m', 'twoCopyChannel', 'k')
      .node('b', 'process', 'k', { workload: 'none', priority: 0 })
      .edge('a', 'm')
      .edge('m', 'b');

  it('round robin bounds the wait by the 10 ms timeslice; cooperative lets the hog run 30 ms', () => {
    const rr = flow(run(contended('roundRobin').build()).s, 'a', 'b');
    const coop = flow(run(contended('cooperative').build()).s, 'a', 'b');
    expect(rr.latencyNs.max).toBeLessThan(12 * MS);
    expect(rr.latencyNs.max).toBeGreaterThan(9 * MS);
    expect(coop.latencyNs.max).toBeGreaterThan(25 * MS);
  });

  it('the priority scheduler takes the CPU from the low-priority hog as soon as a better process is ready', () => {
    const pr = flow(run(contended('priority').build()).s, 'a', 'b');
    // No timeslice to wait for: the alarm's interrupt hands the CPU to a at once, and b (priority 0) goes next.
    expect(pr.latencyNs.max).toBeLessThan(1 * MS);
  });

  it('the priority scheduler breaks a tie by process order: an app listed earlier takes the CPU at the next interrupt', () => {
    // b (listed after r, same priority) works 40 ms from 0; a CAN frame for r arrives every 10 ms. Its interrupt lets
    // the scheduler choose again, and r, ranked before b (Tock ranks by the process array), runs at once.
    const d = new DesignBuilder('tie', { durationNs: 100 * MS })
      .kernel('k', { scheduler: 'priority', chip: 'stm32f429' })
      .node('can', 'canSource', 'k', { periodNs: 10 * MS, valueIds: 1 })
      .node('r', 'process', 'k', { workload: 'none' })
      .node('b', 'process', 'k', { periodNs: 100 * MS, appCycles: 2_000_000 })
      .node('n', 'notification', 'k')
      .node('sink', 'process', 'k', { workload: 'none' })
      .edge('can', 'r', 'rx', 'in')
      .edge('b', 'n')
      .edge('n', 'sink')
      .build();
    // Without the tie-break b would keep the CPU to its yield: frames arriving meanwhile waited up to 30 ms.
    expect(flow(run(d).s, 'can', 'r').latencyNs.max).toBeLessThan(1 * MS);
  });

  it('the priority scheduler has no timeslice: equal priorities run in process order, each to its yield', () => {
    // Two processes with 40 ms of work per 100 ms (2,000,000 cycles at 50 MHz), same priority: nothing slices a run,
    // so each upcall runs its 40 ms through (round robin cuts it into 10 ms slices and switches between them).
    const d = (scheduler: string): Design =>
      new DesignBuilder('prio', { durationNs: 1_000 * MS })
        .kernel('k', { scheduler })
        .node('a', 'process', 'k', { periodNs: 100 * MS, appCycles: 2_000_000 })
        .node('b', 'process', 'k', { periodNs: 100 * MS, appCycles: 2_000_000, startNs: 1 * MS })
        .node('n', 'notification', 'k')
        .node('r', 'process', 'k', { workload: 'none' })
        .edge('a', 'n')
        .edge('b', 'n')
        .edge('n', 'r')
        .build();
    const pr = run(d('priority')).s;
    const rr = run(d('roundRobin')).s;
    expect([pr.kernels[0]!.contextSwitches, rr.kernels[0]!.contextSwitches]).toEqual([31, 111]);
    // a's notification waits for b's whole 40 ms run: r, of the same priority, is listed after b.
    expect(flow(pr, 'a', 'r').latencyNs.p50).toBeGreaterThan(40 * MS);
    expect(flow(pr, 'a', 'r').latencyNs.p50).toBeLessThan(40.1 * MS);
    expect(flow(rr, 'a', 'r').latencyNs.p50).toBeLessThan(0.1 * MS);
  });
});
