import { useRef } from 'react';
import { useStudio, useUi } from '../context';
import { ExportDialog } from './ExportDialog';
import { Modal } from './Modal';
import { SweepDialog } from './SweepDialog';

/** Modal dialogs: unsaved changes (save / discard / cancel), a file that could not be opened, Export, Sweep. */
export function Dialogs() {
  const { ui } = useStudio();
  const dialog = useUi((s) => s.dialog);
  const first = useRef<HTMLButtonElement>(null);
  if (!dialog) return null;
  if (dialog.kind === 'export') return <ExportDialog />;
  if (dialog.kind === 'sweep') return <SweepDialog />;
  if (dialog.kind === 'unsaved') {
    return (
      <Modal key="unsaved" titleId="unsaved-title" className="small" testId="unsaved-dialog" onClose={() => dialog.resolve('cancel')} initialFocus={first}>
        <h2 id="unsaved-title">Unsaved changes</h2>
        <p>The current design has changes that are not saved. Save them before you {dialog.action}?</p>
        <div className="btn-row end">
          <button className="btn" onClick={() => dialog.resolve('cancel')}>
            Cancel
          </button>
          <button className="btn danger-outline" onClick={() => dialog.resolve('discard')}>
            Discard changes
          </button>
          <button ref={first} className="btn primary" onClick={() => dialog.resolve('save')}>
            Save
          </button>
        </div>
      </Modal>
    );
  }
  const close = (): void => ui.getState().setDialog(null);
  return (
    <Modal key={`load-${dialog.fileName}`} titleId="load-title" testId="load-error-dialog" onClose={close} initialFocus={first}>
      <h2 id="load-title">“{dialog.fileName}” could not be opened</h2>
      <p className="muted">
        {dialog.findings.length} problem{dialog.findings.length === 1 ? '' : 's'} found. Your current design is unchanged.
      </p>
      <ul className="load-errors">
        {dialog.findings.map((f, i) => (
          <li key={i}>
            <code>{f.path}</code>
            <span>
              {f.where && <b>{f.where}: </b>}
              {f.message}
            </span>
          </li>
        ))}
      </ul>
      <div className="btn-row end">
        <button ref={first} className="btn primary" onClick={close}>
          OK
        </button>
      </div>
    </Modal>
  );
}
