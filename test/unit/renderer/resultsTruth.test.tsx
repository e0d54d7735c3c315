// The results views agree with each other and with the canvas: a mechanism's "lost" is one number everywhere, the
// Queues tab's peaks are the summary's, and a byte axis ticks at round values of its unit.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import type { Studio } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { queueEntries } from '../../../src-renderer/results/SeriesViews';
import { byteAxis } from '../../../src-renderer/results/SweepView';
import { SWEEP_KEY, SWEEPS_KEY } from '../../../src-renderer/run/sweepStore';
import { getKind, getParamDef, type NumberParam } from '../../../src-shared/catalog';
import type { Design } from '../../../src-shared/model';
import { computeOverlay } from '../../../src-shared/results/overlay';
import { installFakeApi, record, twoKernelsSummary, type FakeApi } from './fakeApi';
import { fakeFiles, twoKernels } from './helpers';
import { mountStudio } from './mount';

afterEach(() => {
  cleanup();
  setApiForTests(null);
  globalThis.localStorage?.removeItem(SWEEP_KEY);
  globalThis.localStorage?.removeItem(SWEEPS_KEY);
});

const setup = (): Studio => mountStudio();

const tab = (name: RegExp) => screen.getByRole('tab', { name });

/** The cells of a table's rows, as text. */
function cells(table: HTMLElement): string[][] {
  return [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()));
}

/** The fake run's depth series list: the channel's depth as the store recorded it (`vMax`). */
function depthSeries(vMax: number) {
  return async () => [
    { key: 'mpu:p', points: 3, tMinNs: 0, tMaxNs: 500_000_000, vMin: 2, vMax: 3 },
    { key: 'depth:m', points: 10, tMinNs: 0, tMaxNs: 900_000_000, vMin: 0, vMax },
    { key: 'cpu:k0', points: 100, tMinNs: 0, tMaxNs: 990_000_000, vMin: 0, vMax: 0.5 },
  ];
}

describe('a mechanism’s losses', () => {
  // The fake run: the channel's flow lost 12 (10 dropped by the channel when full, 2 timed out); the channel's own
  // count of what it discarded is 10. The canvas badge says 12 lost.
  it('the Summary’s Mechanisms table shows the canvas’s lost, and what the mechanism discarded under its own word', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    expect(computeOverlay(7, twoKernelsSummary(), twoKernels()).nodes.get('m')!.badge).toBe('12 lost');
    const table = await screen.findByTestId('mechanisms-table');
    const head = [...table.querySelectorAll('thead th')];
    expect(head.map((th) => th.textContent)).toEqual(['Mechanism', 'copies', 'bytes copied', 'max depth', 'lost', 'discarded']);
    expect(head[4]!.getAttribute('title')).toMatch(/^Lost: messages of the flows it carries that never arrived: dropped, overwritten, timed out or failed/);
    expect(head[5]!.getAttribute('title')).toMatch(/^Discarded: messages the mechanism itself threw away: refused when full/);
    expect(cells(table)).toEqual([['channel · Two-copy channel', '176', '11 KiB', '8', '12', '10']]);
    expect(table.querySelector('tbody td:nth-child(5)')!.getAttribute('title')).toBe('10 dropped, 2 timed out');
  });

  it('the Queues card says the same lost', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    await screen.findByTestId('summary-view');
    fireEvent.click(tab(/^Queues/));
    const card = await screen.findByTestId('card-queue-m');
    expect(card.querySelector('.rcard-sub')!.textContent).toMatch(/^peak depth 8 · 12 lost \(10 discarded by it\) · band/);
    expect(card.className).toContain('is-danger');
  });
});

describe('the Queues tab takes its peaks from the summary', () => {
  it('a peak that lasted no time (0 → 1 → 0 at one instant, recorded as 0) is charted, not “never queued”', async () => {
    const api = installFakeApi({ listSeries: depthSeries(0) } as never);
    api.records.set(7, record(7, { summary: twoKernelsSummary({ mechanisms: [{ ...twoKernelsSummary().mechanisms[0]!, maxDepth: 1 }] }) }));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    await screen.findByTestId('summary-view');
    fireEvent.click(tab(/^Queues/));
    const card = await screen.findByTestId('card-queue-m');
    expect(card.querySelector('.rcard-sub')!.textContent).toMatch(/^peak depth 1 · /);
    expect(within(card).getByTestId('queue-note-m').textContent).toContain('the chart tops at 0: the peak of 1 lasted no time (queued and taken at one instant; the chart shows the depth held between instants)');
    expect(screen.queryByTestId('queues-idle')).toBeNull();
    expect(screen.getByTestId('queues-view').textContent).not.toContain('No message ever waited');
  });

  it('after a warm-up the peak is the one counted after it, and a higher value in the warm-up is said to be there', async () => {
    const api = installFakeApi({ listSeries: depthSeries(4) } as never);
    api.records.set(7, record(7, { settings: { durationNs: 1_000_000_000, warmupNs: 300_000_000 }, summary: twoKernelsSummary({ mechanisms: [{ ...twoKernelsSummary().mechanisms[0]!, maxDepth: 3 }] }) }));
    const studio = setup();
    await act(async () => studio.run.getState().show(7));
    await screen.findByTestId('summary-view');
    fireEvent.click(tab(/^Queues/));
    const card = await screen.findByTestId('card-queue-m');
    expect(card.querySelector('.rcard-sub')!.textContent).toMatch(/^peak depth 3 after the warm-up · /);
    expect(within(card).getByTestId('queue-note-m').textContent).toBe(' · the chart reaches 4 during the warm-up (shaded, not counted)');
  });

  it('lists as never queued only what neither the summary nor the series saw queue', () => {
    const mech = (id: string, maxDepth: number) => ({ id, kind: 'relayRequest', copies: 0, bytesCopied: 0, maxDepth, drops: 0 });
    const info = (id: string, vMax: number) => ({ key: `depth:${id}`, points: 3, tMinNs: 0, tMaxNs: 10, vMin: 0, vMax });
    const r = queueEntries([info('a', 0), info('b', 2), info('c', 0), info('d', 5)], { mechanisms: [mech('a', 1), mech('b', 2), mech('c', 0), mech('d', 0), mech('e', 2)] }, 100);
    expect(r.charted.map((e) => [e.id, e.peak, e.key])).toEqual([
      ['a', 1, 'depth:a'],
      ['b', 2, 'depth:b'],
      ['d', 0, 'depth:d'], // queued during the warm-up only: charted (shaded), its peak after it 0
      ['e', 2, null], // a peak but no series recorded
    ]);
    expect(r.idle.map((e) => e.id)).toEqual(['c']);
    expect(r.charted.find((e) => e.id === 'd')!.note).toBe('the chart reaches 5 during the warm-up (shaded, not counted)');
  });
});

describe('the Sweep chart’s byte axis', () => {
  it('ticks at round values of the unit it reads in', () => {
    const kib = byteAxis(50_000); // 48.8 KiB
    expect(kib.unit.suffix).toBe('KiB');
    expect(kib.ticks.map((t) => t / 1024)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(kib.top).toBe(60 * 1024);
    expect(byteAxis(3_000_000).ticks.map((t) => t / 1_048_576)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(byteAxis(700).ticks).toEqual([0, 200, 400, 600, 800]);
  });

  it('reads “bytes copied (KiB)” with ticks 0, 2, 4 … and not 1.953 KiB, 3.906 KiB …', async () => {
    let next = 20;
    const api: FakeApi = installFakeApi({
      startRun: async (req: { design: Design; label?: string }) => {
        const runId = next++;
        const bytes = Number(req.design.nodes.find((n) => n.id === 'p')!.params.payloadBytes);
        api.records.set(runId, record(runId, { summary: twoKernelsSummary({ runId: String(runId), flows: [{ ...twoKernelsSummary().flows[0]!, bytesCopied: bytes * 22 }] }) }));
        setTimeout(() => api.emit({ runId, status: 'done', fraction: 1 }), 0);
        return { runId };
      },
    } as never);
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    api.onRunProgress((p) => studio.run.getState().handleProgress(p));
    render(<App studio={studio} />);
    const payload = getParamDef(getKind('process')!, 'payloadBytes') as NumberParam;
    await act(async () => studio.sweep.getState().start({ design: studio.editor.getState().design, target: { param: 'payloadBytes', nodeIds: ['p'] }, def: payload, values: [64, 256, 512], seed: 1, durationNs: 1_000_000 }));
    const view = await screen.findByTestId('sweep-view');
    fireEvent.change(within(view).getByLabelText('Plot'), { target: { value: 'bytes' } });
    // 512 B × 22 = 11 KiB at the top.
    await waitFor(() => expect(view.querySelector('[data-chart="sweep"] .axis-left')).not.toBeNull());
    const axis = view.querySelector('[data-chart="sweep"] .axis-left')!;
    expect([...axis.querySelectorAll('.tick text')].map((t) => t.textContent)).toEqual(['0', '2', '4', '6', '8', '10', '12']);
    expect(axis.textContent).toContain('bytes copied (KiB)');
  });
});
