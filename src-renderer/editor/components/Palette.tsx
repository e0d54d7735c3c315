import { useReactFlow } from '@xyflow/react';
import { useMemo, useState, type DragEvent } from 'react';
import type { KindDef } from '../../../src-shared/catalog';
import { addNodeAt } from '../commands';
import { useStudio } from '../context';
import { absolutePosition, nodesById, sizeOf, type XY } from '../geometry';
import { PALETTE_MIME, filterPalette } from '../palette';

/** The catalog, grouped by category, with a search box; drag a kind onto the canvas (or double-click to add). */
export function Palette() {
  const { editor, ui } = useStudio();
  const flow = useReactFlow();
  const [query, setQuery] = useState('');
  const groups = useMemo(() => filterPalette(query), [query]);

  const onDragStart = (e: DragEvent, kind: KindDef): void => {
    e.dataTransfer.setData(PALETTE_MIME, kind.kind);
    e.dataTransfer.setData('text/plain', kind.label);
    e.dataTransfer.effectAllowed = 'copy';
  };

  /** Double-click / Enter: add into the selected kernel (or the first one), else at the centre of the view. */
  const addQuickly = (kind: KindDef): void => {
    const st = editor.getState();
    const d = st.design;
    const byId = nodesById(d);
    const sel = st.selection.nodes.map((id) => byId.get(id)).find((n) => n?.kind === 'kernel' || n?.parent);
    const kernel = sel?.kind === 'kernel' ? sel : sel?.parent ? byId.get(sel.parent) : d.nodes.find((n) => n.kind === 'kernel');
    let point: XY;
    if (kind.placement !== 'root' && kernel) {
      const p = absolutePosition(byId, kernel);
      const size = sizeOf(kernel);
      const count = d.nodes.filter((n) => n.parent === kernel.id).length;
      point = { x: p.x + Math.min(size.width - 90, 120 + (count % 4) * 40), y: p.y + Math.min(size.height - 45, 95 + (count % 6) * 28) };
    } else if (kind.placement === 'root' && d.nodes.length) {
      // Keep new kernels and channels clear of what is already there.
      const roots = d.nodes.filter((n) => !n.parent);
      const right = Math.max(...roots.map((n) => absolutePosition(byId, n).x + sizeOf(n, st.measured).width));
      point = kind.container ? { x: right + 80 + 260, y: 20 } : { x: right + 120, y: 100 };
    } else {
      const r = document.querySelector('.canvas')?.getBoundingClientRect();
      point = flow.screenToFlowPosition({ x: r ? r.left + r.width / 2 : 400, y: r ? r.top + r.height / 2 : 300 });
    }
    const r = st.execute(addNodeAt(kind.kind, point));
    if (!r.ok) ui.getState().toast(r.reason, { tone: 'error' });
  };

  return (
    <aside className="palette" aria-label="Palette">
      <div className="palette-search">
        <input type="search" placeholder="Search the catalog…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search the catalog" />
      </div>
      <div className="palette-groups">
        {groups.length === 0 && <p className="muted palette-empty">Nothing matches “{query}”.</p>}
        {groups.map((g) => (
          <section key={g.category} className="palette-group">
            <h3>{g.label}</h3>
            <ul>
              {g.kinds.map((k) => (
                <li
                  key={k.kind}
                  className="palette-item"
                  draggable
                  tabIndex={0}
                  onDragStart={(e) => onDragStart(e, k)}
                  onDoubleClick={() => addQuickly(k)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') addQuickly(k);
                  }}
                  title={`${k.description}\n\nDrag onto the canvas${k.placement === 'kernel' ? ' (inside a kernel)' : k.placement === 'root' ? ' (outside kernels)' : ''}, or double-click to add.`}
                  data-kind={k.kind}
                >
                  <span className={`kind-icon cat-${k.category}`}>{k.icon}</span>
                  <span className="palette-label">{k.label}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <p className="palette-tip muted">Drag onto the canvas. Processes, services, mechanisms and peripherals go inside a kernel.</p>
    </aside>
  );
}
