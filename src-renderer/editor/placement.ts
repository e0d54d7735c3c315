/**
 * Where a node added from the palette without a drop point (double-click, Enter) goes: the free spot nearest the
 * middle of the view — inside the chosen kernel for kinds that live in one — that covers no other card (with its
 * ports) and no connection. A kernel with no room left grows (down or right) to make some. Pure: the palette
 * turns the result into one `Add` command. Duplicate finds room for its copies (growing their kernels) the same way.
 */
import { Position } from '@xyflow/react';
import { getKind, type KindDef } from '../../src-shared/catalog';
import type { Design, DesignNode } from '../../src-shared/model';
import { addNodeAt, pasteContent, placementAt, setKernelBox, setPositions, type ClipboardContent, type Command, type CommandResult } from './commands';
import { DEFAULT_KERNEL_SIZE, KERNEL_MARGIN, KERNEL_TOP_MARGIN, MIN_KERNEL_SIZE, NODE_SIZE, absolutePosition, kernelContentEdges, nodesById, sizeOf, type MeasuredSizes, type Size, type XY } from './geometry';
import { edgeGeometry } from './lod';

/** A rectangle in flow coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space kept free around other cards (their ports stick out of the card by half a handle). */
export const NODE_GAP = 20;
/** Space kept free around a connection (its line and its label). */
export const EDGE_GAP = 10;
/** Height of one row of ports at the bottom of a card (`.snode-port-row`). */
const PORT_ROW = 19;
/** Room taken by a connection's label (the mechanism's name) at its middle. */
const EDGE_LABEL: Size = { width: 96, height: 18 };
/** Grid of candidate positions: finer inside a kernel, where room is scarce. */
const STEP_IN_KERNEL = 10;
const STEP_ROOT = 20;
/** How far (in flow units) the search goes on open canvas before giving up. */
const ROOT_SEARCH_RADIUS = 6000;

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inflate(r: Rect, by: number): Rect {
  return { x: r.x - by, y: r.y - by, width: r.width + 2 * by, height: r.height + 2 * by };
}

/** The box a node occupies on the canvas (absolute coordinates). */
export function nodeBox(byId: ReadonlyMap<string, DesignNode>, n: DesignNode, measured: MeasuredSizes = {}): Rect {
  const p = absolutePosition(byId, n);
  const s = sizeOf(n, measured);
  return { x: p.x, y: p.y, width: s.width, height: s.height };
}

/** The height of a port's row centre on a card (ports sit in rows at the bottom of the card). */
function portY(box: Rect, node: DesignNode, handle: string, direction: 'in' | 'out'): number {
  const kind = getKind(node.kind);
  if (!kind || kind.container) return box.y + box.height / 2;
  const ins = kind.ports.filter((p) => p.direction === 'in');
  const outs = kind.ports.filter((p) => p.direction === 'out');
  const rows = Math.max(ins.length, outs.length, 1);
  const i = Math.max(0, (direction === 'in' ? ins : outs).findIndex((p) => p.id === handle));
  return box.y + box.height - PORT_ROW * (rows - i) + PORT_ROW / 2;
}

/**
 * Points along an SVG path of M, L, Q and C commands with absolute coordinates (what `edgeGeometry` draws),
 * curves sampled finely enough that boxes between successive points cover the line.
 */
export function pathPoints(d: string): XY[] {
  const out: XY[] = [];
  const re = /([MLQC])([^MLQC]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d))) {
    const nums = (m[2]!.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) ?? []).map(Number);
    const prev = out[out.length - 1] ?? { x: 0, y: 0 };
    const at = (i: number): XY => ({ x: nums[2 * i]!, y: nums[2 * i + 1]! });
    if (m[1] === 'M' || m[1] === 'L') {
      for (let i = 0; 2 * i + 1 < nums.length; i++) out.push(at(i));
    } else if (m[1] === 'Q' && nums.length >= 4) {
      const c = at(0);
      const e = at(1);
      for (let k = 1; k <= 4; k++) {
        const t = k / 4;
        const u = 1 - t;
        out.push({ x: u * u * prev.x + 2 * u * t * c.x + t * t * e.x, y: u * u * prev.y + 2 * u * t * c.y + t * t * e.y });
      }
    } else if (m[1] === 'C' && nums.length >= 6) {
      const c1 = at(0);
      const c2 = at(1);
      const e = at(2);
      for (let k = 1; k <= 16; k++) {
        const t = k / 16;
        const u = 1 - t;
        const a = u * u * u;
        const b = 3 * u * u * t;
        const c = 3 * u * t * t;
        const w = t * t * t;
        out.push({ x: a * prev.x + b * c1.x + c * c2.x + w * e.x, y: a * prev.y + b * c1.y + c * c2.y + w * e.y });
      }
    }
  }
  return out;
}

/**
 * What a new card must keep clear of: every other card (kernels too, when `withKernels`) and the band each
 * connection is drawn along (from the source's out port to the target's in port, as the canvas draws it) with its label.
 */
export function obstacles(design: Design, measured: MeasuredSizes, withKernels: boolean): Rect[] {
  const byId = nodesById(design);
  const out: Rect[] = [];
  const boxes = new Map<string, Rect>();
  for (const n of design.nodes) {
    const box = nodeBox(byId, n, measured);
    boxes.set(n.id, box);
    if (n.kind === 'kernel' && !withKernels) continue;
    out.push(inflate(box, NODE_GAP));
  }
  for (const e of design.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    const sb = boxes.get(e.source);
    const tb = boxes.get(e.target);
    if (!s || !t || !sb || !tb) continue;
    const [d, labelX, labelY] = edgeGeometry({
      sourceX: sb.x + sb.width,
      sourceY: portY(sb, s, e.sourceHandle, 'out'),
      targetX: tb.x,
      targetY: portY(tb, t, e.targetHandle, 'in'),
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
    });
    const pts = pathPoints(d);
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      out.push(inflate({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) }, EDGE_GAP));
    }
    out.push(inflate({ x: labelX - EDGE_LABEL.width / 2, y: labelY - EDGE_LABEL.height / 2, ...EDGE_LABEL }, EDGE_GAP / 2));
  }
  return out;
}

/** The size a new card of `kind` will take: a kernel's default size, else as big as the largest measured card of its kind. */
export function newCardSize(design: Design, kind: KindDef, measured: MeasuredSizes): Size {
  if (kind.container) return { ...DEFAULT_KERNEL_SIZE };
  const size: Size = { ...NODE_SIZE };
  for (const n of design.nodes) {
    const m = n.kind === kind.kind ? measured[n.id] : undefined;
    if (!m) continue;
    size.width = Math.max(size.width, Math.ceil(m.width));
    size.height = Math.max(size.height, Math.ceil(m.height));
  }
  return size;
}

function isFree(r: Rect, blocked: readonly Rect[]): boolean {
  return !blocked.some((b) => overlaps(r, b));
}

/** Allowed values of a point searched for: each coordinate between its min and max (inclusive). */
interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * The point nearest `want` on a grid of `step` anchored at `want`, within `bounds` (unbounded when absent) and
 * `radius`, at which `fits` holds; undefined when there is none.
 */
function nearestFit(want: XY, step: number, bounds: Bounds | undefined, radius: number, fits: (p: XY) => boolean): XY | undefined {
  const inBounds = (p: XY): boolean => !bounds || (p.x >= bounds.minX && p.x <= bounds.maxX && p.y >= bounds.minY && p.y <= bounds.maxY);
  const rings = Math.ceil(radius / step);
  let best: XY | undefined;
  let bestD = Infinity;
  for (let r = 0; r <= rings; r++) {
    if (best && (r - 1) * step > bestD) break; // every point of this ring and beyond is farther
    for (let i = -r; i <= r; i++) {
      for (let j = -r; j <= r; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== r) continue;
        const p = { x: want.x + i * step, y: want.y + j * step };
        const d = Math.hypot(p.x - want.x, p.y - want.y);
        if (d >= bestD || !inBounds(p)) continue;
        if (fits(p)) {
          best = p;
          bestD = d;
        }
      }
    }
  }
  return best;
}

/**
 * The free top-left corner nearest `want` for a box of `size`, on a grid of `step` anchored at `want`, within
 * `bounds` (top-left corners allowed; unbounded when absent), or undefined when there is none within `radius`.
 */
export function nearestFree(want: XY, size: Size, blocked: readonly Rect[], opts: { step: number; bounds?: Bounds; radius?: number }): XY | undefined {
  const { step, bounds } = opts;
  // Only what reaches into the area searched can block a spot in it.
  if (bounds) {
    const area = { x: bounds.minX, y: bounds.minY, width: bounds.maxX - bounds.minX + size.width, height: bounds.maxY - bounds.minY + size.height };
    blocked = blocked.filter((b) => overlaps(area, b));
  }
  const radius = opts.radius ?? (bounds ? Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) + step : ROOT_SEARCH_RADIUS);
  return nearestFit(want, step, bounds, radius, (p) => isFree({ x: p.x, y: p.y, width: size.width, height: size.height }, blocked));
}

/** Where a quick add puts the node: its top-left corner, and the kernel's new size when it had to grow. */
export interface QuickPlacement {
  position: XY;
  kernel?: DesignNode;
  grow?: Size;
}

/** The kernel a quick add goes into: the selected one, the one holding the selection, or the first. */
export function targetKernel(design: Design, selection: readonly string[]): DesignNode | undefined {
  const byId = nodesById(design);
  const sel = selection.map((id) => byId.get(id)).find((n) => n?.kind === 'kernel' || n?.parent);
  if (sel?.kind === 'kernel') return sel;
  if (sel?.parent) {
    const k = byId.get(sel.parent);
    if (k?.kind === 'kernel') return k;
  }
  return design.nodes.find((n) => n.kind === 'kernel');
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), Math.max(lo, hi));

/** A card that must land inside its kernel: its box (absolute) before the offset searched for moves it. */
interface KernelCard {
  box: Rect;
  kernel: DesignNode;
}

/** Room found for cards in kernels: the one offset they all move by, and the new size of each kernel that grew for it. */
interface KernelRoom {
  offset: XY;
  grow: Map<string, Size>;
}

/**
 * The offset nearest `want` at which every card, moved by it, lies inside its kernel clear of `blocked`. When there
 * is none, the kernels grow downwards (else to the right) just enough for a free spot below (beside) their contents,
 * as long as no grown kernel covers another top-level card. Undefined when neither finds room.
 */
function roomInKernels(design: Design, cards: readonly KernelCard[], want: XY, blocked: readonly Rect[], measured: MeasuredSizes): KernelRoom | undefined {
  const byId = nodesById(design);
  // Offsets that keep every card inside its kernel: the intersection of what each card allows.
  const allowed: Bounds = { minX: -Infinity, minY: -Infinity, maxX: Infinity, maxY: Infinity };
  for (const { box, kernel } of cards) {
    const kpos = absolutePosition(byId, kernel);
    const ksize = sizeOf(kernel);
    allowed.minX = Math.max(allowed.minX, kpos.x + KERNEL_MARGIN - box.x);
    allowed.minY = Math.max(allowed.minY, kpos.y + KERNEL_TOP_MARGIN - box.y);
    allowed.maxX = Math.min(allowed.maxX, kpos.x + ksize.width - KERNEL_MARGIN - box.width - box.x);
    allowed.maxY = Math.min(allowed.maxY, kpos.y + ksize.height - KERNEL_MARGIN - box.height - box.y);
  }
  const start = { x: clamp(want.x, allowed.minX, allowed.maxX), y: clamp(want.y, allowed.minY, allowed.maxY) };
  const search = (bounds: Bounds): XY | undefined => {
    // Only what reaches into the area the cards can take can block them.
    const reach = cards.map(({ box: b }) => ({ x: b.x + bounds.minX, y: b.y + bounds.minY, width: bounds.maxX - bounds.minX + b.width, height: bounds.maxY - bounds.minY + b.height }));
    const near = blocked.filter((o) => reach.some((r) => overlaps(r, o)));
    const radius = Math.max(bounds.maxX - bounds.minX, bounds.maxY - bounds.minY) + STEP_IN_KERNEL;
    const fits = (d: XY): boolean => cards.every(({ box: b }) => isFree({ x: b.x + d.x, y: b.y + d.y, width: b.width, height: b.height }, near));
    return nearestFit({ x: clamp(start.x, bounds.minX, bounds.maxX), y: clamp(start.y, bounds.minY, bounds.maxY) }, STEP_IN_KERNEL, bounds, radius, fits);
  };
  if (allowed.maxX >= allowed.minX && allowed.maxY >= allowed.minY) {
    const d = search(allowed);
    if (d) return { offset: d, grow: new Map() };
  }
  // No room: grow the kernels downwards (else to the right) by what the cards span, for a free spot below (beside) their contents.
  const left = Math.min(...cards.map((c) => c.box.x));
  const top = Math.min(...cards.map((c) => c.box.y));
  const extra = { x: Math.max(...cards.map((c) => c.box.x + c.box.width)) - left + 2 * NODE_GAP, y: Math.max(...cards.map((c) => c.box.y + c.box.height)) - top + 2 * NODE_GAP };
  const tries = [
    { ...allowed, maxX: Math.max(allowed.minX, allowed.maxX), maxY: allowed.maxY + extra.y },
    { ...allowed, maxX: allowed.maxX + extra.x, maxY: Math.max(allowed.minY, allowed.maxY) },
  ];
  for (const bounds of tries) {
    const d = search(bounds);
    if (!d) continue;
    const grow = new Map<string, Size>();
    for (const { box, kernel } of cards) {
      const kpos = absolutePosition(byId, kernel);
      const ksize = grow.get(kernel.id) ?? sizeOf(kernel);
      const g = { width: Math.max(ksize.width, box.x + d.x - kpos.x + box.width + KERNEL_MARGIN), height: Math.max(ksize.height, box.y + d.y - kpos.y + box.height + KERNEL_MARGIN) };
      if (g.width !== sizeOf(kernel).width || g.height !== sizeOf(kernel).height) grow.set(kernel.id, g);
    }
    const grownBox = (n: DesignNode): Rect => ({ ...nodeBox(byId, n, measured), ...grow.get(n.id) });
    const roots = design.nodes.filter((n) => !n.parent);
    const covers = [...grow.keys()].some((id) => roots.some((o) => o.id !== id && overlaps(grownBox(byId.get(id)!), grownBox(o))));
    if (!covers) return { offset: d, grow };
  }
  return undefined;
}

/**
 * Free space for a new node of `kind` near `centre` (the middle of the view, flow coordinates): inside `kernel`
 * when given (growing it when full, as long as the grown kernel covers nothing else), else on open canvas.
 * Undefined when no free spot was found (the caller falls back to `centre`).
 */
export function quickPlacement(design: Design, kind: KindDef, centre: XY, measured: MeasuredSizes, kernel?: DesignNode): QuickPlacement | undefined {
  const size = newCardSize(design, kind, measured);
  const want = { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
  if (!kernel) {
    const p = nearestFree(want, size, obstacles(design, measured, true), { step: STEP_ROOT });
    return p && { position: p };
  }
  // A card at the origin: the offset found is its top-left corner.
  const room = roomInKernels(design, [{ box: { x: 0, y: 0, ...size }, kernel }], want, obstacles(design, measured, false), measured);
  if (!room) return undefined;
  const grow = room.grow.get(kernel.id);
  return grow ? { position: room.offset, kernel, grow } : { position: room.offset, kernel };
}

/** Where a duplicate goes: the one offset every copy moves by, and the new size of each kernel grown to make room. */
export interface DuplicatePlacement {
  offset: XY;
  grow: ReadonlyMap<string, Size>;
}

/**
 * Where a duplicate of `nodes` (what was copied: a kernel with its contents) goes, as the one offset every copy
 * moves by, so that a group keeps its layout: the offset nearest `offset` (the one a paste uses) at which each
 * copy of a card in a kernel stays inside that kernel, clear of every card and connection there, the kernels
 * growing (as for a quick add) when they have no room left. Copies of cards not in a kernel, and of kernels, move
 * by that offset without looking for room of their own. `offset` itself when no room is found even so (the copies
 * then overlap, as a paste does).
 */
export function duplicatePlacement(design: Design, nodes: readonly DesignNode[], offset: XY, measured: MeasuredSizes = {}): DuplicatePlacement {
  const byId = nodesById(design);
  const copied = new Set(nodes.map((n) => n.id));
  const cards: KernelCard[] = [];
  for (const node of nodes) {
    // A card whose kernel is copied too moves with that kernel's copy.
    if (node.parent === undefined || copied.has(node.parent)) continue;
    const kernel = byId.get(node.parent);
    if (!kernel || kernel.kind !== 'kernel') continue;
    cards.push({ box: nodeBox(byId, node, measured), kernel });
  }
  const room = cards.length > 0 ? roomInKernels(design, cards, offset, obstacles(design, measured, false), measured) : undefined;
  return room ?? { offset, grow: new Map() };
}

/**
 * The command Duplicate runs: pastes `content` (the selection, copied) where `duplicatePlacement` puts it, the
 * kernels grown first when they must. One undo step, the growth included.
 */
export function duplicateContent(content: ClipboardContent, offset: XY, measured: MeasuredSizes = {}): Command {
  return {
    name: 'Duplicate',
    perform(design): CommandResult {
      const place = duplicatePlacement(design, content.nodes, offset, measured);
      let next = design;
      for (const [id, size] of place.grow) next = setKernelBox(next, id, size);
      return pasteContent(content, place.offset, 'Duplicate').perform(next);
    },
  };
}

/**
 * Adds a node of `kindId` where `place` puts it (its kernel grown first when it must be): one command result, so the
 * growth and the new node are one undo step.
 */
function addPlaced(design: Design, kindId: string, kind: KindDef, place: QuickPlacement): CommandResult {
  const next = place.grow && place.kernel ? setKernelBox(design, place.kernel.id, place.grow) : design;
  // addNodeAt centres a NODE_SIZE card (a kernel: its top 20 units) on the point it is given.
  const point = kind.container ? { x: place.position.x + DEFAULT_KERNEL_SIZE.width / 2, y: place.position.y + 20 } : { x: place.position.x + NODE_SIZE.width / 2, y: place.position.y + NODE_SIZE.height / 2 };
  return addNodeAt(kindId, point).perform(next);
}

/**
 * The command a double-click or Enter on a palette item runs: adds a node of `kindId` in free space near
 * `centre` (the middle of the view), inside the selected kernel (or the first one) for kinds that live in one.
 * One undo step, the kernel's growth included.
 */
export function quickAdd(kindId: string, centre: XY, selection: readonly string[], measured: MeasuredSizes = {}): Command {
  return {
    name: 'Add',
    perform(design): CommandResult {
      const kind = getKind(kindId);
      if (!kind) return { ok: false, reason: `unknown kind "${kindId}"` };
      const kernel = kind.placement !== 'root' ? targetKernel(design, selection) : undefined;
      if (kind.placement === 'kernel' && !kernel) return addNodeAt(kindId, centre).perform(design); // says to add a kernel first
      const place = quickPlacement(design, kind, centre, measured, kernel);
      if (!place) {
        // Nowhere free: fall back to the middle of the view (or of the kernel).
        if (!kernel) return addNodeAt(kindId, centre).perform(design);
        const kpos = absolutePosition(nodesById(design), kernel);
        const ks = sizeOf(kernel);
        return addNodeAt(kindId, { x: kpos.x + ks.width / 2, y: kpos.y + ks.height / 2 }).perform(design);
      }
      return addPlaced(design, kindId, kind, place);
    },
  };
}

/**
 * The command a drop of a palette item at `point` (flow coordinates) runs: the node goes where a drop puts it
 * (`addNodeAt`: centred on the point, a kernel by its title bar; inside the kernel dropped on, and refused where
 * its kind cannot go) but, like a quick add, at the free spot nearest there — clear of the cards and connections
 * already there, so that it hides none of them — its kernel growing when it has no room left. Where no free spot is
 * found, on the point itself. One undo step, the growth included.
 */
export function dropNode(kindId: string, point: XY, measured: MeasuredSizes = {}): Command {
  return {
    name: 'Add',
    perform(design): CommandResult {
      const kind = getKind(kindId);
      if (!kind) return { ok: false, reason: `unknown kind "${kindId}"` };
      const at = placementAt(design, kind, point);
      if (!at.ok) return at;
      // quickPlacement looks around the middle of the card: a kernel hangs from its title bar under the pointer.
      const size = newCardSize(design, kind, measured);
      const centre = kind.container ? { x: point.x, y: point.y - 20 + size.height / 2 } : point;
      const place = quickPlacement(design, kind, centre, measured, at.kernel);
      return place ? addPlaced(design, kindId, kind, place) : addNodeAt(kindId, point).perform(design);
    },
  };
}

/** A kernel's box as its resize handles propose it: its new size, and its new position when its top or left edge moved. */
export interface KernelBox {
  position?: XY;
  size: Size;
}

/**
 * A kernel resized to `proposed` (by its handles), its edges stopped where they would cut into its cards: an edge
 * moved inwards goes no further than the box around the cards with the margins kept inside a kernel (below the
 * title bar, and 8 units at the sides and bottom), and the kernel stays at least MIN_KERNEL_SIZE. An edge that
 * already cut into a card (an older file) may move out but not further in. The cards keep their place on the canvas:
 * when the top or left edge moves, their positions (relative to the kernel) shift the other way.
 */
export function resizeKernelAround(design: Design, id: string, proposed: KernelBox, measured: MeasuredSizes = {}): Design {
  const kernel = design.nodes.find((n) => n.id === id);
  if (!kernel || kernel.kind !== 'kernel') return design;
  const now = sizeOf(kernel);
  const pos = proposed.position ?? kernel.position;
  // The proposed edges, relative to the kernel's top-left corner as it is now.
  let left = Math.round(pos.x - kernel.position.x);
  let top = Math.round(pos.y - kernel.position.y);
  let right = left + Math.round(proposed.size.width);
  let bottom = top + Math.round(proposed.size.height);
  const c = kernelContentEdges(design, id, measured);
  if (c) {
    left = Math.min(left, Math.max(c.left, 0));
    top = Math.min(top, Math.max(c.top, 0));
    right = Math.max(right, Math.min(Math.ceil(c.right), now.width));
    bottom = Math.max(bottom, Math.min(Math.ceil(c.bottom), now.height));
  }
  if (right - left < MIN_KERNEL_SIZE.width) {
    if (left !== 0) left = right - MIN_KERNEL_SIZE.width;
    else right = left + MIN_KERNEL_SIZE.width;
  }
  if (bottom - top < MIN_KERNEL_SIZE.height) {
    if (top !== 0) top = bottom - MIN_KERNEL_SIZE.height;
    else bottom = top + MIN_KERNEL_SIZE.height;
  }
  if (left === 0 && top === 0 && right === now.width && bottom === now.height) return design;
  const resized = setKernelBox(design, id, { width: right - left, height: bottom - top }, { x: kernel.position.x + left, y: kernel.position.y + top });
  if (left === 0 && top === 0) return resized;
  const moved = new Map<string, XY>();
  for (const n of design.nodes) if (n.parent === id) moved.set(n.id, { x: n.position.x - left, y: n.position.y - top });
  return setPositions(resized, moved);
}
