/**
 * Two or more runs side by side (run 0 is the baseline): overlaid latency CDFs of one flow, tables of deltas
 * per flow, process, mechanism and kernel with better / worse marked (lower latency, copies, drops, regions and
 * load are better), and what changed in the design. Works across designs and seeds: flows are matched by id,
 * else by their sender and receiver.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { getKind, getParamDef } from '../../src-shared/catalog';
import { RUN_SETTING_PATHS, splitRunSettings, type DesignDiff, type FieldChange, type ParamChange } from '../../src-shared/model/diff';
import type { ComparedRow, Deltas, FlowMetrics, KernelMetrics, MechanismMetrics, ProcessMetrics, RunComparison, RunListItem } from '../../src-shared/results/runStore';
import { DISCARDED_MEANS, MECHANISM_LOST_MEANS } from '../../src-shared/results/overlay';
import { formatDuration } from '../../src-shared/util/units';
import { call } from '../api';
import { useRun, useStudio } from '../editor/context';
import { displayValue } from '../../src-shared/catalog/paramField';
import { CdfChart, type CdfSeries } from './charts/CdfChart';
import { formatCount, seriesColour } from './charts/common';
import { Legend } from './charts/Tooltip';
import { formatDelta, formatMetric, formatWhen, judge, kindLabel, type MetricKind } from './format';
import { Card, EmptyState, ErrorState, Loading, Picker, Segmented, cardWidth, TableScroll } from './parts';
import { cachedCall, useQuery } from './useQuery';
import { useWidth } from './useWidth';
import { pointsFor } from './LatencyView';

/** A compared metric: its key in the metrics, header, format, and whether lower is better. */
interface MetricCol<M> {
  key: keyof Deltas<M> & keyof M;
  label: string;
  kind: MetricKind;
  lowerBetter: boolean;
  /** A value above zero is a warning (messages cut short). */
  warn?: boolean;
  /** The header's tooltip. */
  title?: string;
}

const FLOW_COLS: MetricCol<FlowMetrics>[] = [
  { key: 'p50', label: 'p50', kind: 'duration', lowerBetter: true },
  { key: 'p99', label: 'p99', kind: 'duration', lowerBetter: true },
  { key: 'copiesPerMessage', label: 'copies / msg', kind: 'ratio', lowerBetter: true },
  { key: 'drops', label: 'lost', kind: 'count', lowerBetter: true },
];
const CUT_COL: MetricCol<FlowMetrics> = { key: 'truncated', label: 'cut', kind: 'count', lowerBetter: true, warn: true, title: "Delivered, but cut to the mechanism's or the receiver's largest message (included in delivered; their latency is of the shortened message)" };


const PROCESS_COLS: MetricCol<ProcessMetrics>[] = [
  { key: 'mpuRegionsPeak', label: 'MPU regions (peak)', kind: 'count', lowerBetter: true },
  { key: 'mpuMapFailures', label: 'map failures', kind: 'count', lowerBetter: true },
  { key: 'restarts', label: 'restarts', kind: 'count', lowerBetter: true },
];
const MECH_COLS: MetricCol<MechanismMetrics>[] = [
  { key: 'copies', label: 'copies', kind: 'count', lowerBetter: true },
  { key: 'maxDepth', label: 'max depth', kind: 'count', lowerBetter: true },
  { key: 'lost', label: 'lost', kind: 'count', lowerBetter: true, title: `Lost: ${MECHANISM_LOST_MEANS}` },
  { key: 'drops', label: 'discarded', kind: 'count', lowerBetter: true, title: `Discarded: ${DISCARDED_MEANS}` },
];
const KERNEL_COLS: MetricCol<KernelMetrics>[] = [
  { key: 'cpuUtilization', label: 'CPU', kind: 'percent', lowerBetter: true },
  { key: 'contextSwitches', label: 'context switches', kind: 'count', lowerBetter: true },
];

/** Relative change under which a delta counts as "same" (rounding in the summary). */
const SAME_WITHIN = 1e-3;

/** The verdict of a delta for a metric: better, worse or same (null when a side is missing). */
export function verdict(delta: number | null | undefined, base: number | null | undefined, lowerBetter: boolean): 'better' | 'worse' | 'same' | null {
  const j = judge(delta, SAME_WITHIN, base);
  if (!j || j === 'same' || lowerBetter) return j;
  return j === 'better' ? 'worse' : 'better';
}

/** A mechanism row's label: its name (as in the first run that has it) and kind; the id as tooltip. */
function mechanismName(r: ComparedRow<MechanismMetrics>): ReactNode {
  const v = r.values.find(Boolean);
  return <span title={r.id}>{`${v?.name ?? r.id} (${kindLabel(v?.kind ?? '')})`}</span>;
}

function runTag(r: RunListItem, i: number): string {
  return `#${r.id}${i === 0 ? ' (baseline)' : ''}`;
}

/** A value, marked as a warning when its column says a value above zero is one. */
function MetricValue({ value, col }: { value: number | null | undefined; col: { kind: MetricKind; warn?: boolean } }) {
  const text = formatMetric(value, col.kind);
  return col.warn && typeof value === 'number' && value > 0 ? <span className="num-warn">{text}</span> : <>{text}</>;
}

function DeltaCell({ value, delta, base, col }: { value: number | null | undefined; delta: number | null | undefined; base: number | null | undefined; col: { kind: MetricKind; lowerBetter: boolean; warn?: boolean } }) {
  const v = verdict(delta, base, col.lowerBetter);
  const pct = delta !== null && delta !== undefined && base ? ` (${delta > 0 ? '+' : '−'}${Number(Math.abs((delta / base) * 100).toPrecision(2))} %)` : '';
  const relTitle = pct ? `; ${pct.trim().slice(1, -1)} relative to the baseline` : '';
  return (
    <td className="delta-cell">
      <div>
        <MetricValue value={value} col={col} />
      </div>
      {v && (
        <div className={`delta ${v}`} title={v === 'same' ? 'no change' : `${v} than the baseline${col.kind === 'percent' ? ' (pp: percentage points)' : ''}${relTitle}`}>
          {v === 'better' ? '▼ ' : v === 'worse' ? '▲ ' : ''}
          {formatDelta(delta, col.kind)}
          {v !== 'same' && pct}
        </div>
      )}
    </td>
  );
}

function DeltaTable<M extends object>({ rows, runs, cols, name, testId, entity, head }: { rows: readonly ComparedRow<M>[]; runs: readonly RunListItem[]; cols: readonly MetricCol<M>[]; name: (row: ComparedRow<M>) => ReactNode; testId: string; entity: string; head: string }) {
  if (rows.length === 0) return <p className="muted small">No {entity} in these runs.</p>;
  return (
    <TableScroll>
      <table className="data-table delta-table" data-testid={testId}>
        <thead>
          <tr>
            <th className="left" rowSpan={2}>
              {head}
            </th>
            {cols.map((c) => (
              <th key={String(c.key)} colSpan={runs.length} className="group" title={c.title}>
                {c.label}
              </th>
            ))}
          </tr>
          <tr>
            {cols.map((c) =>
              runs.map((r, i) => (
                <th key={`${String(c.key)}-${r.id}`} className="run-col" style={{ borderTopColor: seriesColour(i) }}>
                  #{r.id}
                </th>
              )),
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="left">{name(row)}</td>
              {cols.map((c) =>
                runs.map((r, i) => {
                  const vals = row.values[i] as Record<string, number | null> | null;
                  const base = row.values[0] as Record<string, number | null> | null;
                  if (!vals) return <td key={`${String(c.key)}-${r.id}`} className="muted centered">{i === 0 ? 'not in baseline' : 'absent'}</td>;
                  const value = vals[c.key as string];
                  if (i === 0)
                    return (
                      <td key={`${String(c.key)}-${r.id}`}>
                        <MetricValue value={value} col={c} />
                      </td>
                    );
                  const d = (row.deltas[i] as Record<string, number | null> | null)?.[c.key as string];
                  return <DeltaCell key={`${String(c.key)}-${r.id}`} value={value} delta={d} base={base?.[c.key as string]} col={c} />;
                }),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function fmtParam(kind: string | undefined, p: ParamChange, side: 'before' | 'after'): string {
  const v = p[side];
  const k = kind ? getKind(kind) : undefined;
  const def = k ? getParamDef(k, p.key) : undefined;
  // A parameter left out of the file takes its default: say which (a kernel's come from its chip's preset).
  if (v === undefined) return def && kind !== 'kernel' ? `default (${displayValue(def, def.default)})` : 'default';
  if (def && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) return displayValue(def, v);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function fmtField(path: string, v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'number' && /Ns$/.test(path)) return formatDuration(v);
  return typeof v === 'string' ? `“${v}”` : JSON.stringify(v);
}

function paramLabel(kind: string, key: string): string {
  const k = getKind(kind);
  return (k && getParamDef(k, key)?.label) ?? key;
}

/** A run setting's name in "what changed". */
function settingLabel(path: string): string {
  return path === 'run.seed' ? 'seed' : path === 'run.durationNs' ? 'simulated duration' : path === 'run.warmupNs' ? 'warm-up' : path;
}

/**
 * The run settings that differ from `from` to `to`: as the diff has them (the store gives each run's design with
 * the settings it really ran), else from the runs themselves — two runs with another seed, or that simulated
 * another time, are never "the same run settings".
 */
export function runSettingChanges(settings: readonly FieldChange[], from: RunListItem, to: RunListItem): FieldChange[] {
  // Seed, duration, warm-up: in the order of the top bar.
  const out = [...settings].sort((x, y) => RUN_SETTING_PATHS.indexOf(x.path) - RUN_SETTING_PATHS.indexOf(y.path));
  if (from.seed !== to.seed && !out.some((f) => f.path === 'run.seed')) out.push({ path: 'run.seed', before: from.seed, after: to.seed });
  if (from.simTimeNs !== null && to.simTimeNs !== null && from.simTimeNs !== to.simTimeNs && !out.some((f) => f.path === 'run.durationNs')) out.push({ path: 'simTimeNs', before: from.simTimeNs, after: to.simTimeNs });
  return out;
}

/** What changed from the baseline's design to one run's design, and in how they were run. */
export function DesignDiffView({ diff: full, from, to }: { diff: DesignDiff; from: RunListItem; to: RunListItem }) {
  const { settings: recorded, model: diff } = splitRunSettings(full);
  const settings = runSettingChanges(recorded, from, to);
  const names = new Map<string, string>();
  for (const n of [...diff.nodes.added, ...diff.nodes.removed, ...diff.nodes.changed]) names.set(n.id, n.name);
  const nm = (id: string): string => names.get(id) ?? id;
  // Layout only: said when the diff knows (`layoutChanged`), else when the stored designs differ at all.
  const layoutOnly = full.layoutChanged ?? from.designHash !== to.designHash;
  const settingItems = settings.map((f) => (
    <li key={`s-${f.path}`} className="chg">
      <span className="diff-sign">~</span> {f.path === 'simTimeNs' ? 'simulated' : settingLabel(f.path)}: {fmtField(f.path, f.before)} → <strong>{fmtField(f.path, f.after)}</strong>
    </li>
  ));
  return (
    <div className="diff" data-testid={`diff-${to.id}`}>
      <h6>
        #{from.id} → #{to.id}
        {from.designName !== to.designName ? (
          <span className="muted">
            {' '}
            · “{from.designName}” → “{to.designName}”
          </span>
        ) : null}
      </h6>
      {diff.identical && settings.length === 0 ? (
        <p className="muted small">{layoutOnly ? 'Same design and run settings; only the layout differs.' : 'Same design and run settings.'}</p>
      ) : diff.identical ? (
        <>
          <p className="muted small">{layoutOnly ? 'Same design (only the layout differs), run with other settings:' : 'Same design, run with other settings:'}</p>
          <ul className="diff-list">{settingItems}</ul>
        </>
      ) : (
        <ul className="diff-list">
          {settingItems}
          {diff.design.map((f) => (
            <li key={`d-${f.path}`} className="chg">
              <span className="diff-sign">~</span> {f.path}: {fmtField(f.path, f.before)} → <strong>{fmtField(f.path, f.after)}</strong>
            </li>
          ))}
          {diff.nodes.added.map((n) => (
            <li key={`na-${n.id}`} className="add">
              <span className="diff-sign">+</span> {n.name} <span className="muted">({kindLabel(n.kind)})</span>
            </li>
          ))}
          {diff.nodes.removed.map((n) => (
            <li key={`nr-${n.id}`} className="del">
              <span className="diff-sign">−</span> {n.name} <span className="muted">({kindLabel(n.kind)})</span>
            </li>
          ))}
          {diff.nodes.changed.map((n) => (
            <li key={`nc-${n.id}`} className="chg">
              <span className="diff-sign">~</span> {n.name} <span className="muted">({kindLabel(n.kind)})</span>
              <ul>
                {n.fields.map((f) => (
                  <li key={f.path}>
                    {f.path}: {fmtField(f.path, f.before)} → <strong>{fmtField(f.path, f.after)}</strong>
                  </li>
                ))}
                {n.params.map((p) => (
                  <li key={p.key}>
                    {paramLabel(n.kind, p.key)}: {fmtParam(n.kind, p, 'before')} → <strong>{fmtParam(n.kind, p, 'after')}</strong>
                  </li>
                ))}
              </ul>
            </li>
          ))}
          {diff.edges.added.map((e) => (
            <li key={`ea-${e.id}`} className="add">
              <span className="diff-sign">+</span> connection {nm(e.source)} → {nm(e.target)}
            </li>
          ))}
          {diff.edges.removed.map((e) => (
            <li key={`er-${e.id}`} className="del">
              <span className="diff-sign">−</span> connection {nm(e.source)} → {nm(e.target)}
            </li>
          ))}
          {diff.edges.changed.map((e) => (
            <li key={`ec-${e.id}`} className="chg">
              <span className="diff-sign">~</span> connection {nm(e.source)} → {nm(e.target)}: {e.params.map((p) => `${p.key} ${String(p.before ?? 'default')} → ${String(p.after ?? 'default')}`).join(', ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function endpoints(flowId: string): string {
  const p = flowId.split('>');
  return `${p[0]}>${p[p.length - 1]}`;
}

/** For each run, the flow to draw for a chosen flow id: the same id, else the same sender and receiver. */
export function matchFlows(cmp: RunComparison, flowId: string): (string | null)[] {
  return cmp.runs.map((_, i) => {
    const same = cmp.flows.find((r) => r.id === flowId && r.values[i]);
    if (same) return flowId;
    const alt = cmp.flows.find((r) => r.values[i] && endpoints(r.id) === endpoints(flowId));
    return alt ? alt.id : null;
  });
}

function ComparePicker() {
  const { run } = useStudio();
  const picked = useRun((s) => s.compareIds);
  const rev = useRun((s) => s.historyRev);
  const list = useQuery(`cmp-pick:${rev}`, () => call('listRuns', { status: 'done', limit: 30 }));
  return (
    <div className="rv compare-empty" data-testid="compare-view">
      <EmptyState title="Pick two or more finished runs to compare" icon="⇄">
        <p>Tick runs here or in History: the comparison opens as soon as two are picked. The oldest run is the baseline, so changes read old → new (“make baseline” picks another).</p>
      </EmptyState>
      {list.error && <ErrorState message={list.error} onRetry={list.reload} />}
      {list.data && list.data.items.length > 0 && (
        <ul className="pick-list">
          {list.data.items.map((r) => (
            <li key={r.id}>
              <label>
                <input type="checkbox" checked={picked.includes(r.id)} onChange={() => run.getState().toggleCompare(r.id)} />
                <span className="mono">#{r.id}</span> {r.designName} <span className="muted small">· seed {r.seed} · {formatWhen(r.createdAt)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {list.data && list.data.items.length === 0 && <p className="muted small centered">No finished runs yet: run the design first.</p>}
    </div>
  );
}

export function CompareView() {
  const { run } = useStudio();
  const ids = useRun((s) => s.compareIds);
  const [ref, width, measured] = useWidth<HTMLDivElement>(900);
  const cw = cardWidth(width, 1);
  const enough = ids.length >= 2;
  const cmp = useQuery(enough ? `compare:${ids.join(',')}` : null, () => cachedCall('compareRuns', { runIds: ids }, true));
  const flowIds = useMemo(() => cmp.data?.flows.map((r) => r.id) ?? [], [cmp.data]);
  const [flowPick, setFlowPick] = useState<string>('');
  const [logX, setLogX] = useState<'lin' | 'log'>('lin');
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const flowId = flowIds.includes(flowPick) ? flowPick : (flowIds.find((id) => cmp.data?.flows.find((r) => r.id === id)?.values.every(Boolean)) ?? flowIds[0] ?? '');
  const matched = useMemo(() => (cmp.data && flowId ? matchFlows(cmp.data, flowId) : []), [cmp.data, flowId]);
  const points = pointsFor(cw - 70);
  const cdfKey = measured && cmp.data && flowId ? `cmp-cdf:${cmp.data.runs.map((r) => r.id).join(',')}:${matched.join(',')}:${points}` : null;
  const cdfs = useQuery(cdfKey, () => Promise.all(cmp.data!.runs.map((r, i) => (matched[i] ? cachedCall('latencyCdf', { runId: r.id, flow: matched[i]!, points }, true).catch(() => null) : Promise.resolve(null)))));
  const flowRows = cmp.data?.flows ?? [];

  if (!enough) return <ComparePicker />;
  if (cmp.error) return <ErrorState message={`Could not compare: ${cmp.error}`} onRetry={cmp.reload} />;
  if (!cmp.data) return <Loading label="Comparing…" />;
  const c = cmp.data;
  const flowName = (row: ComparedRow<FlowMetrics>): string => row.values.find(Boolean)?.name ?? row.id;
  const series: CdfSeries[] = (cdfs.data ?? []).flatMap((d, i) =>
    d && d.samples > 0 ? [{ id: String(c.runs[i]!.id), label: `#${c.runs[i]!.id} ${c.runs[i]!.designName} · seed ${c.runs[i]!.seed}${matched[i] !== flowId ? ` (${d.flow.name})` : ''}`, colour: seriesColour(i), latencyNs: d.latencyNs, fraction: d.fraction, samples: d.samples, dashed: i === 0 }] : [],
  );
  const names = [...new Set(c.runs.map((r) => r.designName))];
  // Like the summary: a "cut" column only when some run cut messages short, and a word on which.
  const cutRuns = c.runs.flatMap((r, i) => {
    const n = flowRows.reduce((sum, row) => sum + (row.values[i]?.truncated ?? 0), 0);
    const sent = flowRows.reduce((sum, row) => sum + (row.values[i]?.sent ?? 0), 0);
    return n > 0 ? [{ run: r, n, sent }] : [];
  });
  // First, as the summary puts it before the latencies: those of cut messages are of shortened messages.
  const flowCols = cutRuns.length > 0 ? [CUT_COL, ...FLOW_COLS] : FLOW_COLS;

  return (
    <div className="rv compare" ref={ref} data-testid="compare-view">
      <div className="run-chips">
        {c.runs.map((r, i) => (
          <span key={r.id} className="run-chip" style={{ borderColor: seriesColour(i) }}>
            <span className="swatch" style={{ background: seriesColour(i) }} />
            <strong>{runTag(r, i)}</strong> {r.designName} <span className="muted">· seed {r.seed}</span>
            {i > 0 && (
              <button className="link small" onClick={() => run.getState().makeBaseline(r.id)} title="Make this run the baseline">
                make baseline
              </button>
            )}
            <button className="icon-btn small" onClick={() => run.getState().toggleCompare(r.id)} aria-label={`Remove run #${r.id} from the comparison`} title="Remove from the comparison">
              ✕
            </button>
          </span>
        ))}
        <button className="btn small" onClick={() => run.getState().setTab('history')}>
          + Add runs
        </button>
      </div>
      {names.length > 1 && (
        <p className="muted small" role="note" data-testid="compare-designs-differ">
          ⚠ These runs are of {names.length} different designs ({names.map((n) => `“${n}”`).join(', ')}): flows, processes, mechanisms and kernels are matched by id, so a row that exists in one design only reads “absent” (or “not in baseline”) in the others.
        </p>
      )}

      <Card
        title="Latency CDF, run against run"
        subtitle="Baseline dashed · scroll to zoom, double-click to reset"
        actions={
          <>
            <Picker label="flow" value={flowId} options={c.flows.map((r) => ({ value: r.id, label: `${flowName(r)}${r.values.every(Boolean) ? '' : ' (not in every run)'}` }))} onChange={setFlowPick} width={280} />
            <Segmented label="Latency axis" value={logX} onChange={setLogX} options={[{ value: 'lin', label: 'linear' }, { value: 'log', label: 'log' }]} />
          </>
        }
        testId="card-compare-cdf"
      >
        {c.flows.length === 0 ? (
          <p className="muted small">These runs have no flows.</p>
        ) : cdfs.error ? (
          <ErrorState message={cdfs.error} onRetry={cdfs.reload} />
        ) : !cdfs.data ? (
          <Loading height={300} />
        ) : series.length === 0 ? (
          <EmptyState title="No delivered messages on this flow in these runs" />
        ) : (
          <CdfChart series={series} width={cw} height={300} logX={logX === 'log'} hidden={hidden} title="Latency CDF per run" />
        )}
        <Legend
          items={series.map((s) => ({ id: s.id, label: s.label, colour: s.colour, ...(s.dashed ? { dashed: true } : {}) }))}
          hidden={hidden}
          onToggle={(id) =>
            setHidden((h) => {
              const n = new Set(h);
              if (n.has(id)) n.delete(id);
              else n.add(id);
              return n;
            })
          }
        />
      </Card>

      <Card title="Per flow" subtitle={`Each run against the baseline · ▼ better, ▲ worse (lower latency, copies${cutRuns.length > 0 ? ', cut messages' : ''} and losses are better)`} testId="card-compare-flows">
        {cutRuns.length > 0 && (
          <p className="muted small" role="note" data-testid="compare-cut">
            <span className="num-warn">⚠ Messages cut short</span> (delivered, but truncated to the mechanism’s or the receiver’s largest message; their latency is of the shortened message):{' '}
            {cutRuns.map(({ run: r, n, sent }, k) => (
              <span key={r.id}>
                {k > 0 ? ' · ' : ''}#{r.id}: <span className="num-warn">{formatCount(n)} cut</span> of {formatCount(sent)} sent
              </span>
            ))}
            .
          </p>
        )}
        <DeltaTable rows={flowRows} runs={c.runs} cols={flowCols} name={(r) => <span title={r.id}>{flowName(r)}</span>} testId="compare-flows" entity="flows" head="Flow" />
      </Card>
      <Card title="Per process" subtitle="Fewer MPU regions, map failures and restarts are better" testId="card-compare-processes">
        <DeltaTable rows={c.processes} runs={c.runs} cols={PROCESS_COLS} name={(r) => `${r.values.find(Boolean)?.name ?? r.id}${r.values.find(Boolean) ? ` / ${r.values.find(Boolean)!.mpuRegionsCapacity}` : ''}`} testId="compare-processes" entity="processes" head="Process / MPU capacity" />
      </Card>
      <Card title="Per mechanism" testId="card-compare-mechanisms">
        <DeltaTable rows={c.mechanisms} runs={c.runs} cols={MECH_COLS} name={mechanismName} testId="compare-mechanisms" entity="mechanisms" head="Mechanism" />
      </Card>
      <Card title="Per kernel" testId="card-compare-kernels">
        <DeltaTable rows={c.kernels} runs={c.runs} cols={KERNEL_COLS} name={(r) => r.values.find(Boolean)?.name ?? r.id} testId="compare-kernels" entity="kernels" head="Kernel" />
      </Card>
      <Card title="What changed in the design" subtitle="Nodes, connections, parameters and run settings, baseline → each run" testId="card-compare-diff">
        {c.runs.slice(1).map((r, i) => (
          <DesignDiffView key={r.id} diff={c.designDiffs[i + 1]!} from={c.runs[0]!} to={r} />
        ))}
      </Card>
    </div>
  );
}
