/**
 * A parameter sweep in progress or finished: one recorded run per value, started one after another through the run
 * store (so each is validated, recorded and listed in History like any run, labelled with its value), and the
 * runs' summaries kept for the Sweep view. Cancelling stops the run in progress and starts no more.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NumberParam } from '../../src-shared/catalog';
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

export function createSweepStore({ run, ui, getRun = (runId) => call('getRun', { runId }) }: { run: RunStore; ui: UiStore; getRun?: (runId: number) => Promise<RunRecord> }): SweepStore {
  let nextId = 1;
  let cancelled = false;
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
  return store;
}
