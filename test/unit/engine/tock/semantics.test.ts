// Semantics at the edges, per tock-model §1, §3, §4, §7 and §8: what happens when a peer restarts, a queue is full,
// a slice runs short or a process faults while it runs. Each case was a way a summary could say something untrue.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryRecorder } from '../../../../src-main/engine/core/recorder';
import { TRACE } from '../../../../src-main/engine/tock/model';
import { runDesign } from '../../../../src-main/engine/tock/run';
import type { Design } from '../../../../src-shared/model';
import { DesignBuilder } from '../../../fixtures/builder';
import { flow, run } from './helpers';

const MS = 1_000_000;

/** Runs with a memory recorder (trace on) and returns it with the summary. */
function recorded(design: Design): { rec: MemoryRecorder; s: ReturnType<typeof run>['s'] } {
  const rec = new MemoryRecorder(false);
  const out = runDesign(design, 'test', { seed: design.run.seed, durationNs: design.run.durationNs, recorder: rec });
  return { rec, s: out.summary };
}

/** Times of the trace points of `kind` about process index `proc`. */
function traceTimes(rec: MemoryRecorder, kind: number, proc: number): number[] {
  return rec.traceTimeNs.filter((_, i) => rec.traceKind[i] === kind && rec.traceB[i] === proc);
}

describe('inter-kernel channel: only a send still in the ring times out', () => {
  // Core 1 is cooperative and a 20 ms hog holds it: b's upcall waits far longer than the 10 ms send timeout, but
  // its kernel took each message out of the ring at once (the IPI), so none of them timed out.
  const design = (failK1 = false): Design => {
    const b = new DesignBuilder('ikc', { durationNs: 200 * MS })
      .kernel('k0', { chip: 'rp2040' })
      .kernel('k1', { chip: 'rp2040', scheduler: 'cooperative' })
      .node('a', 'process', 'k0', { periodNs: 30 * MS })
      .node('ch', 'interKernelChannel', undefined, { mode: 'byCopy' })
      .node('b', 'process', 'k1', { workload: 'none' })
      .node('hog', 'process', 'k1', { periodNs: 25 * MS, appCycles: 2_500_000 })
      .node('n', 'notification', 'k1')
      .node('z', 'process', 'k1', { workload: 'none' })
      .edge('a', 'ch')
      .edge('ch', 'b')
      .edge('hog', 'n')
      .edge('n', 'z');
    if (failK1) b.node('f', 'kernelFailure', undefined, { targetId: 'k1', atNs: 100 * MS });
    return b.build();
  };

  it('a message the destination kernel took is delivered, however long its process waits', () => {
    const { s } = run(design());
    const f = flow(s, 'a', 'b');
    expect(f).toMatchObject({ sent: 7, delivered: 7, timedOut: 0, copiesPerMessage: 2 });
    expect(f.latencyNs.max).toBeGreaterThan(10 * MS);
    expect(s.mechanisms[0]).toMatchObject({ copies: 14, drops: 0 });
  });

  it('sends to a failed kernel are never taken out of the ring and time out', () => {
    const { s } = run(design(true));
    const f = flow(s, 'a', 'b');
    // Sends at 0, 30, 60, 90 ms reach core 1; from 120 ms on core 1 has failed: the first sits in the ring and
    // times out 10 ms later, freeing a's one message in flight for the next, and so on.
    expect(f.timedOut).toBeGreaterThan(0);
    expect(f.sent).toBe(f.delivered + f.timedOut + f.dropped + f.failed);
  });
});

describe('inter-kernel channel by reference: the message is in flight until the receiver has read it', () => {
  // a sends every 5 ms; on core 1 (cooperative) a hog runs 20 ms from 1 ms, so b reads a's first message late.
  const design = (mode: string): Design =>
    new DesignBuilder('ikc', { durationNs: 40 * MS })
      .kernel('k0', { chip: 'rp2040' })
      .kernel('k1', { chip: 'rp2040', scheduler: 'cooperative' })
      .node('a', 'process', 'k0', { periodNs: 5 * MS, messageLimit: 4 })
      .node('ch', 'interKernelChannel', undefined, { mode, timeoutNs: 0 })
      .node('b', 'process', 'k1', { workload: 'none' })
      .node('hog', 'process', 'k1', { periodNs: 1000 * MS, startNs: 1 * MS, appCycles: 2_500_000 })
      .node('n', 'notification', 'k1')
      .node('z', 'process', 'k1', { workload: 'none' })
      .edge('a', 'ch')
      .edge('ch', 'b')
      .edge('hog', 'n')
      .edge('n', 'z')
      .build();

  it('by copy the sender is free once its message left the ring; by reference only once b has read it', () => {
    // By copy: core 1 copies each message out of the ring at its IPI, so all four sends go through.
    expect(flow(run(design('byCopy')).s, 'a', 'b')).toMatchObject({ sent: 4, delivered: 4, dropped: 0 });
    // By reference: b reads the first at once, but the one sent at 5 ms only after the hog (21 ms): the sends at
    // 10 and 15 ms find a's one message still in flight.
    const byRef = run(design('byReference')).s;
    expect(flow(byRef, 'a', 'b')).toMatchObject({ sent: 4, delivered: 2, dropped: 2 });
    expect(byRef.processes.find((p) => p.id === 'b')!.mpuRegionsPeak).toBe(4);
  });
});

describe('Relay Request at the edges', () => {
  it('a response for a client that restarted meanwhile is dropped and does not free the new instance’s request', () => {
    // c asks every 2 ms; s takes 5 ms per request. c faults at 1.2 ms while its request is served and restarts
    // 0.1 ms later; its next requests (2, 4 ms) are refused (ALREADY) only while its own new request is out.
    const b = new DesignBuilder('rr', { durationNs: 12 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('c', 'process', 'k', { workload: 'periodic', periodNs: 2 * MS, restartDelayNs: 100_000 })
      .node('m', 'relayRequest', 'k')
      .node('s', 'service', 'k', { serviceTimeNs: 5 * MS })
      .edge('c', 'm')
      .edge('m', 's')
      .node('f', 'processCrash', undefined, { targetId: 'c', atNs: 1.2 * MS });
    const { s } = run(b.build());
    const f = flow(s, 'c', 's');
    // The first request fails (its client died); the one at 2 ms is served at 5–10 ms and answered; 4, 6, 8 and
    // 10 ms find it outstanding (ALREADY). The stale response at 5 ms used to free the slot, letting 6 ms in.
    expect(f).toMatchObject({ sent: 6, failed: 1, delivered: 1, dropped: 4 });
    // The dead client's request was copied, its response was not (its allow is gone); the answered one: both.
    expect(s.mechanisms[0]).toMatchObject({ copies: 1 + 2 });
  });

  it('a request whose upcall finds the service’s queue full is dropped (NOMEM) instead of waiting forever', () => {
    // A burst of 12 notifications fills s's 10-entry upcall queue just before c's first request.
    const d = new DesignBuilder('rr', { durationNs: 100 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('n1', 'process', 'k', { workload: 'burst', burstSize: 12, burstPeriodNs: 1000 * MS, appCycles: 0 })
      .node('nt', 'notification', 'k')
      .node('c', 'process', 'k', { workload: 'requestResponse', periodNs: 1 * MS, timeoutNs: 0, startNs: 5_000 })
      .node('m', 'relayRequest', 'k')
      .node('s', 'service', 'k', { serviceTimeNs: 10_000 })
      .edge('n1', 'nt')
      .edge('nt', 's')
      .edge('c', 'm')
      .edge('m', 's')
      .build();
    const { s } = run(d);
    const f = flow(s, 'c', 's');
    expect(f.dropped).toBe(1);
    expect(f.delivered).toBe(f.sent - 1);
    expect(f.delivered).toBeGreaterThan(80);
    expect(s.kernels[0]!.upcallsDropped).toBe(3);
  });

  it('after the service restarts, a client’s old identifier gets NODEVICE once; it looks the service up again', () => {
    // c asks every 1 ms (request/response); s serves in 0.1 ms. s faults at 10.5 ms and restarts at 11.5 ms, then
    // registers again (allow, subscribe, command and an upcall: a few µs).
    const d = new DesignBuilder('rr', { durationNs: 20 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('c', 'process', 'k', { workload: 'requestResponse', periodNs: 1 * MS, timeoutNs: 0 })
      .node('m', 'relayRequest', 'k')
      .node('s', 'service', 'k', { serviceTimeNs: 100_000, restartDelayNs: 1 * MS })
      .node('f', 'processCrash', undefined, { targetId: 's', atNs: 10.5 * MS })
      .edge('c', 'm')
      .edge('m', 's')
      .build();
    const { rec, s } = recorded(d);
    const failedAt = rec.msgSendNs.filter((_, i) => rec.msgOutcome[i] !== 0);
    const deliveredAt = rec.msgSendNs.filter((_, i) => rec.msgOutcome[i] === 0);
    // While s is down: NODEVICE at once. The first request after its restart still names the old instance:
    // NODEVICE, and the client looks it up; the next ones are served by the new instance.
    const afterRestart = failedAt.filter((t) => t > 11.5 * MS);
    expect(afterRestart).toHaveLength(1);
    expect(deliveredAt.filter((t) => t > afterRestart[0]!).length).toBeGreaterThan(5);
    expect(flow(s, 'c', 's').stale).toBe(0);
    expect(s.processes.find((p) => p.id === 's')!.restarts).toBe(1);
  });

  it('the response to a dead client is not copied', () => {
    const d = new DesignBuilder('rr', { durationNs: 20 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('c', 'process', 'k', { workload: 'requestResponse', periodNs: 1 * MS, timeoutNs: 0, restartPolicy: 'never' })
      .node('m', 'relayRequest', 'k')
      .node('s', 'service', 'k', { serviceTimeNs: 5 * MS })
      .node('f', 'processCrash', undefined, { targetId: 'c', atNs: 1 * MS })
      .edge('c', 'm')
      .edge('m', 's')
      .build();
    const { s } = run(d);
    expect(flow(s, 'c', 's')).toMatchObject({ sent: 1, failed: 1 });
    expect(s.mechanisms[0]).toMatchObject({ copies: 1, bytesCopied: 64 });
  });
});

describe('latest value: a reader that dies', () => {
  it.each(['pushToAll', 'readOnDemand'])('%s: every value sent is accounted for (the unread one fails with the reader)', (delivery) => {
    const d = new DesignBuilder('lv', { durationNs: 100 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('a', 'process', 'k', { periodNs: 1 * MS })
      .node('m', 'latestValue', 'k', { delivery, readPeriodNs: 10 * MS })
      .node('b', 'process', 'k', { workload: 'none', restartPolicy: 'never' })
      .node('f', 'processCrash', undefined, { targetId: 'b', atNs: 50.5 * MS })
      .edge('a', 'm')
      .edge('m', 'b')
      .build();
    const { s } = run(d);
    const f = flow(s, 'a', 'b');
    expect(f.sent).toBe(100);
    expect(f.delivered + f.overwritten + f.failed + f.dropped + f.timedOut).toBe(f.sent);
    expect(f.bytesCopied).toBe(s.mechanisms[0]!.bytesCopied);
  });
});

describe('MPU alignment waste is the most held at one time (as mpuRegionsPeak)', () => {
  it('a chunk mapped per message and released after it still shows its waste', () => {
    const design = (keepActive: boolean): Design =>
      new DesignBuilder('w', { durationNs: 100 * MS })
        .kernel('k', { chip: 'stm32f429' })
        .node('a', 'process', 'k', { periodNs: 10 * MS })
        .node('m', 'sharedMemory', 'k', { chunkBytes: 3000, keepActive })
        .node('b', 'service', 'k')
        .edge('a', 'm')
        .edge('m', 'b')
        .build();
    // ARMv7-M: 3,000 B rounds up to a 4,096 B region: 1,096 B lost while it is mapped.
    for (const keepActive of [true, false]) {
      const b = run(design(keepActive)).s.processes.find((p) => p.id === 'b')!;
      expect(b).toMatchObject({ mpuRegionsPeak: 4, alignmentWasteBytes: 1_096 });
    }
  });
});

describe('scheduling', () => {
  it('round robin: a slice with under the 500 µs minimum quantum left has expired (the next process runs)', () => {
    // a and b each have 20 ms of work from 0: a runs 0–10 ms, b from 10 ms. The second CAN frame's interrupt
    // (received at 19.87 ms) leaves b 0.13 ms of its slice: b is not resumed for that remainder, a runs at once.
    const d = new DesignBuilder('q', { durationNs: 60 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('a', 'process', 'k', { periodNs: 100 * MS, appCycles: 1_000_000 })
      .node('b', 'process', 'k', { periodNs: 100 * MS, appCycles: 1_000_000 })
      .node('n', 'notification', 'k')
      .node('c', 'process', 'k', { workload: 'none' })
      .node('can', 'canSource', 'k', { periodNs: 9.8 * MS, valueIds: 1 })
      .edge('a', 'n')
      .edge('b', 'n')
      .edge('n', 'c')
      .edge('can', 'c', 'rx', 'in')
      .build();
    const { rec, s } = recorded(d);
    const aIdx = s.processes.findIndex((p) => p.id === 'a');
    const aRuns = traceTimes(rec, TRACE.run, aIdx);
    expect(aRuns[0]).toBe(0);
    expect(aRuns[1]).toBeGreaterThan(19.8 * MS);
    expect(aRuns[1]).toBeLessThan(19.9 * MS);
  });

  it('MLFQ: an alarm interrupts a demoted hog and the level-0 process runs (it is not starved for 50 ms)', () => {
    const design = (scheduler: string): Design =>
      new DesignBuilder('q', { durationNs: 120 * MS })
        .kernel('k', { chip: 'stm32f429', scheduler })
        .node('hog', 'process', 'k', { periodNs: 1000 * MS, appCycles: 5_000_000 })
        .node('n', 'notification', 'k')
        .node('sink', 'process', 'k', { workload: 'none' })
        .node('light', 'process', 'k', { periodNs: 1 * MS, startNs: 1 * MS })
        .node('n2', 'notification', 'k')
        .node('c', 'process', 'k', { workload: 'none' })
        .edge('hog', 'n')
        .edge('n', 'sink')
        .edge('light', 'n2')
        .edge('n2', 'c')
        .build();
    const mlfq = run(design('mlfq')).s;
    const light = flow(mlfq, 'light', 'c');
    expect(light.dropped).toBe(0);
    expect(mlfq.kernels[0]!.upcallsDropped).toBe(0);
    // Its latency stays far below a slice: the hog (demoted after its first 10 ms) yields the CPU at each alarm.
    expect(light.latencyNs.max).toBeLessThan(1 * MS);
    // Round robin has no levels: light waits behind the hog's 10 ms slices and loses alarms.
    const rr = run(design('roundRobin')).s;
    expect(flow(rr, 'light', 'c').latencyNs.max).toBeGreaterThan(5 * MS);
    expect(rr.kernels[0]!.upcallsDropped).toBeGreaterThan(0);
  });

  it('MLFQ: time used at a level adds up over runs; a process that uses its level’s slice in pieces drops a level', () => {
    // p works 4 ms every 5 ms, q 1 ms; both alarms fire together and p's first. Under MLFQ p has used its 10 ms of
    // level 0 during its third period and drops to level 1, so from then on q (level 0) goes first.
    const d = new DesignBuilder('q', { durationNs: 40 * MS })
      .kernel('k', { chip: 'stm32f429', scheduler: 'mlfq' })
      .node('p', 'process', 'k', { periodNs: 5 * MS, appCycles: 200_000 })
      .node('q', 'process', 'k', { periodNs: 5 * MS, appCycles: 50_000 })
      .node('n', 'notification', 'k')
      .node('c', 'process', 'k', { workload: 'none' })
      .edge('p', 'n')
      .edge('q', 'n')
      .edge('n', 'c')
      .build();
    const { rec, s } = recorded(d);
    const sends = (id: string): number[] => {
      const fi = s.flows.findIndex((f) => f.source === id);
      return rec.msgSendNs.filter((_, i) => rec.msgFlow[i] === fi);
    };
    const p = sends('p');
    const q = sends('q');
    // Period 1: p's work is done first.
    expect(p[0]).toBeLessThan(q[0]!);
    // Periods 4 on: q's.
    for (let i = 3; i < 7; i++) expect(q[i]).toBeLessThan(p[i]!);
  });

  it('a process that faults while it runs gives the CPU back at once', () => {
    const design = (crash: boolean): Design => {
      const b = new DesignBuilder('c', { durationNs: 30 * MS })
        .kernel('k', { chip: 'stm32f429' })
        // v: one 9 ms job from 0; it faults at 1 ms. a sends once at 2 ms.
        .node('v', 'process', 'k', { periodNs: 1000 * MS, appCycles: 450_000, restartPolicy: 'never' })
        .node('n', 'notification', 'k')
        .node('sink', 'process', 'k', { workload: 'none' })
        .node('a', 'process', 'k', { periodNs: 1000 * MS, startNs: 2 * MS, messageLimit: 1 })
        .node('n2', 'notification', 'k')
        .node('c', 'process', 'k', { workload: 'none' })
        .edge('v', 'n')
        .edge('n', 'sink')
        .edge('a', 'n2')
        .edge('n2', 'c');
      if (crash) b.node('pc', 'processCrash', undefined, { targetId: 'v', atNs: 1 * MS });
      return b.build();
    };
    const { rec, s } = recorded(design(true));
    const ac = s.flows.findIndex((f) => f.source === 'a');
    const sendNs = rec.msgSendNs[rec.msgFlow.indexOf(ac)]!;
    // a's alarm at 2 ms finds the CPU free (v's remaining 8 ms of work are void): it sends right away.
    expect(sendNs).toBeLessThan(2.1 * MS);
    const healthy = run(design(false)).s;
    expect(s.kernels[0]!.cpuUtilization).toBeLessThan(healthy.kernels[0]!.cpuUtilization / 5);
  });
});

describe('the summary after a warm-up', () => {
  // A two-copy pair sending every 10 ms for 100 ms, and a packet FIFO that rejects half of each burst.
  const design = (): Design =>
    new DesignBuilder('wu', { durationNs: 100 * MS })
      .kernel('k', { chip: 'stm32f429' })
      .node('a', 'process', 'k', { periodNs: 10 * MS })
      .node('m', 'twoCopyChannel', 'k')
      .node('b', 'process', 'k', { workload: 'none' })
      .edge('a', 'm')
      .edge('m', 'b')
      .node('n', 'process', 'k', { workload: 'burst', burstSize: 4, burstPeriodNs: 10 * MS, payloadBytes: 512 })
      .node('pf', 'packetFifo', 'k', { capacityBytes: 1_024 })
      .node('t', 'service', 'k', { serviceTimeNs: 2 * MS })
      .edge('n', 'pf')
      .edge('pf', 't')
      .build();

  it('every counter reports what happened after it, as the flows do', () => {
    const whole = run(design()).s;
    const { s } = run(design(), { warmupNs: 50 * MS });
    const f = flow(s, 'a', 'b');
    expect(f).toMatchObject({ sent: 5, delivered: 5, copiesPerMessage: 2 });
    const m = s.mechanisms.find((x) => x.id === 'm')!;
    expect(m.copies).toBe(f.delivered * 2);
    expect(m.bytesCopied).toBe(f.bytesCopied);
    const fifo = flow(s, 'n', 't');
    expect(s.mechanisms.find((x) => x.id === 'pf')!.drops).toBe(fifo.dropped);
    expect(fifo.dropped).toBe(flow(whole, 'n', 't').dropped / 2);
    // The load repeats every 10 ms: the CPU share of the second half is the whole run's.
    expect(s.kernels[0]!.cpuUtilization).toBeCloseTo(whole.kernels[0]!.cpuUtilization, 2);
    expect(s.kernels[0]!.contextSwitches).toBeLessThan(whole.kernels[0]!.contextSwitches / 2 + 2);
    expect(s.kernels[0]!.syscalls).toBeLessThan(whole.kernels[0]!.syscalls / 2 + 4);
  });

  it('a run that ends within its warm-up reports nothing measured', () => {
    const { s } = run(design(), { warmupNs: 200 * MS });
    expect(flow(s, 'a', 'b').sent).toBe(0);
    expect(s.mechanisms.every((x) => x.copies === 0 && x.drops === 0)).toBe(true);
    expect(s.kernels[0]).toMatchObject({ cpuUtilization: 0, contextSwitches: 0, syscalls: 0 });
  });
});

describe('series', () => {
  it('the CPU load has a last window cut short by the end of the run, over its real width', () => {
    // 1,000,999 ns: windows of 2,002 ns, 499 full ones and one of 2,001 ns.
    const d = new DesignBuilder('cpu', { durationNs: 1_000_999 })
      .kernel('k', { chip: 'stm32f429' })
      .node('a', 'process', 'k', { periodNs: 100_000, appCycles: 2_000 })
      .node('n', 'notification', 'k')
      .node('b', 'process', 'k', { workload: 'none' })
      .edge('a', 'n')
      .edge('n', 'b')
      .build();
    const rec = new MemoryRecorder(false);
    const out = runDesign(d, 'test', { seed: 1, durationNs: 1_000_999, recorder: rec });
    const pts = rec.seriesPoints(out.series.findIndex((x) => x.key === 'cpu:k'));
    expect(pts).toHaveLength(500);
    expect(pts[499]!.timeNs).toBe(499 * 2_002);
    const busy = pts.reduce((sum, p, i) => sum + p.value * (i < 499 ? 2_002 : 2_001), 0);
    expect(busy / 1_000_999).toBeCloseTo(out.summary.kernels[0]!.cpuUtilization, 3);
  });

  it('a process that never maps a share still has its own MPU regions in the series, from 0', () => {
    const d = new DesignBuilder('mpu', { durationNs: 10 * MS }).kernel('k', { chip: 'stm32f429' }).node('a', 'process', 'k', { periodNs: 1 * MS }).node('n', 'notification', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'n').edge('n', 'b').build();
    const rec = new MemoryRecorder(false);
    const out = runDesign(d, 'test', { seed: 1, durationNs: 10 * MS, recorder: rec });
    const pts = rec.seriesPoints(out.series.findIndex((x) => x.key === 'mpu:b'));
    expect(pts.map((p) => [p.timeNs, p.value])).toEqual([[0, 3]]);
  });
});

describe('flow accounting', () => {
  it('closes for every template: sent = delivered + dropped + overwritten + timed out + failed + in flight', () => {
    const dir = join(__dirname, '../../../../resources/examples');
    let inFlight = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const design = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Design;
      const { s } = run(design);
      for (const f of s.flows) {
        expect(f.inFlight, `${file} ${f.id}`).toBeGreaterThanOrEqual(0);
        expect(f.delivered + f.dropped + f.overwritten + f.timedOut + f.failed + f.inFlight!, `${file} ${f.id}`).toBe(f.sent);
        inFlight += f.inFlight!;
      }
    }
    // Some templates end with messages still on their way (a frame on the air, an increment not yet read).
    expect(inFlight).toBeGreaterThan(0);
  });
});
