import { useMemo, useState } from 'react';
import type { Finding } from '../../../src-shared/model';
import { useEditor, useStudio, useUi } from '../context';
import { countFindings, deferredByErrors, nameList } from '../lint';

/**
 * The bottom panel: live findings of the validator (errors and warnings); click one to go to its node and field.
 * Warnings are listed with errors too; those that involve an element with an error wait for it to be fixed, and
 * the panel says so rather than let "0 warnings" read as "nothing to warn about".
 */
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
  const deferred = useMemo(() => deferredByErrors(findings), [findings]);
  const deferredNote = deferred.length > 0 ? `Warnings that involve ${nameList(deferred)} are checked once ${deferred.length === 1 ? 'its errors are' : 'their errors are'} fixed.` : '';

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
        <button className={`count-pill warning${filter === 'warning' ? ' active' : ''}`} onClick={() => setFilter(filter === 'warning' ? 'all' : 'warning')} title={deferredNote ? `Show only warnings. ${deferredNote}` : 'Show only warnings'}>
          <span className="sev-icon warning" aria-hidden>
            !
          </span>
          {warnings} warning{warnings === 1 ? '' : 's'}
          {deferredNote && ' so far'}
        </button>
        <span className="spacer" />
        {errors + pending.length > 0 && <span className="muted small" title="Errors stop the design from running.">Errors stop the design from running.</span>}
      </header>
      {open && (
        <div className="lint-list">
          {shown.length === 0 && (filter === 'warning' || pending.length === 0) && !(filter === 'warning' && deferredNote) && <p className="lint-empty muted">{findings.length === 0 && pending.length === 0 ? 'No problems: the design is valid and the lint has nothing to say.' : 'Nothing of this severity.'}</p>}
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
                  <span className="lint-msg">
                    {/* The element once, before what is wrong with it (the message does not name it again). */}
                    <FindingPlace f={f} nameOf={nameOf} />
                    {f.message}
                  </span>
                  <span className="lint-where muted">
                    <code>{f.path}</code>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {deferredNote && filter !== 'error' && (
            <p className="lint-empty muted" data-testid="lint-deferred">
              {deferredNote}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** The element a finding is about, by the names a person sees (its kind and name; else its node's name). */
function FindingPlace({ f, nameOf }: { f: Finding; nameOf: ReadonlyMap<string, string> }) {
  const place = f.where ?? (f.nodeId !== undefined ? nameOf.get(f.nodeId) ?? f.nodeId : undefined);
  return place ? <b className="lint-place">{place}: </b> : null;
}
