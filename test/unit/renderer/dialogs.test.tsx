// Modal dialogs take focus when they open, keep it (Tab wraps around through the focus guards), close on Escape
// wherever focus is inside them, and give focus back to what had it when they close.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { setApiForTests } from '../../../src-renderer/api';
import { tabbables } from '../../../src-renderer/editor/components/Modal';
import { createStudio } from '../../../src-renderer/editor/studio';
import { installFakeApi } from './fakeApi';
import { fakeFiles, twoKernels } from './helpers';

afterEach(() => {
  cleanup();
  setApiForTests(null);
});

function setup(galleryOpen = false) {
  installFakeApi();
  const studio = createStudio({ files: fakeFiles(), galleryOpen });
  if (!galleryOpen) studio.editor.getState().loadDesign(twoKernels(), null);
  render(<App studio={studio} />);
  return studio;
}

const overlayOf = (el: HTMLElement): HTMLElement => el.closest('[role="dialog"]') as HTMLElement;
const guard = (dialog: HTMLElement, at: 'start' | 'end'): HTMLElement => dialog.querySelector(`[data-focus-guard="${at}"]`) as HTMLElement;

/** What a browser does on Tab (or Shift+Tab) from the last (first) control: focus the guard after (before) it. */
function tabPast(dialog: HTMLElement, at: 'start' | 'end'): void {
  const from = document.activeElement as HTMLElement;
  fireEvent.keyDown(from, { key: 'Tab', shiftKey: at === 'start' });
  act(() => {
    fireEvent.focusIn(guard(dialog, at), { relatedTarget: from });
  });
}

describe('modal dialogs', () => {
  it('Export: focus moves in, Tab and Shift+Tab wrap around inside, Escape closes from any control, focus comes back', async () => {
    const studio = setup();
    const before = screen.getByRole('button', { name: /File/ });
    before.focus();
    fireEvent.keyDown(before, { key: 'e', ctrlKey: true });
    const dialog = overlayOf(await screen.findByTestId('export-dialog'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('export-go')));

    const list = tabbables(dialog);
    expect(list.length).toBeGreaterThan(3);
    expect(list.filter((el) => (el as HTMLInputElement).type === 'radio')).toHaveLength(1); // a radio group is one stop
    // Tab from the last control (Export) wraps to the first; Shift+Tab from the first to the last.
    expect(list.at(-1)).toBe(screen.getByTestId('export-go'));
    tabPast(dialog, 'end');
    expect(document.activeElement).toBe(list[0]);
    tabPast(dialog, 'start');
    expect(document.activeElement).toBe(list.at(-1));
    // Focus that lands outside the dialog is brought back.
    act(() => before.focus());
    expect(dialog.contains(document.activeElement)).toBe(true);

    // Escape from a control in the middle closes it; focus returns to the File button.
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    act(() => cancel.focus());
    fireEvent.keyDown(cancel, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('export-dialog')).toBeNull());
    expect(studio.ui.getState().dialog).toBeNull();
    expect(document.activeElement).toBe(before);
  });

  it('File ▸ New from template: the gallery takes focus, Escape closes it, focus goes back to the File button', async () => {
    const studio = setup();
    const file = screen.getByRole('button', { name: /File/ });
    fireEvent.click(file);
    fireEvent.click(screen.getByRole('menuitem', { name: /template/i }));
    const gallery = await screen.findByRole('dialog', { name: 'Start a design' });
    await waitFor(() => expect(document.activeElement).toBe(gallery.querySelector('[data-template="blank"]')));
    // Escape with focus on a template card, then (reopened) with focus on nothing in particular.
    fireEvent.keyDown(gallery.querySelector('[data-template="queues"]') ?? gallery, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Start a design' })).toBeNull());
    expect(studio.ui.getState().galleryOpen).toBe(false);
    expect(document.activeElement).toBe(file);
    act(() => studio.ui.getState().setGalleryOpen(true));
    await screen.findByRole('dialog', { name: 'Start a design' });
    act(() => (document.activeElement as HTMLElement).blur());
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(studio.ui.getState().galleryOpen).toBe(false));
  });

  it('the gallery shown on first load starts with focus inside it', async () => {
    setup(true);
    const gallery = await screen.findByRole('dialog', { name: 'Start a design' });
    await waitFor(() => expect(gallery.contains(document.activeElement)).toBe(true));
    expect(document.activeElement?.getAttribute('data-template')).toBe('blank');
  });

  it('Sweep, unsaved changes and the shortcuts list: focus in, Escape out; only the topmost dialog answers Escape', async () => {
    const studio = setup();
    fireEvent.keyDown(window, { key: 'P', ctrlKey: true, shiftKey: true });
    const sweep = overlayOf(await screen.findByTestId('sweep-dialog'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Node')));
    fireEvent.keyDown(screen.getByLabelText('Steps'), { key: 'Escape' });
    await waitFor(() => expect(sweep.isConnected).toBe(false));

    // The gallery with the unsaved-changes question over it: Escape answers the question only.
    act(() => studio.ui.getState().setGalleryOpen(true));
    let answer: string | null = null;
    act(() => studio.ui.getState().setDialog({ kind: 'unsaved', action: 'start a new design', resolve: (c) => { answer = c; studio.ui.getState().setDialog(null); } }));
    const unsaved = await screen.findByRole('dialog', { name: 'Unsaved changes' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save' })));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(unsaved.isConnected).toBe(false));
    expect(answer).toBe('cancel');
    expect(studio.ui.getState().galleryOpen).toBe(true);
    await waitFor(() => expect(screen.getByRole('dialog', { name: 'Start a design' }).contains(document.activeElement)).toBe(true));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(studio.ui.getState().galleryOpen).toBe(false));

    // The shortcuts list: focus on its Close button; Escape closes it; keys do not act on the canvas behind it.
    act(() => studio.ui.getState().setHelpOpen(true));
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await waitFor(() => expect(help.contains(document.activeElement)).toBe(true));
    act(() => studio.editor.getState().setSelection({ nodes: ['p'], edges: [] }));
    fireEvent.keyDown(document.activeElement!, { key: 'Delete' });
    expect(studio.editor.getState().design.nodes.some((n) => n.id === 'p')).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(studio.ui.getState().helpOpen).toBe(false));
  });
});
