// The top bar while a sweep runs, in a narrow window: its progress and Cancel take no more room than a run's (so the
// bar stays on one line down to 900 px), and their full text stays their text, accessible name and tooltip.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioProvider } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { RunControls, SWEEP_FULL_TEXT_MIN_WIDTH } from '../../../src-renderer/run/RunControls';
import type { Sweep } from '../../../src-renderer/run/sweepStore';
import { getKind, getParamDef, type NumberParam } from '../../../src-shared/catalog';
import { fakeFiles, twoKernels } from './helpers';

const happyDOM = (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM;

afterEach(() => {
  cleanup();
  happyDOM.setViewport({ width: 1024, height: 768 });
});

/** The top bar's run controls with a sweep of three values under way at its second (one done: 33 %). */
function sweeping() {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), null);
  const def = getParamDef(getKind('process')!, 'payloadBytes') as NumberParam;
  const pt = (value: number, status: Sweep['points'][number]['status']) => ({ value, runId: null, status, summary: null, error: null });
  const sweep: Sweep = { id: 1, key: 'k', at: 0, kind: 'process', designName: 'Test design', target: { param: 'payloadBytes', nodeIds: ['p'] }, def, nodeNames: ['producer'], seed: 1, durationNs: 1_000_000, points: [pt(8, 'done'), pt(64, 'running'), pt(512, 'pending')], state: 'running' };
  studio.sweep.setState({ sweep });
  render(
    <StudioProvider studio={studio}>
      <RunControls />
    </StudioProvider>,
  );
  return studio;
}

/** The text a user sees: without what is hidden from sight only (clipped to nothing). */
function visibleText(el: Element): string {
  let text = '';
  for (const n of el.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) text += n.textContent;
    else if (n instanceof HTMLElement && n.style.clipPath !== 'inset(50%)') text += visibleText(n);
  }
  return text;
}

describe('the top bar while a sweep runs', () => {
  it('at 900 px: "2 of 3" and "Cancel", the full text kept as text, name and tooltip', () => {
    happyDOM.setViewport({ width: 900, height: 600 });
    sweeping();
    const bar = screen.getByRole('progressbar', { name: 'Sweep progress' });
    expect(visibleText(bar)).toBe('2 of 3');
    expect(bar.textContent).toBe('Sweep run 2 of 3 · 33 %');
    expect(bar.getAttribute('title')).toBe('Sweep of Payload: run 2 of 3 under way (3 values), 33 % of the sweep done');
    const cancel = screen.getByRole('button', { name: /Cancel sweep/ });
    expect(visibleText(cancel)).toBe('■ Cancel');
    expect(cancel.textContent).toBe('■ Cancel sweep');
    expect(cancel.getAttribute('title')).toMatch(/^Cancel the sweep/);
  });

  it('in a window wide enough all of it; from 1440 px the share too; it follows a resize', () => {
    happyDOM.setViewport({ width: SWEEP_FULL_TEXT_MIN_WIDTH, height: 600 });
    sweeping();
    const bar = screen.getByRole('progressbar', { name: 'Sweep progress' });
    const cancel = screen.getByRole('button', { name: /Cancel sweep/ });
    expect(visibleText(bar)).toBe('Sweep run 2 of 3 · 33 %');
    expect(visibleText(cancel)).toBe('■ Cancel sweep');
    act(() => happyDOM.setViewport({ width: 1440, height: 600 }));
    expect(visibleText(bar)).toBe('2 of 3 · 33 %');
    expect(visibleText(cancel)).toBe('■ Cancel');
    act(() => happyDOM.setViewport({ width: 900, height: 600 }));
    expect(visibleText(bar)).toBe('2 of 3');
    act(() => happyDOM.setViewport({ width: SWEEP_FULL_TEXT_MIN_WIDTH, height: 600 }));
    expect(visibleText(bar)).toBe('Sweep run 2 of 3 · 33 %');
    expect(bar.textContent).toBe('Sweep run 2 of 3 · 33 %');
  });
});
