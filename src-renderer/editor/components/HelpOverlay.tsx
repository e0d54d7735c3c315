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

/**
 * What the results' words mean, as the engine counts them (tock-model.md; docs/examples.md reads the templates with
 * them).
 */
const METRICS: readonly [string, string][] = [
  ['p50 · p90 · p99 · max', 'Latency of a flow: from the send (the sender’s syscall handing the message to the mechanism) to the moment the receiver can use it. Exact order statistics over every delivered message sent after the warm-up.'],
  ['delivered · in flight', 'Reached the receiver (cut short ones included) · sent but not resolved when the run ended.'],
  ['dropped · overwritten', 'Refused or lost on the way (full queue or slice, link down, a lost notification) · replaced before it was read (latest value, ring buffer, drop-oldest FIFO).'],
  ['timed out · failed', 'No outcome before the sender’s timeout · the peer was gone or restarted (NODEVICE), or a share could not be mapped.'],
  ['cut · stale', 'Delivered, but truncated to the receiver’s or the mechanism’s largest message · delivered to a restarted receiver through a stale identifier (legacy IPC).'],
  ['copies/msg · copied', 'Byte copies the kernel made per delivered message, each charged at the kernel’s copy rate · bytes copied for every message of the flow, delivered or not.'],
  ['lost (mechanism)', 'Messages the mechanism lost: dropped, overwritten, or lost with a full upcall queue. The flows table tells them apart.'],
  ['upcalls dropped', 'A process’s upcall queue (10 entries) was full (NOMEM): a lost notification. For a FIFO it loses no data: the next upcall reads what is queued.'],
  ['MPU regions', 'Regions a process’s MPU holds at its peak (its flash and RAM, plus shares mapped for IPC) against what its MPU has; map failures: shares that did not fit.'],
  ['CPU', 'Busy time of a kernel’s core over the measured time (after the warm-up): processes, syscalls, copies, upcalls, context switches and interrupts.'],
  ['warm-up', 'The first part of a run, shaded on time charts: the system runs, but the summary counts only what happens after it.'],
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
        <section className="wide" data-testid="help-metrics">
          <h3>Reading the results</h3>
          <table>
            <tbody>
              {METRICS.map(([what, means]) => (
                <tr key={what}>
                  <td className="help-term">{what}</td>
                  <td className="muted">{means}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </Modal>
  );
}
