import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyStats, selectInPlace } from '../../../../src-main/engine/tock/stats';

/** The definition: sort, then nearest rank. */
function reference(values: number[]): { mean: number; p50: number; p90: number; p99: number; max: number } {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  const rank = (q: number): number => v[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  const sum = v.reduce((a, b) => a + b, 0);
  return { mean: Math.round((sum / n) * 1000) / 1000, p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: v[n - 1]! };
}

describe('latencyStats (selection instead of a sort)', () => {
  it('matches sort-and-rank on random samples, including many ties and long runs', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 3000 }), (xs) => {
        expect(latencyStats(Float64Array.from(xs), xs.length)).toEqual(reference(xs));
      }),
      { numRuns: 300 },
    );
  });

  it('handles hand-worked cases: one value, all equal, sorted and reversed input', () => {
    expect(latencyStats(Float64Array.of(7), 1)).toEqual({ mean: 7, p50: 7, p90: 7, p99: 7, max: 7 });
    expect(latencyStats(new Float64Array(1000).fill(52_558), 1000)).toEqual({ mean: 52_558, p50: 52_558, p90: 52_558, p99: 52_558, max: 52_558 });
    const up = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyStats(up, 100)).toEqual({ mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
    expect(latencyStats(up.reverse(), 100)).toEqual({ mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
    // Only the first `count` values count.
    expect(latencyStats(Float64Array.of(3, 1, 2, 1000), 3)).toEqual({ mean: 2, p50: 2, p90: 3, p99: 3, max: 3 });
    expect(latencyStats(new Float64Array(4), 0)).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('selectInPlace partitions around the k-th value on adversarial (organ-pipe) input', () => {
    const n = 20_001;
    const a = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i));
    const sorted = Float64Array.from(a).sort();
    for (const k of [0, 1, 5000, 10_000, 19_999, 20_000]) {
      const b = Float64Array.from(a);
      selectInPlace(b, 0, n - 1, k);
      expect(b[k]).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(b[i]! <= b[k]!).toBe(true);
      for (let i = k + 1; i < n; i++) expect(b[i]! >= b[k]!).toBe(true);
    }
  });
});
