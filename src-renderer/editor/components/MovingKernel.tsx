import { useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { createPortal } from 'react-dom';
import type { EdgeOverlay } from '../../../src-shared/results/overlay';
import type { MovingMarks, StudioFlowEdge, StudioFlowNode } from '../flow';
import { EDGE_GROUPS, edgePathD, LodContext, type EdgeGroup } from '../lod';
import { endsOf } from './EdgeLayer';
import { EdgeDrawing, type EdgeDrawingProps } from './StudioEdge';
import { StudioCard } from './StudioNode';

/** The arrow at the end of an edge, as React Flow draws the canvas's default marker (Canvas.tsx). */
const MARKER_ID = 'moving-kernel-arrow';

type DrawnEdge = Omit<EdgeDrawingProps, 'result' | 'interactionWidth' | 'markerEnd'> & { id: string };

interface Carried {
  kernel: string;
  host: Element;
  /** The kernel's position when the drag started: what is carried is drawn relative to it. */
  x: number;
  y: number;
  nodes: readonly StudioFlowNode[];
  edges: DrawnEdge[];
}

/** One path of a kernel's edges of kind `k` (see EdgeLayer). */
function plainPath(edges: readonly DrawnEdge[], k: EdgeGroup, results: ReadonlyMap<string, EdgeOverlay> | undefined): string {
  let d = '';
  for (const e of edges) if ((e.selected ? 'selected' : (results?.get(e.id)?.lost ?? 0) > 0 ? 'lost' : 'plain') === k) d += edgePathD(e);
  return d;
}

const selectDomNode = (s: ReactFlowState): HTMLDivElement | null => s.domNode;

/**
 * The cards of a dragged kernel and the edges between them, for the length of the drag (see markMoving in
 * flow.ts): drawn once, where they are, inside the kernel's own element (React Flow's node wrapper), which the drag
 * moves with a transform — so they move with it at no cost per frame (no React render, style, layout or paint;
 * zoomed in, the kernel is a compositing layer and nothing is rasterised either), where React Flow would re-render,
 * restyle and repaint each of them every frame. They look as React Flow draws them (the edges above the kernel,
 * the cards above the edges), and are not interactive. `plain` (zoomed out): the edges as the edge layer draws them,
 * a few paths without arrows or labels.
 */
export const MovingKernel = memo(function MovingKernel({ carried, results, plain }: { carried: MovingMarks['carried']; results: ReadonlyMap<string, EdgeOverlay> | undefined; plain: boolean }) {
  const store = useStoreApi<StudioFlowNode, StudioFlowEdge>();
  const domNode = useStore(selectDomNode);
  // Where everything is when the drag starts, relative to the kernel (React Flow's store may not have taken this
  // frame's move yet, but the kernel and what it carries move together: what is relative to it does not change).
  const drawn = useMemo(() => {
    const s = store.getState();
    const out: Carried[] = [];
    for (const [kernel, c] of carried) {
      const k = s.nodeLookup.get(kernel);
      const host = domNode?.querySelector(`.react-flow__node[data-id="${typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(kernel) : kernel}"]`);
      if (!k || !host) continue;
      const edges: DrawnEdge[] = [];
      for (const e of c.edges) {
        const ends = endsOf(s.nodeLookup, e);
        if (ends) edges.push({ id: e.id, ...ends, data: e.data, selected: e.selected });
      }
      out.push({ kernel, host, x: k.internals.positionAbsolute.x, y: k.internals.positionAbsolute.y, nodes: c.nodes, edges });
    }
    return out;
  }, [store, domNode, carried]);

  return (
    <>
      {drawn.map((c, i) =>
        createPortal(
          <>
            <svg className={plain ? 'moving-edges edge-layer' : 'moving-edges'} width={1} height={1} aria-hidden="true" style={{ transform: `translate(${-c.x}px, ${-c.y}px)` }}>
              {plain ? (
                EDGE_GROUPS.map((k) => <path key={k} className={`edge-layer-${k}`} d={plainPath(c.edges, k, results)} />)
              ) : (
                <>
                  <defs>
                    <marker id={`${MARKER_ID}-${i}`} className="react-flow__arrowhead" markerWidth="14" markerHeight="14" viewBox="-10 -10 20 20" markerUnits="strokeWidth" orient="auto-start-reverse" refX="0" refY="0">
                      <polyline className="arrowclosed" style={{ strokeWidth: 1, stroke: 'var(--edge-color)', fill: 'var(--edge-color)' }} strokeLinecap="round" strokeLinejoin="round" points="-5,-4 0,0 -5,4 -5,-4" />
                    </marker>
                  </defs>
                  {c.edges.map(({ id, ...e }) => (
                    <g key={id} className={`moving-edge${e.selected ? ' selected' : ''}`}>
                      <EdgeDrawing {...e} markerEnd={`url('#${MARKER_ID}-${i}')`} result={results?.get(id)} interactionWidth={0} />
                    </g>
                  ))}
                </>
              )}
            </svg>
            {/* The cards: their positions are relative to the kernel already. Ports without React Flow's Handle. */}
            <LodContext.Provider value={true}>
              {c.nodes.map((n) => (
                <div key={n.id} className="carried-node" data-carried={n.id} style={{ transform: `translate(${n.position.x}px, ${n.position.y}px)` }}>
                  <StudioCard data={n.data} selected={!!n.selected} />
                </div>
              ))}
            </LodContext.Provider>
          </>,
          c.host,
          c.kernel,
        ),
      )}
    </>
  );
});
