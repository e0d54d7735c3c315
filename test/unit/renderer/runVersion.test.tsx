// A run opened from History (or recorded by the CLI) is matched to the canvas by its recorded design hash, not by the
// design's name alone: a run of another version is marked as a run from before your edits (dock, canvas note, export),
// and the seed and duration that produced the results shown are said.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import { setParam } from '../../../src-renderer/editor/commands';
import type { Studio } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { canvasDesignHash, runVersusCanvas } from '../../../src-renderer/run/runStore';
import { loadDesignObject, type Design } from '../../../src-shared/model';
import { designContentHash } from '../../../src-shared/model/designHash';
import { installFakeApi, record, twoKernelsSummary, type FakeApi } from './fakeApi';
import { fakeFiles, twoKernels } from './helpers';

let api: FakeApi;

beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  setApiForTests(null);
});

/** The hash main records a run of `design` with: of the design as it loads it. */
function hashAsRecorded(design: Design): string {
  const loaded = loadDesignObject(design);
  if (!loaded.ok) throw new Error('the test design does not load');
  return designContentHash(loaded.design);
}

function setup(design = twoKernels()): Studio {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(design, null);
  render(<App studio={studio} />);
  return studio;
}

/** The SVG the export dialog previews (its blob is made when the dialog renders). */
async function exportPreview(): Promise<string> {
  const blobs: Blob[] = [];
  const original = URL.createObjectURL;
  URL.createObjectURL = ((b: Blob) => {
    blobs.push(b);
    return original(b);
  }) as typeof URL.createObjectURL;
  try {
    fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
    await screen.findByTestId('export-dialog');
    await waitFor(() => expect(blobs.some((b) => b.type.startsWith('image/svg'))).toBe(true));
  } finally {
    URL.createObjectURL = original;
  }
  return blobs.filter((b) => b.type.startsWith('image/svg')).at(-1)!.text();
}

describe('a run of another version of the design on the canvas', () => {
  it('is drawn, and marked as from before your edits in the dock, on the canvas and in the export', async () => {
    const unedited = twoKernels();
    // Recorded by the CLI from the unedited file, with --seed 7 --duration 500ms (not the design's seed 1, 1 s).
    api.records.set(16, record(16, { designHash: hashAsRecorded(unedited), seed: 7, settings: { durationNs: 500_000_000, warmupNs: 0 }, simTimeNs: 500_000_000, summary: twoKernelsSummary({ runId: '16', seed: 7, simTimeNs: 500_000_000 }) }));
    const studio = setup(unedited);
    act(() => void studio.editor.getState().execute(setParam('p', 'payloadBytes', 512)));
    await act(async () => studio.run.getState().show(16));
    await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(16));

    const info = screen.getByTestId('shown-run');
    expect(within(info).getByTestId('shown-run-changed').textContent).toBe('design changed since');
    expect(within(info).getByTestId('shown-run-settings').textContent).toBe('seed 7 · 500 ms');

    const note = screen.getByTestId('canvas-stale');
    expect(note.textContent).toMatch(/^Results of run #16, from before your edits/);
    expect(within(note).getByTestId('canvas-stale-settings').textContent!.replace(/\u00a0/g, ' ')).toBe('seed 7 · 500 ms');

    const svg = await exportPreview();
    expect(svg).toContain('Results of run #16 · seed 7 · 500 ms simulated · engine 0.2.0 · the design was edited after this run');
    expect(screen.getByTestId('export-dialog').textContent).toContain('The design was edited after this run: the export says so.');
  });

  it('a run of exactly the canvas design is not marked; undoing the edit makes it match again', async () => {
    const design = twoKernels();
    api.records.set(16, record(16, { designHash: hashAsRecorded(design) }));
    const studio = setup(design);
    await act(async () => studio.run.getState().show(16));
    await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(16));
    expect(screen.queryByTestId('shown-run-changed')).toBeNull();
    expect(screen.queryByTestId('canvas-stale')).toBeNull();
    expect(screen.queryByTestId('shown-run-other-settings')).toBeNull();
    expect(screen.getByTestId('shown-run-settings').textContent).toBe('seed 1 · 1 s');

    act(() => void studio.editor.getState().execute(setParam('p', 'payloadBytes', 512)));
    expect(await screen.findByTestId('canvas-stale')).toBeTruthy();
    expect(screen.getByTestId('shown-run-changed')).toBeTruthy();
    act(() => studio.editor.getState().undo());
    await waitFor(() => expect(screen.queryByTestId('canvas-stale')).toBeNull());
    expect(screen.queryByTestId('shown-run-changed')).toBeNull();
  });

  it('a run of the canvas design with another seed and duration says which, next to the design’s own', async () => {
    const design = twoKernels();
    api.records.set(16, record(16, { designHash: hashAsRecorded(design), seed: 7, settings: { durationNs: 500_000_000, warmupNs: 0 }, simTimeNs: 500_000_000 }));
    const studio = setup(design);
    await act(async () => studio.run.getState().show(16));
    await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(16));
    expect(screen.queryByTestId('shown-run-changed')).toBeNull();
    expect(screen.getByTestId('shown-run-other-settings').textContent).toBe('not the design’s seed 1 · 1 s');
    const note = screen.getByTestId('canvas-stale');
    expect(note.textContent).toMatch(/^Results of run #16, run with other settings/);
    expect(note.getAttribute('title')).toContain('the design as it is now would run with seed 1 · 1 s');
    expect(within(note).getByTestId('canvas-stale-settings').textContent!.replace(/\u00a0/g, ' ')).toBe('seed 7 · 500 ms');
    // The design's run settings are left as they were.
    expect(studio.editor.getState().design.run).toMatchObject({ seed: 1, durationNs: 1_000_000_000 });
  });

  it('a run of another design (another name) is not drawn', async () => {
    api.records.set(16, record(16, { designName: 'CAN bus' }));
    const studio = setup();
    await act(async () => studio.run.getState().show(16));
    await waitFor(() => expect(studio.run.getState().shown?.record?.id).toBe(16));
    expect(studio.run.getState().overlay).toBeNull();
    expect(screen.getByText(/other design · open it/)).toBeTruthy();
    expect(screen.queryByTestId('canvas-stale')).toBeNull();
  });
});

describe('runVersusCanvas', () => {
  it('compares the recorded hash with the hash main would record for the canvas design', () => {
    const design = twoKernels();
    const ed = { docSeq: 1, design, past: [] };
    expect(canvasDesignHash(design)).toBe(hashAsRecorded(design));
    expect(runVersusCanvas({ designName: 'Test design', designHash: hashAsRecorded(design) }, undefined, ed)).toBe('same');
    expect(runVersusCanvas({ designName: 'Test design', designHash: hashAsRecorded({ ...design, run: { ...design.run, seed: 7 } }) }, undefined, ed)).toBe('edited');
    expect(runVersusCanvas({ designName: 'Other', designHash: hashAsRecorded(design) }, undefined, ed)).toBe('other');
    // Started from this document with nothing edited since: the same, whatever the hash (no second guess).
    expect(runVersusCanvas({ designName: 'Test design', designHash: 'x' }, { docSeq: 1, head: 0 }, ed)).toBe('same');
    expect(runVersusCanvas({ designName: 'Renamed', designHash: 'x' }, { docSeq: 1, head: 0 }, ed)).toBe('same');
    expect(runVersusCanvas({ designName: 'Test design', designHash: 'x' }, { docSeq: 0, head: 0 }, ed)).toBe('other');
  });
});
