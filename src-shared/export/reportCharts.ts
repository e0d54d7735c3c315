// The HTML report's small charts, as inline SVG (no script, no external resource): horizontal bars for what a run
// summary carries per process, kernel and mechanism, and step-line latency CDFs (one run's flows, or one flow
// across compared runs). Every number drawn is one handed in; nothing is estimated here.

import { formatDuration } from '../util/units';
import { escapeXml as esc, fitText } from './svg';

/** Series colours, shared with the report's legends. */
export const PALETTE = ['#2563eb', '#0d9488', '#c026d3', '#ea580c', '#16a34a', '#dc2626', '#7c3aed', '#0891b2', '#ca8a04', '#4b5563'];

const MUTED = '#667085';
const GRID = '#e3e6eb';
const TRACK = '#eef1f5';
const BAR = '#2563eb';
const DANGER = '#d92d20';

/** One bar: `value` drawn against a shared scale; `track` (a capacity) drawn behind it when given. */
export interface Bar {
  label: string;
  value: number;
  /** A capacity the value is held against (drawn as a light track; a value past it is drawn red). */
  track?: number;
  /** The number as printed at the bar's end. */
  text: string;
  /** Drawn red (over capacity, failures, drops). */
  bad?: boolean;
}

/** Options of `barChart`. */
export interface BarChartOptions {
  /** The chart's title (also its accessible name). */
  title: string;
  /** The top of the scale; default the largest value or track. */
  max?: number;
  /** Width of the SVG in px (default 540). */
  width?: number;
}

/** A horizontal bar chart as a `.figure` block with a caption; empty when there are no bars. */
export function barChart(bars: readonly Bar[], opts: BarChartOptions): string {
  if (bars.length === 0) return '';
  const W = opts.width ?? 540;
  const rowH = 22;
  const T = 6;
  const B = 6;
  const labelW = 150;
  const textW = 96;
  const L = labelW + 10;
  const R = textW + 8;
  const max = opts.max ?? Math.max(...bars.map((b) => Math.max(b.value, b.track ?? 0)));
  const scale = max > 0 ? max : 1;
  const x = (v: number): number => L + (Math.max(0, Math.min(v, scale)) / scale) * (W - L - R);
  const H = T + bars.length * rowH + B;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title)}" font-family="system-ui, sans-serif" font-size="11">`];
  parts.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#cfd4dc"/>`);
  bars.forEach((b, i) => {
    const y = T + i * rowH;
    const cy = y + rowH / 2;
    parts.push(`<text x="${labelW}" y="${(cy + 4).toFixed(1)}" text-anchor="end" fill="#1b2230">${esc(fitText(b.label, labelW - 4, 11))}<title>${esc(b.label)}</title></text>`);
    if (b.track !== undefined) parts.push(`<rect x="${L}" y="${y + 5}" width="${(x(b.track) - L).toFixed(1)}" height="${rowH - 10}" rx="2" fill="${TRACK}" stroke="${GRID}"/>`);
    const w = x(b.value) - L;
    if (w > 0) parts.push(`<rect x="${L}" y="${y + 5}" width="${Math.max(w, 1).toFixed(1)}" height="${rowH - 10}" rx="2" fill="${b.bad ? DANGER : BAR}"><title>${esc(`${b.label}: ${b.text}`)}</title></rect>`);
    const tx = Math.max(x(b.value), b.track !== undefined ? x(b.track) : 0) + 6;
    parts.push(`<text x="${tx.toFixed(1)}" y="${(cy + 4).toFixed(1)}" fill="${b.bad ? DANGER : MUTED}"${b.bad ? ' font-weight="600"' : ''}>${esc(b.text)}</text>`);
  });
  parts.push('</svg>');
  return `<figure class="chart"><figcaption>${esc(opts.title)}</figcaption><div class="figure">${parts.join('\n')}</div></figure>`;
}

/** A CDF series: one step line. */
export interface CdfSeries {
  name: string;
  color: string;
  latencyNs: readonly number[];
  fraction: readonly number[];
}

/** Round numbers for an axis from 0 to at least `max`. */
function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(v);
  if (out[out.length - 1]! < max) out.push(out[out.length - 1]! + step);
  return out;
}

/** 1, 2, 5 × powers of ten covering [lo, hi] (a log axis): from the last at or below `lo` to the first at or above `hi`. */
function logTicksFor(lo: number, hi: number): number[] {
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) all.push(m * 10 ** e);
  let first = 0;
  while (first + 1 < all.length && all[first + 1]! <= lo) first++;
  const last = all.findIndex((v) => v >= hi);
  return all.slice(first, last < 0 ? all.length : last + 1);
}

/** Step-line CDFs as one SVG (latency on x, fraction delivered on y); series must be non-empty. */
export function cdfSvg(series: readonly CdfSeries[], opts: { label: string; width: number; height: number }): string {
  const W = opts.width;
  const H = opts.height;
  const L = 64;
  const R = 20;
  const T = 14;
  const B = 40;
  const maxNs = Math.max(...series.map((c) => c.latencyNs[c.latencyNs.length - 1]!));
  const minNs = Math.min(...series.map((c) => c.latencyNs[0]!));
  // Series orders of magnitude apart: a log axis, so the fast ones are not squeezed against the left edge.
  const logX = minNs > 0 && maxNs / minNs >= 10;
  let xt = logX ? logTicksFor(minNs, maxNs) : ticks(maxNs, W < 700 ? 4 : 5);
  const xMin = logX ? xt[0]! : 0;
  const xMax = xt[xt.length - 1]! || 1;
  // Narrow charts: keep every other log tick so the labels do not collide.
  if (logX && W < 700 && xt.length > 7) xt = xt.filter((_, i) => i % 2 === 0 || i === xt.length - 1);
  const x = (ns: number): number => L + (logX ? Math.log(Math.max(ns, xMin) / xMin) / Math.log(xMax / xMin) : ns / xMax) * (W - L - R);
  const y = (f: number): number => T + (1 - f) * (H - T - B);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.label)}" font-family="system-ui, sans-serif" font-size="11">`];
  for (const v of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${GRID}"/>`);
    parts.push(`<text x="${L - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="${MUTED}">${v * 100}%</text>`);
  }
  for (const v of xt) {
    parts.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#f0f2f5"/>`);
    parts.push(`<text x="${x(v).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" fill="${MUTED}">${esc(formatDuration(v, 3))}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" fill="${MUTED}">latency (send → delivery)${logX ? ', log scale' : ''}</text>`);
  series.forEach((c, k) => {
    let d = `M${x(c.latencyNs[0]!).toFixed(1)},${y(0).toFixed(1)}`;
    for (let i = 0; i < c.latencyNs.length; i++) {
      d += ` V${y(c.fraction[i]!).toFixed(1)}`;
      if (i + 1 < c.latencyNs.length) d += ` H${x(c.latencyNs[i + 1]!).toFixed(1)}`;
    }
    // Earlier lines are wider: a line lying on another still shows as its outline.
    parts.push(`<path d="${d}" fill="none" stroke="${c.color}" stroke-width="${1.8 + 2 * (series.length - 1 - k)}" stroke-linejoin="round"><title>${esc(c.name)}</title></path>`);
  });
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#cfd4dc"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** A legend line for series. */
export function legend(items: readonly { name: string; color: string }[]): string {
  return `<div class="legend">${items.map((s) => `<span style="--c:${s.color}">${esc(s.name)}</span>`).join('')}</div>`;
}
