import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { EventQueue, MAX_PRIORITY, MIN_PRIORITY } from '../../../../src-main/engine/core/eventQueue';

interface RefEvent {
  timeNs: number;
  priority: number;
  seq: number;
  kind: number;
  target: number;
  arg: number;
}

type Op = { op: 'push'; dt: number; priority: number; kind: number; target: number; arg: number } | { op: 'pop' };

// Small time and priority ranges on purpose: they force many exact ties, where insertion order must decide.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('push' as const),
      dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 40 })),
      priority: fc.integer({ min: -2, max: 2 }),
      kind: fc.integer({ min: 0, max: 7 }),
      target: fc.integer({ min: -3, max: 1000 }),
      arg: fc.double({ noNaN: true }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'pop' as const }) },
);

function refPop(ref: RefEvent[]): RefEvent | undefined {
  if (ref.length === 0) return undefined;
  let best = 0;
  for (let i = 1; i < ref.length; i++) {
    const a = ref[i];
    const b = ref[best];
    if (a.timeNs < b.timeNs || (a.timeNs === b.timeNs && (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)))) {
      best = i;
    }
  }
  return ref.splice(best, 1)[0];
}

describe('EventQueue', () => {
  it('pops in (time, priority, insertion) order under interleaved pushes and pops (property, vs a reference)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (ops, capacity) => {
        const q = new EventQueue(capacity);
        const ref: RefEvent[] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.op === 'push') {
            // Times are relative to the current floor, so every push is legal.
            const timeNs = q.nowNs + o.dt;
            const s = q.push(timeNs, o.priority, o.kind, o.target, o.arg);
            expect(s).toBe(seq);
            ref.push({ timeNs, priority: o.priority, seq: seq++, kind: o.kind, target: o.target, arg: o.arg });
          } else {
            const expected = refPop(ref);
            const got = q.pop();
            expect(got).toBe(expected !== undefined);
            if (expected !== undefined) {
              expect([q.topTimeNs, q.topPriority, q.topSequence, q.topKind, q.topTarget, q.topArg]).toEqual([
                expected.timeNs, expected.priority, expected.seq, expected.kind, expected.target, expected.arg,
              ]);
              expect(q.nowNs).toBe(expected.timeNs);
            }
          }
          expect(q.size).toBe(ref.length);
        }
        // Drain: the rest comes out sorted too.
        while (ref.length > 0) {
          const expected = refPop(ref)!;
          expect(q.pop()).toBe(true);
          expect([q.topTimeNs, q.topPriority, q.topSequence]).toEqual([expected.timeNs, expected.priority, expected.seq]);
        }
        expect(q.pop()).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('a reserved sequence puts a later push exactly where an immediate push would have gone (property)', () => {
    // Two queues see the same pushes and pops; in the second, some pushes reserve their place first and are pushed
    // only later, just before the pop that would reach them. Both must pop the same events in the same order.
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), (ops, defer) => {
        const a = new EventQueue(4);
        const b = new EventQueue(4);
        const held: { timeNs: number; priority: number; kind: number; target: number; arg: number; seq: number }[] = [];
        ops.forEach((o, i) => {
          if (o.op === 'push') {
            const timeNs = a.nowNs + o.dt;
            const s = a.push(timeNs, o.priority, o.kind, o.target, o.arg);
            if (defer[i]) {
              const r = b.reserveSequence();
              expect(r).toBe(s);
              held.push({ timeNs, priority: o.priority, kind: o.kind, target: o.target, arg: o.arg, seq: r });
            } else expect(b.push(timeNs, o.priority, o.kind, o.target, o.arg)).toBe(s);
            return;
          }
          // Before popping, push every held event that would be popped now or earlier (it has not "gone by").
          for (const h of held.splice(0)) b.pushReserved(h.timeNs, h.priority, h.kind, h.target, h.arg, h.seq);
          const got = a.pop();
          expect(b.pop()).toBe(got);
          if (got) expect([b.topTimeNs, b.topPriority, b.topSequence, b.topArg]).toEqual([a.topTimeNs, a.topPriority, a.topSequence, a.topArg]);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('precedesTop tells whether an event would already have been popped', () => {
    const q = new EventQueue();
    const reserved = q.reserveSequence(); // sequence 0, at time 10 priority 0
    q.push(10, 0, 1, 0, 0); // sequence 1
    q.push(10, -1, 1, 0, 0); // sequence 2, runs first
    expect(q.pop()).toBe(true);
    expect(q.precedesTop(10, 0, reserved)).toBe(false); // (10, 0, #0) comes after (10, −1, #2)
    expect(q.pop()).toBe(true); // (10, 0, #1)
    expect(q.precedesTop(10, 0, reserved)).toBe(true); // #0 < #1 at the same time and priority
    expect(q.precedesTop(9, 5, reserved)).toBe(true);
    expect(q.precedesTop(11, -5, reserved)).toBe(false);
    expect(() => q.pushReserved(10, 0, 1, 0, 0, 99)).toThrow(/not reserved/);
  });

  it('matches a stable sort of a batch of events (property)', () => {
    const eventArb = fc.record({
      timeNs: fc.integer({ min: 0, max: 20 }),
      priority: fc.integer({ min: MIN_PRIORITY, max: MAX_PRIORITY }),
      smallPriority: fc.integer({ min: 0, max: 2 }),
      useSmall: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 500 }), (events) => {
        const q = new EventQueue(1);
        const withIndex = events.map((e, i) => ({ timeNs: e.timeNs, priority: e.useSmall ? e.smallPriority : e.priority, i }));
        for (const e of withIndex) q.push(e.timeNs, e.priority, 0, e.i, e.i);
        const sorted = [...withIndex].sort((a, b) => a.timeNs - b.timeNs || a.priority - b.priority || a.i - b.i);
        const popped: number[] = [];
        while (q.pop()) popped.push(q.topTarget);
        expect(popped).toEqual(sorted.map((e) => e.i));
      }),
      { numRuns: 2000 },
    );
  });

  it('runs equal-time, equal-priority events in insertion order, and lower priority first', () => {
    const q = new EventQueue();
    for (let i = 0; i < 100; i++) q.push(42, 0, 0, i, 0);
    q.push(42, -1, 1, 999, 0);
    q.push(41, 5, 2, 1000, 0);
    const order: number[] = [];
    while (q.pop()) order.push(q.topTarget);
    expect(order).toEqual([1000, 999, ...Array.from({ length: 100 }, (_, i) => i)]);
  });

  it('throws when scheduling in the past, and accepts the current time', () => {
    const q = new EventQueue();
    q.push(100, 0, 0, 0, 0);
    q.pop();
    expect(q.nowNs).toBe(100);
    expect(() => q.push(99, 0, 0, 0, 0)).toThrow(/past/);
    expect(() => q.push(100, 0, 0, 0, 0)).not.toThrow();
    expect(q.size).toBe(1);
  });

  it('rejects malformed events', () => {
    const q = new EventQueue();
    expect(() => q.push(NaN, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => q.push(1.5, 0, 0, 0, 0)).toThrow(/safe integer/);
    expect(() => q.push(-1, 0, 0, 0, 0)).toThrow(/past/);
    expect(() => q.push(2 ** 53, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => q.push(Infinity, 0, 0, 0, 0)).toThrow(RangeError);
    expect(() => q.push(0, MAX_PRIORITY + 1, 0, 0, 0)).toThrow(/priority/);
    expect(() => q.push(0, MIN_PRIORITY - 1, 0, 0, 0)).toThrow(/priority/);
    expect(() => q.push(0, 0.5, 0, 0, 0)).toThrow(/priority/);
    expect(() => q.push(0, 0, 0.5, 0, 0)).toThrow(/int32/);
    expect(() => q.push(0, 0, 0, 2 ** 31, 0)).toThrow(/int32/);
    expect(q.size).toBe(0);
    // Extremes that are allowed.
    q.push(Number.MAX_SAFE_INTEGER, MAX_PRIORITY, -(2 ** 31), 2 ** 31 - 1, -0.25);
    q.push(Number.MAX_SAFE_INTEGER, MIN_PRIORITY, 1, 1, 1);
    expect(q.pop()).toBe(true);
    expect([q.topPriority, q.topKind]).toEqual([MIN_PRIORITY, 1]);
    expect(q.pop()).toBe(true);
    expect([q.topTimeNs, q.topPriority, q.topKind, q.topTarget, q.topArg]).toEqual([
      Number.MAX_SAFE_INTEGER, MAX_PRIORITY, -(2 ** 31), 2 ** 31 - 1, -0.25,
    ]);
  });

  it('grows by doubling and keeps everything', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 1000; i++) q.push(1000 - i, 0, 0, i, i * 0.5);
    expect(q.size).toBe(1000);
    expect(q.capacity).toBe(1024);
    let last = -1;
    let n = 0;
    while (q.pop()) {
      expect(q.topTimeNs).toBeGreaterThan(last);
      expect(q.topArg).toBe(q.topTarget * 0.5);
      last = q.topTimeNs;
      n++;
    }
    expect(n).toBe(1000);
  });

  it('peeks without removing or moving time', () => {
    const q = new EventQueue();
    expect(q.peekTimeNs()).toBe(Infinity);
    expect(q.peek()).toBe(false);
    q.push(7, 1, 2, 3, 4.5);
    q.push(9, 0, 0, 0, 0);
    expect(q.peekTimeNs()).toBe(7);
    expect(q.peek()).toBe(true);
    expect([q.topTimeNs, q.topPriority, q.topKind, q.topTarget, q.topArg]).toEqual([7, 1, 2, 3, 4.5]);
    expect(q.size).toBe(2);
    expect(q.nowNs).toBe(0);
  });

  it('advanceTo moves time forward but never past a pending event or backwards', () => {
    const q = new EventQueue();
    q.push(50, 0, 0, 0, 0);
    q.advanceTo(50);
    expect(q.nowNs).toBe(50);
    expect(() => q.advanceTo(51)).toThrow(/past a pending event/);
    expect(() => q.advanceTo(49)).toThrow(RangeError);
    q.pop();
    q.advanceTo(1000);
    expect(() => q.push(999, 0, 0, 0, 0)).toThrow(/past/);
  });

  it('clear empties the queue and restarts time and sequence numbers', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 100; i++) q.push(i, 0, 0, 0, 0);
    q.pop();
    q.clear(true);
    expect(q.size).toBe(0);
    expect(q.nowNs).toBe(0);
    expect(q.capacity).toBe(16);
    expect(q.push(0, 0, 0, 0, 0)).toBe(0);
  });

  it('toSortedArray lists pending events in execution order', () => {
    const q = new EventQueue();
    q.push(5, 1, 1, 1, 0);
    q.push(5, 0, 2, 2, 0);
    q.push(3, 0, 3, 3, 0);
    expect(q.toSortedArray().map((e) => [e.timeNs, e.priority, e.sequence, e.kind])).toEqual([
      [3, 0, 2, 3],
      [5, 0, 1, 2],
      [5, 1, 0, 1],
    ]);
  });
});
