import type { Design, DesignNode } from '../../src-shared/model';

export { absolutePosition, DEFAULT_KERNEL_SIZE, KERNEL_HEADER, NODE_SIZE, nodesById, type Size, type XY } from '../../src-shared/model/geometry';
import { absolutePosition, DEFAULT_KERNEL_SIZE, KERNEL_HEADER, NODE_SIZE, nodesById, type Size, type XY } from '../../src-shared/model/geometry';

/** The smallest a kernel may be resized to. */
export const MIN_KERNEL_SIZE: Size = { width: 220, height: 140 };

/** Measured sizes by node id (React Flow's measurements; absent until a node has rendered once). */
export type MeasuredSizes = Readonly<Record<string, Size | undefined>>;

/** The size a node occupies: a kernel's stored size, else its measured card, else the default card. */
export function sizeOf(node: DesignNode, measured: MeasuredSizes = {}): Size {
  if (node.kind === 'kernel') return node.size ?? DEFAULT_KERNEL_SIZE;
  return measured[node.id] ?? NODE_SIZE;
}

/** Whether `p` lies inside the rectangle at `pos` of `size`. */
export function contains(pos: XY, size: Size, p: XY): boolean {
  return p.x >= pos.x && p.x <= pos.x + size.width && p.y >= pos.y && p.y <= pos.y + size.height;
}

/**
 * The kernel whose area contains `point` (the one drawn on top when kernels overlap, i.e. the last in the file),
 * skipping the ids in `exclude`.
 */
export function kernelAt(design: Design, point: XY, exclude: ReadonlySet<string> = new Set()): DesignNode | undefined {
  const byId = nodesById(design);
  for (let i = design.nodes.length - 1; i >= 0; i--) {
    const n = design.nodes[i]!;
    if (n.kind !== 'kernel' || exclude.has(n.id)) continue;
    if (contains(absolutePosition(byId, n), sizeOf(n), point)) return n;
  }
  return undefined;
}

/** Clamps a child's relative position so its card stays inside its kernel, below the title bar. */
export function clampIntoKernel(pos: XY, child: Size, kernel: Size): XY {
  const maxX = Math.max(8, kernel.width - child.width - 8);
  const maxY = Math.max(KERNEL_HEADER + 4, kernel.height - child.height - 8);
  return { x: Math.round(Math.min(Math.max(pos.x, 8), maxX)), y: Math.round(Math.min(Math.max(pos.y, KERNEL_HEADER + 4), maxY)) };
}
