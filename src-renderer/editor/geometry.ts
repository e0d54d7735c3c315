import type { Design, DesignNode } from '../../src-shared/model';

/** A point on the canvas (flow coordinates). */
export interface XY {
  x: number;
  y: number;
}

/** A width and height in flow units. */
export interface Size {
  width: number;
  height: number;
}

/** Size of a node card before React Flow has measured it (and what auto-layout assumes). */
export const NODE_SIZE: Size = { width: 160, height: 70 };
/** A new kernel's size, and the smallest a kernel may be resized to. */
export const DEFAULT_KERNEL_SIZE: Size = { width: 520, height: 320 };
export const MIN_KERNEL_SIZE: Size = { width: 220, height: 140 };
/** Height of a kernel's title bar: children are kept below it. */
export const KERNEL_HEADER = 36;

/** Measured sizes by node id (React Flow's measurements; absent until a node has rendered once). */
export type MeasuredSizes = Readonly<Record<string, Size | undefined>>;

/** The size a node occupies: a kernel's stored size, else its measured card, else the default card. */
export function sizeOf(node: DesignNode, measured: MeasuredSizes = {}): Size {
  if (node.kind === 'kernel') return node.size ?? DEFAULT_KERNEL_SIZE;
  return measured[node.id] ?? NODE_SIZE;
}

/** Nodes by id. */
export function nodesById(design: Design): Map<string, DesignNode> {
  return new Map(design.nodes.map((n) => [n.id, n]));
}

/** The absolute canvas position of a node (its position plus its parent kernel's). */
export function absolutePosition(byId: ReadonlyMap<string, DesignNode>, node: DesignNode): XY {
  let x = node.position.x;
  let y = node.position.y;
  let parent = node.parent ? byId.get(node.parent) : undefined;
  const seen = new Set<string>([node.id]);
  while (parent && !seen.has(parent.id)) {
    seen.add(parent.id);
    x += parent.position.x;
    y += parent.position.y;
    parent = parent.parent ? byId.get(parent.parent) : undefined;
  }
  return { x, y };
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
