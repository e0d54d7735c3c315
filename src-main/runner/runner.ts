// The runner: queues runs, executes each in a worker thread (never on the main thread), writes what the worker
// streams into the store, reports progress at a sane rate, cancels promptly, and marks a run that throws as
// failed with its error while the app stays up.

import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunProgress } from '../../src-shared/api/contract';
import { deriveFlows, type Design } from '../../src-shared/model';

export type { RunProgress };
import type { RunSummary } from '../../src-shared/results/summary';
import { ENGINE_VERSION } from '../engine/tock/run';
import { designHash } from '../store/hash';
import type { RunStore } from '../store/store';
import type { RunWriter } from '../store/writer';
import { applyBatch, type RunTables } from './batchRecorder';
import type { WorkerInput, WorkerMessage, WorkerStart } from './protocol';

/** A run to start. Durations in ns; the design must be valid. */
export interface RunRequest {
  design: Design;
  seed: number;
  durationNs: number;
  warmupNs?: number;
  label?: string;
}

/** Where the worker's code is: the built `runWorker.js` next to the bundle, or the TypeScript source via tsx. */
export function workerSpec(): { url: URL; execArgv: string[] } {
  const js = new URL('./runWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js, execArgv: [] };
  return { url: new URL('./runWorkerBoot.mjs', import.meta.url), execArgv: [] };
}

interface Job {
  runId: number;
  req: RunRequest;
  hash: string;
  writer: RunWriter;
  cancel: Int32Array<SharedArrayBuffer>;
  worker?: Worker;
  tables?: RunTables;
  progress: RunProgress;
  cancelled: boolean;
  killTimer?: NodeJS.Timeout;
  lastFlushMs: number;
}

/** Options of the runner. */
export interface RunnerOptions {
  /** Runs executed at once (default 1: the machines have 2 cores and the main thread writes). */
  concurrency?: number;
  progressIntervalMs?: number;
  /** Events between cancel checks in the worker (default 4,096: a few ms). */
  checkEveryEvents?: number;
  /** Another worker script (tests). */
  worker?: { url: URL; execArgv: string[] };
  /**
   * Keep one worker started ahead of need, its modules loaded, for the next run (default false). Starting a worker
   * costs ~0.7 s when the engine is loaded from its TypeScript sources (serve from a checkout): a run, or each
   * point of a sweep, would wait for it. The standby never keeps the process alive; `shutdown` ends it.
   */
  warmWorker?: boolean;
}

/** What a run that ended `done` produced (the `finished` event): its recorded summary and its fingerprint. */
export interface RunFinished {
  runId: number;
  summary: RunSummary;
  fingerprint: string;
}

/**
 * Emits `progress` (RunProgress) events, and `finished` (RunFinished) before the `done` one. Invariants: at most `concurrency` workers at once; every started run
 * ends as done, failed or cancelled in the store; the runner never throws out of a worker's failure.
 */
export class Runner extends EventEmitter {
  private readonly queue: Job[] = [];
  private readonly active = new Map<number, Job>();
  private readonly concurrency: number;
  private readonly progressIntervalMs: number;
  private readonly checkEveryEvents: number;
  private readonly worker: { url: URL; execArgv: string[] } | undefined;
  private readonly warmWorker: boolean;
  /** The worker waiting for the next run (warmWorker), or null. */
  private standby: Worker | null = null;
  /** Forgets the standby if it ends while waiting (its listener, removed when the standby is taken). */
  private standbyGone: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly store: RunStore,
    opts: RunnerOptions = {},
  ) {
    super();
    this.concurrency = opts.concurrency ?? 1;
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.checkEveryEvents = opts.checkEveryEvents ?? 4_096;
    this.worker = opts.worker;
    this.warmWorker = opts.warmWorker === true;
    this.spawnStandby();
  }

  /** Starts the standby worker (warmWorker): it loads its modules and waits for a run. */
  private spawnStandby(): void {
    if (!this.warmWorker || this.closed || this.standby !== null) return;
    const spec = this.worker ?? workerSpec();
    this.makeStandby(new Worker(spec.url, { execArgv: spec.execArgv }));
  }

  /** Keeps a worker whose run ended as the standby (warmWorker, none waiting yet); false: the caller ends it. */
  private keep(w: Worker): boolean {
    if (!this.warmWorker || this.closed || this.standby !== null) return false;
    this.makeStandby(w);
    return true;
  }

  private makeStandby(w: Worker): void {
    w.unref();
    const gone = (): void => {
      if (this.standby === w) this.standby = null;
    };
    w.once('exit', gone);
    w.once('error', gone);
    this.standby = w;
    this.standbyGone = gone;
  }

  /** A worker for `input`: the standby when there is one (told its run), else a new one started with it. */
  private workerFor(input: WorkerInput): Worker {
    const w = this.standby;
    if (w !== null) {
      this.standby = null;
      if (this.standbyGone) {
        w.off('exit', this.standbyGone);
        w.off('error', this.standbyGone);
        this.standbyGone = null;
      }
      w.ref();
      w.postMessage({ type: 'start', input } satisfies WorkerStart);
      return w;
    }
    const spec = this.worker ?? workerSpec();
    return new Worker(spec.url, { workerData: input, execArgv: spec.execArgv });
  }

  /** Records the run as queued and schedules it; returns its id at once. */
  start(req: RunRequest): number {
    if (this.closed) throw new Error('the runner is shut down');
    const hash = designHash(req.design);
    const writer = this.store.beginRun({
      design: req.design,
      designHash: hash,
      seed: req.seed,
      engineVersion: ENGINE_VERSION,
      settings: { durationNs: req.durationNs, warmupNs: req.warmupNs ?? 0 },
      // Flows are named from the start, so even a run cut short (crash, kill) shows what its samples are.
      flows: deriveFlows(req.design),
      queued: true,
      ...(req.label ? { label: req.label } : {}),
    });
    const runId = writer.runId;
    const job: Job = {
      runId,
      req,
      hash,
      writer,
      cancel: new Int32Array(new SharedArrayBuffer(4)),
      progress: { runId, status: 'queued', simTimeNs: 0, durationNs: req.durationNs, fraction: 0, events: 0, eventsPerSec: 0, wallMs: 0 },
      cancelled: false,
      lastFlushMs: 0,
    };
    this.queue.push(job);
    this.emit('progress', { ...job.progress });
    this.pump();
    return runId;
  }

  /** Cancels a queued or running run; true when there was one. Takes effect within the worker's next check. */
  cancel(runId: number): boolean {
    const qi = this.queue.findIndex((j) => j.runId === runId);
    if (qi >= 0) {
      const [job] = this.queue.splice(qi, 1);
      job!.writer.cancel({});
      this.report(job!, 'cancelled');
      return true;
    }
    const job = this.active.get(runId);
    if (!job) return false;
    job.cancelled = true;
    Atomics.store(job.cancel, 0, 1);
    // A worker stuck outside the engine loop is terminated.
    job.killTimer = setTimeout(() => void job.worker?.terminate(), 2_000);
    return true;
  }

  /** Ids of runs queued or running. */
  get pending(): number[] {
    return [...this.active.keys(), ...this.queue.map((j) => j.runId)];
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.queue.length > 0) this.launch(this.queue.shift()!);
  }

  private launch(job: Job): void {
    this.active.set(job.runId, job);
    job.writer.start();
    job.progress.status = 'running';
    this.emit('progress', { ...job.progress });
    const input: WorkerInput = {
      design: job.req.design,
      designHash: job.hash,
      seed: job.req.seed,
      durationNs: job.req.durationNs,
      warmupNs: job.req.warmupNs ?? 0,
      cancel: job.cancel.buffer,
      checkEveryEvents: this.checkEveryEvents,
      progressIntervalMs: this.progressIntervalMs,
    };
    const worker = this.workerFor(input);
    job.worker = worker;
    let ended = false;
    /** `reusable`: the worker ended the run itself (its `done` message) and can take another. */
    const end = (status: 'done' | 'failed' | 'cancelled', error?: string, reusable = false): void => {
      if (ended) return;
      ended = true;
      if (job.killTimer) clearTimeout(job.killTimer);
      this.active.delete(job.runId);
      this.report(job, status, error);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // A worker that ended its run itself (done, or cancelled at a check) waits for the next run; one that failed or
      // was killed is ended, and a fresh standby is started.
      if (!reusable || !this.keep(worker)) void worker.terminate();
      this.spawnStandby();
      this.pump();
    };
    const onMessage = (msg: WorkerMessage): void => {
      try {
        switch (msg.type) {
          case 'tables':
            job.tables = msg.tables;
            break;
          case 'batch':
            // A cancelled run's remaining samples are not worth delaying the cancel for.
            if (!job.cancelled) applyBatch(job.writer, job.tables!, msg.batch);
            break;
          case 'progress':
            job.progress.simTimeNs = msg.simTimeNs;
            job.progress.events = msg.events;
            job.progress.wallMs = Math.round(msg.wallMs);
            job.progress.fraction = Math.min(1, msg.simTimeNs / job.req.durationNs);
            job.progress.eventsPerSec = msg.wallMs > 0 ? Math.round((msg.events / msg.wallMs) * 1000) : 0;
            // Commit what was recorded about once a second: a crash loses at most that much.
            if (msg.wallMs - job.lastFlushMs >= 1_000) {
              job.lastFlushMs = msg.wallMs;
              job.writer.flush();
            }
            this.emit('progress', { ...job.progress });
            break;
          case 'done': {
            job.progress.simTimeNs = msg.summary.simTimeNs;
            job.progress.events = msg.summary.events;
            job.progress.wallMs = msg.wallMs;
            if (msg.endReason === 'cancelled' || job.cancelled) {
              job.writer.cancel({ wallMs: msg.wallMs, events: msg.summary.events });
              end('cancelled', undefined, true);
            } else {
              const summary: RunSummary = { runId: String(job.runId), ...msg.summary, wallMs: msg.wallMs };
              job.writer.finish(summary, { wallMs: msg.wallMs, events: msg.summary.events });
              job.progress.fraction = 1;
              this.emit('finished', { runId: job.runId, summary, fingerprint: msg.fingerprint } satisfies RunFinished);
              end('done', undefined, true);
            }
            break;
          }
          case 'error':
            job.writer.fail(msg.message, { wallMs: job.progress.wallMs, events: job.progress.events });
            end('failed', msg.message);
            break;
        }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        try {
          job.writer.fail(message);
        } catch {
          // the writer may already be closed; the run's status is what the store holds
        }
        end('failed', message);
      }
    };
    const onError = (e: Error): void => {
      try {
        job.writer.fail(e.message);
      } catch {
        // already ended
      }
      end('failed', e.message);
    };
    const onExit = (code: number): void => {
      if (ended) return;
      if (job.cancelled) {
        job.writer.cancel({});
        end('cancelled');
      } else {
        job.writer.fail(`the run worker exited (code ${code})`);
        end('failed', `the run worker exited (code ${code})`);
      }
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  }

  private report(job: Job, status: RunProgress['status'], error?: string): void {
    job.progress.status = status;
    if (error) job.progress.error = error;
    this.emit('progress', { ...job.progress });
  }

  /** Cancels everything and waits for the workers to stop. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const standby = this.standby;
    this.standby = null;
    if (standby !== null) await standby.terminate();
    for (const job of this.queue.splice(0)) {
      job.writer.cancel({});
      this.report(job, 'cancelled');
    }
    const waits = [...this.active.values()].map(
      (job) =>
        new Promise<void>((resolve) => {
          const w = job.worker;
          if (!w) return resolve();
          w.once('exit', () => resolve());
          this.cancel(job.runId);
        }),
    );
    await Promise.all(waits);
  }
}
