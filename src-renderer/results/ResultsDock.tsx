/**
 * The results area under the canvas: tabs for the shown run's views (Summary, Latency, Copies, MPU, Queues,
 * CPU, Timeline), the run History and Compare. Collapsed it is a bar of tabs; it resizes by its top edge and
 * can take the whole centre column (the canvas stays mounted underneath).
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { describeFinding } from '../../src-shared/model';
import { formatDuration } from '../../src-shared/util/units';
import { actionById, formatKeys } from '../editor/actions';
import { useEditor, useRun, useStudio, useSweep } from '../editor/context';
import { RunProgressBar } from '../run/RunControls';
import { RUN_TABS, runSettingsDiffer, runSettingsUsed, runVersusCanvas, settingsText, type ResultsTab } from '../run/runStore';
import { CompareView } from './CompareView';
import { CopiesView } from './CopiesView';
import { HistoryView, StatusBadge } from './HistoryView';
import { LatencyView } from './LatencyView';
import { EmptyState, ErrorState, Loading } from './parts';
import { CpuView, MpuView, QueuesView } from './SeriesViews';
import { SummaryView } from './SummaryView';
import { SweepView } from './SweepView';
import { TimelineView } from './TimelineView';

function keysOf(id: string): string {
  const k = actionById(id).keys[0];
  return k ? formatKeys(k) : '';
}

/** The refusal (design errors) or start failure of the last Run, with the errors clickable. */
function RunProblems() {
  const { run, editor } = useStudio();
  const refusal = useRun((s) => s.refusal);
  const startError = useRun((s) => s.startError);
  if (!refusal && !startError) return null;
  return (
    <div className="run-refusal" role="alert" data-testid="run-refusal">
      <div className="run-refusal-head">
        <span className="sev-icon error" aria-hidden>
          ✕
        </span>
        <strong>{refusal ? `The design can’t run: ${refusal.length} error${refusal.length === 1 ? '' : 's'}` : 'The run could not start'}</strong>
        <span className="spacer" />
        <button className="icon-btn small" onClick={() => run.getState().dismissRefusal()} aria-label="Dismiss">
          ✕
        </button>
      </div>
      {startError && <p className="small">{startError}</p>}
      {refusal && (
        <ul>
          {refusal.map((f, i) => (
            <li key={`${f.path}-${i}`}>
              <button className="refusal-item" onClick={() => editor.getState().requestFocus(f.nodeId, f.paramKey, f.edgeId)} disabled={!f.nodeId && !f.edgeId} title={f.nodeId || f.edgeId ? 'Go to it' : undefined}>
                <span className="refusal-msg">{describeFinding(f)}</span>
                <code className="muted">{f.path}</code>
              </button>
            </li>
          ))}
        </ul>
      )}
      {refusal && <p className="muted small">Fix them (click one to go to it), then run again.</p>}
    </div>
  );
}

/** The body for a run tab: the shown run's view, or what is going on instead. */
function RunTabBody({ tab }: { tab: ResultsTab }) {
  const { run } = useStudio();
  const shown = useRun((s) => s.shown);
  const active = useRun((s) => s.active);
  if (!shown) {
    if (active)
      return (
        <div className="rv running-state">
          <RunProgressBar name="Run progress (results)" />
          <p className="muted">Running “{active.designName}” with seed {active.seed} for {formatDuration(active.durationNs)} of simulated time. The results open here when it finishes.</p>
        </div>
      );
    return (
      <EmptyState title="No results yet" icon="▶">
        <p>
          Run the design ({keysOf('run')}) to see latency, copies, MPU regions, queues, CPU load and the event timeline here, or open a run from the{' '}
          <button className="link" onClick={() => run.getState().setTab('history')}>
            history
          </button>
          .
        </p>
        <button className="btn primary small" onClick={() => void run.getState().start()}>
          ▶ Run the design
        </button>
      </EmptyState>
    );
  }
  if (shown.error) return <ErrorState message={`Could not load run #${shown.runId}: ${shown.error}`} onRetry={() => void run.getState().show(shown.runId)} />;
  const r = shown.record;
  if (!r) return <Loading label={`Loading run #${shown.runId}…`} />;
  if (r.status === 'failed' || r.status === 'interrupted')
    return (
      <div className="rv">
        <div className="run-failed" role="alert" data-testid="run-failed">
          <span className="sev-icon error" aria-hidden>
            ✕
          </span>
          <div>
            <strong>Run #{r.id} {r.status === 'failed' ? 'failed' : 'was interrupted'}</strong>
            <p>{r.error ?? (r.status === 'interrupted' ? 'The process writing it stopped before it finished.' : 'No reason was recorded.')}</p>
            <p className="muted small">
              Seed {r.seed}
              {r.simTimeNs !== null ? ` · stopped at ${formatDuration(r.simTimeNs)} simulated` : ''}. The design snapshot is kept: re-run it from History once the cause is fixed.
            </p>
          </div>
        </div>
      </div>
    );
  if (r.status === 'cancelled') return <EmptyState title={`Run #${r.id} was cancelled`}>Cancelled runs keep no results. Run again to see them.</EmptyState>;
  if (!r.summary) return <Loading label={`Run #${r.id} is ${r.status}…`} />;
  switch (tab) {
    case 'latency':
      return <LatencyView key={r.id} record={r} />;
    case 'copies':
      return <CopiesView key={r.id} record={r} />;
    case 'mpu':
      return <MpuView key={r.id} record={r} />;
    case 'queues':
      return <QueuesView key={r.id} record={r} />;
    case 'cpu':
      return <CpuView key={r.id} record={r} />;
    case 'timeline':
      return <TimelineView key={r.id} record={r} />;
    default:
      return <SummaryView record={r} />;
  }
}

/** Which run the dock shows, with the seed and duration it ran, and whether the canvas still matches it. */
function ShownRunInfo() {
  const shown = useRun((s) => s.shown);
  const origin = useRun((s) => (s.shown ? s.origins[s.shown.runId] : undefined));
  const { run } = useStudio();
  const r = shown?.record;
  const versus = useEditor((s) => (r ? runVersusCanvas(r, origin, s) : 'same'));
  const designRun = useEditor((s) => s.design.run);
  if (!shown || !r) return null;
  const other = versus === 'other';
  const changed = versus === 'edited';
  const used = runSettingsUsed(r);
  // The top bar shows the design's seed and duration: when this run was run with others (run --seed, a re-run), the
  // numbers shown are not what Run would give, and the dock says so.
  const otherSettings = versus === 'same' && runSettingsDiffer(used, designRun);
  const nameTitle = `Design of run #${r.id}: ${r.designName}${other ? ' (not the design on the canvas)' : changed ? ' (another version than the one on the canvas)' : ''}`;
  const ran = settingsText(used, r.simTimeNs);
  const designSettings = settingsText({ seed: designRun.seed, durationNs: designRun.durationNs, warmupNs: designRun.warmupNs }, null);
  return (
    <div className={`dock-run-info${other ? ' is-other' : ''}`} data-testid="shown-run">
      {/* The other-design warning comes first and never shrinks: the numbers shown do not belong to the canvas. */}
      {other && (
        <button className="stale-note is-other" onClick={() => void run.getState().openDesignOf(r.id)} title="This run is of another design than the canvas, so its results are not drawn on it. Click to open the run's design.">
          <span aria-hidden>⚠</span> other design · open it
        </button>
      )}
      <span className="mono">#{r.id}</span>
      <StatusBadge status={r.status} />
      <span className="muted dock-run-seed" data-testid="shown-run-settings" title={`Run #${r.id} was run with seed ${used.seed}${used.durationNs !== null ? ` for ${formatDuration(used.durationNs)} of simulated time` : ''}${used.warmupNs ? `, the first ${formatDuration(used.warmupNs)} a warm-up` : ''}`}>
        {ran}
      </span>
      <span className="dock-run-name" title={nameTitle}>
        {r.designName}
      </span>
      {r.label && (
        <span className="dock-run-label" title={`Label of run #${r.id}`} data-testid="shown-run-label">
          {r.label}
        </span>
      )}
      {changed && (
        <span className="stale-note" data-testid="shown-run-changed" title={`The design on the canvas is not the version run #${r.id} ran (edited since, or recorded from another version): the results shown are those of the run.`}>
          design changed since
        </span>
      )}
      {otherSettings && (
        <span className="stale-note" data-testid="shown-run-other-settings" title={`Run #${r.id} ran with ${ran}; the design's run settings (top bar) are ${designSettings}: running it again gives other numbers.`}>
          not the design’s {designSettings}
        </span>
      )}
    </div>
  );
}

/** Keeps the active tab in view and marks the tab strip's edges when more tabs are scrolled out of sight. */
function useTabStrip(tab: ResultsTab, open: boolean) {
  const ref = useRef<HTMLElement>(null);
  const [edges, setEdges] = useState({ left: false, right: false });
  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const left = el.scrollLeft > 1;
    const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setEdges((e) => (e.left === left && e.right === right ? e : { left, right }));
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    measure();
    // A mouse wheel scrolls the strip sideways (it has no scroll bar; a vertical wheel would otherwise do nothing).
    const wheel = (e: WheelEvent): void => {
      if (el.scrollWidth <= el.clientWidth || Math.abs(e.deltaY) <= Math.abs(e.deltaX)) return;
      e.preventDefault();
      el.scrollLeft += e.deltaY;
    };
    el.addEventListener('scroll', measure, { passive: true });
    el.addEventListener('wheel', wheel, { passive: false });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      el.removeEventListener('wheel', wheel);
      ro?.disconnect();
    };
  }, [measure]);
  useEffect(() => {
    const active = ref.current?.querySelector<HTMLElement>('.dock-tab.active');
    active?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    measure();
  }, [tab, open, measure]);
  return { ref, edges };
}

export function ResultsDock() {
  const { run } = useStudio();
  const open = useRun((s) => s.dockOpen);
  const tab = useRun((s) => s.tab);
  const height = useRun((s) => s.dockHeight);
  const maximized = useRun((s) => s.maximized);
  const compareCount = useRun((s) => s.compareIds.length);
  const sweepLabel = useSweep((s) => (s.sweep?.state === 'running' ? `Sweep ${s.sweep.points.filter((p) => p.status === 'done').length}/${s.sweep.points.length}` : 'Sweep'));
  const hasRun = useRun((s) => s.shown !== null);
  const refused = useRun((s) => s.refusal !== null || s.startError !== null);
  const dock = useRef<HTMLElement>(null);
  const strip = useTabStrip(tab, open);

  const onResizeStart = useCallback(
    (e: ReactPointerEvent<HTMLDivElement>) => {
      const el = dock.current;
      const parent = el?.parentElement;
      if (!el || !parent) return;
      e.preventDefault();
      const startY = e.clientY;
      const startH = el.getBoundingClientRect().height;
      const maxH = parent.getBoundingClientRect().height - 90;
      const move = (ev: PointerEvent): void => {
        el.style.height = `${Math.max(160, Math.min(maxH, startH + startY - ev.clientY))}px`;
      };
      const up = (ev: PointerEvent): void => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        run.getState().setDockHeight(Math.max(160, Math.min(maxH, startH + startY - ev.clientY)));
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [run],
  );

  const tabs: { id: ResultsTab; label: string; disabled?: boolean }[] = [...RUN_TABS.map((t) => ({ ...t, disabled: !hasRun && t.id !== 'summary' })), { id: 'history', label: 'History' }, { id: 'compare', label: compareCount ? `Compare (${compareCount})` : 'Compare' }, { id: 'sweep', label: sweepLabel }];
  const select = (id: ResultsTab): void => {
    run.getState().setTab(id);
  };
  // Arrow keys, Home and End move between the tabs that can be chosen (the WAI-ARIA tabs pattern).
  const onTabKey = (e: ReactKeyboardEvent<HTMLElement>): void => {
    const keys: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity };
    const step = keys[e.key];
    if (step === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    const enabled = tabs.filter((t) => !t.disabled);
    const at = enabled.findIndex((t) => t.id === (e.target as HTMLElement).dataset.tab);
    if (enabled.length === 0 || at < 0) return;
    e.preventDefault();
    const next = step === -Infinity ? 0 : step === Infinity ? enabled.length - 1 : (at + step + enabled.length) % enabled.length;
    const id = enabled[next]!.id;
    select(id);
    strip.ref.current?.querySelector<HTMLElement>(`[data-tab="${id}"]`)?.focus();
  };
  const overflowing = strip.edges.left || strip.edges.right;
  return (
    <section ref={dock} className={`results-dock${open ? ' is-open' : ''}${maximized && open ? ' is-max' : ''}`} style={open && !maximized ? { height } : undefined} aria-label="Results" data-testid="results-dock">
      {open && !maximized && <div className="dock-resizer" onPointerDown={onResizeStart} title="Drag to resize" aria-hidden />}
      <header className={`dock-head${overflowing ? ' has-more' : ''}`}>
        <nav ref={strip.ref} className={`dock-tabs${strip.edges.left ? ' more-left' : ''}${strip.edges.right ? ' more-right' : ''}`} role="tablist" aria-label="Results views" onKeyDown={onTabKey}>
          {tabs.map((t, i) => (
            <button
              key={t.id}
              role="tab"
              data-tab={t.id}
              tabIndex={t.id === tab ? 0 : -1}
              aria-selected={open && tab === t.id}
              className={`dock-tab${open && tab === t.id ? ' active' : ''}${i === RUN_TABS.length ? ' sep' : ''}`}
              onClick={() => select(t.id)}
              disabled={t.disabled}
              title={t.disabled ? 'Run the design or open a run first' : undefined}
            >
              {t.label}
            </button>
          ))}
        </nav>
        {open && tab !== 'history' && tab !== 'compare' && tab !== 'sweep' && <ShownRunInfo />}
        <span className="dock-buttons">
          {overflowing && (
            // Not every tab fits: every view is also one choice away here.
            <select className="dock-more" aria-label="All results views" title="All results views" value={tab} onChange={(e) => select(e.target.value as ResultsTab)}>
              {tabs.map((t) => (
                <option key={t.id} value={t.id} disabled={t.disabled}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
          <button className="icon-btn small" onClick={() => run.getState().toggleMaximized()} title={maximized ? 'Restore (show the canvas)' : 'Maximise the results'} aria-label={maximized ? 'Restore results size' : 'Maximise results'}>
            {maximized && open ? '▭' : '⤢'}
          </button>
          <button className="icon-btn small" onClick={() => run.getState().toggleDock()} title={`${open ? 'Hide' : 'Show'} results (${keysOf('results')})`} aria-label={open ? 'Hide results' : 'Show results'}>
            {open ? '▾' : '▴'}
          </button>
        </span>
      </header>
      {open && (
        <div className="dock-body" role="tabpanel">
          {tab !== 'history' && tab !== 'compare' && tab !== 'sweep' && <RunProblems />}
          {tab === 'history' ? <HistoryView /> : tab === 'compare' ? <CompareView /> : tab === 'sweep' ? <SweepView /> : refused && !hasRun ? null : <RunTabBody tab={tab} />}
        </div>
      )}
    </section>
  );
}
