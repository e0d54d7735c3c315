import { useReactFlow } from '@xyflow/react';
import { useMemo, useState, type DragEvent } from 'react';
import type { KindDef } from '../../../src-shared/catalog';
import { useStudio } from '../context';
import { nodesById } from '../geometry';
import { PALETTE_MIME, filterPalette } from '../palette';
import { nodeBox, quickAdd } from '../placement';

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

  /**
   * Double-click / Enter: add into the selected kernel (or the first one) — kernels and channels on open canvas —
   * in the free space nearest the middle of the view, clear of the cards and connections already there; then
   * bring it into view if it landed outside.
   */
  const addQuickly = (kind: KindDef): void => {
    const st = editor.getState();
    const r = document.querySelector('.canvas')?.getBoundingClientRect();
    const visible = r && r.width > 0 && r.height > 0 ? r : undefined;
    const centre = flow.screenToFlowPosition({ x: visible ? visible.left + visible.width / 2 : 400, y: visible ? visible.top + visible.height / 2 : 300 });
    const res = st.execute(quickAdd(kind.kind, centre, st.selection.nodes, st.measured));
    if (!res.ok) {
      ui.getState().toast(res.reason, { tone: 'error' });
      return;
    }
    const added = res.selection?.nodes[0];
    const n = added ? res.design.nodes.find((x) => x.id === added) : undefined;
    if (!n || !visible) return;
    const box = nodeBox(nodesById(res.design), n, st.measured);
    const tl = flow.screenToFlowPosition({ x: visible.left, y: visible.top });
    const br = flow.screenToFlowPosition({ x: visible.right, y: visible.bottom });
    if (box.x < tl.x || box.y < tl.y || box.x + box.width > br.x || box.y + box.height > br.y) {
      void flow.setCenter(box.x + box.width / 2, box.y + box.height / 2, { zoom: flow.getZoom(), duration: 250 });
    }
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
