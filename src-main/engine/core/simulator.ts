// The discrete-event loop (SimPy Environment.run, OMNeT++ cSimulation): pop the earliest event, advance time,
// dispatch it to the model. Events are five numbers (time, priority, kind, target, arg) and dispatch goes to
// one handler object, so the loop allocates nothing and creates no closure per event; the `handle` call site
// sees one model class per run and stays monomorphic.
//
// Host concerns (cancellation, progress reports) are polled every `checkEveryEvents` events, never per event.

import { EventQueue } from './eventQueue';
import { Fingerprint } from './fingerprint';

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
    if (!(delayNs >= 0)) throw new RangeError(`Simulator: negative or NaN delay ${delayNs}`);
    return this.queue.push(this.queue.nowNs + delayNs, priority, kind, target, arg);
  }

  /** Schedules an event at absolute time `timeNs` (integer, ≥ now; earlier throws); returns its sequence number. */
  scheduleAt(timeNs: number, priority: number, kind: number, target: number, arg: number): number {
    return this.queue.push(timeNs, priority, kind, target, arg);
  }

  /** The fingerprint so far (16 hex digits), or null when it was not enabled. */
  fingerprintHex(): string | null {
    return this.fp === null ? null : this.fp.hex();
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
    const queue = this.queue;
    const fp = this.fp;
    const maxEvents = this.maxEvents;
    const maxSimTimeNs = this.maxSimTimeNs;
    const checkEvery = this.checkEveryEvents;
    let events = this.eventCount;
    let endReason: EndReason;

    if (this.shouldStop !== undefined && this.shouldStop()) {
      return this.result('cancelled', events);
    }
    outer: while (true) {
      // Run a batch of events up to the next poll point (or the event limit) without host callbacks.
      const batchEnd = Math.min(maxEvents, events + checkEvery);
      while (events < batchEnd) {
        const nextTimeNs = queue.peekTimeNs();
        if (nextTimeNs > maxSimTimeNs) {
          if (nextTimeNs === Infinity) {
            endReason = 'empty';
          } else {
            queue.advanceTo(maxSimTimeNs);
            endReason = 'maxTime';
          }
          break outer;
        }
        queue.pop();
        const timeNs = queue.topTimeNs;
        const kind = queue.topKind;
        const target = queue.topTarget;
        events++;
        if (fp !== null) fp.add(timeNs, kind, target);
        // Publish the count before dispatch so the handler (and any exception) sees a consistent state.
        this.eventCount = events;
        handler.handle(kind, target, queue.topArg, timeNs);
      }
      if (events >= maxEvents) {
        const nextTimeNs = queue.peekTimeNs();
        if (nextTimeNs === Infinity) {
          endReason = 'empty';
        } else if (nextTimeNs > maxSimTimeNs) {
          queue.advanceTo(maxSimTimeNs);
          endReason = 'maxTime';
        } else {
          endReason = 'maxEvents';
        }
        break;
      }
      if (this.progress !== undefined) this.progress(queue.nowNs, events);
      if (this.shouldStop !== undefined && this.shouldStop()) {
        endReason = 'cancelled';
        break;
      }
    }
    return this.result(endReason, events);
  }

  private result(endReason: EndReason, events: number): RunResult {
    this.eventCount = events;
    return {
      endReason,
      simTimeNs: this.queue.nowNs,
      events,
      fingerprint: this.fp === null ? null : this.fp.hex(),
    };
  }
}
