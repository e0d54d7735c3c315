/**
 * A parameter sweep in progress or finished: one recorded run per value, started one after another through the run
 * store (so each is validated, recorded and listed in History like any run, labelled with its value), and the
 * runs' summaries kept for the Sweep view. Cancelling stops the run in progress and starts no more.
 *
 * The last SWEEP_HISTORY sweeps are remembered (which runs, which values; local storage): the latest is shown again in
 * the next session, the earlier ones can be opened from the Sweep view, their summaries read back from the run
 * database; a sweep the window closed on ends as cancelled there.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { getKind, getParamDef, type NumberParam } from '../../src-shared/catalog';
import { describeFinding, validateDesign, type Design } from '../../src-shared/model';
import { designAtPoint, pointLabel, type SweepTarget } from '../../src-shared/model/sweep';
import type { RunRecord } from '../../src-shared/results/runStore';
import type { RunSummary } from '../../src-shared/results/summary';
import { call } from '../api';
import type { UiStore } from '../editor/ui';
import type { RunStore } from './runStore';

export type PointStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface SweepPoint {
  value: number;
  runId: number | null;
  status: PointStatus;
  summary: RunSummary | null;
  error: string | null;
  /** What the lint says of the design at this value and not of the design swept (a payload the mechanism refuses…). */
  notes?: string[];
}

export interface Sweep {
  id: number;
  /** Stable identity in the remembered sweeps (survives sessions). */
  key: string;
  /** When it was started (ms since the epoch; 0 when not known). */
  at: number;
  /** Kind of the swept nodes (what the parameter's definition is looked up in). */
  kind: string;
  designName: string;
  target: SweepTarget;
  def: NumberParam;
  /** Names of the swept nodes, for the caption. */
  nodeNames: string[];
  seed: number;
  durationNs: number;
  points: SweepPoint[];
  state: 'running' | 'done' | 'cancelled' | 'failed';
}

/** What starting a sweep needs. */
export interface SweepRequest {
  design: Design;
  target: SweepTarget;
  def: NumberParam;
  values: readonly number[];
  seed: number;
  durationNs: number;
}

/** A remembered sweep, as listed for opening again (newest first). */
export interface SweepEntry {
  key: string;
  at: number;
  designName: string;
  paramLabel: string;
  nodeNames: string[];
  values: number;
  state: Sweep['state'];
}

export interface SweepState {
  /** The sweep shown in the Sweep view (the one running, if any). */
  sweep: Sweep | null;
  /** The remembered sweeps, newest first (the shown one included). */
  history: SweepEntry[];
  /** Runs every point in turn; resolves when the sweep ends (done, cancelled or failed). */
  start(req: SweepRequest): Promise<void>;
  cancel(): Promise<void>;
  /** Shows a remembered sweep again (not while a sweep runs); false when there is no such sweep. */
  open(key: string): boolean;
  /** Forgets the shown sweep (not while it runs); the next remembered one is shown. */
  clear(): void;
}

export type SweepStore = StoreApi<SweepState>;

/** Resolves when the run store has no active run (the one just started ended). */
function runEnded(run: RunStore): Promise<void> {
  return new Promise((resolve) => {
    if (!run.getState().active) return resolve();
    const off = run.subscribe((s) => {
      if (!s.active) {
        off();
        resolve();
      }
    });
  });
}

/** Where the remembered sweeps are kept. */
export const SWEEPS_KEY = 'tock-studio.sweeps';
/** Where an earlier version kept the last sweep alone (read once, then moved to SWEEPS_KEY). */
export const SWEEP_KEY = 'tock-studio.last-sweep';
/** How many sweeps are remembered. */
export const SWEEP_HISTORY = 10;

/** What is remembered of a sweep: enough to show it again with its runs' summaries read back. */
interface SavedSweep {
  v: 1;
  /** Absent in sweeps saved by an earlier version. */
  key?: string;
  at?: number;
  designName: string;
  kind: string;
  target: SweepTarget;
  nodeNames: string[];
  seed: number;
  durationNs: number;
  points: { value: number; runId: number | null; status: PointStatus; notes?: string[] }[];
  state: Sweep['state'];
}

type Storage1 = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The lint's warnings about `variant` that it does not give about `base`, as sentences. */
export function newWarnings(base: Design, variant: Design): string[] {
  const key = (f: { code: string; path: string }): string => `${f.code}\u0000${f.path}`;
  const before = new Set(validateDesign(base).map(key));
  return validateDesign(variant)
    .filter((f) => f.severity === 'warning' && !before.has(key(f)))
    .map(describeFinding);
}

/** A remembered sweep as read back (its key filled in), with its parameter's definition. */
interface Remembered {
  saved: SavedSweep & { key: string };
  def: NumberParam;
}

function toSaved(sweep: Sweep): SavedSweep {
  return { v: 1, key: sweep.key, at: sweep.at, designName: sweep.designName, kind: sweep.kind, target: sweep.target, nodeNames: sweep.nodeNames, seed: sweep.seed, durationNs: sweep.durationNs, points: sweep.points.map((p) => ({ value: p.value, runId: p.runId, status: p.status, ...(p.notes?.length ? { notes: p.notes } : {}) })), state: sweep.state };
}

/** A saved sweep checked, with its parameter's definition; null when it no longer makes sense (unknown kind, bad data). */
function check(saved: SavedSweep | null): Remembered | null {
  if (!saved || typeof saved !== 'object' || saved.v !== 1 || !Array.isArray(saved.points) || !saved.target || !Array.isArray(saved.target.nodeIds)) return null;
  const kind = getKind(saved.kind);
  const def = kind ? getParamDef(kind, saved.target.param) : undefined;
  if (!def || (def.type !== 'number' && def.type !== 'integer')) return null;
  return { saved: { ...saved, key: typeof saved.key === 'string' ? saved.key : `earlier-${saved.designName}-${saved.points.length}` }, def };
}

/** The remembered sweeps, newest first, each checked (those that no longer make sense are left out). */
function load(storage: Storage1 | undefined): Remembered[] {
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(storage?.getItem(key) ?? 'null');
    } catch {
      return null;
    }
  };
  const list = parse(SWEEPS_KEY) as { v?: number; sweeps?: unknown } | null;
  const raw: unknown[] = list && list.v === 1 && Array.isArray(list.sweeps) ? list.sweeps : [];
  // A sweep remembered by an earlier version (one sweep under SWEEP_KEY) joins the list.
  const legacy = parse(SWEEP_KEY);
  if (legacy) raw.push(legacy);
  const out: Remembered[] = [];
  for (const x of raw) {
    const c = check(x as SavedSweep);
    if (c && !out.some((o) => o.saved.key === c.saved.key)) out.push(c);
  }
  return out.slice(0, SWEEP_HISTORY);
}

function writeSweeps(storage: Storage1 | undefined, saved: readonly SavedSweep[]): void {
  try {
    if (saved.length === 0) storage?.removeItem(SWEEPS_KEY);
    else storage?.setItem(SWEEPS_KEY, JSON.stringify({ v: 1, sweeps: saved }));
    storage?.removeItem(SWEEP_KEY);
  } catch {
    // not remembered (storage full or unavailable)
  }
}

function entryOf(saved: SavedSweep & { key: string }, def: NumberParam): SweepEntry {
  return { key: saved.key, at: saved.at ?? 0, designName: saved.designName, paramLabel: def.label, nodeNames: saved.nodeNames, values: saved.points.length, state: saved.state };
}

export function createSweepStore({
  run,
  ui,
  getRun = (runId) => call('getRun', { runId }),
  storage = globalThis.localStorage,
  now = () => Date.now(),
}: {
  run: RunStore;
  ui: UiStore;
  getRun?: (runId: number) => Promise<RunRecord>;
  storage?: Storage1;
  now?: () => number;
}): SweepStore {
  let nextId = 1;
  let cancelled = false;
  /** The remembered sweeps, newest first, with their parameters' definitions (the source of `history`). */
  let saved = load(storage);
  const store = createStore<SweepState>()((set, get) => {
    const patch = (i: number, p: Partial<SweepPoint>): void => {
      const s = get().sweep;
      if (!s) return;
      set({ sweep: { ...s, points: s.points.map((x, j) => (j === i ? { ...x, ...p } : x)) } });
    };
    const end = (state: Sweep['state']): void => {
      const s = get().sweep;
      if (!s) return;
      set({ sweep: { ...s, state, points: s.points.map((p) => (p.status === 'pending' ? { ...p, status: 'cancelled' } : p)) } });
    };
    return {
      sweep: null,
      history: [],
      async start(req) {
        if (get().sweep?.state === 'running' || run.getState().active) {
          ui.getState().toast('A run is in progress: cancel it or wait for it to finish before sweeping.');
          return;
        }
        cancelled = false;
        const names = new Map(req.design.nodes.map((n) => [n.id, n.name]));
        const at = now();
        const id = nextId++;
        set({
          sweep: {
            id,
            key: `${at.toString(36)}-${id}`,
            at,
            kind: req.design.nodes.find((n) => n.id === req.target.nodeIds[0])?.kind ?? '',
            designName: req.design.name,
            target: req.target,
            def: req.def,
            nodeNames: req.target.nodeIds.map((nid) => names.get(nid) ?? nid),
            seed: req.seed,
            durationNs: req.durationNs,
            points: req.values.map((value) => ({ value, runId: null, status: 'pending', summary: null, error: null })),
            state: 'running',
          },
        });
        run.getState().setTab('sweep');
        for (let i = 0; i < req.values.length; i++) {
          if (cancelled) break;
          const value = req.values[i]!;
          // A run started by hand between two points goes first; the sweep waits for it.
          await runEnded(run);
          if (cancelled) break;
          const design = designAtPoint(req.design, req.target, value);
          const notes = newWarnings(req.design, design);
          patch(i, { status: 'running', ...(notes.length ? { notes } : {}) });
          const runId = await run.getState().start({ design, seed: req.seed, durationNs: req.durationNs, label: pointLabel(req.def, value, req.target.nodeIds.length), quiet: true, variant: true });
          if (runId === null) {
            patch(i, { status: 'failed', error: 'the run did not start (see the message)' });
            end('failed');
            return;
          }
          patch(i, { runId });
          await runEnded(run);
          try {
            const rec = await getRun(runId);
            const status: PointStatus = rec.status === 'done' ? 'done' : rec.status === 'cancelled' ? 'cancelled' : 'failed';
            patch(i, { status, summary: rec.summary, error: rec.error });
          } catch (e) {
            patch(i, { status: 'failed', error: e instanceof Error ? e.message : String(e) });
          }
        }
        const s = get().sweep;
        const failed = s?.points.some((p) => p.status === 'failed') ?? false;
        end(cancelled ? 'cancelled' : failed ? 'failed' : 'done');
        const done = get().sweep?.points.filter((p) => p.status === 'done').length ?? 0;
        ui.getState().toast(cancelled ? `Sweep cancelled after ${done} of ${req.values.length} runs` : `Sweep finished: ${done} of ${req.values.length} runs`, { tone: cancelled || failed ? 'info' : 'success' });
      },
      async cancel() {
        if (get().sweep?.state !== 'running') return;
        cancelled = true;
        await run.getState().cancel();
      },
      open(key) {
        if (get().sweep?.state === 'running') return false;
        const found = saved.find((x) => x.saved.key === key);
        if (!found) return false;
        if (get().sweep?.key !== key) show(found.saved, found.def);
        return true;
      },
      clear() {
        const s = get().sweep;
        if (!s || s.state === 'running') return;
        saved = load(storage).filter((x) => x.saved.key !== s.key);
        persist();
        const next = saved[0];
        if (next) show(next.saved, next.def);
        else set({ sweep: null });
      },
    };
  });
  store.subscribe((s, prev) => {
    if (s.sweep === prev.sweep || !s.sweep) return;
    // The shown sweep changed (started, a point finished, read back): remember it, newest first.
    const sweep = s.sweep;
    // Read back first: another window (serve mode in two tabs) may have remembered sweeps since.
    saved = load(storage);
    const i = saved.findIndex((x) => x.saved.key === sweep.key);
    const item = { saved: { ...toSaved(sweep), key: sweep.key }, def: sweep.def };
    if (i >= 0) saved = saved.map((x, j) => (j === i ? item : x));
    else saved = [item, ...saved].slice(0, SWEEP_HISTORY);
    persist();
  });
  persist();
  if (saved[0]) show(saved[0].saved, saved[0].def);
  return store;

  /** Writes the remembered sweeps and publishes the list. */
  function persist(): void {
    writeSweeps(storage, saved.map((x) => x.saved));
    store.setState({ history: saved.map((x) => entryOf(x.saved, x.def)) });
  }

  /** Shows a remembered sweep again, reading its runs' summaries back (a run since deleted says so). */
  function show(s: SavedSweep & { key: string }, def: NumberParam): void {
    const points: SweepPoint[] = s.points.map((p) => ({
      value: p.value,
      runId: p.runId,
      // A sweep the window closed on: what had not finished did not happen.
      status: p.status === 'running' || p.status === 'pending' ? 'cancelled' : p.status,
      summary: null,
      error: null,
      ...(p.notes?.length ? { notes: p.notes } : {}),
    }));
    const id = nextId++;
    store.setState({ sweep: { id, key: s.key, at: s.at ?? 0, kind: s.kind, designName: s.designName, target: s.target, def, nodeNames: s.nodeNames, seed: s.seed, durationNs: s.durationNs, points, state: s.state === 'running' ? 'cancelled' : s.state } });
    void Promise.all(
      points.map(async (p, i) => {
        if (p.runId === null || p.status !== 'done') return;
        try {
          const rec = await getRun(p.runId);
          patchShown(id, i, { summary: rec.summary, ...(rec.summary ? {} : { status: 'failed', error: `run #${p.runId} has no results` }) });
        } catch {
          patchShown(id, i, { status: 'failed', error: `run #${p.runId} is no longer in the run database` });
        }
      }),
    );
  }

  function patchShown(id: number, i: number, p: Partial<SweepPoint>): void {
    const s = store.getState().sweep;
    if (!s || s.id !== id) return; // another sweep is shown (or started) meanwhile
    store.setState({ sweep: { ...s, points: s.points.map((x, j) => (j === i ? { ...x, ...p } : x)) } });
  }
}
