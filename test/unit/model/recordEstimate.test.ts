import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryRecorder } from '../../../src-main/engine/core/recorder';
import { runDesign } from '../../../src-main/engine/tock/run';
import { BYTES_PER_RECORDED_MESSAGE, RECORD_FIXED_BYTES, estimateRecording, parseDesignText, recordBytes, validateDesign, type Design } from '../../../src-shared/model';
import { DesignBuilder } from '../../fixtures/builder';

const MS = 1_000_000;
const SEC = 1_000_000_000;

/** A kernel whose cheapest send is easy to work out: 100 MHz, 400-cycle syscalls (apps add their own cycles). */
const KERNEL = { clockHz: 100e6, syscallCycles: 400 };

/** The design, after checking that it is one the studio would run (no errors). */
function valid(d: Design): Design {
  expect(validateDesign(d).filter((f) => f.severity === 'error')).toEqual([]);
  return d;
}

/** Estimated messages per flow id. */
function perFlow(d: Design, run: { durationNs: number; warmupNs?: number }): Record<string, number> {
  return Object.fromEntries(estimateRecording(d, run).flows.map((f) => [f.id, f.messages]));
}

describe('estimateRecording: workloads', () => {
  it('periodic: one message per period of the recorded window, from the start time or the end of the warm-up', () => {
    const d = valid(new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'periodic', periodNs: 10 * MS }).node('ch', 'twoCopyChannel', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'ch').edge('ch', 'b').build());
    // Ticks at 0, 10, …, 990 ms: 100 in [0, 1 s).
    expect(estimateRecording(d, { durationNs: SEC }).messages).toBe(100);
    // Messages sent in the warm-up are not recorded: [250 ms, 1 s) holds 75 ticks.
    expect(estimateRecording(d, { durationNs: SEC, warmupNs: 250 * MS }).messages).toBe(75);
    // A workload starting at 500 ms: 50.
    d.nodes[1]!.params.startNs = 500 * MS;
    expect(estimateRecording(d, { durationNs: SEC }).messages).toBe(50);
    // A warm-up as long as the run records nothing.
    expect(estimateRecording(d, { durationNs: SEC, warmupNs: 2 * SEC }).messages).toBe(0);
  });

  it('Poisson: rate × window, plus three standard deviations', () => {
    const d = valid(new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'poisson', ratePerSec: 1000 }).node('ch', 'twoCopyChannel', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'ch').edge('ch', 'b').build());
    // Mean 2,000 in 2 s; + 3 × √2000 = 134.16 → 2,134.16, rounded up.
    expect(estimateRecording(d, { durationNs: 2 * SEC }).messages).toBe(2135);
  });

  it('burst: burstSize per burst period; a message limit caps the connection', () => {
    const b = new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'burst', burstSize: 8, burstPeriodNs: 100 * MS }).node('ch', 'twoCopyChannel', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'ch').edge('ch', 'b');
    expect(estimateRecording(valid(b.build()), { durationNs: SEC }).messages).toBe(80);
    const limited = b.build();
    limited.nodes[1]!.params.messageLimit = 50;
    expect(estimateRecording(valid(limited), { durationNs: SEC }).messages).toBe(50);
  });

  it('request/response: at most one request per think time', () => {
    const d = valid(
      new DesignBuilder().kernel('k', KERNEL).node('c', 'process', 'k', { workload: 'requestResponse', periodNs: 50 * MS }).node('rq', 'relayRequest', 'k').node('s', 'service', 'k').edge('c', 'rq').edge('rq', 's').build(),
    );
    expect(perFlow(d, { durationNs: SEC })).toEqual({ 'c>rq>s': 20 });
  });

  it('one message per send to the next receiver, or one per receiver for the broadcasting kinds; none through a registry', () => {
    const build = (kind: string, params = {}): Design =>
      valid(
        new DesignBuilder()
          .kernel('k', KERNEL)
          .node('a', 'process', 'k', { workload: 'periodic', periodNs: 10 * MS })
          .node('m', kind, 'k', params)
          .node('r1', 'process', 'k', { workload: 'none' })
          .node('r2', 'process', 'k', { workload: 'none' })
          .edge('a', 'm')
          .edge('m', 'r1')
          .edge('m', 'r2')
          .build(),
      );
    // Round robin: 100 sends, 50 to each receiver.
    expect(perFlow(build('twoCopyChannel'), { durationNs: SEC })).toEqual({ 'a>m>r1': 50, 'a>m>r2': 50 });
    expect(perFlow(build('numericFifo'), { durationNs: SEC })).toEqual({ 'a>m>r1': 50, 'a>m>r2': 50 });
    // Broadcast: every send is a message to each receiver.
    expect(estimateRecording(build('notification'), { durationNs: SEC }).messages).toBe(200);
    expect(estimateRecording(build('numericFifo', { cast: 'broadcast' }), { durationNs: SEC }).messages).toBe(200);
    expect(estimateRecording(build('latestValue'), { durationNs: SEC }).messages).toBe(200);
    const reg = valid(new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'periodic', periodNs: 10 * MS }).node('g', 'registry', 'k').edge('a', 'g').build());
    expect(estimateRecording(reg, { durationNs: SEC })).toMatchObject({ messages: 0, flows: [] });
  });
});

describe('estimateRecording: peripherals and forwarders', () => {
  it('a network stack: the MAC\'s inbound frames, forwarded to two apps, and the apps\' requests answered out to the MAC', () => {
    // eth (1,000 frames/s, periodic) → stack (forwards) → to1 → app1, → to2 → app2; the apps' requests (every 100 ms)
    // through rq to the stack, which sends them out through the MAC (stack → eth) with what it received.
    const d = valid(
      new DesignBuilder()
        .kernel('k', KERNEL)
        .node('eth', 'stm32Ethernet', 'k', { rxWorkload: 'periodic', rxRatePerSec: 1000 })
        .node('stack', 'service', 'k', { workload: 'forward' })
        .node('to1', 'relayMessage', 'k')
        .node('to2', 'relayMessage', 'k')
        .node('app1', 'process', 'k', { workload: 'requestResponse', periodNs: 100 * MS })
        .node('app2', 'process', 'k', { workload: 'requestResponse', periodNs: 100 * MS })
        .node('rq', 'relayRequest', 'k')
        .edge('eth', 'stack', 'rx', 'in')
        .edge('stack', 'to1')
        .edge('stack', 'to2')
        .edge('to1', 'app1')
        .edge('to2', 'app2')
        .edge('app1', 'rq')
        .edge('app2', 'rq')
        .edge('rq', 'stack')
        .edge('stack', 'eth', 'out', 'tx')
        .build(),
    );
    expect(perFlow(d, { durationNs: SEC })).toEqual({
      'eth>stack': 1000, // frames in [0, 1 s), one per ms
      'stack>eth': 1020, // everything it received (1,000) and the requests it answered (2 × 10)
      'stack>to1>app1': 1000, // what it received; requests go to the device only
      'stack>to2>app2': 1000,
      'app1>rq>stack': 10,
      'app2>rq>stack': 10,
    });
    expect(estimateRecording(d, { durationNs: SEC }).messages).toBe(4040);
  });

  it('a CAN source sends valueIds frames per period to every app; a CYW43439 nothing before its link is up', () => {
    const can = valid(
      new DesignBuilder().kernel('k', KERNEL).node('can', 'canSource', 'k', { periodNs: 10 * MS, valueIds: 8 }).node('a', 'process', 'k', { workload: 'none' }).node('b', 'process', 'k', { workload: 'none' }).edge('can', 'a', 'rx', 'in').edge('can', 'b', 'rx', 'in').build(),
    );
    // One frame every 10 ms / 8 = 1.25 ms: 800 in 1 s, to each of 2 apps.
    expect(perFlow(can, { durationNs: SEC })).toEqual({ 'can>a': 800, 'can>b': 800 });
    const wifi = new DesignBuilder().kernel('k', KERNEL).node('w', 'cyw43439', 'k', { rxWorkload: 'periodic', rxRatePerSec: 100, bootWaitNs: 0, firmwareBytes: 0, nvramBytes: 0, clmBytes: 0, bootIoctls: 0 }).node('a', 'process', 'k', { workload: 'none' }).edge('w', 'a', 'rx', 'in').build();
    expect(perFlow(wifi, { durationNs: SEC })).toEqual({ 'w>a': 100 });
    wifi.nodes[1]!.params.bootWaitNs = 3 * SEC; // the driver's waits alone outlast a 1 s run
    expect(perFlow(wifi, { durationNs: SEC })).toEqual({ 'w>a': 0 });
  });

  it('VirtIO RNG answers each request of an app that reads it', () => {
    const d = valid(new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'periodic', periodNs: 10 * MS }).node('rng', 'virtioRng', 'k').edge('a', 'rng', 'out', 'tx').edge('rng', 'a', 'rx', 'in').build());
    expect(perFlow(d, { durationNs: SEC })).toEqual({ 'a>rng': 100, 'rng>a': 100 });
  });

  it('a loop of forwarders grows until their CPUs are busy: that bound is the estimate, and they are named', () => {
    // s → c0 → a; a → c1 → b; b → c2 → a. Each forwarded message comes back: the traffic only grows. Cheapest send
    // of a and b: 600 app cycles + one 400-cycle syscall at 100 MHz = 10 µs, so 100,000 sends in 1 s.
    const d = valid(
      new DesignBuilder()
        .kernel('k', KERNEL)
        .node('s', 'process', 'k', { workload: 'periodic', periodNs: 10 * MS })
        .node('a', 'process', 'k', { workload: 'forward', appCycles: 600 })
        .node('b', 'process', 'k', { workload: 'forward', appCycles: 600 })
        .node('c0', 'twoCopyChannel', 'k')
        .node('c1', 'twoCopyChannel', 'k')
        .node('c2', 'twoCopyChannel', 'k')
        .edge('s', 'c0')
        .edge('c0', 'a')
        .edge('a', 'c1')
        .edge('c1', 'b')
        .edge('b', 'c2')
        .edge('c2', 'a')
        .build(),
    );
    const e = estimateRecording(d, { durationNs: SEC });
    expect(Object.fromEntries(e.flows.map((f) => [f.id, f.messages]))).toEqual({ 's>c0>a': 100, 'a>c1>b': 100_000, 'b>c2>a': 100_000 });
    expect(e.cpuBound.sort()).toEqual(['a', 'b']);
  });

  it('a sender set faster than its CPU can send is bounded by it', () => {
    const d = valid(new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'periodic', periodNs: 1_000, appCycles: 600 }).node('ch', 'twoCopyChannel', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'ch').edge('ch', 'b').build());
    // 1,000,000 ticks in 1 s, but at most 100,000 sends (10 µs each).
    expect(estimateRecording(d, { durationNs: SEC })).toMatchObject({ messages: 100_000, cpuBound: ['a'] });
  });
});

describe('estimateRecording: bytes', () => {
  it('is the fixed part plus the measured bytes per message', () => {
    expect(recordBytes(0)).toBe(RECORD_FIXED_BYTES);
    expect(recordBytes(1_000_000)).toBe(RECORD_FIXED_BYTES + 1_000_000 * BYTES_PER_RECORDED_MESSAGE);
    const d = new DesignBuilder().kernel('k', KERNEL).node('a', 'process', 'k', { workload: 'periodic', periodNs: 10 * MS }).node('ch', 'twoCopyChannel', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'ch').edge('ch', 'b').build();
    expect(estimateRecording(d, { durationNs: SEC }).bytes).toBe(recordBytes(100));
  });

  it('puts the one-hour STM32 Ethernet template at 1.4–1.6 GB (measured: 1.35 GB file, 1.53 GB with its WAL at the peak)', () => {
    const r = parseDesignText(readFileSync(join(__dirname, '../../../resources/examples/stm32-ethernet.json'), 'utf8'));
    if (!r.ok) throw new Error('template invalid');
    const e = estimateRecording(r.design, { durationNs: 3_600 * SEC });
    // 2,000 frames/s forwarded to two apps (3 × 7.2 M) and the apps' requests (72,000 + 36,000); measured 21,691,499.
    expect(e.messages).toBeGreaterThanOrEqual(21_691_499);
    expect(e.messages).toBeLessThan(21_691_499 * 1.01);
    expect(e.bytes).toBeGreaterThan(1_530_733_272);
    expect(e.bytes).toBeLessThan(1.6e9);
  });
});

describe('estimateRecording against the engine', () => {
  const dir = join(__dirname, '../../../resources/examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  it.each(files)('%s: at least what the engine records, and not 15 percent more (the margin for randomness weighs most on short runs)', (file) => {
    const r = parseDesignText(readFileSync(join(dir, file), 'utf8'));
    if (!r.ok) throw new Error(`${file} invalid`);
    const { durationNs, warmupNs, seed } = r.design.run;
    const rec = new MemoryRecorder(false);
    runDesign(r.design, 'estimate-test', { seed, durationNs, warmupNs, recorder: rec, maxTrace: 0 });
    const e = estimateRecording(r.design, { durationNs, warmupNs });
    expect(e.messages).toBeGreaterThanOrEqual(rec.messageCount);
    expect(e.messages).toBeLessThanOrEqual(rec.messageCount * 1.15 + 20);
    expect(e.cpuBound).toEqual([]);
  });
});
