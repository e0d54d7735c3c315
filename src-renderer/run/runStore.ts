/**
 * Runs seen from the editor: the run in progress (started here), the run whose results are shown, the canvas
 * overlay, the results dock (open, tab, size) and the runs picked for comparison. Talks to the contract only;
 * the views fetch their chart data themselves.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunProgress } from '../../src-shared/api/contract';
import { loadDesignObject, serializeDesign, type Design, type Finding } from '../../src-shared/model';
import { designContentHash } from '../../src-shared/model/designHash';
import type { RunListItem, RunRecord } from '../../src-shared/results/runStore';
import { formatDuration } from '../../src-shared/util/units';
import { call, StudioApiError } from '../api';
import type { Controller } from '../editor/controller';
import { lintDesign } from '../editor/lint';
import { historyHead, isDirty, type EditorData, type EditorStore } from '../editor/store';
import type { UiStore } from '../editor/ui';
import { computeOverlay, stabilise, type CanvasOverlay } from '../../src-shared/results/overlay';

/** Tabs of the results dock: a run's views, then the history and the comparison. */
export type ResultsTab = 'summary' | 'latency' | 'copies' | 'mpu' | 'queues' | 'cpu' | 'timeline' | 'history' | 'compare' | 'sweep';

export const RUN_TABS: readonly { id: ResultsTab; label: string }[] = [
  { id: 'summary', label: 'Summary' },
  { id: 'latency', label: 'Latency' },
  { id: 'copies', label: 'Copies' },
  { id: 'mpu', label: 'MPU' },
  { id: 'queues', label: 'Queues' },
  { id: 'cpu', label: 'CPU' },
  { id: 'timeline', label: 'Timeline' },
];

/** The run started from this window and not finished yet. `runId` is null until the main process answered. */
export interface ActiveRun {
  runId: number | null;
  designName: string;
  seed: number;
  durationNs: number;
  progress: RunProgress | null;
  cancelling: boolean;
  /** Wall-clock ms of the last progress (or of the start): the poll fallback looks at it. */
  lastSeen: number;
  /** Started by a sweep: its end neither opens the run's summary nor toasts (the Sweep view shows it). */
  quiet: boolean;
}

/** The run whose results the dock shows. */
export interface ShownRun {
  runId: number;
  record: RunRecord | null;
  loading: boolean;
  error: string | null;
}

/** Where a run started from this window came from: to say "the design changed since". */
export interface RunOrigin {
  docSeq: number;
  head: number;
}

/**
 * How a recorded run stands to the design on the canvas: `same` — the canvas is the design it ran; `edited` — a
 * different version of it (edited since the run, or recorded from another version: by the CLI, in another
 * session), so results drawn are the run's, not the canvas's; `other` — another design (its results are not drawn).
 */
export type RunVersusCanvas = 'same' | 'edited' | 'other';

const canvasHashes = new WeakMap<Design, string>();

/**
 * The design hash a run of `design` would be recorded with. Main hashes the design as it loads it (schema defaults,
 * durations normalised), so the canvas's design is loaded the same way first; one that does not load (it has
 * errors, so it was never run) is hashed as it is. Memoised per design object (designs are immutable).
 */
export function canvasDesignHash(design: Design): string {
  let h = canvasHashes.get(design);
  if (h === undefined) {
    const loaded = loadDesignObject(design);
    h = designContentHash(loaded.ok ? loaded.design : design);
    canvasHashes.set(design, h);
  }
  return h;
}

/**
 * Whether `run` is of the design on the canvas, as it is now (see `RunVersusCanvas`). A run started from this
 * document is of it whatever its name became; another run is of it when the names match. The version is the
 * recorded design hash against the canvas's — unless nothing was edited since this window started the run.
 */
export function runVersusCanvas(run: Pick<RunListItem, 'designName' | 'designHash'>, origin: RunOrigin | undefined, ed: Pick<EditorData, 'docSeq' | 'design' | 'past'>): RunVersusCanvas {
  if (isOtherDesign(run, origin, ed)) return 'other';
  if (origin && origin.head === historyHead(ed as EditorData)) return 'same';
  return run.designHash === canvasDesignHash(ed.design) ? 'same' : 'edited';
}

/** Whether `run` is of another design than the canvas's (then its results are not drawn; no hash is needed). */
function isOtherDesign(run: Pick<RunListItem, 'designName'>, origin: RunOrigin | undefined, ed: Pick<EditorData, 'docSeq' | 'design'>): boolean {
  return origin ? origin.docSeq !== ed.docSeq : run.designName !== ed.design.name;
}

/** The settings a recorded run ran with (which may not be its design's: `run --seed`, a re-run, a sweep). */
export interface RunSettingsUsed {
  seed: number;
  /** Simulated duration asked for; null when the run did not record it (then `simTimeNs` is what is known). */
  durationNs: number | null;
  warmupNs: number | null;
}

/** What `r` ran with: its seed, and the duration and warm-up the runner recorded in its settings. */
export function runSettingsUsed(r: Pick<RunRecord, 'seed' | 'settings'>): RunSettingsUsed {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
  return { seed: r.seed, durationNs: num(r.settings?.durationNs), warmupNs: num(r.settings?.warmupNs) };
}

/** Whether a run ran with other settings than a design's `run` block (unrecorded ones don't count). */
export function runSettingsDiffer(used: RunSettingsUsed, run: Design['run']): boolean {
  return used.seed !== run.seed || (used.durationNs !== null && used.durationNs !== run.durationNs) || (used.warmupNs !== null && used.warmupNs !== Math.min(run.warmupNs, run.durationNs));
}

/** "seed 7 · 500 ms" (with the warm-up when there was one): what a run was run with, or a design is set to run with. */
export function settingsText(used: RunSettingsUsed, simTimeNs: number | null = null): string {
  const d = used.durationNs ?? simTimeNs;
  return `seed ${used.seed}${d !== null ? ` · ${formatDuration(d)}` : ''}${used.warmupNs ? ` (warm-up ${formatDuration(used.warmupNs)})` : ''}`;
}

export interface RunData {
  active: ActiveRun | null;
  /** Why the last Run was refused: the design's errors. */
  refusal: Finding[] | null;
  /** Why the last start failed (server unreachable, …). */
  startError: string | null;
  shown: ShownRun | null;
  overlay: CanvasOverlay | null;
  /** The record of the run drawn on the canvas (its version and settings). Invariant: `overlayRecord?.id === overlay?.runId`. */
  overlayRecord: RunRecord | null;
  overlayVisible: boolean;
  dockOpen: boolean;
  tab: ResultsTab;
  /** Height of the dock in px (when not maximised). */
  dockHeight: number;
  maximized: boolean;
  /**
   * Runs picked for comparison, baseline first: oldest first (run ids grow with time), so deltas and "what changed"
   * read old → new whatever order they were ticked in; a run made the baseline by hand (`compareBaseline`) leads.
   */
  compareIds: number[];
  /** The run the user made the baseline ("make baseline"); null: the oldest picked run is. */
  compareBaseline: number | null;
  /** Bumped when the run list changes (a run started, ended or was deleted). */
  historyRev: number;
  origins: Readonly<Record<number, RunOrigin>>;
}

export interface RunActions {
  /**
   * Checks the design and starts a run; resolves the run id (null when refused or failed to start). `variant`: the
   * design is a changed copy of the canvas's (a sweep point), so its results are never drawn on the canvas.
   */
  start(opts?: { seed?: number; durationNs?: number; design?: Design; label?: string; quiet?: boolean; variant?: boolean }): Promise<number | null>;
  cancel(): Promise<void>;
  /** Feeds one progress event (from the subscription). */
  handleProgress(p: RunProgress): void;
  /** Shows a recorded run's results (opens the dock). */
  show(runId: number, tab?: ResultsTab): Promise<void>;
  /** Runs a recorded run's design again with the same seed and duration. */
  rerun(runId: number): Promise<number | null>;
  remove(runId: number): Promise<boolean>;
  /** Loads a recorded run's design into the editor (asks about unsaved changes). */
  openDesignOf(runId: number): Promise<boolean>;
  setTab(tab: ResultsTab): void;
  setDockOpen(open: boolean): void;
  toggleDock(): void;
  setDockHeight(px: number): void;
  toggleMaximized(): void;
  setOverlayVisible(v: boolean): void;
  /** Picks a run for comparison (up to MAX_COMPARE), or unpicks it (the list stays oldest first). */
  toggleCompare(runId: number): void;
  /** Picks exactly these runs (oldest first; any baseline chosen by hand is forgotten). */
  setCompare(ids: number[]): void;
  /** Makes one of the picked runs the baseline (the others stay oldest first). */
  makeBaseline(runId: number): void;
  /** Opens the comparison of `ids` (or of the picked runs), oldest first. */
  openCompare(ids?: number[]): void;
  dismissRefusal(): void;
  /** Stops timers and subscriptions (tests, window close). */
  dispose(): void;
}

export type RunState = RunData & RunActions;
export type RunStore = StoreApi<RunState>;

const DOCK_KEY = 'tock-studio.results-dock';
/** At most this many runs are compared (the contract's limit). */
export const MAX_COMPARE = 12;

/**
 * The order runs are compared in: oldest first (lower run id: ids are given out in the order runs start), so the
 * earlier run is the baseline and every change reads old → new; `baseline`, when it is one of `ids`, goes first.
 */
export function compareOrder(ids: readonly number[], baseline: number | null = null): number[] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  return baseline !== null && sorted.includes(baseline) ? [baseline, ...sorted.filter((id) => id !== baseline)] : sorted;
}
const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);
/** Without progress for this long, the run's status is asked for (a lost event must not hang the UI). */
export const POLL_AFTER_MS = 2_000;

function readDockHeight(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(DOCK_KEY));
    return Number.isFinite(v) && v >= 160 ? v : 360;
  } catch {
    return 360;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface RunStoreDeps {
  editor: EditorStore;
  ui: UiStore;
  ctl: Controller;
  /** Wall clock (tests pass their own). */
  now?: () => number;
}

/** Creates the run store of a studio window. */
export function createRunStore({ editor, ui, ctl, now = () => Date.now() }: RunStoreDeps): RunStore {
  const early = new Map<number, RunProgress>();
  let poll: ReturnType<typeof setInterval> | undefined;

  /**
   * Whether a run's results belong on the canvas: it was started from the document open now, or it is a run of a
   * design of the same name (a run of another design is not drawn, even where node ids happen to match). A run of
   * another version of it is drawn, and marked as such (`runVersusCanvas`).
   */
  const runMatchesCanvas = (record: RunRecord, origin: RunOrigin | undefined): boolean => !isOtherDesign(record, origin, editor.getState());

  /** The results need the room: opening them folds the problems panel unless the design has errors. */
  const foldProblems = (): void => {
    const u = ui.getState();
    if (u.lintOpen && !u.findings.some((f) => f.severity === 'error')) u.setLintOpen(false);
  };

  const store = createStore<RunState>()((set, get) => {
    const stopPolling = (): void => {
      if (poll !== undefined) clearInterval(poll);
      poll = undefined;
    };

    const finish = (p: RunProgress): void => {
      const a = get().active;
      if (!a || a.runId !== p.runId) return;
      stopPolling();
      set((s) => ({ active: null, historyRev: s.historyRev + 1 }));
      if (a.quiet) return;
      if (p.status === 'done') {
        void get().show(p.runId, 'summary');
        ui.getState().toast(`Run #${p.runId} finished`, { tone: 'success' });
      } else if (p.status === 'failed') {
        void get().show(p.runId, 'summary');
        ui.getState().toast(`Run #${p.runId} failed${p.error ? `: ${p.error}` : ''}`, { tone: 'error' });
      } else {
        ui.getState().toast(`Run #${p.runId} cancelled`);
      }
    };

    const checkStatus = async (): Promise<void> => {
      const a = get().active;
      if (!a || a.runId === null || now() - a.lastSeen < POLL_AFTER_MS) return;
      try {
        const r = await call('getRun', { runId: a.runId });
        if (TERMINAL.has(r.status)) {
          const status = r.status === 'interrupted' ? 'failed' : (r.status as RunProgress['status']);
          finish({ runId: r.id, status, simTimeNs: r.simTimeNs ?? 0, durationNs: a.durationNs, fraction: status === 'done' ? 1 : (a.progress?.fraction ?? 0), events: r.events ?? 0, eventsPerSec: 0, wallMs: r.wallMs ?? 0, ...(r.error ? { error: r.error } : {}) });
        } else set((s) => (s.active ? { active: { ...s.active, lastSeen: now() } } : {}));
      } catch {
        // The next tick tries again.
      }
    };

    return {
      active: null,
      refusal: null,
      startError: null,
      shown: null,
      overlay: null,
      overlayRecord: null,
      overlayVisible: true,
      dockOpen: false,
      tab: 'summary',
      dockHeight: readDockHeight(),
      maximized: false,
      compareIds: [],
      compareBaseline: null,
      historyRev: 0,
      origins: {},

      async start(opts = {}) {
        if (get().active) {
          ui.getState().toast('A run is already in progress: cancel it or wait for it to finish.');
          return null;
        }
        const pending = Object.values(ui.getState().unapplied);
        if (!opts.design && pending.length > 0) {
          // The canvas shows a value the design does not have: running would measure something else.
          const more = pending.length > 1 ? ` (and ${pending.length - 1} more)` : '';
          ui.getState().toast(`Can’t run: ${pending[0]}. Fix the value, or press Esc in the field to restore the applied one${more}.`, { tone: 'error', ms: 9000 });
          return null;
        }
        const ed = editor.getState();
        const design = opts.design ?? ed.design;
        if (!design.nodes.some((n) => n.kind === 'kernel')) {
          ui.getState().toast('Nothing to run: the design has no kernel. Add a Kernel, then processes and mechanisms inside it.', { tone: 'error' });
          return null;
        }
        const errors = lintDesign(design).filter((f) => f.severity === 'error');
        if (errors.length > 0) {
          set({ refusal: errors, startError: null, dockOpen: true, tab: 'summary', maximized: false });
          ui.getState().setLintOpen(true);
          ui.getState().toast(`Can’t run: the design has ${errors.length} error${errors.length === 1 ? '' : 's'}`, { tone: 'error' });
          return null;
        }
        const seed = opts.seed ?? design.run.seed;
        const durationNs = opts.durationNs ?? design.run.durationNs;
        set({ refusal: null, startError: null, active: { runId: null, designName: design.name, seed, durationNs, progress: null, cancelling: false, lastSeen: now(), quiet: opts.quiet === true } });
        let runId: number;
        try {
          ({ runId } = await call('startRun', { design, seed, durationNs, ...(opts.label ? { label: opts.label } : {}) }));
        } catch (e) {
          const findings = e instanceof StudioApiError && e.code === 'invalid-design' ? ((e.findings ?? []) as Finding[]).filter((f) => f.severity === 'error') : [];
          set({ active: null, ...(findings.length ? { refusal: findings } : { startError: message(e) }), dockOpen: true, tab: 'summary' });
          ui.getState().toast(`Can’t run: ${message(e)}`, { tone: 'error' });
          return null;
        }
        // A variant never matches the canvas (no document has sequence −1); a run of another design given here
        // (a re-run) is matched by name.
        const origin: RunOrigin | null = opts.variant ? { docSeq: -1, head: -1 } : opts.design ? null : { docSeq: ed.docSeq, head: historyHead(ed) };
        set((s) => ({
          active: s.active ? { ...s.active, runId, lastSeen: now() } : null,
          historyRev: s.historyRev + 1,
          origins: origin ? { ...s.origins, [runId]: origin } : s.origins,
        }));
        stopPolling();
        poll = setInterval(() => void checkStatus(), 1_000);
        const buffered = early.get(runId);
        early.clear();
        if (buffered) get().handleProgress(buffered);
        return runId;
      },

      async cancel() {
        const a = get().active;
        if (!a || a.runId === null || a.cancelling) return;
        set({ active: { ...a, cancelling: true } });
        try {
          await call('cancelRun', { runId: a.runId });
        } catch (e) {
          set((s) => (s.active ? { active: { ...s.active, cancelling: false } } : {}));
          ui.getState().toast(`Could not cancel: ${message(e)}`, { tone: 'error' });
        }
      },

      handleProgress(p) {
        const a = get().active;
        if (!a) return;
        if (a.runId === null) {
          // The event overtook startRun's answer: keep it until the id is known.
          early.set(p.runId, p);
          return;
        }
        if (p.runId !== a.runId) return;
        if (TERMINAL.has(p.status)) finish(p);
        else set({ active: { ...a, progress: p, lastSeen: now() } });
      },

      async show(runId, tab) {
        foldProblems();
        set((s) => ({ shown: { runId, record: s.shown?.runId === runId ? s.shown.record : null, loading: true, error: null }, dockOpen: true, ...(tab ? { tab } : s.tab === 'history' || s.tab === 'compare' ? { tab: 'summary' as const } : {}) }));
        try {
          const record = await call('getRun', { runId });
          if (get().shown?.runId !== runId) return;
          const overlay = record.summary && runMatchesCanvas(record, get().origins[runId]) ? computeOverlay(runId, record.summary, editor.getState().design) : null;
          set({ shown: { runId, record, loading: false, error: null }, overlay, overlayRecord: overlay ? record : null });
        } catch (e) {
          if (get().shown?.runId !== runId) return;
          set({ shown: { runId, record: null, loading: false, error: message(e) }, overlay: null, overlayRecord: null });
        }
      },

      async rerun(runId) {
        let design: Design;
        let seed: number;
        let durationNs: number | undefined;
        try {
          const exported = await call('exportRun', { runId, format: 'json' });
          const parsed = JSON.parse(exported.text) as { run: RunRecord; design: unknown };
          const loaded = loadDesignObject(parsed.design);
          if (!loaded.ok) throw new Error('its design snapshot no longer loads');
          design = loaded.design;
          seed = parsed.run.seed;
          const d = Number(parsed.run.settings?.durationNs);
          durationNs = Number.isFinite(d) && d > 0 ? d : undefined;
        } catch (e) {
          ui.getState().toast(`Can’t re-run #${runId}: ${message(e)}`, { tone: 'error' });
          return null;
        }
        return get().start({ design, seed, ...(durationNs !== undefined ? { durationNs } : {}), label: `re-run of #${runId}` });
      },

      async remove(runId) {
        try {
          const { deleted } = await call('deleteRun', { runId });
          set((s) => ({
            historyRev: s.historyRev + 1,
            compareIds: s.compareIds.filter((id) => id !== runId),
            ...(s.compareBaseline === runId ? { compareBaseline: null } : {}),
            ...(s.shown?.runId === runId || s.overlay?.runId === runId ? { shown: s.shown?.runId === runId ? null : s.shown, overlay: null, overlayRecord: null } : {}),
          }));
          return deleted;
        } catch (e) {
          ui.getState().toast(`Could not delete run #${runId}: ${message(e)}`, { tone: 'error' });
          return false;
        }
      },

      async openDesignOf(runId) {
        try {
          const exported = await call('exportRun', { runId, format: 'json' });
          const parsed = JSON.parse(exported.text) as { design: unknown };
          const loaded = loadDesignObject(parsed.design);
          if (!loaded.ok) throw new Error('its design snapshot no longer loads');
          if (isDirty(editor.getState())) {
            const choice = await new Promise<'save' | 'discard' | 'cancel'>((resolve) =>
              ui.getState().setDialog({
                kind: 'unsaved',
                action: `open the design of run #${runId}`,
                resolve: (c) => {
                  ui.getState().setDialog(null);
                  resolve(c);
                },
              }),
            );
            if (choice === 'cancel') return false;
            if (choice === 'save' && !(await ctl.save())) return false;
          }
          const ok = ctl.openText(`run-${runId}-design.json`, serializeDesign(loaded.design));
          if (ok) editor.getState().markSaved(null);
          return ok;
        } catch (e) {
          ui.getState().toast(`Can’t open the design of run #${runId}: ${message(e)}`, { tone: 'error' });
          return false;
        }
      },

      setTab(tab) {
        foldProblems();
        set({ tab, dockOpen: true });
      },
      setDockOpen(dockOpen) {
        if (dockOpen) foldProblems();
        set(dockOpen ? { dockOpen } : { dockOpen, maximized: false });
      },
      toggleDock() {
        if (!get().dockOpen) foldProblems();
        set((s) => ({ dockOpen: !s.dockOpen, maximized: s.dockOpen ? false : s.maximized }));
      },
      setDockHeight(px) {
        const h = Math.round(Math.max(160, px));
        try {
          globalThis.localStorage?.setItem(DOCK_KEY, String(h));
        } catch {
          // not remembered
        }
        set({ dockHeight: h });
      },
      toggleMaximized: () => set((s) => ({ maximized: !s.maximized, dockOpen: true })),
      setOverlayVisible: (overlayVisible) => set({ overlayVisible }),
      toggleCompare: (id) =>
        set((s) => {
          if (s.compareIds.includes(id)) {
            const baseline = s.compareBaseline === id ? null : s.compareBaseline;
            return { compareIds: compareOrder(s.compareIds.filter((x) => x !== id), baseline), compareBaseline: baseline };
          }
          if (s.compareIds.length >= MAX_COMPARE) {
            ui.getState().toast(`At most ${MAX_COMPARE} runs can be compared: untick one first.`);
            return {};
          }
          return { compareIds: compareOrder([...s.compareIds, id], s.compareBaseline) };
        }),
      setCompare: (ids) => set({ compareIds: compareOrder(ids).slice(0, MAX_COMPARE), compareBaseline: null }),
      makeBaseline: (id) => set((s) => (s.compareIds.includes(id) ? { compareIds: compareOrder(s.compareIds, id), compareBaseline: id } : {})),
      openCompare(ids) {
        foldProblems();
        set({ ...(ids ? { compareIds: compareOrder(ids).slice(0, MAX_COMPARE), compareBaseline: null } : {}), tab: 'compare', dockOpen: true });
      },
      dismissRefusal: () => set({ refusal: null, startError: null }),
      dispose() {
        stopPolling();
        unsubEditor();
      },
    };
  });

  // A refusal goes away once the design has no errors left (the user fixed them).
  ui.subscribe((u, prev) => {
    if (u.findings === prev.findings || !store.getState().refusal) return;
    if (!u.findings.some((f) => f.severity === 'error')) store.setState({ refusal: null });
  });

  // Keep the overlay on the design as it is edited (ids added or removed); positions alone change nothing.
  const unsubEditor = editor.subscribe((s, prev) => {
    if (s.design === prev.design) return;
    if (s.design.edges === prev.design.edges && s.design.nodes.length === prev.design.nodes.length && s.docSeq === prev.docSeq) return;
    const st = store.getState();
    const record = st.shown?.record;
    if (!record?.summary) return;
    if (!runMatchesCanvas(record, st.origins[record.id])) {
      if (st.overlay) store.setState({ overlay: null, overlayRecord: null });
      return;
    }
    store.setState({ overlay: stabilise(st.overlay, computeOverlay(record.id, record.summary, s.design)), overlayRecord: record });
  });

  return store;
}
