import { useMemo, useRef, useState, type RefObject } from 'react';
import { getKind } from '../../../src-shared/catalog';
import type { Design, Finding } from '../../../src-shared/model';
import { useEditor, useStudio, useUi } from '../context';
import { draftAge, draftTitle, type Draft, type DraftKeeper } from '../drafts';
import { downloadBlob, fileNameFor } from '../files';
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

/** A draft offered back, and what became of it in this gallery. */
interface Offer {
  draft: Draft;
  state: 'offered' | 'busy' | 'discarded' | 'gone' | 'invalid';
  findings?: Finding[];
}

/**
 * Unsaved designs of earlier sessions (a reload, a closed tab, a crash): restore one as an unsaved document, or
 * discard it (with an undo while the gallery is open). A draft whose design no longer validates is reported here.
 */
function DraftOffers({ keeper, offers, setOffers, now, firstRestore }: { keeper: DraftKeeper; offers: Offer[]; setOffers: (f: (o: Offer[]) => Offer[]) => void; now: number; firstRestore: RefObject<HTMLButtonElement | null> }) {
  const set = (id: string, patch: Partial<Offer>): void => setOffers((os) => os.map((o) => (o.draft.id === id ? { ...o, ...patch } : o)));
  const restore = async (d: Draft): Promise<void> => {
    set(d.id, { state: 'busy' });
    const r = await keeper.restore(d.id);
    if (r.ok) return; // the gallery closes
    if (r.reason === 'invalid') set(d.id, { state: 'invalid', findings: r.findings });
    else set(d.id, { state: r.reason === 'gone' ? 'gone' : 'offered' });
  };
  const discard = (d: Draft): void => {
    keeper.discard(d.id);
    set(d.id, { state: 'discarded' });
  };
  const undoDiscard = (d: Draft): void => {
    set(d.id, { state: keeper.putBack(d) ? 'offered' : 'gone' });
  };
  const firstOffered = offers.find((o) => o.state === 'offered' || o.state === 'busy')?.draft.id;
  return (
    <section aria-labelledby="drafts-title" data-testid="draft-offers" className="draft-offers">
      <h3 id="drafts-title">
        Unsaved work from an earlier session
      </h3>
      {offers.map(({ draft: d, state, findings }) => {
        const title = draftTitle(d);
        const age = draftAge(d.savedAt, now);
        if (state === 'invalid') {
          const shown = (findings ?? []).slice(0, 3);
          return (
            <div key={d.id} className="draft-row is-invalid" role="alert" data-testid="draft-invalid">
              <b>The unsaved design “{title}” could not be restored</b> and was removed from the recovery drafts: {findings?.length ?? 0} problem{findings?.length === 1 ? '' : 's'} in the draft.
              <ul className="muted small">
                {shown.map((f, i) => (
                  <li key={i}>
                    <code>{f.path}</code> {f.message}
                  </li>
                ))}
              </ul>
              <div className="btn-row">
                {/* The only copy of that work may be this text: it can still be kept as a file and mended by hand. */}
                <button className="btn small" onClick={() => downloadBlob(new Blob([d.text], { type: 'application/json' }), fileNameFor(`${title} unsaved draft`))}>
                  Download the draft as a file
                </button>
              </div>
            </div>
          );
        }
        if (state === 'discarded' || state === 'gone') {
          return (
            <div key={d.id} className="draft-row is-gone" data-testid="draft-discarded">
              <span className="muted draft-text">
                {state === 'gone' ? `“${title}” is no longer kept here (restored or discarded in another window).` : `Discarded the unsaved design “${title}”.`}
              </span>
              {state === 'discarded' && (
                <button className="btn" onClick={() => undoDiscard(d)} aria-label={`Undo: keep the unsaved design “${title}”`}>
                  Undo
                </button>
              )}
            </div>
          );
        }
        return (
          <div key={d.id} className="draft-row" data-testid="draft-offer">
            <div className="draft-text">
              <div className="draft-title">
                Restore unsaved design <b>“{title}”</b> <span className="muted">(edited {age})</span>
              </div>
              <div className="muted small">{d.fileName ? `Changes to ${d.fileName} that were not saved.` : 'Never saved to a file.'} Kept in this browser after a reload, a closed window or a crash.</div>
            </div>
            <button className="btn" disabled={state === 'busy'} onClick={() => discard(d)} aria-label={`Discard unsaved design “${title}”`}>
              Discard
            </button>
            <button ref={d.id === firstOffered ? firstRestore : undefined} className="btn primary" disabled={state === 'busy'} onClick={() => void restore(d)} aria-label={`Restore unsaved design “${title}” (edited ${age})`}>
              Restore
            </button>
          </div>
        );
      })}
    </section>
  );
}

function Gallery({ drafts }: { drafts: DraftKeeper | null }) {
  const { ui, ctl } = useStudio();
  const hasDesign = useEditor((s) => s.design.nodes.length > 0 || s.past.length > 0);
  const recent = useUi((s) => s.recent);
  const first = useRef<HTMLButtonElement>(null);
  const firstRestore = useRef<HTMLButtonElement>(null);
  // Read when the gallery opens: the drafts of other sessions, as they are now.
  const [offers, setOffers] = useState<Offer[]>(() => (drafts ? drafts.offers().map((draft) => ({ draft, state: 'offered' as const })) : []));
  const [openedAt] = useState(() => Date.now());
  const close = (): void => ui.getState().setGalleryOpen(false);
  const offering = offers.some((o) => o.state === 'offered');
  return (
    <Modal titleId="gallery-title" className="gallery" overlayClassName="gallery-overlay" testId="template-gallery" onClose={close} initialFocus={offering ? firstRestore : first}>
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
      {drafts && offers.length > 0 && <DraftOffers keeper={drafts} offers={offers} setOffers={setOffers} now={openedAt} firstRestore={firstRestore} />}
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

/**
 * Start here: unsaved work of an earlier session (when a recovery draft is kept), a blank canvas, or one of the
 * templates of `resources/examples`. Also File › New from template.
 */
export function TemplateGallery({ drafts = null }: { drafts?: DraftKeeper | null }) {
  const open = useUi((s) => s.galleryOpen);
  if (!open) return null;
  return <Gallery drafts={drafts} />;
}
