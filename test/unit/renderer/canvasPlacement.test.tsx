// The canvas's placement rules for a kernel resize and a palette drop: the pure functions (placement.ts), and the
// canvas handlers that use them (Canvas.tsx), driven with the changes and events React Flow and the browser send.
import { act, createEvent, fireEvent, render } from '@testing-library/react';
import { ReactFlowProvider, useStoreApi, type NodeChange, type ReactFlowState } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Canvas } from '../../../src-renderer/editor/components/Canvas';
import { StudioProvider } from '../../../src-renderer/editor/context';
import { KERNEL_MARGIN, KERNEL_TOP_MARGIN, NODE_SIZE, absolutePosition, nodesById, sizeOf, type MeasuredSizes } from '../../../src-renderer/editor/geometry';
import { PALETTE_MIME } from '../../../src-renderer/editor/palette';
import { dropNode, nodeBox, obstacles, overlaps, resizeKernelAround } from '../../../src-renderer/editor/placement';
import { createStudio } from '../../../src-renderer/editor/studio';
import { TEMPLATES, instantiateTemplate } from '../../../src-renderer/editor/templates';
import type { Design, DesignNode } from '../../../src-shared/model';
import { fakeFiles, twoKernels } from './helpers';

function queues(): Design {
  const t = TEMPLATES.find((x) => x.id === 'queues');
  if (!t) throw new Error('no queues template');
  return instantiateTemplate(t);
}

const byId = (d: Design, id: string): DesignNode => {
  const n = d.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};

/** The cards of kernel `k` that are not inside it, with its margins (none, when the kernel holds its contents). */
function outside(d: Design, k: string, measured: MeasuredSizes = {}): string[] {
  const kernel = byId(d, k);
  const ks = sizeOf(kernel);
  return d.nodes
    .filter((n) => n.parent === k)
    .filter((n) => {
      const s = sizeOf(n, measured);
      return n.position.x < KERNEL_MARGIN || n.position.y < KERNEL_TOP_MARGIN || n.position.x + s.width > ks.width - KERNEL_MARGIN || n.position.y + s.height > ks.height - KERNEL_MARGIN;
    })
    .map((n) => n.id);
}

/** Absolute positions of every card (not kernels), by id. */
const absolute = (d: Design): Record<string, { x: number; y: number }> => Object.fromEntries(d.nodes.filter((n) => n.kind !== 'kernel').map((n) => [n.id, absolutePosition(nodesById(d), n)]));

describe('resizing a kernel stops at its cards', () => {
  it('from the bottom-right handle: the kernel keeps every card inside it, with its margins', () => {
    const d = queues();
    const k = d.nodes.find((n) => n.kind === 'kernel')!;
    expect(outside(d, k.id)).toEqual([]);
    const next = resizeKernelAround(d, k.id, { size: { width: 100, height: 60 } });
    expect(outside(next, k.id)).toEqual([]);
    // Exactly the box around the cards: the rightmost card's right edge plus the margin.
    const kids = d.nodes.filter((n) => n.parent === k.id);
    expect(sizeOf(byId(next, k.id)).width).toBe(Math.max(...kids.map((n) => n.position.x + NODE_SIZE.width)) + KERNEL_MARGIN);
    expect(sizeOf(byId(next, k.id)).height).toBe(Math.max(...kids.map((n) => n.position.y + NODE_SIZE.height)) + KERNEL_MARGIN);
    expect(byId(next, k.id).position).toEqual(k.position);
  });

  it('uses the measured size of the cards', () => {
    const d = twoKernels();
    const measured = { c: { width: 230, height: 100 } };
    const next = resizeKernelAround(d, 'k0', { size: { width: 10, height: 10 } }, measured);
    expect(sizeOf(byId(next, 'k0'))).toEqual({ width: 200 + NODE_SIZE.width + KERNEL_MARGIN, height: 180 + 100 + KERNEL_MARGIN });
    expect(outside(next, 'k0', measured)).toEqual([]);
  });

  it('from the top-left handle: the kernel stops at its cards, which stay where they are on the canvas', () => {
    const d = twoKernels();
    const before = absolute(d);
    // Dragging the top-left corner 300 right and 200 down (React Flow keeps the bottom-right corner).
    const next = resizeKernelAround(d, 'k0', { position: { x: 300, y: 200 }, size: { width: 200, height: 100 } });
    const k = byId(next, 'k0');
    expect(k.position).toEqual({ x: 20 - KERNEL_MARGIN, y: 60 - KERNEL_TOP_MARGIN });
    // The bottom-right corner has not moved.
    expect(k.position.x + sizeOf(k).width).toBe(500);
    expect(k.position.y + sizeOf(k).height).toBe(300);
    expect(outside(next, 'k0')).toEqual([]);
    expect(absolute(next)).toEqual(before);
  });

  it('grows freely, and an edge already cutting into a card (an older file) does not jump out', () => {
    const d = twoKernels();
    expect(sizeOf(byId(resizeKernelAround(d, 'k0', { size: { width: 800, height: 600 } }), 'k0'))).toEqual({ width: 800, height: 600 });
    const cut = structuredClone(d);
    byId(cut, 'p').position = { x: -30, y: 60 };
    const next = resizeKernelAround(cut, 'k0', { size: { width: 450, height: 300 } });
    expect(byId(next, 'k0').position).toEqual({ x: 0, y: 0 });
    expect(sizeOf(byId(next, 'k0'))).toEqual({ width: 450, height: 300 });
  });
});

describe('dropping a palette item', () => {
  it('on a card: the new card goes to the nearest free spot in that kernel, covering no card or connection', () => {
    const d = queues();
    const sensor = byId(d, 'sensor');
    const kernel = byId(d, sensor.parent!);
    const box = nodeBox(nodesById(d), sensor);
    const r = dropNode('process', { x: box.x + box.width / 2, y: box.y + box.height / 2 }).perform(d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const added = r.design.nodes.find((n) => !d.nodes.some((o) => o.id === n.id))!;
    expect(added.parent).toBe(kernel.id);
    const mine = nodeBox(nodesById(r.design), added);
    // Clear of every other card (with its ports) and every connection, and inside its kernel.
    expect(obstacles(d, {}, false).filter((o) => overlaps(mine, o))).toEqual([]);
    expect(outside(r.design, kernel.id)).toEqual([]);
    // Near where it was dropped: within a card's size of the drop point.
    expect(Math.hypot(mine.x - box.x, mine.y - box.y)).toBeLessThan(NODE_SIZE.width + 60);
  });

  it('in a full kernel: the kernel grows to make room, as a quick add does', () => {
    // A kernel of the smallest size, holding one card: no room for another.
    const d = twoKernels();
    d.nodes = d.nodes.filter((n) => n.id === 'k0' || n.id === 'k1' || n.id === 'p');
    d.edges = [];
    byId(d, 'k0').size = { width: 220, height: 140 };
    byId(d, 'p').position = { x: 20, y: 50 };
    const r = dropNode('process', { x: 100, y: 85 }).perform(d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const added = r.design.nodes.find((n) => !d.nodes.some((o) => o.id === n.id))!;
    expect(added.parent).toBe('k0');
    const grown = sizeOf(byId(r.design, 'k0'));
    expect(grown.width * grown.height).toBeGreaterThan(220 * 140);
    expect(outside(r.design, 'k0')).toEqual([]);
    const mine = nodeBox(nodesById(r.design), added);
    expect(obstacles(d, {}, false).filter((o) => overlaps(mine, o))).toEqual([]);
  });

  it('on free space: exactly where it was dropped, as before', () => {
    const d = twoKernels();
    const r = dropNode('process', { x: 900, y: 150 }).perform(d);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const added = r.design.nodes.find((n) => !d.nodes.some((o) => o.id === n.id))!;
    expect(added.parent).toBe('k1');
    expect(absolutePosition(nodesById(r.design), added)).toEqual({ x: 900 - NODE_SIZE.width / 2, y: 150 - NODE_SIZE.height / 2 });
  });

  it('where the kind cannot go: refused with the same reason as before', () => {
    const r = dropNode('process', { x: 600, y: 600 }).perform(twoKernels());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/runs inside a kernel/);
    const k = dropNode('kernel', { x: 100, y: 100 }).perform(twoKernels());
    expect(k.ok).toBe(false);
  });
});

// The canvas handlers, as React Flow and the browser call them.
describe('the canvas', () => {
  let flow: { getState(): ReactFlowState } | null = null;
  function Probe() {
    flow = useStoreApi();
    return null;
  }
  afterEach(() => {
    flow = null;
  });

  function mountCanvas(design: Design) {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(design, null);
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

  it('a resize from the bottom-right handle stops at the cards, and is one undo step', () => {
    const d = queues();
    const k = d.nodes.find((n) => n.kind === 'kernel')!;
    const { studio } = mountCanvas(d);
    const ed = studio.editor;
    act(() => ed.getState().beginGesture('Resize'));
    for (const size of [
      { width: 400, height: 260 },
      { width: 190, height: 121 },
    ]) {
      act(() => flow!.getState().triggerNodeChanges([{ id: k.id, type: 'dimensions', resizing: true, setAttributes: true, dimensions: size }] as NodeChange[]));
    }
    act(() => flow!.getState().triggerNodeChanges([{ id: k.id, type: 'dimensions', resizing: false, dimensions: { width: 190, height: 121 } }] as NodeChange[]));
    act(() => void ed.getState().endGesture());
    const after = ed.getState().design;
    expect(outside(after, k.id, ed.getState().measured)).toEqual([]);
    // The kernel's measured size is the one it has, not the one the handles proposed (the next resize starts there).
    expect(ed.getState().measured[k.id]).toEqual(byId(after, k.id).size);
    act(() => void ed.getState().undo());
    expect(byId(ed.getState().design, k.id).size).toEqual(k.size);
  });

  it('a resize from the top-left handle stops at the cards and leaves them where they are', () => {
    const d = twoKernels();
    const before = absolute(d);
    const { studio } = mountCanvas(d);
    const ed = studio.editor;
    act(() => ed.getState().beginGesture('Resize'));
    // What React Flow's resizer sends for a top-left drag of (300, 200): the kernel's position and size, and its
    // children moved back by as much (so that they stay in place for the box it proposed).
    act(() =>
      flow!.getState().triggerNodeChanges([
        { id: 'k0', type: 'position', position: { x: 300, y: 200 } },
        { id: 'k0', type: 'dimensions', resizing: true, setAttributes: true, dimensions: { width: 200, height: 100 } },
        { id: 'p', type: 'position', position: { x: -280, y: -140 } },
        { id: 'm', type: 'position', position: { x: -100, y: -140 } },
        { id: 'c', type: 'position', position: { x: -280, y: -20 } },
      ] as NodeChange[]),
    );
    act(() => void ed.getState().endGesture());
    const after = ed.getState().design;
    expect(outside(after, 'k0')).toEqual([]);
    expect(absolute(after)).toEqual(before);
  });

  it('a drop onto a card adds the new card beside it, not on top of it', () => {
    const d = twoKernels();
    const { studio, view } = mountCanvas(d);
    const canvas = view.container.querySelector('.canvas')!;
    // The flow's view is not moved or zoomed here: screen points are flow points (plus the pane's offset, 0).
    const transform = flow!.getState().transform;
    expect(transform).toEqual([0, 0, 1]);
    const data = { types: [PALETTE_MIME], getData: (t: string) => (t === PALETTE_MIME ? 'process' : ''), dropEffect: 'none' };
    // On the producer's card (20,60 in k0, 160 × 70).
    const drop = createEvent.drop(canvas, { dataTransfer: data });
    // happy-dom's DragEvent takes no pointer position from its init.
    Object.defineProperties(drop, { clientX: { value: 100 }, clientY: { value: 95 } });
    act(() => void fireEvent(canvas, drop));
    const after = studio.editor.getState().design;
    const added = after.nodes.find((n) => !d.nodes.some((o) => o.id === n.id));
    expect(added?.parent).toBe('k0');
    const mine = nodeBox(nodesById(after), added!);
    expect(overlaps(mine, nodeBox(nodesById(after), byId(after, 'p')))).toBe(false);
    expect(obstacles(d, {}, false).filter((o) => overlaps(mine, o))).toEqual([]);
  });
});
