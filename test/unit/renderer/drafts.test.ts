import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DRAFT_DEBOUNCE_MS,
  DRAFT_KEY_PREFIX,
  MAX_DRAFTS,
  MAX_DRAFT_CHARS,
  createDraftKeeper,
  draftAge,
  draftTitle,
  listDrafts,
  readDraft,
  writeDraft,
  type Draft,
  type DraftPage,
  type DraftStorage,
} from '../../../src-renderer/editor/drafts';
import { createStudio } from '../../../src-renderer/editor/studio';
import { renameNode, setDesignInfo } from '../../../src-renderer/editor/commands';
import { isDirty } from '../../../src-renderer/editor/store';
import { fakeFiles, twoKernels } from './helpers';

/** localStorage in memory, with a quota in characters (keys + values) like a browser's. */
function memoryStorage(quotaChars = Infinity): DraftStorage & { map: Map<string, string>; failWith?: Error } {
  const map = new Map<string, string>();
  const used = (): number => [...map].reduce((n, [k, v]) => n + k.length + v.length, 0);
  const s = {
    map,
    failWith: undefined as Error | undefined,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem(k: string, v: string) {
      if (s.failWith) throw s.failWith;
      const before = map.get(k);
      const grow = k.length + v.length - (before === undefined ? 0 : k.length + before.length);
      if (used() + grow > quotaChars) {
        const e = new Error('quota');
        e.name = 'QuotaExceededError';
        throw e;
      }
      map.set(k, v);
    },
    removeItem: (k: string) => void map.delete(k),
  };
  return s;
}

/** A window that only dispatches what the test fires. */
function fakePage(): DraftPage & { fire(type: string, init?: Partial<StorageEvent>): void; document: { visibilityState: string } } {
  const listeners = new Map<string, Set<(e: Event) => void>>();
  return {
    document: { visibilityState: 'visible' },
    addEventListener: (t, l) => void (listeners.get(t) ?? listeners.set(t, new Set()).get(t)!).add(l),
    removeEventListener: (t, l) => void listeners.get(t)?.delete(l),
    fire(type, init = {}) {
      for (const l of listeners.get(type) ?? []) l({ type, ...init } as unknown as Event);
    },
  };
}

function draft(id: string, savedAt: number, extra: Partial<Draft> = {}): Draft {
  return { id, savedAt, designName: `Design ${id}`, fileName: null, text: JSON.stringify(twoKernels()), ...extra };
}

function setup(storage = memoryStorage(), id = 'me') {
  const studio = createStudio({ files: fakeFiles(), galleryOpen: true });
  studio.editor.getState().loadDesign(twoKernels(), null);
  const page = fakePage();
  let t = 1_000_000;
  const keeper = createDraftKeeper(studio, { storage, page, id, now: () => t });
  const stop = keeper.start();
  const edit = (name: string) => {
    const r = studio.editor.getState().execute(renameNode('p', name));
    if (!r.ok) throw new Error(r.reason);
  };
  return { studio, page, keeper, stop, edit, storage, advance: (ms: number) => (t += ms) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('drafts in storage', () => {
  it('are listed newest first, with their file and design names', () => {
    const st = memoryStorage();
    writeDraft(st, draft('a', 1));
    writeDraft(st, draft('b', 3, { fileName: 'b.json', filePath: '/tmp/b.json' }));
    writeDraft(st, draft('c', 2));
    const { drafts, unreadable } = listDrafts(st);
    expect(drafts.map((d) => d.id)).toEqual(['b', 'c', 'a']);
    expect(unreadable).toEqual([]);
    expect(drafts[0]).toMatchObject({ fileName: 'b.json', filePath: '/tmp/b.json', designName: 'Design b' });
    expect(draftTitle(drafts[0]!)).toBe('b.json');
    expect(draftTitle(drafts[1]!)).toBe('Design c');
  });

  it('keep at most MAX_DRAFTS, dropping the oldest', () => {
    const st = memoryStorage();
    for (let i = 0; i < MAX_DRAFTS + 2; i++) writeDraft(st, draft(`d${i}`, i));
    expect(listDrafts(st).drafts.map((d) => d.id)).toEqual(['d6', 'd5', 'd4', 'd3', 'd2']);
  });

  it('refuse a draft over the size limit without touching storage', () => {
    const st = memoryStorage();
    writeDraft(st, draft('old', 1));
    const r = writeDraft(st, draft('big', 2, { text: 'x'.repeat(MAX_DRAFT_CHARS) }));
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
    expect(listDrafts(st).drafts.map((d) => d.id)).toEqual(['old']);
  });

  it('make room in a full storage by dropping older drafts of other sessions, or say it is full', () => {
    const text = 'y'.repeat(1000);
    const st = memoryStorage(2600);
    writeDraft(st, draft('a', 1, { text }));
    writeDraft(st, draft('b', 2, { text }));
    const r = writeDraft(st, draft('c', 3, { text }));
    expect(r).toEqual({ ok: true, evicted: ['a'] });
    expect(listDrafts(st).drafts.map((d) => d.id)).toEqual(['c', 'b']);
    // Without eviction (a re-write after another tab removed this one's draft): refused, nothing removed.
    expect(writeDraft(st, draft('d', 4, { text }), { evict: false })).toMatchObject({ ok: false, reason: 'quota' });
    expect(listDrafts(st).drafts.map((d) => d.id)).toEqual(['c', 'b']);
    // Too small for even one.
    expect(writeDraft(memoryStorage(500), draft('e', 5, { text }))).toMatchObject({ ok: false, reason: 'quota' });
  });

  it('report unreadable entries instead of throwing', () => {
    const st = memoryStorage();
    st.map.set(`${DRAFT_KEY_PREFIX}junk`, 'not a draft');
    st.map.set(`${DRAFT_KEY_PREFIX}bad-header`, '{"v":99}\n{}');
    st.map.set('tock-studio.theme', 'dark');
    writeDraft(st, draft('ok', 1));
    const { drafts, unreadable } = listDrafts(st);
    expect(drafts.map((d) => d.id)).toEqual(['ok']);
    expect(unreadable.sort()).toEqual(['bad-header', 'junk']);
  });

  it('say how long ago they were edited', () => {
    const min = 60_000;
    expect(draftAge(0, 20_000)).toBe('just now');
    expect(draftAge(0, 3 * min)).toBe('3 min ago');
    expect(draftAge(0, 150 * min)).toBe('2 h ago');
    expect(draftAge(0, 30 * 60 * min)).toBe('yesterday');
    expect(draftAge(0, 4 * 24 * 60 * min)).toBe('4 days ago');
    expect(draftAge(new Date(2025, 6, 14, 12).getTime(), new Date(2025, 7, 4, 12).getTime())).toBe('2025-07-14');
  });
});

describe('the draft keeper', () => {
  it('writes a draft a moment after the last change, not before', () => {
    const { studio, edit, storage } = setup();
    studio.editor.getState().loadDesign(twoKernels(), { name: 'two.json', handle: '/home/a/two.json' });
    edit('sender');
    vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 100);
    edit('sender 2');
    vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 100);
    expect(readDraft(storage, 'me')).toBeNull();
    vi.advanceTimersByTime(200);
    const d = readDraft(storage, 'me')!;
    expect(d).toMatchObject({ designName: 'Test design', fileName: 'two.json', filePath: '/home/a/two.json', savedAt: 1_000_000 });
    expect(JSON.parse(d.text).nodes.find((n: { id: string }) => n.id === 'p').name).toBe('sender 2');
  });

  it('writes at once when the page is hidden or left', () => {
    const { page, edit, storage } = setup();
    edit('sender');
    page.fire('visibilitychange'); // still visible: nothing
    expect(readDraft(storage, 'me')).toBeNull();
    page.document.visibilityState = 'hidden';
    page.fire('visibilitychange');
    expect(readDraft(storage, 'me')).not.toBeNull();
    edit('sender 2');
    page.fire('pagehide');
    expect(JSON.parse(readDraft(storage, 'me')!.text).nodes.find((n: { id: string }) => n.id === 'p').name).toBe('sender 2');
  });

  it('clears the draft when the document is saved, or replaced after Discard', async () => {
    const { studio, edit, storage, keeper } = setup();
    studio.editor.getState().loadDesign(twoKernels(), null);
    edit('sender');
    keeper.flush();
    expect(readDraft(storage, 'me')).not.toBeNull();
    await studio.ctl.save();
    expect(readDraft(storage, 'me')).toBeNull();

    edit('sender 2');
    keeper.flush();
    expect(readDraft(storage, 'me')).not.toBeNull();
    // New → the unsaved-changes dialog → Discard: the document is replaced (clean) and the draft goes.
    const replaced = studio.ctl.newBlank();
    const dialog = studio.ui.getState().dialog;
    expect(dialog?.kind).toBe('unsaved');
    if (dialog?.kind === 'unsaved') dialog.resolve('discard');
    expect(await replaced).toBe(true);
    expect(readDraft(storage, 'me')).toBeNull();
    vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS * 2);
    expect(listDrafts(storage).drafts).toEqual([]);
  });

  it('keeps the draft when the user cancels', async () => {
    const { studio, edit, storage, keeper } = setup();
    edit('sender');
    keeper.flush();
    const replaced = studio.ctl.newBlank();
    const dialog = studio.ui.getState().dialog;
    if (dialog?.kind === 'unsaved') dialog.resolve('cancel');
    expect(await replaced).toBe(false);
    expect(readDraft(storage, 'me')).not.toBeNull();
  });

  it('does not overwrite another tab’s draft, and offers only the others', () => {
    const storage = memoryStorage();
    writeDraft(storage, draft('other-tab', 5));
    const { edit, keeper } = setup(storage);
    edit('sender');
    keeper.flush();
    expect(listDrafts(storage).drafts.map((d) => d.id).sort()).toEqual(['me', 'other-tab']);
    expect(keeper.offers().map((d) => d.id)).toEqual(['other-tab']);
  });

  it('restores a draft as an unsaved document with its file, and moves it under this session', async () => {
    const storage = memoryStorage();
    const design = twoKernels();
    design.nodes.find((n) => n.id === 'p')!.name = 'restored sender';
    writeDraft(storage, draft('earlier', 1_000_000 - 3 * 60_000, { text: JSON.stringify(design), fileName: 'two.json' }));
    const { studio, keeper } = setup(storage);
    expect(await keeper.restore('earlier')).toEqual({ ok: true });
    const s = studio.editor.getState();
    expect(s.design.nodes.find((n) => n.id === 'p')!.name).toBe('restored sender');
    expect(s.file).toEqual({ name: 'two.json' });
    expect(isDirty(s)).toBe(true);
    expect(s.past).toEqual([]);
    expect(studio.ui.getState().galleryOpen).toBe(false);
    expect(studio.ui.getState().toasts.at(-1)?.message).toBe('Restored “two.json” (edited 3 min ago). It is not saved yet.');
    expect(listDrafts(storage).drafts.map((d) => d.id)).toEqual(['me']);
    // Saving makes it clean and clears the draft.
    await studio.ctl.save();
    expect(isDirty(studio.editor.getState())).toBe(false);
    expect(listDrafts(storage).drafts).toEqual([]);
  });

  it('restores work in progress (a fault without its target yet) and points at the problem', async () => {
    const storage = memoryStorage();
    const wip = twoKernels();
    wip.nodes.push({ id: 'f', kind: 'processCrash', name: 'crash', position: { x: 20, y: 250 }, parent: 'k0', params: {} });
    writeDraft(storage, draft('wip', 1, { text: JSON.stringify(wip) }));
    const { studio, keeper } = setup(storage);
    studio.ui.getState().setLintOpen(false);
    expect(await keeper.restore('wip')).toEqual({ ok: true });
    expect(studio.editor.getState().design.nodes.map((n) => n.id)).toContain('f');
    expect(studio.ui.getState().lintOpen).toBe(true);
    expect(studio.ui.getState().toasts.at(-1)?.message).toBe('The restored design has 1 problem to fix before it can run: see Problems.');
  });

  it('asks before replacing unsaved changes, and keeps everything on Cancel', async () => {
    const storage = memoryStorage();
    writeDraft(storage, draft('earlier', 1));
    const { studio, keeper, edit } = setup(storage);
    edit('sender');
    const r = keeper.restore('earlier');
    const dialog = studio.ui.getState().dialog;
    expect(dialog).toMatchObject({ kind: 'unsaved', action: 'restore “Design earlier”' });
    if (dialog?.kind === 'unsaved') dialog.resolve('cancel');
    expect(await r).toEqual({ ok: false, reason: 'cancelled' });
    expect(studio.editor.getState().design.nodes.find((n) => n.id === 'p')!.name).toBe('sender');
    expect(readDraft(storage, 'earlier')).not.toBeNull();
  });

  it('reports and discards a corrupt draft, leaving the document alone', async () => {
    const storage = memoryStorage();
    const bad = twoKernels() as unknown as Record<string, unknown>;
    bad.nodes = [{ id: 'x', kind: 'no-such-kind', name: 'x', position: { x: 0, y: 0 }, params: {} }];
    writeDraft(storage, draft('broken', 1, { text: JSON.stringify(bad) }));
    writeDraft(storage, draft('truncated', 2, { text: '{"format":"tock-ipc-studio/design","nod' }));
    const { studio, keeper } = setup(storage);
    const before = studio.editor.getState().design;
    for (const id of ['broken', 'truncated']) {
      const r = await keeper.restore(id);
      expect(r.ok).toBe(false);
      if (!r.ok && r.reason === 'invalid') expect(r.findings.length).toBeGreaterThan(0);
      else throw new Error(`expected invalid, got ${JSON.stringify(r)}`);
    }
    expect(studio.editor.getState().design).toBe(before);
    expect(studio.ui.getState().galleryOpen).toBe(true);
    expect(listDrafts(storage).drafts).toEqual([]);
    expect(await keeper.restore('broken')).toEqual({ ok: false, reason: 'gone' });
  });

  it('discards unreadable drafts at start and says so once', () => {
    const storage = memoryStorage();
    storage.map.set(`${DRAFT_KEY_PREFIX}junk`, '\u0000garbage');
    const { studio, stop, keeper } = setup(storage);
    expect(storage.map.size).toBe(0);
    expect(studio.ui.getState().toasts.map((t) => t.message)).toEqual(['A recovery draft could not be read and was discarded.']);
    stop();
    keeper.start();
    expect(studio.ui.getState().toasts).toHaveLength(1);
  });

  it('says once when the draft does not fit, and again after it fitted once more', () => {
    const storage = memoryStorage(JSON.stringify(twoKernels()).length + 300 + 3000);
    const { studio, keeper } = setup(storage);
    const describe = (n: number) => studio.editor.getState().execute(setDesignInfo({ description: 'z'.repeat(n) }));
    describe(2000);
    expect(keeper.flush()).toMatchObject({ ok: true });
    describe(5000);
    expect(keeper.flush()).toMatchObject({ ok: false, reason: 'quota' });
    describe(6000);
    expect(keeper.flush()).toMatchObject({ ok: false, reason: 'quota' });
    const errors = () => studio.ui.getState().toasts.filter((t) => t.tone === 'error').map((t) => t.message);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/storage is full.*Ctrl\+S/);
    describe(10);
    expect(keeper.flush()).toMatchObject({ ok: true });
    describe(5000);
    keeper.flush();
    expect(errors()).toHaveLength(2);
  });

  it('says once when the design is over the size limit', () => {
    const { studio, keeper } = setup();
    studio.editor.getState().execute(setDesignInfo({ description: 'z'.repeat(MAX_DRAFT_CHARS) }));
    expect(keeper.flush()).toMatchObject({ ok: false, reason: 'too-large' });
    studio.editor.getState().execute(setDesignInfo({ description: 'y'.repeat(MAX_DRAFT_CHARS) }));
    expect(keeper.flush()).toMatchObject({ ok: false, reason: 'too-large' });
    const errors = studio.ui.getState().toasts.filter((t) => t.tone === 'error').map((t) => t.message);
    expect(errors).toEqual(['This design is too large (3.0 MiB) to keep a recovery draft in the browser: save it (Ctrl+S) to keep your changes.']);
  });

  it('says when storage is refused altogether', () => {
    const storage = memoryStorage();
    storage.failWith = Object.assign(new Error('denied'), { name: 'SecurityError' });
    const { studio, edit, keeper } = setup(storage);
    edit('sender');
    expect(keeper.flush()).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(studio.ui.getState().toasts.at(-1)?.message).toMatch(/does not let the studio keep a recovery draft/);
  });

  it('writes its draft again when another tab removed it while the document is still unsaved', () => {
    const { page, edit, storage, keeper } = setup();
    edit('sender');
    keeper.flush();
    storage.removeItem(`${DRAFT_KEY_PREFIX}me`);
    page.fire('storage', { key: `${DRAFT_KEY_PREFIX}me`, newValue: null });
    vi.advanceTimersByTime(DRAFT_DEBOUNCE_MS);
    expect(readDraft(storage, 'me')).not.toBeNull();
  });

  it('puts back a discarded draft', () => {
    const storage = memoryStorage();
    writeDraft(storage, draft('earlier', 1));
    const { keeper } = setup(storage);
    const d = keeper.discard('earlier')!;
    expect(keeper.offers()).toEqual([]);
    expect(keeper.putBack(d)).toBe(true);
    expect(keeper.offers().map((x) => x.id)).toEqual(['earlier']);
  });
});
