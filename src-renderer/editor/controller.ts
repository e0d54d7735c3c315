/**
 * Document-level operations that need more than the design: files, dialogs, the canvas viewport, layout.
 * Created once by the app; tests can create one with fake files.
 */
import { emptyDesign, parseDesignText, serializeDesign } from '../../src-shared/model';
import { applyLayout } from './commands';
import { fileNameFor, pushRecent, type DesignFiles, type RecentFile } from './files';
import { computeLayout } from './layout';
import { isDirty, type EditorStore } from './store';
import { instantiateTemplate, type Template } from './templates';
import type { DiscardChoice, UiStore } from './ui';

/** What the controller needs of the canvas. */
export interface Viewport {
  /** Fits the whole diagram in view (animated over `durationMs`). */
  fit(durationMs?: number): void;
}

export interface Controller {
  newBlank(): Promise<boolean>;
  newFromTemplate(t: Template): Promise<boolean>;
  open(): Promise<boolean>;
  openRecent(r: RecentFile): Promise<boolean>;
  /** Loads design text as a document (what `open` does once it has the text). */
  openText(name: string, text: string, handle?: unknown): boolean;
  save(): Promise<boolean>;
  saveAs(): Promise<boolean>;
  /**
   * Whether the document may be replaced by `action` (e.g. "restore a draft"): true at once when nothing is unsaved,
   * else the user chooses to save it first, discard it or cancel.
   */
  mayDiscard(action: string): Promise<boolean>;
  autoLayout(): Promise<void>;
  fitView(): void;
  setViewport(v: Viewport | null): void;
  readonly files: DesignFiles;
}

/**
 * Leaves the field being typed in, so that a value typed but not yet committed (fields commit on Enter or on
 * leaving) is applied, or registered as refused in the UI's `unapplied`, before anything reads or replaces the
 * design: Run, Export, Sweep, Save, New, Open.
 */
export function commitFocusedField(doc: Document | undefined = globalThis.document): void {
  const el = doc?.activeElement;
  if (!el) return;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.blur();
}

export function createController(editor: EditorStore, ui: UiStore, files: DesignFiles): Controller {
  let viewport: Viewport | null = null;

  const askUnsaved = (action: string): Promise<DiscardChoice> =>
    new Promise((resolve) => {
      ui.getState().setDialog({
        kind: 'unsaved',
        action,
        resolve: (c) => {
          ui.getState().setDialog(null);
          resolve(c);
        },
      });
    });

  /** Values typed into fields but refused (out of range, bad unit): on screen, not in the design. */
  const pendingFields = (): string[] => Object.values(ui.getState().unapplied);

  /**
   * True when the current design may be replaced (saved first if the user asks). A typed value is applied first,
   * and a refused one counts as an unsaved change: replacing the design would drop it.
   */
  const mayDiscard = async (action: string): Promise<boolean> => {
    commitFocusedField();
    if (!isDirty(editor.getState()) && pendingFields().length === 0) return true;
    const choice = await askUnsaved(action);
    if (choice === 'cancel') return false;
    if (choice === 'save') return ctl.save();
    return true;
  };

  const remember = (name: string): void => {
    ui.getState().setRecent(pushRecent({ name, openedAt: Date.now() }));
  };

  const writeTo = async (asNew: boolean): Promise<boolean> => {
    commitFocusedField();
    const pending = pendingFields();
    if (pending.length > 0) {
      // The file would keep the old value while the field shows another: refuse, as a run does.
      const more = pending.length > 1 ? ` (and ${pending.length - 1} more)` : '';
      ui.getState().setLintOpen(true);
      ui.getState().toast(`Can’t save: ${pending[0]!}. Fix the value, or press Esc in the field to restore the applied one${more}.`, { tone: 'error', ms: 9000 });
      return false;
    }
    const s = editor.getState();
    const text = serializeDesign(s.design);
    const suggested = s.file?.name ?? fileNameFor(s.design.name);
    try {
      const r = asNew ? await files.saveAs(text, suggested) : await files.save(text, s.file ? { name: s.file.name, handle: s.file.handle } : null, suggested);
      if (!r) return false;
      editor.getState().markSaved(r.handle === undefined ? { name: r.name } : { name: r.name, handle: r.handle });
      remember(r.name);
      ui.getState().toast(files.mode === 'browser' ? `Downloaded ${r.name}` : `Saved ${r.name}`, { tone: 'success' });
      return true;
    } catch (e) {
      ui.getState().toast(`Could not save: ${e instanceof Error ? e.message : String(e)}`, { tone: 'error' });
      return false;
    }
  };

  const fitSoon = (): void => {
    setTimeout(() => viewport?.fit(250), 60);
  };

  const ctl: Controller = {
    files,
    async newBlank() {
      if (!(await mayDiscard('start a new design'))) return false;
      editor.getState().loadDesign(emptyDesign(), null);
      ui.getState().setGalleryOpen(false);
      return true;
    },
    async newFromTemplate(t) {
      if (!(await mayDiscard('open a template'))) return false;
      editor.getState().loadDesign(instantiateTemplate(t), null);
      ui.getState().setGalleryOpen(false);
      fitSoon();
      return true;
    },
    openText(name, text, handle) {
      const r = parseDesignText(text, { forEditing: true });
      if (!r.ok) {
        ui.getState().setDialog({ kind: 'loadErrors', fileName: name, findings: r.findings.filter((f) => f.severity === 'error') });
        return false;
      }
      editor.getState().loadDesign(r.design, handle === undefined ? { name } : { name, handle });
      ui.getState().setGalleryOpen(false);
      remember(name);
      if (r.migratedFrom !== undefined) ui.getState().toast(`${name} was written by an older version (${r.migratedFrom}); it will be saved as version ${r.design.version}.`);
      if (r.errorCount !== undefined) {
        // Work in progress (a fault with no target yet, a value out of range): open it and show what to fix.
        ui.getState().setLintOpen(true);
        ui.getState().toast(`Opened ${name} with ${r.errorCount} problem${r.errorCount === 1 ? '' : 's'} to fix before it can run: see Problems.`, { ms: 9000 });
      }
      fitSoon();
      return true;
    },
    async open() {
      if (!(await mayDiscard('open another design'))) return false;
      const f = await files.open();
      if (!f) return false;
      return ctl.openText(f.name, f.text, f.handle);
    },
    async openRecent(r) {
      if (!files.openRecent) {
        ui.getState().toast(`In the browser the studio remembers names only: choose "${r.name}" in the file picker.`);
        return ctl.open();
      }
      if (!(await mayDiscard('open another design'))) return false;
      const f = await files.openRecent(r);
      if (!f) return false;
      return ctl.openText(f.name, f.text, f.handle);
    },
    mayDiscard,
    save: () => writeTo(false),
    saveAs: () => writeTo(true),
    async autoLayout() {
      const s = editor.getState();
      if (s.design.nodes.length === 0) return;
      try {
        const layout = await computeLayout(s.design, s.measured);
        const r = editor.getState().execute(applyLayout(layout));
        if (!r.ok) ui.getState().toast(r.reason, { tone: 'error' });
        else fitSoon();
      } catch (e) {
        ui.getState().toast(`Auto-layout failed: ${e instanceof Error ? e.message : String(e)}`, { tone: 'error' });
      }
    },
    fitView() {
      viewport?.fit(250);
    },
    setViewport(v) {
      viewport = v;
    },
  };
  return ctl;
}
