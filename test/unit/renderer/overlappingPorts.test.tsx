// Cards that touch overlap their ports: React Flow takes the topmost port under the pointer, which can be the dragged
// card's own. A drag there connects to the other card's port under the pointer (when the rules allow it), or says
// why not; a real self-connection keeps its refusal.
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlowProvider, Position, useStoreApi, type ConnectionState, type FinalConnectionState, type Handle, type ReactFlowState } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Canvas } from '../../../src-renderer/editor/components/Canvas';
import { StudioProvider } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { nodesById } from '../../../src-renderer/editor/geometry';
import { resolveConnection, type Design, type PortEnd } from '../../../src-shared/model';
import { fakeFiles, twoKernels } from './helpers';

/** twoKernels() without the channel's connection to the consumer: producer p → channel m; consumer c unconnected. */
function design(): Design {
  const d = twoKernels();
  d.edges = d.edges.filter((e) => e.id !== 'e2');
  return d;
}

const port = (nodeId: string, portId: string, type: PortEnd['type']): PortEnd => ({ nodeId, portId, type });
const resolve = (d: Design, from: PortEnd[], to: PortEnd[]) => resolveConnection(nodesById(d), d.edges, from, to);

describe('resolveConnection: the ports under the pointer at both ends of a drag', () => {
  it('the dragged card’s own port on top of another card’s: connects to the other card', () => {
    // Drag from the consumer's input (topmost where the channel's output lies under it) back onto that same spot.
    const c = port('c', 'in', 'target');
    expect(resolve(design(), [c, port('m', 'out', 'source')], [c, port('m', 'out', 'source')])).toEqual({ ok: true, connection: { source: 'm', sourceHandle: 'out', target: 'c', targetHandle: 'in' } });
    // From the channel's output, dropped where the consumer's input lies under the channel's own port.
    const m = port('m', 'out', 'source');
    expect(resolve(design(), [m], [m, port('c', 'in', 'target')])).toEqual({ ok: true, connection: { source: 'm', sourceHandle: 'out', target: 'c', targetHandle: 'in' } });
  });

  it('the other card’s port is there but refused: its reason, not “cannot connect to itself”', () => {
    const r = resolve(design(), [port('c', 'out', 'source')], [port('c', 'in', 'target'), port('p', 'in', 'target')]);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^Processes cannot talk to each other directly/) });
  });

  it('a real self-connection keeps its refusal', () => {
    expect(resolve(design(), [port('c', 'out', 'source')], [port('c', 'in', 'target')])).toEqual({ ok: false, reason: 'a node cannot connect to itself' });
    // Dropped back on the very port it started from.
    expect(resolve(design(), [port('c', 'in', 'target')], [port('c', 'in', 'target')])).toEqual({ ok: false, reason: 'a node cannot connect to itself' });
  });

  it('a drag React Flow would make anyway is made as it is', () => {
    expect(resolve(design(), [port('m', 'out', 'source')], [port('c', 'in', 'target')])).toEqual({ ok: true, connection: { source: 'm', sourceHandle: 'out', target: 'c', targetHandle: 'in' } });
  });
});

// The canvas, driven with the calls React Flow makes at the start and the end of a connection drag, and the
// elements the browser finds under the pointer.
describe('the canvas, when a connection drag ends on overlapping ports', () => {
  let flow: { getState(): ReactFlowState } | null = null;
  function Probe() {
    flow = useStoreApi();
    return null;
  }
  let under: Element[] = [];
  const original = document.elementsFromPoint;
  beforeEach(() => {
    document.elementsFromPoint = () => under;
  });
  afterEach(() => {
    cleanup();
    document.elementsFromPoint = original;
    flow = null;
    under = [];
  });

  function mount() {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(design(), null);
    const view = render(
      <StudioProvider studio={studio}>
        <ReactFlowProvider>
          <div style={{ width: 1000, height: 700 }}>
            <Canvas />
          </div>
          <Probe />
        </ReactFlowProvider>
      </StudioProvider>,
    );
    return { studio, view };
  }

  /** A port element as React Flow draws it. */
  function handleEl(nodeId: string, id: string, type: 'source' | 'target'): Element {
    const el = document.createElement('div');
    el.className = `react-flow__handle ${type} connectable connectableend`;
    el.setAttribute('data-nodeid', nodeId);
    el.setAttribute('data-handleid', id);
    return el;
  }
  const handle = (nodeId: string, id: string, type: 'source' | 'target'): Handle => ({ nodeId, id, type, position: type === 'source' ? Position.Right : Position.Left, x: 0, y: 0, width: 8, height: 8 });
  const mouse = () => new MouseEvent('mouseup', { clientX: 300, clientY: 200 });

  /** What React Flow reports when the drop is on `to`, which it refused. */
  function refusedDrop(from: Handle, to: Handle): FinalConnectionState {
    const node = flow!.getState().nodeLookup.get(from.nodeId)!;
    return { isValid: false, from: { x: 0, y: 0 }, fromHandle: from, fromPosition: from.position, fromNode: node, to: { x: 0, y: 0 }, toHandle: to, toPosition: to.position, toNode: flow!.getState().nodeLookup.get(to.nodeId) ?? null, pointer: { x: 300, y: 200 } } as FinalConnectionState;
  }

  it('from the consumer’s input, on top of the channel’s output, dropped there: the channel is connected to the consumer', () => {
    const { studio } = mount();
    const cIn = handle('c', 'in', 'target');
    under = [handleEl('c', 'in', 'target'), handleEl('m', 'out', 'source')];
    act(() => {
      flow!.getState().onConnectStart?.(new MouseEvent('mousedown', { clientX: 300, clientY: 200 }), { nodeId: 'c', handleId: 'in', handleType: 'target' });
      flow!.getState().onConnectEnd?.(mouse(), refusedDrop(cIn, cIn));
    });
    expect(studio.ui.getState().toasts.map((t) => t.message)).toEqual([]);
    expect(studio.editor.getState().design.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toContainEqual(['m', 'out', 'c', 'in']);
    expect(studio.editor.getState().past).toHaveLength(1);
  });

  it('from the channel’s output, dropped where its own port covers the consumer’s input: connected', () => {
    const { studio } = mount();
    const mOut = handle('m', 'out', 'source');
    under = [handleEl('m', 'out', 'source'), handleEl('c', 'in', 'target')];
    act(() => {
      flow!.getState().onConnectStart?.(new MouseEvent('mousedown', { clientX: 250, clientY: 90 }), { nodeId: 'm', handleId: 'out', handleType: 'source' });
      flow!.getState().onConnectEnd?.(mouse(), refusedDrop(mOut, mOut));
    });
    expect(studio.ui.getState().toasts).toEqual([]);
    expect(studio.editor.getState().design.edges.some((e) => e.source === 'm' && e.target === 'c')).toBe(true);
  });

  it('a real self-connection is still refused with its reason', () => {
    const { studio } = mount();
    under = [handleEl('c', 'in', 'target')];
    act(() => {
      flow!.getState().onConnectStart?.(new MouseEvent('mousedown', { clientX: 100, clientY: 200 }), { nodeId: 'c', handleId: 'out', handleType: 'source' });
      flow!.getState().onConnectEnd?.(mouse(), refusedDrop(handle('c', 'out', 'source'), handle('c', 'in', 'target')));
    });
    expect(studio.ui.getState().toasts.map((t) => t.message)).toEqual(['Can’t connect: a node cannot connect to itself']);
    expect(studio.editor.getState().design.edges).toHaveLength(1);
  });

  it('while dragging over the overlap, no hint says the card cannot connect to itself; over its own port alone, it does', () => {
    const { view } = mount();
    const cIn = handle('c', 'in', 'target');
    const node = flow!.getState().nodeLookup.get('c')!;
    const dragging = { inProgress: true, isValid: false, from: { x: 0, y: 0 }, fromHandle: cIn, fromPosition: Position.Left, fromNode: node, to: { x: 0, y: 0 }, toHandle: cIn, toPosition: Position.Left, toNode: node, pointer: { x: 300, y: 200 } } as ConnectionState;
    // The drag starts on the consumer's input, away from any other port.
    under = [handleEl('c', 'in', 'target')];
    act(() => flow!.getState().onConnectStart?.(new MouseEvent('mousedown', { clientX: 100, clientY: 200 }), { nodeId: 'c', handleId: 'in', handleType: 'target' }));
    // Over the overlap of its own input and the channel's output (React Flow picks its own, on top).
    under = [handleEl('c', 'in', 'target'), handleEl('m', 'out', 'source')];
    act(() => flow!.getState().updateConnection(dragging));
    expect(view.container.querySelector('.connection-hint')).toBeNull();
    // Over the card's own port alone.
    under = [handleEl('c', 'in', 'target')];
    act(() => flow!.getState().updateConnection({ ...dragging, pointer: { x: 301, y: 200 } } as ConnectionState));
    expect(view.container.querySelector('.connection-hint')?.textContent).toBe('Can’t connect: a node cannot connect to itself');
  });
});
