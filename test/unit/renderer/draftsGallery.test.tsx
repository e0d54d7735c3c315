import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN_MESSAGE, StudioApiError, call, setApiForTests } from '../../../src-renderer/api';
import { App } from '../../../src-renderer/App';
import { listDrafts, writeDraft, type DraftStorage } from '../../../src-renderer/editor/drafts';
import { createStudio } from '../../../src-renderer/editor/studio';
import { isDirty } from '../../../src-renderer/editor/store';
import { fakeFiles, twoKernels } from './helpers';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setApiForTests(null);
});

function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

function withDraft(text = JSON.stringify({ ...twoKernels(), name: 'Edited design' }), fileName: string | null = null): DraftStorage & { map: Map<string, string> } {
  const storage = memoryStorage();
  writeDraft(storage, { id: 'earlier', savedAt: Date.now() - 3 * 60_000, designName: 'Edited design', fileName, text });
  return storage;
}

describe('the start gallery’s recovery offer', () => {
  it('restores an unsaved design as an unsaved document', async () => {
    const storage = withDraft(undefined, 'edited.json');
    const studio = createStudio({ files: fakeFiles() });
    render(<App studio={studio} drafts={storage} />);
    const restore = screen.getByRole('button', { name: 'Restore unsaved design “edited.json” (edited 3 min ago)' });
    expect(document.activeElement).toBe(restore);
    expect(screen.getByTestId('draft-offers').textContent).toContain('Changes to edited.json that were not saved.');
    fireEvent.click(restore);
    await waitFor(() => expect(studio.ui.getState().galleryOpen).toBe(false));
    const s = studio.editor.getState();
    expect(s.design.name).toBe('Edited design');
    expect(s.file?.name).toBe('edited.json');
    expect(isDirty(s)).toBe(true);
    expect(screen.getByLabelText('Unsaved changes')).toBeTruthy();
  });

  it('discards a draft, with an undo while the gallery is open', () => {
    const storage = withDraft();
    render(<App studio={createStudio({ files: fakeFiles() })} drafts={storage} />);
    fireEvent.click(screen.getByRole('button', { name: 'Discard unsaved design “Edited design”' }));
    expect(listDrafts(storage).drafts).toEqual([]);
    expect(screen.getByTestId('draft-discarded').textContent).toContain('Discarded the unsaved design “Edited design”.');
    fireEvent.click(screen.getByRole('button', { name: 'Undo: keep the unsaved design “Edited design”' }));
    expect(listDrafts(storage).drafts.map((d) => d.id)).toEqual(['earlier']);
    expect(screen.getByRole('button', { name: /Restore unsaved design “Edited design”/ })).toBeTruthy();
  });

  it('reports a corrupt draft and keeps the app usable', async () => {
    const storage = withDraft('{"format":"tock-ipc-studio/design","version":1,"nodes":[{"id":');
    const studio = createStudio({ files: fakeFiles() });
    render(<App studio={studio} drafts={storage} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /Restore unsaved design/ }));
    });
    const alert = await screen.findByTestId('draft-invalid');
    expect(alert.textContent).toContain('The unsaved design “Edited design” could not be restored and was removed from the recovery drafts');
    expect(screen.getByRole('button', { name: 'Download the draft as a file' })).toBeTruthy();
    expect(listDrafts(storage).drafts).toEqual([]);
    expect(studio.ui.getState().galleryOpen).toBe(true);
    fireEvent.click(document.querySelector('[data-template="queues"]')!);
    await waitFor(() => expect(studio.ui.getState().galleryOpen).toBe(false));
  });

  it('is not shown without drafts, and a test’s studio keeps none unless given a storage', () => {
    render(<App studio={createStudio({ files: fakeFiles() })} />);
    expect(screen.queryByTestId('draft-offers')).toBeNull();
    expect(document.activeElement?.getAttribute('data-template')).toBe('blank');
  });
});

describe('a refused access token', () => {
  it('tells the user to save first, and that a draft is kept', async () => {
    setApiForTests(null);
    vi.stubGlobal('fetch', () => Promise.resolve(new Response(JSON.stringify({ error: { code: 'bad-request', message: 'missing or wrong access token' } }), { status: 401 })));
    const err = await call('listRuns', {} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioApiError);
    expect((err as StudioApiError).message).toBe(ACCESS_TOKEN_MESSAGE);
    expect(ACCESS_TOKEN_MESSAGE).toMatch(/Save your design first — Ctrl\+S downloads it — then open the URL/);
    expect(ACCESS_TOKEN_MESSAGE).toMatch(/recovery draft/);
  });
});
