// The Problems panel with errors: warnings still listed, and where the lint waits for an error to be fixed the
// panel says so instead of a bare "0 warnings"; each row names its element once.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LintPanel } from '../../../src-renderer/editor/components/LintPanel';
import { StudioProvider, type Studio } from '../../../src-renderer/editor/context';
import { deferredByErrors, lintDesign, nameList } from '../../../src-renderer/editor/lint';
import { createStudio } from '../../../src-renderer/editor/studio';
import type { Design } from '../../../src-shared/model';
import { fakeFiles, twoKernels } from './helpers';

afterEach(cleanup);

/** The test design with a Process crash fault whose target is not chosen yet (an error) and, optionally, an unbounded channel (a warning). */
function withFault(unbounded: boolean): Design {
  const d = twoKernels();
  if (unbounded) d.nodes.find((n) => n.id === 'm')!.params.capacity = 0;
  d.nodes.push({ id: 'processCrash-1', kind: 'processCrash', name: 'Process crash 1', position: { x: 600, y: 400 }, params: {} });
  return d;
}

function panel(design: Design): Studio {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(design, null);
  studio.ui.getState().setFindings(lintDesign(design));
  studio.ui.getState().setLintOpen(true);
  render(
    <StudioProvider studio={studio}>
      <LintPanel />
    </StudioProvider>,
  );
  return studio;
}

describe('the Problems panel with errors', () => {
  it('lists the warnings with the errors, and says which wait for the errors to be fixed', () => {
    panel(withFault(true));
    expect(screen.getByTitle('Show only errors').textContent).toMatch(/1 error$/);
    const pill = document.querySelector('.count-pill.warning')!;
    expect(pill.textContent).toMatch(/1 warning so far$/);
    expect(pill.getAttribute('title')).toMatch(/Warnings that involve Process crash “Process crash 1” are checked once its errors are fixed/);
    const items = [...document.querySelectorAll('.lint-item')].map((b) => b.textContent ?? '');
    expect(items).toHaveLength(2);
    expect(items[1]).toMatch(/Two-copy channel “channel”: has an unbounded queue/);
    expect(screen.getByTestId('lint-deferred').textContent).toBe('Warnings that involve Process crash “Process crash 1” are checked once its errors are fixed.');
  });

  it('says the warnings wait rather than "0 warnings" when there are none yet, also under the warnings filter', () => {
    panel(withFault(false));
    expect(document.querySelector('.count-pill.warning')!.textContent).toMatch(/0 warnings so far$/);
    fireEvent.click(document.querySelector('.count-pill.warning')!);
    expect(screen.getByTestId('lint-deferred').textContent).toMatch(/are checked once its errors are fixed/);
    expect(screen.queryByText('Nothing of this severity.')).toBeNull();
  });

  it('names the element of each finding once (not again in its message)', () => {
    panel(withFault(true));
    const error = document.querySelector('.lint-item.error')!.textContent ?? '';
    expect(error).toMatch(/^✕Process crash “Process crash 1”: Process \(targetId\) is required but not setnodes\[5\]\.params\.targetId$/);
    expect(error.split('Process crash 1')).toHaveLength(2);
  });

  it('says nothing of waiting when there is no error', () => {
    const studio = panel(twoKernels());
    expect(document.querySelector('.count-pill.warning')!.textContent).toMatch(/0 warnings$/);
    expect(screen.queryByTestId('lint-deferred')).toBeNull();
    act(() => studio.ui.getState().setFindings(lintDesign(withFault(true)).filter((f) => f.severity === 'warning')));
    expect(document.querySelector('.count-pill.warning')!.textContent).toMatch(/1 warning$/);
    expect(screen.queryByTestId('lint-deferred')).toBeNull();
  });

  it('deferredByErrors names each element with an error once; nameList joins them for a sentence', () => {
    const d = withFault(true);
    d.nodes.push({ id: 'k2', kind: 'kernelFailure', name: 'core fails', position: { x: 0, y: 0 }, params: { targetId: 'gone' } });
    expect(deferredByErrors(lintDesign(d))).toEqual(['Process crash “Process crash 1”', 'Kernel failure “core fails”']);
    expect(nameList(['a'])).toBe('a');
    expect(nameList(['a', 'b'])).toBe('a and b');
    expect(nameList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(nameList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });
});
