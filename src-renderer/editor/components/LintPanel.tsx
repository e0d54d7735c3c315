import { useMemo, useState } from 'react';
import type { Finding } from '../../../src-shared/model';
import { useEditor, useStudio, useUi } from '../context';
import { countFindings } from '../lint';

/** The bottom panel: live findings of the validator (errors and warnings); click one to go to its node and field. */
export function LintPanel() {
  const { editor, ui } = useStudio();
  const findings = useUi((s) => s.findings);
  const unapplied = useUi((s) => s.unapplied);
  const open = useUi((s) => s.lintOpen);
  // Values typed but refused (still in their fields, not in the design): they stop a run too, so they count here.
  const pending = Object.entries(unapplied);
  const names = useEditor((s) => s.design.nodes);
  const [filter, setFilter] = useState<'all' | 'error' | 'warning'>('all');
  const { errors, warnings } = countFindings(findings);
  const nameOf = useMemo(() => new Map(names.map((n) => [n.id, n.name])), [names]);
  const shown = filter === 'all' ? findings : findings.filter((f) => f.severity === filter);

  const go = (f: Finding): void => {
    editor.getState().requestFocus(f.nodeId, f.paramKey, f.edgeId);
  };

  return (
    <section className={`lint-panel${open ? '' : ' is-collapsed'}`} aria-label="Problems">
      <header className="lint-head">
        <button className="lint-toggle" onClick={() => ui.getState().setLintOpen(!open)} aria-expanded={open} title={open ? 'Hide problems' : 'Show problems'}>
          <span className={`chevron${open ? ' open' : ''}`}>▸</span> Problems
        </button>
        <button className={`count-pill error${filter === 'error' ? ' active' : ''}`} onClick={() => setFilter(filter === 'error' ? 'all' : 'error')} title="Show only errors">
          <span className="sev-icon error" aria-hidden>
            ✕
          </span>
          {errors + pending.length} error{errors + pending.length === 1 ? '' : 's'}
        </button>
        <button className={`count-pill warning${filter === 'warning' ? ' active' : ''}`} onClick={() => setFilter(filter === 'warning' ? 'all' : 'warning')} title="Show only warnings">
          <span className="sev-icon warning" aria-hidden>
            !
          </span>
          {warnings} warning{warnings === 1 ? '' : 's'}
        </button>
        <span className="spacer" />
        {errors + pending.length > 0 && <span className="muted small">Errors stop the design from running.</span>}
      </header>
      {open && (
        <div className="lint-list">
          {shown.length === 0 && (filter === 'warning' || pending.length === 0) && <p className="lint-empty muted">{findings.length === 0 && pending.length === 0 ? 'No problems: the design is valid and the lint has nothing to say.' : 'Nothing of this severity.'}</p>}
          <ul>
            {filter !== 'warning' &&
              pending.map(([key, text]) => (
                <li key={`unapplied-${key}`}>
                  <div className="lint-item error" data-testid="lint-unapplied">
                    <span className="sev-icon error" aria-label="error">
                      ✕
                    </span>
                    <span className="lint-msg">{text}</span>
                    <span className="lint-where muted">typed, not applied (Esc in the field restores)</span>
                  </div>
                </li>
              ))}
            {shown.map((f, i) => (
              <li key={`${f.path}-${f.code}-${i}`}>
                <button className={`lint-item ${f.severity}`} onClick={() => go(f)} disabled={!f.nodeId && !f.edgeId} title={f.nodeId || f.edgeId ? 'Go to it' : undefined}>
                  <span className={`sev-icon ${f.severity}`} aria-label={f.severity}>
                    {f.severity === 'error' ? '✕' : '!'}
                  </span>
                  <span className="lint-msg">{f.message}</span>
                  <span className="lint-where muted">
                    {f.nodeId ? nameOf.get(f.nodeId) ?? f.nodeId : ''}
                    <code>{f.path}</code>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
