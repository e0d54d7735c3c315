// A self-contained HTML report for a design review: one file, no script, no external resource (styles, the
// diagram and the charts are inline), readable in any browser and printable. Everything in it comes from the
// design and the recorded runs handed in; nothing is computed here that the studio does not show.

import { getKind } from '../catalog';
import { shortKindLabel } from '../catalog/summary';
import { serializeDesign, type Design } from '../model';
import { lostOf } from '../results/overlay';
import type { FlowSummary, RunSummary } from '../results/summary';
import { formatBytes, formatDuration } from '../util/units';
import { designToSvg, escapeXml } from './svg';

/** A latency CDF of one flow (as the store returns it). */
export interface ReportCdf {
  latencyNs: readonly number[];
  fraction: readonly number[];
}

/** One run in the report. */
export interface ReportRun {
  runId: number;
  summary: RunSummary;
  label?: string | null;
  /** When it was recorded (ISO text), if known. */
  createdAt?: string | null;
  /** Latency CDFs by flow id (flows without one are left out of the chart). */
  cdfs?: Readonly<Record<string, ReportCdf>>;
  /** Said under the run's line when it is not exactly of this design (edited since, another version). */
  note?: string;
}

/** What the report holds. */
export interface ReportInput {
  design: Design;
  /** The run whose results are overlaid and detailed first; further runs are compared against it. */
  runs: readonly ReportRun[];
  /** A line naming the generator and time (kept out of the pure layer's reach: the caller passes it). */
  generated?: string;
}

const PALETTE = ['#2563eb', '#0d9488', '#c026d3', '#ea580c', '#16a34a', '#dc2626', '#7c3aed', '#0891b2', '#ca8a04', '#4b5563'];

const CSS = `
:root { color-scheme: light; --text: #1b2230; --muted: #667085; --border: #e3e6eb; --panel: #f8f9fb; --danger: #d92d20; --ok: #067647; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 32px 28px 64px; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: var(--text); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
.meta { color: var(--muted); margin: 0 0 6px; }
.meta b { color: var(--text); font-weight: 600; }
.figure { border: 1px solid var(--border); border-radius: 10px; padding: 8px; overflow-x: auto; background: #fff; }
.figure svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
th.l, td.l { text-align: left; }
th { font-weight: 600; color: var(--muted); background: var(--panel); }
td.bad { color: var(--danger); font-weight: 600; }
td.good { color: var(--ok); }
.note { color: var(--muted); font-size: 12.5px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 0; font-size: 12.5px; }
.legend span::before { content: ''; display: inline-block; width: 12px; height: 3px; margin-right: 6px; vertical-align: middle; background: var(--c); }
details { margin-top: 10px; }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 12px; overflow: auto; font-size: 12px; max-height: 480px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } .figure, table { break-inside: avoid; } }
`;

const esc = escapeXml;

function int(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toLocaleString('en-US')} %`;
}

/** A table; `textCols` are the columns holding text (left-aligned like the first), the rest are numbers. */
function table(head: readonly string[], rows: readonly (readonly string[])[], classes?: readonly (readonly string[])[], textCols: readonly number[] = []): string {
  const cls = (j: number, extra = ''): string => {
    const c = [textCols.includes(j) ? 'l' : '', extra].filter(Boolean).join(' ');
    return c ? ` class="${c}"` : '';
  };
  const th = head.map((h, j) => `<th${cls(j)}>${esc(h)}</th>`).join('');
  const body = rows.map((r, i) => `<tr>${r.map((c, j) => `<td${cls(j, classes?.[i]?.[j] ?? '')}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function flowRows(s: RunSummary): { rows: string[][]; classes: string[][] } {
  const rows: string[][] = [];
  const classes: string[][] = [];
  for (const f of s.flows) {
    const lost = lostOf(f);
    const l = f.latencyNs;
    const has = f.delivered > 0;
    rows.push([f.name, int(f.sent), int(f.delivered), int(lost), has ? formatDuration(l.mean) : '—', has ? formatDuration(l.p50) : '—', has ? formatDuration(l.p90) : '—', has ? formatDuration(l.p99) : '—', has ? formatDuration(l.max) : '—', String(f.copiesPerMessage), formatBytes(f.bytesCopied)]);
    classes.push(['', '', '', lost > 0 ? 'bad' : '', '', '', '', '', '', '', '']);
  }
  return { rows, classes };
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

/** Latency CDFs of the flows as one SVG chart (step lines, latency on x, fraction delivered on y). */
export function cdfChart(flows: readonly FlowSummary[], cdfs: Readonly<Record<string, ReportCdf>>): string {
  const series = flows.map((f, i) => ({ f, c: cdfs[f.id], color: PALETTE[i % PALETTE.length]! })).filter((x) => x.c && x.c.latencyNs.length > 0);
  if (series.length === 0) return '<p class="note">No latency samples were recorded for this run.</p>';
  const W = 1100;
  const H = 340;
  const L = 64;
  const R = 20;
  const T = 14;
  const B = 40;
  const maxNs = Math.max(...series.map((x) => x.c!.latencyNs[x.c!.latencyNs.length - 1]!));
  const minNs = Math.min(...series.map((x) => x.c!.latencyNs[0]!));
  // Flows orders of magnitude apart: a log axis, so the fast ones are not squeezed against the left edge.
  const logX = minNs > 0 && maxNs / minNs >= 10;
  const xt = logX ? logTicksFor(minNs, maxNs) : ticks(maxNs);
  const xMin = logX ? xt[0]! : 0;
  const xMax = xt[xt.length - 1]! || 1;
  const x = (ns: number): number => L + (logX ? Math.log(Math.max(ns, xMin) / xMin) / Math.log(xMax / xMin) : ns / xMax) * (W - L - R);
  const y = (f: number): number => T + (1 - f) * (H - T - B);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Latency CDF per flow" font-family="system-ui, sans-serif" font-size="11">`];
  for (const v of [0, 0.25, 0.5, 0.75, 0.9, 1]) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e3e6eb"/>`);
    parts.push(`<text x="${L - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#667085">${v * 100}%</text>`);
  }
  for (const v of xt) {
    parts.push(`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#f0f2f5"/>`);
    parts.push(`<text x="${x(v).toFixed(1)}" y="${H - B + 16}" text-anchor="middle" fill="#667085">${esc(formatDuration(v, 3))}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle" fill="#667085">latency (send → delivery)${logX ? ', log scale' : ''}</text>`);
  series.forEach((s, k) => {
    const c = s.c!;
    let d = `M${x(c.latencyNs[0]!).toFixed(1)},${y(0).toFixed(1)}`;
    for (let i = 0; i < c.latencyNs.length; i++) {
      d += ` V${y(c.fraction[i]!).toFixed(1)}`;
      if (i + 1 < c.latencyNs.length) d += ` H${x(c.latencyNs[i + 1]!).toFixed(1)}`;
    }
    // Earlier lines are wider: a line lying on another still shows as its outline.
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${1.8 + 2 * (series.length - 1 - k)}" stroke-linejoin="round"><title>${esc(s.f.name)}</title></path>`);
  });
  parts.push(`<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#cfd4dc"/>`);
  parts.push('</svg>');
  const legend = series.map((s) => `<span style="--c:${s.color}">${esc(s.f.name)}</span>`).join('');
  return `<div class="figure">${parts.join('\n')}</div>\n<div class="legend">${legend}</div>`;
}

/** A kind's short catalog label (`Relay Message`), or its id when unknown. */
function kindLabel(kind: string): string {
  const k = getKind(kind);
  return k ? shortKindLabel(k) : kind;
}

function delta(a: number, b: number, fmt: (v: number) => string): string {
  if (a === b) return fmt(b);
  const rel = a !== 0 ? ` (${b > a ? '+' : ''}${(Math.round(((b - a) / a) * 1000) / 10).toLocaleString('en-US')} %)` : '';
  return `${fmt(b)}${rel}`;
}

/** Per-flow p50/p99 and losses of every run, the first run being the baseline. */
function comparison(runs: readonly ReportRun[]): string {
  const base = runs[0]!;
  const head = ['Flow', ...runs.flatMap((r, i) => (i === 0 ? [`#${r.runId} p50`, `#${r.runId} p99`, `#${r.runId} lost`] : [`#${r.runId} p99`, `#${r.runId} lost`]))];
  const ids = [...new Set(runs.flatMap((r) => r.summary.flows.map((f) => f.id)))];
  const rows: string[][] = [];
  const classes: string[][] = [];
  for (const id of ids) {
    const bf = base.summary.flows.find((f) => f.id === id);
    const name = bf?.name ?? runs.map((r) => r.summary.flows.find((f) => f.id === id)?.name).find(Boolean) ?? id;
    const row = [name];
    const cls = [''];
    runs.forEach((r, i) => {
      const f = r.summary.flows.find((x) => x.id === id);
      if (i === 0) {
        row.push(f && f.delivered > 0 ? formatDuration(f.latencyNs.p50) : '—', f && f.delivered > 0 ? formatDuration(f.latencyNs.p99) : '—', f ? int(lostOf(f)) : '—');
        cls.push('', '', f && lostOf(f) > 0 ? 'bad' : '');
        return;
      }
      if (!f) {
        row.push('—', '—');
        cls.push('', '');
        return;
      }
      const p99 = f.delivered > 0 ? (bf && bf.delivered > 0 ? delta(bf.latencyNs.p99, f.latencyNs.p99, (v) => formatDuration(v)) : formatDuration(f.latencyNs.p99)) : '—';
      const worse = bf !== undefined && bf.delivered > 0 && f.delivered > 0 && f.latencyNs.p99 > bf.latencyNs.p99;
      const better = bf !== undefined && bf.delivered > 0 && f.delivered > 0 && f.latencyNs.p99 < bf.latencyNs.p99;
      row.push(p99, int(lostOf(f)));
      cls.push(worse ? 'bad' : better ? 'good' : '', lostOf(f) > (bf ? lostOf(bf) : 0) ? 'bad' : '');
    });
    rows.push(row);
    classes.push(cls);
  }
  const designs = new Set(runs.map((r) => r.summary.designHash));
  const note = designs.size > 1 ? '<p class="note">These runs are of different designs (or design versions): flows are matched by id.</p>' : '';
  return `${note}${table(head, rows, classes)}`;
}

/** The report as one HTML document. */
export function designReportHtml(input: ReportInput): string {
  const { design, runs } = input;
  const main = runs[0];
  const s = main?.summary;
  const body: string[] = [];
  body.push(`<h1>${esc(design.name)}</h1>`);
  if (design.description) body.push(`<p>${esc(design.description)}</p>`);
  if (main && s) {
    body.push(
      `<p class="meta">Run <b>#${main.runId}</b>${main.label ? ` (${esc(main.label)})` : ''} · seed <b>${s.seed}</b> · <b>${esc(formatDuration(s.simTimeNs))}</b> simulated · ${int(s.events)} events · engine ${esc(s.engineVersion)} · design ${esc(s.designHash.slice(0, 12))}${main.createdAt ? ` · recorded ${esc(main.createdAt)}` : ''}</p>`,
    );
    if (main.note) body.push(`<p class="note">Note: ${esc(main.note)}; results are drawn where ids match.</p>`);
  } else body.push('<p class="meta">No run: the diagram and the design only.</p>');
  if (input.generated) body.push(`<p class="meta">${esc(input.generated)}</p>`);
  body.push('<h2>Diagram</h2>');
  body.push(`<div class="figure">${designToSvg(design, { ...(main ? { run: { runId: main.runId, summary: main.summary, ...(main.note ? { note: main.note } : {}) } } : {}), title: null })}</div>`);
  if (main && s) {
    if (s.design !== design.name) body.push(`<p class="note">The run was recorded from the design “${esc(s.design)}”; its results are drawn where ids match.</p>`);
    const fr = flowRows(s);
    body.push('<h2>Flows</h2>');
    body.push(table(['Flow', 'Sent', 'Delivered', 'Lost', 'Mean', 'p50', 'p90', 'p99', 'Max', 'Copies/msg', 'Bytes copied'], fr.rows, fr.classes));
    body.push('<p class="note">Latency from the sender handing a message to its mechanism to the receiver being able to use it; exact order statistics over every delivered message. Lost = dropped + overwritten + timed out + failed.</p>');
    if (main.cdfs) {
      body.push('<h2>Latency distribution</h2>');
      body.push(cdfChart(s.flows, main.cdfs));
    }
    const names = new Map(design.nodes.map((n) => [n.id, n.name]));
    body.push('<h2>Mechanisms</h2>');
    body.push(
      table(
        ['Mechanism', 'Kind', 'Copies', 'Bytes copied', 'Max depth', 'Drops'],
        s.mechanisms.map((m) => [m.name ?? names.get(m.id) ?? m.id, kindLabel(m.kind), int(m.copies), formatBytes(m.bytesCopied), int(m.maxDepth), int(m.drops)]),
        s.mechanisms.map((m) => ['', '', '', '', '', m.drops > 0 ? 'bad' : '']),
        [1],
      ),
    );
    const sites = s.mechanisms.flatMap((m) => (m.copySites ?? []).map((x) => [m.name ?? names.get(m.id) ?? m.id, x.site, int(x.copies), formatBytes(x.bytesCopied)]));
    if (sites.length > 0) {
      body.push('<h2>Where the copies happen</h2>');
      body.push(table(['Mechanism', 'From → to', 'Copies', 'Bytes copied'], sites, undefined, [0, 1]));
    }
    body.push('<h2>Processes</h2>');
    body.push(
      table(
        ['Process', 'Kernel', 'MPU regions (peak / capacity)', 'Map failures', 'Alignment waste (peak)', 'Restarts'],
        s.processes.map((p) => [p.name, names.get(p.kernel) ?? p.kernel, `${p.mpuRegionsPeak} / ${p.mpuRegionsCapacity}`, int(p.mpuMapFailures), formatBytes(p.alignmentWasteBytes), int(p.restarts)]),
        s.processes.map((p) => ['', '', p.mpuRegionsPeak > p.mpuRegionsCapacity ? 'bad' : '', p.mpuMapFailures > 0 ? 'bad' : '', '', p.restarts > 0 ? 'bad' : '']),
        [1],
      ),
    );
    body.push('<h2>Kernels</h2>');
    body.push(
      table(
        ['Kernel', 'CPU', 'Context switches', 'Syscalls', 'Upcalls dropped'],
        s.kernels.map((k) => [k.name, pct(k.cpuUtilization), int(k.contextSwitches), int(k.syscalls), int(k.upcallsDropped)]),
        s.kernels.map((k) => ['', '', '', '', k.upcallsDropped > 0 ? 'bad' : '']),
      ),
    );
  }
  if (runs.length > 1) {
    body.push('<h2>Comparison</h2>');
    body.push(`<p class="note">Against run #${runs[0]!.runId}; relative changes of p99 in brackets.</p>`);
    body.push(comparison(runs));
  }
  body.push('<h2>Design file</h2>');
  body.push(`<details><summary>${esc(`${design.nodes.length} nodes, ${design.edges.length} connections`)} — the file as saved by the studio</summary><pre>${esc(serializeDesign(design))}</pre></details>`);
  const title = `${design.name}${main ? ` — run #${main.runId}` : ''} · Tock IPC Studio report`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="Tock IPC Studio">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
