// Event fingerprint (OMNeT++ cFingerprintCalculator): a running hash over (timeNs, kind, target) of every
// executed event. Golden tests pin it per example design and seed, so any change in behaviour — event order,
// timing, a different random draw — shows up as a different string, even when summary statistics barely move.
//
// Two 32-bit lanes (different constants, rotations and word orders) give a 64-bit digest; each event feeds
// three 32-bit words: time low word, time high word combined with the kind, target. The digest is finalised with
// murmur3's fmix only when read, so the per-event cost is six multiply-rotate steps.

const INV_TWO_POW_32 = 1 / 4294967296; // multiply, not divide: exact for a power of two, and much cheaper

/**
 * Incremental 64-bit event hash. Invariant: the digest depends only on the sequence of `add` calls (and the
 * count), never on wall-clock or platform; equal sequences give equal `hex()` strings.
 */
export class Fingerprint {
  // Two lanes, int32 each. Kept in a typed array so the (often non-Smi) int32 values are stored unboxed.
  private readonly lanes = new Int32Array(2);
  private count = 0;

  constructor() {
    this.reset();
  }

  /** Folds one executed event into the digest. */
  add(timeNs: number, kind: number, target: number): void {
    const lanes = this.lanes;
    const hiKind = hiKindWord(timeNs, kind);
    lanes[0] = lane1(lanes[0], timeNs | 0, hiKind, target);
    lanes[1] = lane2(lanes[1], timeNs | 0, hiKind, target);
    this.count++;
  }

  /**
   * The two lanes themselves, for a loop that folds events in locals (`lane1`/`lane2`) and stores both lanes back
   * after each event, then sets the count with `setEvents`: the same digest as calling `add` per event, without a
   * load per event. (Storing after each event, rather than once after the loop, leaves nothing after the loop for
   * V8 to compile without type feedback: such code, compiled on-stack while the loop first ran, was seen to bail
   * out at the end of every later call.)
   */
  lanesView(): Int32Array {
    return this.lanes;
  }

  /** Sets the number of events folded in (for a loop that writes the lanes itself, see `lanesView`). */
  setEvents(events: number): void {
    this.count = events;
  }

  /** Number of events folded in so far. */
  get events(): number {
    return this.count;
  }

  /** The digest as 16 lowercase hex digits (finalised with the event count; does not change the state). */
  hex(): string {
    const n = this.count;
    const nLo = n | 0;
    const nHi = (n * INV_TWO_POW_32) | 0;
    let h1 = this.lanes[0] ^ nLo;
    let h2 = this.lanes[1] ^ nHi;
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    return toHex8(h1) + toHex8(h2);
  }

  /** Back to the empty-sequence state. */
  reset(): void {
    this.lanes[0] = 0x2545f491;
    this.lanes[1] = 0x4f6cdd1d;
    this.count = 0;
  }
}

// One event's words: the low time word (`timeNs | 0`, ToInt32 wraps modulo 2^32), and the high time word
// combined with the kind. Multiplying the kind by an odd constant is a bijection on int32, so changing only the
// kind (or only the time) always changes this word.
/** The hashed word that carries the high 32 bits of the time and the event kind. */
export function hiKindWord(timeNs: number, kind: number): number {
  return ((timeNs * 2.3283064365386963e-10) | 0) ^ Math.imul(kind, 0x9e3779b1); // 2^-32 (a literal: a module constant is reloaded and checked on every call)
}

// Each step h = rotl(h ^ word) * odd is a bijection of h for a fixed word, so two event sequences that differ in
// a single word can never collide; an odd multiply and a rotation per word keep it cheap.
/** Lane 1 after one event (words in the order low time, high time + kind, target). */
export function lane1(h: number, lo: number, hiKind: number, target: number): number {
  let h1 = h ^ lo;
  h1 = Math.imul((h1 << 13) | (h1 >>> 19), 0x9e3779b1) ^ hiKind;
  h1 = Math.imul((h1 << 13) | (h1 >>> 19), 0x9e3779b1) ^ target;
  return Math.imul((h1 << 13) | (h1 >>> 19), 0x9e3779b1);
}

/** Lane 2 after one event (words in the order target, low time, high time + kind). */
export function lane2(h: number, lo: number, hiKind: number, target: number): number {
  let h2 = h ^ target;
  h2 = Math.imul((h2 << 17) | (h2 >>> 15), 0x85ebca77) ^ lo;
  h2 = Math.imul((h2 << 17) | (h2 >>> 15), 0x85ebca77) ^ hiKind;
  return Math.imul((h2 << 17) | (h2 >>> 15), 0x85ebca77);
}

function fmix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

function toHex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Convenience for tests: the fingerprint of an explicit event list `[timeNs, kind, target][]`. */
export function fingerprintOf(events: ReadonlyArray<readonly [number, number, number]>): string {
  const fp = new Fingerprint();
  for (const [timeNs, kind, target] of events) fp.add(timeNs, kind, target);
  return fp.hex();
}
