/**
 * React Flow's nodes and edges, derived from the canonical design (never the other way round). Node objects are
 * reused while their inputs are unchanged, so React Flow only re-renders what changed.
 */
import type { Edge, Node, NodeProps } from '@xyflow/react';
import type { Category } from '../../src-shared/catalog';
import type { Design, DesignNode } from '../../src-shared/model';
import type { Selection } from './commands';
import { DEFAULT_KERNEL_SIZE, type Size } from './geometry';
import { connectionCarrier, nodeSummary, shortKindLabel } from '../../src-shared/catalog/summary';

/** Data of a node card: the design node itself plus derived text. Plain data only (saved, diffed, undone). */
export type StudioNodeData = {
  node: DesignNode;
  summary: string;
  lint?: 'error' | 'warning';
  /** Results drawn on the canvas later (e.g. MPU regions in use / capacity). */
  badge?: string;
};

/** Data of an edge: the label of the mechanism or peripheral that carries it, and later its p99 latency. */
export type StudioEdgeData = {
  label: string;
  category: Category | 'none';
  p99Ns?: number;
};

export type StudioFlowNode = Node<StudioNodeData>;
export type StudioFlowEdge = Edge<StudioEdgeData>;

/**
 * `memo` comparison for node cards: a card draws only its data and selection, so it skips the renders React
 * Flow asks for when just its position changes (every child of a dragged kernel, every frame).
 */
export function sameCardProps(a: NodeProps<StudioFlowNode>, b: NodeProps<StudioFlowNode>): boolean {
  return a.data === b.data && a.selected === b.selected;
}

interface CacheEntry {
  key: string;
  node: DesignNode;
  flow: StudioFlowNode;
}

/** Per-canvas cache of derived nodes. */
export type FlowNodeCache = Map<string, CacheEntry>;

/**
 * The nodes React Flow draws: kernels first (a parent must precede its children), each child positioned
 * relative to its kernel. `measured` carries React Flow's own measurements back so nodes stay measured.
 */
export function toFlowNodes(
  design: Design,
  selection: Selection,
  measured: Readonly<Record<string, Size | undefined>>,
  lint: ReadonlyMap<string, 'error' | 'warning'>,
  cache: FlowNodeCache = new Map(),
): StudioFlowNode[] {
  const selected = new Set(selection.nodes);
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const names = (id: string): string | undefined => byId.get(id)?.name;
  const kernels = design.nodes.filter((n) => n.kind === 'kernel');
  const others = design.nodes.filter((n) => n.kind !== 'kernel');
  const out: StudioFlowNode[] = [];
  const seen = new Set<string>();
  for (const n of [...kernels, ...others]) {
    seen.add(n.id);
    const sel = selected.has(n.id);
    const m = measured[n.id];
    const summary = nodeSummary(n, names);
    const l = lint.get(n.id);
    const parentOk = n.parent !== undefined && byId.get(n.parent)?.kind === 'kernel';
    const key = `${sel}|${m?.width}x${m?.height}|${summary}|${l ?? ''}|${parentOk}`;
    const hit = cache.get(n.id);
    if (hit && hit.node === n && hit.key === key) {
      out.push(hit.flow);
      continue;
    }
    const flow: StudioFlowNode = {
      id: n.id,
      type: n.kind === 'kernel' ? 'kernel' : 'studio',
      position: n.position,
      data: l ? { node: n, summary, lint: l } : { node: n, summary },
      selected: sel,
    };
    if (parentOk) flow.parentId = n.parent!;
    if (n.kind === 'kernel') {
      const size = n.size ?? DEFAULT_KERNEL_SIZE;
      flow.width = size.width;
      flow.height = size.height;
      flow.className = 'kernel-flow-node';
    }
    if (m) flow.measured = { width: m.width, height: m.height };
    cache.set(n.id, { key, node: n, flow });
    out.push(flow);
  }
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
  return out;
}

interface EdgeCacheEntry {
  edge: Design['edges'][number];
  key: string;
  flow: StudioFlowEdge;
}
export type FlowEdgeCache = Map<string, EdgeCacheEntry>;

/** The edges React Flow draws, labelled with the carrying mechanism's kind. */
export function toFlowEdges(design: Design, selection: Selection, p99ByEdge: ReadonlyMap<string, number> = new Map(), cache: FlowEdgeCache = new Map()): StudioFlowEdge[] {
  const selected = new Set(selection.edges);
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const out = design.edges.map((e) => {
    seen.add(e.id);
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    const carrier = connectionCarrier(s, t);
    const label = carrier ? shortKindLabel(carrier) : '';
    const category = carrier?.category ?? 'none';
    const p99 = p99ByEdge.get(e.id);
    const sel = selected.has(e.id);
    const key = `${label}|${category}|${p99 ?? ''}|${sel}`;
    const hit = cache.get(e.id);
    if (hit && hit.edge === e && hit.key === key) return hit.flow;
    const data: StudioEdgeData = { label, category };
    if (p99 !== undefined) data.p99Ns = p99;
    const flow: StudioFlowEdge = { id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle, type: 'studio', selected: sel, data };
    cache.set(e.id, { edge: e, key, flow });
    return flow;
  });
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
  return out;
}

/** Class of the nodes that move with a drag (see `markMoving`). */
export const MOVING_CLASS = 'is-moving';

/** A drag's view of the canvas: see `markMoving`. */
export interface MovingMarks {
  /** The nodes React Flow draws (the cards a dragged kernel carries are there, hidden). */
  nodes: StudioFlowNode[];
  /** The edges React Flow keeps drawing (all but the rigid ones). */
  edges: StudioFlowEdge[];
  /** By dragged kernel: the cards it carries and the edges between them (they move without changing shape). */
  carried: Map<string, { nodes: StudioFlowNode[]; edges: StudioFlowEdge[] }>;
}

/**
 * What a drag moves, and how. The dragged nodes get `MOVING_CLASS`, which (zoomed in) gives them a compositing
 * layer of their own for the length of the drag: the browser then moves their pixels instead of painting and
 * rasterising again, each frame, the whole area they cross. A dragged kernel carries its cards and the edges between
 * them, which do not change shape: React Flow keeps the cards, hidden (it still places them, for the edges that leave
 * the kernel, but renders nothing for them) and drops the edges, and both are drawn once inside the kernel's own
 * element, which the drag moves (MovingKernel) — one moving element instead of fifty, re-rendered, restyled and
 * repainted every frame. The other objects are returned as they are (React Flow re-renders only what changed).
 */
export function markMoving(nodes: readonly StudioFlowNode[], edges: readonly StudioFlowEdge[], dragged: ReadonlySet<string>): MovingMarks {
  // The dragged kernel each card moves with. Parents precede their children (toFlowNodes).
  const carrier = new Map<string, string>();
  const carried: MovingMarks['carried'] = new Map();
  const out = nodes.map((n) => {
    if (dragged.has(n.id)) return { ...n, className: n.className ? `${n.className} ${MOVING_CLASS}` : MOVING_CLASS };
    const k = n.parentId;
    if (k === undefined || !dragged.has(k)) return n;
    carrier.set(n.id, k);
    let c = carried.get(k);
    if (!c) carried.set(k, (c = { nodes: [], edges: [] }));
    c.nodes.push(n);
    return { ...n, hidden: true };
  });
  if (!carried.size) return { nodes: out, edges: edges as StudioFlowEdge[], carried };
  const kept: StudioFlowEdge[] = [];
  for (const e of edges) {
    const k = carrier.get(e.source);
    if (k !== undefined && k === carrier.get(e.target)) carried.get(k)!.edges.push(e);
    else kept.push(e);
  }
  return { nodes: out, edges: kept, carried };
}
