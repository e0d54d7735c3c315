/**
 * A quantity over simulated time from downsampled buckets (min / mean / max per bucket): for each series a
 * min–max band and a mean line (latency over time, queue depth, CPU load), or a step line of the per-bucket
 * peak (MPU regions). Reference lines (capacity) are labelled. Brush to zoom (the view re-queries the range),
 * or, in `select` mode, brush a window that stays (the timeline's overview).
 */
import { area, bisectRight, curveLinear, curveStepAfter, line, scaleLinear, tickStep, type ScaleLinear } from 'd3';
import { useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { Axis, integerTicks } from './Axis';
import { countTick, extentOf, formatCount, formatPercent, innerSize, tickInUnit, timeUnitFor, withUnit, type ChartSize, type Margin, type TimeUnit } from './common';
import { useClipId, useRenderTiming } from './hooks';
import { ChartTooltip } from './Tooltip';
import { useXBrush } from './zoom';

/** One series in equal time buckets: bucket i is [t[i], t[i] + bucketNs); null where there is no value. */
export interface TimeSeries {
  id: string;
  label: string;
  colour: string;
  t: readonly number[];
  bucketNs: number;
  min: readonly (number | null)[];
  max: readonly (number | null)[];
  mean: readonly (number | null)[];
  /** Values drawn as a step line (`peak` = per-bucket max, e.g. MPU regions) instead of band + mean. */
  step?: 'peak' | 'mean';
}

/** How values read: a duration in ns, a count, or a fraction 0..1 shown in %. */
export type ValueKind = 'duration' | 'count' | 'fraction';

/** A horizontal reference line (capacity). */
export interface RefLine {
  value: number;
  label: string;
  tone?: 'danger' | 'muted';
}

export interface TimeLayoutOptions extends ChartSize {
  xDomain: readonly [number, number];
  valueKind: ValueKind;
  yDomain?: readonly [number, number];
  refLines?: readonly RefLine[];
  /** Extra left margin for long tick labels. */
  marginLeft?: number;
}

export interface TimeLayout {
  margin: Margin;
  iw: number;
  ih: number;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  xUnit: TimeUnit;
  yUnit: TimeUnit | null;
  paths: { id: string; colour: string; band: string; line: string; step: boolean; dots: { x: number; y: number; y0: number; y1: number }[] }[];
  refs: { value: number; label: string; tone: 'danger' | 'muted'; y: number }[];
}

/** Scales and paths (pure). Band/mean points sit at bucket centres; steps start at bucket starts. */
export function timeLayout(series: readonly TimeSeries[], o: TimeLayoutOptions): TimeLayout {
  const margin: Margin = { top: 14, right: 18, bottom: 42, left: o.marginLeft ?? 54 };
  const { iw, ih } = innerSize(o, margin);
  const [x0, x1] = o.xDomain;
  const x = scaleLinear()
    .domain([x0, x1 > x0 ? x1 : x0 + 1])
    .range([0, iw]);
  const refs = o.refLines ?? [];
  let yDomain: [number, number];
  if (o.yDomain) yDomain = [o.yDomain[0], o.yDomain[1]];
  else {
    const ext = extentOf(...series.flatMap((s) => [s.min, s.max, s.mean]), refs.map((r) => r.value)) ?? [0, 1];
    const hi = ext[1] > 0 ? ext[1] : 1;
    yDomain = [Math.min(0, ext[0]), o.valueKind === 'count' && hi < 5 ? Math.ceil(hi) + (refs.length ? 1 : 0.5) : hi * 1.08];
  }
  const y = scaleLinear().domain(yDomain).range([ih, 0]);
  if (!o.yDomain && o.valueKind !== 'count') y.nice();
  const yUnit = o.valueKind === 'duration' ? timeUnitFor(yDomain[1]) : null;
  const paths = series.map((s) => {
    const n = s.t.length;
    const mid = (i: number): number => s.t[i]! + s.bucketNs / 2;
    if (s.step) {
      const vals = s.step === 'peak' ? s.max : s.mean;
      const pts: [number, number | null][] = [];
      for (let i = 0; i < n; i++) pts.push([s.t[i]!, vals[i] ?? null]);
      if (n > 0) pts.push([s.t[n - 1]! + s.bucketNs, vals[n - 1] ?? null]);
      const stepLine = line<[number, number | null]>()
        .defined((p) => p[1] !== null)
        .x((p) => x(p[0]))
        .y((p) => y(p[1]!))
        .curve(curveStepAfter);
      const stepArea = area<[number, number | null]>()
        .defined((p) => p[1] !== null)
        .x((p) => x(p[0]))
        .y0(ih)
        .y1((p) => y(p[1]!))
        .curve(curveStepAfter);
      return { id: s.id, colour: s.colour, band: stepArea(pts) ?? '', line: stepLine(pts) ?? '', step: true, dots: [] };
    }
    const idx = Array.from({ length: n }, (_, i) => i);
    const band = area<number>()
      .defined((i) => s.min[i] !== null && s.max[i] !== null)
      .x((i) => x(mid(i)))
      .y0((i) => y(s.min[i]!))
      .y1((i) => y(s.max[i]!))
      .curve(curveLinear);
    const mean = line<number>()
      .defined((i) => s.mean[i] !== null)
      .x((i) => x(mid(i)))
      .y((i) => y(s.mean[i]!))
      .curve(curveLinear);
    // A bucket with values between two empty ones draws no line: mark it with a dot and its min–max whisker.
    const has = (i: number): boolean => i >= 0 && i < n && s.mean[i] !== null && s.mean[i] !== undefined;
    const dots = idx.filter((i) => has(i) && !has(i - 1) && !has(i + 1)).map((i) => ({ x: x(mid(i)), y: y(s.mean[i]!), y0: y(s.min[i] ?? s.mean[i]!), y1: y(s.max[i] ?? s.mean[i]!) }));
    return { id: s.id, colour: s.colour, band: band(idx) ?? '', line: mean(idx) ?? '', step: false, dots };
  });
  return {
    margin,
    iw,
    ih,
    x,
    y,
    xUnit: timeUnitFor(Math.max(Math.abs(x0), Math.abs(x1))),
    yUnit,
    paths,
    refs: refs.map((r) => ({ value: r.value, label: r.label, tone: r.tone ?? 'danger', y: y(r.value) })),
  };
}

/** Formats a value of a kind (tooltips): `52.6 µs`, `3`, `42 %`. */
export function formatValue(v: number, kind: ValueKind, unit: TimeUnit | null): string {
  if (kind === 'duration') return withUnit(v, unit ?? timeUnitFor(v));
  if (kind === 'fraction') return formatPercent(v);
  return formatCount(Number(v.toPrecision(6)));
}

export interface TimeChartProps extends ChartSize {
  series: readonly TimeSeries[];
  xDomain: readonly [number, number];
  valueKind: ValueKind;
  /** Axis title without unit for durations (`latency`), with it otherwise (`regions in use`). */
  yLabel: string;
  yDomain?: readonly [number, number];
  refLines?: readonly RefLine[];
  /** Moments marked across the plot (a crash, a kernel failure): a vertical line with the label as tooltip. */
  marks?: readonly TimeMark[];
  hidden?: ReadonlySet<string>;
  /** Brush a time range (ns): zoom (`brushMode` 'zoom') or move the selected window ('select'). */
  onBrush?: (rangeNs: [number, number]) => void;
  brushMode?: 'zoom' | 'select';
  /** The selected window (ns) in select mode. */
  selection?: readonly [number, number] | null;
  /** Hide the x-axis title (small overview charts). */
  compact?: boolean;
  title?: string;
  /** Extra tooltip lines for a bucket. */
  tipExtra?: (t: number) => ReactNode;
  /** A short note drawn in the plot's top-left corner (e.g. alignment waste). */
  note?: string;
  /** The run's warm-up (ns): the span [0, warmupNs) is shaded and labelled (its samples are not counted). */
  warmupNs?: number;
}

/** The label of the warm-up band, and its short form for a narrow band. */
export const WARMUP_LABEL = 'warm-up: not counted';
const WARMUP_SHORT = 'warm-up';

/** A moment marked on a time chart. */
export interface TimeMark {
  timeNs: number;
  label: string;
  /** Drawn atop the line (default ✕). */
  glyph?: string;
  /** `ok` for a recovery (restart, link up); default `danger`. */
  tone?: 'danger' | 'ok';
}

/** Pixel span of the warm-up band in the plot (null when it is outside the shown range). */
export function warmupSpan(x: ScaleLinear<number, number>, iw: number, warmupNs: number | undefined): [number, number] | null {
  if (!warmupNs || warmupNs <= 0) return null;
  const a = Math.max(0, x(Math.min(x.domain()[0]!, warmupNs)));
  const b = Math.min(iw, x(warmupNs));
  return b - a >= 0.5 ? [a, b] : null;
}

export function TimeChart(props: TimeChartProps) {
  const { series, width, height, xDomain, valueKind, yLabel, yDomain, refLines, marks, hidden, onBrush, brushMode = 'zoom', selection, compact, title, tipExtra, note, warmupNs } = props;
  useRenderTiming(`time:${valueKind}`);
  const shown = useMemo(() => (hidden?.size ? series.filter((s) => !hidden.has(s.id)) : series), [series, hidden]);
  const L = useMemo(
    () => timeLayout(shown, { width, height, xDomain, valueKind, ...(yDomain ? { yDomain } : {}), ...(refLines ? { refLines } : {}), ...(compact ? { marginLeft: 44 } : {}) }),
    [shown, width, height, xDomain, valueKind, yDomain, refLines, compact],
  );
  const { margin: m, iw, ih, x, y, xUnit, yUnit } = L;
  const clipId = useClipId('time');
  const brushG = useRef<SVGGElement>(null);
  const selPx = selection ? ([x(selection[0]), x(selection[1])] as [number, number]) : null;
  useXBrush(brushG, iw, ih, onBrush ? (px) => onBrush([x.invert(px[0]), x.invert(px[1])]) : undefined, brushMode, selPx);
  const [hover, setHover] = useState<{ px: number; py: number } | null>(null);
  const onMove = (e: MouseEvent<SVGGElement>): void => {
    const r = (e.currentTarget.querySelector('.hit') ?? e.currentTarget).getBoundingClientRect();
    setHover({ px: e.clientX - r.left, py: e.clientY - r.top });
  };
  // Percent ticks carry as many decimals as their step needs (a fitted 0–3 % axis steps by 0.5).
  const pctDecimals = valueKind === 'fraction' ? Math.max(0, -Math.floor(Math.log10(tickStep(y.domain()[0]! * 100, y.domain()[1]! * 100, compact ? 3 : 5)) + 1e-9)) : 0;
  const yFormat = (v: number): string => (valueKind === 'duration' ? tickInUnit(v, yUnit!) : valueKind === 'fraction' ? (v * 100).toFixed(pctDecimals) : countTick(v));
  const yTitle = valueKind === 'duration' ? `${yLabel} (${yUnit!.suffix})` : valueKind === 'fraction' ? `${yLabel} (%)` : yLabel;
  const intTicks = valueKind === 'count' && y.domain()[1] - y.domain()[0] <= 12 ? integerTicks(y.domain() as [number, number], 6) : undefined;
  const hoverT = hover ? x.invert(hover.px) : null;
  const warm = warmupSpan(x, iw, warmupNs);
  const warmText = warm ? (warm[1] - warm[0] >= 130 ? WARMUP_LABEL : warm[1] - warm[0] >= 56 ? WARMUP_SHORT : '') : '';
  return (
    <div className="chart" style={{ width, height }} data-chart="time">
      <svg width={width} height={height} role="img" aria-label={title ?? yTitle}>
        <defs>
          <clipPath id={clipId}>
            <rect width={iw} height={ih + 2} y={-1} />
          </clipPath>
        </defs>
        <g transform={`translate(${m.left},${m.top})`}>
          <Axis scale={y} orient="left" ticks={compact ? 3 : 5} {...(intTicks ? { tickValues: intTicks } : {})} format={yFormat} label={compact ? '' : yTitle} grid={iw} labelOffset={m.left - 12} />
          <Axis scale={x} orient="bottom" offset={ih} ticks={Math.max(2, Math.floor(iw / 90))} format={(v) => tickInUnit(v, xUnit)} label={compact ? '' : `simulated time (${xUnit.suffix})`} />
          {warm && (
            <g className="warmup-band" data-warmup={warmupNs}>
              <title>{`Warm-up, 0 – ${withUnit(warmupNs!, timeUnitFor(warmupNs!))}: the system runs, but the summary counts only what happens after it (messages sent, drops, peaks, CPU)`}</title>
              <rect x={warm[0]} width={warm[1] - warm[0]} y={0} height={ih} />
              <line x1={warm[1]} x2={warm[1]} y1={0} y2={ih} />
              {warmText && (
                <text x={warm[1] - 5} y={compact ? 10 : note ? 26 : 12} textAnchor="end">
                  {warmText}
                </text>
              )}
            </g>
          )}
          <g clipPath={`url(#${clipId})`}>
            {L.paths.map((p) => (
              <g key={p.id} data-series={p.id}>
                <path className={p.step ? 'step-area' : 'band'} d={p.band} style={{ fill: p.colour }} />
                <path className={p.step ? 'step-line' : 'mean-line'} d={p.line} style={{ stroke: p.colour }} />
                {p.dots.length <= 2000 &&
                  p.dots.map((d, i) => (
                    <g key={i} className="iso" style={{ stroke: p.colour, fill: p.colour }}>
                      {d.y0 !== d.y1 && <line x1={d.x} x2={d.x} y1={d.y0} y2={d.y1} />}
                      <circle cx={d.x} cy={d.y} r={1.8} />
                    </g>
                  ))}
              </g>
            ))}
            {L.refs.map((r) => (
              <g key={r.label} className={`ref-line ${r.tone}`} data-value={r.value}>
                <line x1={0} x2={iw} y1={r.y} y2={r.y} />
                <text x={iw - 4} y={r.y - 4} textAnchor="end">
                  {r.label}
                </text>
              </g>
            ))}
            {hover && <line className="hover-rule" x1={hover.px} x2={hover.px} y1={0} y2={ih} />}
          </g>
          {note && (
            <text className="chart-note" x={6} y={L.refs.some((r) => r.y < 22) ? Math.max(...L.refs.map((r) => r.y)) + 14 : 12}>
              {note}
            </text>
          )}
          <g onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
            <rect className="hit" width={iw} height={ih} fill="transparent" />
            <g ref={brushG} className="brush" />
          </g>
          {marks?.map((mk, i) => {
            const px = x(mk.timeNs);
            if (!(px >= 0 && px <= iw)) return null;
            return (
              <g key={i} className={`time-mark${mk.tone === 'ok' ? ' is-ok' : ''}`} transform={`translate(${px},0)`} data-time={mk.timeNs}>
                <title>{mk.label}</title>
                <line y1={0} y2={ih} />
                <text y={-2} textAnchor="middle">
                  {mk.glyph ?? '✕'}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
      {hover && hoverT !== null && shown.length > 0 && (
        <ChartTooltip x={hover.px + m.left} y={hover.py + m.top} width={width} height={height}>
          <div className="tip-title">t = {withUnit(hoverT, xUnit, 5)}</div>
          {shown.map((s) => {
            const i = bisectRight(s.t as number[], hoverT) - 1;
            if (i < 0 || i >= s.t.length) return null;
            const mn = s.min[i];
            const mx = s.max[i];
            const me = s.mean[i];
            return (
              <div key={s.id} className="tip-row">
                <span className="swatch" style={{ background: s.colour }} />
                <span className="tip-label">{s.label}</span>
                <span className="tip-value">
                  {s.step === 'peak'
                    ? mx === null || mx === undefined
                      ? '—'
                      : `peak ${formatValue(mx, valueKind, yUnit)}`
                    : me === null || me === undefined
                      ? '—'
                      : `${formatValue(me, valueKind, yUnit)}${mn !== null && mx !== null && mn !== undefined && mx !== undefined && mn !== mx ? ` (${formatValue(mn, valueKind, yUnit)} – ${formatValue(mx, valueKind, yUnit)})` : ''}`}
                </span>
              </div>
            );
          })}
          {warmupNs !== undefined && hoverT < warmupNs && <div className="tip-note muted">warm-up: not counted</div>}
          {tipExtra?.(hoverT)}
        </ChartTooltip>
      )}
    </div>
  );
}
