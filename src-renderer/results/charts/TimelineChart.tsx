/**
 * The event timeline of a window of a run: per kernel a group of lanes (kernel work, then one lane per
 * process), a bar while the process (or the kernel) has the CPU, markers for context switches, dropped upcalls,
 * crashes, restarts and a kernel failure. Wheel zooms and drag pans the window (the view re-queries the trace
 * for the new window when the gesture ends).
 */
import { scaleLinear, select, zoom, zoomIdentity, type ScaleLinear, type ZoomTransform } from 'd3';
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { TraceEvent } from '../../../src-shared/results/runStore';
import { Axis } from './Axis';
import { clip, formatCount, seriesColour, tickInUnit, timeUnitFor, withUnit, type Margin, type TimeUnit } from './common';
import { useClipId, useRenderTiming } from './hooks';
import { ChartTooltip } from './Tooltip';

/** A kernel and the processes whose lanes it gets (in order). */
export interface TimelineKernel {
  id: string;
  name: string;
  processes: readonly { id: string; name: string }[];
}

/** A span of CPU time on one lane (`lane` = process id, or '' for kernel work). */
export interface TimelineSpan {
  kernelId: string;
  lane: string;
  fromNs: number;
  toNs: number;
  /** Spans merged into this one because they were closer than a pixel. */
  merged: number;
  /** 'failed' spans mark a kernel that has failed (to the window's end). */
  kind: 'run' | 'failed';
}

/** An instant event on a lane. */
export interface TimelineMark {
  kernelId: string;
  lane: string;
  timeNs: number;
  kind: string;
  detail: string;
}

const INSTANT_KINDS = new Set(['contextSwitch', 'upcallDropped', 'crash', 'restart', 'kernelFailed']);

/**
 * CPU spans and instant marks of a trace window (pure). On each kernel a `run` opens a span for its process
 * (or kernel work) that lasts until the kernel's next `run`, `idle` or `kernelFailed`; spans still open at the
 * window's end are cut there. Spans closer than `mergeNs` on the same lane are merged (one pixel at most).
 */
export function timelineSpans(events: readonly TraceEvent[], window: readonly [number, number], mergeNs = 0): { spans: TimelineSpan[]; marks: TimelineMark[] } {
  const spans: TimelineSpan[] = [];
  const marks: TimelineMark[] = [];
  const open = new Map<string, { lane: string; fromNs: number }>();
  const lastOnLane = new Map<string, TimelineSpan>();
  const push = (kernelId: string, lane: string, fromNs: number, toNs: number, kind: TimelineSpan['kind']): void => {
    const a = Math.max(fromNs, window[0]);
    const b = Math.min(toNs, window[1]);
    if (b < a) return;
    const key = `${kernelId}\u0000${lane}`;
    const prev = lastOnLane.get(key);
    if (prev && prev.kind === kind && a - prev.toNs <= mergeNs) {
      prev.toNs = Math.max(prev.toNs, b);
      prev.merged += 1;
      return;
    }
    const s: TimelineSpan = { kernelId, lane, fromNs: a, toNs: b, merged: 0, kind };
    spans.push(s);
    lastOnLane.set(key, s);
  };
  const close = (kernelId: string, t: number): void => {
    const o = open.get(kernelId);
    if (o) push(kernelId, o.lane, o.fromNs, t, 'run');
    open.delete(kernelId);
  };
  const sorted = [...events].sort((a, b) => a.timeNs - b.timeNs || a.seq - b.seq);
  const failed = new Set<string>();
  for (const e of sorted) {
    if (e.kind === 'run') {
      close(e.kernelId, e.timeNs);
      if (!failed.has(e.kernelId)) open.set(e.kernelId, { lane: e.processId ?? '', fromNs: e.timeNs });
    } else if (e.kind === 'idle') {
      close(e.kernelId, e.timeNs);
    } else if (e.kind === 'kernelFailed') {
      close(e.kernelId, e.timeNs);
      failed.add(e.kernelId);
      push(e.kernelId, '', e.timeNs, window[1], 'failed');
    }
    if (INSTANT_KINDS.has(e.kind) && e.timeNs >= window[0] && e.timeNs <= window[1]) marks.push({ kernelId: e.kernelId, lane: e.processId ?? '', timeNs: e.timeNs, kind: e.kind, detail: e.detail });
  }
  for (const k of [...open.keys()]) close(k, window[1]);
  return { spans, marks };
}

export interface TimelineRow {
  kernelId: string;
  lane: string;
  label: string;
  y: number;
  height: number;
  header: boolean;
  colour: string;
}

export interface TimelineLayout {
  margin: Margin;
  iw: number;
  height: number;
  x: ScaleLinear<number, number>;
  unit: TimeUnit;
  rows: TimelineRow[];
  rowOf: Map<string, TimelineRow>;
}

const LANE_H = 18;
const HEADER_H = 22;

/** Rows and scale of the timeline (pure). Height follows the number of lanes. */
export function timelineLayout(kernels: readonly TimelineKernel[], window: readonly [number, number], width: number): TimelineLayout {
  const longest = Math.max(90, ...kernels.flatMap((k) => k.processes.map((p) => p.name.length * 6.4 + 20)));
  const margin: Margin = { top: 6, right: 16, bottom: 40, left: Math.min(170, longest) };
  const iw = Math.max(10, width - margin.left - margin.right);
  const x = scaleLinear()
    .domain([window[0], window[1] > window[0] ? window[1] : window[0] + 1])
    .range([0, iw]);
  const rows: TimelineRow[] = [];
  const rowOf = new Map<string, TimelineRow>();
  let y = 0;
  let colourIdx = 0;
  for (const k of kernels) {
    rows.push({ kernelId: k.id, lane: '#header', label: k.name, y, height: HEADER_H, header: true, colour: 'var(--cat-kernel)' });
    y += HEADER_H;
    const lanes = [{ id: '', name: 'kernel work' }, ...k.processes];
    for (const p of lanes) {
      const row: TimelineRow = { kernelId: k.id, lane: p.id, label: p.name, y, height: LANE_H, header: false, colour: p.id === '' ? 'var(--cat-kernel)' : seriesColour(colourIdx++) };
      rows.push(row);
      rowOf.set(`${k.id}\u0000${p.id}`, row);
      y += LANE_H;
    }
  }
  return { margin, iw, height: y + margin.top + margin.bottom, x, unit: timeUnitFor(Math.max(Math.abs(window[0]), Math.abs(window[1]))), rows, rowOf };
}

const MARK_LABEL: Record<string, string> = {
  contextSwitch: 'context switch',
  upcallDropped: 'upcall dropped (queue full)',
  crash: 'process crashed',
  restart: 'process restarted',
  kernelFailed: 'kernel failed',
};

export interface TimelineChartProps {
  events: readonly TraceEvent[];
  kernels: readonly TimelineKernel[];
  window: readonly [number, number];
  width: number;
  /** The whole run (ns): wheel/drag never leaves it. */
  bounds: readonly [number, number];
  onWindowChange?: (w: [number, number]) => void;
}

export function TimelineChart({ events, kernels, window, width, bounds, onWindowChange }: TimelineChartProps) {
  useRenderTiming('timeline');
  const base = useMemo(() => timelineLayout(kernels, window, width), [kernels, window, width]);
  const overlay = useRef<SVGRectElement>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const cb = useRef(onWindowChange);
  useEffect(() => {
    cb.current = onWindowChange;
  });
  const plotH = base.height - base.margin.top - base.margin.bottom;
  useEffect(() => {
    const el = overlay.current;
    if (!el) return;
    const sel = select(el);
    const z = zoom<SVGRectElement, unknown>()
      .scaleExtent([0.02, 2000])
      .extent([
        [0, 0],
        [base.iw, plotH],
      ])
      .on('zoom', (e: { transform: ZoomTransform }) => setTransform(e.transform))
      .on('end', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
        if (!e.sourceEvent) return;
        const [a, b] = e.transform.rescaleX(base.x).domain() as [number, number];
        const span = Math.max(1_000, Math.min(bounds[1] - bounds[0], b - a));
        let from = Math.max(bounds[0], a);
        if (from + span > bounds[1]) from = bounds[1] - span;
        cb.current?.([from, from + span]);
      });
    sel.call(z).on('dblclick.zoom', null);
    sel.call(z.transform, zoomIdentity);
    return () => {
      sel.on('.zoom', null);
    };
  }, [base, plotH, bounds]);
  const x = transform.k === 1 && transform.x === 0 ? base.x : (transform.rescaleX(base.x) as ScaleLinear<number, number>);
  const [d0, d1] = x.domain() as [number, number];
  const nsPerPx = (d1 - d0) / base.iw;
  const { spans, marks } = useMemo(() => timelineSpans(events, [d0, d1], nsPerPx * 0.75), [events, d0, d1, nsPerPx]);
  const switches = marks.filter((m) => m.kind === 'contextSwitch');
  const showSwitches = switches.length <= 1500;
  const clipId = useClipId('tl');
  const [hover, setHover] = useState<{ text: string[]; px: number; py: number } | null>(null);
  const m = base.margin;
  const unit = timeUnitFor(Math.max(Math.abs(d0), Math.abs(d1)));

  const onMove = (e: MouseEvent<SVGRectElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const row = base.rows.find((rw) => !rw.header && py >= rw.y && py < rw.y + rw.height);
    const t = x.invert(px);
    if (!row) return setHover(null);
    const tol = nsPerPx * 3;
    const mark = marks.find((mk) => mk.kernelId === row.kernelId && (mk.lane === row.lane || mk.kind === 'kernelFailed') && Math.abs(mk.timeNs - t) <= tol && mk.kind !== 'contextSwitch');
    const span = spans.find((s) => s.kernelId === row.kernelId && s.lane === row.lane && t >= s.fromNs - nsPerPx && t <= s.toNs + nsPerPx);
    const text: string[] = [];
    const kernelName = base.rows.find((rw) => rw.header && rw.kernelId === row.kernelId)?.label ?? row.kernelId;
    if (mark) text.push(`${MARK_LABEL[mark.kind] ?? mark.kind} at ${withUnit(mark.timeNs, unit, 6)}`, `${kernelName} · ${row.label}`, ...(mark.detail ? [mark.detail] : []));
    else if (span) {
      text.push(span.kind === 'failed' ? `${kernelName} has failed` : `${row.label} on ${kernelName}`, `${withUnit(span.fromNs, unit, 6)} → ${withUnit(span.toNs, unit, 6)}`, `CPU for ${withUnit(span.toNs - span.fromNs, timeUnitFor(span.toNs - span.fromNs))}`);
      if (span.merged > 0) text.push(`${formatCount(span.merged + 1)} slices merged at this zoom`);
    } else text.push(`${row.label} · ${kernelName}`, `idle at ${withUnit(t, unit, 6)}`);
    setHover({ text, px: px + m.left, py: py + m.top });
  };

  return (
    <div className="chart" style={{ width, height: base.height }} data-chart="timeline">
      <svg width={width} height={base.height} role="img" aria-label="Event timeline">
        <defs>
          <clipPath id={clipId}>
            <rect width={base.iw} height={plotH} />
          </clipPath>
        </defs>
        <g transform={`translate(${m.left},${m.top})`}>
          {base.rows.map((r) => (
            <g key={`${r.kernelId}:${r.lane}`} className={r.header ? 'tl-header' : 'tl-lane'} transform={`translate(0,${r.y})`}>
              {r.header ? (
                <>
                  <rect className="tl-header-bg" x={-m.left} width={m.left + base.iw} height={r.height} />
                  <text className="tl-kernel" x={-m.left + 6} y={r.height / 2} dy="0.32em">
                    {r.label}
                  </text>
                </>
              ) : (
                <>
                  <line className="tl-lane-line" x1={0} x2={base.iw} y1={r.height} y2={r.height} />
                  <text className={`tl-label${r.lane === '' ? ' muted' : ''}`} x={-8} y={r.height / 2} dy="0.32em" textAnchor="end">
                    <title>{r.label}</title>
                    {clip(r.label, Math.floor((m.left - 14) / 6.4))}
                  </text>
                </>
              )}
            </g>
          ))}
          <Axis scale={x} orient="bottom" offset={plotH} ticks={Math.max(2, Math.floor(base.iw / 90))} format={(v) => tickInUnit(v, unit)} label={`simulated time (${unit.suffix})`} />
          <g clipPath={`url(#${clipId})`}>
            {spans.map((s, i) => {
              const row = base.rowOf.get(`${s.kernelId}\u0000${s.lane}`);
              if (!row) return null;
              if (s.kind === 'failed') {
                const rows = base.rows.filter((r) => r.kernelId === s.kernelId && !r.header);
                const y0 = rows[0]?.y ?? row.y;
                const y1 = (rows[rows.length - 1]?.y ?? row.y) + LANE_H;
                return <rect key={i} className="tl-failed" x={x(s.fromNs)} y={y0} width={Math.max(1, x(s.toNs) - x(s.fromNs))} height={y1 - y0} />;
              }
              return <rect key={i} className="tl-span" x={x(s.fromNs)} y={row.y + 3} width={Math.max(1, x(s.toNs) - x(s.fromNs))} height={row.height - 6} style={{ fill: row.colour }} data-lane={s.lane} />;
            })}
            {showSwitches &&
              switches.map((mk, i) => {
                const row = base.rowOf.get(`${mk.kernelId}\u0000${mk.lane}`);
                return row ? <line key={`cs${i}`} className="tl-switch" x1={x(mk.timeNs)} x2={x(mk.timeNs)} y1={row.y + 1} y2={row.y + 4} /> : null;
              })}
            {marks
              .filter((mk) => mk.kind !== 'contextSwitch')
              .map((mk, i) => {
                const row = base.rowOf.get(`${mk.kernelId}\u0000${mk.lane}`) ?? base.rowOf.get(`${mk.kernelId}\u0000`);
                if (!row) return null;
                const cx = x(mk.timeNs);
                const cy = row.y + row.height / 2;
                return (
                  <g key={`m${i}`} className={`tl-mark ${mk.kind}`} transform={`translate(${cx},${cy})`} data-kind={mk.kind}>
                    {mk.kind === 'upcallDropped' ? <path d="M0,-6L5,4L-5,4Z" /> : mk.kind === 'restart' ? <circle r={4.5} /> : <path d="M-4,-4L4,4M4,-4L-4,4" />}
                  </g>
                );
              })}
          </g>
          <rect ref={overlay} className="overlay" width={base.iw} height={plotH} onMouseMove={onMove} onMouseLeave={() => setHover(null)} />
        </g>
      </svg>
      {hover && (
        <ChartTooltip x={hover.px} y={hover.py} width={width} height={base.height}>
          <div className="tip-title">{hover.text[0]}</div>
          {hover.text.slice(1).map((t, i) => (
            <div key={i} className="tip-note">
              {t}
            </div>
          ))}
        </ChartTooltip>
      )}
    </div>
  );
}
