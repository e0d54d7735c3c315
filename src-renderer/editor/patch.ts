import type { Design, DesignEdge, DesignNode } from '../../src-shared/model';

/** One entity's change: absent `before` = added, absent `after` = removed. */
export interface EntityChange<T> {
  id: string;
  before?: T;
  after?: T;
}

/** The design fields that are neither nodes nor edges. */
export type DesignMeta = Pick<Design, 'name' | 'description' | 'run' | 'ui'>;

/**
 * The difference between two designs, enough to go either way (tldraw-style diffs). Invariant: `nodes`/`edges`
 * list only entities whose content differs; `nodeOrder`/`edgeOrder` are present when membership or order changed.
 */
export interface DesignPatch {
  nodes: EntityChange<DesignNode>[];
  edges: EntityChange<DesignEdge>[];
  nodeOrder?: { before: string[]; after: string[] };
  edgeOrder?: { before: string[]; after: string[] };
  meta?: { before: DesignMeta; after: DesignMeta };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function diffList<T extends { id: string }>(a: readonly T[], b: readonly T[]): { changes: EntityChange<T>[]; order?: { before: string[]; after: string[] } } {
  const am = new Map(a.map((x) => [x.id, x]));
  const bm = new Map(b.map((x) => [x.id, x]));
  const changes: EntityChange<T>[] = [];
  for (const [id, before] of am) {
    const after = bm.get(id);
    if (!after) changes.push({ id, before });
    else if (!same(before, after)) changes.push({ id, before, after });
  }
  for (const [id, after] of bm) if (!am.has(id)) changes.push({ id, after });
  const ao = a.map((x) => x.id);
  const bo = b.map((x) => x.id);
  return sameOrder(ao, bo) ? { changes } : { changes, order: { before: ao, after: bo } };
}

function metaOf(d: Design): DesignMeta {
  const m: DesignMeta = { name: d.name, run: d.run };
  if (d.description !== undefined) m.description = d.description;
  if (d.ui !== undefined) m.ui = d.ui;
  return m;
}

/** The patch that turns `a` into `b`. Entities compare by identity first (structural sharing), then by content. */
export function diffDesign(a: Design, b: Design): DesignPatch {
  const n = diffList(a.nodes, b.nodes);
  const e = diffList(a.edges, b.edges);
  const patch: DesignPatch = { nodes: n.changes, edges: e.changes };
  if (n.order) patch.nodeOrder = n.order;
  if (e.order) patch.edgeOrder = e.order;
  const ma = metaOf(a);
  const mb = metaOf(b);
  if (!same(ma, mb)) patch.meta = { before: ma, after: mb };
  return patch;
}

/** True when the patch changes nothing. */
export function isEmptyPatch(p: DesignPatch): boolean {
  return p.nodes.length === 0 && p.edges.length === 0 && !p.nodeOrder && !p.edgeOrder && !p.meta;
}

function applyList<T extends { id: string }>(list: readonly T[], changes: readonly EntityChange<T>[], order: { before: string[]; after: string[] } | undefined, forward: boolean): T[] {
  if (changes.length === 0 && !order) return list as T[];
  const m = new Map(list.map((x) => [x.id, x]));
  for (const c of changes) {
    const v = forward ? c.after : c.before;
    if (v) m.set(c.id, v);
    else m.delete(c.id);
  }
  const ids = order ? (forward ? order.after : order.before) : list.map((x) => x.id);
  const out: T[] = [];
  for (const id of ids) {
    const v = m.get(id);
    if (v) out.push(v);
  }
  return out;
}

/** Applies a patch forwards (redo) or backwards (undo). Untouched entities keep their identity. */
export function applyPatch(d: Design, p: DesignPatch, direction: 'forward' | 'backward'): Design {
  const forward = direction === 'forward';
  const out: Design = { ...d, nodes: applyList(d.nodes, p.nodes, p.nodeOrder, forward), edges: applyList(d.edges, p.edges, p.edgeOrder, forward) };
  if (p.meta) {
    const m = forward ? p.meta.after : p.meta.before;
    out.name = m.name;
    out.run = m.run;
    if (m.description !== undefined) out.description = m.description;
    else delete out.description;
    if (m.ui !== undefined) out.ui = m.ui;
    else delete out.ui;
  }
  return out;
}
