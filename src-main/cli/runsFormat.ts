// Text rendering of the run history for `tock-studio runs` (tables a person reads in a terminal).
import { formatDesignDiff, splitRunSettings, type FieldChange } from '../../src-shared/model/diff';
import { formatDuration } from '../../src-shared/util/units';
import type { ComparedRow, FlowMetrics, RunComparison, RunListItem, RunListPage, RunRecord } from '../store';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** `s` on one line: a name may hold a newline or a tab, which would break a table's row or a header's line. */
function oneLine(s: string): string {
  return s.replace(/\p{Cc}+/gu, ' ');
}

/** `oneLine(s)` cut to `n` characters. */
function clip(s: string, n: number): string {
  const line = oneLine(s);
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
}

/** `1 flow`, `2 flows`. */
function count(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** `2026-11-21 19:15:30Z` (UTC, second precision) or `—`. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

const ns = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : formatDuration(x, 3));

/** The run list as a table. */
export function formatRunList(page: RunListPage, offset: number): string {
  if (page.items.length === 0) return page.total ? `no runs on this page (${page.total} in all)\n` : 'no runs\n';
  const lines = [`${pad('id', 6, true)}  ${pad('status', 11)}  ${pad('design', 28)}  ${pad('hash', 12)}  ${pad('seed', 10, true)}  ${pad('messages', 11, true)}  ${pad('wall', 9, true)}  created`];
  for (const r of page.items) {
    lines.push(
      `${pad(String(r.id), 6, true)}  ${pad(r.status, 11)}  ${pad(clip(r.designName + (r.label ? ` (${r.label})` : ''), 28), 28)}  ${r.designHash.slice(0, 12)}  ${pad(String(r.seed), 10, true)}  ${pad(int(r.messages), 11, true)}  ${pad(r.wallMs === null ? '—' : `${int(r.wallMs)} ms`, 9, true)}  ${formatTime(r.createdAt)}`,
    );
  }
  const shown = page.items.length;
  if (page.total > offset + shown || offset > 0) lines.push(`(${offset + 1}–${offset + shown} of ${page.total}; --offset/--limit for more)`);
  return `${lines.join('\n')}\n`;
}

/** One run in full: header, then flows, processes, mechanisms and kernels from its summary (or its samples). */
export function formatRun(r: RunRecord, stats: { id: string; name: string; sent: number; delivered: number; lost: number; p50: number | null; p99: number | null; copiesPerMessage: number | null }[]): string {
  const s = r.summary;
  const lines: string[] = [];
  lines.push(`run ${r.id} — ${r.status}${r.label ? ` — ${r.label}` : ''}`);
  lines.push(`  design    ${oneLine(r.designName)} (${r.designHash.slice(0, 16)}…)`);
  lines.push(`  seed      ${r.seed}    engine ${r.engineVersion}`);
  lines.push(`  created   ${formatTime(r.createdAt)}    finished ${formatTime(r.finishedAt)}`);
  lines.push(`  simulated ${r.simTimeNs === null ? '—' : formatDuration(r.simTimeNs, 4)}    events ${r.events === null ? '—' : int(r.events)}    wall ${r.wallMs === null ? '—' : `${int(r.wallMs)} ms`}`);
  lines.push(`  recorded  ${count(r.messages, 'message sample')}, ${count(r.flowTable.length, 'flow')}, ${count(r.traceEvents, 'trace event')}${r.traceDropped ? ` (${int(r.traceDropped)} over the cap, not stored)` : ''}`);
  if (r.error) lines.push(`  error     ${r.error}`);
  if (!s) lines.push(`  (no summary: the run did not finish; figures below come from the recorded samples)`);
  lines.push('', `flows${s ? '' : ' (from samples)'}`);
  lines.push(`  ${pad('flow', 44)}${pad('sent', 9, true)}${pad('deliv', 9, true)}${pad('lost', 7, true)}${pad('p50', 11, true)}${pad('p99', 11, true)}${pad('copies/msg', 12, true)}`);
  for (const f of stats) {
    lines.push(
      `  ${pad(clip(f.name, 43), 44)}${pad(int(f.sent), 9, true)}${pad(int(f.delivered), 9, true)}${pad(int(f.lost), 7, true)}${pad(ns(f.p50), 11, true)}${pad(ns(f.p99), 11, true)}${pad(f.copiesPerMessage === null ? '—' : f.copiesPerMessage.toFixed(2), 12, true)}`,
    );
  }
  if (s) {
    lines.push('', 'processes (MPU regions peak / capacity)');
    for (const p of s.processes) {
      const extra = [p.mpuMapFailures ? `${p.mpuMapFailures} map failures` : '', p.alignmentWasteBytes ? `${p.alignmentWasteBytes} B alignment waste` : '', p.restarts ? `${p.restarts} restarts` : '', p.upcallsDropped ? `${p.upcallsDropped} upcalls dropped` : ''].filter(Boolean).join(', ');
      lines.push(`  ${pad(clip(p.name, 43), 44)}${pad(`${p.mpuRegionsPeak} / ${p.mpuRegionsCapacity}`, 9, true)}${extra ? `   ${extra}` : ''}`);
    }
    lines.push('', 'mechanisms');
    for (const m of s.mechanisms) {
      lines.push(`  ${pad(clip(`${m.name ?? m.id} (${m.kind})`, 43), 44)}copies ${int(m.copies)}, ${int(m.bytesCopied)} B copied, max depth ${m.maxDepth}, discarded ${int(m.drops)}`);
      for (const x of m.copySites ?? []) lines.push(`    ${pad(clip(x.site, 62), 62)}${pad(int(x.copies), 10, true)} ${x.copies === 1 ? 'copy' : 'copies'}, ${int(x.bytesCopied)} B`);
    }
    lines.push('', 'kernels');
    for (const k of s.kernels) lines.push(`  ${pad(clip(k.name, 43), 44)}CPU ${(k.cpuUtilization * 100).toFixed(1)}%, ${int(k.contextSwitches)} context switches, ${int(k.syscalls)} syscalls, ${int(k.upcallsDropped)} upcalls dropped`);
  }
  return `${lines.join('\n')}\n`;
}

function signed(x: number | null, fmt: (v: number) => string): string {
  if (x === null) return '';
  if (x === 0) return ' (±0)';
  return ` (${x > 0 ? '+' : '−'}${fmt(Math.abs(x))})`;
}

function section<M extends object>(title: string, rows: ComparedRow<M>[], runs: RunListItem[], label: (id: string, v: M) => string, cells: [string, keyof M, (v: number) => string][]): string[] {
  if (!rows.length) return [];
  const lines = ['', title];
  for (const row of rows) {
    const first = row.values.find((v) => v !== null)!;
    lines.push(`  ${label(row.id, first)}`);
    row.values.forEach((v, i) => {
      const who = `#${runs[i]!.id}${i === 0 ? ' (base)' : ''}`;
      if (!v) {
        lines.push(`    ${pad(who, 12)}absent`);
        return;
      }
      const d = row.deltas[i] as Record<string, number | null> | null;
      const parts = cells.map(([name, key, fmt]) => {
        const x = (v as Record<string, unknown>)[key as string];
        const shown = typeof x === 'number' ? fmt(x) : '—';
        return `${name} ${shown}${i > 0 && d ? signed(d[key as string] ?? null, fmt) : ''}`;
      });
      lines.push(`    ${pad(who, 12)}${parts.join('   ')}`);
    });
  }
  return lines;
}

/**
 * How run `b` was run differently from the baseline `a`: `seed 1 → 2, simulated 1 s → 500 ms`, or ''. From the
 * diff's run settings (the store gives each run's design with the settings it really ran — a `--seed` or
 * `--duration` given on the command line is not in the design file), and from the runs themselves for what the
 * diff does not say (a run that stopped early simulated less).
 */
function runSettingsChanges(a: RunListItem, b: RunListItem, settings: readonly FieldChange[]): string {
  const parts: string[] = [];
  const time = (v: unknown): string => (typeof v === 'number' ? formatDuration(v, 4) : '—');
  const seed = settings.find((f) => f.path === 'run.seed');
  const duration = settings.find((f) => f.path === 'run.durationNs');
  const warmup = settings.find((f) => f.path === 'run.warmupNs');
  if (seed) parts.push(`seed ${String(seed.before)} → ${String(seed.after)}`);
  else if (a.seed !== b.seed) parts.push(`seed ${a.seed} → ${b.seed}`);
  if (duration) parts.push(`simulated ${time(duration.before)} → ${time(duration.after)}`);
  else if (a.simTimeNs !== b.simTimeNs) parts.push(`simulated ${time(a.simTimeNs)} → ${time(b.simTimeNs)}`);
  if (warmup) parts.push(`warm-up ${time(warmup.before)} → ${time(warmup.after)}`);
  return parts.join(', ');
}

/** A comparison: per flow/process/mechanism/kernel, each run's values with deltas against the baseline. */
export function formatComparison(c: RunComparison): string {
  const runs = c.runs;
  // One line per run: what makes runs of the same design differ (seed, simulated time) is in plain sight.
  const sim = (r: RunListItem): string => (r.simTimeNs === null ? '—' : formatDuration(r.simTimeNs, 4));
  const idW = Math.max(...runs.map((r) => String(r.id).length)) + 1;
  const nameW = Math.min(32, Math.max(...runs.map((r) => r.designName.length)));
  const seedW = Math.max(...runs.map((r) => String(r.seed).length));
  const simW = Math.max(...runs.map((r) => sim(r).length));
  const lines = [`comparing ${runs.length} runs (deltas against the baseline, #${runs[0]!.id})`];
  runs.forEach((r, i) => {
    lines.push(`  ${pad(`#${r.id}`, idW)}  ${pad(clip(r.designName, nameW), nameW)}  seed ${pad(String(r.seed), seedW, true)}  ${pad(sim(r), simW, true)} simulated  [${r.status}]${i === 0 ? '  (baseline)' : ''}`);
  });
  const fixed = (d: number) => (v: number): string => v.toFixed(d);
  // Messages cut short, as in the studio: a column only when some run cut any (their latency is of the shorter message).
  const anyCut = c.flows.some((r) => r.values.some((v) => (v?.truncated ?? 0) > 0));
  lines.push(
    ...section('flows', c.flows, runs, (id, v) => `${v.name}${v.name !== id ? `  [${id}]` : ''}`, [
      ...(anyCut ? [['cut', 'truncated', int] as [string, keyof FlowMetrics, (v: number) => string]] : []),
      ['p50', 'p50', (v) => formatDuration(v, 3)],
      ['p99', 'p99', (v) => formatDuration(v, 3)],
      ['copies/msg', 'copiesPerMessage', fixed(2)],
      ['lost', 'drops', int],
      ['sent', 'sent', int],
    ]),
  );
  lines.push(
    ...section('processes', c.processes, runs, (id, v) => `${v.name}  [${id}]`, [
      ['MPU peak', 'mpuRegionsPeak', int],
      ['map failures', 'mpuMapFailures', int],
      ['restarts', 'restarts', int],
    ]),
  );
  lines.push(
    ...section('mechanisms', c.mechanisms, runs, (_id, v) => `${v.name} (${v.kind})`, [
      ['copies', 'copies', int],
      ['max depth', 'maxDepth', int],
      ['lost', 'lost', int],
      ['discarded', 'drops', int],
    ]),
  );
  lines.push(...section('kernels', c.kernels, runs, (id, v) => `${v.name}  [${id}]`, [['CPU', 'cpuUtilization', (v) => `${(v * 100).toFixed(1)}%`]]));
  lines.push('', 'design changes');
  c.designDiffs.forEach((d, i) => {
    if (i === 0) return;
    const head = `  #${runs[0]!.id} → #${runs[i]!.id}: `;
    // Run settings are said once, as "different run"; the rest is the design's change.
    const split = splitRunSettings(d);
    const settings = runSettingsChanges(runs[0]!, runs[i]!, split.settings);
    if (split.model.identical) lines.push(`${head}same design${settings ? `; different run: ${settings}` : ''}`);
    else {
      lines.push(`${head}${d.counts.nodesAdded} nodes added, ${d.counts.nodesRemoved} removed, ${d.counts.nodesChanged} changed; ${d.counts.edgesAdded} edges added, ${d.counts.edgesRemoved} removed, ${d.counts.edgesChanged} changed; ${d.counts.paramsChanged} parameters changed`);
      if (settings) lines.push(`    different run: ${settings}`);
      for (const l of formatDesignDiff(split.model)) lines.push(`    ${l}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
