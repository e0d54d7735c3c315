/**
 * The Sweep tab: a metric of each sweep run plotted against the swept value (one line per flow, or per kernel),
 * the runs as a table (click one to open it), progress and Cancel while the sweep runs.
 */
import { scaleLinear, scaleLog } from 'd3';
import { useMemo, useState } from 'react';
import { displayValue } from '../../src-shared/catalog/paramField';
import { SWEEP_METRICS, type SweepMetric } from '../../src-shared/model/sweep';
import { formatBytes, formatDuration } from '../../src-shared/util/units';
import { useStudio, useSweep } from '../editor/context';
import type { Sweep, SweepEntry } from '../run/sweepStore';
import { Axis, logTicks } from './charts/Axis';
import { formatCount, innerSize, seriesColour, tickInUnit, timeUnitFor, type ChartSize } from './charts/common';
import { Legend } from './charts/Tooltip';
import { Card, EmptyState, Picker, TableScroll } from './parts';
import { useWidth } from './useWidth';

/** One line of the chart: a flow's (or kernel's) metric at each point that has it. */
export interface SweepSeries {
  id: string;
  label: string;
  colour: string;
  /** `cut`: messages of the flow cut short in that run (drawn hollow: the latency is of shortened messages). */
  points: { x: number; y: number; runId: number; cut: number }[];
  /** Values at which the flow delivered nothing (no latency to plot: marked on the axis instead). */
  noneAt: { x: number; runId: number; lost: number }[];
}

/** The series of `metric` over a sweep's finished points. */
export function sweepSeries(sweep: Sweep, metric: SweepMetric): SweepSeries[] {
  const ids = new Map<string, string>();
  for (const p of sweep.points) {
    if (!p.summary) continue;
    if (metric.of === 'flow') for (const f of p.summary.flows) ids.set(f.id, f.name);
    else for (const k of p.summary.kernels) ids.set(k.id, k.name);
  }
  return [...ids].map(([id, label], i) => ({
    id,
    label,
    colour: seriesColour(i),
    points: sweep.points.flatMap((p) => {
      const y = p.summary && p.runId !== null ? metric.read(p.summary, id) : null;
      const f = metric.of === 'flow' ? p.summary?.flows.find((x) => x.id === id) : undefined;
      return y === null || p.runId === null ? [] : [{ x: p.value, y, runId: p.runId, cut: f?.truncated ?? 0 }];
    }),
    noneAt: sweep.points.flatMap((p) => {
      const f = metric.of === 'flow' ? p.summary?.flows.find((x) => x.id === id) : undefined;
      return f && f.delivered === 0 && f.sent > 0 && p.runId !== null ? [{ x: p.value, runId: p.runId, lost: f.sent }] : [];
    }),
  }));
}

/** Formats a metric value (axis ticks and table cells). */
export function formatSweepValue(metric: SweepMetric, v: number): string {
  switch (metric.unit) {
    case 'ns':
      return formatDuration(v);
    case 'fraction':
      return `${Number((v * 100).toPrecision(3))} %`;
    case 'bytes':
      return formatBytes(v);
    case 'copies':
      return String(Number(v.toPrecision(3)));
    default:
      return formatCount(v);
  }
}

/** The binary unit a byte axis up to `maxBytes` reads in (as `formatBytes` picks it). */
function byteUnitFor(maxBytes: number): { suffix: string; div: number } {
  const a = Math.abs(maxBytes);
  if (a < 1_024) return { suffix: 'B', div: 1 };
  if (a < 1_048_576) return { suffix: 'KiB', div: 1_024 };
  if (a < 1_073_741_824) return { suffix: 'MiB', div: 1_048_576 };
  return { suffix: 'GiB', div: 1_073_741_824 };
}

/**
 * A byte axis from 0 to a little over `maxBytes` whose ticks are round in the unit they are read in (10, 20, 30 KiB;
 * not the round decimal numbers of bytes, which read 9.766 KiB, 19.53 KiB): the domain's top and the tick values,
 * in bytes, and the unit.
 */
export function byteAxis(maxBytes: number, count = 5): { top: number; ticks: number[]; unit: { suffix: string; div: number } } {
  const unit = byteUnitFor(maxBytes);
  const inUnit = scaleLinear()
    .domain([0, Math.max(1 / unit.div, (maxBytes * 1.05) / unit.div)])
    .nice(count);
  return { top: inUnit.domain()[1]! * unit.div, ticks: inUnit.ticks(count).map((t) => t * unit.div), unit };
}

function SweepChart({ sweep, metric, series, size, onPick }: { sweep: Sweep; metric: SweepMetric; series: SweepSeries[]; size: ChartSize; onPick: (runId: number) => void }) {
  const m = { top: 14, right: 18, bottom: 44, left: 64 };
  const { iw, ih } = innerSize(size, m);
  const xs = sweep.points.map((p) => p.value);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const logX = lo > 0 && hi / lo >= 20;
  // A little room either side, so the first and last points sit clear of the axes.
  const pad = logX ? (hi / lo) ** 0.04 : (hi - lo) * 0.04;
  const x = logX ? scaleLog().domain([lo / pad, hi * pad]).range([0, iw]) : scaleLinear().domain([lo - pad, hi + pad]).range([0, iw]);
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const yMax = Math.max(metric.unit === 'fraction' ? 0.01 : 1, ...ys);
  // Bytes tick at round values of the unit shown (KiB, MiB), not at round numbers of bytes.
  const bytes = metric.unit === 'bytes' ? byteAxis(yMax) : null;
  const y = bytes ? scaleLinear().domain([0, bytes.top]).range([ih, 0]) : scaleLinear().domain([0, yMax * 1.05]).range([ih, 0]).nice();
  const unit = timeUnitFor(yMax);
  const yFormat = (v: number): string =>
    metric.unit === 'ns' ? tickInUnit(v, unit) : metric.unit === 'fraction' ? `${Number((v * 100).toPrecision(3))}` : bytes ? String(Number((v / bytes.unit.div).toPrecision(6))) : String(Number(v.toPrecision(4)));
  const yLabel = metric.unit === 'ns' ? `${metric.label} (${unit.suffix})` : metric.unit === 'fraction' ? `${metric.label} (%)` : bytes ? `${metric.label} (${bytes.unit.suffix})` : metric.label;
  const def = sweep.def;
  return (
    <div className="chart" style={size} data-chart="sweep">
      <svg width={size.width} height={size.height} role="img" aria-label={`${metric.label} against ${def.label}`}>
        <g transform={`translate(${m.left},${m.top})`}>
          <Axis scale={y} orient="left" ticks={5} {...(bytes ? { tickValues: bytes.ticks } : {})} format={yFormat} label={yLabel} grid={iw} />
          <Axis scale={x} orient="bottom" offset={ih} {...(xs.length <= 8 && iw / xs.length > 70 ? { tickValues: xs } : logX ? { tickValues: logTicks([lo, hi]) } : { ticks: Math.max(2, Math.floor(iw / 90)) })} format={(v) => displayValue(def, v)} label={`${def.label}${logX ? ', log scale' : ''}`} grid={ih} />
          {series.map((s, i) => (
            // Earlier lines are drawn wider, so a line lying exactly on another still shows as its outline.
            <g key={s.id} data-series={s.id}>
              <path className="sweep-line" d={s.points.map((p, j) => `${j ? 'L' : 'M'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('')} style={{ stroke: s.colour, strokeWidth: Math.min(7, 2 + 1.25 * (series.length - 1 - i)) }} />
              {s.points.map((p) => (
                <circle key={p.runId} className={`sweep-dot${p.cut > 0 ? ' cut' : ''}`} cx={x(p.x)} cy={y(p.y)} r={Math.min(7, 4 + 0.75 * (series.length - 1 - i))} style={p.cut > 0 ? { stroke: s.colour } : { fill: s.colour }} onClick={() => onPick(p.runId)}>
                  <title>{`${s.label}\n${def.label} ${displayValue(def, p.x)}: ${formatSweepValue(metric, p.y)}${p.cut > 0 ? ` — ${formatCount(p.cut)} messages cut short (the latency is of shortened messages)` : ''} (run #${p.runId}; click to open)`}</title>
                </circle>
              ))}
              {s.noneAt.map((p) => (
                <g key={`none${p.runId}`} className="sweep-none" transform={`translate(${x(p.x)},${ih})`} onClick={() => onPick(p.runId)} style={{ color: s.colour }}>
                  <path d="M-5,-5 L5,5 M-5,5 L5,-5" />
                  <title>{`${s.label}\n${def.label} ${displayValue(def, p.x)}: nothing delivered (${formatCount(p.lost)} sent, all lost) — run #${p.runId}; click to open`}</title>
                </g>
              ))}
            </g>
          ))}
        </g>
      </svg>
    </div>
  );
}

function runs(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}

/** Who was swept: one or two names, or the first two and how many more. */
function whoOf(names: readonly string[]): string {
  return names.length > 2 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` : names.join(' and ');
}

/** A remembered sweep in the list of sweeps: when, what was swept over how many values, of whom, in which design. */
export function sweepEntryLabel(e: SweepEntry, today = new Date()): string {
  let when = '';
  if (e.at > 0) {
    const d = new Date(e.at);
    const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    when = `${d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`} · `;
  }
  const state = e.state === 'done' ? '' : e.state === 'running' ? ' (running)' : e.state === 'cancelled' ? ' (cancelled)' : ' (failed)';
  return `${when}${e.paramLabel} × ${e.values} value${e.values === 1 ? '' : 's'}${state} · ${whoOf(e.nodeNames)} · ${e.designName}`;
}

export function SweepView() {
  const studio = useStudio();
  const sweep = useSweep((s) => s.sweep);
  const history = useSweep((s) => s.history);
  const [metricId, setMetricId] = useState('p99');
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [ref, width] = useWidth<HTMLDivElement>();
  const metric = SWEEP_METRICS.find((x) => x.id === metricId) ?? SWEEP_METRICS[0]!;
  const series = useMemo(() => (sweep ? sweepSeries(sweep, metric) : []), [sweep, metric]);
  const openDialog = (): void => studio.ui.getState().setDialog({ kind: 'sweep' });
  if (!sweep) {
    return (
      <EmptyState title="No sweep yet" icon="⤳">
        <p>Vary one parameter — a payload size, a period, a queue capacity — over a range of values, one recorded run per value, and plot latency, losses, copies or CPU load against it.</p>
        <button className="btn primary" onClick={openDialog}>
          Sweep a parameter…
        </button>
      </EmptyState>
    );
  }
  const done = sweep.points.filter((p) => p.status === 'done').length;
  const running = sweep.state === 'running';
  const def = sweep.def;
  const who = whoOf(sweep.nodeNames);
  const shown = series.filter((s) => !hidden.has(s.id));
  return (
    <div className="rv sweep-view" ref={ref} data-testid="sweep-view">
      <div className="sweep-head">
        <div>
          <b>{def.label}</b> of {who} · {sweep.points.length} value{sweep.points.length === 1 ? '' : 's'} · seed {sweep.seed} · {formatDuration(sweep.durationNs)} each
          <span className={`sweep-state ${sweep.state}`} role="status">
            {running ? ` · running ${done + 1} of ${sweep.points.length}…` : sweep.state === 'done' ? ` · ${runs(done)}` : sweep.state === 'cancelled' ? ` · cancelled after ${runs(done)}` : ` · stopped: a run failed (${done} done)`}
          </span>
        </div>
        <div className="btn-row">
          {history.length > 1 && (
            <Picker
              label="Sweep"
              value={sweep.key}
              options={history.map((e) => ({ value: e.key, label: sweepEntryLabel(e) }))}
              onChange={(key) => void studio.sweep.getState().open(key)}
              width={260}
              disabled={running}
              title={running ? 'Earlier sweeps can be opened when this one has finished' : `The last ${history.length} sweeps are remembered; pick one to show it again`}
            />
          )}
          <Picker label="Plot" value={metric.id} options={SWEEP_METRICS.map((x) => ({ value: x.id, label: `${x.label}${x.of === 'kernel' ? ' (kernels)' : ''}` }))} onChange={setMetricId} />
          {running ? (
            <button className="btn danger-outline" onClick={() => void studio.sweep.getState().cancel()}>
              Cancel sweep
            </button>
          ) : (
            <>
              {done > 1 && (
                <button className="btn" onClick={() => studio.run.getState().openCompare(sweep.points.flatMap((p) => (p.status === 'done' && p.runId !== null ? [p.runId] : [])))} title="Open the runs side by side in Compare (CDFs, deltas, what changed)">
                  Compare runs
                </button>
              )}
              <button className="btn" onClick={openDialog}>
                New sweep…
              </button>
            </>
          )}
        </div>
      </div>
      {running && <progress className="sweep-progress" max={sweep.points.length} value={done} aria-label="Sweep progress" />}
      <Card
        title={`${metric.label} against ${def.label}`}
        subtitle={metric.of === 'flow' ? 'One line per flow; click a point to open its run. Hollow: messages were cut short; × on the axis: nothing delivered.' : 'One line per kernel; click a point to open its run.'}
        testId="sweep-chart"
      >
        {done === 0 ? <p className="muted">The first run is under way…</p> : <SweepChart sweep={sweep} metric={metric} series={shown} size={{ width: Math.max(320, width - 40), height: 300 }} onPick={(id) => void studio.run.getState().show(id, 'summary')} />}
        {series.length > 1 && (
          <Legend
            items={series.map((s) => ({ id: s.id, label: s.label, colour: s.colour }))}
            hidden={hidden}
            onToggle={(id) => setHidden((h) => { const n = new Set(h); if (n.has(id)) n.delete(id); else n.add(id); return n; })}
          />
        )}
      </Card>
      <Card title="Runs" subtitle="Each value is a recorded run (see History); click a row to open it.">
        <TableScroll>
        <table className="data-table sweep-table" data-testid="sweep-table">
          <thead>
            <tr>
              <th className="left">{def.label}</th>
              <th className="left">run</th>
              {series.map((s) => (
                <th key={s.id} title={s.label} className="sweep-col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sweep.points.map((p, i) => (
              <tr key={i} className={p.runId !== null && p.status === 'done' ? 'clickable' : ''} onClick={() => p.runId !== null && p.status === 'done' && void studio.run.getState().show(p.runId, 'summary')}>
                <td className="mono left">
                  {displayValue(def, p.value)}
                  {p.notes && p.notes.length > 0 && (
                    <span className="sweep-note" title={p.notes.join('\n')} aria-label={`Lint at this value: ${p.notes.join(' ')}`} data-testid="sweep-note">
                      {' '}⚠
                    </span>
                  )}
                </td>
                <td className={`mono left status-${p.status}`}>{p.runId !== null ? `#${p.runId}` : ''} {p.status === 'done' ? '' : p.status === 'running' ? 'running…' : p.status === 'pending' ? 'waiting' : p.error ? `${p.status}: ${p.error}` : p.status}</td>
                {series.map((s) => {
                  const v = p.summary ? metric.read(p.summary, s.id) : null;
                  const none = v === null && metric.of === 'flow' && p.summary?.flows.find((f) => f.id === s.id)?.delivered === 0;
                  const cut = metric.of === 'flow' && metric.id !== 'cut' ? (p.summary?.flows.find((f) => f.id === s.id)?.truncated ?? 0) : 0;
                  return (
                    <td key={s.id} className={none ? 'muted' : cut > 0 ? 'warn-cell' : undefined} title={none ? `No message of this flow was delivered in this run${p.notes?.length ? `. The lint at this value: ${p.notes.join(' ')}` : ''}` : cut > 0 ? `${formatCount(cut)} messages were cut short` : undefined}>
                      {v === null ? (none ? 'none delivered' : '—') : formatSweepValue(metric, v)}
                      {cut > 0 && ` (${formatCount(cut)} cut)`}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      </Card>
    </div>
  );
}
