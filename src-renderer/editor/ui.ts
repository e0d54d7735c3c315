/**
 * UI state that is not part of the design: theme, snapping, panels, overlays, toasts, dialogs, lint findings.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Finding } from '../../src-shared/model';
import type { RecentFile } from './files';
import { loadRecent } from './files';

export type Theme = 'light' | 'dark';

/** A short message; `at` places it near the pointer (screen coordinates). */
export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error' | 'success';
  at?: { x: number; y: number };
}

/** The user's answer when asked about unsaved changes. */
export type DiscardChoice = 'save' | 'discard' | 'cancel';

/** Modal dialogs. */
export type Dialog =
  | { kind: 'unsaved'; action: string; resolve: (c: DiscardChoice) => void }
  | { kind: 'loadErrors'; fileName: string; findings: Finding[] }
  | { kind: 'export' }
  | { kind: 'sweep' };

export interface UiState {
  theme: Theme;
  snap: boolean;
  /** The canvas's minimap is shown (it covers a corner of the canvas; some prefer the room). */
  minimap: boolean;
  lintOpen: boolean;
  galleryOpen: boolean;
  helpOpen: boolean;
  toasts: Toast[];
  dialog: Dialog | null;
  findings: Finding[];
  /**
   * Fields holding a typed value that was refused (out of range, bad unit) and so not applied: what each says,
   * by field. The design still has the previous value; a run refuses to start while any is pending.
   */
  unapplied: Readonly<Record<string, string>>;
  recent: RecentFile[];
  setTheme(t: Theme): void;
  toggleTheme(): void;
  toggleSnap(): void;
  toggleMinimap(): void;
  setLintOpen(open: boolean): void;
  setGalleryOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  toast(message: string, opts?: { tone?: Toast['tone']; at?: { x: number; y: number }; ms?: number }): void;
  dismissToast(id: number): void;
  setDialog(d: Dialog | null): void;
  setFindings(f: Finding[]): void;
  /** Records (text) or clears (null) the refused value of field `key`. */
  setUnapplied(key: string, text: string | null): void;
  setRecent(r: RecentFile[]): void;
}

export type UiStore = StoreApi<UiState>;

/**
 * The `unapplied` key of a node's parameter field. By node id, not name (names may repeat), so that a sweep can
 * tell the field of the parameter it sets from every other.
 */
export function paramFieldKey(nodeId: string, paramKey: string): string {
  return `param\u0000${nodeId}\u0000${paramKey}`;
}

const THEME_KEY = 'tock-studio.theme';
const SNAP_KEY = 'tock-studio.snap';
const MINIMAP_KEY = 'tock-studio.minimap';

function read(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // not remembered
  }
}

function initialTheme(): Theme {
  const saved = read(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** A fresh UI store. `galleryOpen` starts true: the app opens on the template gallery. */
export function createUiStore(opts: { galleryOpen?: boolean } = {}): UiStore {
  let nextToast = 1;
  return createStore<UiState>()((set, get) => ({
    theme: initialTheme(),
    snap: read(SNAP_KEY) !== 'off',
    minimap: read(MINIMAP_KEY) !== 'off',
    lintOpen: true,
    galleryOpen: opts.galleryOpen ?? true,
    helpOpen: false,
    toasts: [],
    dialog: null,
    findings: [],
    unapplied: {},
    recent: loadRecent(),
    setTheme(theme) {
      write(THEME_KEY, theme);
      set({ theme });
    },
    toggleTheme() {
      get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
    },
    toggleSnap() {
      const snap = !get().snap;
      write(SNAP_KEY, snap ? 'on' : 'off');
      set({ snap });
    },
    toggleMinimap() {
      const minimap = !get().minimap;
      write(MINIMAP_KEY, minimap ? 'on' : 'off');
      set({ minimap });
    },
    setLintOpen: (lintOpen) => set({ lintOpen }),
    setGalleryOpen: (galleryOpen) => set({ galleryOpen }),
    setHelpOpen: (helpOpen) => set({ helpOpen }),
    toast(message, o = {}) {
      const id = nextToast++;
      const t: Toast = { id, message, tone: o.tone ?? 'info' };
      if (o.at) t.at = o.at;
      set((s) => ({ toasts: [...s.toasts.slice(-3), t] }));
      const ms = o.ms ?? (t.tone === 'error' ? 6000 : 3500);
      setTimeout(() => get().dismissToast(id), ms);
    },
    dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
    setDialog: (dialog) => set({ dialog }),
    setFindings: (findings) => set({ findings }),
    setUnapplied(key, text) {
      const cur = get().unapplied;
      if ((cur[key] ?? null) === text) return;
      const next = { ...cur };
      if (text === null) delete next[key];
      else next[key] = text;
      set({ unapplied: next });
    },
    setRecent: (recent) => set({ recent }),
  }));
}
