import { useEffect, useMemo, useRef, useState } from 'react';
import { getKind } from '../../../src-shared/catalog';
import { displayValue, formatRange } from '../../../src-shared/catalog/paramField';
import { shortKindLabel } from '../../../src-shared/catalog/summary';
import { MAX_SWEEP_POINTS, parseSweepList, sameKindNodes, sweepableParams, sweepRange, type SweepField, type SweepValues } from '../../../src-shared/model/sweep';
import { formatDuration } from '../../../src-shared/util/units';
import { Segmented } from '../../results/parts';
import { useEditor, useStudio, useSweep } from '../context';
import { paramFieldKey } from '../ui';
import { Modal } from './Modal';

/** Parameters a sweep most often varies, tried first as the dialog's suggestion. */
const SUGGESTED = ['payloadBytes', 'periodNs', 'capacity', 'serviceTimeNs', 'ratePerSec'];

/**
 * Run ▸ Sweep a parameter…: choose a node (the selected one by default) and one of its numeric parameters, on that
 * node only or on every node of its kind, and the values (a typed list or a range, checked against the
 * parameter's range as the inspector checks a value); each value becomes a recorded run.
 */
export function SweepDialog() {
  const studio = useStudio();
  const design = useEditor((s) => s.design);
  const selected = useEditor((s) => s.selection.nodes[0]);
  const candidates = useMemo(() => design.nodes.filter((n) => sweepableParams(n).length > 0 && n.kind !== 'kernel'), [design]);
  // Reopened after a sweep of this design: start from that sweep (its node, parameter and values).
  const last = useSweep((s) => (s.sweep && s.sweep.designName === design.name && design.nodes.some((n) => n.id === s.sweep!.target.nodeIds[0]) ? s.sweep : null));
  const initial = candidates.find((n) => n.id === (last ? last.target.nodeIds[0] : selected)) ?? candidates[0];
  const [nodeId, setNodeId] = useState(initial?.id ?? '');
  const node = design.nodes.find((n) => n.id === nodeId) ?? initial;
  const params = node ? sweepableParams(node) : [];
  const suggested = (last && nodeId === last.target.nodeIds[0] ? params.find((p) => p.key === last.target.param) : undefined) ?? SUGGESTED.map((k) => params.find((p) => p.key === k)).find((p) => p !== undefined) ?? params[0];
  const [paramKey, setParamKey] = useState(suggested?.key ?? '');
  const def = params.find((p) => p.key === paramKey) ?? suggested;
  const siblings = node ? sameKindNodes(design, node) : [];
  const [all, setAll] = useState(last ? last.target.nodeIds.length > 1 : siblings.length > 1);
  const [mode, setMode] = useState<'range' | 'list'>(last ? 'list' : 'range');
  const current = def && node ? Number(node.params[def.key] ?? def.default) : 0;
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [steps, setSteps] = useState('5');
  const [log, setLog] = useState(true);
  const [list, setList] = useState('');
  const first = useRef<HTMLSelectElement>(null);
  // A new parameter: suggest its current value up to ten times it (within its range).
  const reuse = useRef(last !== null);
  useEffect(() => {
    if (!def) return;
    if (reuse.current && last && last.target.param === def.key) {
      // The last sweep's values, once, as a list to edit.
      reuse.current = false;
      setList(last.points.map((p) => displayValue(def, p.value)).join(', '));
      return;
    }
    reuse.current = false;
    const lo = current > 0 ? current : Math.max(def.min, 1);
    const hi = Math.min(def.max, lo * 10);
    setFrom(displayValue(def, lo));
    setTo(displayValue(def, hi > lo ? hi : def.max));
    setList([lo, lo * 2, lo * 4, lo * 8].filter((v) => v <= def.max).map((v) => displayValue(def, v)).join(', '));
    setLog(lo > 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [def?.key, nodeId]);

  const values: SweepValues = !def ? { ok: false, error: 'this node has no numeric parameter' } : mode === 'list' ? parseSweepList(def, list) : sweepRange(def, from, to, Number(steps), log);
  const close = (): void => studio.ui.getState().setDialog(null);
  // The input an error is about is marked invalid and described by the error sentence.
  const bad = values.ok ? undefined : values.field;
  const invalid = (f: SweepField) => (bad === f ? { 'aria-invalid': true, 'aria-describedby': 'sweep-error', className: 'invalid' } : {});
  const start = (): void => {
    if (!values.ok || !def || !node) return;
    const targets = all ? siblings.map((n) => n.id) : [node.id];
    // A value typed but refused elsewhere (the top bar's duration or seed, a parameter) is not in the design the
    // sweep would run: refuse, as Run does, rather than sweep the previous value. The swept parameter's own field
    // is the exception: every run of the sweep sets that value, so what the field holds does not matter.
    const swept = new Set(targets.map((id) => paramFieldKey(id, def.key)));
    const pending = Object.entries(studio.ui.getState().unapplied).filter(([key]) => !swept.has(key));
    if (pending.length > 0) {
      studio.ui.getState().toast(`Can’t sweep: ${pending[0]![1]}. Fix the value, or press Esc in the field to restore the applied one.`, { tone: 'error', ms: 9000 });
      return;
    }
    close();
    void studio.sweep.getState().start({ design, target: { param: def.key, nodeIds: targets }, def, values: values.values, seed: design.run.seed, durationNs: design.run.durationNs });
  };

  if (!node || !def) {
    return (
      <Modal titleId="sweep-title" className="small" testId="sweep-dialog" onClose={close}>
        <h2 id="sweep-title">Sweep a parameter</h2>
        <p>This design has nothing to sweep yet: add a process, a mechanism or a peripheral with numeric parameters.</p>
        <div className="btn-row end">
          <button className="btn primary" onClick={close}>
            OK
          </button>
        </div>
      </Modal>
    );
  }
  const kind = getKind(node.kind);
  return (
    <Modal titleId="sweep-title" className="sweep-dialog" testId="sweep-dialog" onClose={close} onSubmit={start} initialFocus={first}>
      <h2 id="sweep-title">Sweep a parameter</h2>
      <p className="muted">Each value is a recorded run of this design (seed {design.run.seed}, {formatDuration(design.run.durationNs)} each); the Sweep tab plots a metric of every run against the value.</p>
      <div className="sweep-form">
        <label>
          <span>Node</span>
          <select ref={first} value={node.id} onChange={(e) => setNodeId(e.target.value)} aria-label="Node">
            {candidates.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({shortKindLabel(getKind(n.kind)!)})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Parameter</span>
          <select value={def.key} onChange={(e) => setParamKey(e.target.value)} aria-label="Parameter">
            {params.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label} — now {displayValue(p, Number(node.params[p.key] ?? p.default))}
              </option>
            ))}
          </select>
        </label>
        <p className="muted sweep-range">Allowed: {formatRange(def)}</p>
        {siblings.length > 1 && (
          <label className="export-check">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            <span>
              Set it on {siblings.length === 2 ? 'both' : `all ${siblings.length}`} {kind ? shortKindLabel(kind) : node.kind} nodes{kind?.category === 'process' ? (design.edges.some((e) => e.source === node.id) ? ' that send' : ' that only receive') : ''}
              <small className="muted">{siblings.map((n) => n.name).join(', ')}</small>
            </span>
          </label>
        )}
        <div className="export-row">
          <span className="muted">Values</span>
          <Segmented label="How to give the values" value={mode} options={[{ value: 'range', label: 'Range' }, { value: 'list', label: 'List' }]} onChange={setMode} />
        </div>
        {mode === 'range' ? (
          <div className="sweep-range-row">
            <label>
              <span>From</span>
              <input value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From" {...invalid('from')} />
            </label>
            <label>
              <span>To</span>
              <input value={to} onChange={(e) => setTo(e.target.value)} aria-label="To" {...invalid('to')} />
            </label>
            <label>
              <span>Steps</span>
              <input value={steps} onChange={(e) => setSteps(e.target.value)} aria-label="Steps" inputMode="numeric" {...invalid('steps')} />
            </label>
            <label className="sweep-log">
              <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} {...invalid('log')} /> log spacing
            </label>
          </div>
        ) : (
          <label>
            <span>Values, separated by commas (a unit at the end applies to all)</span>
            <input value={list} onChange={(e) => setList(e.target.value)} aria-label="Values list" {...invalid('list')} />
          </label>
        )}
        <p id="sweep-error" className={values.ok ? 'sweep-preview muted' : 'sweep-preview export-error'} role={values.ok ? undefined : 'alert'} data-testid="sweep-preview">
          {values.ok ? `${values.values.length} runs: ${values.values.map((v) => displayValue(def, v)).join(', ')}${values.note ? ` (${values.note})` : ''}` : values.error}
        </p>
      </div>
      <div className="btn-row end">
        <button className="btn" onClick={close}>
          Cancel
        </button>
        <button className="btn primary" onClick={start} disabled={!values.ok} data-testid="sweep-go" title={`At most ${MAX_SWEEP_POINTS} values`}>
          {values.ok ? `Run ${values.values.length} runs` : 'Run'}
        </button>
      </div>
    </Modal>
  );
}
