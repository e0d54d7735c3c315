// A self-contained HTML report for a design review: one file, no script, no external resource (styles, the
// diagram and the charts are inline), readable in any browser and printable. Everything in it comes from the
// design and the recorded runs handed in; nothing is computed here that the studio does not show.

import { getKind } from '../catalog';
import { shortKindLabel } from '../catalog/summary';
import { serializeDesign, type Design } from '../model';
import { diffDesigns, splitRunSettings } from '../model/diff';
import { DISCARDED_MEANS, MECHANISM_LOST_MEANS, lostOf, mechanismLoss } from '../results/overlay';
import type { FlowSummary, RunSummary } from '../results/summary';
import { formatBytes, formatDuration } from '../util/units';
import { barChart, cdfSvg, legend, PALETTE } from './reportCharts';
import { runWarmupNs, warmupClause } from './runSpan';
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
  /** The design the run was recorded from (its snapshot): with two of them the comparison lists what changed. */
  design?: Design;
  /**
   * The run's warm-up (its record's `settings.warmupNs`). Without it, the snapshot's, else the exported design's when
   * the run is of it (`runWarmupNs`); the report says what span the figures cover wherever it states the run's.
   */
  warmupNs?: number;
}

/** What the report holds. */
export interface ReportInput {
  design: Design;
  /**
   * The run whose results are overlaid and detailed comes first; with further runs, the report compares them all,
   * oldest first (the lowest run id is the baseline, unless `baselineRunId` names another), whichever run is detailed.
   */
  runs: readonly ReportRun[];
  /** The run the comparison is against, when one was made the baseline by hand (in Compare); else the oldest. */
  baselineRunId?: number | null;
  /** A line naming the generator and time (kept out of the pure layer's reach: the caller passes it). */
  generated?: string;
}

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
h3 { font-size: 14px; margin: 22px 0 8px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px 16px; margin: 12px 0 0; }
figure.chart { margin: 0; }
figure.chart figcaption { color: var(--muted); font-size: 12.5px; margin: 0 0 4px; }
@media print { body { padding: 0; } h2, h3 { break-after: avoid; } .figure, table, figure.chart { break-inside: avoid; } .charts { grid-template-columns: 1fr 1fr; } }
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

/** Messages of `f` delivered cut short (to the mechanism's or the receiver's largest message). */
const cutOf = (f: FlowSummary): number => f.truncated ?? 0;

/** The flows table: a Cut column, after Delivered (which counts them), only when some flow cut messages short. */
function flowRows(s: RunSummary): { head: string[]; rows: string[][]; classes: string[][] } {
  const anyCut = s.flows.some((f) => cutOf(f) > 0);
  const rows: string[][] = [];
  const classes: string[][] = [];
  for (const f of s.flows) {
    const lost = lostOf(f);
    const l = f.latencyNs;
    const has = f.delivered > 0;
    const cut = anyCut ? [int(cutOf(f))] : [];
    rows.push([f.name, int(f.sent), int(f.delivered), ...cut, int(lost), has ? formatDuration(l.mean) : '—', has ? formatDuration(l.p50) : '—', has ? formatDuration(l.p90) : '—', has ? formatDuration(l.p99) : '—', has ? formatDuration(l.max) : '—', String(f.copiesPerMessage), formatBytes(f.bytesCopied)]);
    classes.push(['', '', '', ...(anyCut ? [cutOf(f) > 0 ? 'bad' : ''] : []), lost > 0 ? 'bad' : '', '', '', '', '', '', '', '']);
  }
  return { head: ['Flow', 'Sent', 'Delivered', ...(anyCut ? ['Cut'] : []), 'Lost', 'Mean', 'p50', 'p90', 'p99', 'Max', 'Copies/msg', 'Bytes copied'], rows, classes };
}

/** Latency CDFs of the flows as one SVG chart (step lines, latency on x, fraction delivered on y). */
export function cdfChart(flows: readonly FlowSummary[], cdfs: Readonly<Record<string, ReportCdf>>): string {
  const series = flows
    .map((f, i) => ({ f, c: cdfs[f.id], color: PALETTE[i % PALETTE.length]! }))
    .filter((x) => x.c && x.c.latencyNs.length > 0)
    .map((x) => ({ name: x.f.name, color: x.color, latencyNs: x.c!.latencyNs, fraction: x.c!.fraction }));
  if (series.length === 0) return '<p class="note">No latency samples were recorded for this run.</p>';
  return `<div class="figure">${cdfSvg(series, { label: 'Latency CDF per flow', width: 1100, height: 340 })}</div>\n${legend(series)}`;
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

/**
 * The compared runs in reading order: the baseline first — `baselineRunId` when it is one of them, else the oldest —
 * then the others oldest first (run ids grow with time), as the studio's Compare orders them.
 */
export function comparisonOrder(runs: readonly ReportRun[], baselineRunId: number | null = null): ReportRun[] {
  const sorted = [...runs].sort((a, b) => a.runId - b.runId);
  const i = baselineRunId === null ? -1 : sorted.findIndex((r) => r.runId === baselineRunId);
  return i <= 0 ? sorted : [sorted[i]!, ...sorted.slice(0, i), ...sorted.slice(i + 1)];
}

function runName(r: ReportRun): string {
  return `#${r.runId}${r.label ? ` ${r.label}` : ''}`;
}

/** A run's warm-up as a table cell: `3.5 s`, `none`, or `?` when the export does not know it. */
function warmupCell(w: number | null): string {
  return w === null ? '?' : w > 0 ? formatDuration(w) : 'none';
}

/** The runs compared, one line each (the baseline first); with a warm-up in any, what each counted from. */
function runsTable(ordered: readonly ReportRun[], warmups: ReadonlyMap<number, number | null>): string {
  const warm = ordered.map((r) => warmups.get(r.runId) ?? null);
  const withWarmup = warm.some((w) => w !== null && w > 0);
  return table(
    ['Run', 'Label', 'Seed', 'Simulated', ...(withWarmup ? ['Warm-up (not counted)'] : []), 'Events', 'Engine', 'Design', 'Recorded'],
    ordered.map((r, i) => [`#${r.runId}${i === 0 ? ' (baseline)' : ''}`, r.label ?? '', String(r.summary.seed), formatDuration(r.summary.simTimeNs), ...(withWarmup ? [warmupCell(warm[i]!)] : []), int(r.summary.events), r.summary.engineVersion, r.summary.designHash.slice(0, 12), r.createdAt ?? '']),
    undefined,
    withWarmup ? [1, 6, 7, 8] : [1, 5, 6, 7],
  );
}

/** Per-flow p50, p99 and losses of every run (each run the same three columns), the first run being the baseline. */
function comparison(runs: readonly ReportRun[]): string {
  const base = runs[0]!;
  // As in the studio's Compare: a cut column per run only when some run cut messages short.
  const anyCut = runs.some((r) => r.summary.flows.some((f) => cutOf(f) > 0));
  const head = ['Flow', ...runs.flatMap((r) => [...(anyCut ? [`#${r.runId} cut`] : []), `#${r.runId} p50`, `#${r.runId} p99`, `#${r.runId} lost`])];
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
      if (anyCut) {
        row.push(f ? int(cutOf(f)) : '—');
        cls.push(f && cutOf(f) > (i > 0 && bf ? cutOf(bf) : 0) ? 'bad' : '');
      }
      if (i === 0) {
        row.push(f && f.delivered > 0 ? formatDuration(f.latencyNs.p50) : '—', f && f.delivered > 0 ? formatDuration(f.latencyNs.p99) : '—', f ? int(lostOf(f)) : '—');
        cls.push('', '', f && lostOf(f) > 0 ? 'bad' : '');
        return;
      }
      if (!f) {
        row.push('—', '—', '—');
        cls.push('', '', '');
        return;
      }
      // A percentile against the baseline's: its value, the relative change, worse (higher) or better (lower).
      for (const q of ['p50', 'p99'] as const) {
        const both = bf !== undefined && bf.delivered > 0 && f.delivered > 0;
        row.push(f.delivered > 0 ? (both ? delta(bf.latencyNs[q], f.latencyNs[q], (v) => formatDuration(v)) : formatDuration(f.latencyNs[q])) : '—');
        cls.push(both && f.latencyNs[q] > bf.latencyNs[q] ? 'bad' : both && f.latencyNs[q] < bf.latencyNs[q] ? 'good' : '');
      }
      row.push(int(lostOf(f)));
      cls.push(lostOf(f) > (bf ? lostOf(bf) : 0) ? 'bad' : '');
    });
    rows.push(row);
    classes.push(cls);
  }
  const designs = new Set(runs.map((r) => r.summary.designHash));
  const note = designs.size > 1 ? '<p class="note">These runs are of different designs (or design versions): flows are matched by id.</p>' : '';
  return `${note}${table(head, rows, classes)}`;
}

/**
 * Processes, mechanisms and kernels across runs: MPU peak, copies, max depth, drops and CPU of each run, with the
 * change against the baseline (higher is worse for all of them).
 */
function resourceComparison(runs: readonly ReportRun[]): string {
  type Metric = { what: string; key: string; of: (s: RunSummary) => { name: string; v: number } | undefined; fmt: (v: number) => string };
  const metrics: Metric[] = [];
  const union = <T extends { id: string }>(pick: (s: RunSummary) => readonly T[]): string[] => [...new Set(runs.flatMap((r) => pick(r.summary).map((x) => x.id)))];
  for (const id of union((s) => s.processes)) {
    const find = (s: RunSummary) => s.processes.find((p) => p.id === id);
    metrics.push({ what: 'MPU regions (peak)', key: `p:${id}`, of: (s) => find(s) && { name: find(s)!.name, v: find(s)!.mpuRegionsPeak }, fmt: (v) => String(v) });
  }
  for (const id of union((s) => s.mechanisms)) {
    const find = (s: RunSummary) => s.mechanisms.find((m) => m.id === id);
    const nm = (s: RunSummary): string => find(s)!.name ?? id;
    metrics.push({ what: 'Copies', key: `mc:${id}`, of: (s) => find(s) && { name: nm(s), v: find(s)!.copies }, fmt: int });
    metrics.push({ what: 'Max depth', key: `md:${id}`, of: (s) => find(s) && { name: nm(s), v: find(s)!.maxDepth }, fmt: int });
    metrics.push({ what: 'Lost', key: `mx:${id}`, of: (s) => find(s) && { name: nm(s), v: mechanismLoss(s, find(s)!).lost }, fmt: int });
    metrics.push({ what: 'Discarded', key: `mk:${id}`, of: (s) => find(s) && { name: nm(s), v: find(s)!.drops }, fmt: int });
  }
  for (const id of union((s) => s.kernels)) {
    const find = (s: RunSummary) => s.kernels.find((k) => k.id === id);
    metrics.push({ what: 'CPU', key: `k:${id}`, of: (s) => find(s) && { name: find(s)!.name, v: find(s)!.cpuUtilization }, fmt: pct });
  }
  const rows: string[][] = [];
  const classes: string[][] = [];
  let same = 0;
  for (const m of metrics) {
    const vals = runs.map((r) => m.of(r.summary));
    const name = vals.find(Boolean)?.name ?? m.key;
    // A value equal in every run says nothing about the difference: counted, not listed.
    if (vals.every((v) => v && v.v === vals[0]!.v)) {
      same++;
      continue;
    }
    const b = vals[0];
    rows.push([name, m.what, ...vals.map((v, i) => (!v ? '—' : i === 0 || !b ? m.fmt(v.v) : delta(b.v, v.v, m.fmt)))]);
    classes.push(['', '', ...vals.map((v, i) => (i > 0 && v && b && v.v > b.v ? 'bad' : i > 0 && v && b && v.v < b.v ? 'good' : ''))]);
  }
  if (rows.length === 0) return same > 0 ? '<p class="note">MPU regions at peak, copies, max depth, messages lost and discarded, and CPU: the same in every run.</p>' : '';
  const unchanged = same > 0 ? `\n<p class="note">Left out: ${same} value${same === 1 ? '' : 's'} the same in every run.</p>` : '';
  return `${table(['Element', 'Metric', ...runs.map((r, i) => `#${r.runId}${i === 0 ? ' (baseline)' : ''}`)], rows, classes, [1])}${unchanged}`;
}

/** Each flow's latency CDF overlaid across the runs that carry its samples (one small chart per flow). */
function comparisonCdfs(runs: readonly ReportRun[]): string {
  const colors = new Map(runs.map((r, i) => [r.runId, PALETTE[i % PALETTE.length]!]));
  const ids = [...new Set(runs.flatMap((r) => r.summary.flows.map((f) => f.id)))];
  const figures: string[] = [];
  for (const id of ids) {
    const series = runs
      .map((r) => ({ r, c: r.cdfs?.[id] }))
      .filter((x) => x.c && x.c.latencyNs.length > 0)
      .map((x) => ({ name: runName(x.r), color: colors.get(x.r.runId)!, latencyNs: x.c!.latencyNs, fraction: x.c!.fraction }));
    if (series.length < 2) continue;
    const name = runs.map((r) => r.summary.flows.find((f) => f.id === id)?.name).find(Boolean) ?? id;
    figures.push(`<figure class="chart"><figcaption>${esc(name)}</figcaption><div class="figure">${cdfSvg(series, { label: `Latency CDF of ${name} per run`, width: 540, height: 250 })}</div></figure>`);
  }
  const withSamples = runs.filter((r) => r.cdfs && Object.values(r.cdfs).some((c) => c.latencyNs.length > 0));
  if (figures.length === 0) {
    if (withSamples.length >= 2) return '<p class="note">No flow has latency samples in more than one of these runs.</p>';
    return `<p class="note">Latency distributions are included for ${withSamples.length === 1 ? `run #${withSamples[0]!.runId} only` : 'none of these runs'}, so they are not overlaid; the percentiles above are exact.</p>`;
  }
  return `<div class="charts">${figures.join('\n')}</div>\n${legend(runs.map((r, i) => ({ name: `${runName(r)}${i === 0 ? ' (baseline)' : ''}`, color: colors.get(r.runId)! })))}`;
}

/** A parameter or field value as a person reads it (durations and sizes with units). */
function diffValue(key: string, v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'number') {
    if (/Ns$/.test(key)) return formatDuration(v);
    if (/Bytes$/.test(key)) return formatBytes(v);
    return v.toLocaleString('en-US');
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** At most this many design changes are listed per pair of runs. */
const MAX_DIFF_ROWS = 60;

/** What changed in the design from one run to another, as table rows. */
function diffRows(a: Design, b: Design): string[][] {
  // The run settings (seed, duration, warm-up) are said once, in the line's "Run settings", not as design changes.
  const d = splitRunSettings(diffDesigns(a, b)).model;
  const names = new Map([...a.nodes, ...b.nodes].map((n) => [n.id, n.name]));
  const node = (n: { kind: string; name: string }): string => `${kindLabel(n.kind)} “${n.name}”`;
  const edge = (e: { source: string; target: string }): string => `connection ${names.get(e.source) ?? e.source} → ${names.get(e.target) ?? e.target}`;
  const rows: string[][] = [];
  for (const f of d.design) rows.push(['changed', 'design', f.path, diffValue(f.path, f.before), diffValue(f.path, f.after)]);
  for (const n of d.nodes.removed) rows.push(['removed', node(n), '', '', '']);
  for (const n of d.nodes.added) rows.push(['added', node(n), '', '', '']);
  for (const n of d.nodes.changed) {
    for (const f of n.fields) rows.push(['changed', node(n), f.path, diffValue(f.path, f.before), diffValue(f.path, f.after)]);
    const defs = getKind(n.kind)?.params ?? [];
    for (const p of n.params) rows.push([p.change, node(n), defs.find((x) => x.key === p.key)?.label ?? p.key, diffValue(p.key, p.before), diffValue(p.key, p.after)]);
  }
  for (const e of d.edges.removed) rows.push(['removed', edge(e), '', '', '']);
  for (const e of d.edges.added) rows.push(['added', edge(e), '', '', '']);
  for (const e of d.edges.changed) {
    for (const f of e.fields) rows.push(['changed', edge(e), f.path, diffValue(f.path, f.before), diffValue(f.path, f.after)]);
    for (const p of e.params) rows.push([p.change, edge(e), p.key, diffValue(p.key, p.before), diffValue(p.key, p.after)]);
  }
  return rows;
}

/** "What changed" from the baseline to each further run: the design (when both designs are at hand) and the run settings. */
function designChanges(runs: readonly ReportRun[], warmups: ReadonlyMap<number, number | null>): string {
  const base = runs[0]!;
  const out: string[] = [];
  for (const r of runs.slice(1)) {
    const settings: string[] = [];
    if (r.summary.seed !== base.summary.seed) settings.push(`seed ${base.summary.seed} → ${r.summary.seed}`);
    if (r.summary.simTimeNs !== base.summary.simTimeNs) settings.push(`${formatDuration(base.summary.simTimeNs)} → ${formatDuration(r.summary.simTimeNs)} simulated`);
    const [wa, wb] = [warmups.get(base.runId) ?? null, warmups.get(r.runId) ?? null];
    if (wa !== null && wb !== null && wa !== wb) settings.push(`warm-up ${warmupCell(wa)} → ${warmupCell(wb)}`);
    if (r.summary.engineVersion !== base.summary.engineVersion) settings.push(`engine ${base.summary.engineVersion} → ${r.summary.engineVersion}`);
    const run = settings.length > 0 ? ` Run settings: ${settings.join(' · ')}.` : '';
    const pair = `<b>#${base.runId} → #${r.runId}</b>`;
    const sameHash = r.summary.designHash === base.summary.designHash;
    if (base.design && r.design) {
      const rows = diffRows(base.design, r.design);
      if (rows.length === 0) {
        out.push(`<p>${pair}: the same design (${esc(base.summary.designHash.slice(0, 12))}).${esc(run)}</p>`);
        continue;
      }
      out.push(`<p>${pair}: ${rows.length} change${rows.length === 1 ? '' : 's'} in the design.${esc(run)}</p>`);
      out.push(table(['Change', 'Element', 'Field', 'Before', 'After'], rows.slice(0, MAX_DIFF_ROWS), rows.slice(0, MAX_DIFF_ROWS).map((x) => [x[0] === 'removed' ? 'bad' : x[0] === 'added' ? 'good' : '', '', '', '', '']), [0, 1, 2, 3, 4]));
      if (rows.length > MAX_DIFF_ROWS) out.push(`<p class="note">…and ${rows.length - MAX_DIFF_ROWS} more changes.</p>`);
    } else if (sameHash) out.push(`<p>${pair}: the same design (${esc(base.summary.designHash.slice(0, 12))}).${esc(run)}</p>`);
    else out.push(`<p>${pair}: the design differs (${esc(base.summary.designHash.slice(0, 12))} → ${esc(r.summary.designHash.slice(0, 12))}); the two designs are not part of this export, so the changes are not listed.${esc(run)}</p>`);
  }
  return out.join('\n');
}

/** Charts beside the mechanisms table: copies and max queue depth per mechanism (messages lost, when any were). */
function mechanismCharts(s: RunSummary, names: ReadonlyMap<string, string>): string {
  const name = (m: RunSummary['mechanisms'][number]): string => m.name ?? names.get(m.id) ?? m.id;
  const lost = new Map(s.mechanisms.map((m) => [m.id, mechanismLoss(s, m).lost]));
  const charts = [
    barChart(s.mechanisms.map((m) => ({ label: name(m), value: m.copies, text: `${int(m.copies)} · ${formatBytes(m.bytesCopied)}` })), { title: 'Copies per mechanism (count · bytes)' }),
    barChart(s.mechanisms.map((m) => ({ label: name(m), value: m.maxDepth, text: int(m.maxDepth), bad: lost.get(m.id)! > 0 })), { title: 'Max queue depth per mechanism (red: it lost messages)' }),
  ];
  if (s.mechanisms.some((m) => lost.get(m.id)! > 0)) charts.push(barChart(s.mechanisms.map((m) => ({ label: name(m), value: lost.get(m.id)!, text: int(lost.get(m.id)!), bad: lost.get(m.id)! > 0 })), { title: 'Messages lost per mechanism (dropped, overwritten, timed out or failed)' }));
  return charts.some(Boolean) ? `<div class="charts">${charts.join('\n')}</div>` : '';
}

/** Charts beside the processes table: MPU regions at peak against the capacity (alignment waste when there is some). */
function processCharts(s: RunSummary): string {
  const charts = [
    barChart(
      s.processes.map((p) => ({ label: p.name, value: p.mpuRegionsPeak, track: p.mpuRegionsCapacity, text: `${p.mpuRegionsPeak} / ${p.mpuRegionsCapacity}${p.mpuMapFailures > 0 ? ` · ${int(p.mpuMapFailures)} failed` : ''}`, bad: p.mpuRegionsPeak > p.mpuRegionsCapacity || p.mpuMapFailures > 0 })),
      { title: 'MPU regions per process (peak / capacity)' },
    ),
  ];
  if (s.processes.some((p) => p.alignmentWasteBytes > 0)) charts.push(barChart(s.processes.map((p) => ({ label: p.name, value: p.alignmentWasteBytes, text: formatBytes(p.alignmentWasteBytes) })), { title: 'Alignment waste per process (peak)' }));
  return charts.some(Boolean) ? `<div class="charts">${charts.join('\n')}</div>` : '';
}

/** Charts beside the kernels table: CPU utilisation per kernel (0–100 %). */
function kernelCharts(s: RunSummary): string {
  const c = barChart(s.kernels.map((k) => ({ label: k.name, value: k.cpuUtilization, track: 1, text: pct(k.cpuUtilization) })), { title: 'CPU utilisation per kernel', max: 1 });
  return c ? `<div class="charts">${c}</div>` : '';
}

/** The report as one HTML document. */
export function designReportHtml(input: ReportInput): string {
  const { design, runs } = input;
  const main = runs[0];
  const s = main?.summary;
  const body: string[] = [];
  body.push(`<h1>${esc(design.name)}</h1>`);
  if (design.description) body.push(`<p>${esc(design.description)}</p>`);
  const warmupNs = main ? runWarmupNs(main, design) : null;
  const counted = s && warmupNs !== null && warmupNs > 0;
  if (main && s) {
    const clause = warmupClause(s.simTimeNs, warmupNs);
    body.push(
      `<p class="meta">Run <b>#${main.runId}</b>${main.label ? ` (${esc(main.label)})` : ''} · seed <b>${s.seed}</b> · <b>${esc(formatDuration(s.simTimeNs))}</b> simulated${clause ? `, ${esc(clause)}` : ''} · ${int(s.events)} events · engine ${esc(s.engineVersion)} · design ${esc(s.designHash.slice(0, 12))}${main.createdAt ? ` · recorded ${esc(main.createdAt)}` : ''}</p>`,
    );
    if (counted)
      body.push(
        `<p class="note">Every figure in this report, the diagram’s included, covers the run after its ${esc(formatDuration(warmupNs))} warm-up: the messages sent from ${esc(formatDuration(warmupNs))} on (counts, losses, latencies), and copies, peaks (queue depth, MPU regions) and CPU load from then on.</p>`,
      );
    if (main.note) body.push(`<p class="note">Note: ${esc(main.note)}; results are drawn where ids match.</p>`);
  } else body.push('<p class="meta">No run: the diagram and the design only.</p>');
  if (input.generated) body.push(`<p class="meta">${esc(input.generated)}</p>`);
  body.push('<h2>Diagram</h2>');
  body.push(`<div class="figure">${designToSvg(design, { ...(main ? { run: { runId: main.runId, summary: main.summary, ...(main.note ? { note: main.note } : {}), ...(warmupNs !== null ? { warmupNs } : {}) } } : {}), title: null })}</div>`);
  if (main && s) {
    if (s.design !== design.name) body.push(`<p class="note">The run was recorded from the design “${esc(s.design)}”; its results are drawn where ids match.</p>`);
    const fr = flowRows(s);
    body.push('<h2>Flows</h2>');
    body.push(table(fr.head, fr.rows, fr.classes));
    body.push(`<p class="note">Latency from the sender handing a message to its mechanism to the receiver being able to use it; exact order statistics over every delivered message${counted ? ` sent after the warm-up (from ${esc(formatDuration(warmupNs))})` : ''}. Lost = dropped + overwritten + timed out + failed.${fr.head.includes('Cut') ? ' Cut = delivered, but truncated to the mechanism’s or the receiver’s largest message (counted in Delivered; their latency is of the shortened message).' : ''}</p>`);
    if (main.cdfs) {
      body.push('<h2>Latency distribution</h2>');
      body.push(cdfChart(s.flows, main.cdfs));
    }
    const names = new Map(design.nodes.map((n) => [n.id, n.name]));
    body.push('<h2>Mechanisms</h2>');
    body.push(
      table(
        ['Mechanism', 'Kind', 'Copies', 'Bytes copied', 'Max depth', 'Lost', 'Discarded'],
        s.mechanisms.map((m) => {
          const l = mechanismLoss(s, m);
          return [m.name ?? names.get(m.id) ?? m.id, kindLabel(m.kind), int(m.copies), formatBytes(m.bytesCopied), int(m.maxDepth), int(l.lost), int(l.discarded)];
        }),
        s.mechanisms.map((m) => ['', '', '', '', '', mechanismLoss(s, m).lost > 0 ? 'bad' : '', '']),
        [1],
      ),
    );
    body.push(`<p class="note">Lost: ${esc(MECHANISM_LOST_MEANS)}. Discarded: ${esc(DISCARDED_MEANS)}.</p>`);
    body.push(mechanismCharts(s, names));
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
    body.push(processCharts(s));
    body.push('<h2>Kernels</h2>');
    body.push(
      table(
        ['Kernel', 'CPU', 'Context switches', 'Syscalls', 'Upcalls dropped'],
        s.kernels.map((k) => [k.name, pct(k.cpuUtilization), int(k.contextSwitches), int(k.syscalls), int(k.upcallsDropped)]),
        s.kernels.map((k) => ['', '', '', '', k.upcallsDropped > 0 ? 'bad' : '']),
      ),
    );
    body.push(kernelCharts(s));
  }
  if (runs.length > 1) {
    const ordered = comparisonOrder(runs, input.baselineRunId ?? null);
    const byHand = ordered[0]!.runId !== Math.min(...runs.map((r) => r.runId));
    body.push('<h2>Comparison</h2>');
    body.push(
      byHand
        ? `<p class="note">Against run #${ordered[0]!.runId} (made the baseline in Compare), the others oldest first; relative changes in brackets.</p>`
        : `<p class="note">Oldest first: against run #${ordered[0]!.runId} (the baseline), so changes read old → new; relative changes in brackets.</p>`,
    );
    // Each run's warm-up: its own, or its snapshot's; the exported design's only for the run drawn (the callers note
    // that one when it is not of the design; compared runs carry their snapshots).
    const warmups = new Map(runs.map((r) => [r.runId, runWarmupNs(r, r === main ? design : undefined)]));
    body.push(runsTable(ordered, warmups));
    body.push('<h3>Latency per flow</h3>');
    body.push(comparison(ordered));
    body.push(comparisonCdfs(ordered));
    const res = resourceComparison(ordered);
    if (res) body.push('<h3>Processes, mechanisms and kernels</h3>', res);
    body.push('<h3>What changed</h3>');
    body.push(designChanges(ordered, warmups));
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
