/**
 * Shared pieces of the charts: sizes, margins, series colours (CSS variables, so both themes work), and number
 * formats that put ONE unit on an axis ("latency (µs)") instead of a unit on every tick.
 */
import { format as d3format, scaleBand, scaleLinear, type ScaleBand, type ScaleLinear } from 'd3';

/** Outer size of a chart in CSS pixels. */
export interface ChartSize {
  width: number;
  height: number;
}

/** Space around the plot area for axes and labels. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Inner (plot) size for an outer size and margin; never negative. */
export function innerSize(size: ChartSize, m: Margin): { iw: number; ih: number } {
  return { iw: Math.max(10, size.width - m.left - m.right), ih: Math.max(10, size.height - m.top - m.bottom) };
}

/** Number of series colours defined in styles.css (`--series-1` … `--series-10`). */
export const SERIES_COUNT = 10;

/** The colour of series `i` (wraps around): a CSS variable, so light and dark themes each have their own. */
export function seriesColour(i: number): string {
  return `var(--series-${(((i % SERIES_COUNT) + SERIES_COUNT) % SERIES_COUNT) + 1})`;
}

/** A unit for durations on one axis: values are divided by `div` and the axis label says `suffix`. */
export interface TimeUnit {
  suffix: 'ns' | 'µs' | 'ms' | 's';
  div: number;
}

/** The unit that shows `maxNs` with at most three digits before the point. */
export function timeUnitFor(maxNs: number): TimeUnit {
  const a = Math.abs(maxNs);
  if (a >= 1e9) return { suffix: 's', div: 1e9 };
  if (a >= 1e6) return { suffix: 'ms', div: 1e6 };
  if (a >= 1e3) return { suffix: 'µs', div: 1e3 };
  return { suffix: 'ns', div: 1 };
}

const fmtTick = d3format('~g');

/** A tick label for `ns` in `unit` (no unit text: the axis label carries it). */
export function tickInUnit(ns: number, unit: TimeUnit): string {
  const v = ns / unit.div;
  return fmtTick(Number(v.toPrecision(6)));
}

/** A value with its unit, for tooltips: `52.6 µs`. */
export function withUnit(ns: number, unit: TimeUnit, digits = 4): string {
  return `${Number((ns / unit.div).toPrecision(digits))} ${unit.suffix}`;
}

const fmtInt = d3format(',');
const fmtSi = d3format('.3~s');

/** 1,234,567 */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? fmtInt(n) : d3format(',.3~f')(n);
}

/** 1.23M, 456k, 12 */
export function formatShort(n: number): string {
  if (Math.abs(n) < 1000) return formatCount(Number(n.toPrecision(4)));
  return fmtSi(n);
}

/** 0.4231 → 42.3 % */
export function formatPercent(x: number, digits = 3): string {
  return `${Number((x * 100).toPrecision(digits))} %`;
}

/** Min and max over arrays that may hold nulls; `undefined` when there is no number at all. */
export function extentOf(...arrays: readonly (readonly (number | null | undefined)[])[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (const v of a) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** Cuts a label to `max` characters with an ellipsis (the full text goes in a `<title>`). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Rough width of `text` at `fontPx` (SVG text is not measured: happy-dom and export need no layout). */
export function textWidth(text: string, fontPx = 11): number {
  return text.length * fontPx * 0.58;
}

/** A tick label for a count: `800`, `12,000`, `500k`, `1.2M` (short above five digits, so axes stay narrow). */
export function countTick(v: number): string {
  if (!Number.isInteger(v)) return Number(v.toPrecision(3)).toString();
  return Math.abs(v) >= 100_000 ? formatShort(v) : formatCount(v);
}

/** Scales of a horizontal bar chart: values 0…max (niced) across, one band per id down. */
export function horizontalBarScales(ids: readonly string[], max: number, iw: number, ih: number): { x: ScaleLinear<number, number>; y: ScaleBand<string> } {
  const x = scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice()
    .range([0, iw]);
  const y = scaleBand<string>().domain(ids).range([0, ih]).paddingInner(0.25).paddingOuter(0.15);
  return { x, y };
}
