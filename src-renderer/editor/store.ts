/**
 * The editor's state: the canonical `Design` (React Flow's nodes and edges are derived from it), the selection,
 * and the undo history as patches. A gesture (drag, resize) is marked at its start, updates the design without
 * recording while it runs, and becomes ONE history entry at its end.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { emptyDesign, type Design } from '../../src-shared/model';
import {
  EMPTY_SELECTION,
  copySelection,
  deleteElements,
  pasteContent,
  type ClipboardContent,
  type Command,
  type CommandResult,
  type Selection,
} from './commands';
import type { Size } from './geometry';
import { duplicateContent } from './placement';
import { applyPatch, diffDesign, isEmptyPatch, type DesignPatch } from './patch';

/** One undoable step. Invariant: applying `patch` forwards to the design before it gives the design after it. */
export interface HistoryEntry {
  id: number;
  name: string;
  patch: DesignPatch;
  selectionBefore: Selection;
  selectionAfter: Selection;
}

/** Where the current design lives on disk (or in the browser's downloads); `handle` is the file service's own. */
export interface FileRef {
  name: string;
  handle?: unknown;
}

/** A request that the inspector focus a node's field (from a lint finding). `seq` makes repeated requests distinct. */
export interface FocusRequest {
  nodeId: string;
  paramKey?: string;
  seq: number;
}

interface Gesture {
  name: string;
  base: Design;
  selection: Selection;
}

export interface EditorData {
  design: Design;
  selection: Selection;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** History head id when the design was last saved or opened (0 = the empty history). */
  savedHead: number;
  nextEntryId: number;
  gesture: Gesture | null;
  clipboard: ClipboardContent | null;
  pasteCount: number;
  file: FileRef | null;
  /** React Flow's measured node sizes (UI state, never saved). */
  measured: Record<string, Size>;
  focus: FocusRequest | null;
  /** Bumped whenever a different document is loaded (the canvas fits the view on it). */
  docSeq: number;
}

export interface EditorActions {
  /** Runs a command and records it as one undo entry (nothing is recorded when it changes nothing). */
  execute(cmd: Command): CommandResult;
  undo(): boolean;
  redo(): boolean;
  beginGesture(name: string): void;
  /** Updates the design during a gesture without recording. */
  updateGesture(f: (d: Design) => Design): void;
  /** Ends the gesture as one entry; `settle` may adjust the result (re-parenting) or refuse it (the design reverts). */
  endGesture(settle?: (d: Design) => CommandResult): CommandResult;
  cancelGesture(): void;
  setSelection(sel: Selection): void;
  selectAll(): void;
  deleteSelection(): CommandResult;
  copy(): boolean;
  cut(): CommandResult;
  paste(): CommandResult;
  duplicate(): CommandResult;
  /**
   * Replaces the document (new, open, template): clears history and selection. With `unsaved` (a recovered draft),
   * the document starts dirty: it differs from anything saved until it is saved.
   */
  loadDesign(design: Design, file: FileRef | null, opts?: { unsaved?: boolean }): void;
  markSaved(file: FileRef | null): void;
  setMeasured(sizes: readonly (readonly [string, Size])[]): void;
  requestFocus(nodeId: string | undefined, paramKey?: string, edgeId?: string): void;
}

export type EditorState = EditorData & EditorActions;
export type EditorStore = StoreApi<EditorState>;

/** Paste and duplicate move copies by this much (times the number of pastes since the copy). */
export const PASTE_OFFSET = 30;
const MAX_HISTORY = 300;

/** The id of the newest applied history entry (0 when none). */
export function historyHead(s: EditorData): number {
  return s.past.length ? s.past[s.past.length - 1]!.id : 0;
}

/** True when the design differs from what was last saved or opened. */
export function isDirty(s: EditorData): boolean {
  return historyHead(s) !== s.savedHead;
}

function sameSelection(a: Selection, b: Selection): boolean {
  return a.nodes.length === b.nodes.length && a.edges.length === b.edges.length && a.nodes.every((x, i) => x === b.nodes[i]) && a.edges.every((x, i) => x === b.edges[i]);
}

function existingSelection(d: Design, sel: Selection): Selection {
  const n = new Set(d.nodes.map((x) => x.id));
  const e = new Set(d.edges.map((x) => x.id));
  return { nodes: sel.nodes.filter((id) => n.has(id)), edges: sel.edges.filter((id) => e.has(id)) };
}

/** A fresh editor store (the app makes one; tests make their own). */
export function createEditorStore(initial: Design = emptyDesign()): EditorStore {
  return createStore<EditorState>()((set, get) => {
    /** Records the step from `before` to the current design. */
    const record = (name: string, before: Design, after: Design, selectionBefore: Selection, selectionAfter: Selection): boolean => {
      const patch = diffDesign(before, after);
      if (isEmptyPatch(patch)) return false;
      const s = get();
      const entry: HistoryEntry = { id: s.nextEntryId, name, patch, selectionBefore, selectionAfter };
      const past = [...s.past, entry];
      if (past.length > MAX_HISTORY) past.splice(0, past.length - MAX_HISTORY);
      set({ past, future: [], nextEntryId: s.nextEntryId + 1 });
      return true;
    };

    const execute = (cmd: Command): CommandResult => {
      const s = get();
      if (s.gesture) return { ok: false, reason: 'finish the current drag first' };
      const r = cmd.perform(s.design);
      if (!r.ok) return r;
      const selection = existingSelection(r.design, r.selection ?? s.selection);
      if (r.design === s.design) {
        if (!sameSelection(selection, s.selection)) set({ selection });
        return r;
      }
      set({ design: r.design, selection });
      record(cmd.name, s.design, r.design, s.selection, selection);
      return r;
    };

    return {
      design: initial,
      selection: EMPTY_SELECTION,
      past: [],
      future: [],
      savedHead: 0,
      nextEntryId: 1,
      gesture: null,
      clipboard: null,
      pasteCount: 0,
      file: null,
      measured: {},
      focus: null,
      docSeq: 0,

      execute,

      undo() {
        const s = get();
        if (s.gesture || s.past.length === 0) return false;
        const entry = s.past[s.past.length - 1]!;
        const design = applyPatch(s.design, entry.patch, 'backward');
        set({ design, past: s.past.slice(0, -1), future: [...s.future, entry], selection: existingSelection(design, entry.selectionBefore) });
        return true;
      },

      redo() {
        const s = get();
        if (s.gesture || s.future.length === 0) return false;
        const entry = s.future[s.future.length - 1]!;
        const design = applyPatch(s.design, entry.patch, 'forward');
        set({ design, future: s.future.slice(0, -1), past: [...s.past, entry], selection: existingSelection(design, entry.selectionAfter) });
        return true;
      },

      beginGesture(name) {
        const s = get();
        if (s.gesture) return;
        set({ gesture: { name, base: s.design, selection: s.selection } });
      },

      updateGesture(f) {
        const s = get();
        const design = f(s.design);
        if (design !== s.design) set({ design });
      },

      endGesture(settle) {
        const s = get();
        const g = s.gesture;
        if (!g) return { ok: true, design: s.design };
        const r = settle ? settle(s.design) : ({ ok: true, design: s.design } as CommandResult);
        if (!r.ok) {
          set({ design: g.base, gesture: null });
          return r;
        }
        set({ design: r.design, gesture: null });
        record(g.name, g.base, r.design, g.selection, get().selection);
        return r;
      },

      cancelGesture() {
        const g = get().gesture;
        if (g) set({ design: g.base, gesture: null });
      },

      setSelection(sel) {
        const s = get();
        const next = existingSelection(s.design, sel);
        if (!sameSelection(next, s.selection)) set({ selection: next });
      },

      selectAll() {
        const d = get().design;
        set({ selection: { nodes: d.nodes.map((n) => n.id), edges: d.edges.map((e) => e.id) } });
      },

      deleteSelection() {
        const s = get();
        if (s.selection.nodes.length === 0 && s.selection.edges.length === 0) return { ok: false, reason: 'nothing is selected' };
        return execute(deleteElements(s.selection.nodes, s.selection.edges));
      },

      copy() {
        const s = get();
        const content = copySelection(s.design, s.selection);
        if (!content) return false;
        set({ clipboard: content, pasteCount: 0 });
        return true;
      },

      cut() {
        const s = get();
        if (!get().copy()) return { ok: false, reason: 'select nodes to cut' };
        const r = execute({ ...deleteElements(s.selection.nodes, s.selection.edges), name: 'Cut' });
        return r;
      },

      paste() {
        const s = get();
        if (!s.clipboard) return { ok: false, reason: 'the clipboard is empty: copy something first' };
        const n = s.pasteCount + 1;
        const r = execute(pasteContent(s.clipboard, { x: PASTE_OFFSET * n, y: PASTE_OFFSET * n }));
        if (r.ok) set({ pasteCount: n });
        return r;
      },

      duplicate() {
        const s = get();
        const content = copySelection(s.design, s.selection);
        if (!content) return { ok: false, reason: 'select nodes to duplicate' };
        // Into free space in the cards' kernels (grown if full), near where a paste would put them, all moved alike.
        return execute(duplicateContent(content, { x: PASTE_OFFSET, y: PASTE_OFFSET }, s.measured));
      },

      loadDesign(design, file, opts) {
        set((s) => ({
          design,
          file,
          selection: EMPTY_SELECTION,
          past: [],
          future: [],
          // −1 is never a history entry's head: an unsaved document stays dirty until it is saved.
          savedHead: opts?.unsaved === true ? -1 : 0,
          gesture: null,
          measured: {},
          focus: null,
          pasteCount: 0,
          docSeq: s.docSeq + 1,
        }));
      },

      markSaved(file) {
        set((s) => ({ savedHead: historyHead(s), file }));
      },

      setMeasured(sizes) {
        const s = get();
        let changed = false;
        const measured = { ...s.measured };
        for (const [id, size] of sizes) {
          const old = measured[id];
          if (!old || old.width !== size.width || old.height !== size.height) {
            measured[id] = { width: size.width, height: size.height };
            changed = true;
          }
        }
        if (changed) set({ measured });
      },

      requestFocus(nodeId, paramKey, edgeId) {
        const s = get();
        const selection: Selection = { nodes: nodeId ? [nodeId] : [], edges: edgeId && !nodeId ? [edgeId] : [] };
        const focus: FocusRequest | null = nodeId ? { nodeId, seq: (s.focus?.seq ?? 0) + 1, ...(paramKey ? { paramKey } : {}) } : null;
        set({ selection: existingSelection(s.design, selection), focus });
      },
    };
  });
}
