import type { Design, DesignNode } from '../../src-shared/model';

export { absolutePosition, DEFAULT_KERNEL_SIZE, KERNEL_HEADER, NODE_SIZE, nodesById, type Size, type XY } from '../../src-shared/model/geometry';
import { absolutePosition, DEFAULT_KERNEL_SIZE, KERNEL_HEADER, NODE_SIZE, nodesById, type Size, type XY } from '../../src-shared/model/geometry';

/** The smallest a kernel may be resized to. */
export const MIN_KERNEL_SIZE: Size = { width: 220, height: 140 };
/** Space kept between a kernel's left, right and bottom edges and the cards in it. */
export const KERNEL_MARGIN = 8;
/** How far below a kernel's top edge its cards start: under its title bar, with a little space. */
export const KERNEL_TOP_MARGIN = KERNEL_HEADER + 4;

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
  const maxX = Math.max(KERNEL_MARGIN, kernel.width - child.width - KERNEL_MARGIN);
  const maxY = Math.max(KERNEL_TOP_MARGIN, kernel.height - child.height - KERNEL_MARGIN);
  return { x: Math.round(Math.min(Math.max(pos.x, KERNEL_MARGIN), maxX)), y: Math.round(Math.min(Math.max(pos.y, KERNEL_TOP_MARGIN), maxY)) };
}

/** Edges of an area, relative to a kernel's top-left corner. */
export interface KernelEdges {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The area a kernel must cover to hold its cards: the box around them with the margins `clampIntoKernel` keeps
 * (relative to the kernel's top-left corner); undefined when it holds none.
 */
export function kernelContentEdges(design: Design, kernelId: string, measured: MeasuredSizes = {}): KernelEdges | undefined {
  let edges: KernelEdges | undefined;
  for (const n of design.nodes) {
    if (n.parent !== kernelId) continue;
    const s = sizeOf(n, measured);
    const left = n.position.x - KERNEL_MARGIN;
    const top = n.position.y - KERNEL_TOP_MARGIN;
    const right = n.position.x + s.width + KERNEL_MARGIN;
    const bottom = n.position.y + s.height + KERNEL_MARGIN;
    edges = edges ? { left: Math.min(edges.left, left), top: Math.min(edges.top, top), right: Math.max(edges.right, right), bottom: Math.max(edges.bottom, bottom) } : { left, top, right, bottom };
  }
  return edges;
}
