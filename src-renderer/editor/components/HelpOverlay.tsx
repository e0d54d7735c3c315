import { ACTIONS, formatKeys } from '../actions';
import { useStudio, useUi } from '../context';
import { Modal } from './Modal';

const GESTURES: readonly [string, string][] = [
  ['Add', 'Drag a kind from the palette onto the canvas (double-click adds it to the selected kernel)'],
  ['Connect', 'Drag from a port on the right of a card (out) to a port on the left of another (in)'],
  ['Move into a kernel', 'Drag a process onto another kernel: it moves if its connections stay legal'],
  ['Select several', 'Shift-drag a box, or Ctrl/⌘-click'],
  ['Resize a kernel', 'Select it and drag its edges or corners'],
  ['Pan / zoom', 'Drag the background / scroll or pinch'],
  ['Parameters', 'Type values with units: 250ns, 40us, 5ms · 64B, 4KiB · 125MHz; Enter applies, Esc restores'],
];

/** Keyboard shortcuts and gestures (press ? to toggle). */
export function HelpOverlay() {
  const { ui } = useStudio();
  const open = useUi((s) => s.helpOpen);
  if (!open) return null;
  const groups = ['File', 'Edit', 'View', 'Run', 'Help'] as const;
  return (
    <Modal label="Keyboard shortcuts" className="help" testId="help-dialog" onClose={() => ui.getState().setHelpOpen(false)} closeOnBackdrop>
      <header className="dialog-head">
        <h2>Keyboard shortcuts</h2>
        <button className="icon-btn" onClick={() => ui.getState().setHelpOpen(false)} aria-label="Close">
          ✕
        </button>
      </header>
      <div className="help-grid">
        {groups.map((g) => (
          <section key={g}>
            <h3>{g}</h3>
            <table>
              <tbody>
                {ACTIONS.filter((a) => a.group === g).map((a) => (
                  <tr key={a.id}>
                    <td>{a.label}</td>
                    <td className="keys">
                      {a.keys.length === 0 ? <span className="muted">menu</span> : a.keys.map((k) => <kbd key={k}>{formatKeys(k)}</kbd>)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
        <section className="wide">
          <h3>Mouse</h3>
          <table>
            <tbody>
              {GESTURES.map(([what, how]) => (
                <tr key={what}>
                  <td>{what}</td>
                  <td className="muted">{how}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">In a browser tab, Ctrl+N may open a new window instead: use File › New.</p>
        </section>
      </div>
    </Modal>
  );
}
