/** Crashes, restarts and kernel failures of a run, as marks for its time charts (they may fall outside a window). */
import { useMemo } from 'react';
import type { RunRecord } from '../../src-shared/results/runStore';
import { formatDuration } from '../../src-shared/util/units';
import type { TimeMark } from './charts/TimeChart';
import { cachedCall, useQuery } from './useQuery';

const KINDS = { kernelFailed: 'kernel failed', crash: 'crashed', restart: 'restarted' } as const;
/** Enough to mark a run's faults; a fault at a high rate would draw a wall of lines anyway. */
const LIMIT = 200;

export function useFaultMarks(record: RunRecord): TimeMark[] {
  const s = record.summary;
  const cacheable = record.status === 'done';
  const simTime = s?.simTimeNs ?? 0;
  const faults = useQuery(s ? `faults:${record.id}:${simTime}` : null, async () => {
    const lists = await Promise.all(Object.keys(KINDS).map((kind) => cachedCall('trace', { runId: record.id, fromNs: 0, toNs: simTime, kind, limit: LIMIT }, cacheable)));
    return lists.flat().sort((a, b) => a.timeNs - b.timeNs);
  });
  return useMemo(() => {
    if (!s) return [];
    const kname = new Map(s.kernels.map((k) => [k.id, k.name]));
    const pname = new Map(s.processes.map((p) => [p.id, p.name]));
    return (faults.data ?? []).map((e) => ({
      timeNs: e.timeNs,
      label: `${formatDuration(e.timeNs)}: ${e.processId ? (pname.get(e.processId) ?? e.processId) : (kname.get(e.kernelId) ?? e.kernelId)} ${KINDS[e.kind as keyof typeof KINDS] ?? e.kind}`,
    }));
  }, [faults.data, s]);
}
