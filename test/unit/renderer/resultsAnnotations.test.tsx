// Every time-axis chart marks the run's faults and shades its warm-up; wide tables say when columns are out of
// sight; the summary explains why dropped upcalls are not lost messages.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApiForTests } from '../../../src-renderer/api';
import { scrollEdges } from '../../../src-renderer/results/parts';
import { UPCALL_DROP_HINT } from '../../../src-renderer/results/SummaryView';
import { defaultWindow } from '../../../src-renderer/results/TimelineView';
import { linkFaultMarks, tracesLinks } from '../../../src-renderer/results/useFaultMarks';
import { canvasDesignHash } from '../../../src-renderer/run/runStore';
import type { Design } from '../../../src-shared/model/design';
import { installFakeApi, record, twoKernelsSummary } from './fakeApi';
import { mountStudio } from './mount';
import { node, twoKernels } from './helpers';

afterEach(() => {
  cleanup();
  setApiForTests(null);
});

const setup = mountStudio;

const tab = (name: RegExp) => screen.getByRole('tab', { name });
const FAIL = { seq: 5, timeNs: 400_000_000, kernelId: 'k1', processId: null, kind: 'kernelFailed', detail: '' };

function withLink(): Design {
  const d = twoKernels();
  d.nodes.push(node('dev', 'stm32Ethernet', { parent: 'k0', name: 'eth' }), node('f1', 'linkDown', { name: 'cable pulled', params: { targetId: 'dev', trigger: 'atTime', atNs: 200_000_000, downForNs: 100_000_000 } }));
  return d;
}

describe('faults on every time chart', () => {
  it('MPU, queue, CPU, latency over time and the timeline overview all mark the kernel failure the same way', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7, { traceEvents: 4 }));
    api.trace.mockImplementation(async (q: unknown) => ([FAIL] as const).filter((e) => !(q as { kind?: string }).kind || e.kind === (q as { kind?: string }).kind));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    await screen.findByTestId('summary-view');
    const check = async (selector: string): Promise<void> => {
      await waitFor(() => expect(document.querySelectorAll(`${selector} g.time-mark`).length).toBeGreaterThan(0));
      const marks = [...document.querySelectorAll(`${selector} g.time-mark`)];
      expect(marks.every((m) => m.getAttribute('data-time') === '400000000')).toBe(true);
      expect(marks[0]!.querySelector('title')!.textContent).toBe('400 ms: k1 kernel failed');
      expect(marks[0]!.querySelector('text')!.textContent).toBe('✕');
    };
    fireEvent.click(tab(/^Latency/));
    await check('[data-testid="card-over-time"]');
    fireEvent.click(tab(/^MPU/));
    await check('[data-testid="card-mpu-p"]');
    await check('[data-testid="card-mpu-c"]'); // the constant series too
    fireEvent.click(tab(/^Queues/));
    await check('[data-testid="card-queue-m"]');
    fireEvent.click(tab(/^CPU/));
    await check('[data-testid="card-cpu"]');
    fireEvent.click(tab(/^Timeline/));
    await check('[data-testid="timeline-view"] .tl-overview');
  });

  it('from engine 0.4.4 on, links going down and up are the engine’s trace points, named by their mechanism', async () => {
    expect([tracesLinks('0.4.3'), tracesLinks('0.4.4'), tracesLinks('0.5.0'), tracesLinks('1.0.0'), tracesLinks('0.2.0')]).toEqual([false, true, true, true, false]);
    const api = installFakeApi();
    const base = twoKernelsSummary({ runId: '7', engineVersion: '0.4.4' });
    const s = { ...base, mechanisms: base.mechanisms.map((m) => ({ ...m, name: 'uplink' })) };
    api.records.set(7, record(7, { summary: s, engineVersion: '0.4.4' }));
    const down = { seq: 1, timeNs: 150_000_000, kernelId: '', processId: null, kind: 'linkDown', detail: 'm' };
    api.trace.mockImplementation(async (q: unknown) => [down].filter((e) => e.kind === (q as { kind?: string }).kind));
    // The design on the canvas has a link fault at 200 ms: a traced run does not use it.
    const studio = setup(withLink());
    await act(async () => studio.run.getState().show(7, 'queues'));
    await waitFor(() => expect(document.querySelectorAll('[data-testid="card-queue-m"] g.time-mark')).toHaveLength(1));
    const mark = document.querySelector('[data-testid="card-queue-m"] g.time-mark')!;
    expect(mark.getAttribute('data-time')).toBe('150000000');
    expect(mark.querySelector('title')!.textContent).toBe('150 ms: uplink link down');
  });

  it('links going down and up are placed from the run’s design while it is on the canvas', async () => {
    const d = withLink();
    expect(linkFaultMarks(d, 1e9)).toEqual([
      { timeNs: 200_000_000, label: '200 ms: eth link down', glyph: '⇣', tone: 'danger' },
      { timeNs: 300_000_000, label: '300 ms: eth link up', glyph: '⇡', tone: 'ok' },
    ]);
    expect(linkFaultMarks(d, 250_000_000)).toHaveLength(1); // back up after the run: only the down mark
    const api = installFakeApi();
    // A run recorded before this session (no origin in it), of exactly this design: its hash says so.
    api.records.set(7, record(7, { engineVersion: '0.4.3', designHash: canvasDesignHash(d) }));
    const studio = setup(d);
    await act(async () => studio.run.getState().show(7, 'queues'));
    await waitFor(() => expect(document.querySelectorAll('[data-testid="card-queue-m"] g.time-mark')).toHaveLength(2));
    const up = document.querySelector('[data-testid="card-queue-m"] g.time-mark.is-ok')!;
    expect(up.getAttribute('data-time')).toBe('300000000');
  });

  it('are not placed from the canvas when the run is of another version of the design (same name, other hash)', async () => {
    const d = withLink();
    const api = installFakeApi();
    const edited = withLink();
    (edited.nodes.find((n) => n.id === 'f1')!.params as Record<string, unknown>).atNs = 500_000_000;
    api.records.set(7, record(7, { engineVersion: '0.4.3', designHash: canvasDesignHash(edited) }));
    const studio = setup(d);
    await act(async () => studio.run.getState().show(7, 'queues'));
    await waitFor(() => expect(document.querySelector('[data-testid="card-queue-m"]')).not.toBeNull());
    expect(document.querySelectorAll('[data-testid="card-queue-m"] g.time-mark')).toHaveLength(0);
  });
});

describe('the warm-up', () => {
  const warm = () => record(7, { traceEvents: 9_000, settings: { durationNs: 4_500_000_000, warmupNs: 3_500_000_000 }, summary: twoKernelsSummary({ runId: '7', simTimeNs: 4_500_000_000 }) });

  it('is shaded and labelled on the series charts, and latency over time opens on the measured part', async () => {
    const api = installFakeApi();
    api.records.set(7, warm());
    api.getSeries.mockImplementation(async (req: { runId: number; key: string }) => ({ runId: req.runId, key: req.key, fromNs: 0, toNs: 4_500_000_000, points: 2, t: [0, 2_250_000_000], bucketNs: 2_250_000_000, min: [1, 2], max: [1, 3], mean: [1, 2.5], last: [1, 3] }));
    const studio = setup();
    await act(async () => studio.run.getState().show(7, 'cpu'));
    await waitFor(() => expect(document.querySelector('[data-testid="card-cpu"] g.warmup-band')).not.toBeNull());
    const band = document.querySelector('[data-testid="card-cpu"] g.warmup-band')!;
    expect(band.getAttribute('data-warmup')).toBe('3500000000');
    expect(band.querySelector('text')!.textContent).toBe('warm-up: not counted');
    expect(Number(band.querySelector('rect')!.getAttribute('width'))).toBeGreaterThan(100);
    expect(screen.getByTestId('cpu-view').textContent).toContain('shaded: warm-up 0 – 3.5 s, not counted');

    fireEvent.click(tab(/^Queues/));
    await waitFor(() => expect(document.querySelector('[data-testid="card-queue-m"] g.warmup-band')).not.toBeNull());
    fireEvent.click(tab(/^MPU/));
    await waitFor(() => expect(document.querySelector('[data-testid="card-mpu-p"] g.warmup-band')).not.toBeNull());

    fireEvent.click(tab(/^Latency/));
    await waitFor(() => expect(api.latencyOverTime).toHaveBeenCalled());
    expect(api.latencyOverTime.mock.calls[0]![0]).toMatchObject({ fromNs: 3_500_000_000, toNs: 4_500_000_000 });
    const card = await screen.findByTestId('card-over-time');
    expect(within(card).getByTestId('over-time-warmup').textContent).toContain('from 3.5 s: the warm-up before it is not counted');
    fireEvent.click(within(card).getByRole('button', { name: 'Whole run' }));
    await waitFor(() => expect(api.latencyOverTime.mock.calls.some((c) => (c[0] as { fromNs?: number }).fromNs === undefined)).toBe(true));
    expect(within(card).getByRole('button', { name: 'Measured part' })).toBeTruthy();
    expect(within(card).getByTestId('over-time-warmup').textContent).toContain('shaded: warm-up 0 – 3.5 s');
  });

  it('the timeline opens on the measured part, not inside the warm-up', async () => {
    expect(defaultWindow(4.5e9, 9_000, 800, 3.5e9)).toEqual([3.5e9, 3.5e9 + 400_000_000]);
    expect(defaultWindow(4.5e9, 100, 800, 3.5e9)).toEqual([3.5e9, 4.5e9]); // few events: the whole measured part
    expect(defaultWindow(1e9, 80_000, 800, 0)).toEqual([0, 10_000_000]);
    const api = installFakeApi();
    api.records.set(7, warm());
    const studio = setup();
    await act(async () => studio.run.getState().show(7, 'timeline'));
    await waitFor(() => expect(api.trace.mock.calls.some((c) => (c[0] as { kind?: string }).kind === undefined)).toBe(true));
    const req = api.trace.mock.calls.map((c) => c[0] as { kind?: string; fromNs: number }).find((q) => q.kind === undefined)!;
    expect(req.fromNs).toBe(3_500_000_000);
    expect(screen.getByTestId('card-timeline').textContent).toContain('Window 3.5 s');
  });
});

describe('wide tables and summary cards', () => {
  it('knows which side has columns out of sight', () => {
    expect(scrollEdges({ scrollLeft: 0, scrollWidth: 900, clientWidth: 600 })).toEqual({ left: false, right: true });
    expect(scrollEdges({ scrollLeft: 300, scrollWidth: 900, clientWidth: 600 })).toEqual({ left: true, right: false });
    expect(scrollEdges({ scrollLeft: 0, scrollWidth: 600, clientWidth: 600 })).toEqual({ left: false, right: false });
  });

  it('a table wider than its card shows a “more” cue that scrolls it', async () => {
    const proto = HTMLElement.prototype;
    const sw = Object.getOwnPropertyDescriptor(proto, 'scrollWidth');
    const cw = Object.getOwnPropertyDescriptor(proto, 'clientWidth');
    Object.defineProperty(proto, 'scrollWidth', { configurable: true, get(this: HTMLElement) { return this.classList.contains('table-wrap') ? 900 : 0; } });
    Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { return this.classList.contains('table-wrap') ? 600 : 0; } });
    try {
      const api = installFakeApi();
      api.records.set(7, record(7));
      const studio = setup();
      await act(async () => studio.run.getState().show(7));
      const table = await screen.findByTestId('flows-table');
      const scroller = table.closest('.table-scroll')!;
      expect(scroller.className).toContain('more-right');
      expect(within(scroller as HTMLElement).getByRole('button', { name: 'More columns: scroll right' })).toBeTruthy();
    } finally {
      if (sw) Object.defineProperty(proto, 'scrollWidth', sw);
      if (cw) Object.defineProperty(proto, 'clientWidth', cw);
    }
  });

  it('summary cards keep their whole detail text (no ellipsis cut)', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    const lost = await screen.findByTestId('stat-lost');
    expect(lost.querySelector('.stat-detail')!.textContent).toBe('messages dropped, overwritten, timed out or failed');
  });
});

describe('dropped upcalls against lost messages', () => {
  it('the LOST card and the kernels table explain that a dropped upcall is not a lost message', async () => {
    const api = installFakeApi();
    const s = twoKernelsSummary({ runId: '7' });
    s.kernels[0] = { ...s.kernels[0]!, upcallsDropped: 38 };
    api.records.set(7, record(7, { summary: s }));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    const hint = await screen.findByTestId('upcall-hint');
    expect(hint.textContent).toContain('38 dropped upcalls not included');
    expect(hint.getAttribute('title')).toBe(UPCALL_DROP_HINT);
    expect(UPCALL_DROP_HINT).toMatch(/lost notification, not a lost message/);
    const th = within(screen.getByTestId('kernels-table')).getByText(/upcalls dropped/).closest('th')!;
    expect(th.getAttribute('title')).toBe(UPCALL_DROP_HINT);
  });

  it('the processes table says which process lost them, when the run counts them per process', async () => {
    const api = installFakeApi();
    const s = twoKernelsSummary({ runId: '7' });
    s.kernels[0] = { ...s.kernels[0]!, upcallsDropped: 38 };
    s.processes = s.processes.map((p, i) => ({ ...p, upcallsDropped: i === 0 ? 38 : 0 }));
    api.records.set(7, record(7, { summary: s }));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    const table = await screen.findByTestId('processes-table');
    const th = within(table).getByText('upcalls dropped').closest('th')!;
    expect(th.getAttribute('title')).toMatch(/a message its workload never sent/);
    expect(table.querySelector('tbody tr')!.textContent).toContain('38');
  });

  it('says nothing about upcalls when none was dropped', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    await screen.findByTestId('stat-lost');
    expect(screen.queryByTestId('upcall-hint')).toBeNull();
  });
});
