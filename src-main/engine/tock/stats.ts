// Order statistics for the summary: exact percentiles (nearest-rank on the sorted sample), means, rounding.

import type { LatencyStats } from '../../../src-shared/results/summary';

/** Rounds to 3 decimals so the JSON summary is stable across platforms' float printing. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Exact latency statistics of `count` values in `values` (sorted in place): mean, nearest-rank p50/p90/p99, max.
 * All zero when there are no values.
 */
export function latencyStats(values: Float64Array, count: number): LatencyStats {
  if (count === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const v = values.subarray(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += v[i]!;
  const rank = (q: number): number => v[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))]!;
  return { mean: round3(sum / count), p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: v[count - 1]! };
}
