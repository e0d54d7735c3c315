/**
 * Latency CDF: one step line per series (flows of a run, or one flow across runs in a comparison) on one
 * latency axis. Wheel/drag zooms the latency axis, double-click resets; hover reads every series at a latency.
 */
import { bisectRight, curveStepAfter, line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { useMemo, useRef, useState, type MouseEvent } from 'react';
import { Axis, logTicks } from './Axis';
import { extentOf, formatCount, formatPercent, innerSize, tickInUnit, timeUnitFor, withUnit, type ChartSize, type Margin, type TimeUnit } from './common';
import { useClipId, useRenderTiming } from './hooks';
import { ChartTooltip } from './Tooltip';
import { useXZoom } from './zoom';

/** One CDF: `fraction[i]` = share of samples ≤ `latencyNs[i]` (ascending; the last fraction is 1). */
export interface CdfSeries {
  id: string;
  label: string;
  colour: string;
  latencyNs: readonly number[];
  fraction: readonly number[];
  samples: number;
  dashed?: boolean;
}

export interface CdfLayoutOptions extends ChartSize {
  logX?: boolean;
  /** Lower end of the y axis: 0 (whole distribution) or e.g. 0.9 (the tail). */
  yMin?: number;
  /** A zoomed latency range (ns); default: the data's. */
  xDomain?: readonly [number, number];
}

/** A drawn CDF line: data points in ns (with the leading zero step) and its SVG path. */
export interface CdfLine {
  id: string;
  colour: string;
  dashed: boolean;
  /** [latencyNs, fraction] from (min, 0) to (max, 1). */
  points: [number, number][];
  d: string;
  /** Pixel position of the last data point (max latency, its fraction). */
  end: { x: number; y: number };
}

export interface CdfLayout {
  margin: Margin;
  iw: number;
  ih: number;
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
  /** The unzoomed latency domain. */
  fullDomain: [number, number];
  unit: TimeUnit;
  lines: CdfLine[];
}

const MARGIN: Margin = { top: 12, right: 18, bottom: 44, left: 54 };

/** The full latency domain of some series (linear from 0 when the data start near it; padded when flat). */
export function cdfDomain(series: readonly CdfSeries[], logX: boolean): [number, number] {
  const ext = extentOf(...series.map((s) => s.latencyNs)) ?? [0, 1];
  let [lo, hi] = ext;
  if (logX) {
    lo = Math.max(1, lo) / 1.15;
    hi = Math.max(hi * 1.15, lo * 10);
    return [lo, hi];
  }
  if (hi === lo) return [Math.max(0, lo * 0.9), hi * 1.1 + 1];
  if (lo < (hi - lo) * 0.5) lo = 0;
  const pad = (hi - lo) * 0.07;
  return [lo === 0 ? 0 : Math.max(0, lo - pad), hi + pad];
}

/** Scales and paths of a CDF chart (pure; the tests check it against known data). */
export function cdfLayout(series: readonly CdfSeries[], o: CdfLayoutOptions): CdfLayout {
  const logX = !!o.logX;
  const { iw, ih } = innerSize(o, MARGIN);
  const fullDomain = cdfDomain(series, logX);
  const domain = o.xDomain ? ([o.xDomain[0], o.xDomain[1]] as [number, number]) : fullDomain;
  const x = (logX ? scaleLog() : scaleLinear()).domain(domain).range([0, iw]);
  const y = scaleLinear()
    .domain([o.yMin ?? 0, 1])
    .range([ih, 0])
    .clamp(true);
  const unit = timeUnitFor(Math.max(Math.abs(domain[0]), Math.abs(domain[1])));
  const path = line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]))
    .curve(curveStepAfter);
  const lines = series
    .filter((s) => s.latencyNs.length > 0)
    .map((s) => {
      const points: [number, number][] = [[s.latencyNs[0]!, 0]];
      for (let i = 0; i < s.latencyNs.length; i++) points.push([s.latencyNs[i]!, s.fraction[i]!]);
      const last = points[points.length - 1]!;
      // After its maximum a CDF stays at its last value: carry the line to the right edge.
      const drawn = [...points, [Math.max(last[0], fullDomain[1]), last[1]] as [number, number]];
      return { id: s.id, colour: s.colour, dashed: !!s.dashed, points, d: path(drawn) ?? '', end: { x: x(last[0]), y: y(last[1]) } };
    });
  return { margin: MARGIN, iw, ih, x, y, fullDomain, unit, lines };
}

/** The fraction of a series at latency `v` (the CDF's value there). */
export function cdfAt(s: CdfSeries, v: number): number {
  const i = bisectRight(s.latencyNs as number[], v) - 1;
  return i < 0 ? 0 : s.fraction[i]!;
}

const GUIDES = [0.5, 0.9, 0.99];

export interface CdfChartProps extends ChartSize {
  series: readonly CdfSeries[];
  logX?: boolean;
  yMin?: number;
  /** Series ids not drawn (legend toggles). */
  hidden?: ReadonlySet<string>;
  title?: string;
}

/** The CDF chart (SVG). */
export function CdfChart({ series, width, height, logX = false, yMin = 0, hidden, title }: CdfChartProps) {
  useRenderTiming('cdf');
  const shown = useMemo(() => (hidden?.size ? series.filter((s) => !hidden.has(s.id)) : series), [series, hidden]);
  const base = useMemo(() => cdfLayout(shown, { width, height, logX, yMin }), [shown, width, height, logX, yMin]);
  const overlay = useRef<SVGRectElement>(null);
  const { transform, reset } = useXZoom(overlay, base.iw, base.ih, base);
  const zoomed = transform.k !== 1 || transform.x !== 0;
  const L = useMemo(() => (zoomed ? cdfLayout(shown, { width, height, logX, yMin, xDomain: transform.rescaleX(base.x).domain() as [number, number] }) : base), [zoomed, shown, width, height, logX, yMin, transform, base]);
  const clipId = useClipId('cdf');
  const [hover, setHover] = useState<{ px: number; py: number } | null>(null);
  const { margin: m, iw, ih, x, y, unit } = L;

  const onMove = (e: MouseEvent<SVGRectElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    setHover({ px: e.clientX - r.left, py: e.clientY - r.top });
  };
  const hv = hover ? x.invert(hover.px) : null;

  const xTicks = logX ? logTicks(x.domain() as [number, number]) : undefined;
  return (
    <div className="chart" style={{ width, height }} data-chart="cdf">
      <svg width={width} height={height} role="img" aria-label={title ?? 'Latency CDF'}>
        <defs>
          <clipPath id={clipId}>
            <rect width={iw} height={ih + 1} y={-1} />
          </clipPath>
        </defs>
        <g transform={`translate(${m.left},${m.top})`}>
          <Axis scale={y} orient="left" tickValues={yMin >= 0.9 ? [0.9, 0.95, 0.99, 1] : [0, 0.25, 0.5, 0.75, 0.9, 1]} format={(v) => `${Math.round(v * 100)}`} label="share of messages ≤ latency (%)" grid={iw} />
          <Axis scale={x} orient="bottom" offset={ih} ticks={Math.max(2, Math.floor(iw / 80))} {...(xTicks ? { tickValues: xTicks } : {})} format={(v) => tickInUnit(v, unit)} label={`latency (${unit.suffix})${logX ? ', log scale' : ''}`} grid={ih} />
          <g clipPath={`url(#${clipId})`}>
            {GUIDES.filter((g) => g >= yMin).map((g) => (
              <g key={g} className="guide">
                <line x1={0} x2={iw} y1={y(g)} y2={y(g)} />
                <text x={iw - 4} y={y(g) - 3} textAnchor="end">
                  p{Math.round(g * 100)}
                </text>
              </g>
            ))}
            {L.lines.map((l) => (
              <path key={l.id} className={`cdf-line${l.dashed ? ' dashed' : ''}`} d={l.d} style={{ stroke: l.colour }} data-series={l.id} />
            ))}
            {L.lines.map((l) => (
              <circle key={l.id} className="cdf-end" cx={l.end.x} cy={l.end.y} r={3} style={{ fill: l.colour }} data-series={l.id} data-max-ns={l.points[l.points.length - 1]![0]} data-fraction={l.points[l.points.length - 1]![1]} />
            ))}
            {hover && <line className="hover-rule" x1={hover.px} x2={hover.px} y1={0} y2={ih} />}
            {hover &&
              hv !== null &&
              shown.map((s) => {
                const f = cdfAt(s, hv);
                return <circle key={s.id} className="hover-dot" cx={hover.px} cy={y(f)} r={3.5} style={{ stroke: s.colour }} />;
              })}
          </g>
          <rect ref={overlay} className="overlay" width={iw} height={ih} onMouseMove={onMove} onMouseLeave={() => setHover(null)} />
        </g>
      </svg>
      {zoomed && (
        <button type="button" className="chart-reset" onClick={reset} title="Reset zoom (or double-click the plot)">
          Reset zoom
        </button>
      )}
      {hover && hv !== null && (
        <ChartTooltip x={hover.px + m.left} y={hover.py + m.top} width={width} height={height}>
          <div className="tip-title">≤ {withUnit(hv, unit)}</div>
          {shown.map((s) => (
            <div key={s.id} className="tip-row">
              <span className="swatch" style={{ background: s.colour }} />
              <span className="tip-label">{s.label}</span>
              <span className="tip-value">{formatPercent(cdfAt(s, hv), 4)}</span>
            </div>
          ))}
          {shown.length === 1 && <div className="tip-note muted">{formatCount(shown[0]!.samples)} messages</div>}
        </ChartTooltip>
      )}
    </div>
  );
}
