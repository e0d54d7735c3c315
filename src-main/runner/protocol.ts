// Messages between the runner (main thread) and a run worker. Plain serialisable data; typed arrays travel as
// transferables.

import type { Design } from '../../src-shared/model';
import type { RunSummary } from '../../src-shared/results/summary';
import type { RecordBatch, RunTables } from './batchRecorder';

/** What a worker is started with. `cancel` is a shared Int32Array[1]: 1 = stop at the next check. */
export interface WorkerInput {
  design: Design;
  designHash: string;
  seed: number;
  durationNs: number;
  warmupNs: number;
  cancel: SharedArrayBuffer;
  checkEveryEvents: number;
  progressIntervalMs: number;
  /** False: run without a recorder and post no batches (the benchmark's baseline). Default true. */
  record?: boolean;
}

/**
 * Runner → a standby worker (started without workerData, its modules loaded ahead of need): the run to do. A
 * worker does one run and is terminated after it.
 */
export interface WorkerStart {
  type: 'start';
  input: WorkerInput;
}

/** Worker → runner. */
export type WorkerMessage =
  | { type: 'tables'; tables: RunTables }
  | { type: 'batch'; batch: RecordBatch }
  | { type: 'progress'; simTimeNs: number; events: number; wallMs: number }
  | { type: 'done'; summary: Omit<RunSummary, 'runId' | 'wallMs'>; fingerprint: string; endReason: string; wallMs: number }
  | { type: 'error'; message: string; stack?: string };
