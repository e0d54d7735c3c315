// Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, 128-bit state, passes
// PractRand to many TB) in 32-bit integer arithmetic. It is fast in JavaScript because every step is int32 math.
//
// One run seed, many streams: `streamFor(seed, componentId)` derives an independent generator from the run
// seed and a stable component id, so adding, removing or reordering components never changes the numbers any
// other component draws. Deriving (rather than splitting one generator in creation order) is what makes that
// hold.

const TWO_POW_32 = 4294967296;
const INV_TWO_POW_32 = 1 / TWO_POW_32;
const INV_TWO_POW_53 = 1 / 9007199254740992;
/** sfc32 needs a few rounds before freshly seeded states look random (the author recommends 12; we use 20). */
const WARM_UP_ROUNDS = 20;

/** murmur3's 32-bit finaliser: a bijection on uint32 with full avalanche. Returns an unsigned 32-bit integer. */
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * 32-bit FNV-1a over the string's UTF-16 code units, followed by `fmix32` for avalanche. Stable across platforms
 * and releases (fingerprints and streams depend on it). Returns an unsigned 32-bit integer.
 */
export function hashString32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h ^ text.length);
}

/** A second, structurally different 32-bit string hash (murmur3-style block mixing), for 64-bit ids. */
function hashString32b(text: string): number {
  let h = 0x3c6ef372;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ text.length);
}

/** A run seed from free text (e.g. a user-typed seed label): an unsigned 32-bit integer. */
export function seedFromString(text: string): number {
  return hashString32(text);
}

/** Throws unless `seed` is a non-negative safe integer (0 … 2^53 − 1). */
export function assertSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  }
}

/**
 * One sfc32 generator. Invariant: the four state words are int32 and the stream's output depends only on the
 * state it was constructed with, so equal construction arguments give equal sequences on every platform.
 */
export class RngStream {
  // State in a typed array: int32 values outside the small-integer range would otherwise be boxed in fields.
  private readonly s = new Int32Array(4);

  /** Raw state constructor; prefer `streamFor`. Runs the warm-up rounds unless `warmUp` is false. */
  constructor(a: number, b: number, c: number, d: number, warmUp = true) {
    const s = this.s;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    if (warmUp) for (let i = 0; i < WARM_UP_ROUNDS; i++) this.nextUint32();
  }

  /** Next unsigned 32-bit integer in [0, 2^32). */
  nextUint32(): number {
    const s = this.s;
    const a = s[0];
    const b = s[1];
    const c = s[2];
    const d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    s[3] = (d + 1) | 0;
    return t >>> 0;
  }

  /**
   * Next float uniform in [0, 1) with 32 bits of resolution (multiples of 2^-32). Enough for simulation
   * sampling; use `nextFloat53` when the extra resolution matters (e.g. very small tail probabilities).
   */
  next(): number {
    return this.nextUint32() * 2.3283064365386963e-10; // 2^-32 as a literal: a module constant is reloaded and checked per call
  }

  /** Next float uniform in [0, 1) with the full 53-bit double resolution (consumes two 32-bit outputs). */
  nextFloat53(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * INV_TWO_POW_53;
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias ≤ n / 2^32). */
  nextInt(n: number): number {
    return Math.floor(this.nextUint32() * INV_TWO_POW_32 * n);
  }

  /** An independent copy that continues from the same state (for what-if branches). */
  clone(): RngStream {
    const s = this.s;
    return new RngStream(s[0], s[1], s[2], s[3], false);
  }

  /** The four state words (for snapshots); `new RngStream(...state, false)` resumes from them. */
  state(): [number, number, number, number] {
    const s = this.s;
    return [s[0], s[1], s[2], s[3]];
  }
}

/**
 * The stream of component `componentId` in the run with `seed` (a non-negative safe integer; values above
 * 2^32 − 1 contribute both their low and high 32-bit words). The result depends only on (seed, componentId):
 * use stable ids (node ids from the design, plus a purpose suffix such as `"uart0/service"`), never indices.
 */
export function streamFor(seed: number, componentId: string): RngStream {
  assertSeed(seed);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  const seedA = fmix32(lo ^ 0x9e3779b9);
  const seedB = fmix32((hi ^ 0x7f4a7c15) + Math.imul(seedA, 0x85ebca6b));
  const idA = hashString32(componentId);
  const idB = hashString32b(componentId);
  return new RngStream(seedA ^ idB, seedB, idA ^ 0x243f6a88, (idB + seedA) ^ 0x13198a2e);
}
