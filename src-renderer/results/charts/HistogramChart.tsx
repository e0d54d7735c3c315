/**
 * Latency histogram: bars over equal-width bins as the query returned them; brush a range to zoom (the view
 * asks the query for that range at full resolution); percentile markers as labelled rules.
 */
import { bisectRight, scaleLinear, type ScaleLinear } from 'd3';
import { useMemo, useRef, useState, type MouseEvent } from 'react';
import { Axis } from './Axis';
import { countTick, formatCount, formatPercent, innerSize, tickInUnit, timeUnitFor, withUnit, type ChartSize, type Margin, type TimeUnit } from './common';
import { useRenderTiming } from './hooks';
import { ChartTooltip } from './Tooltip';
import { useXBrush } from './zoom';

export interface HistogramBar {
  i: number;
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  fromNs: number;
  toNs: number;
}

export interface HistogramLayout {
  margin: Margin;
  iw: number;
  ih: number;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  unit: TimeUnit;
  bars: HistogramBar[];
  total: number;
}

const MARGIN: Margin = { top: 14, right: 18, bottom: 44, left: 56 };

/** Scales and bars (pure). Bar heights are proportional to counts; bar i spans [edges[i], edges[i+1]). */
export function histogramLayout(edgesNs: readonly number[], counts: readonly number[], size: ChartSize): HistogramLayout {
  const { iw, ih } = innerSize(size, MARGIN);
  const lo = edgesNs[0] ?? 0;
  const hi = edgesNs[edgesNs.length - 1] ?? 1;
  // Every sample at (nearly) one latency: the query's bins are a few ns wide; show them in context.
  const narrow = hi - lo < Math.max(1, hi * 0.002);
  const pad = narrow ? Math.max(10, hi * 0.05) : 0;
  const x = scaleLinear()
    .domain([lo - pad, (hi > lo ? hi : lo + 1) + pad])
    .range([0, iw]);
  const maxCount = Math.max(1, ...counts);
  const y = scaleLinear().domain([0, maxCount]).nice().range([ih, 0]);
  const unit = timeUnitFor(Math.max(Math.abs(lo), Math.abs(hi)));
  let total = 0;
  const bars: HistogramBar[] = counts.map((count, i) => {
    total += count;
    const x0 = x(edgesNs[i]!);
    const x1 = x(edgesNs[i + 1]!);
    const w = x1 - x0;
    const gap = w > 4 ? 1 : 0;
    const bw = Math.max(narrow ? 3 : 0.5, w - gap);
    return { i, x: narrow ? x0 + w / 2 - bw / 2 : x0 + gap / 2, y: y(count), width: bw, height: ih - y(count), count, fromNs: edgesNs[i]!, toNs: edgesNs[i + 1]! };
  });
  return { margin: MARGIN, iw, ih, x, y, unit, bars, total };
}

/** Markers in the plot, those closer than 24 px merged into one label (`p50 = p99` when equal). */
function mergeMarkers(markers: readonly { label: string; valueNs: number }[], x: ScaleLinear<number, number>): { label: string; px: number }[] {
  const out: { label: string; px: number }[] = [];
  const [r0, r1] = x.range() as [number, number];
  for (const m of [...markers].sort((a, b) => a.valueNs - b.valueNs)) {
    const px = x(m.valueNs);
    if (!(px >= r0 && px <= r1)) continue;
    const last = out[out.length - 1];
    if (last && px - last.px < 24) last.label = `${last.label} ${Math.abs(px - last.px) < 0.5 ? '=' : '·'} ${m.label}`;
    else out.push({ label: m.label, px });
  }
  return out;
}

/**
 * Where a marker's label is centred: over its rule, but kept inside the plot's width so that a marker near an
 * edge never writes over the y axis' tick labels (left) or past the chart (right). Width estimated for the
 * 10.5 px semibold label font.
 */
export function markerLabelX(label: string, px: number, iw: number): number {
  const half = (label.length * 6.2) / 2 + 2;
  if (iw <= 2 * half) return iw / 2;
  return Math.min(iw - half, Math.max(half, px));
}

export interface HistogramChartProps extends ChartSize {
  edgesNs: readonly number[];
  counts: readonly number[];
  colour?: string;
  /** Vertical rules, e.g. p50 and p99 (ns). */
  markers?: readonly { label: string; valueNs: number }[];
  /** Brush a latency range (ns) to zoom into it. */
  onZoom?: (rangeNs: [number, number]) => void;
  title?: string;
}

export function HistogramChart({ edgesNs, counts, width, height, colour = 'var(--series-1)', markers = [], onZoom, title }: HistogramChartProps) {
  useRenderTiming('histogram');
  const L = useMemo(() => histogramLayout(edgesNs, counts, { width, height }), [edgesNs, counts, width, height]);
  const { margin: m, iw, ih, x, y, unit } = L;
  const brushG = useRef<SVGGElement>(null);
  useXBrush(brushG, iw, ih, onZoom ? (px) => onZoom([x.invert(px[0]), x.invert(px[1])]) : undefined, 'zoom');
  const [hover, setHover] = useState<{ bar: HistogramBar; px: number; py: number } | null>(null);
  const onMove = (e: MouseEvent<SVGGElement>): void => {
    const r = (e.currentTarget.querySelector('.hit') ?? e.currentTarget).getBoundingClientRect();
    const px = e.clientX - r.left;
    const i = Math.min(L.bars.length - 1, Math.max(0, bisectRight(edgesNs as number[], x.invert(px)) - 1));
    const bar = L.bars[i];
    setHover(bar ? { bar, px, py: e.clientY - r.top } : null);
  };
  return (
    <div className="chart" style={{ width, height }} data-chart="histogram">
      <svg width={width} height={height} role="img" aria-label={title ?? 'Latency histogram'}>
        <g transform={`translate(${m.left},${m.top})`}>
          <Axis scale={y} orient="left" ticks={5} format={(v) => (Number.isInteger(v) ? countTick(v) : '')} label="messages" grid={iw} />
          <Axis scale={x} orient="bottom" offset={ih} ticks={Math.max(2, Math.floor(iw / 80))} format={(v) => tickInUnit(v, unit)} label={`latency (${unit.suffix})`} />
          <g className="bars">
            {L.bars.map((b) =>
              b.count > 0 ? <rect key={b.i} className={`bar${hover?.bar.i === b.i ? ' is-hover' : ''}`} x={b.x} y={b.y} width={b.width} height={b.height} style={{ fill: colour }} data-count={b.count} /> : null,
            )}
          </g>
          {mergeMarkers(markers, x).map((mk) => (
            <g key={mk.label} className="marker" transform={`translate(${mk.px},0)`}>
              <line y1={0} y2={ih} />
              <text x={markerLabelX(mk.label, mk.px, iw) - mk.px} y={-4} textAnchor="middle">
                {mk.label}
              </text>
            </g>
          ))}
          <g onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
            <rect className="hit" width={iw} height={ih} fill="transparent" />
            <g ref={brushG} className="brush" />
          </g>
        </g>
      </svg>
      {hover && (
        <ChartTooltip x={hover.px + m.left} y={hover.py + m.top} width={width} height={height}>
          <div className="tip-title">
            {withUnit(hover.bar.fromNs, unit)} – {withUnit(hover.bar.toNs, unit)}
          </div>
          <div className="tip-row">
            <span className="tip-label">messages</span>
            <span className="tip-value">{formatCount(hover.bar.count)}</span>
          </div>
          <div className="tip-row">
            <span className="tip-label">share</span>
            <span className="tip-value">{formatPercent(L.total ? hover.bar.count / L.total : 0)}</span>
          </div>
        </ChartTooltip>
      )}
    </div>
  );
}
