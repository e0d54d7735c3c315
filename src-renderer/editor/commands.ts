/**
 * Edits as commands (Excalidraw `actions/`, tldraw `HistoryManager`): each is a pure function of the design that
 * returns the next design (sharing every untouched node and edge) or a reason for refusing. The store turns the
 * difference into one undo entry; nothing here touches React or the store.
 */
import { getKind, type KindDef, type ParamValue } from '../../src-shared/catalog';
import { checkConnection, type Connection, type Design, type DesignEdge, type DesignNode } from '../../src-shared/model';
import {
  DEFAULT_KERNEL_SIZE,
  MIN_KERNEL_SIZE,
  NODE_SIZE,
  absolutePosition,
  clampIntoKernel,
  kernelAt,
  nodesById,
  sizeOf,
  type MeasuredSizes,
  type Size,
  type XY,
} from './geometry';
import { freshId, freshName, takenIds, takenNames } from './ids';

/** Which nodes and edges are selected. */
export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}

export const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

/**
 * A command's outcome: the next design (and what to select), or why it was refused. `note` tells the user what the
 * command did beyond what was asked (a deleted kernel's contents went with it), for a toast.
 */
export type CommandResult = { ok: true; design: Design; selection?: Selection; note?: string } | { ok: false; reason: string };

/** An edit: a name for the undo history and a pure `perform`. */
export interface Command {
  name: string;
  perform(design: Design): CommandResult;
}

const refuse = (reason: string): CommandResult => ({ ok: false, reason });

function replaceNode(design: Design, id: string, f: (n: DesignNode) => DesignNode): Design {
  return { ...design, nodes: design.nodes.map((n) => (n.id === id ? f(n) : n)) };
}

function findNode(design: Design, id: string): DesignNode | undefined {
  return design.nodes.find((n) => n.id === id);
}

// ---------------------------------------------------------------------------------------------------------
// Placement
// ---------------------------------------------------------------------------------------------------------

/** Why a kind cannot go where it was dropped, or where it goes: its parent kernel (if any). */
export type PlacementCheck = { ok: true; kernel?: DesignNode } | { ok: false; reason: string };

/** Where a node of `kind` dropped at `point` belongs (kernels and inter-kernel channels stay outside kernels). */
export function placementAt(design: Design, kind: KindDef, point: XY, exclude: ReadonlySet<string> = new Set()): PlacementCheck {
  const kernel = kernelAt(design, point, exclude);
  switch (kind.placement) {
    case 'root':
      if (!kernel) return { ok: true };
      return {
        ok: false,
        reason: kind.container
          ? `A kernel is one core and cannot sit inside "${kernel.name}". Drop it on empty canvas.`
          : `${kind.label} links kernels, so it lives outside them. Drop it on empty canvas between the kernels.`,
      };
    case 'kernel':
      if (kernel) return { ok: true, kernel };
      return {
        ok: false,
        reason: design.nodes.some((n) => n.kind === 'kernel')
          ? `${kind.label} runs inside a kernel. Drop it onto a kernel.`
          : `${kind.label} runs inside a kernel. Add a Kernel first (Kernels group), then drop it inside.`,
      };
    case 'either':
      return kernel ? { ok: true, kernel } : { ok: true };
  }
}

/** Adds a node of `kindId` centred on `point` (flow coordinates), inside the kernel there when it needs one. */
export function addNodeAt(kindId: string, point: XY): Command {
  return {
    name: 'Add',
    perform(design) {
      const kind = getKind(kindId);
      if (!kind) return refuse(`unknown kind "${kindId}"`);
      const place = placementAt(design, kind, point);
      if (!place.ok) return place;
      const size: Size = kind.container ? DEFAULT_KERNEL_SIZE : NODE_SIZE;
      const id = freshId(takenIds(design), kind.kind);
      const name = freshName(takenNames(design), kind.label, true);
      let position: XY = { x: Math.round(point.x - size.width / 2), y: Math.round(point.y - (kind.container ? 20 : size.height / 2)) };
      const node: DesignNode = { id, kind: kind.kind, name, position, params: {} };
      if (kind.container) node.size = { ...DEFAULT_KERNEL_SIZE };
      if (place.kernel) {
        const kpos = absolutePosition(nodesById(design), place.kernel);
        position = clampIntoKernel({ x: position.x - kpos.x, y: position.y - kpos.y }, size, sizeOf(place.kernel));
        node.position = position;
        node.parent = place.kernel.id;
      }
      return { ok: true, design: { ...design, nodes: [...design.nodes, node] }, selection: { nodes: [id], edges: [] } };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Delete, move, resize
// ---------------------------------------------------------------------------------------------------------

/** The ids plus every node inside a kernel among them. */
export function withDescendants(design: Design, ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of design.nodes) {
      if (n.parent && out.has(n.parent) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}

/** A count with its noun (`1 card`, `2 cards`). */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A list of phrases joined with commas and a final "and". */
function joinAnd(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
}

/**
 * Removes every node reference (a fault's target, any `nodeRef` parameter of the catalog) to a node in `gone`, so
 * the parameter shows "choose" again instead of naming a node that is not there. Returns the nodes and what each lost.
 */
function clearReferences(nodes: readonly DesignNode[], gone: ReadonlySet<string>): { nodes: DesignNode[]; cleared: { node: DesignNode; label: string }[] } {
  const cleared: { node: DesignNode; label: string }[] = [];
  const out = nodes.map((n) => {
    const kind = getKind(n.kind);
    let params: DesignNode['params'] | undefined;
    for (const def of kind?.params ?? []) {
      const v = n.params[def.key];
      if (def.type !== 'nodeRef' || typeof v !== 'string' || !gone.has(v)) continue;
      params ??= { ...n.params };
      delete params[def.key];
      cleared.push({ node: n, label: def.label });
    }
    return params ? { ...n, params } : n;
  });
  return { nodes: out, cleared };
}

/** The sentence saying what a deletion took with it beyond the selection, or undefined when nothing did. */
function deletionNote(design: Design, asked: ReadonlySet<string>, gone: ReadonlySet<string>, extraEdges: number, cleared: readonly { node: DesignNode; label: string }[]): string | undefined {
  const kernels = design.nodes.filter((n) => asked.has(n.id) && n.kind === 'kernel');
  const inside = [...gone].filter((id) => !asked.has(id)).length;
  const sentences: string[] = [];
  if (inside > 0) {
    const what = kernels.length === 1 ? `kernel “${kernels[0]!.name}”` : plural(kernels.length, 'kernel');
    sentences.push(`Deleted ${what} with ${joinAnd([plural(inside, 'card'), ...(extraEdges > 0 ? [plural(extraEdges, 'connection')] : [])])}`);
  }
  if (cleared.length === 1) sentences.push(`“${cleared[0]!.node.name}” now has no ${cleared[0]!.label.toLowerCase()}: choose one`);
  else if (cleared.length > 1) sentences.push(`${plural(new Set(cleared.map((c) => c.node.id)).size, 'card')} lost the node they named: choose again`);
  if (sentences.length === 0) return undefined;
  if (inside === 0) sentences.unshift(`Deleted ${asked.size === 1 ? `“${design.nodes.find((n) => asked.has(n.id))?.name ?? ''}”` : plural(asked.size, 'card')}`);
  return sentences.join('; ');
}

/**
 * Deletes nodes (with what a deleted kernel contains), their edges and the given edges, and clears references to
 * the deleted nodes in the nodes that stay (one undo entry restores all of it).
 */
export function deleteElements(nodeIds: readonly string[], edgeIds: readonly string[]): Command {
  return {
    name: 'Delete',
    perform(design) {
      const asked = new Set(nodeIds.filter((id) => findNode(design, id)));
      const gone = withDescendants(design, asked);
      const goneEdges = new Set(edgeIds);
      const { nodes, cleared } = clearReferences(
        design.nodes.filter((n) => !gone.has(n.id)),
        gone,
      );
      const edges = design.edges.filter((e) => !goneEdges.has(e.id) && !gone.has(e.source) && !gone.has(e.target));
      const extraEdges = design.edges.length - edges.length - design.edges.filter((e) => goneEdges.has(e.id)).length;
      const note = deletionNote(design, asked, gone, extraEdges, cleared);
      return { ok: true, design: { ...design, nodes, edges }, selection: EMPTY_SELECTION, ...(note ? { note } : {}) };
    },
  };
}

/** Sets positions (relative to each node's parent), e.g. when React Flow reports a move. */
export function setPositions(design: Design, positions: ReadonlyMap<string, XY>): Design {
  if (positions.size === 0) return design;
  return {
    ...design,
    nodes: design.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

/** Moves nodes to the given positions (one undo entry). */
export function moveNodes(positions: ReadonlyMap<string, XY>): Command {
  return { name: 'Move', perform: (design) => ({ ok: true, design: setPositions(design, positions) }) };
}

/** Sets a kernel's size (and position, when resized from its top or left edge). */
export function setKernelBox(design: Design, id: string, size: Size, position?: XY): Design {
  return replaceNode(design, id, (n) => ({
    ...n,
    size: { width: Math.max(MIN_KERNEL_SIZE.width, Math.round(size.width)), height: Math.max(MIN_KERNEL_SIZE.height, Math.round(size.height)) },
    position: position ? { x: position.x, y: position.y } : n.position,
  }));
}

/** Resizes a kernel (one undo entry). */
export function resizeKernel(id: string, size: Size, position?: XY): Command {
  return {
    name: 'Resize',
    perform(design) {
      const n = findNode(design, id);
      if (!n || n.kind !== 'kernel') return refuse('only kernels can be resized');
      return { ok: true, design: setKernelBox(design, id, size, position) };
    },
  };
}

/**
 * Settles a drag of `movedIds` (positions already applied): a node dropped into another kernel moves into it
 * (its position made relative to the new kernel), provided each of its connections stays legal; a node that
 * needs a kernel and was dropped outside every kernel is refused, as is a connection the move would break.
 */
export function settleMove(design: Design, movedIds: readonly string[], measured: MeasuredSizes = {}): CommandResult {
  const byId = nodesById(design);
  const moved = new Set(movedIds);
  const changes: { node: DesignNode; parent: DesignNode | undefined }[] = [];
  for (const id of movedIds) {
    const node = byId.get(id);
    if (!node) continue;
    const kind = getKind(node.kind);
    if (!kind || kind.container) continue; // kernels may be moved anywhere (even overlapping)
    if (node.parent && moved.has(node.parent)) continue; // moves with its kernel
    const abs = absolutePosition(byId, node);
    const size = sizeOf(node, measured);
    const center = { x: abs.x + size.width / 2, y: abs.y + size.height / 2 };
    const place = placementAt(design, kind, center, new Set([node.id]));
    if (!place.ok) return refuse(kind.placement === 'kernel' ? `"${node.name}" cannot leave its kernel: ${place.reason}` : place.reason);
    if (kind.placement === 'root') continue;
    if ((place.kernel?.id ?? undefined) !== node.parent) changes.push({ node, parent: place.kernel });
  }
  if (changes.length === 0) return { ok: true, design };
  const replaced = new Map<string, DesignNode>();
  for (const { node, parent } of changes) {
    const abs = absolutePosition(byId, node);
    const next: DesignNode = { ...node };
    if (parent) {
      const kpos = absolutePosition(byId, parent);
      next.parent = parent.id;
      next.position = { x: Math.round(abs.x - kpos.x), y: Math.round(abs.y - kpos.y) };
    } else {
      delete next.parent;
      next.position = { x: Math.round(abs.x), y: Math.round(abs.y) };
    }
    replaced.set(node.id, next);
  }
  const next: Design = { ...design, nodes: design.nodes.map((n) => replaced.get(n.id) ?? n) };
  const nextById = nodesById(next);
  for (const { node, parent } of changes) {
    for (const edge of next.edges) {
      if (edge.source !== node.id && edge.target !== node.id) continue;
      const r = checkConnection(nextById, next.edges, edge, edge.id);
      if (!r.ok) {
        const where = parent ? `into kernel "${parent.name}"` : 'out of its kernel';
        return refuse(`Moving "${node.name}" ${where} would break a connection: ${r.reason}`);
      }
    }
  }
  return { ok: true, design: next };
}

// ---------------------------------------------------------------------------------------------------------
// Connect, rename, parameters, design settings
// ---------------------------------------------------------------------------------------------------------

/** Why a connection is refused (the catalog's sentence), or undefined when it is legal. */
export function connectionRefusal(design: Design, conn: Connection): string | undefined {
  const r = checkConnection(nodesById(design), design.edges, conn);
  return r.ok ? undefined : r.reason;
}

/** Connects an out port to an in port, if the catalog's rules allow it. */
export function connect(conn: Connection): Command {
  return {
    name: 'Connect',
    perform(design) {
      const reason = connectionRefusal(design, conn);
      if (reason) return refuse(reason);
      const edge: DesignEdge = { id: freshId(takenIds(design), 'e'), source: conn.source, sourceHandle: conn.sourceHandle, target: conn.target, targetHandle: conn.targetHandle, params: {} };
      return { ok: true, design: { ...design, edges: [...design.edges, edge] }, selection: { nodes: [], edges: [edge.id] } };
    },
  };
}

/** Text parameters that list process names, comma-separated (a service's allowlist). */
const NAME_LIST_PARAMS: ReadonlySet<string> = new Set(['allowlist']);

/**
 * Follows a process rename in the name lists that mention it. When another process still has the old name, the
 * list keeps it and gains the new one, so it admits the same processes as before.
 */
function renameInNameLists(design: Design, renamed: DesignNode, newName: string): Design {
  const oldName = renamed.name;
  if (getKind(renamed.kind)?.category !== 'process' || oldName === newName) return design;
  const oldStillUsed = design.nodes.some((n) => n.id !== renamed.id && n.name === oldName && getKind(n.kind)?.category === 'process');
  let changed = false;
  const nodes = design.nodes.map((n) => {
    let params: DesignNode['params'] | undefined;
    for (const def of getKind(n.kind)?.params ?? []) {
      const v = n.params[def.key];
      if (def.type !== 'string' || !NAME_LIST_PARAMS.has(def.key) || typeof v !== 'string') continue;
      const parts = v.split(',');
      if (!parts.some((p) => p.trim() === oldName)) continue;
      const listed = new Set(parts.map((p) => p.trim()));
      const out: string[] = [];
      for (const p of parts) {
        if (p.trim() !== oldName) out.push(p);
        else {
          if (oldStillUsed) out.push(p);
          if (!listed.has(newName)) out.push(oldStillUsed ? ` ${newName}` : p.replace(oldName, () => newName));
          listed.add(newName);
        }
      }
      params ??= { ...n.params };
      params[def.key] = out.join(',').trimStart();
    }
    if (!params) return n;
    changed = true;
    return { ...n, params };
  });
  return changed ? { ...design, nodes } : design;
}

/** Renames a node (1–120 characters, trimmed); allowlists naming it follow (one undo entry). */
export function renameNode(id: string, name: string): Command {
  return {
    name: 'Rename',
    perform(design) {
      const n = name.trim();
      if (n === '') return refuse('a name cannot be empty');
      if (n.length > 120) return refuse(`a name is at most 120 characters (this one has ${n.length})`);
      const node = findNode(design, id);
      if (!node) return refuse(`there is no node "${id}"`);
      return { ok: true, design: replaceNode(renameInNameLists(design, node, n), id, (x) => ({ ...x, name: n })) };
    },
  };
}

/** Sets a parameter explicitly (the value must already be checked, see `parseParamInput`). */
export function setParam(id: string, key: string, value: ParamValue): Command {
  return {
    name: 'Set parameter',
    perform(design) {
      const node = findNode(design, id);
      if (!node) return refuse(`there is no node "${id}"`);
      const kind = getKind(node.kind);
      if (!kind?.params.some((p) => p.key === key)) return refuse(`${kind?.label ?? node.kind} has no parameter "${key}"`);
      return { ok: true, design: replaceNode(design, id, (n) => ({ ...n, params: { ...n.params, [key]: value } })) };
    },
  };
}

/** Removes a parameter so it takes its default again (the chip preset's, for kernels). */
export function resetParam(id: string, key: string): Command {
  return {
    name: 'Reset parameter',
    perform(design) {
      const node = findNode(design, id);
      if (!node) return refuse(`there is no node "${id}"`);
      if (!(key in node.params)) return { ok: true, design };
      return {
        ok: true,
        design: replaceNode(design, id, (n) => {
          const params = { ...n.params };
          delete params[key];
          return { ...n, params };
        }),
      };
    },
  };
}

/** Changes the design's name, description or run settings. */
export function setDesignInfo(info: { name?: string; description?: string; run?: Partial<Design['run']> }): Command {
  return {
    name: 'Design settings',
    perform(design) {
      const next: Design = { ...design };
      if (info.name !== undefined) {
        const n = info.name.trim();
        if (n === '' || n.length > 200) return refuse('a design name is 1–200 characters');
        next.name = n;
      }
      if (info.description !== undefined) {
        if (info.description.trim() === '') delete next.description;
        else next.description = info.description;
      }
      if (info.run) next.run = { ...design.run, ...info.run };
      return { ok: true, design: next };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Clipboard
// ---------------------------------------------------------------------------------------------------------

/** What copy puts on the editor's own clipboard: whole nodes (kernels with their contents) and the edges among them. */
export interface ClipboardContent {
  nodes: DesignNode[];
  edges: DesignEdge[];
}

/** The clipboard content for a selection (a selected kernel brings its contents). */
export function copySelection(design: Design, selection: Selection): ClipboardContent | undefined {
  const ids = withDescendants(design, selection.nodes);
  if (ids.size === 0) return undefined;
  const nodes = design.nodes.filter((n) => ids.has(n.id));
  const edges = design.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return structuredClone({ nodes, edges });
}

/**
 * Pastes clipboard content with fresh ids and names, offset by `offset` (top-level pasted nodes; children keep
 * their place in a pasted kernel). A node whose kernel was not copied goes back into that kernel if it still
 * exists. Edges among pasted nodes are kept when still legal; fault targets among them are remapped.
 */
export function pasteContent(content: ClipboardContent, offset: XY, name = 'Paste'): Command {
  return {
    name,
    perform(design) {
      const taken = takenIds(design);
      const names = takenNames(design);
      const idMap = new Map<string, string>();
      for (const n of content.nodes) idMap.set(n.id, freshId(taken, n.kind));
      const existing = nodesById(design);
      const added: DesignNode[] = [];
      for (const src of content.nodes) {
        const node: DesignNode = structuredClone(src);
        node.id = idMap.get(src.id)!;
        node.name = freshName(names, src.name);
        const parentCopied = src.parent !== undefined && idMap.has(src.parent);
        if (parentCopied) node.parent = idMap.get(src.parent!)!;
        else {
          node.position = { x: src.position.x + offset.x, y: src.position.y + offset.y };
          if (src.parent !== undefined && !existing.has(src.parent)) {
            const kind = getKind(src.kind);
            if (kind?.placement === 'kernel') return refuse(`The kernel "${src.parent}" that "${src.name}" came from is gone; copy the kernel with it.`);
            delete node.parent;
          }
        }
        for (const [k, v] of Object.entries(node.params)) {
          const def = getKind(node.kind)?.params.find((p) => p.key === k);
          if (def?.type === 'nodeRef' && typeof v === 'string' && idMap.has(v)) node.params[k] = idMap.get(v)!;
        }
        added.push(node);
      }
      let next: Design = { ...design, nodes: [...design.nodes, ...added] };
      const byId = nodesById(next);
      const edges = [...next.edges];
      const addedEdges: string[] = [];
      for (const src of content.edges) {
        const e: DesignEdge = { ...structuredClone(src), id: freshId(taken, 'e'), source: idMap.get(src.source)!, target: idMap.get(src.target)! };
        if (checkConnection(byId, edges, e).ok) {
          edges.push(e);
          addedEdges.push(e.id);
        }
      }
      next = { ...next, edges };
      return { ok: true, design: next, selection: { nodes: added.map((n) => n.id), edges: addedEdges } };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------------------

/** Positions (relative to each node's parent) and kernel sizes computed by auto-layout. */
export interface LayoutResult {
  positions: Map<string, XY>;
  sizes: Map<string, Size>;
}

/** Applies an auto-layout result as one command. */
export function applyLayout(layout: LayoutResult): Command {
  return {
    name: 'Auto-layout',
    perform(design) {
      let next = setPositions(design, layout.positions);
      for (const [id, size] of layout.sizes) next = setKernelBox(next, id, size);
      return { ok: true, design: next };
    },
  };
}
