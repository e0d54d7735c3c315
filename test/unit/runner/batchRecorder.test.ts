import { describe, expect, it } from 'vitest';
import { applyBatch, BatchRecorder, type BatchTarget, type RecordBatch } from '../../../src-main/runner/batchRecorder';

/** A target that logs what it is given. */
function logTarget(): BatchTarget & { series: [string, number[], number[]][]; messages: number; trace: unknown[][] } {
  const t = {
    series: [] as [string, number[], number[]][],
    messages: 0,
    trace: [] as unknown[][],
    addMessages(b: { flow: ArrayLike<number> }): void {
      t.messages += b.flow.length;
    },
    addSeries(key: string, times: ArrayLike<number>, values: ArrayLike<number>): void {
      t.series.push([key, Array.from(times), Array.from(values)]);
    },
    addTrace(timeNs: number, kernelId: string, processId: string | null, kind: string, detail?: string): void {
      t.trace.push(detail === undefined ? [timeNs, kernelId, processId, kind] : [timeNs, kernelId, processId, kind, detail]);
    },
  };
  return t;
}

const tables = { seriesKeys: ['mpu:a', 'depth:ch', 'cpu:k'], kernelIds: ['k'], processIds: ['a', 'b'], mechanismIds: ['ch'], traceKinds: { 1: 'run', 2: 'idle' } };

describe('BatchRecorder + applyBatch', () => {
  it('groups interleaved series points per series, in their order, and names trace points', () => {
    const batches: RecordBatch[] = [];
    const r = new BatchRecorder((b) => batches.push(b), 8);
    r.series(1, 10, 1);
    r.series(0, 11, 4);
    r.series(1, 12, 0);
    r.series(2, 13, 0.5);
    r.series(1, 14, 2);
    r.trace(10, 1, 0, 1);
    r.trace(12, 2, 0, -1);
    r.message(0, 1, 5, 64, 2, 0);
    r.flush();
    expect(batches).toHaveLength(1);
    const t = logTarget();
    applyBatch(t, tables, batches[0]!);
    expect(t.series).toEqual([
      ['mpu:a', [11], [4]],
      ['depth:ch', [10, 12, 14], [1, 0, 2]],
      ['cpu:k', [13], [0.5]],
    ]);
    expect(t.trace).toEqual([
      [10, 'k', 'b', 'run'],
      [12, 'k', null, 'idle'],
    ]);
    expect(t.messages).toBe(1);
  });

  it('names a link’s trace points by its mechanism (in the detail), not by a process', () => {
    const batches: RecordBatch[] = [];
    const r = new BatchRecorder((b) => batches.push(b), 8);
    r.trace(5, 8, 0, 0); // linkDown: kernel 0, mechanism 0
    r.trace(9, 9, -1, 0); // linkUp of a channel between kernels
    r.flush();
    const t = logTarget();
    applyBatch(t, { ...tables, traceKinds: { 8: 'linkDown', 9: 'linkUp' } }, batches[0]!);
    expect(t.trace).toEqual([
      [5, 'k', null, 'linkDown', 'ch'],
      [9, '', null, 'linkUp', 'ch'],
    ]);
  });

  it('hands over a batch whenever one kind fills up, and nothing when empty', () => {
    const batches: RecordBatch[] = [];
    const r = new BatchRecorder((b) => batches.push(b), 4);
    for (let i = 0; i < 9; i++) r.series(0, i, i);
    expect(batches.map((b) => b.points.seriesIdx.length)).toEqual([4, 4]);
    r.flush();
    r.flush();
    expect(batches.map((b) => b.points.seriesIdx.length)).toEqual([4, 4, 1]);
    const t = logTarget();
    for (const b of batches) applyBatch(t, tables, b);
    expect(t.series.flatMap(([, times]) => times)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
