// A pure structural diff of two designs, for "what changed between these runs" (compare view, CLI `runs
// compare`). Nodes and edges are matched by id: a renamed id shows as one removal plus one addition. Canvas
// layout (positions, sizes) and editor state (`ui`) are not part of the model and are ignored unless asked for.
import type { Design, DesignEdge, DesignNode } from './design';

/** One changed scalar field (`name`, `parent`, `run.seed`, `position`…). `before`/`after` undefined = absent. */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** One parameter that was added, removed or changed on a node or an edge. */
export interface ParamChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** A node as listed in a diff. */
export interface NodeRef {
  id: string;
  kind: string;
  name: string;
}

/** A node present in both designs with at least one field or parameter change. */
export interface NodeDiff extends NodeRef {
  fields: FieldChange[];
  params: ParamChange[];
}

/** An edge as listed in a diff. */
export interface EdgeRef {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** An edge present in both designs with at least one field or parameter change. */
export interface EdgeDiff extends EdgeRef {
  fields: FieldChange[];
  params: ParamChange[];
}

/**
 * The difference from design `a` to design `b`. Invariant: `identical` ⇔ every list is empty. Lists follow
 * document order (removed: order in `a`; added and changed: order in `b`), so the result is deterministic.
 */
export interface DesignDiff {
  identical: boolean;
  /** Design-level fields: `name`, `description`, `run.durationNs`, `run.seed`, `run.warmupNs`. */
  design: FieldChange[];
  nodes: { added: NodeRef[]; removed: NodeRef[]; changed: NodeDiff[] };
  edges: { added: EdgeRef[]; removed: EdgeRef[]; changed: EdgeDiff[] };
  counts: {
    nodesAdded: number;
    nodesRemoved: number;
    nodesChanged: number;
    edgesAdded: number;
    edgesRemoved: number;
    edgesChanged: number;
    /** Parameter changes over all changed nodes and edges. */
    paramsChanged: number;
  };
  /**
   * Whether a node's position or size differs, listed or not (`DiffOptions.layout`): "identical, layout only" is
   * then said as such. Absent in diffs from versions before it was computed.
   */
  layoutChanged?: boolean;
}

/** The paths of `DesignDiff.design` that are run settings (seed, simulated duration, warm-up), not the model. */
export const RUN_SETTING_PATHS: readonly string[] = ['run.seed', 'run.durationNs', 'run.warmupNs'];

/**
 * A diff split into the run settings that changed and the rest (`model`, with `identical` for the rest only): runs
 * of one design with another seed or duration have the same model but not the same settings, and say so apart.
 */
export function splitRunSettings(d: DesignDiff): { settings: FieldChange[]; model: DesignDiff } {
  const settings = d.design.filter((f) => RUN_SETTING_PATHS.includes(f.path));
  const design = d.design.filter((f) => !RUN_SETTING_PATHS.includes(f.path));
  return { settings, model: { ...d, design, identical: design.length === 0 && Object.values(d.counts).every((v) => v === 0) } };
}

/** Options of `diffDesigns`. */
export interface DiffOptions {
  /** Also report node `position` and `size` changes (default false: moving a box is not a design change). */
  layout?: boolean;
}

/** Structural equality of JSON-like values (key order of objects does not matter). */
export function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x === 'number' && typeof y === 'number') return Number.isNaN(x) && Number.isNaN(y);
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const xk = Object.keys(xo).filter((k) => xo[k] !== undefined);
  const yk = Object.keys(yo).filter((k) => yo[k] !== undefined);
  return xk.length === yk.length && xk.every((k) => Object.prototype.hasOwnProperty.call(yo, k) && sameValue(xo[k], yo[k]));
}

function field(out: FieldChange[], path: string, before: unknown, after: unknown): void {
  if (!sameValue(before, after)) out.push({ path, before, after });
}

function diffParams(a: Record<string, unknown>, b: Record<string, unknown>): ParamChange[] {
  const out: ParamChange[] = [];
  for (const key of Object.keys(a)) {
    if (!Object.prototype.hasOwnProperty.call(b, key) || b[key] === undefined) {
      if (a[key] !== undefined) out.push({ key, change: 'removed', before: a[key] });
    } else if (!sameValue(a[key], b[key])) out.push({ key, change: 'changed', before: a[key], after: b[key] });
  }
  for (const key of Object.keys(b)) {
    if (b[key] !== undefined && (!Object.prototype.hasOwnProperty.call(a, key) || a[key] === undefined)) out.push({ key, change: 'added', after: b[key] });
  }
  return out;
}

const nodeRef = (n: DesignNode): NodeRef => ({ id: n.id, kind: n.kind, name: n.name });
const edgeRef = (e: DesignEdge): EdgeRef => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle });

/** The difference from `a` to `b` (see `DesignDiff`). Pure: no I/O, inputs untouched. */
export function diffDesigns(a: Design, b: Design, opts: DiffOptions = {}): DesignDiff {
  const design: FieldChange[] = [];
  field(design, 'name', a.name, b.name);
  field(design, 'description', a.description, b.description);
  field(design, 'run.durationNs', a.run?.durationNs, b.run?.durationNs);
  field(design, 'run.seed', a.run?.seed, b.run?.seed);
  field(design, 'run.warmupNs', a.run?.warmupNs, b.run?.warmupNs);

  const aNodes = new Map(a.nodes.map((n) => [n.id, n]));
  const bNodes = new Map(b.nodes.map((n) => [n.id, n]));
  const nodes: DesignDiff['nodes'] = { added: [], removed: [], changed: [] };
  let layoutChanged = false;
  for (const n of a.nodes) if (!bNodes.has(n.id)) nodes.removed.push(nodeRef(n));
  for (const nb of b.nodes) {
    const na = aNodes.get(nb.id);
    if (!na) {
      nodes.added.push(nodeRef(nb));
      continue;
    }
    if (!sameValue(na.position, nb.position) || !sameValue(na.size, nb.size)) layoutChanged = true;
    const fields: FieldChange[] = [];
    field(fields, 'kind', na.kind, nb.kind);
    field(fields, 'name', na.name, nb.name);
    field(fields, 'parent', na.parent, nb.parent);
    if (opts.layout) {
      field(fields, 'position', na.position, nb.position);
      field(fields, 'size', na.size, nb.size);
    }
    const params = diffParams(na.params ?? {}, nb.params ?? {});
    if (fields.length || params.length) nodes.changed.push({ ...nodeRef(nb), fields, params });
  }

  const aEdges = new Map(a.edges.map((e) => [e.id, e]));
  const bEdges = new Map(b.edges.map((e) => [e.id, e]));
  const edges: DesignDiff['edges'] = { added: [], removed: [], changed: [] };
  for (const e of a.edges) if (!bEdges.has(e.id)) edges.removed.push(edgeRef(e));
  for (const eb of b.edges) {
    const ea = aEdges.get(eb.id);
    if (!ea) {
      edges.added.push(edgeRef(eb));
      continue;
    }
    const fields: FieldChange[] = [];
    field(fields, 'source', ea.source, eb.source);
    field(fields, 'sourceHandle', ea.sourceHandle, eb.sourceHandle);
    field(fields, 'target', ea.target, eb.target);
    field(fields, 'targetHandle', ea.targetHandle, eb.targetHandle);
    const params = diffParams(ea.params ?? {}, eb.params ?? {});
    if (fields.length || params.length) edges.changed.push({ ...edgeRef(eb), fields, params });
  }

  const counts: DesignDiff['counts'] = {
    nodesAdded: nodes.added.length,
    nodesRemoved: nodes.removed.length,
    nodesChanged: nodes.changed.length,
    edgesAdded: edges.added.length,
    edgesRemoved: edges.removed.length,
    edgesChanged: edges.changed.length,
    paramsChanged: nodes.changed.reduce((s, n) => s + n.params.length, 0) + edges.changed.reduce((s, e) => s + e.params.length, 0),
  };
  const identical = design.length === 0 && Object.entries(counts).every(([, v]) => v === 0);
  return { identical, design, nodes, edges, counts, layoutChanged };
}

/** One line per change, for the CLI and reports: `~ node p1 (process) params.periodNs: 5000000 → 2000000`. */
export function formatDesignDiff(d: DesignDiff): string[] {
  const v = (x: unknown): string => (x === undefined ? '∅' : JSON.stringify(x));
  const lines: string[] = [];
  for (const f of d.design) lines.push(`~ design ${f.path}: ${v(f.before)} → ${v(f.after)}`);
  for (const n of d.nodes.removed) lines.push(`- node ${n.id} (${n.kind}) "${n.name}"`);
  for (const n of d.nodes.added) lines.push(`+ node ${n.id} (${n.kind}) "${n.name}"`);
  for (const n of d.nodes.changed) {
    for (const f of n.fields) lines.push(`~ node ${n.id} (${n.kind}) ${f.path}: ${v(f.before)} → ${v(f.after)}`);
    for (const p of n.params) lines.push(`${p.change === 'added' ? '+' : p.change === 'removed' ? '-' : '~'} node ${n.id} (${n.kind}) params.${p.key}: ${v(p.before)} → ${v(p.after)}`);
  }
  for (const e of d.edges.removed) lines.push(`- edge ${e.id} ${e.source} → ${e.target}`);
  for (const e of d.edges.added) lines.push(`+ edge ${e.id} ${e.source} → ${e.target}`);
  for (const e of d.edges.changed) {
    for (const f of e.fields) lines.push(`~ edge ${e.id} ${f.path}: ${v(f.before)} → ${v(f.after)}`);
    for (const p of e.params) lines.push(`${p.change === 'added' ? '+' : p.change === 'removed' ? '-' : '~'} edge ${e.id} params.${p.key}: ${v(p.before)} → ${v(p.after)}`);
  }
  return lines;
}
