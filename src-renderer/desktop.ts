// The desktop shell's side of the renderer: native open/save dialogs through the contract, the native menu's
// commands dispatched to the editor's actions, and the document's dirty state and title told to main (title bar,
// prompt before losing unsaved changes). In the browser (serve mode) none of this is installed.
import { parseDesignText, serializeDesign } from '../src-shared/model';
import { call } from './api';
import { actionById } from './editor/actions';
import type { Studio } from './editor/context';
import type { DesignFiles, OpenedFile } from './editor/files';
import { isDirty } from './editor/store';

/** True inside the Electron window (the preload exposed the contract). */
export function isDesktop(): boolean {
  return typeof window !== 'undefined' && !!window.studio;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

async function openVia(path?: string): Promise<OpenedFile | null> {
  const r = await call('openDesign', path ? { path } : {});
  if (!r) return null;
  return { name: baseName(r.path), handle: r.path, text: serializeDesign(r.design) };
}

async function saveVia(text: string, path: string | undefined, saveAs: boolean): Promise<{ name: string; handle: string } | null> {
  const parsed = parseDesignText(text);
  const design: unknown = parsed.ok ? parsed.design : JSON.parse(text);
  const r = await call('saveDesign', { design, ...(path ? { path } : {}), ...(saveAs ? { saveAs: true } : {}) });
  return r ? { name: baseName(r.path), handle: r.path } : null;
}

/** Files through main's native dialogs; a saved file keeps its path, so Save writes there again. */
export function desktopFiles(): DesignFiles {
  return {
    mode: 'desktop',
    open: () => openVia(),
    save: (text, target) => saveVia(text, typeof target?.handle === 'string' ? target.handle : undefined, false),
    saveAs: (text) => saveVia(text, undefined, true),
    openRecent: (entry) => openVia(entry.path),
  };
}

/** Native menu command → editor action id. */
const MENU_ACTIONS: Record<string, string> = {
  new: 'new',
  templates: 'newFromTemplate',
  open: 'open',
  save: 'save',
  saveAs: 'saveAs',
  undo: 'undo',
  redo: 'redo',
  delete: 'delete',
  run: 'run',
  cancelRun: 'cancelRun',
  sweep: 'sweep',
  help: 'help',
  recent: 'open',
  export: 'export',
};

/** Connects the studio to the desktop shell; returns the disconnect function. */
export function bindDesktop(studio: Studio): () => void {
  const offs: (() => void)[] = [];
  const menu = window.studioMenu;
  if (menu) {
    offs.push(
      menu.onCommand((command) => {
        if (command === 'saveThenClose') {
          void studio.ctl.save().then((saved) => {
            if (saved) window.close();
          });
          return;
        }
        const id = MENU_ACTIONS[command];
        if (id) actionById(id).perform(studio);
      }),
    );
  }
  let last = '';
  const report = (): void => {
    const s = studio.editor.getState();
    const state = { dirty: isDirty(s), title: s.file?.name ?? s.design.name };
    const key = `${state.dirty}|${state.title}`;
    if (key === last) return;
    last = key;
    void call('setDocumentState', state).catch(() => undefined);
  };
  report();
  offs.push(studio.editor.subscribe(report));
  return () => offs.forEach((f) => f());
}
