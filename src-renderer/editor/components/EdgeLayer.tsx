import { Position, useStore, useStoreApi, type InternalNode, type ReactFlowState } from '@xyflow/react';
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { EdgeOverlay } from '../../../src-shared/results/overlay';
import type { StudioFlowEdge, StudioFlowNode } from '../flow';
import { EDGE_GROUPS, EdgePaths, type EdgeEnds, type EdgeGroup } from '../lod';

/** Where a port's edge attaches, as React Flow computes it (the middle of the port's outer side). */
function portEnd(node: InternalNode<StudioFlowNode> | undefined, type: 'source' | 'target', id: string | null | undefined): { x: number; y: number; position: Position } | undefined {
  const bounds = node?.internals.handleBounds?.[type];
  const h = id ? bounds?.find((b) => b.id === id) : bounds?.[0];
  if (!node || !h) return undefined;
  const x = node.internals.positionAbsolute.x + h.x;
  const y = node.internals.positionAbsolute.y + h.y;
  switch (h.position) {
    case Position.Left:
      return { x, y: y + h.height / 2, position: h.position };
    case Position.Right:
      return { x: x + h.width, y: y + h.height / 2, position: h.position };
    case Position.Top:
      return { x: x + h.width / 2, y, position: h.position };
    default:
      return { x: x + h.width / 2, y: y + h.height, position: Position.Bottom };
  }
}

/** An edge's ends on the canvas from React Flow's internal nodes (undefined until both are measured). */
export function endsOf(lookup: ReactFlowState<StudioFlowNode>['nodeLookup'], e: StudioFlowEdge): EdgeEnds | undefined {
  const s = portEnd(lookup.get(e.source), 'source', e.sourceHandle);
  const t = portEnd(lookup.get(e.target), 'target', e.targetHandle);
  if (!s || !t) return undefined;
  return { sourceX: s.x, sourceY: s.y, targetX: t.x, targetY: t.y, sourcePosition: s.position, targetPosition: t.position };
}

const selectDomNode = (s: ReactFlowState): HTMLDivElement | null => s.domNode;

/**
 * Every edge in a few SVG paths (one per group, see EdgePaths), for the zoomed-out canvas (see lod.ts): no React
 * component, store subscription, marker or label per edge. It listens to React Flow's store itself and sets the
 * paths' `d` when the nodes move; during a drag only the paths of the edges that move are rewritten. Drawn where
 * React Flow draws its edges' labels (between the kernels and the cards), and not interactive (zoomed out, an edge
 * is selected from the inspector or the problems list, or by zooming in).
 */
export const EdgeLayer = memo(function EdgeLayer({ edges, results }: { edges: readonly StudioFlowEdge[]; results: ReadonlyMap<string, EdgeOverlay> | undefined }) {
  const store = useStoreApi<StudioFlowNode, StudioFlowEdge>();
  const domNode = useStore(selectDomNode);
  const host = useMemo(() => domNode?.querySelector('.react-flow__edgelabel-renderer') ?? null, [domNode]);
  const fixedRefs = useRef<Partial<Record<EdgeGroup, SVGPathElement | null>>>({});
  const movingRefs = useRef<Partial<Record<EdgeGroup, SVGPathElement | null>>>({});

  useLayoutEffect(() => {
    if (!host) return;
    const groups: EdgeGroup[] = edges.map((e) => (e.selected ? 'selected' : (results?.get(e.id)?.lost ?? 0) > 0 ? 'lost' : 'plain'));
    const paths = new EdgePaths();
    const written = new Map<SVGPathElement, string>();
    const write = (el: SVGPathElement | null | undefined, d: string): void => {
      if (!el || written.get(el) === d) return;
      written.set(el, d);
      el.setAttribute('d', d);
    };
    // Ends are recomputed only for edges whose source or target changed: React Flow replaces an internal node
    // object when its position, size or ports change, and keeps it otherwise.
    const n = edges.length;
    const lastSource: unknown[] = new Array(n);
    const lastTarget: unknown[] = new Array(n);
    const ends = new Array<EdgeEnds | undefined>(n).fill(undefined);
    let lastDragging: boolean | undefined;
    const draw = (s: ReactFlowState<StudioFlowNode, StudioFlowEdge>): void => {
      // Every store update calls this (a drag: once per frame, and pans and zooms), so it returns early when no
      // edge moved.
      let changed = false;
      for (let i = 0; i < n; i++) {
        const e = edges[i]!;
        const src = s.nodeLookup.get(e.source);
        const tgt = s.nodeLookup.get(e.target);
        if (src === lastSource[i] && tgt === lastTarget[i]) continue;
        lastSource[i] = src;
        lastTarget[i] = tgt;
        const next = endsOf(s.nodeLookup, e);
        const prev = ends[i];
        if (!next || !prev || next.sourceX !== prev.sourceX || next.sourceY !== prev.sourceY || next.targetX !== prev.targetX || next.targetY !== prev.targetY || next.sourcePosition !== prev.sourcePosition || next.targetPosition !== prev.targetPosition) {
          if (next || prev) changed = true;
          ends[i] = next;
        }
      }
      const dragging = s.nodes.some((node) => node.dragging);
      if (!changed && dragging === lastDragging) return;
      lastDragging = dragging;
      paths.update(
        ends.map((x, i) => ({ ends: x, group: groups[i]! })),
        dragging,
      );
      for (const g of EDGE_GROUPS) {
        write(fixedRefs.current[g], paths.fixed[g]);
        write(movingRefs.current[g], paths.moving[g]);
      }
    };
    draw(store.getState());
    return store.subscribe(draw);
  }, [store, host, edges, results]);

  if (!host) return null;
  // Two SVG elements, not one: changing a path's `d` repaints the whole of its SVG element.
  return createPortal(
    <>
      {(['fixed', 'moving'] as const).map((part) => (
        <svg key={part} className="edge-layer" width={1} height={1} aria-hidden="true" data-testid={`edge-layer-${part}`}>
          {EDGE_GROUPS.map((g) => (
            <path key={g} className={`edge-layer-${g}`} ref={(el) => void ((part === 'fixed' ? fixedRefs : movingRefs).current[g] = el)} />
          ))}
        </svg>
      ))}
    </>,
    host,
  );
});
