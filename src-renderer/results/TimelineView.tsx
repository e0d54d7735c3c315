/**
 * The event timeline: an overview of the whole run (CPU load per kernel) with a brushed window, and the trace
 * of that window per kernel, one lane per process. Wheel / drag on the timeline or the buttons move the window;
 * each window is one `trace` query (fromNs, toNs).
 */
import { useMemo, useState } from 'react';
import type { RunRecord } from '../../src-shared/results/runStore';
import { formatDuration } from '../../src-shared/util/units';
import { formatCount, seriesColour } from './charts/common';
import { TimeChart } from './charts/TimeChart';
import { TimelineChart, type TimelineKernel } from './charts/TimelineChart';
import { Card, EmptyState, ErrorState, Loading, cardWidth } from './parts';
import { cachedCall, useQuery } from './useQuery';
import { useTimeAnnotations } from './useFaultMarks';
import { useWidth } from './useWidth';
import { pointsFor } from './LatencyView';

/** Events asked for per window (the query's cap is 100,000). */
export const TRACE_LIMIT = 20_000;

/**
 * A first window that holds about `target` events, assuming they are spread evenly. With a warm-up it opens at
 * the start of the measured part (what the summary counts), not inside the warm-up.
 */
export function defaultWindow(simTimeNs: number, traceEvents: number, target = 800, warmupNs = 0): [number, number] {
  const share = traceEvents > target ? target / traceEvents : 1;
  const from = warmupNs > 0 && warmupNs < simTimeNs ? warmupNs : 0;
  const span = Math.max(1_000, Math.round(Math.min(simTimeNs * share, simTimeNs - from)));
  const to = Math.min(Math.max(simTimeNs, 1_000), from + span);
  return [Math.max(0, to - span), to];
}

export function TimelineView({ record }: { record: RunRecord }) {
  const s = record.summary!;
  const simTime = s.simTimeNs;
  const cacheable = record.status === 'done';
  const [ref, width, measured] = useWidth<HTMLDivElement>(900);
  const cw = cardWidth(width, 1);
  const notes = useTimeAnnotations(record);
  const [win, setWin] = useState<[number, number]>(() => defaultWindow(simTime, record.traceEvents, 800, notes.warmupNs));
  const kernels: TimelineKernel[] = useMemo(() => s.kernels.map((k) => ({ id: k.id, name: k.name, processes: s.processes.filter((p) => p.kernel === k.id).map((p) => ({ id: p.id, name: p.name })) })), [s]);
  const cpuKeys = useMemo(() => s.kernels.map((k) => `cpu:${k.id}`), [s.kernels]);
  const buckets = pointsFor(cw - 60, 2, 10, 1500);
  const overview = useQuery(measured ? `tl-overview:${record.id}:${buckets}` : null, async () => {
    const list = await cachedCall('listSeries', { runId: record.id }, cacheable);
    const keys = cpuKeys.filter((k) => list.some((x) => x.key === k));
    return Promise.all(keys.map((key) => cachedCall('getSeries', { runId: record.id, key, buckets }, cacheable)));
  });
  const trace = useQuery(`trace:${record.id}:${Math.round(win[0])}:${Math.round(win[1])}`, () => cachedCall('trace', { runId: record.id, fromNs: Math.max(0, Math.floor(win[0])), toNs: Math.ceil(win[1]), limit: TRACE_LIMIT }, cacheable), true);

  const clampWin = (a: number, b: number): [number, number] => {
    const span = Math.max(1_000, Math.min(simTime, b - a));
    const from = Math.min(Math.max(0, a), simTime - span);
    return [from, from + span];
  };
  const zoom = (f: number): void => {
    const c = (win[0] + win[1]) / 2;
    const half = ((win[1] - win[0]) * f) / 2;
    setWin(clampWin(c - half, c + half));
  };
  const pan = (f: number): void => {
    const d = (win[1] - win[0]) * f;
    setWin(clampWin(win[0] + d, win[1] + d));
  };

  if (kernels.length === 0) return <EmptyState title="No kernels">The timeline shows kernels and their processes.</EmptyState>;
  if (record.traceEvents === 0) return <EmptyState title="No trace was recorded for this run" />;
  const events = trace.data ?? [];
  const capped = events.length >= TRACE_LIMIT;
  return (
    <div className="rv timeline" ref={ref} data-testid="timeline-view">
      <Card
        title="Event timeline"
        subtitle={
          <>
            Window {formatDuration(win[0])} – {formatDuration(win[1])} ({formatDuration(win[1] - win[0])}) · {trace.data ? `${formatCount(events.length)} events` : 'loading…'}
            {capped && <span className="num-warn"> · first {formatCount(TRACE_LIMIT)} events of the window: zoom in to see all</span>}
            {record.traceDropped > 0 && <span className="muted"> · {formatCount(record.traceDropped)} later events were not stored (trace cap)</span>}
          </>
        }
        actions={
          <div className="btn-group">
            <button className="btn small" onClick={() => pan(-0.5)} disabled={win[0] <= 0} title="Earlier">
              ←
            </button>
            <button className="btn small" onClick={() => zoom(0.5)} title="Zoom in">
              +
            </button>
            <button className="btn small" onClick={() => zoom(2)} disabled={win[1] - win[0] >= simTime} title="Zoom out">
              −
            </button>
            <button className="btn small" onClick={() => pan(0.5)} disabled={win[1] >= simTime} title="Later">
              →
            </button>
          </div>
        }
        testId="card-timeline"
      >
        <div className="tl-overview">
          <span className="tl-overview-label muted small">
            Whole run, 0 – {formatDuration(simTime)} (CPU load per kernel, %) · brush to choose the window
            {notes.warmupNs > 0 && notes.warmupNs < simTime && <span className="warmup-note"> · shaded: warm-up 0 – {formatDuration(notes.warmupNs)}, not counted (the window opens after it)</span>}
          </span>
          {overview.error ? (
            <ErrorState message={overview.error} onRetry={overview.reload} />
          ) : !overview.data ? (
            <Loading height={84} />
          ) : (
            <TimeChart
              series={overview.data.map((d, i) => ({ id: d.key, label: kernels[i]?.name ?? d.key, colour: seriesColour(i), t: d.t, bucketNs: d.bucketNs, min: d.min, max: d.max, mean: d.mean }))}
              xDomain={[0, simTime]}
              valueKind="fraction"
              yLabel="CPU"
              yDomain={[0, 1]}
              {...notes}
              width={cw}
              height={84}
              compact
              brushMode="select"
              selection={win}
              onBrush={(r) => setWin(clampWin(r[0], r[1]))}
            />
          )}
        </div>
        {trace.error ? (
          <ErrorState message={trace.error} onRetry={trace.reload} />
        ) : trace.loading && !trace.data ? (
          <Loading height={160} label="Loading the trace…" />
        ) : (
          <TimelineChart events={events} kernels={kernels} window={win} width={cw} bounds={[0, simTime]} onWindowChange={setWin} />
        )}
        <ul className="chart-legend tl-legend">
          <li>
            <span className="swatch" style={{ background: 'var(--series-1)' }} />
            <span className="legend-label">has the CPU</span>
          </li>
          <li>
            <span className="tl-key switch" />
            <span className="legend-label">context switch</span>
          </li>
          <li>
            <span className="tl-key upcall">▲</span>
            <span className="legend-label">upcall dropped</span>
          </li>
          <li>
            <span className="tl-key crash">✕</span>
            <span className="legend-label">crash / kernel failure</span>
          </li>
          <li>
            <span className="tl-key restart">○</span>
            <span className="legend-label">restart</span>
          </li>
          <li className="muted small">Scroll on the lanes to zoom, drag to pan</li>
        </ul>
      </Card>
    </div>
  );
}
