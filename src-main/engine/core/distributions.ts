// Probability distributions for delays and sizes, each sampled from one component's RngStream.
//
// One concrete Sampler class switches on an integer kind code rather than one class per distribution: the model
// calls `sample()` from a handful of sites that see every kind, and a single hidden class keeps those call sites
// monomorphic. Values carry whatever unit the caller chose; for times the convention is nanoseconds, rounded to
// integers with `sampleNs`.

import type { RngStream } from './rng';

/**
 * A distribution description: plain serialisable data (it lives in design files). Invariants checked by
 * `validateDistribution`: every number finite; uniform `min ≤ max`; normal `sd ≥ 0`; exponential `mean ≥ 0`.
 */
export type Distribution =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'exponential'; readonly mean: number };

/** Sampler options. Invariant: `truncateAtZero` only ever removes negative outcomes, never shifts the rest. */
export interface SamplerOptions {
  /**
   * Sample X conditioned on X ≥ 0 (for durations). Normal becomes a truncated normal (exact, by rejection),
   * uniform becomes uniform(max(min, 0), max); exponential is already non-negative; a negative constant or a
   * distribution entirely below zero is rejected with an error. Default false.
   */
  readonly truncateAtZero?: boolean;
}

const CONSTANT = 0;
const UNIFORM = 1;
const NORMAL = 2;
const NORMAL_TRUNCATED = 3;
const EXPONENTIAL = 4;

/** Returns null when `dist` is well-formed (see `Distribution`), else a message naming the problem. */
export function validateDistribution(dist: Distribution, options: SamplerOptions = {}): string | null {
  const truncate = options.truncateAtZero === true;
  switch (dist.kind) {
    case 'constant':
      if (!Number.isFinite(dist.value)) return 'constant: value must be finite';
      if (truncate && dist.value < 0) return 'constant: value must be ≥ 0 for a duration';
      return null;
    case 'uniform':
      if (!Number.isFinite(dist.min) || !Number.isFinite(dist.max)) return 'uniform: min and max must be finite';
      if (dist.min > dist.max) return 'uniform: min must be ≤ max';
      if (truncate && dist.max < 0) return 'uniform: max must be ≥ 0 for a duration';
      return null;
    case 'normal':
      if (!Number.isFinite(dist.mean) || !Number.isFinite(dist.sd)) return 'normal: mean and sd must be finite';
      if (dist.sd < 0) return 'normal: sd must be ≥ 0';
      if (truncate && dist.sd === 0 && dist.mean < 0) return 'normal: mean must be ≥ 0 for a duration when sd is 0';
      return null;
    case 'exponential':
      if (!Number.isFinite(dist.mean)) return 'exponential: mean must be finite';
      if (dist.mean < 0) return 'exponential: mean must be ≥ 0';
      return null;
    default:
      return `unknown distribution kind ${(dist as { kind: unknown }).kind as string}`;
  }
}

/** Mean of the untruncated distribution (for tests, summaries and analytic checks). */
export function distributionMean(dist: Distribution): number {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'normal':
    case 'exponential':
      return dist.mean;
  }
}

/** Variance of the untruncated distribution. */
export function distributionVariance(dist: Distribution): number {
  switch (dist.kind) {
    case 'constant':
      return 0;
    case 'uniform':
      return ((dist.max - dist.min) * (dist.max - dist.min)) / 12;
    case 'normal':
      return dist.sd * dist.sd;
    case 'exponential':
      return dist.mean * dist.mean;
  }
}

/**
 * A distribution bound to a stream. Invariant: the sequence of values depends only on the distribution, the
 * options and the stream's state; each `sample()` consumes a deterministic number of draws given those.
 */
export class Sampler {
  /** The distribution this sampler draws from. */
  readonly distribution: Distribution;
  private readonly code: number;
  private readonly p1: number;
  private readonly p2: number;
  // Truncated normal: standardised lower bound and the optimal exponential rate of Robert's (1995) sampler.
  private readonly alpha: number;
  private readonly lambda: number;
  private readonly stream: RngStream;
  private spare = 0;
  private hasSpare = false;

  constructor(dist: Distribution, stream: RngStream, options: SamplerOptions = {}) {
    const problem = validateDistribution(dist, options);
    if (problem !== null) throw new RangeError(`Sampler: ${problem}`);
    const truncate = options.truncateAtZero === true;
    this.distribution = dist;
    this.stream = stream;
    let code = CONSTANT;
    let p1 = 0;
    let p2 = 0;
    let alpha = 0;
    let lambda = 0;
    switch (dist.kind) {
      case 'constant':
        p1 = dist.value;
        break;
      case 'uniform':
        code = UNIFORM;
        p1 = truncate ? Math.max(dist.min, 0) : dist.min;
        p2 = dist.max - p1;
        break;
      case 'normal':
        if (dist.sd === 0) {
          p1 = dist.mean;
        } else {
          code = truncate ? NORMAL_TRUNCATED : NORMAL;
          p1 = dist.mean;
          p2 = dist.sd;
          alpha = -dist.mean / dist.sd;
          lambda = (alpha + Math.sqrt(alpha * alpha + 4)) / 2;
        }
        break;
      case 'exponential':
        code = EXPONENTIAL;
        p1 = dist.mean;
        break;
    }
    this.code = code;
    this.p1 = p1;
    this.p2 = p2;
    this.alpha = alpha;
    this.lambda = lambda;
  }

  /** One value from the distribution (conditioned on ≥ 0 when built with `truncateAtZero`). */
  sample(): number {
    switch (this.code) {
      case EXPONENTIAL:
        // 1 − u lies in (0, 1], so the logarithm is finite.
        return -this.p1 * Math.log(1 - this.stream.next());
      case UNIFORM:
        return this.p1 + this.p2 * this.stream.next();
      case NORMAL:
        return this.p1 + this.p2 * this.standardNormal();
      case NORMAL_TRUNCATED:
        return this.p1 + this.p2 * this.truncatedStandardNormal();
      default:
        return this.p1;
    }
  }

  /** `sample()` rounded to an integer and clamped at 0: a duration in integer nanoseconds. */
  sampleNs(): number {
    const x = this.sample();
    return x > 0 ? Math.round(x) : 0;
  }

  /** Box–Muller; the second variate of each pair is kept for the next call. */
  private standardNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.stream.next()));
    const angle = 2 * Math.PI * this.stream.next();
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }

  /**
   * Z ~ N(0,1) conditioned on Z ≥ alpha. For alpha ≤ 0 plain rejection accepts with probability ≥ 1/2; above,
   * Robert's exponential proposal keeps the acceptance rate ≥ 0.76 however far the bound is in the tail.
   */
  private truncatedStandardNormal(): number {
    const alpha = this.alpha;
    if (alpha <= 0) {
      while (true) {
        const z = this.standardNormal();
        if (z >= alpha) return z;
      }
    }
    const lambda = this.lambda;
    while (true) {
      const z = alpha - Math.log(1 - this.stream.next()) / lambda;
      const d = z - lambda;
      if (this.stream.next() <= Math.exp(-0.5 * d * d)) return z;
    }
  }
}

/** Binds `dist` to `stream`. Throws a RangeError when the distribution is malformed (see `validateDistribution`). */
export function makeSampler(dist: Distribution, stream: RngStream, options: SamplerOptions = {}): Sampler {
  return new Sampler(dist, stream, options);
}

/** A duration sampler: `makeSampler` with `truncateAtZero`, for values in nanoseconds. */
export function makeDurationSampler(dist: Distribution, stream: RngStream): Sampler {
  return new Sampler(dist, stream, { truncateAtZero: true });
}

/** Draws from `sampler` and returns an integer duration ≥ 0 (rounded to nearest). */
export function sampleNs(sampler: Sampler): number {
  return sampler.sampleNs();
}
