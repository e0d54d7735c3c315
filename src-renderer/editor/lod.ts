/**
 * Level of detail of the canvas. Zoomed out far enough that a card's text is a few pixels tall, the canvas stops
 * drawing what cannot be read: below `LOD_ZOOM` it has the class `lod`, cards are drawn as boxes tinted with their
 * category and their name in large type (CSS; their ports become plain elements, see `LodContext`), kernels get a
 * title at the size of the interface above them (`KernelTitles`), and the edges leave React Flow for a layer of a
 * few SVG paths without arrows or labels (`EdgeLayer`). Below `LOD_NAMES_ZOOM` (class `lod-bare`) the cards' names
 * go too: boxes only, like the minimap.
 *
 * Why: with hundreds of cards on screen, each frame of a drag paid per element, not per pixel — React Flow runs
 * three store subscriptions per edge and two per port on every update, and Chromium re-layerises every card's and
 * every edge's paint chunks (each edge is an `<svg>` of its own, each clipped text a chunk of its own).
 */
import { getBezierPath, type Position } from '@xyflow/react';
import { createContext } from 'react';

/** Below this zoom the canvas draws its level of detail (a 12.5 px card title is 5 px tall there). */
export const LOD_ZOOM = 0.4;
/** Below this zoom the cards' names are not drawn either (under ~5 px tall even at the LOD size). */
export const LOD_NAMES_ZOOM = 0.25;

/** The level of detail at a zoom: full cards and React Flow edges, boxes with names, or boxes only. */
export type Detail = 'full' | 'boxes' | 'bare';

export function detailAt(zoom: number): Detail {
  return zoom >= LOD_ZOOM ? 'full' : zoom >= LOD_NAMES_ZOOM ? 'boxes' : 'bare';
}

/**
 * True while the canvas is zoomed out to its level of detail. Cards then draw their ports as plain elements of the
 * same size and classes (React Flow still measures them, so edges attach as before) instead of React Flow's
 * `Handle`, which subscribes twice to React Flow's store: a thousand ports, two thousand selectors run on every
 * frame of a drag. Changes only when the zoom crosses `LOD_ZOOM` (every card re-renders once then).
 */
export const LodContext = createContext(false);

/** Longest name a card shows in its level-of-detail box (three lines at its size); longer ones end in "…". */
const LOD_NAME_CHARS = 36;

/** The name a card shows when zoomed out. */
export function lodName(name: string): string {
  return name.length > LOD_NAME_CHARS ? `${name.slice(0, LOD_NAME_CHARS - 1).trimEnd()}…` : name;
}

/** Where an edge starts and ends on the canvas (flow coordinates), and the sides of the ports. */
export interface EdgeEnds {
  sourceX: number;
  sourceY: number;
  targetX: number;
  targetY: number;
  sourcePosition: Position;
  targetPosition: Position;
}

/** How far a back edge runs out of its ports before turning, and below the lower port it passes the cards. */
const BACK_OUT = 18;
const BACK_DROP = 34;
const BACK_RADIUS = 8;

/**
 * The geometry of an edge: its SVG path and where its label goes. A forward edge is React Flow's bezier. A back
 * edge (an output port on the right to an input port further left, e.g. a reply to the process that sent the
 * request) is routed around the cards instead: out to the right, down below both ports, left, and up into the
 * target. A bezier would run straight through both cards, and its label would sit on the forward edge's.
 */
export function edgeGeometry(e: EdgeEnds): [path: string, labelX: number, labelY: number] {
  // Back only when the target port is left of the source's: two cards side by side with a narrow gap between them
  // are joined forward (a short bezier), not looped around below them.
  if (e.sourcePosition === 'right' && e.targetPosition === 'left' && e.targetX < e.sourceX) return backEdge(e);
  const [path, labelX, labelY] = getBezierPath(e);
  return [path, labelX, labelY];
}

function backEdge({ sourceX: sx, sourceY: sy, targetX: tx, targetY: ty }: EdgeEnds): [string, number, number] {
  const x1 = sx + BACK_OUT;
  const x2 = tx - BACK_OUT;
  const y = Math.max(sy, ty) + BACK_DROP;
  const r = Math.min(BACK_RADIUS, (x1 - x2) / 2);
  const r1 = Math.min(r, (y - sy) / 2);
  const r2 = Math.min(r, (y - ty) / 2);
  const f = (n: number): string => String(Math.round(n * 100) / 100);
  const d =
    `M${f(sx)},${f(sy)} L${f(x1 - r1)},${f(sy)} Q${f(x1)},${f(sy)} ${f(x1)},${f(sy + r1)} ` +
    `L${f(x1)},${f(y - r)} Q${f(x1)},${f(y)} ${f(x1 - r)},${f(y)} L${f(x2 + r)},${f(y)} Q${f(x2)},${f(y)} ${f(x2)},${f(y - r)} ` +
    `L${f(x2)},${f(ty + r2)} Q${f(x2)},${f(ty)} ${f(x2 + r2)},${f(ty)} L${f(tx)},${f(ty)}`;
  return [d, (x1 + x2) / 2, y];
}

/** The SVG path of an edge as the canvas draws it (absolute coordinates, so paths concatenate). */
export function edgePathD(e: EdgeEnds): string {
  return edgeGeometry(e)[0];
}

/** Paths of the edge layer: one per group (plain, with lost messages, selected). */
export const EDGE_GROUPS = ['plain', 'lost', 'selected'] as const;
export type EdgeGroup = (typeof EDGE_GROUPS)[number];

/**
 * The edge layer's paths, split so that a drag redraws only what moves. `update` takes every edge's ends (or
 * undefined while one of its nodes is not measured). At rest every edge is in the `fixed` paths, and its ends and
 * path are remembered. During a drag, an edge whose ends differ from the remembered ones leaves the fixed paths for
 * the `moving` ones (rebuilt each frame) until the drag ends; the fixed paths change only when an edge leaves them
 * (once, at the start of a drag), so the browser neither repaints nor re-rasterises them frame after frame.
 * Invariant: each drawn edge is in exactly one of the two.
 */
export class EdgePaths {
  private ends = new Float64Array(0);
  private paths: string[] = [];
  private groups: EdgeGroup[] = [];
  private out = new Uint8Array(0);
  private snapshot = false;
  fixed: Record<EdgeGroup, string> = { plain: '', lost: '', selected: '' };
  moving: Record<EdgeGroup, string> = { plain: '', lost: '', selected: '' };

  /** Recomputes the paths; `dragging` keeps the fixed paths except for edges that start to move. */
  update(edges: readonly { ends: EdgeEnds | undefined; group: EdgeGroup }[], dragging: boolean): void {
    const n = edges.length;
    if (!dragging || !this.snapshot || this.paths.length !== n) {
      this.ends = new Float64Array(n * 4).fill(NaN);
      this.paths = new Array<string>(n).fill('');
      this.groups = edges.map((e) => e.group);
      this.out = new Uint8Array(n);
      edges.forEach(({ ends }, i) => {
        if (!ends) return;
        this.ends.set([ends.sourceX, ends.sourceY, ends.targetX, ends.targetY], i * 4);
        this.paths[i] = edgePathD(ends);
      });
      this.fixed = this.join(false);
      this.moving = { plain: '', lost: '', selected: '' };
      this.snapshot = true;
      return;
    }
    const a = this.ends;
    const moving: Record<EdgeGroup, string> = { plain: '', lost: '', selected: '' };
    let left = false;
    edges.forEach(({ ends, group }, i) => {
      if (!ends) return;
      const j = i * 4;
      if (!this.out[i] && a[j] === ends.sourceX && a[j + 1] === ends.sourceY && a[j + 2] === ends.targetX && a[j + 3] === ends.targetY) return;
      if (!this.out[i]) {
        this.out[i] = 1;
        left = true;
      }
      moving[group] += edgePathD(ends);
    });
    if (left) this.fixed = this.join(true);
    this.moving = moving;
  }

  private join(skipOut: boolean): Record<EdgeGroup, string> {
    const d: Record<EdgeGroup, string> = { plain: '', lost: '', selected: '' };
    this.paths.forEach((p, i) => {
      if (!skipOut || !this.out[i]) d[this.groups[i]!] += p;
    });
    return d;
  }
}
