/**
 * Latency of a run's flows: overlaid CDFs, a histogram and latency over time for one flow, and the percentile
 * table. Every chart asks its query for about as many bins / points as it has pixels.
 */
import { useMemo, useState } from 'react';
import type { RunRecord } from '../../src-shared/results/runStore';
import type { FlowSummary } from '../../src-shared/results/summary';
import { formatDuration } from '../../src-shared/util/units';
import { CdfChart, type CdfSeries } from './charts/CdfChart';
import { seriesColour } from './charts/common';
import { HistogramChart } from './charts/HistogramChart';
import { PercentileTable } from './charts/PercentileTable';
import { TimeChart } from './charts/TimeChart';
import { Legend } from './charts/Tooltip';
import { Card, EmptyState, ErrorState, Loading, Picker, Segmented, cardWidth, columnsFor, TableScroll } from './parts';
import { cachedCall, useQuery } from './useQuery';
import { useTimeAnnotations } from './useFaultMarks';
import { useWidth } from './useWidth';

const MAX_DEFAULT_FLOWS = 8;

/** How many points / bins / buckets to ask for a plot `px` wide. */
export function pointsFor(px: number, perPoint = 1, min = 20, max = 4000): number {
  return Math.max(min, Math.min(max, Math.round(px / perPoint)));
}

function worstFlow(flows: readonly FlowSummary[]): FlowSummary | undefined {
  return flows.reduce<FlowSummary | undefined>((w, f) => (!w || f.latencyNs.p99 > w.latencyNs.p99 ? f : w), undefined);
}

export function LatencyView({ record }: { record: RunRecord }) {
  const s = record.summary!;
  const runId = record.id;
  const cacheable = record.status === 'done';
  const delivering = useMemo(() => s.flows.filter((f) => f.delivered > 0), [s.flows]);
  const colours = useMemo(() => new Map(s.flows.map((f, i) => [f.id, seriesColour(i)])), [s.flows]);
  const [hidden, setHidden] = useState<Set<string>>(() => new Set(delivering.slice(MAX_DEFAULT_FLOWS).map((f) => f.id)));
  const [focusId, setFocusId] = useState<string>(() => worstFlow(delivering)?.id ?? '');
  const [logX, setLogX] = useState<'lin' | 'log'>('lin');
  const [yView, setYView] = useState<'all' | 'tail'>('all');
  const [histRange, setHistRange] = useState<[number, number] | null>(null);
  const notes = useTimeAnnotations(record);
  const warmupNs = notes.warmupNs < s.simTimeNs ? notes.warmupNs : 0;
  // Nothing is sampled in the warm-up: latency over time opens on the measured part (the whole run shades it).
  const measuredRange = useMemo<[number, number] | null>(() => (warmupNs > 0 ? [warmupNs, s.simTimeNs] : null), [warmupNs, s.simTimeNs]);
  const [timeRange, setTimeRange] = useState<[number, number] | null>(measuredRange);
  const [ref, width, measured] = useWidth<HTMLDivElement>(900);
  const cols = columnsFor(width);
  const cw = cardWidth(width, cols);
  const focus = delivering.find((f) => f.id === focusId) ?? delivering[0];

  const points = pointsFor(cw - 70);
  const cdfKey = measured && delivering.length ? `cdf:${runId}:${points}:${delivering.map((f) => f.id).join('|')}` : null;
  const cdf = useQuery(cdfKey, () => Promise.all(delivering.map((f) => cachedCall('latencyCdf', { runId, flow: f.id, points }, cacheable))));
  const bins = pointsFor(cw - 80, 5, 10, 400);
  const histKey = measured && focus ? `hist:${runId}:${focus.id}:${bins}:${histRange?.join('-') ?? ''}` : null;
  const hist = useQuery(histKey, () => cachedCall('latencyHistogram', { runId, flow: focus!.id, bins, ...(histRange ? { fromNs: histRange[0], toNs: histRange[1] } : {}) }, cacheable));
  const buckets = pointsFor(cw - 80, 3, 10, 2000);
  const otKey = measured && focus ? `ot:${runId}:${focus.id}:${buckets}:${timeRange?.join('-') ?? ''}` : null;
  const overTime = useQuery(otKey, () => cachedCall('latencyOverTime', { runId, flow: focus!.id, buckets, ...(timeRange ? { fromNs: timeRange[0], toNs: timeRange[1] } : {}) }, cacheable));

  const series: CdfSeries[] = useMemo(
    () =>
      (cdf.data ?? []).map((c, i) => ({
        id: delivering[i]!.id,
        label: delivering[i]!.name,
        colour: colours.get(delivering[i]!.id)!,
        latencyNs: c.latencyNs,
        fraction: c.fraction,
        samples: c.samples,
      })),
    [cdf.data, delivering, colours],
  );

  if (s.flows.length === 0) return <EmptyState title="No flows in this run">Connect a sender through a mechanism to a receiver and run again.</EmptyState>;
  if (delivering.length === 0) return <EmptyState title="No message was delivered">Every message was lost: see the Summary for drops, overwrites and timeouts.</EmptyState>;

  const toggle = (id: string): void =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const flowOptions = delivering.map((f) => ({ value: f.id, label: f.name }));

  return (
    <div className="rv latency" ref={ref} data-testid="latency-view">
      <div className={`rv-grid cols-${cols}`}>
        <Card
          title="Latency CDF"
          subtitle="Share of delivered messages at or below each latency · scroll to zoom, drag to pan, double-click to reset"
          actions={
            <>
              <Segmented label="Latency axis" value={logX} onChange={setLogX} options={[{ value: 'lin', label: 'linear' }, { value: 'log', label: 'log' }]} />
              <Segmented label="Share axis" value={yView} onChange={setYView} options={[{ value: 'all', label: '0–100 %' }, { value: 'tail', label: 'tail 90–100 %', title: 'Zoom on the tail: p90 to max' }]} />
            </>
          }
          testId="card-cdf"
        >
          {cdf.error ? <ErrorState message={cdf.error} onRetry={cdf.reload} /> : cdf.loading ? <Loading height={300} label="Loading the distributions…" /> : <CdfChart series={series} width={cw} height={300} logX={logX === 'log'} yMin={yView === 'tail' ? 0.9 : 0} hidden={hidden} />}
          <Legend items={delivering.map((f) => ({ id: f.id, label: f.name, colour: colours.get(f.id)! }))} hidden={hidden} onToggle={toggle} />
        </Card>
        <Card
          title="Percentiles"
          subtitle="Exact order statistics of each flow's delivered messages · click a flow to inspect it"
          testId="card-percentiles"
        >
          <TableScroll>
            <PercentileTable flows={delivering} colours={colours} selected={focus?.id} onSelect={(id) => { setFocusId(id); setHistRange(null); setTimeRange(measuredRange); }} />
          </TableScroll>
        </Card>
        <Card
          title="Histogram"
          subtitle={histRange ? `${formatDuration(histRange[0])} – ${formatDuration(histRange[1])} · brush again to zoom further` : 'Brush a latency range to zoom into it'}
          actions={
            <>
              <Picker label="flow" value={focus?.id ?? ''} options={flowOptions} onChange={(v) => { setFocusId(v); setHistRange(null); setTimeRange(measuredRange); }} width={220} />
              {histRange && (
                <button className="btn small" onClick={() => setHistRange(null)}>
                  Whole range
                </button>
              )}
            </>
          }
          testId="card-histogram"
        >
          {hist.error ? (
            <ErrorState message={hist.error} onRetry={hist.reload} />
          ) : hist.loading || !hist.data ? (
            <Loading height={260} />
          ) : hist.data.counts.length === 0 ? (
            <EmptyState title="Nothing in this range" />
          ) : (
            <HistogramChart edgesNs={hist.data.edgesNs} counts={hist.data.counts} width={cw} height={260} colour={colours.get(focus!.id)} markers={[{ label: 'p50', valueNs: focus!.latencyNs.p50 }, { label: 'p99', valueNs: focus!.latencyNs.p99 }]} onZoom={(r) => setHistRange(r)} />
          )}
        </Card>
        <Card
          title="Latency over time"
          subtitle={
            <>
              Per time bucket: min–max band and mean of the messages delivered in it · brush to zoom
              {warmupNs > 0 && (
                <span className="warmup-note" data-testid="over-time-warmup">
                  {' '}
                  · {timeRange && timeRange[0] === measuredRange![0] && timeRange[1] === measuredRange![1] ? `from ${formatDuration(warmupNs)}: the warm-up before it is not counted (no samples)` : `shaded: warm-up 0 – ${formatDuration(warmupNs)}, not counted (no samples)`}
                </span>
              )}
            </>
          }
          actions={
            <>
              {timeRange && (
                <button className="btn small" onClick={() => setTimeRange(null)}>
                  Whole run
                </button>
              )}
              {measuredRange && !timeRange && (
                <button className="btn small" onClick={() => setTimeRange(measuredRange)}>
                  Measured part
                </button>
              )}
            </>
          }
          testId="card-over-time"
        >
          {overTime.error ? (
            <ErrorState message={overTime.error} onRetry={overTime.reload} />
          ) : overTime.loading || !overTime.data ? (
            <Loading height={260} />
          ) : (
            <TimeChart
              series={[{ id: focus!.id, label: focus!.name, colour: colours.get(focus!.id)!, t: overTime.data.t, bucketNs: overTime.data.bucketNs, min: overTime.data.min, max: overTime.data.max, mean: overTime.data.mean }]}
              xDomain={[overTime.data.fromNs, overTime.data.toNs]}
              valueKind="duration"
              yLabel="latency"
              width={cw}
              height={260}
              onBrush={(r) => setTimeRange(r)}
              {...notes}
              tipExtra={(t) => {
                const d = overTime.data!;
                const i = Math.floor((t - d.fromNs) / d.bucketNs);
                return d.count[i] !== undefined ? <div className="tip-note muted">{d.count[i]!.toLocaleString('en-US')} delivered in this bucket</div> : null;
              }}
            />
          )}
        </Card>
      </div>
    </div>
  );
}
