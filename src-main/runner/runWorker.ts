// The run worker: runs the engine off the main thread, streams record batches and progress, honours cancel.
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRun } from '../engine/tock/run';
import { BatchRecorder, type RecordBatch } from './batchRecorder';
import type { WorkerInput, WorkerMessage, WorkerStart } from './protocol';

function post(msg: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

function buffersOf(b: RecordBatch): ArrayBuffer[] {
  return [...Object.values(b.messages), ...Object.values(b.points)].map((a) => (a as ArrayBufferView).buffer as ArrayBuffer);
}

function run(input: WorkerInput): void {
  const cancel = new Int32Array(input.cancel);
  try {
    const t0 = performance.now();
    let lastProgress = t0;
    const recorder = input.record === false ? null : new BatchRecorder((batch) => post({ type: 'batch', batch }, buffersOf(batch)));
    const prepared = prepareRun(input.design, input.designHash, {
      seed: input.seed,
      durationNs: input.durationNs,
      warmupNs: input.warmupNs,
      ...(recorder ? { recorder } : {}),
      checkEveryEvents: input.checkEveryEvents,
      shouldStop: () => Atomics.load(cancel, 0) === 1,
      progress: (simTimeNs, events) => {
        const now = performance.now();
        if (now - lastProgress >= input.progressIntervalMs) {
          lastProgress = now;
          post({ type: 'progress', simTimeNs, events, wallMs: now - t0 });
        }
      },
    });
    post({ type: 'tables', tables: prepared.tables });
    const out = prepared.execute();
    if (out.endReason !== 'cancelled') recorder?.flush();
    post({ type: 'done', summary: out.summary, fingerprint: out.fingerprint, endReason: out.endReason, wallMs: Math.round(performance.now() - t0) });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
  }
}

// Started with its run (workerData), or as a standby that waits for runs (WorkerStart), one at a time, with its
// modules loaded: the engine keeps no state between runs (prepareRun builds everything a run uses).
if (workerData) run(workerData as WorkerInput);
else parentPort!.on('message', (m: WorkerStart) => run(m.input));
