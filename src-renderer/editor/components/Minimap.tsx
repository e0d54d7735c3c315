import { Panel, useReactFlow, useStore } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { getKind, type Category } from '../../../src-shared/catalog';
import { MOVING_CLASS, type StudioFlowNode } from '../flow';
import { NODE_SIZE, type XY } from '../geometry';

const WIDTH = 168;
const HEIGHT = 112;
/** On a small canvas (a laptop screen with the results open) the minimap shrinks so it covers less of the design. */
const SMALL_WIDTH = 120;
const SMALL_HEIGHT = 80;
const SMALL_CANVAS = { width: 820, height: 460 };
/** Margin round the drawing, in minimap pixels (React Flow's minimap uses the same). */
const OFFSET = 5;

/** Fill per catalog category; kernels first, so they lie under their contents. */
const LAYERS: readonly (readonly [Category, string])[] = [
  ['kernel', 'var(--cat-kernel-soft)'],
  ['process', 'var(--cat-process)'],
  ['mechanism', 'var(--cat-mechanism)'],
  ['pattern', 'var(--cat-pattern)'],
  ['peripheral', 'var(--cat-peripheral)'],
  ['fault', 'var(--cat-fault)'],
];

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The paths of a set of nodes: one per category, drawn in the order of LAYERS. */
type Paths = [fill: string, d: string][];

interface Drawing {
  fixed: Paths;
  moving: Paths;
  bounds: Rect | undefined;
  /** Absolute positions by node id. */
  abs: Map<string, XY>;
}

/** A node a drag moves: a dragged one (MOVING_CLASS) or a card a dragged kernel carries (hidden: see markMoving). */
function moves(n: StudioFlowNode): boolean {
  return !!n.hidden || !!n.className?.includes(MOVING_CLASS);
}

/** One path per category over the nodes' absolute rectangles, those a drag moves apart, and their bounds. */
function drawNodes(nodes: readonly StudioFlowNode[], split: boolean): Drawing {
  const abs = new Map<string, XY>();
  const fixed = new Map<Category, string>();
  const moving = new Map<Category, string>();
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    // Parents come before their children (see toFlowNodes).
    const p = n.parentId ? abs.get(n.parentId) : undefined;
    const x = n.position.x + (p?.x ?? 0);
    const y = n.position.y + (p?.y ?? 0);
    abs.set(n.id, { x, y });
    const w = n.width ?? n.measured?.width ?? NODE_SIZE.width;
    const h = n.height ?? n.measured?.height ?? NODE_SIZE.height;
    const category = getKind(n.data.node.kind)?.category ?? 'process';
    const d = split && moves(n) ? moving : fixed;
    d.set(category, `${d.get(category) ?? ''}M${x},${y}h${w}v${h}h${-w}z`);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  const paths = (d: Map<Category, string>): Paths =>
    LAYERS.flatMap(([c, fill]): Paths => {
      const path = d.get(c);
      return path ? [[fill, path]] : [];
    });
  return { fixed: paths(fixed), moving: paths(moving), bounds: nodes.length ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined, abs };
}

/** The drawing of the nodes when a drag started, and the dragged node it follows. */
interface Frozen {
  key: string;
  drawing: Drawing;
  anchor: string;
}

function union(a: Rect, b: Rect | undefined): Rect {
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/**
 * An overview of the design with the visible area; drag in it to pan, wheel to zoom. It draws one path per
 * category from the nodes the canvas hands React Flow. During a drag, what moves is drawn once, when the drag
 * starts, in a group that follows the dragged node by its transform (a compositing layer of its own): changing the
 * paths each frame made the browser repaint the whole canvas each frame (hundreds of cards when zoomed out).
 * React Flow's own minimap subscribes every node to the flow's store: with 500 nodes, several milliseconds of each
 * drag frame.
 */
export const Minimap = memo(function Minimap({ nodes }: { nodes: readonly StudioFlowNode[] }) {
  const flow = useReactFlow();
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const flowWidth = useStore((s) => s.width);
  const flowHeight = useStore((s) => s.height);
  const key = useMemo(() => nodes.filter(moves).map((n) => n.id).join(' '), [nodes]);
  const frozen = useRef<Frozen | null>(null);
  if (!key) frozen.current = null;
  else if (frozen.current?.key !== key) {
    const drawing = drawNodes(nodes, true);
    const anchor = nodes.find((n) => moves(n) && !n.hidden)?.id ?? '';
    frozen.current = { key, drawing, anchor };
  }
  const live = useMemo(() => (key ? undefined : drawNodes(nodes, false)), [nodes, key]);
  const drawing = frozen.current?.drawing ?? live!;
  const { fixed, moving, bounds } = drawing;
  // Where the dragged node is now, against where it was when the drag started.
  let shift = { x: 0, y: 0 };
  if (frozen.current) {
    const a = nodes.find((n) => n.id === frozen.current!.anchor);
    const was = frozen.current.drawing.abs.get(frozen.current.anchor);
    if (a && was) {
      const parent = a.parentId ? drawing.abs.get(a.parentId) : undefined;
      shift = { x: a.position.x + (parent?.x ?? 0) - was.x, y: a.position.y + (parent?.y ?? 0) - was.y };
    }
  }

  const view: Rect = { x: -tx / zoom, y: -ty / zoom, width: flowWidth / zoom, height: flowHeight / zoom };
  const all = union(view, bounds);
  const small = flowWidth < SMALL_CANVAS.width || flowHeight < SMALL_CANVAS.height;
  const width = small ? SMALL_WIDTH : WIDTH;
  const height = small ? SMALL_HEIGHT : HEIGHT;
  const scale = Math.max(all.width / width, all.height / height);
  const offset = OFFSET * scale;
  const vw = scale * width + 2 * offset;
  const vh = scale * height + 2 * offset;
  const vx = all.x - (scale * width - all.width) / 2 - offset;
  const vy = all.y - (scale * height - all.height) / 2 - offset;

  const svg = useRef<SVGSVGElement>(null);
  const scaleRef = useRef(scale);
  scaleRef.current = scale;
  const drag = useRef<{ x: number; y: number } | null>(null);

  // Wheel zooms the canvas about its centre (a non-passive listener, so the page does not scroll).
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const delta = -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002);
      void flow.zoomTo(flow.getZoom() * 2 ** delta);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [flow]);

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>): void => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY };
  };
  // The visible area follows the pointer: a minimap pixel is `scale` flow units.
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>): void => {
    const from = drag.current;
    if (!from) return;
    drag.current = { x: e.clientX, y: e.clientY };
    const v = flow.getViewport();
    const k = scaleRef.current * v.zoom;
    void flow.setViewport({ x: v.x - (e.clientX - from.x) * k, y: v.y - (e.clientY - from.y) * k, zoom: v.zoom });
  };
  const onPointerUp = (): void => {
    drag.current = null;
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap" data-testid="rf__minimap">
      <svg
        ref={svg}
        width={width}
        height={height}
        viewBox={`${vx} ${vy} ${vw} ${vh}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Mini map"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        {fixed.map(([fill, d]) => (
          <path key={fill} d={d} fill={fill} shapeRendering="crispEdges" />
        ))}
        {moving.length > 0 && (
          <g className="minimap-moving" style={{ transform: `translate(${shift.x}px, ${shift.y}px)` }}>
            {moving.map(([fill, d]) => (
              <path key={fill} d={d} fill={fill} shapeRendering="crispEdges" />
            ))}
          </g>
        )}
        <path
          className="react-flow__minimap-mask"
          d={`M${vx - offset},${vy - offset}h${vw + 2 * offset}v${vh + 2 * offset}h${-vw - 2 * offset}z M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
});
