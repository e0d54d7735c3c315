// Where things are on the canvas, in flow coordinates: what the editor lays out and the exporters draw the same
// way. Pure (no DOM): the renderer's editor/geometry.ts adds measured sizes and hit tests on top.
import type { Design, DesignNode } from './design';

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
/** A new kernel's size (and the size of a kernel whose file has none). */
export const DEFAULT_KERNEL_SIZE: Size = { width: 520, height: 320 };
/** Height of a kernel's title bar: children are kept below it. */
export const KERNEL_HEADER = 36;

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
