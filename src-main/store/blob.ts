// Typed arrays <-> SQLite BLOBs. BLOBs hold the arrays' bytes as-is (little-endian; checked at open), so writing
// is a copy by SQLite and reading is a view when the returned Buffer is aligned (a copy otherwise).

/** A zero-copy Buffer over a typed array's bytes (SQLite copies it when binding). */
export function toBlob(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function aligned(buf: Uint8Array, bytesPer: number): ArrayBuffer {
  if (buf.byteOffset % bytesPer === 0 && buf.byteLength % bytesPer === 0) return buf.buffer as ArrayBuffer;
  throw new Error('unaligned');
}

/** A Float64Array over a BLOB (a view when aligned, else a copy). */
export function f64(buf: Uint8Array): Float64Array {
  if (buf.byteLength % 8 !== 0) throw new RangeError(`BLOB of ${buf.byteLength} bytes is not a Float64 array`);
  if (buf.byteOffset % 8 === 0) return new Float64Array(aligned(buf, 8), buf.byteOffset, buf.byteLength / 8);
  const out = new Float64Array(buf.byteLength / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** A Uint32Array over a BLOB (a view when aligned, else a copy). */
export function u32(buf: Uint8Array): Uint32Array {
  if (buf.byteLength % 4 !== 0) throw new RangeError(`BLOB of ${buf.byteLength} bytes is not a Uint32 array`);
  if (buf.byteOffset % 4 === 0) return new Uint32Array(aligned(buf, 4), buf.byteOffset, buf.byteLength / 4);
  const out = new Uint32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** A Uint8Array over a BLOB (always a view). */
export function u8(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** An append-only Float64 column that grows by doubling. Invariant: `data.subarray(0, length)` is the content. */
export class F64Column {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Concatenates Float64 arrays into one. */
export function concatF64(parts: readonly Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
