// M/M/1 and M/D/1 queues on the production Simulator: the analytic yardstick for the engine (correctness
// against queueing theory, and the throughput benchmark of the same event loop the Tock model uses).
//
// Time scale: one queueing time unit = 1,000,000 ns. Rounding each sampled duration to an integer ns then
// perturbs a mean of ~1e6 ns by at most 0.5 ns (5e-7 relative), far below the statistical error, while a run of
// 10 M customers at λ = 0.9 still ends near 1.1e13 ns, three orders of magnitude below 2^53.

import { makeDurationSampler, type Sampler } from './distributions';
import { streamFor } from './rng';
import { Simulator, type EventHandler } from './simulator';

/** Nanoseconds per queueing time unit (see the note at the top of this file). */
export const MM1_NS_PER_TIME_UNIT = 1_000_000;

const ARRIVAL = 0;
const DEPARTURE = 1;

/** Inputs of `runMm1`. Invariant: `customers` a non-negative safe integer, `lambda` and `mu` finite and > 0. */
export interface Mm1Options {
  /** Customers that arrive (the run ends when the last one has left). */
  readonly customers: number;
  /** Run seed (non-negative safe integer). Arrivals and service use the streams "mm1/arrivals", "mm1/service". */
  readonly seed: number;
  /** Arrival rate per time unit (default 0.9). */
  readonly lambda?: number;
  /** Service rate per time unit (default 1). */
  readonly mu?: number;
  /** M/D/1: constant service time 1/μ instead of exponential (default false). */
  readonly deterministicService?: boolean;
  /** Maintain the event fingerprint (default true). */
  readonly fingerprint?: boolean;
}

/**
 * Results of `runMm1`, in time units unless named otherwise. Invariants: `customers` equals the requested count;
 * `events` = 2 × customers; by construction meanInSystem = (customers / simTime) × meanTimeInSystem (Little's
 * law on the sample path, up to float rounding), because the system is empty at time 0 and at `simTime`.
 */
export interface Mm1Result {
  /** Customers served. */
  readonly customers: number;
  /** Mean sojourn (wait + service) time W. */
  readonly meanTimeInSystem: number;
  /** Mean waiting time before service Wq. */
  readonly meanWait: number;
  /** Time-average number in system L over [0, simTime]. */
  readonly meanInSystem: number;
  /** Departure time of the last customer. */
  readonly simTime: number;
  /** The same in integer ns. */
  readonly simTimeNs: number;
  /** Events executed. */
  readonly events: number;
  /** Event fingerprint (16 hex digits), or null when disabled. */
  readonly fingerprint: string | null;
}

/** The queue as an event handler: one server, FIFO, arrival times kept in a growable ring buffer. */
class Mm1Model implements EventHandler {
  private readonly sim: Simulator;
  private readonly interarrival: Sampler;
  private readonly service: Sampler;
  private readonly customers: number;
  private ring = new Float64Array(1024); // arrival times of customers in the system, head = in service
  private head = 0;
  private inSystem = 0;
  private arrivals = 0;
  departures = 0;
  sumSojournNs = 0;
  sumWaitNs = 0;
  areaNs = 0; // ∫ number-in-system dt, in customer·ns
  private lastChangeNs = 0;

  constructor(sim: Simulator, customers: number, interarrival: Sampler, service: Sampler) {
    this.sim = sim;
    this.customers = customers;
    this.interarrival = interarrival;
    this.service = service;
  }

  start(): void {
    if (this.customers > 0) this.sim.schedule(this.interarrival.sampleNs(), 0, ARRIVAL, 0, 0);
  }

  handle(kind: number, _target: number, _arg: number, timeNs: number): void {
    if (kind === ARRIVAL) this.arrive(timeNs);
    else this.depart(timeNs);
  }

  private arrive(timeNs: number): void {
    this.areaNs += this.inSystem * (timeNs - this.lastChangeNs);
    this.lastChangeNs = timeNs;
    if (this.inSystem === this.ring.length) this.growRing();
    const mask = this.ring.length - 1;
    this.ring[(this.head + this.inSystem) & mask] = timeNs;
    this.inSystem++;
    if (this.inSystem === 1) {
      // Idle server: service starts at once (wait 0).
      this.sim.schedule(this.service.sampleNs(), 0, DEPARTURE, 0, 0);
    }
    this.arrivals++;
    if (this.arrivals < this.customers) this.sim.schedule(this.interarrival.sampleNs(), 0, ARRIVAL, 0, 0);
  }

  private depart(timeNs: number): void {
    this.areaNs += this.inSystem * (timeNs - this.lastChangeNs);
    this.lastChangeNs = timeNs;
    const ring = this.ring;
    const mask = ring.length - 1;
    this.sumSojournNs += timeNs - ring[this.head];
    this.head = (this.head + 1) & mask;
    this.inSystem--;
    this.departures++;
    if (this.inSystem > 0) {
      this.sumWaitNs += timeNs - ring[this.head];
      this.sim.schedule(this.service.sampleNs(), 0, DEPARTURE, 0, 0);
    }
  }

  private growRing(): void {
    const old = this.ring;
    const mask = old.length - 1;
    const ring = new Float64Array(old.length * 2);
    for (let i = 0; i < this.inSystem; i++) ring[i] = old[(this.head + i) & mask];
    this.ring = ring;
    this.head = 0;
  }
}

/** Simulates an M/M/1 (or M/D/1) queue from empty until `customers` customers have arrived and left. */
export function runMm1(options: Mm1Options): Mm1Result {
  const lambda = options.lambda ?? 0.9;
  const mu = options.mu ?? 1;
  const customers = options.customers;
  if (!(Number.isSafeInteger(customers) && customers >= 0)) {
    throw new RangeError(`runMm1: customers must be a non-negative safe integer, got ${customers}`);
  }
  if (!(lambda > 0 && Number.isFinite(lambda)) || !(mu > 0 && Number.isFinite(mu))) {
    throw new RangeError(`runMm1: lambda and mu must be finite and > 0, got ${lambda}, ${mu}`);
  }
  const meanServiceNs = MM1_NS_PER_TIME_UNIT / mu;
  const interarrival = makeDurationSampler(
    { kind: 'exponential', mean: MM1_NS_PER_TIME_UNIT / lambda },
    streamFor(options.seed, 'mm1/arrivals'),
  );
  const service = makeDurationSampler(
    options.deterministicService === true
      ? { kind: 'constant', value: meanServiceNs }
      : { kind: 'exponential', mean: meanServiceNs },
    streamFor(options.seed, 'mm1/service'),
  );
  const sim = new Simulator({ fingerprint: options.fingerprint ?? true });
  const model = new Mm1Model(sim, customers, interarrival, service);
  model.start();
  const result = sim.run(model);

  const n = model.departures;
  const simTimeNs = result.simTimeNs;
  return {
    customers: n,
    meanTimeInSystem: model.sumSojournNs / n / MM1_NS_PER_TIME_UNIT,
    meanWait: model.sumWaitNs / n / MM1_NS_PER_TIME_UNIT,
    meanInSystem: simTimeNs > 0 ? model.areaNs / simTimeNs : NaN,
    simTime: simTimeNs / MM1_NS_PER_TIME_UNIT,
    simTimeNs,
    events: result.events,
    fingerprint: result.fingerprint,
  };
}

/** Analytic mean time in system: M/M/1 1/(μ−λ); M/D/1 1/μ + λ/(2μ(μ−λ)) (Pollaczek–Khinchine). Needs λ < μ. */
export function mm1AnalyticMeanTimeInSystem(lambda: number, mu: number, deterministicService = false): number {
  return deterministicService ? 1 / mu + lambda / (2 * mu * (mu - lambda)) : 1 / (mu - lambda);
}
