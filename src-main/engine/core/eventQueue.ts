// Future event set: a binary min-heap over struct-of-arrays storage (OMNeT++ cFutureEventSet, SimPy's heapq).
//
// Why typed arrays: the simulator pops and pushes millions of events per second; an object per event would make
// the garbage collector the bottleneck. Keys and payload live in parallel typed arrays that double when full, and
// pop() copies the removed event into plain fields (`topTimeNs`, `topKind`, …) instead of returning a record.
//
// Ordering key: (timeNs, priority, sequence). Priority and sequence are packed into one float64 "tie key"
//   tieKey = (priority - MIN_PRIORITY) * 2^SEQUENCE_BITS + sequence
// which is exact because it stays below 2^53. One comparison then settles both ties, and a sift moves five
// numbers instead of six. The price is a bounded priority range and a bounded number of pushes per queue
// lifetime (2^42 ≈ 4.4e12; at 10 M events/s that is five days of wall time), both checked.
//
// Front slot: an event that will run before everything already queued (the common case in a model: the CPU
// finishes its current chunk before the next timer fires) is kept in one slot beside the heap instead of being
// sifted in and out of it. Invariant: when the slot is full, its event precedes every event in the heap; the
// order of execution is exactly the heap's order (same keys, same comparisons).

import { WIDE, widen } from './wide';

/** Lowest accepted priority (inclusive). Lower priority values run first among equal times. */
export const MIN_PRIORITY = -1024;
/** Highest accepted priority (inclusive). */
export const MAX_PRIORITY = 1023;

const SEQUENCE_BITS = 42;
const SEQUENCE_SPAN = 2 ** SEQUENCE_BITS;
const MAX_TIME_NS = Number.MAX_SAFE_INTEGER;
const MIN_CAPACITY = 16;

function throwPushError(nowNs: number, timeNs: number, priority: number, kind: number, target: number, sequence: number): never {
  if (timeNs < nowNs) throw new RangeError(`EventQueue: scheduling in the past (timeNs ${timeNs} < nowNs ${nowNs})`);
  if (!(timeNs >= 0 && timeNs <= MAX_TIME_NS) || Math.floor(timeNs) !== timeNs) {
    throw new RangeError(`EventQueue: timeNs must be a non-negative safe integer, got ${timeNs}`);
  }
  if (!(priority >= MIN_PRIORITY && priority <= MAX_PRIORITY) || (priority | 0) !== priority) {
    throw new RangeError(`EventQueue: priority must be an integer in [${MIN_PRIORITY}, ${MAX_PRIORITY}], got ${priority}`);
  }
  if ((kind | 0) !== kind || (target | 0) !== target) {
    throw new RangeError(`EventQueue: kind and target must be int32, got kind ${kind}, target ${target}`);
  }
  if (sequence >= SEQUENCE_SPAN) throw new RangeError('EventQueue: sequence space exhausted; clear() the queue first');
  throw new RangeError('EventQueue: invalid event');
}

/** A snapshot of one pending event; only produced by the (slow, allocating) debugging helper `toSortedArray`. */
export interface QueuedEvent {
  /** Integer simulated time, ≥ the queue's `nowNs`. */
  readonly timeNs: number;
  /** Integer in [MIN_PRIORITY, MAX_PRIORITY]; lower runs first among equal times. */
  readonly priority: number;
  /** Insertion counter: unique per queue lifetime, increasing in push order. */
  readonly sequence: number;
  readonly kind: number;
  readonly target: number;
  readonly arg: number;
}

/**
 * Min-heap of events ordered by (timeNs, priority, sequence).
 *
 * Invariants: every pending event has `timeNs >= nowNs`; `nowNs` never decreases (it is the time of the last
 * popped event, or where `advanceTo` moved it); events with equal (timeNs, priority) pop in push order.
 * `kind` and `target` are int32, `arg` is any float64, times are non-negative safe integers.
 */
export class EventQueue {
  /** Time of the last popped event (or of the last `advanceTo`): the floor below which pushes throw. */
  nowNs = WIDE;

  // Fields of the event removed by the last successful pop() (or inspected by the last peek());
  // topPriority and topSequence are getters further down.
  /** Time of the last popped/peeked event. */
  topTimeNs = WIDE;
  topKind = 0;
  topTarget = 0;
  topArg = WIDE;
  // Priority and sequence of the top event stay packed until asked for: unpacking costs a float modulo.
  private topTieKey = -MIN_PRIORITY * SEQUENCE_SPAN;

  private timesNs: Float64Array;
  private tieKeys: Float64Array;
  private kinds: Int32Array;
  private targets: Int32Array;
  private args: Float64Array;
  private count = 0;
  private nextSequence = 0;
  private slotFull = false;
  private slotTimeNs = WIDE;
  private slotTieKey = WIDE;
  private slotKind = 0;
  private slotTarget = 0;
  private slotArg = WIDE;

  constructor(initialCapacity = 64) {
    widen(this, ['nowNs', 'topTimeNs', 'topArg']);
    this.slotTimeNs = this.slotTieKey = this.slotArg = 0;
    const capacity = Math.max(MIN_CAPACITY, Math.floor(initialCapacity) || 0);
    this.timesNs = new Float64Array(capacity);
    this.tieKeys = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.targets = new Int32Array(capacity);
    this.args = new Float64Array(capacity);
  }

  /** Number of pending events. */
  get size(): number {
    return this.slotFull ? this.count + 1 : this.count;
  }

  /** Current storage capacity (grows by doubling; never shrinks except through `clear(true)`). */
  get capacity(): number {
    return this.timesNs.length;
  }

  /**
   * Inserts an event and returns its sequence number (unique, increasing; usable as an event handle by models
   * that implement lazy cancellation). Throws when `timeNs` is before `nowNs`, not a safe integer, or when
   * priority/kind/target are out of range.
   */
  push(timeNs: number, priority: number, kind: number, target: number, arg: number): number {
    return this.pushWithSequence(timeNs, priority, kind, target, arg, this.nextSequence);
  }

  /**
   * Takes the next sequence number without pushing anything: an event pushed later with it (`pushReserved`)
   * runs exactly where it would have run had it been pushed now. For models that often do not need an event
   * they would otherwise schedule (TockModel's quiet job completions).
   */
  reserveSequence(): number {
    const sequence = this.nextSequence;
    if (sequence >= SEQUENCE_SPAN) throw new RangeError('EventQueue: sequence space exhausted; clear() the queue first');
    this.nextSequence = sequence + 1;
    return sequence;
  }

  /** Pushes an event with a sequence number obtained from `reserveSequence` (each used at most once). */
  pushReserved(timeNs: number, priority: number, kind: number, target: number, arg: number, sequence: number): void {
    if (!(sequence >= 0 && sequence < this.nextSequence)) throw new RangeError(`EventQueue: sequence ${sequence} was not reserved`);
    this.pushWithSequence(timeNs, priority, kind, target, arg, sequence);
  }

  /**
   * True when an event (timeNs, priority, sequence) orders before the event in the `top*` fields (the last one
   * popped, or peeked): had it been queued, it would already have been popped.
   */
  precedesTop(timeNs: number, priority: number, sequence: number): boolean {
    const tieKey = (priority - MIN_PRIORITY) * SEQUENCE_SPAN + sequence;
    return timeNs < this.topTimeNs || (timeNs === this.topTimeNs && tieKey < this.topTieKey);
  }

  private pushWithSequence(timeNs: number, priority: number, kind: number, target: number, arg: number, sequence: number): number {
    // One combined test keeps this hot method small enough for the optimiser to inline; the cold function
    // works out which rule was broken. `!(a >= b)` also rejects NaN. The bounds are written as literals
    // (MAX_TIME_NS, MIN_PRIORITY, MAX_PRIORITY, SEQUENCE_SPAN): V8 reloads and type-checks a module constant on
    // every call, which measured ~4% of the M/M/1 bench's instructions (the tests pin the bounds).
    if (
      !(timeNs >= this.nowNs && timeNs <= 9007199254740991 && priority >= -1024 && priority <= 1023) ||
      Math.floor(timeNs) !== timeNs ||
      (priority | 0) !== priority ||
      (kind | 0) !== kind ||
      (target | 0) !== target ||
      sequence >= 4398046511104
    ) {
      throwPushError(this.nowNs, timeNs, priority, kind, target, sequence);
    }
    if (sequence === this.nextSequence) this.nextSequence = sequence + 1;
    const tieKey = (priority + 1024) * 4398046511104 + sequence; // (priority − MIN_PRIORITY) · SEQUENCE_SPAN + sequence
    if (this.slotFull) {
      const st = this.slotTimeNs;
      if (timeNs < st || (timeNs === st && tieKey < this.slotTieKey)) {
        // The new event goes first: the slot's event moves into the heap (it still precedes the heap's events).
        this.heapInsert(st, this.slotTieKey, this.slotKind, this.slotTarget, this.slotArg);
        this.fillSlot(timeNs, tieKey, kind, target, arg);
      } else this.heapInsert(timeNs, tieKey, kind, target, arg);
    } else {
      const t0 = this.timesNs[0];
      if (this.count === 0 || timeNs < t0 || (timeNs === t0 && tieKey < this.tieKeys[0])) this.fillSlot(timeNs, tieKey, kind, target, arg);
      else this.heapInsert(timeNs, tieKey, kind, target, arg);
    }
    return sequence;
  }

  private fillSlot(timeNs: number, tieKey: number, kind: number, target: number, arg: number): void {
    this.slotFull = true;
    this.slotTimeNs = timeNs;
    this.slotTieKey = tieKey;
    this.slotKind = kind;
    this.slotTarget = target;
    this.slotArg = arg;
  }

  private heapInsert(timeNs: number, tieKey: number, kind: number, target: number, arg: number): void {
    let n = this.count;
    if (n === this.timesNs.length) this.grow();
    const timesNs = this.timesNs;
    const tieKeys = this.tieKeys;
    const kinds = this.kinds;
    const targets = this.targets;
    const args = this.args;
    // Sift up with a hole: move parents down until the new event's slot is found, then write it once.
    while (n > 0) {
      const parent = (n - 1) >> 1;
      const pt = timesNs[parent];
      if (pt < timeNs || (pt === timeNs && tieKeys[parent] < tieKey)) break;
      timesNs[n] = pt;
      tieKeys[n] = tieKeys[parent];
      kinds[n] = kinds[parent];
      targets[n] = targets[parent];
      args[n] = args[parent];
      n = parent;
    }
    timesNs[n] = timeNs;
    tieKeys[n] = tieKey;
    kinds[n] = kind;
    targets[n] = target;
    args[n] = arg;
    this.count++;
  }

  /**
   * Removes the earliest event, copies it into the `top*` fields, advances `nowNs` to its time and returns
   * true; returns false (and changes nothing) when the queue is empty.
   */
  pop(): boolean {
    return this.popNotAfter(MAX_TIME_NS);
  }

  /**
   * Like `pop()`, but only when the earliest event's time is ≤ `limitNs`; returns false (changing nothing) when
   * the queue is empty or the next event is later. The simulator's hot loop: one call instead of peek + pop.
   */
  popNotAfter(limitNs: number): boolean {
    // The front slot (the common case) here, the heap in its own method: this one stays small enough for the
    // optimiser to inline into the simulator's loop.
    if (this.slotFull) {
      const st = this.slotTimeNs;
      if (st > limitNs) return false;
      this.slotFull = false;
      this.topTimeNs = st;
      this.topTieKey = this.slotTieKey;
      this.topKind = this.slotKind;
      this.topTarget = this.slotTarget;
      this.topArg = this.slotArg;
      this.nowNs = st;
      return true;
    }
    return this.popHeapNotAfter(limitNs);
  }

  /** `popNotAfter` when the front slot is empty: the heap's earliest event, if not after `limitNs`. */
  private popHeapNotAfter(limitNs: number): boolean {
    const n = this.count;
    if (n === 0 || this.timesNs[0] > limitNs) return false;
    const timesNs = this.timesNs;
    const tieKeys = this.tieKeys;
    const kinds = this.kinds;
    const targets = this.targets;
    const args = this.args;

    const topTimeNs = timesNs[0];
    this.topTimeNs = topTimeNs;
    this.topTieKey = tieKeys[0];
    this.topKind = kinds[0];
    this.topTarget = targets[0];
    this.topArg = args[0];
    this.nowNs = topTimeNs;

    const last = n - 1;
    this.count = last;
    if (last > 0) {
      // Sift the last event down from the root, moving the smaller child up into the hole.
      const t = timesNs[last];
      const k = tieKeys[last];
      let i = 0;
      while (true) {
        let child = 2 * i + 1;
        if (child >= last) break;
        const right = child + 1;
        if (right < last) {
          const rt = timesNs[right];
          const ct = timesNs[child];
          if (rt < ct || (rt === ct && tieKeys[right] < tieKeys[child])) child = right;
        }
        const ct = timesNs[child];
        if (t < ct || (t === ct && k < tieKeys[child])) break;
        timesNs[i] = ct;
        tieKeys[i] = tieKeys[child];
        kinds[i] = kinds[child];
        targets[i] = targets[child];
        args[i] = args[child];
        i = child;
      }
      timesNs[i] = t;
      tieKeys[i] = k;
      kinds[i] = kinds[last];
      targets[i] = targets[last];
      args[i] = args[last];
    }
    return true;
  }

  /** Time of the earliest pending event, or `Infinity` when the queue is empty. Does not remove anything. */
  peekTimeNs(): number {
    if (this.slotFull) return this.slotTimeNs;
    return this.count === 0 ? Infinity : this.timesNs[0];
  }

  /**
   * Copies the earliest pending event into the `top*` fields without removing it (and without moving
   * `nowNs`); returns false when the queue is empty.
   */
  peek(): boolean {
    if (this.slotFull) {
      this.topTimeNs = this.slotTimeNs;
      this.topTieKey = this.slotTieKey;
      this.topKind = this.slotKind;
      this.topTarget = this.slotTarget;
      this.topArg = this.slotArg;
      return true;
    }
    if (this.count === 0) return false;
    this.topTimeNs = this.timesNs[0];
    this.topTieKey = this.tieKeys[0];
    this.topKind = this.kinds[0];
    this.topTarget = this.targets[0];
    this.topArg = this.args[0];
    return true;
  }

  /**
   * Moves `nowNs` forward to `timeNs` without popping (the simulator uses it to stop time at a limit).
   * Throws when that would go backwards or jump past a pending event.
   */
  advanceTo(timeNs: number): void {
    if (!(timeNs >= this.nowNs) || Math.floor(timeNs) !== timeNs || timeNs > MAX_TIME_NS) {
      throw new RangeError(`EventQueue: cannot advance from ${this.nowNs} to ${timeNs}`);
    }
    const next = this.peekTimeNs();
    if (timeNs > next) {
      throw new RangeError(`EventQueue: cannot advance to ${timeNs} past a pending event at ${next}`);
    }
    this.nowNs = timeNs;
  }

  /**
   * Empties the queue and resets `nowNs` and the sequence counter to 0, ready for a fresh run.
   * With `releaseMemory`, storage also shrinks back to the minimum capacity.
   */
  clear(releaseMemory = false): void {
    this.count = 0;
    this.slotFull = false;
    this.nextSequence = 0;
    this.nowNs = 0;
    this.topTimeNs = 0;
    this.topKind = 0;
    this.topTarget = 0;
    this.topArg = 0;
    this.topTieKey = -MIN_PRIORITY * SEQUENCE_SPAN;
    if (releaseMemory && this.timesNs.length > MIN_CAPACITY) {
      this.timesNs = new Float64Array(MIN_CAPACITY);
      this.tieKeys = new Float64Array(MIN_CAPACITY);
      this.kinds = new Int32Array(MIN_CAPACITY);
      this.targets = new Int32Array(MIN_CAPACITY);
      this.args = new Float64Array(MIN_CAPACITY);
    }
  }

  /** Pending events in execution order. Allocates; for tests, debugging and snapshots only. */
  toSortedArray(): QueuedEvent[] {
    const out: QueuedEvent[] = [];
    const add = (timeNs: number, tieKey: number, kind: number, target: number, arg: number): void => {
      const sequence = tieKey % SEQUENCE_SPAN;
      out.push({ timeNs, priority: (tieKey - sequence) / SEQUENCE_SPAN + MIN_PRIORITY, sequence, kind, target, arg });
    };
    if (this.slotFull) add(this.slotTimeNs, this.slotTieKey, this.slotKind, this.slotTarget, this.slotArg);
    for (let i = 0; i < this.count; i++) add(this.timesNs[i], this.tieKeys[i], this.kinds[i], this.targets[i], this.args[i]);
    return out.sort((a, b) => a.timeNs - b.timeNs || a.priority - b.priority || a.sequence - b.sequence);
  }

  /** Priority of the event last popped or peeked. */
  get topPriority(): number {
    return (this.topTieKey - (this.topTieKey % SEQUENCE_SPAN)) / SEQUENCE_SPAN + MIN_PRIORITY;
  }

  /** Sequence number (push order) of the event last popped or peeked. */
  get topSequence(): number {
    return this.topTieKey % SEQUENCE_SPAN;
  }

  private grow(): void {
    const capacity = this.timesNs.length * 2;
    const timesNs = new Float64Array(capacity);
    const tieKeys = new Float64Array(capacity);
    const kinds = new Int32Array(capacity);
    const targets = new Int32Array(capacity);
    const args = new Float64Array(capacity);
    timesNs.set(this.timesNs);
    tieKeys.set(this.tieKeys);
    kinds.set(this.kinds);
    targets.set(this.targets);
    args.set(this.args);
    this.timesNs = timesNs;
    this.tieKeys = tieKeys;
    this.kinds = kinds;
    this.targets = targets;
    this.args = args;
  }
}
