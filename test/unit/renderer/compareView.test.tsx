// Compare's "what changed" says how runs were run (seed, duration), and its flow table shows messages cut short.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import { createStudio } from '../../../src-renderer/editor/studio';
import type { DesignDiff } from '../../../src-shared/model/diff';
import type { RunComparison, RunListItem } from '../../../src-shared/results/runStore';
import { installFakeApi, listItem } from './fakeApi';
import { fakeFiles, twoKernels } from './helpers';

afterEach(() => {
  cleanup();
  setApiForTests(null);
});

const NO_COUNTS = { nodesAdded: 0, nodesRemoved: 0, nodesChanged: 0, edgesAdded: 0, edgesRemoved: 0, edgesChanged: 0, paramsChanged: 0 };
const EMPTY = { nodes: { added: [], removed: [], changed: [] }, edges: { added: [], removed: [], changed: [] } };

function diff(over: Partial<DesignDiff> = {}): DesignDiff {
  return { identical: true, design: [], ...EMPTY, counts: NO_COUNTS, ...over };
}

/** Two runs of one design (#3 the baseline, #5), compared as the store answers; one flow, 100 sent in each. */
function comparison(a: RunListItem, b: RunListItem, second: DesignDiff, cutIn5 = 0): RunComparison {
  const flow = { name: 'producer → channel → consumer', mechanism: 'twoCopyChannel', p50: 48_000, p99: 52_560, copiesPerMessage: 2, drops: 0, sent: 100, delivered: 100, truncated: 0 };
  const zero = { p50: 0, p99: 0, copiesPerMessage: 0, drops: 0, sent: 0, delivered: 0, truncated: 0 };
  return { runs: [a, b], flows: [{ id: 'p>m>c', values: [flow, { ...flow, truncated: cutIn5 }], deltas: [zero, { ...zero, truncated: cutIn5 }] }], processes: [], mechanisms: [], kernels: [], designDiffs: [diff(), second] };
}

async function openCompare(c: RunComparison): Promise<HTMLElement> {
  installFakeApi({ compareRuns: async () => c });
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), null);
  render(<App studio={studio} />);
  act(() => studio.run.getState().openCompare([3, 5]));
  await screen.findByTestId('compare-flows');
  return screen.getByTestId('diff-5');
}

describe('what changed: run settings', () => {
  it('says the seed and the simulated duration changed when the store’s diff carries them (CLI --seed / --duration)', async () => {
    const d = await openCompare(
      comparison(listItem(3, { seed: 7 }), listItem(5, { seed: 3, simTimeNs: 500_000_000 }), diff({ identical: false, design: [{ path: 'run.durationNs', before: 1_000_000_000, after: 500_000_000 }, { path: 'run.seed', before: 7, after: 3 }], layoutChanged: false })),
    );
    expect(d.textContent).not.toContain('Same design and run settings');
    expect(d.textContent).toContain('Same design, run with other settings:');
    expect(d.textContent).toContain('seed: 7 → 3');
    expect(d.textContent).toContain('simulated duration: 1 s → 500 ms');
    expect(d.textContent!.indexOf('seed')).toBeLessThan(d.textContent!.indexOf('simulated duration')); // as in the top bar
  });

  it('never says "same run settings" for runs with another seed or simulated time, even when the diff has no run settings', async () => {
    // The design snapshots are identical (the seed and duration were given on the command line).
    const d = await openCompare(comparison(listItem(3, { seed: 7 }), listItem(5, { seed: 3, simTimeNs: 500_000_000 }), diff()));
    expect(d.textContent).not.toContain('Same design and run settings');
    expect(d.textContent).toContain('seed: 7 → 3');
    expect(d.textContent).toContain('simulated: 1 s → 500 ms');
  });

  it('same model and settings but other snapshots (a CLI --seed 7 run and a run saved with seed 7): the same, not "layout only"', async () => {
    const d = await openCompare(comparison(listItem(3, { seed: 7, designHash: 'aaa' }), listItem(5, { seed: 7, designHash: 'bbb' }), diff({ layoutChanged: false })));
    expect(d.textContent).toContain('Same design and run settings.');
    expect(d.textContent).not.toMatch(/layout/);
  });

  it('a moved card is said to be layout only', async () => {
    const d = await openCompare(comparison(listItem(3), listItem(5, { designHash: 'bbb' }), diff({ layoutChanged: true })));
    expect(d.textContent).toContain('Same design and run settings; only the layout differs.');
  });

  it('run settings and design changes are listed together, each once', async () => {
    const d = await openCompare(
      comparison(
        listItem(3),
        listItem(5, { seed: 2 }),
        diff({ identical: false, design: [{ path: 'run.seed', before: 1, after: 2 }], nodes: { added: [], removed: [], changed: [{ id: 'm', kind: 'twoCopyChannel', name: 'channel', fields: [], params: [{ key: 'capacity', change: 'changed', before: 8, after: 2 }] }] }, counts: { ...NO_COUNTS, nodesChanged: 1, paramsChanged: 1 } }),
      ),
    );
    expect(d.textContent!.match(/seed: 1 → 2/g)).toHaveLength(1);
    expect(d.textContent).toMatch(/channel \(Two-copy channel\)FIFO capacity: 8 entries → 2 entries/);
  });
});

describe('compare: messages cut short', () => {
  async function open(cutIn5: number): Promise<HTMLElement> {
    // The comparison carries each run's cut counts (from its summary).
    installFakeApi({ compareRuns: async () => comparison(listItem(3), listItem(5), diff(), cutIn5) });
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    render(<App studio={studio} />);
    act(() => studio.run.getState().openCompare([3, 5]));
    return screen.findByTestId('compare-flows');
  }

  it('a run whose 100 messages were all cut does not read like a clean one: a cut column, its delta, and a note', async () => {
    const flows = await open(100);
    expect(within(flows).getByRole('columnheader', { name: 'cut' })).toBeTruthy();
    // First, as in the summary (before the latencies, which are of shortened messages): #3 then #5.
    expect([...flows.querySelectorAll('thead tr:first-child th')].map((th) => th.textContent)).toEqual(['Flow', 'cut', 'p50', 'p99', 'copies / msg', 'lost']);
    const row = within(flows).getByText('producer → channel → consumer').closest('tr')!;
    const [, cut3, cut5] = [...row.querySelectorAll('td')];
    expect(cut5!.querySelector('.num-warn')!.textContent).toBe('100');
    expect(cut5!.querySelector('.delta.worse')!.textContent).toContain('+100');
    expect(cut3!.textContent).toBe('0'); // the baseline cut none
    expect(screen.getByTestId('compare-cut').textContent).toContain('#5: 100 cut of 100 sent');
  });

  it('no cut column when no run cut a message (as in the summary)', async () => {
    const flows = await open(0);
    expect(within(flows).getByRole('columnheader', { name: 'lost' })).toBeTruthy();
    expect(within(flows).queryByRole('columnheader', { name: 'cut' })).toBeNull();
    expect(screen.queryByTestId('compare-cut')).toBeNull();
  });
});
