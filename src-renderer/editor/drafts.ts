/**
 * Recovery drafts: while the document has unsaved changes, a copy of it is kept in the renderer's localStorage
 * (written a moment after the last change, and when the page is hidden or left), so a reload, a closed tab, a crash
 * or a restarted `serve` does not lose the work. The start gallery offers the drafts of earlier sessions back.
 *
 * Each page load writes under its own key (`tock-studio.draft.<session id>`), so two studio tabs never overwrite
 * each other's draft; at most `MAX_DRAFTS` are kept (the oldest go first). A draft is one string: a header line
 * (JSON: session, time, names) and the design as compact JSON, so listing drafts never parses a design, and a
 * restored design is validated exactly like an opened file (`parseDesignText`).
 */
import { parseDesignText, type Design, type Finding } from '../../src-shared/model';
import type { Studio } from './context';
import { isDirty, type EditorState, type EditorStore, type FileRef } from './store';

/** What drafts need of `localStorage` (tests pass an in-memory one). */
export interface DraftStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** One kept draft. Invariant: `text` is what was serialised from the editor's design; it is validated on restore. */
export interface Draft {
  /** The session (page load) that wrote it; also its storage key's suffix. */
  id: string;
  /** Wall-clock time of the write (ms since the epoch). */
  savedAt: number;
  designName: string;
  /** The file the document belonged to (null: never saved). */
  fileName: string | null;
  /** The desktop shell's path of that file, so Save writes there again. */
  filePath?: string;
  /** The design as JSON. */
  text: string;
}

/** Outcome of writing a draft. `sizeChars` is the stored string's length. */
export type DraftWriteResult = { ok: true; evicted: string[] } | { ok: false; reason: 'too-large' | 'quota' | 'unavailable'; sizeChars: number };

/** Outcome of restoring a draft. */
export type RestoreOutcome =
  | { ok: true }
  | { ok: false; reason: 'gone' | 'cancelled' }
  /** The draft's design did not validate: it has been removed from storage (the caller still has its text). */
  | { ok: false; reason: 'invalid'; findings: Finding[] };

export const DRAFT_KEY_PREFIX = 'tock-studio.draft.';
/** Delay after the last change before the draft is written (ms). */
export const DRAFT_DEBOUNCE_MS = 1500;
/** Drafts kept at most (one per session that had unsaved changes). */
export const MAX_DRAFTS = 5;
/**
 * Largest draft kept (characters). Browsers give an origin about 5 M characters of localStorage (Chromium: 10 MB of
 * UTF-16); a design this size is already far beyond what a person draws, and leaves room for a second tab's draft.
 */
export const MAX_DRAFT_CHARS = 3 * 1024 * 1024;
const HEADER_VERSION = 1;

interface Header {
  v: number;
  id: string;
  savedAt: number;
  designName: string;
  fileName: string | null;
  filePath?: string;
}

function keyOf(id: string): string {
  return `${DRAFT_KEY_PREFIX}${id}`;
}

function encode(d: Draft): string {
  const h: Header = { v: HEADER_VERSION, id: d.id, savedAt: d.savedAt, designName: d.designName, fileName: d.fileName };
  if (d.filePath !== undefined) h.filePath = d.filePath;
  // JSON.stringify never writes a raw newline, so the first one ends the header.
  return `${JSON.stringify(h)}\n${d.text}`;
}

/** The draft stored as `raw` under session `id`, or null when it is not a draft this build can read. */
export function decodeDraft(id: string, raw: string): Draft | null {
  const nl = raw.indexOf('\n');
  if (nl < 0) return null;
  let h: unknown;
  try {
    h = JSON.parse(raw.slice(0, nl));
  } catch {
    return null;
  }
  if (typeof h !== 'object' || h === null) return null;
  const x = h as Partial<Header>;
  if (x.v !== HEADER_VERSION || typeof x.savedAt !== 'number' || !Number.isFinite(x.savedAt) || typeof x.designName !== 'string') return null;
  if (x.fileName !== null && typeof x.fileName !== 'string') return null;
  const d: Draft = { id, savedAt: x.savedAt, designName: x.designName, fileName: x.fileName ?? null, text: raw.slice(nl + 1) };
  if (typeof x.filePath === 'string') d.filePath = x.filePath;
  return d;
}

function draftKeys(storage: DraftStorage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k?.startsWith(DRAFT_KEY_PREFIX)) keys.push(k);
  }
  return keys;
}

/** Every draft in `storage`, newest first, and the ids of those that could not be read. */
export function listDrafts(storage: DraftStorage): { drafts: Draft[]; unreadable: string[] } {
  const drafts: Draft[] = [];
  const unreadable: string[] = [];
  try {
    for (const k of draftKeys(storage)) {
      const id = k.slice(DRAFT_KEY_PREFIX.length);
      const raw = storage.getItem(k);
      const d = raw === null ? null : decodeDraft(id, raw);
      if (d) drafts.push(d);
      else unreadable.push(id);
    }
  } catch {
    // storage went away (disabled while open): nothing to offer
  }
  drafts.sort((a, b) => b.savedAt - a.savedAt);
  return { drafts, unreadable };
}

/** The draft of session `id`, or null. */
export function readDraft(storage: DraftStorage, id: string): Draft | null {
  try {
    const raw = storage.getItem(keyOf(id));
    return raw === null ? null : decodeDraft(id, raw);
  } catch {
    return null;
  }
}

/** Removes the draft of session `id` (no error when there is none). */
export function removeDraft(storage: DraftStorage, id: string): void {
  try {
    storage.removeItem(keyOf(id));
  } catch {
    // nothing to do
  }
}

/**
 * Stores `d` under its session. Over `MAX_DRAFTS`, the oldest other drafts are removed; when the storage is full
 * and `evict` allows, older drafts of other sessions are removed one by one until it fits. A draft over
 * `MAX_DRAFT_CHARS` is refused without touching the storage.
 */
export function writeDraft(storage: DraftStorage, d: Draft, opts: { evict?: boolean } = {}): DraftWriteResult {
  const raw = encode(d);
  if (raw.length > MAX_DRAFT_CHARS) return { ok: false, reason: 'too-large', sizeChars: raw.length };
  const evict = opts.evict ?? true;
  const evicted: string[] = [];
  const others = (): Draft[] => listDrafts(storage).drafts.filter((x) => x.id !== d.id);
  for (;;) {
    try {
      storage.setItem(keyOf(d.id), raw);
      break;
    } catch (e) {
      if (!isQuotaError(e)) return { ok: false, reason: 'unavailable', sizeChars: raw.length };
      const oldest = evict ? others().pop() : undefined;
      if (!oldest) return { ok: false, reason: 'quota', sizeChars: raw.length };
      removeDraft(storage, oldest.id);
      evicted.push(oldest.id);
    }
  }
  if (evict) {
    for (const x of others().slice(MAX_DRAFTS - 1)) {
      removeDraft(storage, x.id);
      evicted.push(x.id);
    }
  }
  return { ok: true, evicted };
}

function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as { name?: unknown; code?: unknown };
  return x.name === 'QuotaExceededError' || x.name === 'NS_ERROR_DOM_QUOTA_REACHED' || x.code === 22 || x.code === 1014;
}

/**
 * Validates a draft's design like an opened file (schema, migrations, model checks), and as leniently: a draft is
 * work in progress, so errors the editor itself can hold (a reference not chosen yet, a value out of range) do not
 * make it unreadable.
 */
export function loadDraftDesign(d: Draft): ReturnType<typeof parseDesignText> {
  return parseDesignText(d.text, { forEditing: true });
}

/** The name a person knows a draft by: its file's, else its design's. */
export function draftTitle(d: Pick<Draft, 'fileName' | 'designName'>): string {
  return d.fileName ?? (d.designName.trim() || 'Untitled design');
}

/** "just now", "3 min ago", "2 h ago", "yesterday", "4 days ago", else the date (YYYY-MM-DD, local). */
export function draftAge(savedAt: number, now: number): string {
  const s = Math.max(0, Math.floor((now - savedAt) / 1000));
  if (s < 60) return 'just now';
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.floor(h / 24);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  const t = new Date(savedAt);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}`;
}

/** The renderer's localStorage, or null where there is none (or reading it throws, as a locked-down browser's does). */
export function browserDraftStorage(): DraftStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function newSessionId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Loads `design` as an unsaved document (history and selection cleared; dirty until it is saved). */
export function loadAsUnsaved(editor: EditorStore, design: Design, file: FileRef | null): void {
  editor.getState().loadDesign(design, file, { unsaved: true });
}

/** Keeps this session's draft in step with the editor and restores earlier sessions' drafts. */
export interface DraftKeeper {
  /** This session's id (its draft's key). */
  readonly id: string;
  /** Starts watching the editor and the page; returns the stop function. Safe to call again after stopping. */
  start(): () => void;
  /** Writes the draft now if the document is dirty and changed since the last write. */
  flush(): DraftWriteResult | null;
  /** Drafts of other sessions, newest first (what the start gallery offers). */
  offers(): Draft[];
  /** Loads draft `id` as an unsaved document (asking first when the current one has unsaved changes). */
  restore(id: string): Promise<RestoreOutcome>;
  /** Removes draft `id`; returns it (for an undo) or null when it was already gone. */
  discard(id: string): Draft | null;
  /** Puts a discarded draft back. */
  putBack(d: Draft): boolean;
}

/** Where page events come from (tests pass a fake). */
export interface DraftPage {
  addEventListener(type: string, listener: (e: Event) => void): void;
  removeEventListener(type: string, listener: (e: Event) => void): void;
  readonly document?: { readonly visibilityState?: string };
}

export interface DraftKeeperOptions {
  storage: DraftStorage;
  /** The window whose pagehide / visibilitychange / storage events flush or re-write the draft. */
  page?: DraftPage | null;
  debounceMs?: number;
  now?: () => number;
  id?: string;
}

function fileNameOf(s: EditorState): string | null {
  return s.file?.name ?? null;
}

/** A draft keeper for `studio`; call `start()` to begin (the app does, in an effect). */
export function createDraftKeeper(studio: Pick<Studio, 'editor' | 'ui' | 'ctl'>, opts: DraftKeeperOptions): DraftKeeper {
  const { editor, ui, ctl } = studio;
  const storage = opts.storage;
  const page = opts.page === undefined ? (typeof window === 'undefined' ? null : window) : opts.page;
  const debounceMs = opts.debounceMs ?? DRAFT_DEBOUNCE_MS;
  const now = opts.now ?? Date.now;
  const id = opts.id ?? newSessionId();

  let timer: ReturnType<typeof setTimeout> | undefined;
  /** What the stored draft holds (null: no draft of this session is stored). */
  let written: { design: Design; fileName: string | null } | null = null;
  /** A failure already told to the user (told once until a write succeeds again). */
  let warned: string | null = null;
  let swept = false;

  const warn = (r: Extract<DraftWriteResult, { ok: false }>): void => {
    if (warned === r.reason) return;
    warned = r.reason;
    const mib = (r.sizeChars / 1048576).toFixed(1);
    const msg =
      r.reason === 'too-large'
        ? `This design is too large (${mib} MiB) to keep a recovery draft in the browser: save it (Ctrl+S) to keep your changes.`
        : r.reason === 'quota'
          ? `The browser's storage is full, so no recovery draft of this design (${mib} MiB) is kept: save it (Ctrl+S) to keep your changes.`
          : 'This browser does not let the studio keep a recovery draft: save your design (Ctrl+S) to keep your changes.';
    ui.getState().toast(msg, { tone: 'error', ms: 12_000 });
  };

  const write = (evict: boolean): DraftWriteResult | null => {
    clearTimeout(timer);
    timer = undefined;
    const s = editor.getState();
    if (!isDirty(s)) return null;
    const fileName = fileNameOf(s);
    if (written && written.design === s.design && written.fileName === fileName) return null;
    const d: Draft = { id, savedAt: now(), designName: s.design.name, fileName, text: JSON.stringify(s.design) };
    const handle = s.file?.handle;
    if (typeof handle === 'string') d.filePath = handle;
    const r = writeDraft(storage, d, { evict });
    if (r.ok) {
      written = { design: s.design, fileName };
      warned = null;
    } else {
      warn(r);
    }
    return r;
  };

  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => write(true), debounceMs);
  };

  const onEditor = (s: EditorState): void => {
    if (!isDirty(s)) {
      // Saved, or deliberately replaced (New / Open after Discard), or undone back to the saved state.
      clearTimeout(timer);
      timer = undefined;
      if (written) {
        removeDraft(storage, id);
        written = null;
      }
      return;
    }
    if (s.gesture) return; // a drag in progress: the draft is written once it ends
    if (written && written.design === s.design && written.fileName === fileNameOf(s)) return;
    schedule();
  };

  const onPageHidden = (): void => {
    if (page?.document?.visibilityState !== 'visible') write(true);
  };
  const onPageHide = (): void => {
    write(true);
  };
  const onStorage = (e: Event): void => {
    // Another tab removed this session's draft (restored or discarded it there): keep this tab's work safe.
    const se = e as StorageEvent;
    if (written && (se.key === null || se.key === keyOf(id)) && se.newValue === null) {
      written = null;
      clearTimeout(timer);
      timer = setTimeout(() => write(false), debounceMs);
    }
  };

  const keeper: DraftKeeper = {
    id,
    start() {
      if (!swept) {
        swept = true;
        const { unreadable } = listDrafts(storage);
        for (const x of unreadable) removeDraft(storage, x);
        if (unreadable.length) {
          ui.getState().toast(unreadable.length === 1 ? 'A recovery draft could not be read and was discarded.' : `${unreadable.length} recovery drafts could not be read and were discarded.`, { tone: 'error' });
        }
      }
      const unsub = editor.subscribe(onEditor);
      onEditor(editor.getState());
      page?.addEventListener('pagehide', onPageHide);
      page?.addEventListener('visibilitychange', onPageHidden);
      page?.addEventListener('storage', onStorage);
      return () => {
        unsub();
        page?.removeEventListener('pagehide', onPageHide);
        page?.removeEventListener('visibilitychange', onPageHidden);
        page?.removeEventListener('storage', onStorage);
        // Leaving (unmount, or React's development double effect): what is pending is written, not dropped.
        if (timer !== undefined) write(true);
      };
    },
    flush: () => write(true),
    offers: () => listDrafts(storage).drafts.filter((d) => d.id !== id),
    async restore(draftId) {
      const d = readDraft(storage, draftId);
      if (!d) return { ok: false, reason: 'gone' };
      const r = loadDraftDesign(d);
      if (!r.ok) {
        removeDraft(storage, draftId);
        return { ok: false, reason: 'invalid', findings: r.findings.filter((f) => f.severity === 'error') };
      }
      if (!(await ctl.mayDiscard(`restore “${draftTitle(d)}”`))) return { ok: false, reason: 'cancelled' };
      const file: FileRef | null = d.fileName === null ? null : d.filePath === undefined ? { name: d.fileName } : { name: d.fileName, handle: d.filePath };
      loadAsUnsaved(editor, r.design, file);
      ui.getState().setGalleryOpen(false);
      // The restored work now lives under this session's key; the old key goes only once that is stored.
      const w = write(true);
      if (w?.ok) removeDraft(storage, draftId);
      const age = draftAge(d.savedAt, now());
      ui.getState().toast(`Restored “${draftTitle(d)}” (edited ${age}). It is not saved yet.`, { tone: 'success' });
      if (r.errorCount !== undefined) {
        ui.getState().setLintOpen(true);
        ui.getState().toast(`The restored design has ${r.errorCount} problem${r.errorCount === 1 ? '' : 's'} to fix before it can run: see Problems.`, { ms: 9000 });
      }
      if (r.migratedFrom !== undefined) ui.getState().toast(`The draft was written by an older version (${r.migratedFrom}); it will be saved as version ${r.design.version}.`);
      return { ok: true };
    },
    discard(draftId) {
      const d = readDraft(storage, draftId);
      removeDraft(storage, draftId);
      return d;
    },
    putBack(d) {
      const r = writeDraft(storage, d, { evict: false });
      return r.ok;
    },
  };
  return keeper;
}
