import { describe, it, expect } from 'vitest';
import { Simulator, type EventHandler, type SimulatorOptions } from '../../../../src-main/engine/core/simulator';
import { makeDurationSampler, type Sampler } from '../../../../src-main/engine/core/distributions';
import { streamFor } from '../../../../src-main/engine/core/rng';
import { fingerprintOf } from '../../../../src-main/engine/core/fingerprint';

type Logged = [timeNs: number, kind: number, target: number, arg: number];

/** Records every event; optional reactions schedule more. */
class LogHandler implements EventHandler {
  readonly log: Logged[] = [];
  constructor(
    private readonly sim: Simulator,
    private readonly react?: (sim: Simulator, kind: number, target: number, arg: number) => void,
  ) {}
  handle(kind: number, target: number, arg: number, timeNs: number): void {
    expect(timeNs).toBe(this.sim.nowNs);
    this.log.push([timeNs, kind, target, arg]);
    this.react?.(this.sim, kind, target, arg);
  }
}

/** A small random model: N "nodes" that each fire after a random delay and pass a token on. */
class RandomRelay implements EventHandler {
  private readonly samplers: Sampler[];
  constructor(
    private readonly sim: Simulator,
    seed: number,
    private readonly nodes: number,
  ) {
    this.samplers = Array.from({ length: nodes }, (_, i) =>
      makeDurationSampler({ kind: 'exponential', mean: 1000 }, streamFor(seed, `node${i}`)),
    );
    for (let i = 0; i < nodes; i++) sim.schedule(this.samplers[i].sampleNs(), 0, 0, i, 0);
  }
  handle(kind: number, target: number, arg: number): void {
    const next = (target + 1 + (arg % 3)) % this.nodes;
    this.sim.schedule(this.samplers[next].sampleNs(), kind === 0 ? 1 : 0, (kind + 1) % 4, next, arg + 1);
  }
}

function relayRun(seed: number, options: SimulatorOptions) {
  const sim = new Simulator({ fingerprint: true, ...options });
  const model = new RandomRelay(sim, seed, 5);
  return { sim, model, result: sim.run(model) };
}

describe('Simulator', () => {
  it('dispatches events in time order with their payload and advances time', () => {
    const sim = new Simulator();
    const h = new LogHandler(sim);
    sim.scheduleAt(30, 0, 3, 30, 0.5);
    sim.schedule(10, 0, 1, 10, -1);
    sim.scheduleAt(20, 0, 2, 20, 2 ** 40);
    const r = sim.run(h);
    expect(h.log).toEqual([
      [10, 1, 10, -1],
      [20, 2, 20, 2 ** 40],
      [30, 3, 30, 0.5],
    ]);
    expect(r).toEqual({ endReason: 'empty', simTimeNs: 30, events: 3, fingerprint: null });
    expect(sim.nowNs).toBe(30);
    expect(sim.pendingEvents).toBe(0);
  });

  it('runs events scheduled for "now" after the ones already queued at that time, by priority then FIFO', () => {
    const sim = new Simulator();
    const h = new LogHandler(sim, (s, kind) => {
      if (kind === 0) {
        s.schedule(0, 0, 10, 0, 0);
        s.schedule(0, -1, 11, 0, 0);
        s.schedule(0, 0, 12, 0, 0);
      }
    });
    sim.scheduleAt(5, 0, 0, 0, 0);
    sim.scheduleAt(5, 0, 1, 0, 0);
    sim.run(h);
    expect(h.log.map((e) => e[1])).toEqual([0, 11, 1, 10, 12]);
  });

  it('throws when scheduling in the past, from outside or inside a handler, and stays usable', () => {
    const sim = new Simulator();
    sim.scheduleAt(100, 0, 0, 0, 0);
    const h = new LogHandler(sim, (s, kind) => {
      if (kind === 0) s.scheduleAt(99, 0, 1, 0, 0);
    });
    expect(() => sim.run(h)).toThrow(/past/);
    expect(sim.events).toBe(1);
    expect(sim.nowNs).toBe(100);
    expect(() => sim.schedule(-1, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => sim.schedule(0.5, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => sim.schedule(NaN, 0, 0, 0, 0)).toThrow(RangeError);
    // Not stuck in the running state.
    sim.schedule(1, 0, 2, 0, 0);
    expect(sim.run(new LogHandler(sim)).endReason).toBe('empty');
  });

  it('stops at maxEvents', () => {
    const sim = new Simulator({ limits: { maxEvents: 7 } });
    const h = new LogHandler(sim, (s) => s.schedule(1, 0, 0, 0, 0));
    sim.schedule(0, 0, 0, 0, 0);
    const r = sim.run(h);
    expect(r.endReason).toBe('maxEvents');
    expect(r.events).toBe(7);
    expect(h.log).toHaveLength(7);
    expect(r.simTimeNs).toBe(6);
    // Limits are absolute: running again does nothing more.
    expect(sim.run(h)).toMatchObject({ endReason: 'maxEvents', events: 7 });
  });

  it("reports 'empty' rather than 'maxEvents' when the last allowed event empties the queue", () => {
    const sim = new Simulator({ limits: { maxEvents: 2 } });
    sim.schedule(1, 0, 0, 0, 0);
    sim.schedule(2, 0, 0, 0, 0);
    expect(sim.run(new LogHandler(sim)).endReason).toBe('empty');
  });

  it('stops at maxSimTimeNs: events at the limit run, later ones do not, and time stops at the limit', () => {
    const sim = new Simulator({ limits: { maxSimTimeNs: 100 } });
    const h = new LogHandler(sim);
    for (const t of [50, 100, 100, 101, 500]) sim.scheduleAt(t, 0, 0, t, 0);
    const r = sim.run(h);
    expect(h.log.map((e) => e[0])).toEqual([50, 100, 100]);
    expect(r).toMatchObject({ endReason: 'maxTime', simTimeNs: 100, events: 3 });
    expect(sim.pendingEvents).toBe(2);
    expect(sim.nextEventTimeNs).toBe(101);
    // Time stopped at the limit even when the last event was earlier.
    const sim2 = new Simulator({ limits: { maxSimTimeNs: 1000 } });
    sim2.scheduleAt(10, 0, 0, 0, 0);
    sim2.scheduleAt(5000, 0, 0, 0, 0);
    expect(sim2.run(new LogHandler(sim2))).toMatchObject({ endReason: 'maxTime', simTimeNs: 1000, events: 1 });
    expect(() => sim2.scheduleAt(999, 0, 0, 0, 0)).toThrow(/past/);
  });

  it("an empty queue ends with 'empty' at the last event's time, not at the limit", () => {
    const sim = new Simulator({ limits: { maxSimTimeNs: 1000 } });
    sim.scheduleAt(10, 0, 0, 0, 0);
    expect(sim.run(new LogHandler(sim))).toMatchObject({ endReason: 'empty', simTimeNs: 10 });
    const idle = new Simulator();
    expect(idle.run(new LogHandler(idle))).toEqual({ endReason: 'empty', simTimeNs: 0, events: 0, fingerprint: null });
  });

  it('maxEvents and maxTime together: the time limit wins when the next event is beyond it', () => {
    const sim = new Simulator({ limits: { maxEvents: 1, maxSimTimeNs: 10 } });
    sim.scheduleAt(5, 0, 0, 0, 0);
    sim.scheduleAt(50, 0, 0, 0, 0);
    expect(sim.run(new LogHandler(sim))).toMatchObject({ endReason: 'maxTime', simTimeNs: 10, events: 1 });
  });

  it('polls shouldStop every checkEveryEvents events and can resume to the same result', () => {
    const uninterrupted = relayRun(42, { limits: { maxEvents: 10_000 } }).result;
    let polls = 0;
    const progress: Array<[number, number]> = [];
    const sim = new Simulator({
      fingerprint: true,
      limits: { maxEvents: 10_000 },
      checkEveryEvents: 1000,
      shouldStop: () => ++polls === 4, // start of run, then after 1000, 2000, 3000 events
      progress: (simTimeNs, events) => progress.push([simTimeNs, events]),
    });
    const model = new RandomRelay(sim, 42, 5);
    const first = sim.run(model);
    expect(first.endReason).toBe('cancelled');
    expect(first.events).toBe(3000);
    expect(progress.map((p) => p[1])).toEqual([1000, 2000, 3000]);
    expect(progress[2][0]).toBe(first.simTimeNs);
    const second = sim.run(model);
    expect(second.endReason).toBe('maxEvents');
    expect(second.events).toBe(10_000);
    expect(second.fingerprint).toBe(uninterrupted.fingerprint);
    expect(second.simTimeNs).toBe(uninterrupted.simTimeNs);
  });

  it('honours shouldStop before the first event', () => {
    const sim = new Simulator({ shouldStop: () => true });
    sim.schedule(1, 0, 0, 0, 0);
    expect(sim.run(new LogHandler(sim))).toMatchObject({ endReason: 'cancelled', events: 0 });
  });

  it('fingerprint: identical for the same seed, different for another seed, independent of the polling interval', () => {
    const a = relayRun(1, { limits: { maxEvents: 20_000 } }).result;
    const b = relayRun(1, { limits: { maxEvents: 20_000 }, checkEveryEvents: 7 }).result;
    const c = relayRun(2, { limits: { maxEvents: 20_000 } }).result;
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(a.fingerprint).toBe(GOLDEN_RELAY);
  });

  it('is not re-entrant', () => {
    const sim = new Simulator();
    sim.schedule(0, 0, 0, 0, 0);
    const h: EventHandler = { handle: () => void sim.run(h) };
    expect(() => sim.run(h)).toThrow(/re-entrant/);
  });

  it('reset forgets events, time, count and fingerprint', () => {
    const { sim, result } = relayRun(3, { limits: { maxEvents: 100 } });
    expect(result.events).toBe(100);
    sim.reset();
    expect([sim.nowNs, sim.events, sim.pendingEvents]).toEqual([0, 0, 0]);
    expect(sim.fingerprintHex()).toBe(new Simulator({ fingerprint: true }).fingerprintHex());
  });

  it('fingerprint: an event whose handler throws is counted and hashed, and the run can go on after it', () => {
    const sim = new Simulator({ fingerprint: true });
    let calls = 0;
    const h = new LogHandler(sim, (s, kind, target) => {
      calls++;
      if (calls === 3) throw new Error('boom');
      if (target < 6) s.schedule(5, 0, kind, target + 1, 0);
    });
    sim.schedule(1, 0, 7, 0, 0);
    expect(() => sim.run(h)).toThrow('boom');
    expect(sim.events).toBe(3);
    expect(sim.fingerprintHex()).toBe(fingerprintOf(h.log.map(([t, k, tg]) => [t, k, tg] as const)));
    // Nothing was scheduled by the event that threw: the queue is empty and the digest is that of the 3 events.
    expect(sim.run(h)).toEqual({ endReason: 'empty', simTimeNs: 11, events: 3, fingerprint: sim.fingerprintHex() });
  });

  it('validates options', () => {
    expect(() => new Simulator({ limits: { maxEvents: -1 } })).toThrow(RangeError);
    expect(() => new Simulator({ limits: { maxSimTimeNs: 1.5 } })).toThrow(RangeError);
    expect(() => new Simulator({ checkEveryEvents: 0 })).toThrow(RangeError);
  });
});

const GOLDEN_RELAY = 'f39ee9051a9f45f0';
