import { useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { createPortal } from 'react-dom';
import type { EdgeOverlay } from '../../run/overlay';
import type { StudioFlowEdge, StudioFlowNode } from '../flow';
import { EDGE_GROUPS, edgePathD, type EdgeGroup } from '../lod';
import { endsOf } from './EdgeLayer';
import { EdgeDrawing, type EdgeDrawingProps } from './StudioEdge';

/** The arrow at the end of an edge, as React Flow draws the canvas's default marker (Canvas.tsx). */
const MARKER_ID = 'moving-edges-arrow';

interface Drawn {
  /** The dragged kernel the group moves with, and where it was when the group was drawn. */
  anchor: string;
  x: number;
  y: number;
  edges: (Omit<EdgeDrawingProps, 'result' | 'interactionWidth' | 'markerEnd'> & { id: string })[];
}

/** One path of a group's edges of kind `k` (see EdgeLayer). */
function plainPath(g: Drawn, k: EdgeGroup, results: ReadonlyMap<string, EdgeOverlay> | undefined): string {
  let d = '';
  for (const e of g.edges) if ((e.selected ? 'selected' : (results?.get(e.id)?.lost ?? 0) > 0 ? 'lost' : 'plain') === k) d += edgePathD(e);
  return d;
}

const selectDomNode = (s: ReactFlowState): HTMLDivElement | null => s.domNode;

/**
 * The edges inside a dragged kernel, for the length of the drag (see markMoving in flow.ts): drawn once, inside
 * the kernel's own element (React Flow's node wrapper), which the drag moves with a transform — so they move with
 * it at no cost per frame: no React render, layout or paint, and no rasterisation on the kernel's compositing
 * layer, where React Flow would re-render, re-lay out and repaint each of them every frame. Above the kernel,
 * below its cards (which are elements of their own, stacked above the kernel), as React Flow draws them; not
 * interactive. `plain` (zoomed out): drawn as the edge layer draws edges, a few paths without arrows or labels.
 */
export const MovingEdges = memo(function MovingEdges({ groups, results, plain }: { groups: ReadonlyMap<string, readonly StudioFlowEdge[]>; results: ReadonlyMap<string, EdgeOverlay> | undefined; plain: boolean }) {
  const store = useStoreApi<StudioFlowNode, StudioFlowEdge>();
  const domNode = useStore(selectDomNode);
  // Where everything is when the drag starts, relative to the dragged kernel (React Flow's store has not yet taken
  // this frame's move, but the kernel and its cards move together, so what is relative to it does not change).
  const drawn = useMemo(() => {
    const s = store.getState();
    const out: { group: Drawn; host: Element }[] = [];
    for (const [anchor, edges] of groups) {
      const a = s.nodeLookup.get(anchor);
      const host = domNode?.querySelector(`.react-flow__node[data-id="${typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(anchor) : anchor}"]`);
      if (!a || !host) continue;
      const group: Drawn = { anchor, x: a.internals.positionAbsolute.x, y: a.internals.positionAbsolute.y, edges: [] };
      for (const e of edges) {
        const ends = endsOf(s.nodeLookup, e);
        if (ends) group.edges.push({ id: e.id, ...ends, data: e.data, selected: e.selected });
      }
      out.push({ group, host });
    }
    return out;
  }, [store, domNode, groups]);

  return (
    <>
      {drawn.map(({ group: g, host }, i) =>
        createPortal(
          <svg key={g.anchor} className={plain ? 'moving-edges edge-layer' : 'moving-edges'} width={1} height={1} aria-hidden="true" style={{ transform: `translate(${-g.x}px, ${-g.y}px)` }}>
            {plain ? (
              EDGE_GROUPS.map((k) => <path key={k} className={`edge-layer-${k}`} d={plainPath(g, k, results)} />)
            ) : (
              <>
                <defs>
                  <marker id={`${MARKER_ID}-${i}`} className="react-flow__arrowhead" markerWidth="14" markerHeight="14" viewBox="-10 -10 20 20" markerUnits="strokeWidth" orient="auto-start-reverse" refX="0" refY="0">
                    <polyline className="arrowclosed" style={{ strokeWidth: 1, stroke: 'var(--edge-color)', fill: 'var(--edge-color)' }} strokeLinecap="round" strokeLinejoin="round" points="-5,-4 0,0 -5,4 -5,-4" />
                  </marker>
                </defs>
                {g.edges.map(({ id, ...e }) => (
                  <g key={id} className={`moving-edge${e.selected ? ' selected' : ''}`}>
                    <EdgeDrawing {...e} markerEnd={`url('#${MARKER_ID}-${i}')`} result={results?.get(id)} interactionWidth={0} />
                  </g>
                ))}
              </>
            )}
          </svg>,
          host,
          g.anchor,
        ),
      )}
    </>
  );
});
