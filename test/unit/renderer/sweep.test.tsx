import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import { createStudio } from '../../../src-renderer/editor/studio';
import { getKind, getParamDef, type NumberParam } from '../../../src-shared/catalog';
import type { Design } from '../../../src-shared/model';
import { designAtPoint, SWEEP_METRICS } from '../../../src-shared/model/sweep';
import { sweepEntryLabel, sweepSeries } from '../../../src-renderer/results/SweepView';
import { sweepProgress } from '../../../src-renderer/run/RunControls';
import { createSweepStore, newWarnings, SWEEP_HISTORY, SWEEP_KEY, SWEEPS_KEY } from '../../../src-renderer/run/sweepStore';
import { paramFieldKey } from '../../../src-renderer/editor/ui';
import { fakeFiles, twoKernels } from './helpers';
import { installFakeApi, record, twoKernelsSummary, type FakeApi } from './fakeApi';

afterEach(() => {
  cleanup();
  setApiForTests(null);
  globalThis.localStorage?.removeItem(SWEEP_KEY);
  globalThis.localStorage?.removeItem(SWEEPS_KEY);
});

const payload = getParamDef(getKind('process')!, 'payloadBytes') as NumberParam;

/** A studio on the fake API whose runs finish at once, p99 growing with the producer's payload. */
function setup(opts: { hangOn?: number } = {}): { api: FakeApi; studio: ReturnType<typeof createStudio> } {
  let next = 20;
  const api: FakeApi = installFakeApi({
    startRun: async (req: { design: Design; label?: string }) => {
      const runId = next++;
      const bytes = Number(req.design.nodes.find((n) => n.id === 'p')!.params.payloadBytes);
      api.records.set(runId, record(runId, { label: req.label ?? null, summary: twoKernelsSummary({ runId: String(runId), flows: [{ ...twoKernelsSummary().flows[0]!, latencyNs: { mean: bytes, p50: bytes, p90: bytes, p99: bytes * 10, max: bytes * 20 } }] }) }));
      if (bytes !== opts.hangOn) setTimeout(() => api.emit({ runId, status: 'done', fraction: 1 }), 0);
      return { runId };
    },
    cancelRun: async (req: { runId: number }) => {
      api.records.set(req.runId, record(req.runId, { status: 'cancelled', summary: null }));
      setTimeout(() => api.emit({ runId: req.runId, status: 'cancelled' }), 0);
      return { cancelled: true };
    },
  } as never);
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), null);
  api.onRunProgress((p) => studio.run.getState().handleProgress(p));
  return { api, studio };
}

describe('parameter sweep', () => {
  it('records one run per value, labelled, with the value set on the design, and keeps the Sweep tab', async () => {
    const { api, studio } = setup();
    const design = studio.editor.getState().design;
    await studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [8, 64, 512], seed: 3, durationNs: 5_000_000 });
    const s = studio.sweep.getState().sweep!;
    expect(s.state).toBe('done');
    expect(s.points.map((p) => [p.value, p.runId, p.status, p.summary?.flows[0]?.latencyNs.p99])).toEqual([
      [8, 20, 'done', 80],
      [64, 21, 'done', 640],
      [512, 22, 'done', 5120],
    ]);
    const calls = api.startRun.mock.calls.map((c) => c[0] as { design: Design; seed: number; durationNs: number; label: string });
    expect(calls.map((c) => [c.seed, c.durationNs, c.label])).toEqual([
      [3, 5_000_000, 'sweep Payload = 8 B'],
      [3, 5_000_000, 'sweep Payload = 64 B'],
      [3, 5_000_000, 'sweep Payload = 512 B'],
    ]);
    expect(calls.map((c) => c.design.nodes.find((n) => n.id === 'p')!.params.payloadBytes)).toEqual([8, 64, 512]);
    expect(studio.editor.getState().design.nodes.find((n) => n.id === 'p')!.params.payloadBytes).toBeUndefined(); // the canvas is untouched
    expect(studio.run.getState().tab).toBe('sweep'); // the runs' ends did not switch to their summaries
    expect(studio.ui.getState().toasts.at(-1)?.message).toBe('Sweep finished: 3 of 3 runs');
    // A point's run is a variant of the canvas: opened, its results are not drawn on the canvas.
    await studio.run.getState().show(21);
    expect(studio.run.getState().shown?.record?.label).toBe('sweep Payload = 64 B');
    expect(studio.run.getState().overlay).toBeNull();
  });

  it('notes at each value what the lint says of it and not of the design swept (a payload the channel cuts)', async () => {
    const { studio } = setup();
    const design = studio.editor.getState().design;
    // The two-copy channel takes up to 256 B: 512 B is cut, 64 B is not.
    expect(newWarnings(design, designAtPoint(design, { param: 'payloadBytes', nodeIds: ['p'] }, 64))).toEqual([]);
    await studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [64, 512], seed: 1, durationNs: 5_000_000 });
    const notes = studio.sweep.getState().sweep!.points.map((p) => p.notes ?? []);
    expect(notes[0]).toEqual([]);
    expect(notes[1]).toEqual([expect.stringMatching(/sends 512 B messages into "channel".*256 B/)]);
    render(<App studio={studio} />);
    const mark = await screen.findByTestId('sweep-note');
    expect(mark.getAttribute('title')).toMatch(/512 B messages/);
  });

  it('plots cut-short points hollow and marks values where a flow delivered nothing', () => {
    const flow = twoKernelsSummary().flows[0]!;
    const point = (value: number, runId: number, over: Partial<typeof flow>) => ({ value, runId, status: 'done' as const, error: null, summary: twoKernelsSummary({ flows: [{ ...flow, ...over }] }) });
    const sweep = {
      id: 1, key: 'k1', at: 0, kind: 'process', designName: 'Test design', target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, nodeNames: ['producer'], seed: 1, durationNs: 1e9, state: 'done' as const,
      points: [point(8, 1, { truncated: 0 }), point(64, 2, { truncated: 5 }), point(512, 3, { delivered: 0, truncated: 0 })],
    };
    const [s] = sweepSeries(sweep, SWEEP_METRICS.find((m) => m.id === 'p99')!);
    expect(s!.points.map((p) => [p.x, p.cut])).toEqual([[8, 0], [64, 5]]);
    expect(s!.noneAt).toEqual([{ x: 512, runId: 3, lost: 100 }]);
  });

  it('the last sweep is shown again in the next session, its summaries read back from the run database', async () => {
    const first = setup();
    await first.studio.sweep.getState().start({ design: first.studio.editor.getState().design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [8, 64, 512], seed: 3, durationNs: 5_000_000 });
    first.api.records.delete(22); // deleted from History since
    // A new window (same fake database): the sweep is back, with what each run said.
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    await waitFor(() => expect(studio.sweep.getState().sweep?.points[1]?.summary).not.toBeNull());
    const s = studio.sweep.getState().sweep!;
    expect(s.state).toBe('done');
    expect(s.def.key).toBe('payloadBytes');
    expect(s.points.map((p) => [p.value, p.runId, p.status, p.summary?.flows[0]?.latencyNs.p99 ?? null])).toEqual([
      [8, 20, 'done', 80],
      [64, 21, 'done', 640],
      [512, 22, 'failed', null],
    ]);
    expect(s.points[2]!.error).toBe('run #22 is no longer in the run database');
    // Cleared, it is forgotten.
    studio.sweep.getState().clear();
    expect(studio.sweep.getState().sweep).toBeNull();
    expect(globalThis.localStorage?.getItem(SWEEPS_KEY)).toBeNull();
  });

  it('earlier sweeps are remembered (newest first, up to SWEEP_HISTORY) and can be shown again', async () => {
    let clock = Date.UTC(2026, 10, 20, 9, 30);
    const { studio } = setup();
    const design = studio.editor.getState().design;
    const sweepOf = (values: number[]) => studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values, seed: 1, durationNs: 1_000_000 });
    // A sweep store whose clock we set, on the same fake database and storage.
    const sweeps = createSweepStore({ run: studio.run, ui: studio.ui, now: () => (clock += 60_000) });
    await sweeps.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [8, 64], seed: 1, durationNs: 1_000_000 });
    await sweeps.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [16, 32, 128], seed: 2, durationNs: 1_000_000 });
    const h = sweeps.getState().history;
    expect(h.map((e) => [e.values, e.state, e.paramLabel, e.nodeNames])).toEqual([
      [3, 'done', 'Payload', ['producer']],
      [2, 'done', 'Payload', ['producer']],
    ]);
    expect(sweeps.getState().sweep!.key).toBe(h[0]!.key);
    // The earlier one shown again, its summaries read back.
    expect(sweeps.getState().open(h[1]!.key)).toBe(true);
    await waitFor(() => expect(sweeps.getState().sweep!.points.map((p) => p.summary?.flows[0]?.latencyNs.p99 ?? null)).toEqual([80, 640]));
    expect(sweeps.getState().open('no such sweep')).toBe(false);
    // A new session shows the latest and lists both.
    const later = createStudio({ files: fakeFiles(), galleryOpen: false });
    expect(later.sweep.getState().history.map((e) => e.values)).toEqual([3, 2]);
    expect(later.sweep.getState().sweep!.points.map((p) => p.value)).toEqual([16, 32, 128]);
    // Clearing forgets the shown sweep and shows the next.
    later.sweep.getState().clear();
    expect(later.sweep.getState().history.map((e) => e.values)).toEqual([2]);
    expect(later.sweep.getState().sweep!.points.map((p) => p.value)).toEqual([8, 64]);
    // Only the last SWEEP_HISTORY are kept (another window's store adds to the same list).
    for (let i = 0; i < SWEEP_HISTORY + 2; i++) await sweepOf([i + 1]);
    const kept = JSON.parse(globalThis.localStorage!.getItem(SWEEPS_KEY)!) as { sweeps: { points: { value: number }[] }[] };
    expect(kept.sweeps).toHaveLength(SWEEP_HISTORY);
    expect(kept.sweeps[0]!.points[0]!.value).toBe(SWEEP_HISTORY + 2);
    // The label says what, how many values, where and when.
    expect(sweepEntryLabel(h[0]!, new Date(Date.UTC(2026, 10, 20, 12)))).toMatch(/^\d\d:\d\d( [AP]M)? · Payload × 3 values · producer · Test design$/);
    expect(sweepEntryLabel({ ...h[0]!, state: 'cancelled' }, new Date(Date.UTC(2026, 10, 25)))).toMatch(/^.*20.* · Payload × 3 values \(cancelled\) · producer · Test design$/);
    expect(sweepEntryLabel({ ...h[0]!, at: 0, values: 1 })).toBe('Payload × 1 value · producer · Test design');
  });

  it('an earlier sweep cannot be opened while a sweep runs', async () => {
    const { studio } = setup({ hangOn: 64 });
    const design = studio.editor.getState().design;
    await studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [8], seed: 1, durationNs: 1_000_000 });
    const first = studio.sweep.getState().history[0]!.key;
    const done = studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [64], seed: 1, durationNs: 1_000_000 });
    await waitFor(() => expect(studio.sweep.getState().sweep!.points[0]!.status).toBe('running'));
    expect(studio.sweep.getState().open(first)).toBe(false);
    expect(studio.sweep.getState().sweep!.points[0]!.value).toBe(64);
    await studio.sweep.getState().cancel();
    await done;
    expect(studio.sweep.getState().open(first)).toBe(true);
    expect(studio.sweep.getState().sweep!.points[0]!.value).toBe(8);
  });

  it('a sweep remembered by the earlier version (one sweep) comes back; one the window closed on comes back cancelled; bad saved data is ignored', () => {
    globalThis.localStorage?.setItem(SWEEP_KEY, JSON.stringify({ v: 1, designName: 'Test design', kind: 'process', target: { param: 'payloadBytes', nodeIds: ['p'] }, nodeNames: ['producer'], seed: 1, durationNs: 1e9, state: 'running', points: [{ value: 8, runId: null, status: 'running' }, { value: 64, runId: null, status: 'pending' }] }));
    installFakeApi();
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    const s = studio.sweep.getState().sweep!;
    expect(s.state).toBe('cancelled');
    expect(s.points.map((p) => p.status)).toEqual(['cancelled', 'cancelled']);
    // Moved to the list of sweeps.
    expect(globalThis.localStorage?.getItem(SWEEP_KEY)).toBeNull();
    expect(studio.sweep.getState().history).toHaveLength(1);
    globalThis.localStorage?.removeItem(SWEEPS_KEY);
    for (const bad of ['{', JSON.stringify({ v: 2 }), JSON.stringify({ v: 1, kind: 'nope', target: { param: 'x', nodeIds: [] }, points: [] })]) {
      globalThis.localStorage?.setItem(SWEEP_KEY, bad);
      expect(createStudio({ files: fakeFiles(), galleryOpen: false }).sweep.getState().sweep).toBeNull();
      globalThis.localStorage?.setItem(SWEEPS_KEY, JSON.stringify({ v: 1, sweeps: [JSON.parse(bad.startsWith('{"') ? bad : '{}'), 7, null] }));
      expect(createStudio({ files: fakeFiles(), galleryOpen: false }).sweep.getState().sweep).toBeNull();
      globalThis.localStorage?.setItem(SWEEPS_KEY, bad);
      expect(createStudio({ files: fakeFiles(), galleryOpen: false }).sweep.getState().history).toEqual([]);
    }
  });

  it('cancel stops the run in progress and starts no more', async () => {
    const { api, studio } = setup({ hangOn: 64 });
    const design = studio.editor.getState().design;
    const done = studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [8, 64, 512], seed: 1, durationNs: 1_000_000 });
    await waitFor(() => expect(studio.sweep.getState().sweep!.points[1]!.status).toBe('running'));
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(21));
    await studio.sweep.getState().cancel();
    await done;
    const s = studio.sweep.getState().sweep!;
    expect(s.state).toBe('cancelled');
    expect(s.points.map((p) => p.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(api.startRun).toHaveBeenCalledTimes(2);
    expect(api.cancelRun).toHaveBeenCalledWith({ runId: 21 });
  });

  it('the top bar shows the sweep’s progress (run i of n, share of the whole sweep) and cancels the sweep', async () => {
    const { api, studio } = setup({ hangOn: 64 });
    render(<App studio={studio} />);
    const topBar = document.querySelector('.run-controls') as HTMLElement;
    const design = studio.editor.getState().design;
    const done = studio.sweep.getState().start({ design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [8, 64, 512], seed: 1, durationNs: 1_000_000 });
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(21));
    const bar = within(topBar).getByRole('progressbar', { name: 'Sweep progress' });
    expect(bar.textContent).toBe('Sweep run 2 of 3 · 33 %'); // one of three runs done, the second just started
    expect(bar.getAttribute('aria-valuenow')).toBe('33');
    act(() => api.emit({ runId: 21, status: 'running', fraction: 0.5 }));
    expect(bar.textContent).toBe('Sweep run 2 of 3 · 50 %'); // (1 + ½) / 3
    expect((bar.querySelector('.run-progress-fill') as HTMLElement).style.width).toBe('50%');
    expect(within(topBar).queryByRole('button', { name: /Run/ })).toBeNull(); // no Run between two points either
    // Cancel in the top bar (and Mod+.) cancels the whole sweep, not just its run in progress.
    fireEvent.click(within(topBar).getByRole('button', { name: /Cancel sweep/ }));
    await done;
    expect(studio.sweep.getState().sweep!.state).toBe('cancelled');
    expect(api.startRun).toHaveBeenCalledTimes(2);
    expect(within(topBar).queryByRole('progressbar')).toBeNull();
    expect(within(topBar).getByRole('button', { name: /Run/ })).toBeTruthy();
  });

  it('sweep progress counts ended runs and the share of the one under way', () => {
    const pt = (status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled') => ({ value: 1, runId: null, status, summary: null, error: null });
    const prog = (fraction: number, status: 'running' | 'queued' = 'running') => ({ runId: 1, status, simTimeNs: 0, durationNs: 1, fraction, events: 0, eventsPerSec: 0, wallMs: 0 });
    expect(sweepProgress({ points: [pt('running'), pt('pending'), pt('pending'), pt('pending')] }, null)).toEqual({ step: 1, steps: 4, fraction: 0 });
    expect(sweepProgress({ points: [pt('done'), pt('failed'), pt('running'), pt('pending')] }, prog(0.5))).toEqual({ step: 3, steps: 4, fraction: 2.5 / 4 });
    expect(sweepProgress({ points: [pt('done'), pt('running')] }, prog(0.9, 'queued'))).toEqual({ step: 2, steps: 2, fraction: 0.5 });
    expect(sweepProgress({ points: [pt('done'), pt('pending')] }, null)).toEqual({ step: 2, steps: 2, fraction: 0.5 }); // between two runs
    expect(sweepProgress({ points: [pt('done'), pt('done')] }, null)).toEqual({ step: 2, steps: 2, fraction: 1 });
  });

  it('the dialog checks the values and starts the sweep; the Sweep tab plots and lists the runs', async () => {
    const { studio } = setup();
    render(<App studio={studio} />);
    studio.editor.getState().setSelection({ nodes: ['p'], edges: [] });
    fireEvent.keyDown(window, { key: 'P', ctrlKey: true, shiftKey: true });
    const dialog = await screen.findByTestId('sweep-dialog');
    expect((screen.getByLabelText('Parameter') as HTMLSelectElement).value).toBe('payloadBytes');
    fireEvent.click(screen.getByRole('radio', { name: 'List' }));
    fireEvent.change(screen.getByLabelText('Values list'), { target: { value: '8, 64, 1 MiB' } });
    expect(screen.getByTestId('sweep-preview').textContent).toMatch(/^“8”: 8 MiB is outside the allowed range/);
    expect((screen.getByTestId('sweep-go') as HTMLButtonElement).disabled).toBe(true);
    // The error is tied to the input it is about.
    const listInput = screen.getByLabelText('Values list');
    expect(listInput.getAttribute('aria-invalid')).toBe('true');
    expect(listInput.getAttribute('aria-describedby')).toBe(screen.getByTestId('sweep-preview').id);
    fireEvent.click(screen.getByRole('radio', { name: 'Range' }));
    fireEvent.change(screen.getByLabelText('Steps'), { target: { value: '1' } });
    expect(screen.getByLabelText('Steps').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('From').getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(screen.getByLabelText('Steps'), { target: { value: '4' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: (screen.getByLabelText('From') as HTMLInputElement).value } });
    expect(screen.getByLabelText('To').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Steps').getAttribute('aria-invalid')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'List' }));
    fireEvent.change(screen.getByLabelText('Values list'), { target: { value: '8, 64, 512 B' } });
    expect(screen.getByTestId('sweep-preview').textContent).toBe('3 runs: 8 B, 64 B, 512 B');
    // A refused value elsewhere (here the top bar's duration) stops the sweep, as it stops a run.
    act(() => studio.ui.getState().setUnapplied('run-for', 'Run for: “10 parsecs” is not a duration'));
    fireEvent.click(screen.getByTestId('sweep-go'));
    expect(dialog.isConnected).toBe(true);
    expect(studio.ui.getState().toasts.at(-1)?.message).toMatch(/^Can’t sweep: Run for: “10 parsecs” is not a duration/);
    act(() => studio.ui.getState().setUnapplied('run-for', null));
    fireEvent.click(screen.getByTestId('sweep-go'));
    expect(dialog.isConnected).toBe(false);
    await waitFor(() => expect(studio.sweep.getState().sweep?.state).toBe('done'));
    const view = await screen.findByTestId('sweep-view');
    await waitFor(() => expect(view.querySelectorAll('.sweep-dot').length).toBe(3));
    const rows = [...screen.getByTestId('sweep-table').querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).toEqual([
      ['8 B', '#20', '80 ns'],
      ['64 B', '#21', '640 ns'],
      ['512 B ⚠', '#22', '5.12 µs'],
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Compare runs' }));
    expect(studio.run.getState().compareIds).toEqual([20, 21, 22]);
    expect(studio.run.getState().tab).toBe('compare');
    // A second sweep: the view offers both, and shows the earlier one again when picked.
    await studio.sweep.getState().start({ design: studio.editor.getState().design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [16], seed: 1, durationNs: 1_000_000 });
    const picker = (await screen.findByLabelText('Sweep')) as HTMLSelectElement;
    expect([...picker.options].map((o) => o.text)).toEqual([expect.stringMatching(/ · Payload × 1 value · producer · Test design$/), expect.stringMatching(/ · Payload × 3 values · producer · Test design$/)]);
    expect(picker.disabled).toBe(false);
    fireEvent.change(picker, { target: { value: picker.options[1]!.value } });
    await waitFor(() => expect([...screen.getByTestId('sweep-table').querySelectorAll('tbody tr td:first-child')].map((td) => td.textContent)).toEqual(['8 B', '64 B', '512 B ⚠']));
  });

  it('a value refused in the swept parameter’s own field does not stop the sweep (every run sets it); any other does', async () => {
    const { api, studio } = setup();
    render(<App studio={studio} />);
    act(() => studio.editor.getState().setSelection({ nodes: ['p'], edges: [] }));
    const field = (key: string) => document.querySelector<HTMLInputElement>(`#param-${key}`)!;
    fireEvent.change(field('payloadBytes'), { target: { value: '1 MiB' } });
    fireEvent.change(field('periodNs'), { target: { value: '100ns' } });
    expect(Object.keys(studio.ui.getState().unapplied)).toHaveLength(2);
    fireEvent.keyDown(window, { key: 'P', ctrlKey: true, shiftKey: true });
    const dialog = await screen.findByTestId('sweep-dialog');
    expect((screen.getByLabelText('Parameter') as HTMLSelectElement).value).toBe('payloadBytes');
    fireEvent.click(screen.getByRole('radio', { name: 'List' }));
    fireEvent.change(screen.getByLabelText('Values list'), { target: { value: '8, 64' } });
    // Another parameter of the swept node is not set by the sweep: refused, the field named.
    fireEvent.click(screen.getByTestId('sweep-go'));
    expect(dialog.isConnected).toBe(true);
    expect(studio.ui.getState().toasts.at(-1)?.message).toMatch(/^Can’t sweep: producer › Period \/ think time: 100 ns is outside the allowed range/);
    fireEvent.keyDown(field('periodNs'), { key: 'Escape' });
    // Nor is the swept parameter of a node the sweep leaves alone.
    act(() => studio.ui.getState().setUnapplied(paramFieldKey('c', 'payloadBytes'), 'consumer › Payload: 0 B is outside the allowed range 1 B – 64 KiB'));
    fireEvent.click(screen.getByTestId('sweep-go'));
    expect(dialog.isConnected).toBe(true);
    expect(studio.ui.getState().toasts.at(-1)?.message).toMatch(/^Can’t sweep: consumer › Payload: 0 B is outside/);
    act(() => studio.ui.getState().setUnapplied(paramFieldKey('c', 'payloadBytes'), null));
    // Only the swept field's own refused value is left: the sweep runs, with its values.
    expect(Object.values(studio.ui.getState().unapplied)).toEqual([expect.stringMatching(/^producer › Payload: 1 MiB is outside/)]);
    fireEvent.click(screen.getByTestId('sweep-go'));
    expect(dialog.isConnected).toBe(false);
    await waitFor(() => expect(studio.sweep.getState().sweep?.state).toBe('done'));
    expect(api.startRun.mock.calls.map((c) => (c[0] as { design: Design }).design.nodes.find((n) => n.id === 'p')!.params.payloadBytes)).toEqual([8, 64]);
    // The refused value is still the user's to fix, and still stops a plain run.
    expect(field('payloadBytes').value).toBe('1 MiB');
    expect(await act(() => studio.run.getState().start())).toBeNull();
    expect(studio.ui.getState().toasts.at(-1)?.message).toMatch(/^Can’t run: producer › Payload: 1 MiB is outside/);
  });
});
