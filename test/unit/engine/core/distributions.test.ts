import { describe, it, expect } from 'vitest';
import {
  distributionMean,
  distributionVariance,
  makeDurationSampler,
  makeSampler,
  sampleNs,
  standardExponential,
  validateDistribution,
  type Distribution,
  type Sampler,
} from '../../../../src-main/engine/core/distributions';
import { streamFor } from '../../../../src-main/engine/core/rng';

const N = 400_000;

function moments(sampler: Sampler, n = N): { mean: number; variance: number; min: number; values: Float64Array } {
  const values = new Float64Array(n);
  let sum = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const x = sampler.sample();
    values[i] = x;
    sum += x;
    if (x < min) min = x;
  }
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) * (values[i] - mean);
  return { mean, variance: sq / (n - 1), min, values };
}

describe('distributions', () => {
  // Tolerances: the standard error of a mean over N = 400k draws is sd/632; the bounds below are ≥ 5 standard
  // errors (variance bounds likewise), so they hold for any seed in practice; the seeds are fixed anyway.
  const cases: Array<{ dist: Distribution; meanTol: number; varTol: number }> = [
    { dist: { kind: 'constant', value: 1234 }, meanTol: 0, varTol: 0 },
    { dist: { kind: 'uniform', min: 2, max: 5 }, meanTol: 0.01, varTol: 0.01 },
    { dist: { kind: 'normal', mean: 10, sd: 2 }, meanTol: 0.02, varTol: 0.05 },
    { dist: { kind: 'exponential', mean: 3 }, meanTol: 0.03, varTol: 0.25 },
    { dist: { kind: 'exponential', mean: 1e6 }, meanTol: 1e4, varTol: 2.5e10 },
  ];
  for (const { dist, meanTol, varTol } of cases) {
    it(`${dist.kind} ${JSON.stringify(dist)}: sample mean and variance match`, () => {
      const m = moments(makeSampler(dist, streamFor(77, `dist/${JSON.stringify(dist)}`)));
      expect(Math.abs(m.mean - distributionMean(dist))).toBeLessThanOrEqual(meanTol);
      expect(Math.abs(m.variance - distributionVariance(dist))).toBeLessThanOrEqual(varTol);
    });
  }

  it('exponential (ziggurat) follows the CDF 1 − e^(−x), including the tail beyond the base strip', () => {
    const stream = streamFor(3, 'ziggurat');
    const n = 1_000_000;
    const qs = [0.01, 0.1, 0.5, 1, 2, 3, 5, 7.6, 7.8, 10, 12];
    const below = new Array<number>(qs.length).fill(0);
    for (let i = 0; i < n; i++) {
      const x = standardExponential(stream);
      for (let j = 0; j < qs.length; j++) if (x <= qs[j]) below[j]++;
    }
    for (let j = 0; j < qs.length; j++) {
      const p = 1 - Math.exp(-qs[j]);
      const observed = below[j] / n;
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(observed - p)).toBeLessThan(5 * se + 1e-6);
    }
    // The tail beyond x = 10 holds e^-10 ≈ 4.5e-5 of the mass: about 45 draws of the million.
    const tail = n - below[qs.indexOf(10)];
    expect(tail).toBeGreaterThan(15);
    expect(tail).toBeLessThan(85);
  });

  it('truncated normal (mean ≥ 0): half-normal moments for normal(0, 1)', () => {
    const m = moments(makeDurationSampler({ kind: 'normal', mean: 0, sd: 1 }, streamFor(1, 'half-normal')));
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m.mean - Math.sqrt(2 / Math.PI))).toBeLessThan(0.005);
    expect(Math.abs(m.variance - (1 - 2 / Math.PI))).toBeLessThan(0.005);
  });

  it('truncated normal far in the tail (normal(−3, 1) | X ≥ 0) uses the exponential proposal and stays exact', () => {
    // Inverse Mills ratio at 3: φ(3)/(1−Φ(3)) = 3.283099; mean = −3 + 3.283099; variance = 1 + 3λ − λ².
    const lambda = 0.00443184841193801 / 0.00134989803163009;
    const m = moments(makeDurationSampler({ kind: 'normal', mean: -3, sd: 1 }, streamFor(1, 'tail-normal')));
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m.mean - (-3 + lambda))).toBeLessThan(0.003);
    expect(Math.abs(m.variance - (1 + 3 * lambda - lambda * lambda))).toBeLessThan(0.003);
  });

  it('truncated normal well above zero barely moves: normal(5, 2) | X ≥ 0', () => {
    // Mean = 5 + 2·φ(2.5)/Φ(2.5) = 5.035276.
    const m = moments(makeDurationSampler({ kind: 'normal', mean: 5, sd: 2 }, streamFor(1, 'shifted-normal')));
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m.mean - (5 + (2 * 0.0175283004935685) / 0.993790334674224))).toBeLessThan(0.02);
  });

  it('truncated uniform becomes uniform(max(min, 0), max)', () => {
    const m = moments(makeDurationSampler({ kind: 'uniform', min: -2, max: 4 }, streamFor(1, 'u')));
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m.mean - 2)).toBeLessThan(0.02);
  });

  it('is deterministic per stream state', () => {
    const dist: Distribution = { kind: 'normal', mean: 3, sd: 1 };
    const a = makeSampler(dist, streamFor(11, 'x'));
    const b = makeSampler(dist, streamFor(11, 'x'));
    const xs = Array.from({ length: 101 }, () => a.sample());
    const ys = Array.from({ length: 101 }, () => b.sample());
    expect(xs).toEqual(ys);
  });

  it('sampleNs rounds to integers and clamps at zero', () => {
    const s = makeSampler({ kind: 'normal', mean: 0, sd: 10 }, streamFor(2, 'ns'));
    let bad = 0;
    let zeros = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = sampleNs(s);
      if (!Number.isInteger(x) || x < 0) bad++;
      if (x === 0) zeros++;
    }
    expect(bad).toBe(0);
    expect(zeros).toBeGreaterThan(4000); // about half the mass is below 0.5
    expect(makeSampler({ kind: 'constant', value: 2.5 }, streamFor(2, 'c')).sampleNs()).toBe(3);
    expect(makeSampler({ kind: 'constant', value: -7 }, streamFor(2, 'c')).sampleNs()).toBe(0);
  });

  it('validates distributions', () => {
    expect(validateDistribution({ kind: 'uniform', min: 5, max: 1 })).toMatch(/min/);
    expect(validateDistribution({ kind: 'normal', mean: 1, sd: -1 })).toMatch(/sd/);
    expect(validateDistribution({ kind: 'exponential', mean: -1 })).toMatch(/mean/);
    expect(validateDistribution({ kind: 'constant', value: NaN })).toMatch(/finite/);
    expect(validateDistribution({ kind: 'constant', value: -1 })).toBeNull();
    expect(validateDistribution({ kind: 'constant', value: -1 }, { truncateAtZero: true })).toMatch(/≥ 0/);
    expect(validateDistribution({ kind: 'uniform', min: -3, max: -1 }, { truncateAtZero: true })).toMatch(/max/);
    expect(validateDistribution({ kind: 'bogus' } as unknown as Distribution)).toMatch(/unknown/);
    expect(() => makeDurationSampler({ kind: 'constant', value: -1 }, streamFor(1, 'x'))).toThrow(RangeError);
    expect(() => makeSampler({ kind: 'uniform', min: 1, max: 0 }, streamFor(1, 'x'))).toThrow(RangeError);
  });

  it('degenerate parameters give constants', () => {
    expect(makeSampler({ kind: 'normal', mean: 4, sd: 0 }, streamFor(1, 'x')).sample()).toBe(4);
    expect(makeSampler({ kind: 'uniform', min: 4, max: 4 }, streamFor(1, 'x')).sample()).toBe(4);
    expect(makeSampler({ kind: 'exponential', mean: 0 }, streamFor(1, 'x')).sample()).toBe(0);
  });
});
