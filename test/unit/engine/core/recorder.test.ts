import { describe, it, expect } from 'vitest';
import { MemoryRecorder, MessageOutcome, NullRecorder, nullRecorder, type Recorder } from '../../../../src-main/engine/core/recorder';

describe('recorder', () => {
  it('NullRecorder accepts everything and keeps nothing', () => {
    const r: Recorder = new NullRecorder();
    expect(() => {
      r.message(0, 0, 1, 2, 3, MessageOutcome.delivered);
      r.series(0, 0, 1);
      r.trace(0, 0, 0, 0);
      nullRecorder.trace(5, 1, 2, 3);
    }).not.toThrow();
  });

  it('MemoryRecorder keeps messages, series and traces in order', () => {
    const r = new MemoryRecorder();
    r.message(1, 10, 20, 64, 2, MessageOutcome.delivered);
    r.message(0, 15, 20, 0, 0, MessageOutcome.dropped);
    r.trace(5, 3, 1, 2);
    r.trace(5, 4, 0, 0);
    r.series(2, 0, 1);
    r.series(2, 10, 3);
    expect(r.messageCount).toBe(2);
    expect(r.messageAt(0)).toEqual({ flowIdx: 1, sendNs: 10, deliverNs: 20, bytes: 64, copies: 2, outcome: 0 });
    expect(r.messages()[1].outcome).toBe(MessageOutcome.dropped);
    expect(r.traces()).toEqual([
      { timeNs: 5, kind: 3, a: 1, b: 2 },
      { timeNs: 5, kind: 4, a: 0, b: 0 },
    ]);
    expect(r.seriesPoints(2)).toEqual([
      { timeNs: 0, value: 1 },
      { timeNs: 10, value: 3 },
    ]);
    expect(r.seriesPoints(0)).toEqual([]);
    expect(r.seriesPoints(99)).toEqual([]);
    r.clear();
    expect(r.messageCount).toBe(0);
    expect(r.traces()).toEqual([]);
    expect(r.seriesPoints(2)).toEqual([]);
  });

  it('a second series sample at the same instant supersedes the first', () => {
    const r = new MemoryRecorder();
    r.series(0, 5, 1);
    r.series(0, 5, 2);
    expect(r.seriesPoints(0)).toEqual([{ timeNs: 5, value: 2 }]);
  });

  it('computes time averages of piecewise-constant series', () => {
    const r = new MemoryRecorder();
    r.series(0, 10, 4); // 0 on [0,10), 4 on [10,30), 1 from 30
    r.series(0, 30, 1);
    expect(r.seriesTimeAverage(0, 0, 40)).toBeCloseTo((0 * 10 + 4 * 20 + 1 * 10) / 40, 12);
    expect(r.seriesTimeAverage(0, 15, 25)).toBe(4);
    expect(r.seriesTimeAverage(0, 30, 100)).toBe(1);
    expect(r.seriesTimeAverage(0, 5, 5)).toBeNaN();
    expect(r.seriesTimeAverage(7, 0, 10)).toBe(0);
  });

  it('strict mode enforces the ordering contracts; lenient mode records anyway', () => {
    const strict = new MemoryRecorder();
    expect(() => strict.message(0, 20, 10, 0, 0, 0)).toThrow(/sendNs/);
    strict.message(0, 0, 10, 0, 0, 0);
    expect(() => strict.message(0, 0, 9, 0, 0, 0)).toThrow(/backwards/);
    strict.trace(10, 0, 0, 0);
    expect(() => strict.trace(9, 0, 0, 0)).toThrow(/backwards/);
    strict.series(1, 10, 0);
    expect(() => strict.series(1, 9, 0)).toThrow(/backwards/);
    const lenient = new MemoryRecorder(false);
    lenient.trace(10, 0, 0, 0);
    lenient.trace(9, 0, 0, 0);
    expect(lenient.traces()).toHaveLength(2);
  });

  it('outcome codes are stable small integers', () => {
    expect(MessageOutcome).toEqual({ delivered: 0, dropped: 1, overwritten: 2, timedOut: 3, failed: 4, truncated: 5 });
  });
});
