import { useEffect } from 'react';
import { actionForKey } from './actions';
import { useStudio } from './context';
import { lintDesign } from './lint';
import { isDirty } from './store';

/** Lint delay after the last edit (ms): live, but not on every keystroke of a drag. */
export const LINT_DEBOUNCE_MS = 250;

/** Keeps the UI store's findings in step with the design (debounced). */
export function useLiveLint(): void {
  const { editor, ui } = useStudio();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = editor.getState().design;
    ui.getState().setFindings(lintDesign(last));
    const unsub = editor.subscribe((s) => {
      if (s.design === last || s.gesture) return;
      last = s.design;
      clearTimeout(timer);
      timer = setTimeout(() => ui.getState().setFindings(lintDesign(last)), LINT_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      unsub();
    };
  }, [editor, ui]);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(type);
}

/** The keyboard shortcuts of `ACTIONS`, on the window. */
export function useShortcuts(): void {
  const studio = useStudio();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      const ui = studio.ui.getState();
      if (ui.dialog) return; // a modal dialog owns the keyboard
      const typing = isTyping(e.target);
      const action = actionForKey(e, typing);
      if (!action) return;
      if (ui.galleryOpen && action.id !== 'open' && action.id !== 'new') return;
      // The shortcuts list is modal too: ? closes it (Escape is the dialog's own), nothing acts on the page behind.
      if (ui.helpOpen && action.id !== 'help') return;
      // Let the browser copy text the user selected on the page.
      if (action.id === 'copy' || action.id === 'cut') {
        const sel = window.getSelection();
        if (sel && !sel.isCollapsed && sel.toString().trim() !== '') return;
      }
      e.preventDefault();
      action.perform(studio);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [studio]);
}

/** Asks the browser to confirm leaving the page while there are unsaved changes. */
export function useUnloadGuard(): void {
  const { editor } = useStudio();
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent): void => {
      if (isDirty(editor.getState())) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [editor]);
}

/** Mirrors the theme onto `<html data-theme>` so CSS variables switch. */
export function useThemeAttribute(theme: string): void {
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
}
