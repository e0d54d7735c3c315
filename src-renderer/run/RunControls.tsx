/**
 * The run controls of the top bar: seed and simulated duration (the design's run settings, editable), Run
 * (Ctrl/⌘+R), and while a run is going its progress (share of simulated time, events/s) and Cancel (Ctrl/⌘+.);
 * while a sweep is going, the sweep's progress (step i of n, share of all its runs) and Cancel sweep.
 */
import { useCallback, useEffect, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { MAX_DURATION_NS } from '../../src-shared/catalog/params';
import { MAX_SEED } from '../../src-shared/model';
import { formatDuration, isBareNonZero, parseDuration } from '../../src-shared/util/units';
import { actionById, formatKeys } from '../editor/actions';
import { setDesignInfo } from '../editor/commands';
import { designHistoryKey, useFieldDraft } from '../editor/components/ValueField';
import { useEditor, useRun, useStudio, useSweep } from '../editor/context';
import { formatShort } from '../results/charts/common';
import type { RunProgress } from '../../src-shared/api/contract';
import type { Sweep } from './sweepStore';

function keysOf(id: string): string {
  const k = actionById(id).keys[0];
  return k ? formatKeys(k) : '';
}

type FieldParse = { ok: true; value: number } | { ok: false; error: string };

/**
 * A small field committed on Enter or blur; Escape restores. A refused value stays in the field (widened to show
 * it) with its reason under it, as a tooltip and as the field's accessible description, and is registered as
 * unapplied so that a run refuses to start until it is fixed or Escape restores the applied value.
 */
function InlineField({ label, value, parse, onCommit, width, title }: { label: string; value: string; parse(text: string): FieldParse; onCommit(v: number): void; width: number; title: string }) {
  const studio = useStudio();
  const { ui } = studio;
  // Shows the design's value unless something was typed since (see useFieldDraft); there, undo is the design's.
  const { draft, setDraft } = useFieldDraft(value, value);
  const parsed = draft === null ? null : parse(draft);
  const error = parsed && !parsed.ok ? parsed.error : undefined;
  const errorId = `run-field-${label}-error`;
  useEffect(() => {
    if (!error) return;
    const key = `topbar\u0000${label}`;
    ui.getState().setUnapplied(key, error);
    return () => ui.getState().setUnapplied(key, null);
  }, [ui, error, label]);
  const commit = (): void => {
    if (draft === null || !parsed) return;
    if (!parsed.ok) return; // stays in the field with its reason; nothing is committed
    setDraft(null);
    onCommit(parsed.value);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (draft === null && designHistoryKey(e, studio)) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setDraft(null);
    }
  };
  // Wide enough for what is typed (monospace), within reason.
  const shownWidth = draft === null ? width : Math.min(MAX_FIELD_WIDTH, Math.max(width, Math.ceil(draft.length * 7.3) + 16));
  return (
    <span className="run-field-wrap">
      <label className={`run-field${error ? ' is-invalid' : ''}`} title={error ?? title}>
        <span className="run-field-label">{label}</span>
        <input
          type="text"
          spellCheck={false}
          autoComplete="off"
          value={draft ?? value}
          style={{ width: shownWidth }}
          aria-label={label}
          aria-invalid={!!error}
          aria-describedby={error ? errorId : undefined}
          title={error ?? title}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={onKey}
        />
      </label>
      {error && (
        <span className="run-field-error" id={errorId} role="alert">
          {error}
          <span className="muted"> — not applied (Esc restores {value})</span>
        </span>
      )}
    </span>
  );
}

const MAX_FIELD_WIDTH = 200;
/** The shortest run the top bar accepts. */
const MIN_RUN_NS = 1_000;
/** The design's limit (MAX_DURATION_NS, 1 h), as typed: the parser reads `60min` or `3600s`, not `1h`. */
const MAX_RUN_TEXT = `1 h (${MAX_DURATION_NS / 60_000_000_000}min)`;
const DURATION_HINT = `use a number with a unit: 250ns, 40us, 5ms, 10s or 2min; at most ${MAX_RUN_TEXT}`;

function parseSeed(text: string): FieldParse {
  const n = Number(text.trim().replace(/[_,]/g, ''));
  if (!/^\s*\d[\d_,]*\s*$/.test(text) || !Number.isSafeInteger(n) || n > MAX_SEED) {
    const what = text.trim() === '' ? 'needs a value' : `“${text.trim()}” is not a seed`;
    return { ok: false, error: `Seed: ${what} — a seed is a whole number from 0 to ${MAX_SEED.toLocaleString('en-US')}` };
  }
  return { ok: true, value: n };
}

/**
 * The top bar's "for": a duration as the rest of the studio reads one (`parseDuration`, with a unit),
 * from 1 µs to the design's limit of 1 h of simulated time. Every refusal names the field and says what is accepted.
 */
export function parseRunDuration(text: string): FieldParse {
  const t = text.trim();
  if (t === '') return { ok: false, error: `Run for: needs a duration — ${DURATION_HINT}` };
  // As the command line's --duration: a number without a unit is refused (5000 would be 5 µs, not what was meant).
  if (isBareNonZero(t)) return { ok: false, error: `Run for: “${t}” needs a unit — ${DURATION_HINT}` };
  const r = parseDuration(t);
  if (!r.ok) return { ok: false, error: `Run for: “${t}” is not a duration — ${DURATION_HINT}` };
  if (r.value < MIN_RUN_NS) return { ok: false, error: `Run for: “${t}” is ${formatDuration(r.value)}, shorter than the ${formatDuration(MIN_RUN_NS)} minimum — ${DURATION_HINT}` };
  if (r.value > MAX_DURATION_NS) return { ok: false, error: `Run for: “${t}” is more than ${MAX_RUN_TEXT} of simulated time — ${DURATION_HINT}` };
  return r;
}

/** Progress of the active run: a bar, the share of simulated time and the event rate. */
export function RunProgressBar({ name = 'Run progress' }: { name?: string }) {
  const active = useRun((s) => s.active);
  if (!active) return null;
  const p = active.progress;
  const fraction = p ? Math.max(0, Math.min(1, p.fraction)) : 0;
  const label = active.runId === null ? 'Starting…' : !p || p.status === 'queued' ? `Run #${active.runId} queued…` : `${Math.floor(fraction * 100)} %`;
  return (
    <div className="run-progress" role="progressbar" aria-label={name} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} title={p ? `${formatDuration(p.simTimeNs)} of ${formatDuration(p.durationNs)} simulated · ${p.events.toLocaleString('en-US')} events` : undefined}>
      <div className="run-progress-track">
        <div className="run-progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <span className="run-progress-text">
        {label}
        {p && p.eventsPerSec > 0 && <span className="muted"> · {formatShort(p.eventsPerSec)} events/s</span>}
      </span>
    </div>
  );
}

/**
 * How far a sweep has got: the point under way (1-based; the last one once all have ended), the number of points,
 * and the share of the whole sweep done, counting the run in progress by its share of simulated time.
 */
export function sweepProgress(sweep: Pick<Sweep, 'points'>, progress: RunProgress | null | undefined): { step: number; steps: number; fraction: number } {
  const steps = sweep.points.length;
  const ended = sweep.points.filter((p) => p.status !== 'pending' && p.status !== 'running').length;
  const running = sweep.points.findIndex((p) => p.status === 'running');
  const current = running >= 0 && progress && progress.status === 'running' ? Math.max(0, Math.min(1, progress.fraction)) : 0;
  const step = running >= 0 ? running + 1 : Math.min(ended + 1, steps);
  return { step, steps, fraction: steps > 0 ? Math.min(1, (ended + current) / steps) : 0 };
}

/**
 * The sweep's progress and its Cancel are longer than a run's, for which the top bar is laid out (on one line down
 * to the desktop app's 900 px). Below SWEEP_FULL_TEXT_MIN_WIDTH, "Sweep run 2 of 3 · 33 %" is cut to "2 of 3 · 33 %"
 * and "Cancel sweep" to "Cancel"; below a wide window (1440 px, where the styles also cut a run's progress) to
 * "2 of 3": the bar shows the share. The full text stays, hidden from sight only, so it remains the elements' text
 * and accessible names; the tooltips say it all too.
 */
export const SWEEP_FULL_TEXT_MIN_WIDTH = 1600;
const WIDE_WINDOW = 1440;

/** Hidden from sight, not from assistive technology or `textContent` (as the top bar's `.tb-label`). */
const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' } as const;

/** Whether the window is narrower than `px` (a media query, so it follows resizes). */
function useNarrowerThan(px: number): boolean {
  const query = `(max-width: ${px - 1}px)`;
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (typeof matchMedia !== 'function') return () => {};
      const q = matchMedia(query);
      q.addEventListener('change', onChange);
      return () => q.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => typeof matchMedia === 'function' && matchMedia(query).matches, () => false);
}

/** Words of the top bar that only a window wide enough shows. */
function Shown({ when, children }: { when: boolean; children: ReactNode }) {
  return when ? <>{children}</> : <span style={VISUALLY_HIDDEN}>{children}</span>;
}

/** Progress of the running sweep (null when none runs): a bar of the whole sweep, "run i of n" and its share. */
export function SweepProgressBar({ name = 'Sweep progress' }: { name?: string }) {
  const sweep = useSweep((s) => (s.sweep?.state === 'running' ? s.sweep : null));
  const progress = useRun((s) => (s.active?.quiet ? s.active.progress : null));
  const full = !useNarrowerThan(SWEEP_FULL_TEXT_MIN_WIDTH);
  const share = !useNarrowerThan(WIDE_WINDOW);
  if (!sweep) return null;
  const { step, steps, fraction } = sweepProgress(sweep, progress);
  const pct = Math.floor(fraction * 100);
  return (
    <div className="run-progress sweep" role="progressbar" aria-label={name} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`run ${step} of ${steps}, ${pct} %`} title={`Sweep of ${sweep.def.label}: run ${step} of ${steps} under way (${steps} values), ${pct} % of the sweep done`} data-testid="topbar-sweep-progress">
      <div className="run-progress-track">
        <div className="run-progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      <span className="run-progress-text">
        <Shown when={full}>Sweep run </Shown>
        {step} of {steps}
        <Shown when={share}> · {pct} %</Shown>
      </span>
    </div>
  );
}

/** Cancel of the running sweep in the top bar ("Cancel" below SWEEP_FULL_TEXT_MIN_WIDTH). */
function CancelSweepButton() {
  const studio = useStudio();
  const full = !useNarrowerThan(SWEEP_FULL_TEXT_MIN_WIDTH);
  return (
    <button className="btn danger-outline" onClick={() => void studio.sweep.getState().cancel()} title={`Cancel the sweep: stop the run under way and start no more (${keysOf('cancelRun')})`}>
      ■ Cancel<Shown when={full}> sweep</Shown>
    </button>
  );
}

export function RunControls() {
  const studio = useStudio();
  const run = useEditor((s) => s.design.run);
  const active = useRun((s) => s.active);
  const sweeping = useSweep((s) => s.sweep?.state === 'running');
  const dockOpen = useRun((s) => s.dockOpen);
  const hasOverlay = useRun((s) => s.overlay !== null);
  const overlayVisible = useRun((s) => s.overlayVisible);
  const setRun = (patch: { seed?: number; durationNs?: number }): void => {
    const r = studio.editor.getState().execute(setDesignInfo({ run: patch }));
    if (!r.ok) studio.ui.getState().toast(r.reason, { tone: 'error' });
  };
  return (
    <div className="run-controls">
      <InlineField label="seed" value={String(run.seed)} parse={parseSeed} onCommit={(seed) => seed !== run.seed && setRun({ seed })} width={64} title="Seed of the run: the same design and seed give the same results" />
      <InlineField label="for" value={formatDuration(run.durationNs)} parse={parseRunDuration} onCommit={(durationNs) => durationNs !== run.durationNs && setRun({ durationNs })} width={70} title="Run for: the simulated duration, from 1 µs to 1 h (e.g. 500ms, 2s, 10min)" />
      {sweeping ? (
        <>
          <SweepProgressBar />
          <CancelSweepButton />
        </>
      ) : active ? (
        <>
          <RunProgressBar />
          <button className="btn danger-outline" onClick={() => void studio.run.getState().cancel()} disabled={active.runId === null || active.cancelling} title={`Cancel the run (${keysOf('cancelRun')})`}>
            ■ {active.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </>
      ) : (
        <button className="btn primary run-btn" onClick={() => void studio.run.getState().start()} title={`Run the design (${keysOf('run')})`}>
          ▶ Run
        </button>
      )}
      <button className={`btn ghost${dockOpen ? ' active' : ''}`} onClick={() => studio.run.getState().toggleDock()} aria-pressed={dockOpen} title={`Show / hide results (${keysOf('results')})`}>
        Results
      </button>
      <label className={`overlay-toggle${hasOverlay ? '' : ' is-disabled'}`} title={`Draw results on the canvas: p99 on edges, MPU badges, lost messages in red (${keysOf('overlay')})`}>
        <input type="checkbox" checked={overlayVisible} disabled={!hasOverlay} onChange={(e) => studio.run.getState().setOverlayVisible(e.target.checked)} />
        <span>On canvas</span>
      </label>
    </div>
  );
}
