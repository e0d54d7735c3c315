// The discrete-event loop (SimPy Environment.run, OMNeT++ cSimulation): pop the earliest event, advance time,
// dispatch it to the model. Events are five numbers (time, priority, kind, target, arg) and dispatch goes to
// one handler object, so the loop allocates nothing and creates no closure per event; the `handle` call site
// sees one model class per run and stays monomorphic.
//
// Host concerns (cancellation, progress reports) are polled every `checkEveryEvents` events, never per event.
// The hot loop runs in slices (`runSlice`, SLICE_EVENTS events per call) because V8 gives a function that is
// called repeatedly a full optimised compile, whereas one long-running loop only gets on-stack replacement,
// which measured slower and allocated more in the first (and for the app, only) run.

import { EventQueue } from './eventQueue';
import { Fingerprint, hiKindWord, lane1, lane2 } from './fingerprint';

/**
 * The model side of the loop. Invariant (the simulator's promise): `handle` is called once per executed event,
 * in (timeNs, priority, sequence) order, with `timeNs` equal to the simulator's `nowNs` at the call.
 */
export interface EventHandler {
  /** Executes one event; may schedule further events (at `timeNs` or later) through the simulator. */
  handle(kind: number, target: number, arg: number, timeNs: number): void;
}

/** Why `run()` returned. */
export type EndReason = 'empty' | 'maxEvents' | 'maxTime' | 'cancelled';

/** Stop conditions. Invariant: both are absolute over the simulator's lifetime (not per `run()` call). */
export interface SimulatorLimits {
  /** Execute at most this many events in total (non-negative integer; default unlimited). */
  readonly maxEvents?: number;
  /** Execute no event later than this simulated time (inclusive; non-negative integer ns; default unlimited). */
  readonly maxSimTimeNs?: number;
}

/** Construction options. Invariant: callbacks are only invoked between events, never during `handle`. */
export interface SimulatorOptions {
  readonly limits?: SimulatorLimits;
  /** Polled at the start of `run()` and every `checkEveryEvents` events; returning true ends the run. */
  readonly shouldStop?: () => boolean;
  /** Called every `checkEveryEvents` events (not at the start or end of a run). */
  readonly progress?: (simTimeNs: number, events: number) => void;
  /** Polling interval for `shouldStop` and `progress`, in events (positive integer, default 65,536). */
  readonly checkEveryEvents?: number;
  /** Maintain the event fingerprint (default false; costs a few ns per event). */
  readonly fingerprint?: boolean;
  /** Initial event-queue capacity (it grows by doubling anyway). */
  readonly initialQueueCapacity?: number;
}

/**
 * Outcome of `run()`. Invariant: `simTimeNs` is the simulator's `nowNs` at return: the time of the last executed
 * event, or `maxSimTimeNs` when the run ended on 'maxTime'.
 */
export interface RunResult {
  readonly endReason: EndReason;
  readonly simTimeNs: number;
  /** Events executed since the simulator was created (or last reset). */
  readonly events: number;
  /** The event fingerprint (16 hex digits) when enabled, else null. */
  readonly fingerprint: string | null;
}

// Events per call of the hot loop (see `loop`); small enough that the optimiser sees many calls early in a run.
const SLICE_EVENTS = 4096;
const SLICE_DONE = 0;
const SLICE_EMPTY = 1;
const SLICE_MAX_TIME = 2;
/** Lanes of a run without a fingerprint (written, never read). */
const NO_LANES = new Int32Array(2);

/** Default polling interval for cancellation and progress. */
export const DEFAULT_CHECK_EVERY_EVENTS = 65_536;

function checkNonNegativeInteger(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`Simulator: ${name} must be a non-negative safe integer, got ${value}`);
  }
}

/**
 * Owns simulated time, the future event set, the event count and the optional fingerprint.
 * Invariants: `nowNs` is an integer that never decreases; an event never executes before `nowNs`; with equal
 * (time, priority), events execute in scheduling order; no event later than `maxSimTimeNs` executes.
 */
export class Simulator {
  private readonly queue: EventQueue;
  private readonly maxEvents: number;
  private readonly maxSimTimeNs: number;
  private readonly shouldStop: (() => boolean) | undefined;
  private readonly progress: ((simTimeNs: number, events: number) => void) | undefined;
  private readonly checkEveryEvents: number;
  private readonly fp: Fingerprint | null;
  private eventCount = 0;
  private running = false;

  constructor(options: SimulatorOptions = {}) {
    const limits = options.limits ?? {};
    const maxEvents = limits.maxEvents ?? Number.MAX_SAFE_INTEGER;
    const maxSimTimeNs = limits.maxSimTimeNs ?? Number.MAX_SAFE_INTEGER;
    checkNonNegativeInteger('maxEvents', maxEvents);
    checkNonNegativeInteger('maxSimTimeNs', maxSimTimeNs);
    const checkEveryEvents = options.checkEveryEvents ?? DEFAULT_CHECK_EVERY_EVENTS;
    if (!(Number.isSafeInteger(checkEveryEvents) && checkEveryEvents >= 1)) {
      throw new RangeError(`Simulator: checkEveryEvents must be a positive integer, got ${checkEveryEvents}`);
    }
    this.queue = new EventQueue(options.initialQueueCapacity ?? 64);
    this.maxEvents = maxEvents;
    this.maxSimTimeNs = maxSimTimeNs;
    this.shouldStop = options.shouldStop;
    this.progress = options.progress;
    this.checkEveryEvents = checkEveryEvents;
    this.fp = options.fingerprint === true ? new Fingerprint() : null;
  }

  /** Current simulated time in integer nanoseconds. */
  get nowNs(): number {
    return this.queue.nowNs;
  }

  /** Events executed so far. */
  get events(): number {
    return this.eventCount;
  }

  /** Events scheduled but not yet executed. */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** Time of the next pending event, or Infinity. */
  get nextEventTimeNs(): number {
    return this.queue.peekTimeNs();
  }

  /**
   * Schedules an event `delayNs` (a non-negative integer) after now; returns its sequence number.
   * Lower `priority` runs first among events at the same time (range MIN_PRIORITY…MAX_PRIORITY of eventQueue).
   */
  schedule(delayNs: number, priority: number, kind: number, target: number, arg: number): number {
    // A negative, fractional or NaN delay yields a time the queue rejects, so no second check here.
    return this.queue.push(this.queue.nowNs + delayNs, priority, kind, target, arg);
  }

  /** Schedules an event at absolute time `timeNs` (integer, ≥ now; earlier throws); returns its sequence number. */
  scheduleAt(timeNs: number, priority: number, kind: number, target: number, arg: number): number {
    return this.queue.push(timeNs, priority, kind, target, arg);
  }

  /**
   * Reserves a place in the event order for an event that may never be needed: `scheduleReserved` with the
   * returned handle puts it exactly where `schedule` would have put it now; `isPast` tells whether that place
   * has already gone by.
   */
  reserve(): number {
    return this.queue.reserveSequence();
  }

  /** Schedules at absolute `timeNs` (≥ now) an event whose place was taken by `reserve()`. */
  scheduleReserved(timeNs: number, priority: number, kind: number, target: number, arg: number, handle: number): void {
    this.queue.pushReserved(timeNs, priority, kind, target, arg, handle);
  }

  /**
   * Whether a reserved event at (timeNs, priority) would already have executed: it orders before the event being
   * handled now (or, between runs, the last one executed).
   */
  isPast(timeNs: number, priority: number, handle: number): boolean {
    return this.queue.precedesTop(timeNs, priority, handle);
  }

  /** The fingerprint so far (16 hex digits), or null when it was not enabled. */
  fingerprintHex(): string | null {
    const fp = this.fp;
    if (fp === null) return null;
    fp.setEvents(this.eventCount);
    return fp.hex();
  }

  /**
   * Runs events through `handler` until the queue is empty, a limit is reached or `shouldStop` says so.
   * May be called again to continue (e.g. after 'cancelled'); limits stay absolute. Not re-entrant.
   */
  run(handler: EventHandler): RunResult {
    if (this.running) throw new Error('Simulator: run() is not re-entrant');
    this.running = true;
    try {
      return this.loop(handler);
    } finally {
      this.running = false;
    }
  }

  /**
   * Forgets all pending events and returns time, event count and fingerprint to zero, for a fresh run with
   * the same options.
   */
  reset(): void {
    if (this.running) throw new Error('Simulator: cannot reset while running');
    this.queue.clear();
    this.eventCount = 0;
    if (this.fp !== null) this.fp.reset();
  }

  private loop(handler: EventHandler): RunResult {
    const maxEvents = this.maxEvents;
    const checkEvery = this.checkEveryEvents;
    let events = this.eventCount;
    let nextCheck = events + checkEvery;
    if (this.shouldStop !== undefined && this.shouldStop()) return this.result('cancelled', events);
    while (true) {
      // Slices of at most SLICE_EVENTS events: the hot loop lives in `runSlice`, which is entered many times
      // per run and therefore gets a fully optimised compile instead of only an on-stack-replacement one.
      const sliceEnd = Math.min(maxEvents, nextCheck, events + SLICE_EVENTS);
      const stop = this.runSlice(handler, sliceEnd);
      events = this.eventCount;
      if (stop !== SLICE_DONE) return this.result(stop === SLICE_EMPTY ? 'empty' : 'maxTime', events);
      if (events >= maxEvents) {
        const nextTimeNs = this.queue.peekTimeNs();
        if (nextTimeNs === Infinity) return this.result('empty', events);
        if (nextTimeNs > this.maxSimTimeNs) {
          this.queue.advanceTo(this.maxSimTimeNs);
          return this.result('maxTime', events);
        }
        return this.result('maxEvents', events);
      }
      if (events >= nextCheck) {
        nextCheck = events + checkEvery;
        if (this.progress !== undefined) this.progress(this.queue.nowNs, events);
        if (this.shouldStop !== undefined && this.shouldStop()) return this.result('cancelled', events);
      }
    }
  }

  /** Executes events until `eventCount` reaches `sliceEnd`, the queue empties or the time limit is reached. */
  private runSlice(handler: EventHandler, sliceEnd: number): number {
    const queue = this.queue;
    const fp = this.fp;
    const hashing = fp !== null;
    const maxSimTimeNs = this.maxSimTimeNs;
    let events = this.eventCount;
    // The fingerprint is folded in locals and both lanes are stored after each event (before its dispatch, so an
    // event whose handler throws is hashed); the count is set when the digest is read (`hex`).
    const lanes = hashing ? fp.lanesView() : NO_LANES;
    let h1 = lanes[0];
    let h2 = lanes[1];
    let stop = SLICE_DONE;
    while (events < sliceEnd) {
      if (!queue.popNotAfter(maxSimTimeNs)) {
        if (queue.size === 0) stop = SLICE_EMPTY;
        else {
          queue.advanceTo(maxSimTimeNs);
          stop = SLICE_MAX_TIME;
        }
        break;
      }
      const timeNs = queue.topTimeNs;
      const kind = queue.topKind;
      const target = queue.topTarget;
      events++;
      // Publish the count before dispatch so the handler (and any exception) sees a consistent state.
      this.eventCount = events;
      if (hashing) {
        const lo = timeNs | 0;
        const hiKind = hiKindWord(timeNs, kind);
        h1 = lane1(h1, lo, hiKind, target);
        h2 = lane2(h2, lo, hiKind, target);
        lanes[0] = h1;
        lanes[1] = h2;
      }
      handler.handle(kind, target, queue.topArg, timeNs);
    }
    return stop;
  }

  private result(endReason: EndReason, events: number): RunResult {
    this.eventCount = events;
    return {
      endReason,
      simTimeNs: this.queue.nowNs,
      events,
      fingerprint: this.fingerprintHex(),
    };
  }
}
