import { describe, expect, it } from 'vitest';
import { addNodeAt, connect, deleteElements, setParam } from '../../../src-renderer/editor/commands';
import { setPositions } from '../../../src-renderer/editor/commands';
import { createEditorStore, isDirty, PASTE_OFFSET } from '../../../src-renderer/editor/store';
import { nodesById } from '../../../src-renderer/editor/geometry';
import { nodeBox, overlaps } from '../../../src-renderer/editor/placement';
import type { DesignNode } from '../../../src-shared/model';
import { twoKernels } from './helpers';

function store() {
  return createEditorStore(twoKernels());
}

describe('editor store: commands and undo', () => {
  it('add: undo removes the node, redo brings it back with the same id', () => {
    const s = store();
    const r = s.getState().execute(addNodeAt('process', { x: 800, y: 150 }));
    expect(r.ok).toBe(true);
    const added = s.getState().design.nodes.at(-1)!;
    expect(added.kind).toBe('process');
    expect(added.parent).toBe('k1');
    expect(s.getState().selection.nodes).toEqual([added.id]);
    expect(s.getState().past).toHaveLength(1);
    s.getState().undo();
    expect(s.getState().design.nodes.map((n) => n.id)).toEqual(['k0', 'k1', 'p', 'm', 'c']);
    expect(s.getState().selection.nodes).toEqual([]);
    s.getState().redo();
    expect(s.getState().design.nodes.at(-1)).toEqual(added);
  });

  it('delete: removes a kernel with its contents and edges; undo restores order and identity', () => {
    const s = store();
    const before = s.getState().design;
    s.getState().execute(deleteElements(['k0'], []));
    expect(s.getState().design.nodes.map((n) => n.id)).toEqual(['k1']);
    expect(s.getState().design.edges).toEqual([]);
    s.getState().undo();
    expect(s.getState().design.nodes).toEqual(before.nodes);
    expect(s.getState().design.edges).toEqual(before.edges);
    // untouched entities keep their identity through undo
    expect(s.getState().design.nodes[1]).toBe(before.nodes[1]);
  });

  it('connect: adds a legal edge; undo/redo', () => {
    const s = store();
    s.getState().execute(deleteElements([], ['e2']));
    const r = s.getState().execute(connect({ source: 'm', sourceHandle: 'out', target: 'c', targetHandle: 'in' }));
    expect(r.ok).toBe(true);
    expect(s.getState().design.edges).toHaveLength(2);
    s.getState().undo();
    expect(s.getState().design.edges.map((e) => e.id)).toEqual(['e1']);
    s.getState().redo();
    expect(s.getState().design.edges).toHaveLength(2);
  });

  it('set param: one entry, undo restores the default (key absent)', () => {
    const s = store();
    s.getState().execute(setParam('p', 'periodNs', 40_000));
    expect(s.getState().design.nodes.find((n) => n.id === 'p')!.params.periodNs).toBe(40_000);
    expect(s.getState().past.map((e) => e.name)).toEqual(['Set parameter']);
    s.getState().undo();
    expect('periodNs' in s.getState().design.nodes.find((n) => n.id === 'p')!.params).toBe(false);
  });

  it('a drag is ONE undo entry, recorded at drag stop', () => {
    const s = store();
    s.getState().beginGesture('Move');
    for (let i = 1; i <= 20; i++) s.getState().updateGesture((d) => setPositions(d, new Map([['p', { x: 20 + i * 5, y: 60 + i }]])));
    expect(s.getState().past).toHaveLength(0); // nothing recorded while dragging
    s.getState().endGesture();
    expect(s.getState().past).toHaveLength(1);
    expect(s.getState().design.nodes.find((n) => n.id === 'p')!.position).toEqual({ x: 120, y: 80 });
    s.getState().undo();
    expect(s.getState().design.nodes.find((n) => n.id === 'p')!.position).toEqual({ x: 20, y: 60 });
  });

  it('a drag that ends where it started records nothing', () => {
    const s = store();
    s.getState().beginGesture('Move');
    s.getState().updateGesture((d) => setPositions(d, new Map([['p', { x: 50, y: 50 }]])));
    s.getState().updateGesture((d) => setPositions(d, new Map([['p', { x: 20, y: 60 }]])));
    s.getState().endGesture();
    expect(s.getState().past).toHaveLength(0);
  });

  it('a refused drag reverts to where it started and records nothing', () => {
    const s = store();
    const before = s.getState().design;
    s.getState().beginGesture('Move');
    s.getState().updateGesture((d) => setPositions(d, new Map([['p', { x: 900, y: 900 }]])));
    const r = s.getState().endGesture(() => ({ ok: false, reason: 'no' }));
    expect(r.ok).toBe(false);
    expect(s.getState().design).toBe(before);
    expect(s.getState().past).toHaveLength(0);
  });

  it('a new command clears redo', () => {
    const s = store();
    s.getState().execute(setParam('p', 'payloadBytes', 8));
    s.getState().undo();
    expect(s.getState().future).toHaveLength(1);
    s.getState().execute(setParam('p', 'payloadBytes', 16));
    expect(s.getState().future).toHaveLength(0);
  });

  it('copy/paste gives fresh ids, fresh names, offset positions, and remaps edges among the copies', () => {
    const s = store();
    s.getState().setSelection({ nodes: ['p', 'm', 'c'], edges: [] });
    expect(s.getState().copy()).toBe(true);
    const r = s.getState().paste();
    expect(r.ok).toBe(true);
    const d = s.getState().design;
    const pasted = d.nodes.slice(5);
    expect(pasted).toHaveLength(3);
    const oldIds = new Set(['k0', 'k1', 'p', 'm', 'c', 'e1', 'e2']);
    for (const n of pasted) expect(oldIds.has(n.id)).toBe(false);
    expect(new Set(d.nodes.map((n) => n.id)).size).toBe(d.nodes.length);
    expect(pasted.map((n) => n.name)).toEqual(['producer 2', 'channel 2', 'consumer 2']);
    expect(pasted[0]!.position).toEqual({ x: 20 + PASTE_OFFSET, y: 60 + PASTE_OFFSET });
    expect(pasted.every((n) => n.parent === 'k0')).toBe(true);
    const newEdges = d.edges.slice(2);
    expect(newEdges).toHaveLength(2);
    expect(newEdges[0]!.source).toBe(pasted[0]!.id);
    expect(newEdges[0]!.target).toBe(pasted[1]!.id);
    expect(s.getState().selection.nodes).toEqual(pasted.map((n) => n.id));
    // a second paste goes further and gets other ids again
    s.getState().paste();
    const again = s.getState().design.nodes.slice(8);
    expect(again[0]!.position).toEqual({ x: 20 + 2 * PASTE_OFFSET, y: 60 + 2 * PASTE_OFFSET });
    expect(again.some((n) => pasted.some((p) => p.id === n.id))).toBe(false);
  });

  it('duplicating one card puts the copy in free space in its kernel, clear of every card', () => {
    const s = store();
    s.getState().setSelection({ nodes: ['p'], edges: [] });
    s.getState().duplicate();
    const d = s.getState().design;
    const copy = d.nodes[d.nodes.length - 1]!;
    expect(copy.parent).toBe('k0');
    const byId = nodesById(d);
    const box = nodeBox(byId, copy);
    for (const n of d.nodes) if (n.id !== copy.id && n.kind !== 'kernel') expect(overlaps(box, nodeBox(byId, n))).toBe(false);
    expect(s.getState().past[0]!.name).toBe('Duplicate');
  });

  it('duplicating several cards moves them together into free space in their kernel, clear of every card', () => {
    // A kernel with room only below its cards; where a paste would put the copies (30 right and down), the
    // originals are.
    const design = twoKernels();
    design.nodes[0]!.size = { width: 500, height: 560 };
    const s = createEditorStore(design);
    s.getState().setSelection({ nodes: ['p', 'c'], edges: [] });
    s.getState().duplicate();
    const d = s.getState().design;
    const copies = d.nodes.slice(5);
    expect(copies.map((n) => [n.name, n.parent])).toEqual([
      ['producer 2', 'k0'],
      ['consumer 2', 'k0'],
    ]);
    // The group keeps its layout, moved by one offset.
    const [cp, cc] = copies as [DesignNode, DesignNode];
    expect({ x: cc.position.x - cp.position.x, y: cc.position.y - cp.position.y }).toEqual({ x: 0, y: 120 });
    const byId = nodesById(d);
    const kernel = nodeBox(byId, byId.get('k0')!);
    for (const copy of copies) {
      const box = nodeBox(byId, copy);
      for (const n of d.nodes) if (n.kind !== 'kernel' && n.id !== copy.id) expect(overlaps(box, nodeBox(byId, n)), `${copy.name} on ${n.name}`).toBe(false);
      expect(box.x >= kernel.x && box.y >= kernel.y && box.x + box.width <= kernel.x + kernel.width && box.y + box.height <= kernel.y + kernel.height, `${copy.name} inside its kernel`).toBe(true);
    }
    expect(s.getState().past.map((e) => e.name)).toEqual(['Duplicate']);
  });

  it('duplicating cards in a full kernel grows the kernel (clear of the kernel beside it) so the copies overlap nothing; one undo step', () => {
    // k0 (500×300) has no room for a second producer and consumer, one above the other.
    const s = store();
    const before = s.getState().design;
    s.getState().setSelection({ nodes: ['p', 'c'], edges: [] });
    s.getState().duplicate();
    const d = s.getState().design;
    const copies = d.nodes.slice(5);
    expect(copies.map((n) => [n.name, n.parent])).toEqual([
      ['producer 2', 'k0'],
      ['consumer 2', 'k0'],
    ]);
    const byId = nodesById(d);
    const kernel = nodeBox(byId, byId.get('k0')!);
    for (const copy of copies) {
      const box = nodeBox(byId, copy);
      for (const n of d.nodes) if (n.kind !== 'kernel' && n.id !== copy.id) expect(overlaps(box, nodeBox(byId, n)), `${copy.name} on ${n.name}`).toBe(false);
      expect(box.x >= kernel.x && box.y >= kernel.y && box.x + box.width <= kernel.x + kernel.width && box.y + box.height <= kernel.y + kernel.height, `${copy.name} inside its kernel`).toBe(true);
    }
    expect(kernel.width * kernel.height).toBeGreaterThan(500 * 300);
    expect(overlaps(kernel, nodeBox(byId, byId.get('k1')!)), 'k0 grown over k1').toBe(false);
    expect(s.getState().past.map((e) => e.name)).toEqual(['Duplicate']);
    s.getState().undo();
    expect(s.getState().design).toEqual(before);
  });

  it('copying a kernel brings its contents; children keep their place relative to the new kernel', () => {
    const s = store();
    s.getState().setSelection({ nodes: ['k0'], edges: [] });
    s.getState().duplicate();
    const d = s.getState().design;
    const newKernel = d.nodes[5]!;
    expect(newKernel.kind).toBe('kernel');
    expect(newKernel.position).toEqual({ x: PASTE_OFFSET, y: PASTE_OFFSET });
    const kids = d.nodes.filter((n) => n.parent === newKernel.id);
    expect(kids.map((n) => n.position)).toEqual([
      { x: 20, y: 60 },
      { x: 200, y: 60 },
      { x: 20, y: 180 },
    ]);
    expect(s.getState().past).toHaveLength(1);
    expect(s.getState().past[0]!.name).toBe('Duplicate');
  });

  it('cut removes and paste restores under new ids; one entry each', () => {
    const s = store();
    s.getState().setSelection({ nodes: ['c'], edges: [] });
    s.getState().cut();
    expect(s.getState().design.nodes.some((n) => n.id === 'c')).toBe(false);
    expect(s.getState().design.edges.map((e) => e.id)).toEqual(['e1']);
    s.getState().paste();
    expect(s.getState().past.map((e) => e.name)).toEqual(['Cut', 'Paste']);
    expect(s.getState().design.nodes.at(-1)!.name).toBe('consumer');
  });

  it('select all and delete selection', () => {
    const s = store();
    s.getState().selectAll();
    expect(s.getState().selection.nodes).toHaveLength(5);
    expect(s.getState().selection.edges).toHaveLength(2);
    s.getState().deleteSelection();
    expect(s.getState().design.nodes).toEqual([]);
    s.getState().undo();
    expect(s.getState().design.nodes).toHaveLength(5);
    expect(s.getState().selection.nodes).toHaveLength(5);
  });

  it('dirty tracks the history head: undo back to the saved point is clean again', () => {
    const s = store();
    expect(isDirty(s.getState())).toBe(false);
    s.getState().execute(setParam('p', 'payloadBytes', 8));
    expect(isDirty(s.getState())).toBe(true);
    s.getState().markSaved({ name: 'x.json' });
    expect(isDirty(s.getState())).toBe(false);
    s.getState().undo();
    expect(isDirty(s.getState())).toBe(true);
    s.getState().redo();
    expect(isDirty(s.getState())).toBe(false);
  });
});
