import { describe, expect, it } from 'vitest';
import type { ParamValue } from '../../../../src-shared/catalog';
import type { Design } from '../../../../src-shared/model';
import { MemoryRecorder } from '../../../../src-main/engine/core/recorder';
import { runDesign } from '../../../../src-main/engine/tock/run';
import { DesignBuilder } from '../../../fixtures/builder';
import { flow, run } from './helpers';

// Faults (tock-model §1, §7, §8): a process crash drops its queued work and upcalls, nulls its grants (shares,
// subscriptions, registrations), resets its MPU to flash + RAM and restarts it per its policy as a new generation;
// a kernel failure stops its processes for good (see multikernel.test.ts); a link goes down and comes back (see
// peripherals.test.ts for peripherals and multikernel.test.ts for the inter-kernel channel).
// STM32F429: 50 MHz → 20 ns/cycle.
const MS = 1_000_000;
type P = Record<string, ParamValue>;

function pair(mech: string, sender: P = {}, receiver: P = { workload: 'none' }, receiverKind = 'process', mechParams: P = {}): DesignBuilder {
  return new DesignBuilder('pair', { durationNs: 100 * MS })
    .kernel('k', { chip: 'stm32f429' })
    .node('a', 'process', 'k', { periodNs: 1 * MS, ...sender })
    .node('m', mech, 'k', mechParams)
    .node('b', receiverKind, 'k', receiver)
    .edge('a', 'm')
    .edge('m', 'b');
}

/** Runs with a memory recorder; returns the points of series `key` as [timeNs, value]. */
function seriesOf(design: Design, key: string): [number, number][] {
  const rec = new MemoryRecorder();
  const out = runDesign(design, 'test', { seed: design.run.seed, durationNs: design.run.durationNs, recorder: rec });
  const i = out.series.findIndex((x) => x.key === key);
  return rec.seriesPoints(i).map((p) => [p.timeNs, p.value]);
}

describe('process crash and restart', () => {
  it('messages for a dead receiver fail (NODEVICE); after the restart they reach the new instance', () => {
    const b = pair('twoCopyChannel', {}, { workload: 'none', restartDelayNs: 5 * MS }).node('pc', 'processCrash', undefined, { targetId: 'b', atNs: 10 * MS + 500_000 });
    const { s } = run(b.build());
    // Sends every 1 ms; dead from 10.5 to 15.5 ms: the sends at 11 … 15 ms fail.
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 100, delivered: 95, failed: 5, dropped: 0, stale: 0 });
    expect(s.processes.find((p) => p.id === 'b')!.restarts).toBe(1);
  });

  it('upcalls queued for the crashed process are dropped, their messages failed', () => {
    // Five notifications at once; the receiver works 20 ms on the first, so four wait in its upcall queue when it
    // crashes at 10 ms (and never restarts).
    const b = pair('notification', { workload: 'burst', burstSize: 5, burstPeriodNs: 1_000 * MS }, { workload: 'none', appCycles: 1_000_000, restartPolicy: 'never' }).node(
      'pc',
      'processCrash',
      undefined,
      { targetId: 'b', atNs: 10 * MS },
    );
    const { s } = run(b.build());
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 5, delivered: 1, failed: 4 });
    expect(s.processes.find((p) => p.id === 'b')!.restarts).toBe(0);
  });

  it('the work the crashed instance was running is void, even when it restarts before the chunk ends', () => {
    // The sender's alarm job takes 20 ms of app work before its send; it crashes at 5 ms and restarts at once.
    // The old instance's send never happens: only the new instance's, at its next alarm (100 ms).
    const b = pair('twoCopyChannel', { periodNs: 100 * MS, appCycles: 1_000_000, restartDelayNs: 0 }).node('pc', 'processCrash', undefined, { targetId: 'a', atNs: 5 * MS });
    const { s } = run(b.build(), { durationNs: 150 * MS });
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 1, delivered: 1 });
    expect(s.processes.find((p) => p.id === 'a')!.restarts).toBe(1);
  });

  it('MPU back to flash + RAM: a legacy IPC share vanishes at the service crash and is mapped again after', () => {
    const b = pair('legacyIpc', { periodNs: 10 * MS }, { serviceTimeNs: 0, restartDelayNs: 1 * MS }, 'service').node('pc', 'processCrash', undefined, { targetId: 'b', atNs: 25 * MS });
    const pts = seriesOf(b.build(), 'mpu:b');
    // Its own 3 regions from 0; mapped at the first notify (19,300 cycles after the first send's mark), gone at
    // 25 ms, mapped again at 30 ms.
    expect(pts.map(([, v]) => v)).toEqual([3, 4, 3, 4]);
    expect(pts[0]![0]).toBe(0);
    expect(pts[2]![0]).toBe(25 * MS);
    expect(pts[3]![0]).toBeGreaterThan(30 * MS);
  });

  it('shares vanish when the peer restarts: the service loses the dead client\'s chunk', () => {
    const b = pair('sharedMemory', { periodNs: 10 * MS, restartDelayNs: 20 * MS }, {}, 'process').node('pc', 'processCrash', undefined, { targetId: 'a', atNs: 25 * MS });
    const pts = seriesOf(b.build(), 'mpu:b');
    expect(pts.map(([, v]) => v)).toEqual([3, 4, 3, 4]);
    expect(pts[2]![0]).toBe(25 * MS);
    // Reactivated by the first message after the client's restart (at 45 ms; its next alarm at 50 ms).
    expect(pts[3]![0]).toBeGreaterThan(50 * MS);
  });

  it('a restart policy with a threshold stops restarting', () => {
    const b = pair('twoCopyChannel', {}, { workload: 'none', restartPolicy: 'threshold', restartThreshold: 2, restartDelayNs: 1 * MS }).node('pc', 'processCrash', undefined, {
      targetId: 'b',
      trigger: 'atRate',
      ratePerSec: 100,
    });
    const { s } = run(b.build());
    expect(s.processes.find((p) => p.id === 'b')!.restarts).toBe(2);
  });

  // Legacy discovery returns a process-array index without a generation (tock-model §2): the client keeps the
  // index it discovered, so every message after the service's restart reaches the new instance through a stale
  // identifier, until the client itself restarts and discovers again.
  it('legacy IPC: the client\'s stale index reaches the restarted service (counted in `stale`)', () => {
    const b = pair('legacyIpc', { periodNs: 10 * MS }, { serviceTimeNs: 0, restartDelayNs: 1 * MS }, 'service').node('pc', 'processCrash', undefined, { targetId: 'b', atNs: 25 * MS });
    const { s } = run(b.build());
    // Sends at 0 … 90 ms: 0, 10, 20 to the first instance; 30 … 90 (7) through the stale index.
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 10, delivered: 10, stale: 7 });
  });

  it('legacy IPC: a client that restarts discovers the service again (no stale index after it)', () => {
    const b = pair('legacyIpc', { periodNs: 10 * MS }, { serviceTimeNs: 0, restartDelayNs: 1 * MS }, 'service')
      .node('pc', 'processCrash', undefined, { targetId: 'b', atNs: 25 * MS })
      .node('pc2', 'processCrash', undefined, { targetId: 'a', atNs: 55 * MS });
    const withRestart = b.build();
    withRestart.nodes.find((n) => n.id === 'a')!.params.restartDelayNs = 1 * MS;
    const { s } = run(withRestart);
    // 30, 40, 50 ms through the stale index; a restarts at 56 ms and discovers the new instance: 60 … 90 are not.
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 10, delivered: 10, stale: 3 });
  });
  it('a request/response client that restarts runs one request loop: the old instance\'s timer goes with it', () => {
    // Think 10 ms, service 1 ms: a request every ~11 ms. The client crashes while thinking (its timer pending) and
    // restarts at once; only the new instance's timer runs on.
    const design = (crashes: boolean): Design => {
      const b = pair('relayRequest', { workload: 'requestResponse', periodNs: 10 * MS, restartDelayNs: 0 }, { serviceTimeNs: 1 * MS }, 'service');
      if (crashes) b.node('pc', 'processCrash', undefined, { targetId: 'a', atNs: 505 * MS + 300_000 });
      return b.build();
    };
    const healthy = flow(run(design(false), { durationNs: 1_000 * MS }).s, 'a', 'b');
    const { s } = run(design(true), { durationNs: 1_000 * MS });
    const crashed = flow(s, 'a', 'b');
    expect(s.processes.find((p) => p.id === 'a')!.restarts).toBe(1);
    // One loop: at most the requests of the healthy client (the restart costs it a think time), never a second loop.
    expect(crashed.sent).toBeLessThanOrEqual(healthy.sent);
    expect(crashed.sent).toBeGreaterThanOrEqual(healthy.sent - 2);
  });

  it('a request/response client that crashes again and again still runs one loop', () => {
    const b = pair('relayRequest', { workload: 'requestResponse', periodNs: 10 * MS, restartDelayNs: 0 }, { serviceTimeNs: 1 * MS }, 'service').node('pc', 'processCrash', undefined, {
      targetId: 'a',
      trigger: 'atRate',
      ratePerSec: 5,
    });
    const { s } = run(b.build(), { durationNs: 2_000 * MS });
    // At most one request per think time + service time (11 ms) over 2 s.
    expect(flow(s, 'a', 'b').sent).toBeLessThanOrEqual(Math.ceil(2_000 / 11));
    expect(s.processes.find((p) => p.id === 'a')!.restarts).toBeGreaterThan(3);
  });
});

describe('shared memory without keepActive', () => {
  it('the chunk\'s region stays taken while the service works on the message, and is freed by its deactivation', () => {
    // One message at 0; the service works 1 ms on it, then deactivates the chunk (syscall + MPU rewrite).
    const b = pair('sharedMemory', { messageLimit: 1 }, { serviceTimeNs: 1 * MS }, 'service', { keepActive: false });
    const pts = seriesOf(b.build(), 'mpu:b');
    expect(pts.map(([, v]) => v)).toEqual([3, 4, 3]);
    expect(pts[2]![0] - pts[1]![0]).toBeGreaterThan(1 * MS);
  });
});

describe('faults at a rate', () => {
  it('are deterministic and leave the design untouched', () => {
    const d = pair('twoCopyChannel', {}, { workload: 'none', restartDelayNs: 2 * MS }).node('pc', 'processCrash', undefined, { targetId: 'b', trigger: 'atRate', ratePerSec: 20 }).build();
    const before = JSON.stringify(d);
    const x = run(d);
    expect(JSON.stringify(d)).toBe(before);
    const y = run(d);
    expect(JSON.stringify(y.s)).toBe(JSON.stringify(x.s));
    expect(y.fingerprint).toBe(x.fingerprint);
    const b = x.s.processes.find((p) => p.id === 'b')!;
    expect(b.restarts).toBeGreaterThan(0);
    const f = flow(x.s, 'a', 'b');
    expect(f.failed).toBeGreaterThan(0);
    expect(f.delivered + f.failed).toBe(f.sent);
  });
});

describe('fault trace points', () => {
  /** The trace points of a run as [timeNs, kind, a, b], faults only (kinds 5…9). */
  function faultTrace(design: Design, maxTrace?: number): number[][] {
    const rec = new MemoryRecorder();
    runDesign(design, 'test', { seed: design.run.seed, durationNs: design.run.durationNs, recorder: rec, ...(maxTrace !== undefined ? { maxTrace } : {}) });
    return rec.traces().filter((t) => t.kind >= 5).map((t) => [t.timeNs, t.kind, t.a, t.b]);
  }

  /** An STM32 Ethernet MAC feeding one app on one kernel, 100 ms: the faults are added by each test. */
  const ethernet = (): DesignBuilder =>
    new DesignBuilder('eth', { durationNs: 100 * MS }).kernel('k', { chip: 'stm32f429' }).node('eth', 'stm32Ethernet', 'k', {}).node('app', 'process', 'k', { workload: 'none' }).edge('eth', 'app');

  it('a crash late in a run is traced after the cap on the CPU points is reached', () => {
    const d = pair('twoCopyChannel', {}, { workload: 'none', restartDelayNs: 5 * MS }).node('pc', 'processCrash', undefined, { targetId: 'b', atNs: 90 * MS }).build();
    // 100 sends fill a cap of 50 CPU points in the first few milliseconds; the crash (5) and restart (6) are still traced.
    expect(faultTrace(d, 50)).toEqual([
      [90 * MS, 5, 0, 1],
      [95 * MS, 6, 0, 1],
    ]);
  });

  it('a peripheral link going down and up is traced with the link: down, and up when the last outage ends', () => {
    // Two overlapping outages (20–30 ms and 25–40 ms) make one: down at 20 ms, up at 40 ms; a third at 60 ms for good.
    const d = ethernet()
      .node('l1', 'linkDown', undefined, { targetId: 'eth', atNs: 20 * MS, downForNs: 10 * MS })
      .node('l2', 'linkDown', undefined, { targetId: 'eth', atNs: 25 * MS, downForNs: 15 * MS })
      .node('l3', 'linkDown', undefined, { targetId: 'eth', atNs: 60 * MS, downForNs: 0 })
      .build();
    // a = the link's kernel (0), b = the link's mechanism index (0).
    expect(faultTrace(d)).toEqual([
      [20 * MS, 8, 0, 0],
      [40 * MS, 9, 0, 0],
      [60 * MS, 8, 0, 0],
    ]);
  });

  it('a link of a peripheral whose kernel failed is not traced going down or up', () => {
    const d = ethernet()
      .node('kf', 'kernelFailure', undefined, { targetId: 'k', atNs: 10 * MS })
      .node('l1', 'linkDown', undefined, { targetId: 'eth', atNs: 20 * MS, downForNs: 10 * MS })
      .build();
    // The kernel failure (7) and its process's crash (5); no link points (8, 9).
    expect(faultTrace(d).map((t) => t[1])).toEqual([7, 5]);
  });

  it('a link down when its kernel fails does not come back up after', () => {
    const d = ethernet()
      .node('l1', 'linkDown', undefined, { targetId: 'eth', atNs: 5 * MS, downForNs: 20 * MS })
      .node('kf', 'kernelFailure', undefined, { targetId: 'k', atNs: 10 * MS })
      .build();
    // Down (8) at 5 ms, the kernel failure (7) and its process's crash (5) at 10 ms; no link up (9) at 25 ms.
    expect(faultTrace(d).map((t) => [t[0], t[1]])).toEqual([
      [5 * MS, 8],
      [10 * MS, 7],
      [10 * MS, 5],
    ]);
  });
});

describe('message limit', () => {
  it('a burst larger than the limit sends the limit, not the burst', () => {
    const { s } = run(pair('twoCopyChannel', { workload: 'burst', burstSize: 8, burstPeriodNs: 10 * MS, messageLimit: 3 }).build());
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 3, delivered: 3 });
  });

  it('a periodic sender whose sends back up (2 ms of work every 1 ms) stops at its limit', () => {
    // 100,000 app cycles at 50 MHz = 2 ms per message: sends queue up faster than they run.
    const { s } = run(pair('twoCopyChannel', { periodNs: 1 * MS, appCycles: 100_000, messageLimit: 5 }).build());
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 5, delivered: 5 });
  });

  it('sends lost with a crashed sender do not count: its next instance sends up to the limit', () => {
    // 20 ms of app work per send, one alarm every 1 ms: at the crash (5.5 ms) the running send and the queued
    // alarms are lost; the restarted instance sends until 4 messages are sent in all.
    const b = pair('twoCopyChannel', { periodNs: 1 * MS, appCycles: 1_000_000, messageLimit: 4, restartDelayNs: 1 * MS }).node('pc', 'processCrash', undefined, { targetId: 'a', atNs: 5.5 * MS });
    const { s } = run(b.build());
    expect(flow(s, 'a', 'b')).toMatchObject({ sent: 4, delivered: 4 });
  });
});

describe('dropped upcalls per process', () => {
  it('a starved sender shows the alarms it lost (its messages were never sent), and the kernel adds them up', () => {
    // Cooperative kernel: a hog works 30 ms per upcall; the sender's 1 ms alarm piles up past its 10-entry queue.
    const d = new DesignBuilder('starved', { durationNs: 100 * MS })
      .kernel('k', { chip: 'stm32f429', scheduler: 'cooperative' })
      .node('hogger', 'process', 'k', { periodNs: 31 * MS })
      .node('n', 'notification', 'k')
      .node('hog', 'process', 'k', { workload: 'none', appCycles: 1_500_000 })
      .edge('hogger', 'n')
      .edge('n', 'hog')
      .node('a', 'process', 'k', { periodNs: 1 * MS })
      .node('m', 'twoCopyChannel', 'k')
      .node('b', 'process', 'k', { workload: 'none' })
      .edge('a', 'm')
      .edge('m', 'b')
      .build();
    const { s } = run(d);
    const a = s.processes.find((p) => p.id === 'a')!;
    expect(a.upcallsDropped).toBeGreaterThan(0);
    expect(s.processes.reduce((n, p) => n + (p.upcallsDropped ?? 0), 0)).toBe(s.kernels[0]!.upcallsDropped);
    // Of the ~100 alarms in 100 ms each was sent, dropped, or is still queued at the end (at most 10 are).
    const accounted = flow(s, 'a', 'b').sent + a.upcallsDropped!;
    expect(accounted).toBeLessThanOrEqual(101);
    expect(accounted).toBeGreaterThanOrEqual(90);
  });
});
