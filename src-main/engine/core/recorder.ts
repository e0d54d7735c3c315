// The observation channel between a model and whatever keeps results (OMNeT++ `emit(signal, value)`: the model
// emits, the recording side decides what is stored). Models call these methods on the hot path, so every
// argument is a number: flows, series and trace kinds are dense integer indices that the model publishes once
// (index → name, unit) in its run metadata. Recorders must not throw for well-formed calls and must not call
// back into the simulator.

/** Message outcome codes: the one shared definition of the engine and the store (src-shared/results/outcome). */
export { Outcome as MessageOutcome, type OutcomeCode as MessageOutcomeCode } from '../../../src-shared/results/outcome';

/**
 * Sink for a run's observations. Contracts (the caller's obligations):
 * - all times are integer simulated nanoseconds, never beyond the simulator's current time at the call;
 * - indices (`flowIdx`, `seriesIdx`, trace `kind`) are small non-negative integers defined by the model.
 */
export interface Recorder {
  /**
   * One message reached its outcome, reported at that moment (so calls come in non-decreasing `deliverNs`).
   * `sendNs` ≤ `deliverNs`: when the sender handed the message to the mechanism; `deliverNs`: when the receiver
   * could use it, or when it was dropped/rejected. `bytes`: payload bytes that arrived (0 if none arrived);
   * `copies`: byte copies actually performed (0 for shared memory); `outcome`: an `Outcome` code (src-shared/results/outcome).
   */
  message(flowIdx: number, sendNs: number, deliverNs: number, bytes: number, copies: number, outcome: number): void;

  /**
   * A sample of a piecewise-constant time series: `value` holds from `timeNs` until the next sample of the same
   * series (so time averages weight each value by how long it held). Per series, `timeNs` is non-decreasing; a
   * second sample at the same time supersedes the first. Emit only on change.
   */
  series(seriesIdx: number, timeNs: number, value: number): void;

  /**
   * A trace point for the timeline view (e.g. kind = context switch, a = from process, b = to process).
   * `timeNs` is non-decreasing across all trace calls; the meaning of `a` and `b` is defined per `kind`.
   */
  trace(timeNs: number, kind: number, a: number, b: number): void;
}

/** A recorder that keeps nothing (benchmarks, fingerprint-only runs). Invariant: stateless. */
export class NullRecorder implements Recorder {
  message(_flowIdx: number, _sendNs: number, _deliverNs: number, _bytes: number, _copies: number, _outcome: number): void {}
  series(_seriesIdx: number, _timeNs: number, _value: number): void {}
  trace(_timeNs: number, _kind: number, _a: number, _b: number): void {}
}

/** The shared do-nothing recorder. */
export const nullRecorder: Recorder = new NullRecorder();

/** A recorded message, as returned by `MemoryRecorder.messageAt`. Invariant: `sendNs ≤ deliverNs`. */
export interface RecordedMessage {
  readonly flowIdx: number;
  readonly sendNs: number;
  readonly deliverNs: number;
  readonly bytes: number;
  readonly copies: number;
  readonly outcome: number;
}

/** A recorded trace point. */
export interface RecordedTrace {
  readonly timeNs: number;
  readonly kind: number;
  readonly a: number;
  readonly b: number;
}

/** A recorded series point. */
export interface RecordedPoint {
  readonly timeNs: number;
  readonly value: number;
}

/**
 * Keeps every observation in memory, in columns (plain number arrays, no object per call), and checks the
 * ordering contracts so model tests catch violations. Invariant: column arrays of one kind have equal length.
 * For tests and small runs; the store's recorder batches to disk instead.
 */
export class MemoryRecorder implements Recorder {
  readonly msgFlow: number[] = [];
  readonly msgSendNs: number[] = [];
  readonly msgDeliverNs: number[] = [];
  readonly msgBytes: number[] = [];
  readonly msgCopies: number[] = [];
  readonly msgOutcome: number[] = [];
  readonly traceTimeNs: number[] = [];
  readonly traceKind: number[] = [];
  readonly traceA: number[] = [];
  readonly traceB: number[] = [];
  private readonly seriesTimes: number[][] = [];
  private readonly seriesValues: number[][] = [];
  private readonly strict: boolean;

  /** With `strict` (default), contract violations throw instead of being recorded. */
  constructor(strict = true) {
    this.strict = strict;
  }

  message(flowIdx: number, sendNs: number, deliverNs: number, bytes: number, copies: number, outcome: number): void {
    if (this.strict) {
      if (!(sendNs <= deliverNs)) throw new RangeError(`message: sendNs ${sendNs} > deliverNs ${deliverNs}`);
      const n = this.msgDeliverNs.length;
      if (n > 0 && deliverNs < this.msgDeliverNs[n - 1]) throw new RangeError('message: deliverNs went backwards');
    }
    this.msgFlow.push(flowIdx);
    this.msgSendNs.push(sendNs);
    this.msgDeliverNs.push(deliverNs);
    this.msgBytes.push(bytes);
    this.msgCopies.push(copies);
    this.msgOutcome.push(outcome);
  }

  series(seriesIdx: number, timeNs: number, value: number): void {
    while (this.seriesTimes.length <= seriesIdx) {
      this.seriesTimes.push([]);
      this.seriesValues.push([]);
    }
    const times = this.seriesTimes[seriesIdx];
    const values = this.seriesValues[seriesIdx];
    const n = times.length;
    if (n > 0 && timeNs <= times[n - 1]) {
      if (timeNs === times[n - 1]) {
        values[n - 1] = value; // same instant: supersede
        return;
      }
      if (this.strict) throw new RangeError(`series ${seriesIdx}: timeNs went backwards`);
    }
    times.push(timeNs);
    values.push(value);
  }

  trace(timeNs: number, kind: number, a: number, b: number): void {
    const n = this.traceTimeNs.length;
    if (this.strict && n > 0 && timeNs < this.traceTimeNs[n - 1]) throw new RangeError('trace: timeNs went backwards');
    this.traceTimeNs.push(timeNs);
    this.traceKind.push(kind);
    this.traceA.push(a);
    this.traceB.push(b);
  }

  /** Number of recorded messages. */
  get messageCount(): number {
    return this.msgFlow.length;
  }

  /** Message `i` as an object (allocates; for assertions). */
  messageAt(i: number): RecordedMessage {
    return {
      flowIdx: this.msgFlow[i],
      sendNs: this.msgSendNs[i],
      deliverNs: this.msgDeliverNs[i],
      bytes: this.msgBytes[i],
      copies: this.msgCopies[i],
      outcome: this.msgOutcome[i],
    };
  }

  /** All messages as objects (allocates; for assertions). */
  messages(): RecordedMessage[] {
    const out: RecordedMessage[] = [];
    for (let i = 0; i < this.msgFlow.length; i++) out.push(this.messageAt(i));
    return out;
  }

  /** All trace points as objects (allocates; for assertions). */
  traces(): RecordedTrace[] {
    const out: RecordedTrace[] = [];
    for (let i = 0; i < this.traceTimeNs.length; i++) {
      out.push({ timeNs: this.traceTimeNs[i], kind: this.traceKind[i], a: this.traceA[i], b: this.traceB[i] });
    }
    return out;
  }

  /** Points of one series in time order (empty if never sampled). */
  seriesPoints(seriesIdx: number): RecordedPoint[] {
    const times = this.seriesTimes[seriesIdx] ?? [];
    const values = this.seriesValues[seriesIdx] ?? [];
    return times.map((timeNs, i) => ({ timeNs, value: values[i] }));
  }

  /**
   * Time average of a piecewise-constant series over [fromNs, toNs): each value weighted by how long it held;
   * before the first sample the series counts as 0. Returns NaN for an empty interval.
   */
  seriesTimeAverage(seriesIdx: number, fromNs: number, toNs: number): number {
    if (!(toNs > fromNs)) return NaN;
    const times = this.seriesTimes[seriesIdx] ?? [];
    const values = this.seriesValues[seriesIdx] ?? [];
    let area = 0;
    let current = 0;
    let currentFrom = fromNs;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (t >= toNs) break;
      if (t > currentFrom) {
        area += current * (t - currentFrom);
        currentFrom = t;
      }
      current = values[i];
    }
    area += current * (toNs - currentFrom);
    return area / (toNs - fromNs);
  }

  /** Forgets everything recorded so far. */
  clear(): void {
    for (const column of [
      this.msgFlow, this.msgSendNs, this.msgDeliverNs, this.msgBytes, this.msgCopies, this.msgOutcome,
      this.traceTimeNs, this.traceKind, this.traceA, this.traceB,
    ]) {
      column.length = 0;
    }
    this.seriesTimes.length = 0;
    this.seriesValues.length = 0;
  }
}
