import { useStore, type ReactFlowState } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { createPortal } from 'react-dom';
import type { NodeOverlay } from '../../../src-shared/results/overlay';
import { MOVING_CLASS, type StudioFlowNode } from '../flow';
import { DEFAULT_KERNEL_SIZE } from '../geometry';

/**
 * The kernels' titles when the canvas is zoomed out (see lod.ts), where a kernel's own title bar is a few pixels
 * tall: the name (and its results badge) at the size of the user interface, just above the kernel's top-left
 * corner, no wider than the kernel. Ten-odd elements that follow the kernels through the canvas's nodes (so also
 * during a drag); not interactive.
 */
const selectDomNode = (s: ReactFlowState): HTMLDivElement | null => s.domNode;

export const KernelTitles = memo(function KernelTitles({ nodes, results }: { nodes: readonly StudioFlowNode[]; results: ReadonlyMap<string, NodeOverlay> | undefined }) {
  const zoom = useStore((s) => s.transform[2]);
  // React Flow's ViewportPortal looks its element up on every store update (each frame of a drag): once here.
  const domNode = useStore(selectDomNode);
  const host = useMemo(() => domNode?.querySelector('.react-flow__viewport-portal') ?? null, [domNode]);
  if (!host) return null;
  return createPortal(
    <>
      {nodes.map((n) => {
        if (n.type !== 'kernel') return null;
        const width = (n.width ?? n.data.node.size?.width ?? DEFAULT_KERNEL_SIZE.width) * zoom;
        const result = results?.get(n.id);
        return (
          <div
            key={n.id}
            className={`kernel-title${n.selected ? ' is-selected' : ''}${n.className?.includes(MOVING_CLASS) ? ` ${MOVING_CLASS}` : ''}`}
            data-testid={`kernel-title-${n.id}`}
            // Placed by its transform alone: moving it (a dragged kernel) then needs no layout.
            style={{ maxWidth: width, transform: `translate(${n.position.x}px, ${n.position.y}px) scale(${1 / zoom}) translateY(calc(-100% - 3px))` }}
          >
            <span className="kernel-title-name">{n.data.node.name}</span>
            {result && <span className={`kernel-result tone-${result.tone}`}>{result.badge}</span>}
          </div>
        );
      })}
    </>,
    host,
  );
});
