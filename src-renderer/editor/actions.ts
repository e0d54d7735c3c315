/**
 * What the user can do from the keyboard, menus and buttons, each with its shortcut declared next to it
 * (Excalidraw `actions/`). The help overlay lists this table; the key handler reads it.
 */
import type { RunStore } from '../run/runStore';
import type { SweepStore } from '../run/sweepStore';
import type { CommandResult } from './commands';
import { commitFocusedField, type Controller } from './controller';
import type { EditorStore } from './store';
import type { UiStore } from './ui';

export interface ActionContext {
  editor: EditorStore;
  ui: UiStore;
  ctl: Controller;
  run: RunStore;
  sweep: SweepStore;
}

export interface Action {
  id: string;
  label: string;
  group: 'File' | 'Edit' | 'View' | 'Run' | 'Help';
  /** Key combinations: `Mod` is Ctrl (Cmd on macOS); `Digit1` matches the key by position. */
  keys: readonly string[];
  /** Also fires while typing in a field (file shortcuts). */
  inInputs?: boolean;
  perform(ctx: ActionContext): void;
}

/** Says what a command did beyond what was asked (its `note`), with the way back. */
function toastNote(ctx: Pick<ActionContext, 'ui'>, r: CommandResult): void {
  if (r.ok && r.note) ctx.ui.getState().toast(`${r.note} — ${formatKeys('Mod+Z')} to undo`, { ms: 8000 });
}

function report(ctx: ActionContext, r: CommandResult): void {
  if (!r.ok) ctx.ui.getState().toast(r.reason, { tone: 'error' });
  else toastNote(ctx, r);
}

/**
 * Deletes the selection and says what went with it (a kernel's cards and connections, references cleared), so
 * nothing disappears unnoticed. Every delete button and key should come here.
 */
export function deleteSelected(ctx: Pick<ActionContext, 'editor' | 'ui'>): CommandResult {
  const r = ctx.editor.getState().deleteSelection();
  toastNote(ctx, r);
  return r;
}

export const ACTIONS: readonly Action[] = [
  { id: 'new', label: 'New design', group: 'File', keys: ['Mod+N'], inInputs: true, perform: ({ ctl }) => void ctl.newBlank() },
  { id: 'newFromTemplate', label: 'New from template…', group: 'File', keys: [], perform: ({ ui }) => ui.getState().setGalleryOpen(true) },
  { id: 'open', label: 'Open…', group: 'File', keys: ['Mod+O'], inInputs: true, perform: ({ ctl }) => void ctl.open() },
  { id: 'save', label: 'Save', group: 'File', keys: ['Mod+S'], inInputs: true, perform: ({ ctl }) => void ctl.save() },
  { id: 'saveAs', label: 'Save as…', group: 'File', keys: ['Mod+Shift+S'], inInputs: true, perform: ({ ctl }) => void ctl.saveAs() },
  { id: 'export', label: 'Export…', group: 'File', keys: ['Mod+E'], inInputs: true, perform: ({ ui }) => { commitFocusedField(); ui.getState().setDialog({ kind: 'export' }); } },

  { id: 'undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], perform: ({ editor }) => void editor.getState().undo() },
  { id: 'redo', label: 'Redo', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], perform: ({ editor }) => void editor.getState().redo() },
  { id: 'copy', label: 'Copy', group: 'Edit', keys: ['Mod+C'], perform: ({ editor }) => void editor.getState().copy() },
  { id: 'cut', label: 'Cut', group: 'Edit', keys: ['Mod+X'], perform: (ctx) => { const r = ctx.editor.getState().cut(); if (r.ok || r.reason !== 'select nodes to cut') report(ctx, r); } },
  { id: 'paste', label: 'Paste', group: 'Edit', keys: ['Mod+V'], perform: (ctx) => report(ctx, ctx.editor.getState().paste()) },
  { id: 'duplicate', label: 'Duplicate', group: 'Edit', keys: ['Mod+D'], perform: (ctx) => { const r = ctx.editor.getState().duplicate(); if (!r.ok && r.reason !== 'select nodes to duplicate') report(ctx, r); } },
  { id: 'delete', label: 'Delete selection', group: 'Edit', keys: ['Delete', 'Backspace'], perform: (ctx) => void deleteSelected(ctx) },
  { id: 'selectAll', label: 'Select all', group: 'Edit', keys: ['Mod+A'], perform: ({ editor }) => editor.getState().selectAll() },
  { id: 'deselect', label: 'Clear selection / close', group: 'Edit', keys: ['Escape'], perform: ({ editor, ui }) => { const u = ui.getState(); if (u.helpOpen) u.setHelpOpen(false); else editor.getState().setSelection({ nodes: [], edges: [] }); } },

  { id: 'layout', label: 'Auto-layout', group: 'View', keys: ['Mod+Shift+L'], perform: ({ ctl }) => void ctl.autoLayout() },
  { id: 'fit', label: 'Fit view', group: 'View', keys: ['Shift+Digit1'], perform: ({ ctl }) => ctl.fitView() },
  { id: 'snap', label: 'Snap to grid on/off', group: 'View', keys: ['Mod+Shift+G'], perform: ({ ui }) => ui.getState().toggleSnap() },
  { id: 'minimap', label: 'Minimap on/off', group: 'View', keys: ['Shift+M'], perform: ({ ui }) => ui.getState().toggleMinimap() },
  { id: 'theme', label: 'Dark / light theme', group: 'View', keys: ['Mod+Shift+D'], perform: ({ ui }) => ui.getState().toggleTheme() },
  { id: 'lint', label: 'Show / hide problems', group: 'View', keys: ['Mod+Shift+M'], perform: ({ ui }) => ui.getState().setLintOpen(!ui.getState().lintOpen) },

  { id: 'run', label: 'Run the design', group: 'Run', keys: ['Mod+R'], inInputs: true, perform: ({ run }) => { commitFocusedField(); void run.getState().start(); } },
  { id: 'cancelRun', label: 'Cancel the run (or the sweep)', group: 'Run', keys: ['Mod+.'], inInputs: true, perform: ({ run, sweep }) => void (sweep.getState().sweep?.state === 'running' ? sweep.getState().cancel() : run.getState().cancel()) },
  { id: 'sweep', label: 'Sweep a parameter…', group: 'Run', keys: ['Mod+Shift+P'], inInputs: true, perform: ({ ui }) => { commitFocusedField(); ui.getState().setDialog({ kind: 'sweep' }); } },
  { id: 'results', label: 'Show / hide results', group: 'Run', keys: ['Mod+J'], perform: ({ run }) => run.getState().toggleDock() },
  { id: 'overlay', label: 'Results on the canvas on/off', group: 'Run', keys: ['Mod+Shift+B'], perform: ({ run }) => run.getState().setOverlayVisible(!run.getState().overlayVisible) },
  { id: 'history', label: 'Run history', group: 'Run', keys: ['Mod+H'], perform: ({ run }) => run.getState().setTab('history') },

  { id: 'help', label: 'Keyboard shortcuts', group: 'Help', keys: ['?'], perform: ({ ui }) => ui.getState().setHelpOpen(!ui.getState().helpOpen) },
];

/** The action with this id (for buttons and menus). */
export function actionById(id: string): Action {
  const a = ACTIONS.find((x) => x.id === id);
  if (!a) throw new Error(`no action ${id}`);
  return a;
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** How a key combination is shown (`Ctrl+Shift+Z`, `⌘⇧Z` on macOS). */
export function formatKeys(combo: string): string {
  const parts = combo.split('+').map((p) => (p === 'Digit1' ? '1' : p));
  if (IS_MAC) return parts.map((p) => (p === 'Mod' ? '⌘' : p === 'Shift' ? '⇧' : p === 'Backspace' ? '⌫' : p)).join('');
  return parts.map((p) => (p === 'Mod' ? 'Ctrl' : p)).join('+');
}

/** The subset of a keyboard event a shortcut is matched on. */
export interface KeyInput {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a keyboard event matches a key combination such as `Mod+Shift+Z`. */
export function matchesKeys(e: KeyInput, combo: string): boolean {
  const parts = combo.split('+');
  const key = parts[parts.length - 1]!;
  const mods = new Set(parts.slice(0, -1));
  if (mods.has('Mod') !== (e.ctrlKey || e.metaKey)) return false;
  if (e.altKey) return false;
  if (key.startsWith('Digit')) return e.code === key && mods.has('Shift') === e.shiftKey;
  const isLetter = /^[a-z]$/i.test(key);
  if (isLetter || key.length > 1) {
    if (mods.has('Shift') !== e.shiftKey) return false;
  }
  return e.key.toLowerCase() === key.toLowerCase();
}

/** The action a keyboard event triggers, if any (`typing`: focus is in a text field). */
export function actionForKey(e: KeyInput, typing: boolean): Action | undefined {
  return ACTIONS.find((a) => (!typing || a.inInputs) && a.keys.some((k) => matchesKeys(e, k)));
}
