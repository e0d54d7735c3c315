import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import { createStudio } from '../../../src-renderer/editor/studio';
import { computeOverlay, edgeLabel } from '../../../src-shared/results/overlay';
import { setParam } from '../../../src-renderer/editor/commands';
import type { Studio } from '../../../src-renderer/editor/context';
import { installFakeApi, record, twoKernelsSummary, type FakeApi } from './fakeApi';
import { fakeFiles, node, twoKernels } from './helpers';

let api: FakeApi;

beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  setApiForTests(null);
});

function setup(design = twoKernels()): Studio {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(design, null);
  render(<App studio={studio} />);
  return studio;
}

const progressbar = () => screen.queryByRole('progressbar', { name: 'Run progress' });

describe('running from the editor', () => {
  it('Ctrl+R starts a run with the design’s seed and duration; progress shows share and events/s; Cancel stops it', async () => {
    const studio = setup();
    act(() => {
      fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
    });
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
    const req = api.startRun.mock.calls[0]![0] as { seed: number; durationNs: number; design: { name: string } };
    expect(req).toMatchObject({ seed: 1, durationNs: 1_000_000_000 });
    expect(req.design.name).toBe('Test design');
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(7));

    act(() => api.emit({ runId: 7, status: 'running', fraction: 0.4, simTimeNs: 400_000_000, events: 80_000, eventsPerSec: 2_000_000 }));
    const bar = progressbar()!;
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.textContent).toContain('40 %');
    expect(bar.textContent).toContain('2M events/s');

    fireEvent.click(screen.getByRole('button', { name: /Cancel/ }));
    await waitFor(() => expect(api.cancelRun).toHaveBeenCalledWith({ runId: 7 }));
    act(() => api.emit({ runId: 7, status: 'cancelled', fraction: 0.45 }));
    expect(progressbar()).toBeNull();
    expect(studio.run.getState().active).toBeNull();
    expect(screen.getByRole('button', { name: /▶ Run/ })).toBeTruthy();
    expect(document.querySelector('.toast')!.textContent).toContain('Run #7 cancelled');
  });

  it('Ctrl+. cancels too; the seed typed in the top bar is the design’s (undoable) and is used', async () => {
    const studio = setup();
    const seed = screen.getByRole('textbox', { name: 'seed' });
    fireEvent.change(seed, { target: { value: '42' } });
    fireEvent.keyDown(seed, { key: 'Enter' });
    expect(studio.editor.getState().design.run.seed).toBe(42);
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(7));
    expect(api.startRun.mock.calls[0]![0]).toMatchObject({ seed: 42 });
    act(() => {
      fireEvent.keyDown(window, { key: '.', ctrlKey: true });
    });
    await waitFor(() => expect(api.cancelRun).toHaveBeenCalledWith({ runId: 7 }));
  });

  it('after an edit, the canvas says its results are from before it, and offers to run again', async () => {
    const studio = setup();
    api.records.set(7, record(7));
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(7));
    act(() => api.emit({ runId: 7, status: 'done', fraction: 1 }));
    await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(7));
    expect(screen.queryByTestId('canvas-stale')).toBeNull();
    act(() => void studio.editor.getState().execute(setParam('p', 'periodNs', 5_000_000)));
    const note = await screen.findByTestId('canvas-stale');
    expect(note.textContent).toMatch(/^Results of run #7, from before your edits/);
    fireEvent.click(within(note).getByRole('button', { name: 'run again' }));
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(2));
  });

  it('done → the summary opens and results are drawn on the canvas; the toggle hides them', async () => {
    const studio = setup();
    api.records.set(7, record(7));
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(7));
    act(() => api.emit({ runId: 7, status: 'running', fraction: 0.9 }));
    act(() => api.emit({ runId: 7, status: 'done', fraction: 1 }));

    const summary = await screen.findByTestId('summary-view');
    const flows = within(summary).getByTestId('flows-table');
    const row = within(flows).getByText('producer → channel → consumer').closest('tr')!;
    expect(row.textContent).toContain('48 µs'); // p50
    expect(row.textContent).toContain('52.56 µs'); // p99
    expect(row.textContent).toContain('10'); // dropped
    expect(row.className).toContain('row-danger');
    expect(within(flows).queryByRole('columnheader', { name: 'cut' })).toBeNull(); // none cut short
    const procs = within(summary).getByTestId('processes-table');
    expect(within(procs).getByText('producer').closest('tr')!.textContent).toContain('3 / 8');
    expect(within(procs).getByText('consumer').closest('tr')!.textContent).toContain('9 / 8');

    // On the canvas: MPU badges on processes, lost messages in red on the mechanism, CPU on the kernel.
    await waitFor(() => expect(screen.getByTestId('result-p').textContent).toBe('MPU 3/8'));
    const c = screen.getByTestId('result-c');
    expect(c.textContent).toBe('MPU 9/8 · 1 map failure');
    expect(c.className).toContain('tone-danger');
    expect(screen.getByTestId('result-m').textContent).toBe('12 lost');
    expect(screen.getByTestId('node-m').className).toContain('has-result-danger');
    expect(screen.getByTestId('result-k0').textContent).toBe('CPU 12.5 %');
    // p99 on the edges into the receiver.
    const ov = studio.run.getState().overlay!;
    expect(ov.edges.get('e2')).toMatchObject({ p99Ns: 52_560, lostHere: 12, lost: 12 });
    expect(ov.edges.get('e1')).toMatchObject({ lost: 12, lostHere: 0 });
    expect(ov.edges.get('e1')!.p99Ns).toBeUndefined();

    fireEvent.click(screen.getByRole('checkbox', { name: 'On canvas' }));
    expect(screen.queryByTestId('result-p')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'On canvas' }));
    expect(screen.getByTestId('result-p')).toBeTruthy();
  });

  it('messages cut short are shown: a truncated column, and the delivered card says how many', async () => {
    setup();
    const rec = record(7);
    rec.summary!.flows[0]!.truncated = 5;
    api.records.set(7, rec);
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
    act(() => api.emit({ runId: 7, status: 'done', fraction: 1 }));
    const summary = await screen.findByTestId('summary-view');
    const flows = within(summary).getByTestId('flows-table');
    const col = [...flows.querySelectorAll('th')].findIndex((th) => th.textContent === 'cut');
    expect(col).toBeGreaterThan(0);
    const cell = within(flows).getByText('producer → channel → consumer').closest('tr')!.children[col]!;
    expect(cell.textContent).toBe('5');
    expect(summary.querySelector('.stat.tone-warn')!.textContent).toMatch(/5 cut short/);
  });

  it('a design with errors is refused with the errors listed (clicking one selects the node)', async () => {
    const d = twoKernels();
    d.nodes.push(node('q', 'process', { parent: 'k0', name: 'broken', params: { payloadBytes: -4 } }));
    const studio = setup(d);
    act(() => {
      fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
    });
    const refusal = await screen.findByTestId('run-refusal');
    expect(refusal.textContent).toContain('The design can’t run: 1 error');
    expect(refusal.textContent).toContain('Payload is -4 B');
    expect(api.startRun).not.toHaveBeenCalled();
    fireEvent.click(within(refusal).getByText(/Payload is -4 B/));
    expect(studio.editor.getState().selection.nodes).toEqual(['q']);
  });

  it('a value refused in the inspector blocks the run (the design does not have it); Esc restores, then it runs', async () => {
    const studio = setup();
    act(() => studio.editor.getState().setSelection({ nodes: ['p'], edges: [] }));
    const field = document.querySelector<HTMLInputElement>('#param-periodNs')!;
    fireEvent.change(field, { target: { value: '100ns' } });
    act(() => {
      fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
    });
    await waitFor(() => expect(document.querySelector('.toast')?.textContent).toMatch(/Can’t run: producer › Period \/ think time: 100 ns is outside the allowed range 1 µs – 3600 s\. Fix the value/));
    expect(api.startRun).not.toHaveBeenCalled();
    fireEvent.keyDown(field, { key: 'Escape' });
    expect(studio.ui.getState().unapplied).toEqual({});
    act(() => {
      fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
    });
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
  });

  it('Ctrl+R while typing a valid value applies it first, as leaving the field does', async () => {
    const studio = setup();
    act(() => studio.editor.getState().setSelection({ nodes: ['p'], edges: [] }));
    const field = document.querySelector<HTMLInputElement>('#param-periodNs')!;
    field.focus();
    fireEvent.change(field, { target: { value: '3ms' } });
    act(() => {
      fireEvent.keyDown(field, { key: 'r', ctrlKey: true });
    });
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
    const req = api.startRun.mock.calls[0]![0] as { design: { nodes: { id: string; params: Record<string, unknown> }[] } };
    expect(req.design.nodes.find((n) => n.id === 'p')!.params.periodNs).toBe(3_000_000);
  });

  it('an empty design is not run: the toast says what to add', async () => {
    const studio = setup();
    act(() => studio.editor.getState().loadDesign({ ...studio.editor.getState().design, nodes: [], edges: [] }, null));
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(document.querySelector('.toast')?.textContent).toMatch(/Nothing to run: the design has no kernel/));
    expect(api.startRun).not.toHaveBeenCalled();
  });

  it('a failed run shows its error', async () => {
    const studio = setup();
    api.records.set(7, record(7, { status: 'failed', summary: null, error: 'the engine threw: heap exhausted' }));
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(studio.run.getState().active?.runId).toBe(7));
    act(() => api.emit({ runId: 7, status: 'failed', error: 'the engine threw: heap exhausted' }));
    const failed = await screen.findByTestId('run-failed');
    expect(failed.textContent).toContain('Run #7 failed');
    expect(failed.textContent).toContain('the engine threw: heap exhausted');
  });

  it('progress that overtakes startRun’s answer is not lost', async () => {
    let release: (v: { runId: number }) => void = () => undefined;
    api.startRun.mockImplementationOnce(() => new Promise((r) => (release = r)));
    const studio = setup();
    api.records.set(9, record(9));
    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await waitFor(() => expect(api.startRun).toHaveBeenCalled());
    act(() => api.emit({ runId: 9, status: 'done', fraction: 1 }));
    await act(async () => release({ runId: 9 }));
    await screen.findByTestId('summary-view');
    expect(studio.run.getState().active).toBeNull();
    expect(studio.run.getState().shown?.runId).toBe(9);
  });
});

describe('runs of another design', () => {
  it('are not drawn on the canvas; “open it” loads the run’s design, and then they are', async () => {
    const studio = setup();
    const other = twoKernels();
    other.name = 'Other design';
    api.records.set(3, record(3, { designName: 'Other design' }));
    api.designs.set(3, other);
    await act(async () => studio.run.getState().show(3));
    await screen.findByTestId('summary-view');
    expect(studio.run.getState().overlay).toBeNull();
    expect(screen.queryByTestId('result-p')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /other design · open it/ }));
    await waitFor(() => expect(studio.editor.getState().design.name).toBe('Other design'));
    await waitFor(() => expect(screen.getByTestId('result-p').textContent).toBe('MPU 3/8'));
    expect(screen.queryByRole('button', { name: /other design/ })).toBeNull();
  });
});

describe('the overlay', () => {
  it('maps flows onto edges by hop and processes, mechanisms and kernels by id', () => {
    const o = computeOverlay(3, twoKernelsSummary(), twoKernels());
    expect([...o.edges.keys()].sort()).toEqual(['e1', 'e2']);
    expect(o.nodes.get('p')).toMatchObject({ badge: 'MPU 3/8', tone: 'ok' });
    expect(o.nodes.get('k1')).toMatchObject({ badge: 'CPU 0 %' });
    expect(edgeLabel('Two-copy channel', o.edges.get('e2'), undefined)).toBe('p99 52.6 µs · 12 lost');
    expect(edgeLabel('Two-copy channel', undefined, undefined)).toBe('Two-copy channel');
  });

  it('marks a kernel that dropped upcalls as a warning and says why that is not a lost message', () => {
    const s = twoKernelsSummary();
    s.kernels[0]!.upcallsDropped = 38;
    const k = computeOverlay(3, s, twoKernels()).nodes.get(s.kernels[0]!.id)!;
    expect(k.badge).toMatch(/38 upcalls dropped/);
    expect(k.tone).toBe('warn');
    expect(k.title).toMatch(/not a lost message/);
  });
});

