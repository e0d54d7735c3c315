import { useMemo, useRef } from 'react';
import { getKind } from '../../../src-shared/catalog';
import type { Design } from '../../../src-shared/model';
import { useEditor, useStudio, useUi } from '../context';
import { absolutePosition, nodesById, sizeOf } from '../geometry';
import { TEMPLATES } from '../templates';
import { Modal } from './Modal';

/** A small drawing of a design: kernels as outlines, nodes as tinted blocks, connections as lines. */
function Thumbnail({ design }: { design: Design }) {
  const shapes = useMemo(() => {
    const byId = nodesById(design);
    const boxes = design.nodes.map((n) => {
      const p = absolutePosition(byId, n);
      const s = sizeOf(n);
      return { n, x: p.x, y: p.y, w: s.width, h: s.height, cat: getKind(n.kind)?.category ?? 'process' };
    });
    const minX = Math.min(...boxes.map((b) => b.x), 0);
    const minY = Math.min(...boxes.map((b) => b.y), 0);
    const maxX = Math.max(...boxes.map((b) => b.x + b.w), 100);
    const maxY = Math.max(...boxes.map((b) => b.y + b.h), 100);
    const center = new Map(boxes.map((b) => [b.n.id, { x: b.x + b.w / 2, y: b.y + b.h / 2 }]));
    const lines = design.edges.flatMap((e) => {
      const a = center.get(e.source);
      const b = center.get(e.target);
      return a && b ? [{ id: e.id, a, b }] : [];
    });
    return { boxes, lines, vb: `${minX - 20} ${minY - 20} ${maxX - minX + 40} ${maxY - minY + 40}` };
  }, [design]);
  return (
    <svg className="thumb" viewBox={shapes.vb} preserveAspectRatio="xMidYMid meet" aria-hidden>
      {shapes.boxes
        .filter((b) => b.cat === 'kernel')
        .map((b) => (
          <rect key={b.n.id} x={b.x} y={b.y} width={b.w} height={b.h} rx={14} className="thumb-kernel" />
        ))}
      {shapes.lines.map((l) => (
        <line key={l.id} x1={l.a.x} y1={l.a.y} x2={l.b.x} y2={l.b.y} className="thumb-edge" />
      ))}
      {shapes.boxes
        .filter((b) => b.cat !== 'kernel')
        .map((b) => (
          <rect key={b.n.id} x={b.x} y={b.y} width={b.w} height={b.h} rx={10} className={`thumb-node cat-${b.cat}`} />
        ))}
    </svg>
  );
}

/** Start here: a blank canvas or one of the templates of `resources/examples`. Also File › New from template. */
export function TemplateGallery() {
  const { ui, ctl } = useStudio();
  const open = useUi((s) => s.galleryOpen);
  const hasDesign = useEditor((s) => s.design.nodes.length > 0 || s.past.length > 0);
  const recent = useUi((s) => s.recent);
  const first = useRef<HTMLButtonElement>(null);
  if (!open) return null;
  const close = (): void => ui.getState().setGalleryOpen(false);
  return (
    <Modal titleId="gallery-title" className="gallery" overlayClassName="gallery-overlay" testId="template-gallery" onClose={close} initialFocus={first}>
      <header className="dialog-head">
        <div>
          <h2 id="gallery-title">Start a design</h2>
          <p className="muted">A blank canvas, or a template for one of the Tock IPC use cases. Every template runs as shipped.</p>
        </div>
        {hasDesign && (
          <button className="icon-btn" onClick={close} aria-label="Close">
            ✕
          </button>
        )}
      </header>
      <div className="gallery-grid">
        <button ref={first} className="template-card blank" onClick={() => void ctl.newBlank()} data-template="blank">
          <div className="thumb thumb-blank">
            <span>+</span>
          </div>
          <div className="template-text">
            <h3>Blank canvas</h3>
            <p className="muted">Drag a kernel from the palette, then processes, mechanisms and peripherals into it.</p>
          </div>
        </button>
        {TEMPLATES.map((t) => (
          <button key={t.id} className="template-card" onClick={() => void ctl.newFromTemplate(t)} data-template={t.id} title={t.design.description}>
            <Thumbnail design={t.design} />
            <div className="template-text">
              <h3>{t.design.name}</h3>
              <p className="muted">{t.design.description}</p>
            </div>
          </button>
        ))}
      </div>
      <footer className="gallery-foot">
        <button className="btn" onClick={() => void ctl.open()}>
          Open a file…
        </button>
        {recent.length > 0 && <span className="muted small">Recent: {recent.slice(0, 4).map((r) => r.name).join(', ')}</span>}
      </footer>
    </Modal>
  );
}
