/** Copies and bytes copied, per flow and per mechanism (bars), where they happen (a table), and lost messages per flow (stacked bars). */
import { useMemo } from 'react';
import type { RunRecord } from '../../src-shared/results/runStore';
import { formatBytes } from '../../src-shared/util/units';
import { useEditor } from '../editor/context';
import { lostOf } from '../../src-shared/results/overlay';
import { BarChart, type BarItem } from './charts/BarChart';
import { formatCount, formatShort, seriesColour } from './charts/common';
import { StackedBarChart, type StackKey } from './charts/StackedBarChart';
import { kindLabel } from './format';
import { Card, EmptyState, cardWidth, columnsFor, TableScroll } from './parts';
import { useWidth } from './useWidth';

/** The outcome keys of the lost-messages chart, in stacking order. */
export const LOST_KEYS: readonly StackKey[] = [
  { key: 'dropped', label: 'dropped', colour: 'var(--lost-dropped)' },
  { key: 'overwritten', label: 'overwritten', colour: 'var(--lost-overwritten)' },
  { key: 'timedOut', label: 'timed out', colour: 'var(--lost-timedout)' },
  { key: 'failed', label: 'failed (peer gone)', colour: 'var(--lost-failed)' },
];

/** Bytes shown in one binary unit per axis (ticks 0, 100, 200 KiB rather than 102.4k). */
export function bytesAxis(items: readonly BarItem[]): { items: BarItem[]; format: (v: number) => string; label: string } {
  const max = Math.max(0, ...items.map((i) => i.value));
  const [div, unit] = max >= 1_048_576 ? [1_048_576, 'MiB'] : max >= 1_024 ? [1_024, 'KiB'] : [1, 'B'];
  return {
    items: items.map((i) => ({ ...i, value: i.value / div, detail: `${i.detail ? `${i.detail} · ` : ''}${formatBytes(i.value)}` })),
    format: (v) => `${Number(v.toPrecision(4))} ${unit}`,
    label: `bytes copied (${unit})`,
  };
}

function BytesBars({ items, width }: { items: readonly BarItem[]; width: number }) {
  const b = useMemo(() => bytesAxis(items), [items]);
  return <BarChart items={b.items} width={width} format={b.format} tickFormat={(v) => formatShort(v)} axisLabel={b.label} />;
}

export function CopiesView({ record }: { record: RunRecord }) {
  const s = record.summary!;
  const nodes = useEditor((st) => st.design.nodes);
  const [ref, width] = useWidth<HTMLDivElement>(900);
  const cols = columnsFor(width, 460);
  const cw = cardWidth(width, cols);
  const kinds = useMemo(() => [...new Set([...s.flows.map((f) => f.mechanism), ...s.mechanisms.map((m) => m.kind)])], [s]);
  const kindColour = (k: string): string => seriesColour(kinds.indexOf(k));
  const nameOf = (id: string): string => nodes.find((n) => n.id === id)?.name ?? id;

  const perFlowCopies: BarItem[] = s.flows.map((f) => ({ id: f.id, label: f.name, value: f.copiesPerMessage, colour: kindColour(f.mechanism), detail: `${kindLabel(f.mechanism)} · ${formatCount(f.delivered)} delivered` }));
  const perFlowBytes: BarItem[] = s.flows.map((f) => ({ id: f.id, label: f.name, value: f.bytesCopied, colour: kindColour(f.mechanism), detail: kindLabel(f.mechanism) }));
  const perMechCopies: BarItem[] = s.mechanisms.map((m) => ({ id: m.id, label: `${nameOf(m.id)} (${kindLabel(m.kind)})`, value: m.copies, colour: kindColour(m.kind) }));
  const perMechBytes: BarItem[] = s.mechanisms.map((m) => ({ id: m.id, label: `${nameOf(m.id)} (${kindLabel(m.kind)})`, value: m.bytesCopied, colour: kindColour(m.kind) }));
  const lost = s.flows.map((f) => ({ id: f.id, label: f.name, values: { dropped: f.dropped, overwritten: f.overwritten, timedOut: f.timedOut, failed: f.failed ?? 0 } }));
  const sites = s.mechanisms.flatMap((m) => (m.copySites ?? []).map((x) => ({ id: `${m.id}|${x.site}`, mech: `${nameOf(m.id)} (${kindLabel(m.kind)})`, ...x, share: m.copies > 0 ? x.copies / m.copies : 0 })));
  const anyLost = s.flows.some((f) => lostOf(f) > 0);

  if (s.flows.length === 0 && s.mechanisms.length === 0) return <EmptyState title="Nothing was copied">This design has no flows or mechanisms.</EmptyState>;
  return (
    <div className="rv copies" ref={ref} data-testid="copies-view">
      <ul className="chart-legend kinds">
        {kinds.map((k) => (
          <li key={k}>
            <span className="swatch" style={{ background: kindColour(k) }} />
            <span className="legend-label">{kindLabel(k)}</span>
          </li>
        ))}
      </ul>
      <div className={`rv-grid cols-${cols}`}>
        <Card title="Copies per message, per flow" subtitle="Kernel copies each delivered message costs (byte-wise slice copies and drivers' memcpy)" testId="card-copies-flow">
          <BarChart items={perFlowCopies} width={cw} format={(v) => Number(v.toPrecision(3)).toString()} axisLabel="copies per message" />
        </Card>
        <Card title="Bytes copied, per flow" subtitle="Total over the run" testId="card-bytes-flow">
          <BytesBars items={perFlowBytes} width={cw} />
        </Card>
        <Card title="Copies, per mechanism" subtitle="Total over the run" testId="card-copies-mech">
          {perMechCopies.length ? <BarChart items={perMechCopies} width={cw} format={formatCount} tickFormat={(v) => formatShort(v)} axisLabel="copies" /> : <p className="muted small">No mechanisms.</p>}
        </Card>
        <Card title="Bytes copied, per mechanism" subtitle="Total over the run" testId="card-bytes-mech">
          {perMechBytes.length ? <BytesBars items={perMechBytes} width={cw} /> : <p className="muted small">No mechanisms.</p>}
        </Card>
        {sites.length > 0 && (
          <Card title="Where the copies happen" subtitle="Each mechanism's copies by the buffers they go between, over the run" className="span-all" testId="card-copy-sites">
            <TableScroll>
              <table className="data-table">
                <thead>
                  <tr>
                    <th className="left">Mechanism</th>
                    <th className="left">From → to</th>
                    <th>copies</th>
                    <th>bytes</th>
                    <th>of its copies</th>
                  </tr>
                </thead>
                <tbody>
                  {sites.map((x) => (
                    <tr key={x.id}>
                      <td className="left">{x.mech}</td>
                      <td className="left">{x.site}</td>
                      <td>{formatCount(x.copies)}</td>
                      <td>{formatBytes(x.bytesCopied)}</td>
                      <td>{`${Math.round(x.share * 100)} %`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </Card>
        )}
        <Card title="Lost messages, per flow" subtitle="Dropped at send, overwritten before read, timed out, or failed because the peer was gone" className="span-all" testId="card-lost">
          {anyLost ? <StackedBarChart items={lost} keys={LOST_KEYS} width={cols === 2 ? width - 26 : cw} axisLabel="messages" /> : <p className="ok-note">✓ No message was lost in this run.</p>}
        </Card>
      </div>
    </div>
  );
}
