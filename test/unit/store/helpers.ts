// Shared helpers of the store tests: temporary files, small designs, summaries and message batches.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Design } from '../../../src-shared/model/design';
import type { FlowSummary, RunSummary } from '../../../src-shared/results/summary';
import type { MessageBatch } from '../../../src-main/store';
import { DesignBuilder } from '../../fixtures/builder';

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'tock-store-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let n = 0;
/** A new database path inside `dir`. */
export function dbPath(dir: string, name = 'runs'): string {
  return join(dir, `${name}-${++n}.sqlite`);
}

/** sha256 of a file's bytes. */
export function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A small valid-looking design: kernel k, producer p, channel m, consumer c. */
export function smallDesign(name = 'small', params: Record<string, number> = {}): Design {
  return new DesignBuilder(name)
    .kernel('k')
    .node('p', 'process', 'k', { periodNs: 1000, ...params })
    .node('m', 'twoCopyChannel', 'k')
    .node('c', 'process', 'k')
    .edge('p', 'm')
    .edge('m', 'c')
    .build();
}

/** A flow summary with defaults. */
export function flow(id: string, over: Partial<FlowSummary> = {}): FlowSummary {
  return {
    id,
    name: id,
    source: 'p',
    target: 'c',
    mechanism: 'twoCopyChannel',
    sent: 0,
    delivered: 0,
    dropped: 0,
    overwritten: 0,
    timedOut: 0,
    failed: 0,
    truncated: 0,
    stale: 0,
    latencyNs: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
    copiesPerMessage: 0,
    bytesCopied: 0,
    ...over,
  };
}

/** A run summary with defaults. */
export function summary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'x',
    design: 'small',
    designHash: '',
    seed: 1,
    engineVersion: 'test-1',
    simTimeNs: 1000,
    events: 0,
    wallMs: 0,
    flows: [],
    mechanisms: [],
    processes: [],
    kernels: [],
    ...over,
  };
}

/** A message batch from rows `[flow, sendNs, deliverNs, bytes, copies, outcome]`. */
export function batch(rows: [number, number, number, number, number, number][]): MessageBatch {
  return {
    flow: Uint32Array.from(rows.map((r) => r[0])),
    sendNs: Float64Array.from(rows.map((r) => r[1])),
    deliverNs: Float64Array.from(rows.map((r) => r[2])),
    bytes: Uint32Array.from(rows.map((r) => r[3])),
    copies: Uint8Array.from(rows.map((r) => r[4])),
    outcome: Uint8Array.from(rows.map((r) => r[5])),
  };
}

/** A batch of `count` delivered samples on one flow with latency `latency(i)`, sent at `t0 + i·step`. */
export function uniformBatch(flowIdx: number, count: number, latency: (i: number) => number, t0 = 0, step = 1000): MessageBatch {
  const b: MessageBatch = { flow: new Uint32Array(count).fill(flowIdx), sendNs: new Float64Array(count), deliverNs: new Float64Array(count), bytes: new Uint32Array(count).fill(16), copies: new Uint8Array(count).fill(2), outcome: new Uint8Array(count) };
  for (let i = 0; i < count; i++) {
    b.sendNs[i] = t0 + i * step;
    b.deliverNs[i] = t0 + i * step + latency(i);
  }
  return b;
}
