import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import type { Studio } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { verdict } from '../../../src-renderer/results/CompareView';
import { defaultWindow } from '../../../src-renderer/results/TimelineView';
import type { RunComparison } from '../../../src-shared/results/runStore';
import { installFakeApi, listItem, record } from './fakeApi';
import { fakeFiles, twoKernels } from './helpers';

afterEach(() => {
  cleanup();
  setApiForTests(null);
});

function setup(): Studio {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), null);
  render(<App studio={studio} />);
  return studio;
}

const tab = (name: RegExp) => screen.getByRole('tab', { name });

describe('the views of a run', () => {
  it('the summary says from when a run with a warm-up counts', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7, { settings: { durationNs: 4_500_000_000, warmupNs: 3_500_000_000 } }));
    api.records.set(8, record(8));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    expect((await screen.findByTestId('summary-view')).textContent).toContain('counted from 3.5 s (warm-up)');
    await act(async () => studio.run.getState().show(8));
    await waitFor(() => expect(studio.run.getState().shown?.runId).toBe(8));
    expect(screen.getByTestId('summary-view').textContent).not.toContain('warm-up');
  });

  it('every tab draws its charts from the queries, asking for about as many points as pixels', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7, { traceEvents: 4 }));
    const events = [
      { seq: 1, timeNs: 0, kernelId: 'k0', processId: 'p', kind: 'run', detail: '' },
      { seq: 2, timeNs: 1_000, kernelId: 'k0', processId: 'c', kind: 'run', detail: '' },
      { seq: 3, timeNs: 2_000, kernelId: 'k0', processId: null, kind: 'idle', detail: '' },
      { seq: 4, timeNs: 3_000, kernelId: 'k0', processId: 'c', kind: 'upcallDropped', detail: 'queue full' },
      { seq: 5, timeNs: 400_000_000, kernelId: 'k1', processId: null, kind: 'kernelFailed', detail: '' },
    ];
    api.trace.mockImplementation(async (q: unknown) => events.filter((e) => !(q as { kind?: string }).kind || e.kind === (q as { kind?: string }).kind));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    await screen.findByTestId('summary-view');

    fireEvent.click(tab(/^Latency/));
    await waitFor(() => expect(document.querySelectorAll('[data-testid="latency-view"] path.cdf-line')).toHaveLength(1));
    await waitFor(() => expect(document.querySelectorAll('[data-testid="card-histogram"] rect.bar')).toHaveLength(5));
    await waitFor(() => expect(document.querySelector('[data-testid="card-over-time"] path.mean-line')).not.toBeNull());
    const cdfReq = api.latencyCdf.mock.calls[0]![0] as { points: number; flow: string };
    expect(cdfReq.flow).toBe('p>m>c');
    expect(cdfReq.points).toBeGreaterThan(100);
    expect(cdfReq.points).toBeLessThanOrEqual(4000);
    expect(screen.getByTestId('card-percentiles').textContent).toContain('52.56 µs');

    fireEvent.click(tab(/^Copies/));
    expect(document.querySelectorAll('[data-testid="card-copies-flow"] rect.bar')).toHaveLength(1);
    const sites = [...document.querySelectorAll('[data-testid="card-copy-sites"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(sites).toEqual([
      ['channel (Two-copy channel)', "sender's allow → kernel FIFO", '96', '6 KiB', '55 %'],
      ['channel (Two-copy channel)', "kernel FIFO → receiver's allow", '80', '5 KiB', '45 %'],
    ]);
    expect(document.querySelectorAll('[data-testid="card-lost"] rect.bar')).toHaveLength(2); // dropped + timed out

    fireEvent.click(tab(/^MPU/));
    await waitFor(() => expect(document.querySelector('[data-testid="card-mpu-p"] .ref-line')?.textContent).toBe('capacity 8'));
    // The consumer has no series (nothing changed): drawn constant at its peak, over capacity.
    expect(document.querySelector('[data-testid="card-mpu-c"]')!.className).toContain('is-danger');
    expect(document.querySelector('[data-testid="card-mpu-c"] .chart-note')!.textContent).toContain('alignment waste 512 B');

    fireEvent.click(tab(/^Queues/));
    await waitFor(() => expect(document.querySelector('[data-testid="card-queue-m"] path.mean-line')).not.toBeNull());

    fireEvent.click(tab(/^CPU/));
    await waitFor(() => expect(document.querySelector('[data-testid="card-cpu"] path.mean-line')).not.toBeNull());
    // 12.5 % overall: the axis opens fitted to the data; 0–100 % on request.
    const cpuCard = screen.getByTestId('card-cpu');
    expect(within(cpuCard).getByRole('radio', { name: 'fit to data' }).getAttribute('aria-checked')).toBe('true');
    fireEvent.click(within(cpuCard).getByRole('radio', { name: '0–100 %' }));
    expect(within(cpuCard).getByRole('radio', { name: '0–100 %' }).getAttribute('aria-checked')).toBe('true');
    expect(cpuCard.querySelector('path.mean-line')).not.toBeNull();
    // The kernel failure is marked where it happened, with what it was as tooltip.
    await waitFor(() => expect(cpuCard.querySelectorAll('g.time-mark')).toHaveLength(1));
    expect(cpuCard.querySelector('g.time-mark')!.getAttribute('data-time')).toBe('400000000');
    expect(cpuCard.querySelector('g.time-mark title')!.textContent).toMatch(/^400 ms: .* kernel failed$/);

    fireEvent.click(tab(/^Timeline/));
    await waitFor(() => expect(document.querySelectorAll('[data-testid="timeline-view"] rect.tl-span')).toHaveLength(2));
    expect(document.querySelector('[data-testid="timeline-view"] .tl-mark.upcallDropped')).not.toBeNull();
    expect(document.querySelectorAll('[data-testid="timeline-view"] .tl-overview g.time-mark')).toHaveLength(1); // marked on the whole-run overview
    const traceReq = api.trace.mock.calls[0]![0] as { fromNs: number; toNs: number; runId: number };
    expect(traceReq).toMatchObject({ runId: 7, fromNs: 0 });
    expect(traceReq.toNs).toBeGreaterThan(0);
  });

  it('the first timeline window holds about 800 events', () => {
    expect(defaultWindow(1e9, 80_000)).toEqual([0, 10_000_000]);
    expect(defaultWindow(1e9, 100)).toEqual([0, 1e9]);
  });
});

describe('the tab strip', () => {
  it('arrow keys, Home and End move between the tabs that can be chosen', () => {
    installFakeApi();
    setup();
    const summary = tab(/^Summary$/);
    // Without a run only Summary and the run-independent views can be chosen.
    expect((tab(/^Latency$/) as HTMLButtonElement).disabled).toBe(true);
    summary.focus();
    fireEvent.keyDown(summary, { key: 'ArrowRight' });
    expect(tab(/^History$/).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab(/^History$/));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(tab(/^Sweep$/).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(summary.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(tab(/^Sweep$/).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(summary.getAttribute('aria-selected')).toBe('true');
    expect(summary.getAttribute('tabindex')).toBe('0');
    expect(tab(/^Sweep$/).getAttribute('tabindex')).toBe('-1');
  });

  it('when not every tab fits, a menu of every view appears beside the dock buttons', () => {
    installFakeApi();
    setup();
    expect(screen.queryByRole('combobox', { name: 'All results views' })).toBeNull();
    const strip = screen.getByRole('tablist', { name: 'Results views' });
    Object.defineProperty(strip, 'scrollWidth', { configurable: true, value: 700 });
    Object.defineProperty(strip, 'clientWidth', { configurable: true, value: 400 });
    act(() => void strip.dispatchEvent(new Event('scroll')));
    const more = screen.getByRole('combobox', { name: 'All results views' });
    expect((within(more).getByRole('option', { name: 'Latency' }) as HTMLOptionElement).disabled).toBe(true);
    fireEvent.change(more, { target: { value: 'compare' } });
    expect(tab(/^Compare/).getAttribute('aria-selected')).toBe('true');
    Object.defineProperty(strip, 'scrollWidth', { configurable: true, value: 400 });
    act(() => void strip.dispatchEvent(new Event('scroll')));
    expect(screen.queryByRole('combobox', { name: 'All results views' })).toBeNull();
  });
});

describe('history', () => {
  it('lists runs with headline numbers; filters go to the query; empty, loading and error states', async () => {
    const api = installFakeApi();
    api.records.set(3, record(3, { designName: 'Dual core' }));
    api.records.set(4, record(4, { status: 'failed', summary: null, error: 'worker crashed' }));
    const studio = setup();
    act(() => studio.run.getState().setTab('history'));
    const table = await screen.findByTestId('runs-table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('#4');
    expect(rows[0]!.textContent).toContain('worker crashed');
    await waitFor(() => expect(rows[1]!.textContent).toContain('52.56 µs'));
    expect(rows[1]!.textContent).toContain('Dual core');
    expect(rows[1]!.textContent).toContain('12'); // lost

    fireEvent.change(screen.getByRole('combobox', { name: /status/ }), { target: { value: 'failed' } });
    await waitFor(() => expect(api.listRuns).toHaveBeenLastCalledWith({ limit: 50, status: 'failed' }));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search runs' }), { target: { value: 'dual' } });
    await waitFor(() => expect(api.listRuns).toHaveBeenLastCalledWith({ limit: 50, text: 'dual', status: 'failed' }));
  });

  it('says so when there are no runs, and when the list cannot be loaded', async () => {
    installFakeApi();
    const studio = setup();
    act(() => studio.run.getState().setTab('history'));
    expect(await screen.findByText('No runs recorded yet')).toBeTruthy();
    cleanup();
    installFakeApi({ listRuns: async () => Promise.reject(new Error('database is locked')) });
    const s2 = setup();
    act(() => s2.run.getState().setTab('history'));
    expect((await screen.findByRole('alert')).textContent).toContain('database is locked');
  });

  it('open, delete (after confirming) and re-run with the same seed', async () => {
    const api = installFakeApi();
    api.records.set(3, record(3, { seed: 99 }));
    api.designs.set(3, twoKernels());
    const studio = setup();
    act(() => studio.run.getState().setTab('history'));
    const table = await screen.findByTestId('runs-table');

    fireEvent.click(within(table).getByRole('button', { name: 'Open' }));
    await screen.findByTestId('summary-view');
    expect(studio.run.getState().shown?.runId).toBe(3);

    act(() => studio.run.getState().setTab('history'));
    fireEvent.click(await screen.findByRole('button', { name: 'Re-run' }));
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
    expect(api.exportRun).toHaveBeenCalledWith({ runId: 3, format: 'json' });
    expect(api.startRun.mock.calls[0]![0]).toMatchObject({ seed: 99, durationNs: 1_000_000_000, label: 're-run of #3' });
    act(() => api.emit({ runId: 7, status: 'cancelled' }));

    fireEvent.click(await screen.findByRole('button', { name: 'Delete run #3' }));
    expect(api.deleteRun).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.deleteRun).toHaveBeenCalledWith({ runId: 3 }));
    expect(await screen.findByText('No runs recorded yet')).toBeTruthy();
  });
});

/** A comparison as the run store answers it for `ids` (run 0 the baseline): the second run has seed 2. */
function comparison(otherName?: string, ids: readonly number[] = [3, 5]): RunComparison {
  const a = listItem(ids[0]!);
  const b = listItem(ids[1]!, { seed: 2, designHash: 'def456', ...(otherName ? { designName: otherName } : {}) });
  const flow = (p50: number, p99: number, drops: number) => ({ name: 'producer → channel → consumer', mechanism: 'twoCopyChannel', p50, p99, copiesPerMessage: 2, drops, sent: 100, delivered: 100 - drops, truncated: 0 });
  return {
    runs: [a, b],
    flows: [{ id: 'p>m>c', values: [flow(48_000, 52_560, 12), flow(30_000, 40_000, 20)], deltas: [{ p50: 0, p99: 0, copiesPerMessage: 0, drops: 0, sent: 0, delivered: 0, truncated: 0 }, { p50: -18_000, p99: -12_560, copiesPerMessage: 0, drops: 8, sent: 0, delivered: -8, truncated: 0 }] }],
    processes: [{ id: 'p', values: [{ name: 'producer', mpuRegionsPeak: 3, mpuRegionsCapacity: 8, mpuMapFailures: 0, restarts: 0 }, { name: 'producer', mpuRegionsPeak: 4, mpuRegionsCapacity: 8, mpuMapFailures: 0, restarts: 0 }], deltas: [{ mpuRegionsPeak: 0, mpuRegionsCapacity: 0, mpuMapFailures: 0, restarts: 0 }, { mpuRegionsPeak: 1, mpuRegionsCapacity: 0, mpuMapFailures: 0, restarts: 0 }] }],
    mechanisms: [{ id: 'm', values: [{ name: 'channel', kind: 'twoCopyChannel', copies: 200, maxDepth: 4, drops: 12, lost: 12 }, { name: 'channel', kind: 'twoCopyChannel', copies: 160, maxDepth: 2, drops: 20, lost: 20 }], deltas: [{ copies: 0, maxDepth: 0, drops: 0, lost: 0 }, { copies: -40, maxDepth: -2, drops: 8, lost: 8 }] }],
    kernels: [{ id: 'k0', values: [{ name: 'kernel 0', cpuUtilization: 0.079, contextSwitches: 1002 }, { name: 'kernel 0', cpuUtilization: 0.081, contextSwitches: 1002 }], deltas: [{ cpuUtilization: 0, contextSwitches: 0 }, { cpuUtilization: 0.002, contextSwitches: 0 }] }],
    designDiffs: [
      { identical: true, design: [], nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [], changed: [] }, counts: { nodesAdded: 0, nodesRemoved: 0, nodesChanged: 0, edgesAdded: 0, edgesRemoved: 0, edgesChanged: 0, paramsChanged: 0 } },
      {
        identical: false,
        design: [{ path: 'run.seed', before: 1, after: 2 }],
        nodes: { added: [], removed: [], changed: [{ id: 'm', kind: 'twoCopyChannel', name: 'channel', fields: [], params: [{ key: 'capacity', change: 'changed', before: 8, after: 2 }] }] },
        edges: { added: [], removed: [], changed: [] },
        counts: { nodesAdded: 0, nodesRemoved: 0, nodesChanged: 1, edgesAdded: 0, edgesRemoved: 0, edgesChanged: 0, paramsChanged: 1 },
      },
    ],
  };
}

describe('compare', () => {
  it('overlays one CDF per run, marks deltas better / worse, and lists what changed in the design', async () => {
    const api = installFakeApi({ compareRuns: async () => comparison() });
    const studio = setup();
    act(() => studio.run.getState().openCompare([3, 5]));
    const view = await screen.findByTestId('compare-view');
    await waitFor(() => expect(view.querySelectorAll('path.cdf-line')).toHaveLength(2));
    expect(api.compareRuns).toHaveBeenCalledWith({ runIds: [3, 5] });
    expect(api.latencyCdf.mock.calls.map((c) => (c[0] as { runId: number }).runId).sort()).toEqual([3, 5]);
    expect(view.querySelector('path.cdf-line.dashed')!.getAttribute('data-series')).toBe('3'); // the baseline

    const flows = screen.getByTestId('compare-flows');
    const better = [...flows.querySelectorAll('.delta.better')].map((d) => d.textContent);
    const worse = [...flows.querySelectorAll('.delta.worse')].map((d) => d.textContent);
    expect(better.some((t) => t?.includes('−18 µs'))).toBe(true); // Δp50
    expect(better.some((t) => t?.includes('−12.56 µs'))).toBe(true); // Δp99
    expect(worse.some((t) => t?.includes('+8'))).toBe(true); // Δdrops
    expect(flows.querySelector('.delta.same')!.textContent).toBe('±0'); // Δcopies
    expect(screen.getByTestId('compare-processes').querySelector('.delta.worse')!.textContent).toContain('+1'); // ΔMPU

    // Mechanisms by name (id as tooltip); a share's change in percentage points, the relative change beside it.
    expect(screen.getByTestId('compare-mechanisms').textContent).toContain('channel (Two-copy channel)');
    expect(screen.getByTestId('compare-kernels').querySelector('.delta.worse')!.textContent).toBe('▲ +0.2 pp (+2.5 %)');
    expect(screen.queryByTestId('compare-designs-differ')).toBeNull(); // two variants of one design

    const diff = screen.getByTestId('diff-5');
    expect(diff.textContent).toContain('seed: 1 → 2');
    expect(diff.textContent).toMatch(/channel \(Two-copy channel\)FIFO capacity: 8 entries → 2 entries/);
  });

  it('says so when the runs are of different designs (rows are matched by id)', async () => {
    installFakeApi({ compareRuns: async () => comparison('Another design') });
    const studio = setup();
    act(() => studio.run.getState().openCompare([3, 5]));
    const note = await screen.findByTestId('compare-designs-differ');
    expect(note.textContent).toMatch(/2 different designs \(“Test design”, “Another design”\)/);
  });

  it('with fewer than two runs picked it offers the finished runs to pick', async () => {
    const api = installFakeApi();
    api.records.set(3, record(3));
    api.records.set(5, record(5));
    const studio = setup();
    act(() => studio.run.getState().setTab('compare'));
    const view = await screen.findByTestId('compare-view');
    expect(view.textContent).toContain('Pick two or more finished runs to compare');
    await waitFor(() => expect(within(view).getAllByRole('checkbox')).toHaveLength(2));
    within(view).getAllByRole('checkbox').forEach((b) => fireEvent.click(b)); // newest first, as listed
    expect(studio.run.getState().compareIds).toEqual([3, 5]); // the older run is the baseline
    await waitFor(() => expect(api.compareRuns).toHaveBeenCalledWith({ runIds: [3, 5] }));
  });

  it('the older run is the baseline whatever order the runs are ticked in History, so changes read old → new', async () => {
    const api = installFakeApi({ compareRuns: async (req: { runIds: number[] }) => comparison('Test design', req.runIds) } as never);
    for (const id of [28, 29]) api.records.set(id, record(id));
    const studio = setup();
    act(() => studio.run.getState().setTab('history'));
    const table = await screen.findByTestId('runs-table');
    // The list is newest first: tick #29, then #28.
    fireEvent.click(within(table.querySelector('tr[data-run="29"]') as HTMLElement).getByRole('checkbox'));
    fireEvent.click(within(table.querySelector('tr[data-run="28"]') as HTMLElement).getByRole('checkbox'));
    expect(studio.run.getState().compareIds).toEqual([28, 29]);
    fireEvent.click(screen.getByRole('button', { name: /^Compare \(2\)/ }));
    const view = await screen.findByTestId('compare-view');
    await waitFor(() => expect(api.compareRuns).toHaveBeenCalledWith({ runIds: [28, 29] }));
    await waitFor(() => expect(view.textContent).toContain('#28 (baseline)'));
    expect(screen.getByTestId('diff-29').textContent).toContain('#28 → #29');
    expect(screen.getByTestId('diff-29').textContent).toContain('seed: 1 → 2');
    expect(screen.queryByTestId('diff-28')).toBeNull();
  });

  it('a run made the baseline by hand stays first; other picks stay oldest first; at most 12', () => {
    installFakeApi();
    const studio = setup();
    const r = () => studio.run.getState();
    act(() => r().openCompare([22, 20, 21]));
    expect(r().compareIds).toEqual([20, 21, 22]);
    act(() => r().makeBaseline(22));
    expect(r().compareIds).toEqual([22, 20, 21]);
    act(() => r().toggleCompare(19));
    expect(r().compareIds).toEqual([22, 19, 20, 21]);
    act(() => r().toggleCompare(22)); // the baseline unpicked: the oldest leads again
    expect(r().compareIds).toEqual([19, 20, 21]);
    act(() => r().makeBaseline(99)); // not picked: nothing happens
    expect(r().compareIds).toEqual([19, 20, 21]);
    act(() => r().setCompare([]));
    for (let id = 30; id > 16; id--) act(() => r().toggleCompare(id)); // 14 picks, newest first
    expect(r().compareIds).toEqual([19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]); // the contract's limit: 12
    expect(studio.ui.getState().toasts.at(-1)?.message).toBe('At most 12 runs can be compared: untick one first.');
  });

  it('lower is better unless said otherwise; small relative changes are the same', () => {
    expect(verdict(-5, 100, true)).toBe('better');
    expect(verdict(5, 100, true)).toBe('worse');
    expect(verdict(5, 100, false)).toBe('better');
    expect(verdict(0.00001, 100, true)).toBe('same');
    expect(verdict(null, 100, true)).toBeNull();
  });
});
