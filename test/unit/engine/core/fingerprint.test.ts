import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Fingerprint, fingerprintOf } from '../../../../src-main/engine/core/fingerprint';

describe('Fingerprint', () => {
  it('is a 16-digit hex string, stable for a given event sequence', () => {
    const events: Array<[number, number, number]> = [
      [0, 1, 2],
      [5, 0, 0],
      [2 ** 40 + 3, 7, -1],
    ];
    const hex = fingerprintOf(events);
    expect(hex).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintOf(events)).toBe(hex);
    expect(hex).toBe(GOLDEN);
    expect(fingerprintOf([])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes when any time, kind or target changes, when events swap, or when one is added', () => {
    const base: Array<[number, number, number]> = [
      [100, 1, 2],
      [200, 3, 4],
      [2 ** 35, 5, 6],
    ];
    const ref = fingerprintOf(base);
    const variants: Array<Array<[number, number, number]>> = [
      [[101, 1, 2], base[1], base[2]],
      [base[0], [200, 2, 4], base[2]],
      [base[0], base[1], [2 ** 35, 5, 7]],
      [base[0], base[1], [2 ** 35 + 2 ** 32, 5, 6]], // high time word only
      [base[1], base[0], base[2]],
      [...base, [2 ** 35, 0, 0]],
      base.slice(0, 2),
    ];
    const all = new Set([ref, ...variants.map(fingerprintOf)]);
    expect(all.size).toBe(variants.length + 1);
  });

  it('never collides on single-field changes (property)', () => {
    const ev = fc.tuple(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 2047 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 30 }), fc.nat(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 1000 }), (events, at, field, delta) => {
        const i = at % events.length;
        const changed = events.map((e) => [...e] as [number, number, number]);
        const e = changed[i];
        if (field === 0) e[0] = e[0] + delta <= Number.MAX_SAFE_INTEGER ? e[0] + delta : e[0] - delta;
        else if (field === 1) e[1] = (e[1] + delta) % 2048;
        else e[2] = (e[2] + delta) | 0;
        if (e[0] === events[i][0] && e[1] === events[i][1] && e[2] === events[i][2]) return;
        expect(fingerprintOf(changed)).not.toBe(fingerprintOf(events));
      }),
      { numRuns: 2000 },
    );
  });

  it('reset returns to the empty digest; hex() does not change the state', () => {
    const fp = new Fingerprint();
    const empty = fp.hex();
    fp.add(1, 2, 3);
    const one = fp.hex();
    expect(fp.hex()).toBe(one);
    expect(fp.events).toBe(1);
    fp.reset();
    expect(fp.hex()).toBe(empty);
    expect(fp.events).toBe(0);
  });
});

const GOLDEN = '15b1292d4d8a8445';
