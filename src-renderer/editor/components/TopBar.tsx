import { useEffect, useRef, useState } from 'react';
import { actionById, formatKeys, type Action } from '../actions';
import { useEditor, useStudio, useUi } from '../context';
import { clearRecent } from '../files';
import { isDirty } from '../store';
import { RunControls } from '../../run/RunControls';
import { Icon } from './Icons';

function shortcut(a: Action): string {
  return a.keys[0] ? formatKeys(a.keys[0]) : '';
}

/**
 * A drop-down menu's state: open or not, closed again by a press or focus outside it, or by Escape (which gives
 * focus back to its button).
 */
function useMenu() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    // Capture phase on the document: React Flow's pane (and other widgets) stop mousedown from bubbling, but a
    // capturing pointerdown listener sees every press before anyone else can swallow it.
    const onPointerDown = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes the menu wherever focus is (usually still on its button), and focus goes back to it.
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    const onFocusIn = (e: FocusEvent): void => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, [open]);
  return { open, setOpen, ref, button };
}

/** The File menu: new, from template, open, recent, save, save as, export. */
function FileMenu() {
  const studio = useStudio();
  const recent = useUi((s) => s.recent);
  const { open, setOpen, ref, button } = useMenu();
  const item = (id: string) => {
    const a = actionById(id);
    return (
      <button
        role="menuitem"
        className="menu-item"
        onClick={() => {
          setOpen(false);
          // Focus goes back to the File button first: a dialog the item opens gives it back there when it closes.
          button.current?.focus();
          a.perform(studio);
        }}
      >
        <span>{a.label}</span>
        <kbd>{shortcut(a)}</kbd>
      </button>
    );
  };
  return (
    <div className="menu" ref={ref}>
      {/* In a narrow window the word is hidden (styles.css), not removed: it stays the button's name. */}
      <button ref={button} className={`btn ghost file-btn${open ? ' active' : ''}`} onClick={() => setOpen(!open)} aria-haspopup="menu" aria-expanded={open} title="File">
        <Icon name="file" /> <span className="tb-label">File</span> <Icon name="chevron" size={14} />
      </button>
      {open && (
        <div className="menu-pop" role="menu">
          {item('new')}
          {item('newFromTemplate')}
          <div className="menu-sep" />
          {item('open')}
          <div className="menu-label">Open recent{studio.ctl.files.mode === 'browser' ? ' (names only in the browser)' : ''}</div>
          {recent.length === 0 && <div className="menu-note muted">No recent files</div>}
          {recent.map((r) => (
            <button
              key={r.path ?? r.name}
              role="menuitem"
              className="menu-item recent"
              onClick={() => {
                setOpen(false);
                button.current?.focus();
                void studio.ctl.openRecent(r);
              }}
              title={r.path ?? r.name}
            >
              <span>{r.name}</span>
            </button>
          ))}
          {recent.length > 0 && (
            <button
              role="menuitem"
              className="menu-item subtle"
              onClick={() => {
                clearRecent();
                studio.ui.getState().setRecent([]);
              }}
            >
              Clear recent
            </button>
          )}
          <div className="menu-sep" />
          {item('save')}
          {item('saveAs')}
          <div className="menu-sep" />
          {item('export')}
        </div>
      )}
    </div>
  );
}

function ActionButton({ id, icon, active, disabled }: { id: string; icon: Parameters<typeof Icon>[0]['name']; active?: boolean; disabled?: boolean }) {
  const studio = useStudio();
  const a = actionById(id);
  const keys = shortcut(a);
  return (
    <button className={`icon-btn${active ? ' active' : ''}`} onClick={() => a.perform(studio)} disabled={disabled} title={keys ? `${a.label} (${keys})` : a.label} aria-label={a.label} aria-pressed={active}>
      <Icon name={icon} />
    </button>
  );
}

/** The view and theme buttons of the top bar, in the order they appear on it. */
const VIEW_TOOLS = ['layout', 'fit', 'snap', 'minimap', 'theme'] as const;

/**
 * In a narrow window (styles.css) the view and theme buttons leave the top bar for this menu, so that the bar fits
 * (the page never scrolls sideways); in a wide one the menu is hidden. Same actions, names and shortcuts.
 */
function MoreMenu({ snap, minimap }: { snap: boolean; minimap: boolean }) {
  const studio = useStudio();
  const { open, setOpen, ref, button } = useMenu();
  const on: Partial<Record<(typeof VIEW_TOOLS)[number], boolean>> = { snap, minimap };
  return (
    <div className="menu tb-more" ref={ref}>
      <button ref={button} className={`icon-btn${open ? ' active' : ''}`} onClick={() => setOpen(!open)} aria-haspopup="menu" aria-expanded={open} aria-label="More view tools" title="More: auto-layout, fit view, grid, minimap, theme">
        <span className="tb-more-dots" aria-hidden>
          ⋯
        </span>
      </button>
      {open && (
        <div className="menu-pop menu-pop-end" role="menu">
          {VIEW_TOOLS.map((id) => {
            const a = actionById(id);
            const checked = on[id];
            return (
              <button
                key={id}
                role={checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                aria-checked={checked}
                className="menu-item"
                onClick={() => {
                  setOpen(false);
                  button.current?.focus();
                  a.perform(studio);
                }}
              >
                <span>
                  {checked !== undefined && (
                    <span className="menu-check" aria-hidden>
                      {checked ? '✓' : ''}
                    </span>
                  )}
                  {a.label}
                </span>
                <kbd>{shortcut(a)}</kbd>
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

/** Title (with the unsaved-changes dot), file menu, undo/redo, layout and view toggles, theme, help. */
export function TopBar() {
  const name = useEditor((s) => s.design.name);
  const file = useEditor((s) => s.file);
  const dirty = useEditor(isDirty);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const snap = useUi((s) => s.snap);
  const minimap = useUi((s) => s.minimap);
  const theme = useUi((s) => s.theme);
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} — Tock IPC Studio`;
  }, [dirty, name]);
  return (
    <header className="topbar">
      <div className="brand" title="Tock IPC Studio">
        <span className="brand-mark">T</span>
        <span className="brand-name">IPC Studio</span>
      </div>
      <FileMenu />
      <div className="tb-group">
        <ActionButton id="undo" icon="undo" disabled={!canUndo} />
        <ActionButton id="redo" icon="redo" disabled={!canRedo} />
      </div>
      <div className="title" title={`${name}${dirty ? ' (unsaved changes)' : ''} — ${file ? `file: ${file.name}` : 'not saved to a file yet'}`}>
        <span className="title-name">{name}</span>
        {dirty ? (
          <span className="dirty" title="Unsaved changes" aria-label="Unsaved changes">
            ●
          </span>
        ) : null}
        <span className="title-file muted">{file ? file.name : 'no file yet'}</span>
      </div>
      <RunControls />
      <div className="tb-group tb-view">
        <ActionButton id="layout" icon="layout" />
        <ActionButton id="fit" icon="fit" />
        <ActionButton id="snap" icon="grid" active={snap} />
        <ActionButton id="minimap" icon="minimap" active={minimap} />
      </div>
      <div className="tb-group">
        <span className="tb-view">
          <ActionButton id="theme" icon={theme === 'dark' ? 'sun' : 'moon'} />
        </span>
        <MoreMenu snap={snap} minimap={minimap} />
        <ActionButton id="help" icon="help" />
      </div>
    </header>
  );
}
