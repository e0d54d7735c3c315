// `npm run bench`: prints figures, asserts nothing. Engine core (M/M/1), the Tock model on a realistic design
// (8 producers → two-copy channel → one service, 1,000,000 messages), memory as the run grows, and the store.
import { benchMm1 } from '../src-main/cli/bench';
import { prepareRun, runDesign } from '../src-main/engine/tock/run';
import { applyBatch, BatchRecorder } from '../src-main/runner/batchRecorder';
import { formatStoreBench, runStoreBench } from '../src-main/store/bench';
import { RunStore } from '../src-main/store/store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eightProducers } from './benchDesigns';

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function benchTock(messages: number): number {
  const design = eightProducers(messages / 8);
  const heap: number[] = [];
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const out = runDesign(design, 'bench', {
    seed: 1,
    durationNs: 1e12,
    progress: () => heap.push(process.memoryUsage().heapUsed),
    checkEveryEvents: 500_000,
  });
  const wallSec = (performance.now() - t0) / 1000;
  const f = out.summary.flows.reduce((a, x) => ({ sent: a.sent + x.sent, delivered: a.delivered + x.delivered }), { sent: 0, delivered: 0 });
  console.log(`Tock model, ${design.name}:`);
  console.log(`  ${fmt(f.sent)} messages sent, ${fmt(f.delivered)} delivered, ${fmt(out.summary.events)} events in ${wallSec.toFixed(2)} s`);
  console.log(`  ${fmt(f.sent / wallSec)} messages/s, ${fmt(out.summary.events / wallSec)} events/s (target ≥ 1,000,000 messages/s)`);
  const mb = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
  if (heap.length >= 4) {
    const q = heap.length >> 2;
    console.log(`  heap above start: ${mb(heap[q]! - heap0)} at 25%, ${mb(heap[2 * q]! - heap0)} at 50%, ${mb(heap[3 * q]! - heap0)} at 75%, ${mb(heap[heap.length - 1]! - heap0)} at the end (exact percentiles keep 8 B per delivered message)`);
  }
  return wallSec;
}

const customers = Number(process.env.BENCH_CUSTOMERS ?? 3_000_000);
benchMm1(200_000); // warm-up
const mm1 = benchMm1(customers);
console.log(`M/M/1 (λ = 0.9, μ = 1): ${fmt(mm1.customers)} customers in ${mm1.wallSec} s = ${fmt(mm1.customersPerSec)} customers/s (target ≥ 3,000,000); mean time in system ${mm1.meanTimeInSystem} (theory 10)`);

/** Wall time of the same 1,000,000-message run recorded into a fresh store, against the run without recording. */
function benchRecording(messages: number, plainSec: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'tock-bench-'));
  const store = RunStore.open(join(dir, 'runs.sqlite'));
  const design = eightProducers(messages / 8);
  const t0 = performance.now();
  const writer = store.beginRun({ design, seed: 1, engineVersion: 'bench' });
  let tables: Parameters<typeof applyBatch>[1] | null = null;
  const recorder = new BatchRecorder((b) => applyBatch(writer, tables!, b));
  const prepared = prepareRun(design, 'bench', { seed: 1, durationNs: 1e12, recorder });
  tables = prepared.tables;
  const out = prepared.execute();
  recorder.flush();
  writer.finish({ runId: String(writer.runId), ...out.summary, wallMs: 0 }, { wallMs: 0, events: out.summary.events });
  const sec = (performance.now() - t0) / 1000;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`Recording into SQLite: ${sec.toFixed(2)} s with recording vs ${plainSec.toFixed(2)} s without (+${(((sec - plainSec) / plainSec) * 100).toFixed(0)}%; target ≤ +50%)`);
}

const plain = benchTock(Number(process.env.BENCH_MESSAGES ?? 1_000_000));
benchRecording(Number(process.env.BENCH_MESSAGES ?? 1_000_000), plain);
console.log(formatStoreBench(runStoreBench()));
