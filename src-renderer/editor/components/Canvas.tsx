import {
  applyNodeChanges,
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MarkerType,
  ReactFlow,
  useConnection,
  useReactFlow,
  useStore as useFlowStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type Node,
  type NodeChange,
  type NodePositionChange,
} from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { connect, connectionRefusal, moveNodes, setPositions, settleMove } from '../commands';
import { resolveConnection, type Design, type PortEnd, type ResolvedConnection } from '../../../src-shared/model';
import { useEditor, useRun, useStudio, useUi } from '../context';
import { useRunOnCanvas } from '../../run/hooks';
import { settingsText } from '../../run/runStore';
import { formatDuration } from '../../../src-shared/util/units';
import { markMoving, toFlowEdges, type MovingMarks, toFlowNodes, type FlowEdgeCache, type FlowNodeCache, type StudioFlowEdge, type StudioFlowNode } from '../flow';
import { nodesById, type Size, type XY } from '../geometry';
import { severityByNode } from '../lint';
import { PALETTE_MIME } from '../palette';
import { dropNode, resizeKernelAround } from '../placement';
import { detailAt, LodContext } from '../lod';
import { fitPadding } from '../viewport';
import { EdgeLayer } from './EdgeLayer';
import { Icon } from './Icons';
import { KernelTitles } from './KernelTitles';
import { KernelNode } from './KernelNode';
import { Minimap } from './Minimap';
import { MovingKernel } from './MovingKernel';
import { StudioEdge } from './StudioEdge';
import { StudioNode } from './StudioNode';

// Module scope: React Flow re-mounts every node when these objects change identity.
const nodeTypes = { studio: StudioNode, kernel: KernelNode };
const edgeTypes = { studio: StudioEdge };
const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: 'var(--edge-color)' } };
const SNAP_GRID: [number, number] = [10, 10];
const MULTI_SELECT_KEYS = ['Meta', 'Control'];
const FIT_VIEW_OPTIONS = { padding: 0.1 };
/**
 * Below this zoom the canvas has the class `zoomed-out`: edges keep only selected labels and results, and the dot
 * grid (dots a fraction of a pixel wide by then) is not drawn. A class, not a zoom subscription in every edge:
 * React Flow runs every subscription on each store update, i.e. each frame of a drag.
 */
const ZOOMED_OUT = 0.5;
/** React Flow's edges while the edge layer draws them (zoomed out, see lod.ts). */
const NO_EDGES: StudioFlowEdge[] = [];
const NO_CARRIED: MovingMarks['carried'] = new Map();

/** The ports (React Flow's handles) under a point of the window, topmost first. */
function portsAt(x: number, y: number): PortEnd[] {
  if (typeof document.elementsFromPoint !== 'function') return [];
  const ports: PortEnd[] = [];
  for (const el of document.elementsFromPoint(x, y)) {
    if (!el.classList.contains('react-flow__handle')) continue;
    const nodeId = el.getAttribute('data-nodeid');
    const portId = el.getAttribute('data-handleid');
    const type = el.classList.contains('source') ? 'source' : el.classList.contains('target') ? 'target' : null;
    if (nodeId && portId && type) ports.push({ nodeId, portId, type });
  }
  return ports;
}

/** React Flow's handle first, then the other ports under the pointer there (each once). */
function endPorts(handle: { nodeId: string; id?: string | null; type: 'source' | 'target' }, under: readonly PortEnd[]): PortEnd[] {
  const all = [{ nodeId: handle.nodeId, portId: handle.id ?? '', type: handle.type }, ...under];
  return all.filter((p, i) => all.findIndex((q) => q.nodeId === p.nodeId && q.portId === p.portId && q.type === p.type) === i);
}

/**
 * A drag React Flow refused, settled as the user meant it: where two cards touch their ports overlap, and React Flow
 * takes the topmost port under the pointer — possibly one of the dragged card's own, refused as a self-connection
 * although another card's port is right there. `resolveConnection` tries the other ports under the pointer at both
 * ends, so the drop connects to the other card when the rules allow it, or says why not.
 */
function resolveDrop(design: Design, from: FinalConnectionState['fromHandle'], to: FinalConnectionState['toHandle'], startPorts: readonly PortEnd[], endPoint: XY | null): ResolvedConnection | null {
  if (!from || !to) return null;
  return resolveConnection(nodesById(design), design.edges, endPorts(from, startPorts), endPorts(to, endPoint ? portsAt(endPoint.x, endPoint.y) : []));
}

/** Shows why the connection being dragged cannot be made, while the pointer is over an illegal port. */
function ConnectionHint({ startPorts }: { startPorts(): readonly PortEnd[] }) {
  const { editor } = useStudio();
  const conn = useConnection();
  const pane = useFlowStore((s) => s.domNode);
  if (!conn.inProgress || !conn.toHandle || conn.isValid !== false) return null;
  // `pointer` is relative to the flow's element.
  const box = pane?.getBoundingClientRect();
  const at = box ? { x: box.left + conn.pointer.x, y: box.top + conn.pointer.y } : null;
  const r = resolveDrop(editor.getState().design, conn.fromHandle, conn.toHandle, startPorts(), at);
  if (!r || r.ok) return null;
  return (
    <div className="connection-hint" role="status">
      <strong>Can’t connect:</strong> {r.reason}
    </div>
  );
}

/**
 * Background, zoom controls and the connection hint: memoised, so the canvas re-rendering on each frame of a drag
 * does not re-render them.
 */
const CanvasChrome = memo(function CanvasChrome({ onFit, startPorts }: { onFit(): void; startPorts(): readonly PortEnd[] }) {
  return (
    <>
      <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
      <Controls showInteractive={false} showFitView={false}>
        <ControlButton onClick={onFit} title="Fit view (Shift+1)" aria-label="Fit view">
          <Icon name="fit" size={14} />
        </ControlButton>
      </Controls>
      <ConnectionHint startPorts={startPorts} />
    </>
  );
});

/**
 * Over the canvas, while results are drawn on it and they are not the design's as it is now — the design was edited
 * since their run, or the run is of another version of it (recorded by the CLI, or before this session) — or they
 * were run with other settings than the top bar's: says so, with the seed and duration that produced them, so that a
 * badge is not read as the canvas design's, and offers to run again.
 */
function StaleResultsNote() {
  const { run } = useStudio();
  const shown = useRunOnCanvas();
  const designRun = useEditor((s) => s.design.run);
  if (!shown || (shown.versus === 'same' && !shown.otherSettings)) return null;
  const { record: r, used } = shown;
  const ran = settingsText(used, r.simTimeNs);
  const own = settingsText({ seed: designRun.seed, durationNs: designRun.durationNs, warmupNs: designRun.warmupNs });
  const stopped = r.simTimeNs !== null && used.durationNs !== null && r.simTimeNs !== used.durationNs ? ` (it stopped at ${formatDuration(r.simTimeNs)})` : '';
  return (
    <div className="canvas-stale" role="status" data-testid="canvas-stale" title={`The results drawn were produced by run #${r.id} with ${ran}${stopped}; the design as it is now would run with ${own} (top bar).`}>
      {shown.versus === 'edited' ? `Results of run #${r.id}, from before your edits` : `Results of run #${r.id}, run with other settings`}
      {/* Kept on one line: the note is only as wide as the free half of the canvas. */}
      <span className="muted" data-testid="canvas-stale-settings">
        {ran.replace(/ /g, '\u00a0')}
      </span>
      <button className="link small" onClick={() => void run.getState().start()} title="Run the design as it is now, with the seed and duration in the top bar (Ctrl+R)">
        run again
      </button>
    </div>
  );
}

/** The canvas: React Flow over nodes and edges derived from the design in the editor store. */
export function Canvas() {
  const { editor, ui, ctl } = useStudio();
  const flow = useReactFlow<StudioFlowNode, StudioFlowEdge>();
  const design = useEditor((s) => s.design);
  const selection = useEditor((s) => s.selection);
  const measured = useEditor((s) => s.measured);
  const docSeq = useEditor((s) => s.docSeq);
  const findings = useUi((s) => s.findings);
  const snap = useUi((s) => s.snap);
  const showMinimap = useUi((s) => s.minimap);
  const theme = useUi((s) => s.theme);
  const zoomedOut = useFlowStore((s) => s.transform[2] < ZOOMED_OUT);
  const detail = useFlowStore((s) => detailAt(s.transform[2]));
  const lod = detail !== 'full';
  const edgeResults = useRun((s) => (s.overlayVisible ? s.overlay?.edges : undefined));
  const nodeResults = useRun((s) => (s.overlayVisible ? s.overlay?.nodes : undefined));
  const cache = useRef<FlowNodeCache>(new Map());

  const lint = useMemo(() => severityByNode(findings), [findings]);
  const derivedNodes = useMemo(() => toFlowNodes(design, selection, measured, lint, cache.current), [design, selection, measured, lint]);
  // A node drag lives in React Flow's nodes only: each frame, the moved nodes' latest positions are laid over the
  // nodes derived from the design, and the design hears of the move once, when the drag stops (one command: one
  // undo entry, one lint, one render of the panels). Sending every mouse move through the editor store re-derived
  // all nodes and re-rendered the inspector and the panels each frame. `moving` holds the same changes for the
  // commit, readable synchronously in the drag-stop handler. The moves go through a store rather than useState:
  // React renders a store update before the frame is painted, but a state update made in d3-drag's native
  // mousemove listener only in a later task, which would draw every move a frame late.
  const moving = useRef<Map<string, NodePositionChange> | null>(null);
  // `dragged` (the ids in `moves`) changes only when a drag starts, so the nodes and edges it marks as moving keep
  // their identity through the drag's frames.
  const [dragStore] = useState(() => createStore<{ moves: NodePositionChange[] | null; dragged: ReadonlySet<string> | null }>(() => ({ moves: null, dragged: null })));
  const dragMoves = useStore(dragStore, (s) => s.moves);
  const draggedIds = useStore(dragStore, (s) => s.dragged);
  const edgeCache = useRef<FlowEdgeCache>(new Map());
  const lastEdges = useRef<StudioFlowEdge[]>([]);
  const derivedEdges = useMemo(() => {
    const next = toFlowEdges(design, selection, undefined, edgeCache.current);
    const prev = lastEdges.current;
    if (next.length === prev.length && next.every((e, i) => e === prev[i])) return prev;
    return (lastEdges.current = next);
  }, [design, selection]);
  const marked = useMemo(() => (draggedIds ? markMoving(derivedNodes, derivedEdges, draggedIds) : { nodes: derivedNodes, edges: derivedEdges, carried: NO_CARRIED }), [derivedNodes, derivedEdges, draggedIds]);
  const nodes = useMemo(() => (dragMoves ? applyNodeChanges(dragMoves, marked.nodes) : marked.nodes), [marked, dragMoves]);
  const edges = marked.edges;

  const canvasRef = useRef<HTMLDivElement>(null);
  const fit = useCallback(
    (durationMs = 0) => {
      const el = canvasRef.current;
      const all = flow.getNodes();
      if (!el || all.length === 0) return;
      const bounds = flow.getNodesBounds(all);
      void flow.fitView({ padding: fitPadding(bounds, el.getBoundingClientRect()), duration: durationMs });
    },
    [flow],
  );

  const fitAnimated = useCallback(() => fit(250), [fit]);

  useEffect(() => {
    ctl.setViewport({ fit });
    return () => ctl.setViewport(null);
  }, [ctl, fit]);

  useEffect(() => {
    if (docSeq > 0) {
      const t = setTimeout(() => fit(), 50);
      return () => clearTimeout(t);
    }
  }, [docSeq, fit]);

  // A jump from the problems list: bring the node into view if it is off screen (keeping the zoom).
  const focus = useEditor((s) => s.focus);
  useEffect(() => {
    if (!focus) return;
    const n = flow.getInternalNode(focus.nodeId);
    const el = document.querySelector('.canvas');
    if (!n || !el) return;
    const w = n.measured.width ?? 160;
    const h = n.measured.height ?? 70;
    const { x, y } = n.internals.positionAbsolute;
    const a = flow.flowToScreenPosition({ x, y });
    const b = flow.flowToScreenPosition({ x: x + w, y: y + h });
    const r = el.getBoundingClientRect();
    if (a.x < r.left || a.y < r.top || b.x > r.right || b.y > r.bottom) void flow.setCenter(x + w / 2, y + h / 2, { zoom: flow.getZoom(), duration: 300 });
  }, [focus, flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StudioFlowNode>[]) => {
      const st = editor.getState();
      const drag = moving.current;
      const positions = new Map<string, XY>();
      const sizes: [string, Size][] = [];
      const kernelBoxes: { id: string; size: Size }[] = [];
      // Kernels whose resize handles sent this size (the resize's frames and its end): their measured size is the
      // one the design takes, which may differ (see below).
      const resized = new Set<string>();
      let sel: { id: string; selected: boolean }[] | undefined;
      let dragged = false;
      for (const c of changes) {
        if (c.type === 'position' && c.position) {
          if (drag) {
            drag.set(c.id, c);
            dragged = true;
          } else positions.set(c.id, c.position);
        } else if (c.type === 'dimensions' && c.dimensions) {
          if (c.resizing !== undefined) resized.add(c.id);
          else sizes.push([c.id, c.dimensions]);
          if (c.resizing && st.gesture) kernelBoxes.push({ id: c.id, size: c.dimensions });
        } else if (c.type === 'select') (sel ??= []).push({ id: c.id, selected: c.selected });
      }
      if (drag && dragged) {
        // The set of dragged nodes only grows during a drag: same size, same set.
        const ids = dragStore.getState().dragged;
        dragStore.setState({ moves: [...drag.values()], dragged: ids?.size === drag.size ? ids : new Set(drag.keys()) });
      }
      if (positions.size || kernelBoxes.length) {
        // Outside a drag, a gesture is a kernel resize (resized from its top or left edge, the kernel also moves).
        if (st.gesture) {
          // A resize stops at the kernel's cards: the kernel's box is the proposed one, stopped there, and its cards
          // keep their place on the canvas (React Flow's moves of them assume the box it proposed).
          const boxes = kernelBoxes.map((k) => ({ ...k, position: positions.get(k.id) }));
          const kernels = new Set(boxes.map((k) => k.id));
          for (const n of st.design.nodes) if (kernels.has(n.id) || (n.parent !== undefined && kernels.has(n.parent))) positions.delete(n.id);
          st.updateGesture((d) => {
            let next = setPositions(d, positions);
            for (const k of boxes) next = resizeKernelAround(next, k.id, k.position ? { position: k.position, size: k.size } : { size: k.size }, st.measured);
            return next;
          });
        } else if (positions.size) {
          // Arrow-key nudges arrive without a drag: one entry each.
          st.execute(moveNodes(positions));
        }
      }
      if (resized.size) {
        // React Flow's resizer reports the size it proposed; the kernel's element is as big as the design says.
        const byId = new Map(editor.getState().design.nodes.map((n) => [n.id, n]));
        for (const id of resized) {
          const size = byId.get(id)?.size;
          if (size) sizes.push([id, size]);
        }
      }
      if (sizes.length) st.setMeasured(sizes);
      if (sel) {
        const cur = new Set(st.selection.nodes);
        for (const s of sel) {
          if (s.selected) cur.add(s.id);
          else cur.delete(s.id);
        }
        st.setSelection({ nodes: [...cur], edges: st.selection.edges });
      }
    },
    [editor, dragStore],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<StudioFlowEdge>[]) => {
      const st = editor.getState();
      const cur = new Set(st.selection.edges);
      let touched = false;
      for (const c of changes) {
        if (c.type === 'select') {
          touched = true;
          if (c.selected) cur.add(c.id);
          else cur.delete(c.id);
        }
      }
      if (touched) st.setSelection({ nodes: st.selection.nodes, edges: [...cur] });
    },
    [editor],
  );

  const isValidConnection: IsValidConnection<StudioFlowEdge> = useCallback(
    (c: Connection | Edge) => connectionRefusal(editor.getState().design, { source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target, targetHandle: c.targetHandle ?? '' }) === undefined,
    [editor],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const r = editor.getState().execute(connect({ source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target, targetHandle: c.targetHandle ?? '' }));
      if (!r.ok) ui.getState().toast(`Can’t connect: ${r.reason}`, { tone: 'error' });
    },
    [editor, ui],
  );

  // The ports under the pointer where a connection drag started (see resolveDrop).
  const startPorts = useRef<PortEnd[]>([]);
  const getStartPorts = useCallback(() => startPorts.current, []);
  const onConnectStart = useCallback((event: MouseEvent | TouchEvent) => {
    const p = 'touches' in event ? event.touches[0] : event;
    startPorts.current = p ? portsAt(p.clientX, p.clientY) : [];
  }, []);

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const from = startPorts.current;
      startPorts.current = [];
      if (!state.toHandle || state.isValid !== false || !state.fromHandle) return;
      const p = 'changedTouches' in event ? event.changedTouches[0] : event;
      const at = p ? { x: p.clientX, y: p.clientY } : null;
      const st = editor.getState();
      const r = resolveDrop(st.design, state.fromHandle, state.toHandle, from, at);
      if (!r) return;
      const done = r.ok ? st.execute(connect(r.connection)) : r;
      if (!done.ok) ui.getState().toast(`Can’t connect: ${done.reason}`, { tone: 'error', ...(at ? { at } : {}) });
    },
    [editor, ui],
  );

  const beginMove = useCallback(() => {
    editor.getState().beginGesture('Move');
    moving.current = new Map();
  }, [editor]);
  const endMove = useCallback(
    (event: MouseEvent | TouchEvent | ReactMouseEvent, _node: unknown, moved: Node[]) => {
      const st = editor.getState();
      const positions = new Map<string, XY>();
      for (const c of moving.current?.values() ?? []) if (c.position) positions.set(c.id, c.position);
      moving.current = null;
      dragStore.setState({ moves: null, dragged: null });
      const r = st.endGesture((d) => settleMove(setPositions(d, positions), moved.map((n) => n.id), st.measured));
      if (!r.ok) {
        const p = 'changedTouches' in event ? event.changedTouches[0] : event;
        ui.getState().toast(r.reason, { tone: 'error', ...(p ? { at: { x: p.clientX, y: p.clientY } } : {}) });
      }
    },
    [editor, ui, dragStore],
  );
  const endSelectionMove = useCallback((event: ReactMouseEvent, moved: Node[]) => endMove(event, undefined, moved), [endMove]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME);
      if (!kind) return;
      e.preventDefault();
      const point = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const st = editor.getState();
      const r = st.execute(dropNode(kind, point, st.measured));
      if (!r.ok) ui.getState().toast(r.reason, { tone: 'error', at: { x: e.clientX, y: e.clientY } });
    },
    [editor, flow, ui],
  );

  return (
    <LodContext.Provider value={lod}>
      <div className={`canvas${zoomedOut ? ' zoomed-out' : ''}${lod ? ' lod' : ''}${detail === 'bare' ? ' lod-bare' : ''}`} ref={canvasRef} onDragOver={onDragOver} onDrop={onDrop}>
        <ReactFlow<StudioFlowNode, StudioFlowEdge>
          onlyRenderVisibleElements
          nodes={nodes}
          edges={lod ? NO_EDGES : edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectStart={onConnectStart}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onNodeDragStart={beginMove}
          onNodeDragStop={endMove}
          onSelectionDragStart={beginMove}
          onSelectionDragStop={endSelectionMove}
          snapToGrid={snap}
          snapGrid={SNAP_GRID}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          colorMode={theme}
          // Low enough that a design of hundreds of nodes (e.g. 10 kernels of 50) still fits the view whole.
          minZoom={0.1}
          maxZoom={2.5}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          attributionPosition="top-right"
        >
          <CanvasChrome onFit={fitAnimated} startPorts={getStartPorts} />
          {lod && <EdgeLayer edges={marked.edges} results={edgeResults} />}
          {lod && <KernelTitles nodes={nodes} results={nodeResults} />}
          {marked.carried.size > 0 && <MovingKernel carried={marked.carried} results={edgeResults} plain={lod} />}
          {showMinimap && <Minimap nodes={nodes} />}
        </ReactFlow>
        <StaleResultsNote />
        {design.nodes.length === 0 && (
          <div className="canvas-empty">
            <p>
              <strong>An empty canvas.</strong> Drag a <em>Kernel</em> from the palette, then processes and mechanisms into it.
            </p>
            <p>
              Or <button className="link" onClick={() => ui.getState().setGalleryOpen(true)}>start from a template</button>.
            </p>
          </div>
        )}
      </div>
    </LodContext.Provider>
  );
}
