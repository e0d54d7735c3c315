/**
 * File I/O behind a small interface, so the desktop shell can swap in real open/save dialogs (and reopen recent
 * files by path) while the browser build uses a file input and downloads.
 */

/** A file the service opened or saved. `handle` is whatever the service needs to save to it again. */
export interface FileHandle {
  name: string;
  handle?: unknown;
}

/** What `open` returns: the file's text and a handle to save back to. */
export interface OpenedFile extends FileHandle {
  text: string;
}

/** A recent file: a name (browser) or also a path the desktop shell can reopen. */
export interface RecentFile {
  name: string;
  path?: string;
  openedAt: number;
}

/** File operations the editor needs. Every method resolves `null` when the user cancels. */
export interface DesignFiles {
  /** 'browser': saving downloads a copy and recent files cannot be reopened by name. */
  readonly mode: 'browser' | 'desktop';
  open(): Promise<OpenedFile | null>;
  /** Saves to `target` when the service can write there again; otherwise behaves like `saveAs`. */
  save(text: string, target: FileHandle | null, suggestedName: string): Promise<FileHandle | null>;
  saveAs(text: string, suggestedName: string): Promise<FileHandle | null>;
  /** Reopens a recent file (desktop only). */
  openRecent?(entry: RecentFile): Promise<OpenedFile | null>;
}

/** A file name for a design name: lower-case words joined by dashes (at most 60 characters, whole words), `.json`. */
export function fileNameFor(designName: string): string {
  const words = designName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  let stem = words.slice(0, 60);
  if (words.length > 60 && words[60] !== '-' && stem.includes('-')) stem = stem.slice(0, stem.lastIndexOf('-'));
  return `${stem || 'design'}.json`;
}

/** Longest file name `safeFileName` gives, in UTF-8 bytes: below every common file system's 255. */
const MAX_FILE_NAME_BYTES = 200;

/**
 * The name a download is saved under, made so that the browser keeps it as it is (so the studio can say which file
 * it wrote): characters no file system allows, controls and direction marks become `_` (as Chromium does), leading
 * dots and surrounding spaces go, a name reserved on Windows gets a `_` prefix, the name is cut to fit and `ext`
 * (`.json`) is added when it does not already end with it (in any case).
 */
export function safeFileName(name: string, ext = '.json'): string {
  let stem = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"*/:<>?\\|\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '_')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[.\s]+$/, '');
  let suffix = ext;
  if (stem.toLowerCase().endsWith(ext.toLowerCase())) {
    suffix = stem.slice(stem.length - ext.length); // `.JSON` stays as the user wrote it
    stem = stem.slice(0, stem.length - ext.length).replace(/[.\s]+$/, '');
  }
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(stem)) stem = `_${stem}`;
  const encoder = new TextEncoder();
  const room = MAX_FILE_NAME_BYTES - encoder.encode(suffix).length;
  if (encoder.encode(stem).length > room) {
    let cut = '';
    for (const ch of stem) {
      if (encoder.encode(cut + ch).length > room) break;
      cut += ch;
    }
    stem = cut.replace(/[.\s]+$/, '');
  }
  return `${stem || 'design'}${suffix}`;
}

/**
 * Saves `blob` as a download named `name`: the browser's downloads, or the desktop window's save dialog (Electron
 * asks where to save a download the page starts).
 */
export function downloadBlob(blob: Blob, name: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Browser files: `<input type="file">` to open, a download to save. */
export function browserFiles(doc: Document = document): DesignFiles {
  // The name returned is the one the download used, so the toast and the recent list name the file on disk.
  const download = (text: string, name: string): FileHandle => {
    const safe = safeFileName(name);
    downloadBlob(new Blob([text], { type: 'application/json' }), safe, doc);
    return { name: safe };
  };
  return {
    mode: 'browser',
    open() {
      return new Promise((resolve) => {
        const input = doc.createElement('input');
        input.type = 'file';
        input.accept = '.json,application/json';
        input.style.display = 'none';
        let settled = false;
        const finish = (v: OpenedFile | null): void => {
          if (settled) return;
          settled = true;
          input.remove();
          resolve(v);
        };
        input.addEventListener('change', () => {
          const file = input.files?.[0];
          if (!file) return finish(null);
          file.text().then(
            (text) => finish({ name: file.name, text }),
            () => finish(null),
          );
        });
        input.addEventListener('cancel', () => finish(null));
        doc.body.appendChild(input);
        input.click();
      });
    },
    save(text, target, suggestedName) {
      return Promise.resolve(download(text, target?.name ?? suggestedName));
    },
    saveAs(text, suggestedName) {
      return Promise.resolve(download(text, suggestedName));
    },
  };
}

const RECENT_KEY = 'tock-studio.recent-files';
const RECENT_MAX = 8;

/** The recent-files list, kept in localStorage (names only in browser mode). */
export function loadRecent(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): RecentFile[] {
  try {
    const raw = storage?.getItem(RECENT_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(list)) return [];
    return list.filter((x): x is RecentFile => typeof x === 'object' && x !== null && typeof (x as RecentFile).name === 'string').slice(0, RECENT_MAX);
  } catch {
    return [];
  }
}

/** Puts a file at the top of the recent list (once) and returns the new list. */
export function pushRecent(entry: RecentFile, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): RecentFile[] {
  const key = (r: RecentFile): string => r.path ?? r.name;
  const list = [entry, ...loadRecent(storage).filter((r) => key(r) !== key(entry))].slice(0, RECENT_MAX);
  try {
    storage?.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Storage full or disabled: the list just is not remembered.
  }
  return list;
}

/** Empties the recent list. */
export function clearRecent(storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(RECENT_KEY, '[]');
  } catch {
    // ignore
  }
}
