/**
 * Views of the run's time series: MPU regions per process (step chart against the capacity line, with
 * alignment waste noted), queue depth per mechanism, CPU load per kernel. A brushed time range zooms every
 * chart of the view (each re-queries its series for that range at full resolution).
 */
import { useMemo, useState } from 'react';
import type { DownsampledSeries, RunRecord, SeriesInfo } from '../../src-shared/results/runStore';
import type { RunSummary } from '../../src-shared/results/summary';
import { DISCARDED_MEANS, MECHANISM_LOST_MEANS, mechanismLoss } from '../../src-shared/results/overlay';
import { formatBytes, formatDuration } from '../../src-shared/util/units';
import { useEditor } from '../editor/context';
import { seriesColour } from './charts/common';
import { StepChart } from './charts/StepChart';
import { TimeChart, type TimeSeries } from './charts/TimeChart';
import { Legend } from './charts/Tooltip';
import { kindLabel } from './format';
import { Card, EmptyState, ErrorState, Loading, Segmented, cardWidth, columnsFor } from './parts';
import { useTimeAnnotations, warmupOf } from './useFaultMarks';
import { cachedCall, useQuery } from './useQuery';
import { useWidth } from './useWidth';
import { pointsFor } from './LatencyView';

type Range = [number, number] | null;

function useSeriesList(record: RunRecord) {
  return useQuery(`series-list:${record.id}`, () => cachedCall('listSeries', { runId: record.id }, record.status === 'done'));
}

/** Fetches several series of a run for one chart width and range. */
function useSeriesData(record: RunRecord, keys: readonly string[], buckets: number, range: Range, ready: boolean) {
  const key = ready && keys.length ? `series:${record.id}:${buckets}:${range?.join('-') ?? ''}:${keys.join('|')}` : null;
  return useQuery(key, () => Promise.all(keys.map((k) => cachedCall('getSeries', { runId: record.id, key: k, buckets, ...(range ? { fromNs: range[0], toNs: range[1] } : {}) }, record.status === 'done'))));
}

/** A series that never changed (nothing recorded): its one value over the whole run. */
export function constantSeries(id: string, label: string, colour: string, value: number, simTimeNs: number): TimeSeries {
  return { id, label, colour, t: [0], bucketNs: Math.max(1, simTimeNs), min: [value], max: [value], mean: [value] };
}

function toSeries(d: DownsampledSeries, id: string, label: string, colour: string): TimeSeries {
  return { id, label, colour, t: d.t, bucketNs: d.bucketNs, min: d.min, max: d.max, mean: d.mean };
}

function RangeBar({ range, onReset, simTimeNs, warmupNs = 0 }: { range: Range; onReset: () => void; simTimeNs: number; warmupNs?: number }) {
  return (
    <div className="rv-toolbar">
      <span className="muted small">
        {range ? `Showing ${formatDuration(range[0])} – ${formatDuration(range[1])} of ${formatDuration(simTimeNs)}` : `Whole run: 0 – ${formatDuration(simTimeNs)} · brush a chart to zoom`}
        {warmupNs > 0 && <span className="warmup-note"> · shaded: warm-up 0 – {formatDuration(warmupNs)}, not counted in the summary</span>}
      </span>
      {range && (
        <button className="btn small" onClick={onReset}>
          Whole run
        </button>
      )}
    </div>
  );
}

function fullDomain(record: RunRecord, range: Range): [number, number] {
  return range ?? [0, record.summary?.simTimeNs ?? record.simTimeNs ?? 1];
}

/** MPU regions in use per process over time against the capacity line. */
export function MpuView({ record }: { record: RunRecord }) {
  const s = record.summary!;
  const [ref, width, measured] = useWidth<HTMLDivElement>(900);
  const cols = width >= 3 * 340 ? 3 : columnsFor(width, 340);
  const cw = cardWidth(width, cols);
  const [range, setRange] = useState<Range>(null);
  const list = useSeriesList(record);
  const procs = s.processes;
  const keys = useMemo(() => procs.map((p) => `mpu:${p.id}`).filter((k) => list.data?.some((x) => x.key === k)), [procs, list.data]);
  const data = useSeriesData(record, keys, pointsFor(cw - 70, 2, 10, 2000), range, measured);
  const notes = useTimeAnnotations(record);
  if (procs.length === 0) return <EmptyState title="No processes">MPU regions are counted per process.</EmptyState>;
  if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (list.loading) return <Loading />;
  const byKey = new Map(keys.map((k, i) => [k, data.data?.[i]]));
  return (
    <div className="rv mpu" ref={ref} data-testid="mpu-view">
      <RangeBar range={range} onReset={() => setRange(null)} simTimeNs={s.simTimeNs} warmupNs={warmupOf(record)} />
      {data.error && <ErrorState message={data.error} onRetry={data.reload} />}
      <div className={`rv-grid cols-${cols}`}>
        {procs.map((p, i) => {
          const d = byKey.get(`mpu:${p.id}`);
          const over = p.mpuRegionsPeak > p.mpuRegionsCapacity;
          const note = p.alignmentWasteBytes > 0 ? `alignment waste ${formatBytes(p.alignmentWasteBytes)}` : 'no alignment waste';
          return (
            <Card
              key={p.id}
              title={p.name}
              subtitle={
                <>
                  peak <strong className={over ? 'num-danger' : ''}>{p.mpuRegionsPeak}</strong> of {p.mpuRegionsCapacity} regions
                  {p.mpuMapFailures > 0 && <span className="num-danger"> · {p.mpuMapFailures} map failures</span>}
                  {p.alignmentWasteBytes > 0 && <span title="Bytes lost because shared regions are rounded up to the MPU's size and alignment rule"> · {formatBytes(p.alignmentWasteBytes)} lost to alignment</span>}
                </>
              }
              className={over ? 'is-danger' : ''}
              testId={`card-mpu-${p.id}`}
            >
              {!keys.includes(`mpu:${p.id}`) ? (
                <StepChart series={constantSeries(p.id, p.name, seriesColour(i), p.mpuRegionsPeak, s.simTimeNs)} capacity={p.mpuRegionsCapacity} xDomain={fullDomain(record, range)} width={cw} height={180} note={`constant: no region mapped or unmapped${p.alignmentWasteBytes > 0 ? ` · ${note}` : ''}`} onBrush={setRange} {...notes} />
              ) : !d ? (
                <Loading height={180} />
              ) : (
                <StepChart series={toSeries(d, p.id, p.name, seriesColour(i))} capacity={p.mpuRegionsCapacity} xDomain={fullDomain(record, range)} width={cw} height={180} {...(p.alignmentWasteBytes > 0 ? { note } : {})} onBrush={setRange} {...notes} />
              )}
            </Card>
          );
        })}
      </div>
    </div>
  );
}

/** A mechanism as the Queues view shows it: its peak from the summary, its depth series when one was recorded. */
export interface QueueEntry {
  id: string;
  /** The depth series' key, or null when none was recorded. */
  key: string | null;
  /** The summary's peak depth (counted after the warm-up, at every instant); the series' own maximum without one. */
  peak: number;
  /** The largest value of the recorded series over the whole run (warm-up included), or null. */
  seriesMax: number | null;
  /** Why the chart's top differs from `peak`, when it does. */
  note: string | null;
}

/**
 * Which mechanisms the Queues view charts and which it lists as never queued. The peak is the summary's `maxDepth`
 * (the authoritative count after the warm-up): the recorded series keeps one value per instant (the last), so a
 * message queued and taken at the same instant is a peak the chart cannot show, and the series also covers the
 * warm-up, which the summary leaves out.
 */
export function queueEntries(infos: readonly SeriesInfo[], summary: Pick<RunSummary, 'mechanisms'>, warmupNs: number): { charted: QueueEntry[]; idle: QueueEntry[] } {
  const byId = new Map<string, QueueEntry>();
  for (const info of infos) {
    if (!info.key.startsWith('depth:')) continue;
    const id = info.key.slice('depth:'.length);
    const m = summary.mechanisms.find((x) => x.id === id);
    const seriesMax = info.vMax ?? 0;
    byId.set(id, { id, key: info.key, peak: m ? m.maxDepth : seriesMax, seriesMax, note: null });
  }
  // A peak the summary counted but no series recorded (nothing to chart, but not "never queued").
  for (const m of summary.mechanisms) if (m.maxDepth > 0 && !byId.has(m.id)) byId.set(m.id, { id: m.id, key: null, peak: m.maxDepth, seriesMax: null, note: null });
  const charted: QueueEntry[] = [];
  const idle: QueueEntry[] = [];
  for (const e of byId.values()) {
    const top = e.seriesMax ?? 0;
    if (e.key === null) e.note = 'no depth series was recorded for it';
    else if (top < e.peak) e.note = `the chart tops at ${top}: the peak of ${e.peak} lasted no time (queued and taken at one instant; the chart shows the depth held between instants)`;
    else if (top > e.peak && warmupNs > 0) e.note = `the chart reaches ${top} during the warm-up (shaded, not counted)`;
    if (e.peak > 0 || top > 0) charted.push(e);
    else idle.push(e);
  }
  return { charted, idle };
}

/** Queue depth over time per mechanism (mechanisms that never queued are listed, not charted). */
export function QueuesView({ record }: { record: RunRecord }) {
  const s = record.summary!;
  const nodes = useEditor((st) => st.design.nodes);
  const [ref, width, measured] = useWidth<HTMLDivElement>(900);
  const cols = columnsFor(width, 440);
  const cw = cardWidth(width, cols);
  const [range, setRange] = useState<Range>(null);
  const list = useSeriesList(record);
  const warmupNs = warmupOf(record);
  const { charted, idle } = useMemo(() => queueEntries(list.data ?? [], s, warmupNs), [list.data, s, warmupNs]);
  const keys = useMemo(() => charted.flatMap((e) => (e.key ? [e.key] : [])), [charted]);
  const data = useSeriesData(record, keys, pointsFor(cw - 70, 2, 10, 2000), range, measured);
  const notes = useTimeAnnotations(record);
  const label = (id: string): string => {
    const m = s.mechanisms.find((x) => x.id === id);
    const name = m?.name ?? nodes.find((n) => n.id === id)?.name ?? id;
    return m ? `${name} (${kindLabel(m.kind)})` : name;
  };
  if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (list.loading) return <Loading />;
  if (charted.length === 0 && idle.length === 0) return <EmptyState title="No queues in this run">Queue depth is recorded for mechanisms that hold messages (channels, mailboxes, FIFOs, rings, devices).</EmptyState>;
  const counted = charted.filter((e) => e.peak > 0);
  const after = warmupNs > 0 ? ' after the warm-up' : '';
  return (
    <div className="rv queues" ref={ref} data-testid="queues-view">
      <RangeBar range={range} onReset={() => setRange(null)} simTimeNs={s.simTimeNs} warmupNs={warmupNs} />
      {data.error && <ErrorState message={data.error} onRetry={data.reload} />}
      {counted.length === 0 && <p className="ok-note">✓ No message {warmupNs > 0 ? 'waited in a queue after the warm-up' : 'ever waited in a queue'}.</p>}
      <div className={`rv-grid cols-${cols}`}>
        {charted.map((e, i) => {
          const m = s.mechanisms.find((x) => x.id === e.id);
          const loss = m ? mechanismLoss(s, m) : null;
          const j = e.key ? keys.indexOf(e.key) : -1;
          const d = j >= 0 ? data.data?.[j] : undefined;
          const lossText = loss && (loss.lost > 0 || loss.discarded > 0) ? ` · ${loss.lost.toLocaleString('en-US')} lost${loss.discarded > 0 ? ` (${loss.discarded.toLocaleString('en-US')} discarded by it)` : ''}` : '';
          return (
            <Card
              key={e.id}
              title={label(e.id)}
              subtitle={
                <>
                  <span title={`The most messages it held at once${after}, at any instant (from the run summary)`}>
                    peak depth {e.peak}
                    {after}
                  </span>
                  {lossText && <span title={`Lost: ${MECHANISM_LOST_MEANS}. Discarded: ${DISCARDED_MEANS}.`}>{lossText}</span>}
                  {e.key && ' · band: min–max per bucket, line: time-weighted mean'}
                  {e.note && (
                    <span className="queue-note" data-testid={`queue-note-${e.id}`}>
                      {' · '}
                      {e.note}
                    </span>
                  )}
                </>
              }
              className={loss && loss.lost > 0 ? 'is-danger' : ''}
              testId={`card-queue-${e.id}`}
            >
              {!e.key ? (
                <p className="muted small">No depth series was recorded for it: the summary's peak is all there is.</p>
              ) : !d ? (
                <Loading height={180} />
              ) : (
                <TimeChart series={[toSeries(d, e.key, label(e.id), seriesColour(i))]} xDomain={fullDomain(record, range)} valueKind="count" yLabel="messages queued" width={cw} height={180} onBrush={setRange} {...notes} />
              )}
            </Card>
          );
        })}
      </div>
      {idle.length > 0 && (
        <p className="muted small idle-list" data-testid="queues-idle">
          Never queued: {idle.map((e) => label(e.id)).join(', ')}.
        </p>
      )}
    </div>
  );
}

/** CPU load per kernel over time (one line and band per kernel). */
export function CpuView({ record }: { record: RunRecord }) {
  const s = record.summary!;
  const [ref, width, measured] = useWidth<HTMLDivElement>(900);
  const cw = cardWidth(width, 1);
  const [range, setRange] = useState<Range>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const list = useSeriesList(record);
  const kernels = useMemo(() => s.kernels.filter((k) => list.data?.some((x) => x.key === `cpu:${k.id}`)), [s.kernels, list.data]);
  const keys = useMemo(() => kernels.map((k) => `cpu:${k.id}`), [kernels]);
  const data = useSeriesData(record, keys, pointsFor(cw - 70, 2, 10, 2000), range, measured);
  const series = useMemo(() => (data.data ?? []).map((d, i) => toSeries(d, kernels[i]!.id, kernels[i]!.name, seriesColour(i))), [data.data, kernels]);
  // A lightly loaded kernel is a flat line on a 0–100 % axis (a stop or a burst at 2 % cannot be seen): such runs
  // open fitted to the data; the axis says which.
  const notes = useTimeAnnotations(record);
  const [scale, setScale] = useState<'full' | 'fit'>(() => (Math.max(0, ...s.kernels.map((k) => k.cpuUtilization)) < 0.25 ? 'fit' : 'full'));
  if (list.error) return <ErrorState message={list.error} onRetry={list.reload} />;
  if (list.loading) return <Loading />;
  if (kernels.length === 0) return <EmptyState title="No CPU series">This run recorded no CPU load.</EmptyState>;
  return (
    <div className="rv cpu" ref={ref} data-testid="cpu-view">
      <RangeBar range={range} onReset={() => setRange(null)} simTimeNs={s.simTimeNs} warmupNs={warmupOf(record)} />
      <Card
        title="CPU load per kernel"
        subtitle="Busy share of each measurement window · band: min–max per bucket, line: mean"
        actions={<Segmented label="CPU axis" value={scale} onChange={setScale} options={[{ value: 'full', label: '0–100 %' }, { value: 'fit', label: 'fit to data' }]} />}
        testId="card-cpu"
      >
        {data.error ? (
          <ErrorState message={data.error} onRetry={data.reload} />
        ) : !data.data ? (
          <Loading height={260} />
        ) : (
          <TimeChart series={series} hidden={hidden} xDomain={fullDomain(record, range)} valueKind="fraction" yLabel="CPU busy" {...(scale === 'full' ? { yDomain: [0, 1] as const } : {})} {...notes} width={cw} height={260} onBrush={setRange} />
        )}
        <Legend
          items={kernels.map((k, i) => ({ id: k.id, label: `${k.name} · ${Number((k.cpuUtilization * 100).toPrecision(3))} % overall`, colour: seriesColour(i) }))}
          hidden={hidden}
          onToggle={(id) =>
            setHidden((h) => {
              const n = new Set(h);
              if (n.has(id)) n.delete(id);
              else n.add(id);
              return n;
            })
          }
        />
      </Card>
    </div>
  );
}
