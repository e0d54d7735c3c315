/**
 * Every recorded run, newest first: design, when, seed, status and headline numbers; filter by status and
 * text; open, re-run with the same seed, delete (confirmed), pick runs to compare.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RunListItem, RunRecord, RunStatus } from '../../src-shared/results/runStore';
import { formatDuration } from '../../src-shared/util/units';
import { call } from '../api';
import { actionById, formatKeys } from '../editor/actions';
import { Icon } from '../editor/components/Icons';
import { useRun, useStudio } from '../editor/context';
import { formatCount } from './charts/common';
import { STATUS_LABEL, formatAgo, formatWall, formatWhen } from './format';
import { EmptyState, ErrorState, Loading, Picker, TableScroll } from './parts';
import { headline } from './SummaryView';
import { cachedCall, useQuery } from './useQuery';

type StatusFilter = 'all' | RunStatus;

const STATUS_OPTIONS: readonly { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All statuses' },
  { value: 'done', label: 'Done' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'running', label: 'Running' },
  { value: 'queued', label: 'Queued' },
  { value: 'interrupted', label: 'Interrupted' },
];

const PAGE = 50;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`status-badge s-${status}`}>{STATUS_LABEL[status]}</span>;
}

function Headline({ record }: { record: RunRecord | undefined }) {
  if (!record?.summary) return <td colSpan={4} className="muted" />;
  const h = headline(record.summary);
  return (
    <>
      <td>{formatCount(h.delivered)}</td>
      <td>{h.worst ? formatDuration(h.worst.p99) : '—'}</td>
      <td className={h.lost > 0 ? 'num-danger' : 'num-zero'}>{formatCount(h.lost)}</td>
      <td className={h.mpu && h.mpu.peak > h.mpu.cap ? 'num-danger' : ''}>{h.mpu ? `${h.mpu.peak}/${h.mpu.cap}` : '—'}</td>
    </>
  );
}

export function HistoryView() {
  const { run } = useStudio();
  const rev = useRun((s) => s.historyRev);
  const compareIds = useRun((s) => s.compareIds);
  const shownId = useRun((s) => s.shown?.runId);
  const active = useRun((s) => s.active);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('all');
  const [limit, setLimit] = useState(PAGE);
  const [confirming, setConfirming] = useState<number | null>(null);
  const q = useDebounced(text.trim(), 250);
  const list = useQuery(`runs:${rev}:${status}:${limit}:${q}`, () => call('listRuns', { limit, ...(q ? { text: q } : {}), ...(status !== 'all' ? { status } : {}) }), true);
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const doneIds = useMemo(() => items.filter((r) => r.status === 'done').map((r) => r.id), [items]);
  const records = useQuery(doneIds.length ? `records:${doneIds.join(',')}` : null, () => Promise.all(doneIds.map((id) => cachedCall('getRun', { runId: id }, true))), true);
  const recordOf = useMemo(() => new Map((records.data ?? []).map((r) => [r.id, r])), [records.data]);
  const runKeys = formatKeys(actionById('run').keys[0]!);
  const filtered = q !== '' || status !== 'all';

  const row = (r: RunListItem) => {
    const picked = compareIds.includes(r.id);
    const live = active?.runId === r.id ? active.progress : null;
    return (
      <tr key={r.id} className={`${shownId === r.id ? 'is-selected' : ''}${picked ? ' is-picked' : ''}`} data-run={r.id}>
        <td className="check-cell">
          <input type="checkbox" checked={picked} onChange={() => run.getState().toggleCompare(r.id)} aria-label={`Pick run #${r.id} for comparison`} disabled={r.status !== 'done'} title={r.status === 'done' ? 'Pick for comparison' : 'Only finished runs can be compared'} />
        </td>
        <td className="left mono">#{r.id}</td>
        <td className="left design-cell">
          <button className="link" onClick={() => void run.getState().show(r.id)} title="Open the results">
            {r.designName}
          </button>
          {r.label && <span className="muted small"> · {r.label}</span>}
          {r.error && (
            <div className="run-error small" title={r.error}>
              {r.error}
            </div>
          )}
        </td>
        <td className="left" title={new Date(r.createdAt).toLocaleString()}>
          {formatWhen(r.createdAt)}
          <span className="sub">{formatAgo(r.createdAt)}</span>
        </td>
        <td className="mono">{r.seed}</td>
        <td className="left">
          <StatusBadge status={r.status} />
          {live && <span className="muted small"> {Math.floor(live.fraction * 100)} %</span>}
          {r.simTimeNs !== null && (
            <span className="sub" title="Simulated time · wall-clock time">
              {formatDuration(r.simTimeNs)}
              {r.wallMs !== null ? ` · ${formatWall(r.wallMs)}` : ''}
            </span>
          )}
        </td>
        {r.status === 'done' ? <Headline record={recordOf.get(r.id)} /> : <td colSpan={4} />}
        <td className="actions-cell">
          {confirming === r.id ? (
            <span className="confirm" role="group" aria-label={`Delete run #${r.id}?`}>
              <span className="small">Delete #{r.id}?</span>
              <button
                className="btn small danger"
                onClick={async () => {
                  setConfirming(null);
                  await run.getState().remove(r.id);
                }}
              >
                Delete
              </button>
              <button className="btn small" onClick={() => setConfirming(null)} autoFocus>
                Cancel
              </button>
            </span>
          ) : (
            <span className="row-actions">
              <button className="btn small" onClick={() => void run.getState().show(r.id)} disabled={r.status === 'queued' || r.status === 'running'}>
                Open
              </button>
              <button className="btn small" onClick={() => void run.getState().rerun(r.id)} disabled={!!active} title={`Run this run's design again with seed ${r.seed}`}>
                Re-run
              </button>
              <button
                className="btn small row-delete"
                onClick={() => setConfirming(r.id)}
                disabled={r.status === 'queued' || r.status === 'running'}
                title={r.status === 'queued' || r.status === 'running' ? 'A run in progress cannot be deleted' : `Delete run #${r.id} (asks first)`}
                aria-label={`Delete run #${r.id}`}
              >
                <Icon name="trash" size={15} />
              </button>
            </span>
          )}
        </td>
      </tr>
    );
  };

  return (
    <div className="rv history" data-testid="history-view">
      <div className="rv-toolbar">
        <input type="search" className="search" placeholder="Search design, label, error, id…" value={text} onChange={(e) => setText(e.target.value)} aria-label="Search runs" />
        <Picker label="status" value={status} options={STATUS_OPTIONS} onChange={(v) => setStatus(v)} />
        <span className="spacer" />
        {compareIds.length > 0 && (
          <button className="btn small ghost" onClick={() => run.getState().setCompare([])}>
            Clear picks
          </button>
        )}
        <button className="btn primary small" disabled={compareIds.length < 2} onClick={() => run.getState().openCompare()} title={compareIds.length < 2 ? 'Tick two or more finished runs' : 'Compare the picked runs'}>
          Compare {compareIds.length > 0 ? `(${compareIds.length})` : ''}
        </button>
        <button className="icon-btn small" onClick={list.reload} title="Refresh" aria-label="Refresh the run list">
          ↻
        </button>
      </div>
      {list.error ? (
        <ErrorState message={`Could not load the run history: ${list.error}`} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading the run history…" />
      ) : list.data.total === 0 ? (
        filtered ? (
          <EmptyState title="No run matches" icon="⌕">
            <button
              className="btn small"
              onClick={() => {
                setText('');
                setStatus('all');
              }}
            >
              Clear the filters
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No runs recorded yet" icon="▶">
            <p>Every run is recorded here with a snapshot of its design.</p>
            <button className="btn primary small" onClick={() => void run.getState().start()}>
              ▶ Run the design ({runKeys})
            </button>
          </EmptyState>
        )
      ) : (
        <>
          <TableScroll>
            <table className="data-table runs-table" data-testid="runs-table">
              <thead>
                <tr>
                  <th className="check-cell" aria-label="Compare" />
                  <th className="left">Run</th>
                  <th className="left">Design</th>
                  <th className="left">When</th>
                  <th>Seed</th>
                  <th className="left">Status</th>
                  <th>Delivered</th>
                  <th>Worst p99</th>
                  <th>Lost</th>
                  <th title="Fullest process: MPU regions at peak / capacity">MPU</th>
                  <th />
                </tr>
              </thead>
              <tbody>{items.map(row)}</tbody>
            </table>
          </TableScroll>
          <div className="rv-foot muted small">
            {list.loading && <span className="spinner small" aria-hidden />} Showing {items.length} of {list.data.total} run{list.data.total === 1 ? '' : 's'}
            {items.length < list.data.total && (
              <button className="btn small" onClick={() => setLimit((l) => l + PAGE)}>
                Show more
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
