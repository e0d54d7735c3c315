import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { RunState, RunStore } from '../run/runStore';
import type { SweepState, SweepStore } from '../run/sweepStore';
import type { Controller } from './controller';
import type { EditorState, EditorStore } from './store';
import type { UiState, UiStore } from './ui';

/** The stores and controller of one studio window (tests render with their own). */
export interface Studio {
  editor: EditorStore;
  ui: UiStore;
  ctl: Controller;
  /** Runs, results and the results dock (src-renderer/run). */
  run: RunStore;
  /** The parameter sweep (src-renderer/run/sweepStore). */
  sweep: SweepStore;
}

const StudioContext = createContext<Studio | null>(null);

export function StudioProvider({ studio, children }: { studio: Studio; children: ReactNode }) {
  return <StudioContext.Provider value={studio}>{children}</StudioContext.Provider>;
}

/** The studio of the enclosing provider. */
export function useStudio(): Studio {
  const s = useContext(StudioContext);
  if (!s) throw new Error('useStudio outside <StudioProvider>');
  return s;
}

/** Selects from the editor store (compare with `useShallow` for objects and arrays). */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useStudio().editor, selector);
}

/** Selects from the UI store. */
export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useStudio().ui, selector);
}

/** Selects from the run store. */
export function useRun<T>(selector: (s: RunState) => T): T {
  return useStore(useStudio().run, selector);
}

/** Selects from the sweep store. */
export function useSweep<T>(selector: (s: SweepState) => T): T {
  return useStore(useStudio().sweep, selector);
}
