import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { defaultFor, effectiveParams, getKind, isParamVisible, type KindDef, type NodeRefParam, type NumberParam, type ParamDef } from '../../../src-shared/catalog';
import { MAX_DURATION_NS } from '../../../src-shared/catalog/params';
import { MAX_SEED, deriveFlows, type Design, type DesignEdge, type DesignNode } from '../../../src-shared/model';
import { deleteSelected } from '../actions';
import { renameNode, resetParam, setDesignInfo, setParam, type Command } from '../commands';
import { useEditor, useStudio } from '../context';
import { paramFieldKey } from '../ui';
import { designHistoryKey, useFieldDraft, ValueField } from './ValueField';

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="insp-section">
      <h3>
        <span>{title}</span>
        {aside}
      </h3>
      {children}
    </section>
  );
}

/**
 * A text field committed on Enter or blur (names, descriptions). It shows the design's text unless something was
 * typed since (see `useFieldDraft`); there, undo and redo are the design's.
 */
function TextField({ id, label, value, onCommit, multiline, validate }: { id: string; label: string; value: string; onCommit(v: string): void; multiline?: boolean; validate?(v: string): string | undefined }) {
  const studio = useStudio();
  const { draft, setDraft } = useFieldDraft(value, value);
  const error = draft !== null && validate ? validate(draft) : undefined;
  const commit = (): void => {
    if (draft === null || error) return;
    setDraft(null);
    if (draft !== value) onCommit(draft);
  };
  const common = {
    id,
    value: draft ?? value,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onBlur: commit,
    onKeyDown: (e: KeyboardEvent) => {
      if (draft === null && designHistoryKey(e, studio)) return;
      if (e.key === 'Enter' && !multiline) {
        e.preventDefault();
        commit();
      } else if (e.key === 'Escape') {
        e.stopPropagation();
        setDraft(null);
      }
    },
    'aria-invalid': !!error,
  };
  return (
    <div className="field">
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
      </div>
      <div className={`text-input${error ? ' is-invalid' : ''}`}>{multiline ? <textarea rows={3} {...common} /> : <input type="text" spellCheck={false} {...common} />}</div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function refCandidates(design: Design, def: NodeRefParam, self: DesignNode): { id: string; label: string }[] {
  return design.nodes
    .filter((n) => n.id !== self.id)
    .filter((n) => {
      const k = getKind(n.kind);
      return !!k && (def.refKinds.includes(k.kind) || def.refKinds.includes(k.category));
    })
    .map((n) => ({ id: n.id, label: `${n.name} (${getKind(n.kind)?.label ?? n.kind})` }));
}

function NodeInspector({ node }: { node: DesignNode }) {
  const { editor, ui } = useStudio();
  const design = useEditor((s) => s.design);
  const focus = useEditor((s) => s.focus);
  const kind = getKind(node.kind);
  const panel = useRef<HTMLDivElement>(null);
  const [flashKey, setFlashKey] = useState<string | undefined>();

  useEffect(() => {
    if (!focus || focus.nodeId !== node.id) return;
    const el = focus.paramKey ? panel.current?.querySelector<HTMLElement>(`#param-${CSS.escape(focus.paramKey)}`) : panel.current?.querySelector<HTMLElement>('#node-name');
    if (el) {
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
    }
    setFlashKey(focus.paramKey);
    const t = setTimeout(() => setFlashKey(undefined), 1400);
    return () => clearTimeout(t);
  }, [focus, node.id]);

  if (!kind) return <p className="muted">Unknown kind “{node.kind}”.</p>;
  const eff = effectiveParams(kind, node.params);
  const parent = node.parent ? design.nodes.find((n) => n.id === node.parent) : undefined;
  const run = (cmd: Command): void => {
    const r = editor.getState().execute(cmd);
    if (!r.ok) ui.getState().toast(r.reason, { tone: 'error' });
  };
  const visible = kind.params.filter((p) => isParamVisible(p, eff));
  const hidden = kind.params.length - visible.length;
  const edges = design.edges.filter((e) => e.source === node.id || e.target === node.id);
  return (
    <div ref={panel} className="inspector-body" key={node.id}>
      <header className="insp-title">
        <span className={`kind-icon large cat-${kind.category}`}>{kind.icon}</span>
        <div>
          <div className="insp-kind">{kind.label}</div>
          <div className="insp-id muted" title="Id in the design file">
            {node.id}
            {parent && <> · in kernel “{parent.name}”</>}
          </div>
        </div>
      </header>
      <p className="insp-desc muted">{kind.description}</p>
      <TextField id="node-name" label="Name" value={node.name} onCommit={(v) => run(renameNode(node.id, v))} validate={(v) => (v.trim() === '' ? 'A name cannot be empty' : v.trim().length > 120 ? 'At most 120 characters' : undefined)} />
      <Section title="Parameters" aside={hidden > 0 ? <span className="muted small">{hidden} hidden by the current choices</span> : undefined}>
        {kind.kind === 'kernel' && <p className="muted small">Defaults follow the chip preset; values you set stay when the chip changes.</p>}
        {visible.length === 0 && <p className="muted small">This kind has no parameters.</p>}
        {visible.map((def) => (
          <ParamRow key={`${node.id}:${def.key}`} node={node} kind={kind} def={def} value={eff[def.key]} design={design} flash={flashKey === def.key} onRun={run} />
        ))}
      </Section>
      {edges.length > 0 && (
        <Section title={`Connections (${edges.length})`}>
          <ul className="conn-list">
            {edges.map((e) => (
              <ConnectionItem key={e.id} edge={e} self={node} design={design} />
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}

function ParamRow({ node, kind, def, value, design, flash, onRun }: { node: DesignNode; kind: KindDef; def: ParamDef; value: DesignNode['params'][string] | undefined; design: Design; flash: boolean; onRun(cmd: Command): void }) {
  const isSet = node.params[def.key] !== undefined;
  const fallback = def.required ? undefined : defaultFor(kind, def, node.params);
  return (
    <ValueField
      def={def}
      value={def.required && !isSet ? undefined : value}
      {...(fallback ? { fallback } : {})}
      isSet={isSet}
      inputId={`param-${def.key}`}
      owner={node.name}
      unappliedKey={paramFieldKey(node.id, def.key)}
      onCommit={(v) => onRun(setParam(node.id, def.key, v))}
      {...(def.required ? {} : { onReset: () => onRun(resetParam(node.id, def.key)) })}
      {...(def.type === 'nodeRef' ? { candidates: refCandidates(design, def, node) } : {})}
      flash={flash}
    />
  );
}

function ConnectionItem({ edge, self, design }: { edge: DesignEdge; self: DesignNode; design: Design }) {
  const { editor } = useStudio();
  const otherId = edge.source === self.id ? edge.target : edge.source;
  const other = design.nodes.find((n) => n.id === otherId);
  const outgoing = edge.source === self.id;
  return (
    <li>
      <button className="link" onClick={() => editor.getState().setSelection({ nodes: [], edges: [edge.id] })} title="Select this connection">
        {outgoing ? '→' : '←'} {other?.name ?? otherId}
      </button>
      <span className="muted small"> {other ? getKind(other.kind)?.label : ''}</span>
    </li>
  );
}

function portLabel(node: DesignNode | undefined, portId: string): string {
  const k = node ? getKind(node.kind) : undefined;
  return k?.ports.find((p) => p.id === portId)?.label ?? portId;
}

function EdgeInspector({ edge }: { edge: DesignEdge }) {
  const studio = useStudio();
  const { editor } = studio;
  const design = useEditor((s) => s.design);
  const s = design.nodes.find((n) => n.id === edge.source);
  const t = design.nodes.find((n) => n.id === edge.target);
  const sk = s ? getKind(s.kind) : undefined;
  const carrier = sk && sk.category !== 'process' ? s : t;
  const ck = carrier ? getKind(carrier.kind) : undefined;
  const flows = useMemo(() => deriveFlows(design).filter((f) => (f.source === edge.source || f.via === edge.source) && (f.target === edge.target || f.via === edge.target)), [design, edge]);
  const select = (id: string): void => editor.getState().setSelection({ nodes: [id], edges: [] });
  return (
    <div className="inspector-body">
      <header className="insp-title">
        <span className={`kind-icon large cat-${ck?.category ?? 'mechanism'}`}>{ck?.icon ?? '→'}</span>
        <div>
          <div className="insp-kind">Connection</div>
          <div className="insp-id muted">{edge.id}</div>
        </div>
      </header>
      <dl className="kv">
        <dt>Source</dt>
        <dd>
          <button className="link" onClick={() => select(edge.source)}>
            {s?.name ?? edge.source}
          </button>{' '}
          <span className="muted">· {portLabel(s, edge.sourceHandle)} ({edge.sourceHandle})</span>
        </dd>
        <dt>Target</dt>
        <dd>
          <button className="link" onClick={() => select(edge.target)}>
            {t?.name ?? edge.target}
          </button>{' '}
          <span className="muted">· {portLabel(t, edge.targetHandle)} ({edge.targetHandle})</span>
        </dd>
        <dt>Mechanism</dt>
        <dd>
          {carrier && ck ? (
            <>
              <button className="link" onClick={() => select(carrier.id)}>
                {carrier.name}
              </button>{' '}
              <span className="muted">· {ck.label}</span>
            </>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      {flows.length > 0 && (
        <Section title={`Flows through it (${flows.length})`}>
          <ul className="flow-list">
            {flows.map((f) => (
              <li key={f.id} title={f.id}>
                {f.name}
              </li>
            ))}
          </ul>
        </Section>
      )}
      <button className="btn danger" onClick={() => deleteSelected(studio)}>
        Delete connection
      </button>
    </div>
  );
}

const RUN_DEFS: Record<'durationNs' | 'warmupNs' | 'seed', NumberParam> = {
  durationNs: { key: 'durationNs', label: 'Simulated duration', type: 'number', unit: 'ns', default: 1_000_000_000, min: 1_000, max: MAX_DURATION_NS, source: { tag: 'E', ref: 'designer’s choice' }, description: 'How long the simulation runs (simulated time).' },
  warmupNs: { key: 'warmupNs', label: 'Warm-up', type: 'number', unit: 'ns', default: 0, min: 0, max: MAX_DURATION_NS, source: { tag: 'E', ref: 'designer’s choice' }, description: 'Samples before this time are not kept.' },
  seed: { key: 'seed', label: 'Seed', type: 'integer', unit: '', default: 1, min: 0, max: MAX_SEED, source: { tag: 'E', ref: 'designer’s choice' }, description: 'Same design and seed give the same results.' },
};

function DesignInspector() {
  const { editor, ui } = useStudio();
  const design = useEditor((s) => s.design);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const n of design.nodes) {
      const cat = getKind(n.kind)?.category ?? 'other';
      c[cat] = (c[cat] ?? 0) + 1;
    }
    return c;
  }, [design.nodes]);
  const flows = useMemo(() => deriveFlows(design).length, [design]);
  const run = (cmd: Command): void => {
    const r = editor.getState().execute(cmd);
    if (!r.ok) ui.getState().toast(r.reason, { tone: 'error' });
  };
  return (
    <div className="inspector-body">
      <header className="insp-title">
        <span className="kind-icon large cat-design">D</span>
        <div>
          <div className="insp-kind">Design</div>
          <div className="insp-id muted">Nothing selected</div>
        </div>
      </header>
      <TextField id="design-name" label="Name" value={design.name} onCommit={(v) => run(setDesignInfo({ name: v }))} validate={(v) => (v.trim() === '' ? 'A design needs a name' : v.length > 200 ? 'At most 200 characters' : undefined)} />
      <TextField id="design-description" label="Description" multiline value={design.description ?? ''} onCommit={(v) => run(setDesignInfo({ description: v }))} />
      <Section title="Run settings">
        {(['durationNs', 'warmupNs', 'seed'] as const).map((k) => (
          <ValueField
            key={k}
            def={RUN_DEFS[k]}
            value={design.run[k]}
            isSet={false}
            inputId={`run-${k}`}
            owner="Run settings"
            unappliedKey={`run\u0000${k}`}
            onCommit={(v) => run(setDesignInfo({ run: { [k]: v as number } }))}
          />
        ))}
      </Section>
      <Section title="Contents">
        <dl className="kv compact">
          <dt>Kernels</dt>
          <dd>{counts.kernel ?? 0}</dd>
          <dt>Processes &amp; services</dt>
          <dd>{counts.process ?? 0}</dd>
          <dt>Mechanisms &amp; patterns</dt>
          <dd>{(counts.mechanism ?? 0) + (counts.pattern ?? 0)}</dd>
          <dt>Peripherals</dt>
          <dd>{counts.peripheral ?? 0}</dd>
          <dt>Faults</dt>
          <dd>{counts.fault ?? 0}</dd>
          <dt>Connections</dt>
          <dd>{design.edges.length}</dd>
          <dt>Flows</dt>
          <dd>{flows}</dd>
        </dl>
      </Section>
      <p className="muted small">Select a node or connection to edit it. Drag from the palette to add.</p>
    </div>
  );
}

function MultiInspector({ nodes, edges }: { nodes: number; edges: number }) {
  const studio = useStudio();
  const { editor } = studio;
  return (
    <div className="inspector-body">
      <header className="insp-title">
        <span className="kind-icon large cat-design">{nodes + edges}</span>
        <div>
          <div className="insp-kind">Multiple selection</div>
          <div className="insp-id muted">
            {nodes} node{nodes === 1 ? '' : 's'}, {edges} connection{edges === 1 ? '' : 's'}
          </div>
        </div>
      </header>
      <div className="btn-row">
        <button className="btn" onClick={() => editor.getState().duplicate()} disabled={nodes === 0}>
          Duplicate
        </button>
        <button className="btn danger" onClick={() => deleteSelected(studio)}>
          Delete
        </button>
      </div>
    </div>
  );
}

/** The right panel: the selected node's name and typed parameters, a connection, or the design itself. */
export function Inspector() {
  const sel = useEditor(useShallow((s) => s.selection));
  const node = useEditor((s) => (sel.nodes.length === 1 && sel.edges.length === 0 ? s.design.nodes.find((n) => n.id === sel.nodes[0]) : undefined));
  const edge = useEditor((s) => (sel.edges.length === 1 && sel.nodes.length === 0 ? s.design.edges.find((e) => e.id === sel.edges[0]) : undefined));
  let body;
  if (node) body = <NodeInspector key={node.id} node={node} />;
  else if (edge) body = <EdgeInspector key={edge.id} edge={edge} />;
  else if (sel.nodes.length + sel.edges.length > 1) body = <MultiInspector nodes={sel.nodes.length} edges={sel.edges.length} />;
  else body = <DesignInspector />;
  return (
    <aside className="inspector" aria-label="Inspector">
      {body}
    </aside>
  );
}
