/**
 * Horizontal bars, one per item (copies per flow, bytes copied per mechanism, …), with the item's label on the
 * left and its value at the bar's end. Height follows the number of items unless given.
 */
import { type ScaleBand, type ScaleLinear } from 'd3';
import { useMemo, useRef, useState, type MouseEvent } from 'react';
import { Axis } from './Axis';
import { clip, horizontalBarScales, innerSize, textWidth, type Margin } from './common';
import { useRenderTiming } from './hooks';
import { ChartTooltip } from './Tooltip';

export interface BarItem {
  id: string;
  label: string;
  value: number;
  colour?: string;
  /** Tooltip detail line. */
  detail?: string;
}

export interface BarLayout {
  margin: Margin;
  iw: number;
  ih: number;
  x: ScaleLinear<number, number>;
  y: ScaleBand<string>;
  bars: { id: string; label: string; value: number; x: number; y: number; width: number; height: number }[];
  labelChars: number;
}

/** Row height of bar charts sized by their item count. */
export const BAR_ROW = 24;

/** Height a bar chart needs for `n` rows. */
export function barChartHeight(n: number): number {
  return Math.max(1, n) * BAR_ROW + 52;
}

/** Scales and bars (pure): bar width ∝ value on a linear axis from 0. */
export function barLayout(items: readonly BarItem[], width: number, height: number): BarLayout {
  const longest = Math.max(0, ...items.map((i) => textWidth(i.label)));
  const labelW = Math.min(Math.max(60, longest + 12), Math.max(90, width * 0.36));
  const margin: Margin = { top: 8, right: 64, bottom: 40, left: labelW };
  const { iw, ih } = innerSize({ width, height }, margin);
  const max = Math.max(0, ...items.map((i) => i.value));
  const { x, y } = horizontalBarScales(items.map((i) => i.id), max, iw, ih);
  const bars = items.map((i) => ({ id: i.id, label: i.label, value: i.value, x: 0, y: y(i.id) ?? 0, width: Math.max(0, x(i.value)), height: y.bandwidth() }));
  return { margin, iw, ih, x, y, bars, labelChars: Math.floor((labelW - 10) / (11 * 0.58)) };
}

export interface BarChartProps {
  items: readonly BarItem[];
  width: number;
  height?: number;
  format: (v: number) => string;
  /** Axis title with its unit: `bytes copied`. */
  axisLabel: string;
  /** Tick format (defaults to `format`). */
  tickFormat?: (v: number) => string;
  colour?: string;
  title?: string;
}

export function BarChart({ items, width, height, format, axisLabel, tickFormat, colour = 'var(--series-1)', title }: BarChartProps) {
  useRenderTiming('bars');
  const h = height ?? barChartHeight(items.length);
  const L = useMemo(() => barLayout(items, width, h), [items, width, h]);
  const { margin: m, iw, ih, x } = L;
  const [hover, setHover] = useState<{ i: number; px: number; py: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const track = (i: number) => (e: MouseEvent) => {
    const r = box.current?.getBoundingClientRect();
    setHover({ i, px: e.clientX - (r?.left ?? 0), py: e.clientY - (r?.top ?? 0) });
  };
  return (
    <div className="chart" style={{ width, height: h }} data-chart="bars" ref={box}>
      <svg width={width} height={h} role="img" aria-label={title ?? axisLabel}>
        <g transform={`translate(${m.left},${m.top})`}>
          <Axis scale={x} orient="bottom" offset={ih} ticks={Math.max(2, Math.floor(iw / 80))} format={tickFormat ?? format} label={axisLabel} grid={ih} />
          {L.bars.map((b, i) => (
            <g key={b.id} transform={`translate(0,${b.y})`} onMouseMove={track(i)} onMouseLeave={() => setHover(null)}>
              <rect className="hit" x={-m.left} width={m.left + iw} height={b.height} fill="transparent" />
              <text className="bar-label" x={-8} y={b.height / 2} dy="0.32em" textAnchor="end">
                <title>{b.label}</title>
                {clip(b.label, L.labelChars)}
              </text>
              <rect className="bar" width={Math.max(b.value > 0 ? 1 : 0, b.width)} height={b.height} style={{ fill: items[i]!.colour ?? colour }} data-value={b.value} />
              <text className="bar-value" x={b.width + 5} y={b.height / 2} dy="0.32em">
                {format(b.value)}
              </text>
            </g>
          ))}
        </g>
      </svg>
      {hover && items[hover.i] && (
        <ChartTooltip x={hover.px} y={hover.py} width={width} height={h}>
          <div className="tip-title">{items[hover.i]!.label}</div>
          <div className="tip-row">
            <span className="tip-label">{axisLabel}</span>
            <span className="tip-value">{format(items[hover.i]!.value)}</span>
          </div>
          {items[hover.i]!.detail && <div className="tip-note muted">{items[hover.i]!.detail}</div>}
        </ChartTooltip>
      )}
    </div>
  );
}
