/**
 * A parameter sweep in progress or finished: one recorded run per value, started one after another through the run
 * store (so each is validated, recorded and listed in History like any run, labelled with its value), and the
 * runs' summaries kept for the Sweep view. Cancelling stops the run in progress and starts no more.
 *
 * The last sweep is remembered (which runs, which values; local storage) and shown again in the next session, its
 * summaries read back from the run database; a sweep the window closed on ends as cancelled there.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { getKind, getParamDef, type NumberParam } from '../../src-shared/catalog';
import type { Design } from '../../src-shared/model';
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
}

export interface Sweep {
  id: number;
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

export interface SweepState {
  sweep: Sweep | null;
  /** Runs every point in turn; resolves when the sweep ends (done, cancelled or failed). */
  start(req: SweepRequest): Promise<void>;
  cancel(): Promise<void>;
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

/** Where the last sweep is remembered. */
export const SWEEP_KEY = 'tock-studio.last-sweep';

/** What is remembered of a sweep: enough to show it again with its runs' summaries read back. */
interface SavedSweep {
  v: 1;
  designName: string;
  kind: string;
  target: SweepTarget;
  nodeNames: string[];
  seed: number;
  durationNs: number;
  points: { value: number; runId: number | null; status: PointStatus }[];
  state: Sweep['state'];
}

type Storage1 = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function save(storage: Storage1 | undefined, sweep: Sweep | null, kind: string): void {
  try {
    if (!sweep) return storage?.removeItem(SWEEP_KEY);
    const saved: SavedSweep = { v: 1, designName: sweep.designName, kind, target: sweep.target, nodeNames: sweep.nodeNames, seed: sweep.seed, durationNs: sweep.durationNs, points: sweep.points.map((p) => ({ value: p.value, runId: p.runId, status: p.status })), state: sweep.state };
    storage?.setItem(SWEEP_KEY, JSON.stringify(saved));
  } catch {
    // not remembered (storage full or unavailable)
  }
}

/** The remembered sweep, checked; null when there is none or it no longer makes sense (unknown kind, bad data). */
function load(storage: Storage1 | undefined): { saved: SavedSweep; def: NumberParam } | null {
  try {
    const saved = JSON.parse(storage?.getItem(SWEEP_KEY) ?? 'null') as SavedSweep | null;
    if (!saved || saved.v !== 1 || !Array.isArray(saved.points) || !saved.target || !Array.isArray(saved.target.nodeIds)) return null;
    const kind = getKind(saved.kind);
    const def = kind ? getParamDef(kind, saved.target.param) : undefined;
    if (!def || (def.type !== 'number' && def.type !== 'integer')) return null;
    return { saved, def };
  } catch {
    return null;
  }
}

export function createSweepStore({
  run,
  ui,
  getRun = (runId) => call('getRun', { runId }),
  storage = globalThis.localStorage,
}: {
  run: RunStore;
  ui: UiStore;
  getRun?: (runId: number) => Promise<RunRecord>;
  storage?: Storage1;
}): SweepStore {
  let nextId = 1;
  let cancelled = false;
  /** The kind of the swept nodes, for remembering the parameter's definition. */
  let sweptKind = '';
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
      async start(req) {
        if (get().sweep?.state === 'running' || run.getState().active) {
          ui.getState().toast('A run is in progress: cancel it or wait for it to finish before sweeping.');
          return;
        }
        cancelled = false;
        sweptKind = req.design.nodes.find((n) => n.id === req.target.nodeIds[0])?.kind ?? '';
        const names = new Map(req.design.nodes.map((n) => [n.id, n.name]));
        set({
          sweep: {
            id: nextId++,
            designName: req.design.name,
            target: req.target,
            def: req.def,
            nodeNames: req.target.nodeIds.map((id) => names.get(id) ?? id),
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
          patch(i, { status: 'running' });
          const runId = await run.getState().start({ design: designAtPoint(req.design, req.target, value), seed: req.seed, durationNs: req.durationNs, label: pointLabel(req.def, value, req.target.nodeIds.length), quiet: true, variant: true });
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
      clear() {
        if (get().sweep?.state === 'running') return;
        set({ sweep: null });
      },
    };
  });
  store.subscribe((s, prev) => {
    if (s.sweep !== prev.sweep) save(storage, s.sweep, sweptKind);
  });
  restore();
  return store;

  /** Shows the remembered sweep again, reading its runs' summaries back (a run since deleted says so). */
  function restore(): void {
    const found = load(storage);
    if (!found) return;
    const { saved, def } = found;
    sweptKind = saved.kind;
    const points: SweepPoint[] = saved.points.map((p) => ({
      value: p.value,
      runId: p.runId,
      // A sweep the window closed on: what had not finished did not happen.
      status: p.status === 'running' || p.status === 'pending' ? 'cancelled' : p.status,
      summary: null,
      error: null,
    }));
    store.setState({ sweep: { id: nextId++, designName: saved.designName, target: saved.target, def, nodeNames: saved.nodeNames, seed: saved.seed, durationNs: saved.durationNs, points, state: saved.state === 'running' ? 'cancelled' : saved.state } });
    const id = store.getState().sweep!.id;
    void Promise.all(
      points.map(async (p, i) => {
        if (p.runId === null || p.status !== 'done') return;
        try {
          const rec = await getRun(p.runId);
          patchRestored(id, i, { summary: rec.summary, ...(rec.summary ? {} : { status: 'failed', error: `run #${p.runId} has no results` }) });
        } catch {
          patchRestored(id, i, { status: 'failed', error: `run #${p.runId} is no longer in the run database` });
        }
      }),
    );
  }

  function patchRestored(id: number, i: number, p: Partial<SweepPoint>): void {
    const s = store.getState().sweep;
    if (!s || s.id !== id) return; // a new sweep started meanwhile
    store.setState({ sweep: { ...s, points: s.points.map((x, j) => (j === i ? { ...x, ...p } : x)) } });
  }
}
