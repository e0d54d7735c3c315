/** The results summary of a run: headline numbers, then per flow, per process, per kernel and per mechanism. */
import type { ReactNode } from 'react';
import type { RunRecord } from '../../src-shared/results/runStore';
import type { RunSummary } from '../../src-shared/results/summary';
import { formatBytes, formatDuration } from '../../src-shared/util/units';
import { useEditor, useStudio } from '../editor/context';
import { DISCARDED_MEANS, MECHANISM_LOST_MEANS, lossParts, lostOf, mechanismLoss } from '../../src-shared/results/overlay';
import { formatCount, formatShort } from './charts/common';
import { formatWall, kindLabel } from './format';
import { TableScroll } from './parts';

function Stat({ label, value, detail, tone, hint, testId }: { label: string; value: ReactNode; detail?: ReactNode; tone?: 'danger' | 'warn' | 'ok'; hint?: ReactNode; testId?: string }) {
  return (
    <div className={`stat${tone ? ` tone-${tone}` : ''}`} data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {detail && <div className="stat-detail muted">{detail}</div>}
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  );
}

/** Why dropped upcalls are not lost messages (the canvas's kernel badge counts them in red next to a small LOST). */
export const UPCALL_DROP_HINT =
  'A dropped upcall is a lost notification, not a lost message: the data stays in the slice (or queue) and the next upcall that runs reads it. LOST counts messages that never arrived: dropped, overwritten, timed out or failed.';

function Num({ v, danger, warn }: { v: number; danger?: boolean; warn?: boolean }) {
  return <span className={danger && v > 0 ? 'num-danger' : warn && v > 0 ? 'num-warn' : v === 0 ? 'num-zero' : ''}>{formatCount(v)}</span>;
}

function Meter({ used, capacity }: { used: number; capacity: number }) {
  const share = capacity > 0 ? Math.min(1, used / capacity) : 1;
  const tone = used > capacity ? 'danger' : used === capacity ? 'warn' : 'ok';
  return (
    <span className={`meter tone-${tone}`} title={`${used} of ${capacity}`}>
      <span className="meter-track">
        <span className="meter-fill" style={{ width: `${share * 100}%` }} />
      </span>
      <span className="meter-text">
        {used} / {capacity}
      </span>
    </span>
  );
}

/** Headline numbers of a summary. */
export function headline(s: RunSummary): { delivered: number; sent: number; lost: number; truncated: number; inFlight: number; worst: { name: string; p99: number } | null; mpu: { peak: number; cap: number; name: string } | null } {
  let delivered = 0;
  let truncated = 0;
  let inFlight = 0;
  let sent = 0;
  let lost = 0;
  let worst: { name: string; p99: number } | null = null;
  for (const f of s.flows) {
    delivered += f.delivered;
    sent += f.sent;
    lost += lostOf(f);
    truncated += f.truncated ?? 0; // runs recorded before the field existed have none
    inFlight += f.inFlight ?? 0;
    if (f.delivered > 0 && (!worst || f.latencyNs.p99 > worst.p99)) worst = { name: f.name, p99: f.latencyNs.p99 };
  }
  let mpu: { peak: number; cap: number; name: string } | null = null;
  for (const p of s.processes) {
    const r = p.mpuRegionsCapacity > 0 ? p.mpuRegionsPeak / p.mpuRegionsCapacity : 0;
    if (!mpu || r > mpu.peak / Math.max(1, mpu.cap)) mpu = { peak: p.mpuRegionsPeak, cap: p.mpuRegionsCapacity, name: p.name };
  }
  return { delivered, sent, lost, truncated, inFlight, worst, mpu };
}

export function SummaryView({ record }: { record: RunRecord }) {
  const { editor } = useStudio();
  const nodes = useEditor((s) => s.design.nodes);
  const s = record.summary!;
  const nameOf = (id: string): string => nodes.find((n) => n.id === id)?.name ?? id;
  const h = headline(s);
  const upcallsDropped = s.kernels.reduce((n, k) => n + k.upcallsDropped, 0);
  // Which processes lost them (runs from before the per-process count have only the kernels').
  const dropsUpcalls = s.processes.some((p) => (p.upcallsDropped ?? 0) > 0);
  const eventsPerSec = s.wallMs > 0 ? (s.events / s.wallMs) * 1000 : 0;
  const warmupNs = typeof record.settings.warmupNs === 'number' ? record.settings.warmupNs : 0;
  const focus = (id: string): void => {
    if (editor.getState().design.nodes.some((n) => n.id === id)) editor.getState().requestFocus(id);
  };
  return (
    <div className="rv summary" data-testid="summary-view">
      <div className="stats">
        <Stat
          label="Simulated"
          value={formatDuration(s.simTimeNs)}
          detail={`${warmupNs > 0 ? `counted from ${formatDuration(warmupNs)} (warm-up) · ` : ''}${formatCount(s.events)} events in ${formatWall(s.wallMs)}${eventsPerSec ? ` · ${formatShort(eventsPerSec)} events/s` : ''}`}
        />
        <Stat
          label="Delivered"
          value={formatCount(h.delivered)}
          detail={`${h.truncated > 0 ? `${formatCount(h.truncated)} cut short · ` : ''}of ${formatCount(h.sent)} sent${h.inFlight > 0 ? ` · ${formatCount(h.inFlight)} in flight` : h.truncated > 0 ? '' : ` · ${s.flows.length} flow${s.flows.length === 1 ? '' : 's'}`}`}
          tone={h.truncated > 0 ? 'warn' : undefined}
        />
        <Stat label="Worst p99" value={h.worst ? formatDuration(h.worst.p99) : '—'} detail={h.worst?.name ?? 'nothing delivered'} />
        <Stat
          label="Lost"
          value={formatCount(h.lost)}
          detail="messages dropped, overwritten, timed out or failed"
          tone={h.lost > 0 ? 'danger' : 'ok'}
          testId="stat-lost"
          {...(upcallsDropped > 0
            ? {
                hint: (
                  <span title={UPCALL_DROP_HINT} data-testid="upcall-hint">
                    {formatCount(upcallsDropped)} dropped upcall{upcallsDropped === 1 ? '' : 's'} not included: a notification was lost, the data was read by the next upcall
                  </span>
                ),
              }
            : {})}
        />
        <Stat label="Fullest MPU" value={h.mpu ? `${h.mpu.peak} / ${h.mpu.cap}` : '—'} detail={h.mpu ? `regions · ${h.mpu.name}` : 'no processes'} tone={h.mpu && h.mpu.peak > h.mpu.cap ? 'danger' : h.mpu && h.mpu.peak === h.mpu.cap ? 'warn' : undefined} />
      </div>

      <h5 className="rv-section">Flows</h5>
      {s.flows.length === 0 ? (
        <p className="muted small">This design has no flows (no sender connected through a mechanism to a receiver).</p>
      ) : (
        <TableScroll>
          <table className="data-table" data-testid="flows-table">
            <thead>
              <tr>
                <th className="left">Flow · via</th>
                <th>sent</th>
                <th>delivered</th>
                {h.truncated > 0 && <th title="Delivered, but cut to the mechanism's or the receiver's largest message (included in delivered)">cut</th>}
                <th>p50</th>
                <th>p99</th>
                <th title="Byte copies per delivered message (the copies of messages that were then lost are in “copied” and the mechanism’s count)">copies/msg</th>
                <th title="Bytes copied for every message of the flow, delivered or not: a message copied into a ring and then timed out still cost its copies">copied</th>
                <th title="Refused at send (queue, slice or ring full)">dropped</th>
                <th title="Replaced before the receiver read it">overwr.</th>
                <th title="No answer before the timeout">timed out</th>
                <th title="Peer gone or restarted, or the share could not be mapped">failed</th>
                {h.inFlight > 0 && <th title="Sent but not yet delivered or lost when the run ended">in flight</th>}
              </tr>
            </thead>
            <tbody>
              {s.flows.map((f) => (
                <tr key={f.id} className={lostOf(f) > 0 ? 'row-danger' : ''}>
                  <td className="left flow-cell" title={f.id}>
                    {f.name}
                    <span className="sub">{kindLabel(f.mechanism)}</span>
                  </td>
                  <td>{formatCount(f.sent)}</td>
                  <td>{formatCount(f.delivered)}</td>
                  {h.truncated > 0 && (
                    <td>
                      <Num v={f.truncated ?? 0} warn />
                    </td>
                  )}
                  <td>{f.delivered ? formatDuration(f.latencyNs.p50) : '—'}</td>
                  <td className="strong">{f.delivered ? formatDuration(f.latencyNs.p99) : '—'}</td>
                  <td>{Number(f.copiesPerMessage.toPrecision(3))}</td>
                  <td>{formatBytes(f.bytesCopied)}</td>
                  <td>
                    <Num v={f.dropped} danger />
                  </td>
                  <td>
                    <Num v={f.overwritten} danger />
                  </td>
                  <td>
                    <Num v={f.timedOut} danger />
                  </td>
                  <td>
                    <Num v={f.failed ?? 0} danger />
                  </td>
                  {h.inFlight > 0 && <td>{formatCount(f.inFlight ?? 0)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <div className="summary-grid">
        <div>
          <h5 className="rv-section">Processes</h5>
          {s.processes.length === 0 ? (
            <p className="muted small">No processes or services in this design.</p>
          ) : (
            <TableScroll>
              <table className="data-table" data-testid="processes-table">
                <thead>
                  <tr>
                    <th className="left">Process</th>
                    <th className="left">kernel</th>
                    <th className="left">MPU regions used / capacity</th>
                    <th>map failures</th>
                    <th title="Bytes lost by rounding shared regions up to the MPU's alignment: the most held at one time during the run">alignment waste (peak)</th>
                    <th>restarts</th>
                    {dropsUpcalls && <th title="Upcalls lost to its full upcall queue (NOMEM): an alarm lost this way is a message its workload never sent">upcalls dropped</th>}
                  </tr>
                </thead>
                <tbody>
                  {s.processes.map((p) => (
                    <tr key={p.id} className="clickable" onClick={() => focus(p.id)} title="Show on the canvas">
                      <td className="left">{p.name}</td>
                      <td className="left muted">{s.kernels.find((k) => k.id === p.kernel)?.name ?? p.kernel}</td>
                      <td className="left">
                        <Meter used={p.mpuRegionsPeak} capacity={p.mpuRegionsCapacity} />
                      </td>
                      <td>
                        <Num v={p.mpuMapFailures} danger />
                      </td>
                      <td>{p.alignmentWasteBytes > 0 ? formatBytes(p.alignmentWasteBytes) : <span className="num-zero">0 B</span>}</td>
                      <td>
                        <Num v={p.restarts} danger />
                      </td>
                      {dropsUpcalls && (
                        <td>
                          <Num v={p.upcallsDropped ?? 0} danger />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </div>
        <div>
          <h5 className="rv-section">Kernels</h5>
          {s.kernels.length === 0 ? (
            <p className="muted small">No kernels in this design: nothing ran.</p>
          ) : (
            <TableScroll>
              <table className="data-table" data-testid="kernels-table">
                <thead>
                  <tr>
                    <th className="left">Kernel</th>
                    <th className="left">CPU</th>
                    <th>context switches</th>
                    <th>syscalls</th>
                    <th title={UPCALL_DROP_HINT}>
                      upcalls dropped{upcallsDropped > 0 && <span className="th-hint" aria-hidden> (?)</span>}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.kernels.map((k) => (
                    <tr key={k.id} className="clickable" onClick={() => focus(k.id)}>
                      <td className="left">{k.name}</td>
                      <td className="left">
                        <span className={`meter tone-${k.cpuUtilization > 0.9 ? 'warn' : 'ok'}`}>
                          <span className="meter-track">
                            <span className="meter-fill" style={{ width: `${Math.min(1, k.cpuUtilization) * 100}%` }} />
                          </span>
                          <span className="meter-text">{Number((k.cpuUtilization * 100).toPrecision(3))} %</span>
                        </span>
                      </td>
                      <td>{formatCount(k.contextSwitches)}</td>
                      <td>{formatCount(k.syscalls)}</td>
                      <td title={k.upcallsDropped > 0 ? UPCALL_DROP_HINT : undefined}>
                        <Num v={k.upcallsDropped} warn />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <h5 className="rv-section">Mechanisms</h5>
          <TableScroll>
            <table className="data-table" data-testid="mechanisms-table">
              <thead>
                <tr>
                  <th className="left">Mechanism</th>
                  <th>copies</th>
                  <th>bytes copied</th>
                  <th>max depth</th>
                  <th title={`Lost: ${MECHANISM_LOST_MEANS}`}>lost</th>
                  <th title={`Discarded: ${DISCARDED_MEANS}`}>discarded</th>
                </tr>
              </thead>
              <tbody>
                {s.mechanisms.map((m) => {
                  const loss = mechanismLoss(s, m);
                  return (
                    <tr key={m.id} className="clickable" onClick={() => focus(m.id)}>
                      <td className="left">
                        {m.name ?? nameOf(m.id)} <span className="muted">· {kindLabel(m.kind)}</span>
                      </td>
                      <td>{formatCount(m.copies)}</td>
                      <td>{formatBytes(m.bytesCopied)}</td>
                      <td>{formatCount(m.maxDepth)}</td>
                      <td title={loss.lost > 0 ? lossParts(loss) : undefined}>
                        <Num v={loss.lost} danger />
                      </td>
                      <td>
                        <Num v={loss.discarded} warn />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        </div>
      </div>
    </div>
  );
}
