/**
 * Horizontal stacked bars: one bar per item (flow), one segment per key (dropped, overwritten, timed out,
 * failed), stacked with d3.stack; a legend names the keys; hover reads a segment.
 */
import { stack, type ScaleBand, type ScaleLinear } from 'd3';
import { useMemo, useRef, useState, type MouseEvent } from 'react';
import { Axis } from './Axis';
import { clip, horizontalBarScales, formatCount, innerSize, textWidth, type Margin } from './common';
import { useRenderTiming } from './hooks';
import { ChartTooltip, Legend } from './Tooltip';

export interface StackKey {
  key: string;
  label: string;
  colour: string;
}

export interface StackItem {
  id: string;
  label: string;
  values: Readonly<Record<string, number>>;
}

export interface StackSegment {
  item: string;
  key: string;
  x: number;
  width: number;
  y: number;
  height: number;
  value: number;
}

export interface StackLayout {
  margin: Margin;
  iw: number;
  ih: number;
  x: ScaleLinear<number, number>;
  y: ScaleBand<string>;
  segments: StackSegment[];
  totals: Map<string, number>;
  labelChars: number;
}

export function stackedBarHeight(n: number): number {
  return Math.max(1, n) * 24 + 52;
}

/** Scales and segments (pure): segments of an item are contiguous, in key order, widths ∝ values. */
export function stackLayout(items: readonly StackItem[], keys: readonly StackKey[], width: number, height: number): StackLayout {
  const longest = Math.max(0, ...items.map((i) => textWidth(i.label)));
  const labelW = Math.min(Math.max(60, longest + 12), Math.max(90, width * 0.36));
  const margin: Margin = { top: 8, right: 56, bottom: 40, left: labelW };
  const { iw, ih } = innerSize({ width, height }, margin);
  const rows = items.map((it) => ({ id: it.id, ...Object.fromEntries(keys.map((k) => [k.key, it.values[k.key] ?? 0])) })) as unknown as Record<string, number>[];
  const series = stack<Record<string, number>>().keys(keys.map((k) => k.key))(rows);
  const totals = new Map(items.map((it) => [it.id, keys.reduce((a, k) => a + (it.values[k.key] ?? 0), 0)]));
  const max = Math.max(0, ...totals.values());
  const { x, y } = horizontalBarScales(items.map((i) => i.id), max, iw, ih);
  const segments: StackSegment[] = [];
  series.forEach((s, k) => {
    s.forEach((d, i) => {
      const v = d[1] - d[0];
      if (v <= 0) return;
      const id = items[i]!.id;
      segments.push({ item: id, key: keys[k]!.key, x: x(d[0]), width: Math.max(1, x(d[1]) - x(d[0])), y: y(id) ?? 0, height: y.bandwidth(), value: v });
    });
  });
  return { margin, iw, ih, x, y, segments, totals, labelChars: Math.floor((labelW - 10) / (11 * 0.58)) };
}

export interface StackedBarChartProps {
  items: readonly StackItem[];
  keys: readonly StackKey[];
  width: number;
  height?: number;
  axisLabel: string;
  title?: string;
}

export function StackedBarChart({ items, keys, width, height, axisLabel, title }: StackedBarChartProps) {
  useRenderTiming('stacked');
  const h = height ?? stackedBarHeight(items.length);
  const L = useMemo(() => stackLayout(items, keys, width, h), [items, keys, width, h]);
  const { margin: m, iw, ih, x } = L;
  const colour = new Map(keys.map((k) => [k.key, k.colour]));
  const label = new Map(keys.map((k) => [k.key, k.label]));
  const [hover, setHover] = useState<{ seg: StackSegment; px: number; py: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const track = (seg: StackSegment) => (e: MouseEvent) => {
    const r = box.current?.getBoundingClientRect();
    setHover({ seg, px: e.clientX - (r?.left ?? 0), py: e.clientY - (r?.top ?? 0) });
  };
  const itemLabel = new Map(items.map((i) => [i.id, i.label]));
  return (
    <div className="chart-block">
      <Legend items={keys.map((k) => ({ id: k.key, label: k.label, colour: k.colour }))} />
      <div className="chart" style={{ width, height: h }} data-chart="stacked" ref={box}>
        <svg width={width} height={h} role="img" aria-label={title ?? axisLabel}>
          <g transform={`translate(${m.left},${m.top})`}>
            <Axis scale={x} orient="bottom" offset={ih} ticks={Math.max(2, Math.floor(iw / 80))} format={(v) => (Number.isInteger(v) ? formatCount(v) : '')} label={axisLabel} grid={ih} />
            {items.map((it) => (
              <g key={it.id} transform={`translate(0,${L.y(it.id) ?? 0})`}>
                <text className="bar-label" x={-8} y={L.y.bandwidth() / 2} dy="0.32em" textAnchor="end">
                  <title>{it.label}</title>
                  {clip(it.label, L.labelChars)}
                </text>
                <text className="bar-value" x={x(L.totals.get(it.id) ?? 0) + 5} y={L.y.bandwidth() / 2} dy="0.32em">
                  {formatCount(L.totals.get(it.id) ?? 0)}
                </text>
              </g>
            ))}
            {L.segments.map((s) => (
              <rect key={`${s.item}:${s.key}`} className="bar" x={s.x} y={s.y} width={s.width} height={s.height} style={{ fill: colour.get(s.key) }} data-item={s.item} data-key={s.key} data-value={s.value} onMouseMove={track(s)} onMouseLeave={() => setHover(null)} />
            ))}
          </g>
        </svg>
        {hover && (
          <ChartTooltip x={hover.px} y={hover.py} width={width} height={h}>
            <div className="tip-title">{itemLabel.get(hover.seg.item)}</div>
            <div className="tip-row">
              <span className="swatch" style={{ background: colour.get(hover.seg.key) }} />
              <span className="tip-label">{label.get(hover.seg.key)}</span>
              <span className="tip-value">{formatCount(hover.seg.value)}</span>
            </div>
          </ChartTooltip>
        )}
      </div>
    </div>
  );
}
