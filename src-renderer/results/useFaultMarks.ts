/**
 * What every time-axis chart of a run marks: the run's faults (process crashes and restarts, kernel failures,
 * links going down and coming back up) as vertical marks, and its warm-up (the span whose samples are not
 * counted) as a shaded band. Views spread `useTimeAnnotations(record)` into their `TimeChart`s so every chart marks
 * them the same way.
 */
import { useMemo } from 'react';
import { effectiveParams, getKind } from '../../src-shared/catalog';
import type { Design } from '../../src-shared/model/design';
import type { RunRecord } from '../../src-shared/results/runStore';
import { formatDuration } from '../../src-shared/util/units';
import { useEditor, useRun } from '../editor/context';
import { runVersusCanvas } from '../run/runStore';
import type { TimeMark } from './charts/TimeChart';
import { cachedCall, useQuery } from './useQuery';

/** Trace kinds marked, with how they read and look (links: from engine 0.4.4 on; `linkFaultMarks` before). */
const KINDS: Record<string, { text: string; glyph: string; tone: 'danger' | 'ok' }> = {
  kernelFailed: { text: 'kernel failed', glyph: '✕', tone: 'danger' },
  crash: { text: 'crashed', glyph: '✕', tone: 'danger' },
  restart: { text: 'restarted', glyph: '○', tone: 'ok' },
  linkDown: { text: 'link down', glyph: '⇣', tone: 'danger' },
  linkUp: { text: 'link up', glyph: '⇡', tone: 'ok' },
};
/** Enough to mark a run's faults; a fault at a high rate would draw a wall of lines anyway. */
const LIMIT = 200;

/** The warm-up of a run (ns; 0 when none): samples before it are not counted. */
export function warmupOf(record: RunRecord): number {
  const w = record.settings?.warmupNs;
  return typeof w === 'number' && w > 0 ? w : 0;
}

/**
 * Link down / up moments of the `linkDown` faults of `design` that strike at a set time, for runs of engines before
 * 0.4.4, which did not trace them (faults at a Poisson rate cannot be placed from the design and are left out).
 */
export function linkFaultMarks(design: Design, simTimeNs: number): TimeMark[] {
  const names = new Map(design.nodes.map((n) => [n.id, n.name]));
  const out: TimeMark[] = [];
  for (const f of design.nodes) {
    if (f.kind !== 'linkDown') continue;
    const kind = getKind(f.kind);
    if (!kind) continue;
    const p = effectiveParams(kind, f.params);
    if (p.trigger !== 'atTime' || typeof p.atNs !== 'number' || p.atNs > simTimeNs) continue;
    const target = typeof p.targetId === 'string' ? (names.get(p.targetId) ?? p.targetId) : 'link';
    out.push({ timeNs: p.atNs, label: `${formatDuration(p.atNs)}: ${target} link down`, glyph: KINDS.linkDown!.glyph, tone: 'danger' });
    const forNs = typeof p.downForNs === 'number' ? p.downForNs : 0;
    if (forNs > 0 && p.atNs + forNs <= simTimeNs) out.push({ timeNs: p.atNs + forNs, label: `${formatDuration(p.atNs + forNs)}: ${target} link up`, glyph: KINDS.linkUp!.glyph, tone: 'ok' });
  }
  return out;
}

/** Whether an engine version (`major.minor.patch`) traces links going down and up (0.4.4 and later). */
export function tracesLinks(engineVersion: string): boolean {
  const [a = 0, b = 0, c = 0] = engineVersion.split('.').map((x) => Number.parseInt(x, 10) || 0);
  return a !== 0 ? a > 0 : b !== 4 ? b > 4 : c >= 4;
}

/** Whether the design on the canvas is, unedited, the design this run was made from. */
function useCanvasIsRunDesign(record: RunRecord): boolean {
  const origin = useRun((s) => s.origins[record.id]);
  return useEditor((s) => runVersusCanvas(record, origin, s) === 'same');
}

export function useFaultMarks(record: RunRecord): TimeMark[] {
  const s = record.summary;
  const cacheable = record.status === 'done';
  const simTime = s?.simTimeNs ?? 0;
  const faults = useQuery(s ? `faults:${record.id}:${simTime}` : null, async () => {
    const lists = await Promise.all(Object.keys(KINDS).map((kind) => cachedCall('trace', { runId: record.id, fromNs: 0, toNs: simTime, kind, limit: LIMIT }, cacheable)));
    return lists.flat().sort((a, b) => a.timeNs - b.timeNs);
  });
  const canvasIsRun = useCanvasIsRunDesign(record);
  const design = useEditor((st) => st.design);
  return useMemo(() => {
    if (!s) return [];
    const kname = new Map(s.kernels.map((k) => [k.id, k.name]));
    const pname = new Map(s.processes.map((p) => [p.id, p.name]));
    const mname = new Map(s.mechanisms.map((m) => [m.id, m.name]));
    const traced = faults.data ?? [];
    const marks: TimeMark[] = traced.map((e) => {
      const k = KINDS[e.kind];
      const link = e.kind === 'linkDown' || e.kind === 'linkUp';
      const who = link ? (mname.get(e.detail) ?? e.detail) : e.processId ? (pname.get(e.processId) ?? e.processId) : (kname.get(e.kernelId) ?? e.kernelId);
      return { timeNs: e.timeNs, label: `${formatDuration(e.timeNs)}: ${who} ${k?.text ?? e.kind}`, glyph: k?.glyph ?? '✕', tone: k?.tone ?? 'danger' };
    });
    // Engines before 0.4.4 did not trace links: placed from the run's design while it is the one on the canvas.
    if (!tracesLinks(s.engineVersion) && canvasIsRun) marks.push(...linkFaultMarks(design, simTime));
    return marks.sort((a, b) => a.timeNs - b.timeNs);
  }, [faults.data, s, canvasIsRun, design, simTime]);
}

/** What `TimeChart` takes to mark a run's faults and shade its warm-up. */
export interface TimeAnnotations {
  marks: TimeMark[];
  warmupNs: number;
}

export function useTimeAnnotations(record: RunRecord): TimeAnnotations {
  const marks = useFaultMarks(record);
  const warmupNs = warmupOf(record);
  return useMemo(() => ({ marks, warmupNs }), [marks, warmupNs]);
}
