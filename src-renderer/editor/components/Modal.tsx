import { useEffect, useRef, useState, type FocusEvent as ReactFocusEvent, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), iframe, [tabindex], [contenteditable=""], [contenteditable="true"]';

/**
 * What Tab reaches inside `root`, in document order: enabled controls and elements with a tab index ≥ 0, not
 * hidden, not the focus guards; of a group of radio buttons only the checked one (the first when none is).
 */
export function tabbables(root: HTMLElement): HTMLElement[] {
  const all = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.tabIndex >= 0 && !el.hasAttribute('data-focus-guard') && !el.closest('[hidden], [inert], [aria-hidden="true"]'));
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || !el.name) return true;
    const group = all.filter((x): x is HTMLInputElement => x instanceof HTMLInputElement && x.type === 'radio' && x.name === el.name);
    return el === (group.find((x) => x.checked) ?? group[0]);
  });
}

/** The open modal dialogs, the topmost last: only the topmost one handles keys and keeps focus. */
const stack: object[] = [];

function focusIn(el: HTMLElement | null | undefined): boolean {
  if (!el || !el.isConnected) return false;
  el.focus({ preventScroll: true });
  return document.activeElement === el;
}

/**
 * Focus handling of a modal dialog whose outermost element is `ref`:
 * - when it opens, focus moves into it (`initialFocus`, else the control that took focus itself (autoFocus), else
 *   the first control, else the dialog itself), remembering what had focus before;
 * - focus stays inside: Tab and Shift+Tab cycle through its controls (the element gets two focus guards, see
 *   `FocusGuard`), and focus that lands outside it is brought back;
 * - Escape closes it (`onClose`) wherever focus is, when it is the topmost dialog;
 * - when it closes, focus returns to what had it before (if that is still on the page and focus went nowhere else).
 *
 * Returns the guards' focus handler: render `<FocusGuard onFocus={guard} />` first and last inside the element.
 */
export function useModalFocus(ref: RefObject<HTMLElement | null>, { onClose, initialFocus }: { onClose: () => void; initialFocus?: RefObject<HTMLElement | null> | undefined }): (e: ReactFocusEvent<HTMLElement>) => void {
  // What had focus before the dialog: read while rendering, before any autoFocus inside the dialog takes it.
  const [previous] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  const close = useRef(onClose);
  close.current = onClose;
  const initial = useRef(initialFocus);
  initial.current = initialFocus;

  useEffect(() => {
    const token = {};
    stack.push(token);
    const root = (): HTMLElement | null => ref.current;
    const top = (): boolean => stack[stack.length - 1] === token;
    const enter = (): void => {
      const el = root();
      if (!el || el.contains(document.activeElement)) return;
      if (focusIn(initial.current?.current)) return;
      if (focusIn(tabbables(el)[0])) return;
      focusIn(el);
    };
    enter();
    const onKeyDown = (e: KeyboardEvent): void => {
      if (!top() || e.defaultPrevented || e.isComposing || e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      close.current();
    };
    const onFocusIn = (e: FocusEvent): void => {
      const el = root();
      if (!top() || !el || el.contains(e.target as Node)) return;
      enter();
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('focusin', onFocusIn);
      stack.splice(stack.indexOf(token), 1);
      // Give focus back, unless closing the dialog put it somewhere on purpose.
      const now = document.activeElement;
      const lost = !now || now === document.body || !now.isConnected || !!root()?.contains(now);
      if (lost && previous && previous !== document.body) focusIn(previous);
    };
  }, [ref, previous]);

  return (e) => {
    const el = ref.current;
    if (!el) return;
    const list = tabbables(el);
    const first = e.currentTarget.getAttribute('data-focus-guard') === 'start';
    // Reached from inside the dialog: Shift+Tab past the first control (start guard) or Tab past the last (end
    // guard) wraps around; reached from outside it (the dialog itself, the page) it goes to the nearest end.
    const fromInside = e.relatedTarget instanceof Node && el.contains(e.relatedTarget) && e.relatedTarget !== el && !(e.relatedTarget as HTMLElement).hasAttribute?.('data-focus-guard');
    const target = first === fromInside ? list[list.length - 1] : list[0];
    if (!focusIn(target)) focusIn(el);
  };
}

/** An invisible stop for Tab at either end of a modal dialog: focusing it moves focus around inside the dialog. */
export function FocusGuard({ at, onFocus }: { at: 'start' | 'end'; onFocus: (e: ReactFocusEvent<HTMLElement>) => void }) {
  return <span className="focus-guard" tabIndex={0} data-focus-guard={at} aria-hidden="true" onFocus={onFocus} />;
}

/**
 * A modal dialog's frame: the dimmed overlay, the dialog box, focus kept inside (see `useModalFocus`), Escape to
 * close and Ctrl/⌘+Enter for the dialog's main action (when it has one and it is allowed now). `closeOnBackdrop`:
 * a click on the dimmed area closes it too.
 */
export function Modal({
  titleId,
  label,
  className,
  overlayClassName,
  testId,
  onClose,
  onSubmit,
  initialFocus,
  closeOnBackdrop = false,
  children,
}: {
  titleId?: string;
  /** The dialog's accessible name when it has no title element. */
  label?: string;
  className?: string;
  overlayClassName?: string;
  testId?: string;
  onClose: () => void;
  onSubmit?: (() => void) | undefined;
  /** The control that has focus when the dialog opens (default: its first control). */
  initialFocus?: RefObject<HTMLElement | null>;
  closeOnBackdrop?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const guard = useModalFocus(ref, { onClose, initialFocus });
  return (
    <div
      ref={ref}
      className={`overlay${overlayClassName ? ` ${overlayClassName}` : ''}`}
      role="dialog"
      aria-modal="true"
      {...(titleId ? { 'aria-labelledby': titleId } : { 'aria-label': label })}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSubmit) onSubmit();
      }}
      onClick={closeOnBackdrop ? (e) => e.target === e.currentTarget && onClose() : undefined}
    >
      <FocusGuard at="start" onFocus={guard} />
      <div className={`dialog${className ? ` ${className}` : ''}`} data-testid={testId}>
        {children}
      </div>
      <FocusGuard at="end" onFocus={guard} />
    </div>
  );
}
