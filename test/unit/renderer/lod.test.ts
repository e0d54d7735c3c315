import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { markMoving, MOVING_CLASS, type StudioFlowEdge, type StudioFlowNode } from '../../../src-renderer/editor/flow';
import { detailAt, edgeGeometry, EdgePaths, edgePathD, LOD_NAMES_ZOOM, LOD_ZOOM, lodName, type EdgeEnds, type EdgeGroup } from '../../../src-renderer/editor/lod';

const ends = (x: number, y = 0): EdgeEnds => ({ sourceX: x, sourceY: y, targetX: x + 100, targetY: y + 40, sourcePosition: Position.Right, targetPosition: Position.Left });
const count = (d: string): number => d.split('M').length - 1;

describe('level of detail', () => {
  it('full detail from LOD_ZOOM up, boxes with names below it, bare boxes below LOD_NAMES_ZOOM', () => {
    expect(LOD_NAMES_ZOOM).toBeLessThan(LOD_ZOOM);
    expect(detailAt(1)).toBe('full');
    expect(detailAt(LOD_ZOOM)).toBe('full');
    expect(detailAt(LOD_ZOOM - 0.01)).toBe('boxes');
    expect(detailAt(LOD_NAMES_ZOOM)).toBe('boxes');
    expect(detailAt(LOD_NAMES_ZOOM - 0.01)).toBe('bare');
    expect(detailAt(0.1)).toBe('bare');
  });

  it('shortens long names for the zoomed-out cards', () => {
    expect(lodName('consumer 6.10')).toBe('consumer 6.10');
    const long = lodName('a process with a very long name indeed, longer than three lines');
    expect(long.length).toBeLessThanOrEqual(36);
    expect(long.endsWith('…')).toBe(true);
  });

  it('draws an edge as React Flow draws it, in absolute coordinates', () => {
    const d = edgePathD(ends(10, 20));
    expect(d.startsWith('M10,20')).toBe(true);
    expect(d.trimEnd().endsWith('110,60')).toBe(true);
  });

  it('routes a back edge (target left of its source) below both ports, not through the cards, with its label there', () => {
    // A reply from a card's output at (400, 100) to an input at (100, 100) on the same row.
    const back: EdgeEnds = { sourceX: 400, sourceY: 100, targetX: 100, targetY: 100, sourcePosition: Position.Right, targetPosition: Position.Left };
    const [d, lx, ly] = edgeGeometry(back);
    expect(d.startsWith('M400,100')).toBe(true);
    expect(d.endsWith('L100,100')).toBe(true);
    const ys = [...d.matchAll(/-?[\d.]+,(-?[\d.]+)/g)].map((m) => Number(m[1]));
    const xs = [...d.matchAll(/(-?[\d.]+),-?[\d.]+/g)].map((m) => Number(m[1]));
    // Out right of the source, left of the target: never between them on the ports' row.
    expect(Math.max(...xs)).toBeGreaterThan(400);
    expect(Math.min(...xs)).toBeLessThan(100);
    expect(Math.max(...ys)).toBeGreaterThan(120);
    expect(ly).toBe(Math.max(...ys));
    expect(lx).toBe(250);
    // Two cards side by side with a narrow gap (25 px) are joined forward, not looped below them.
    const [nd] = edgeGeometry({ sourceX: 100, sourceY: 50, targetX: 125, targetY: 50, sourcePosition: Position.Right, targetPosition: Position.Left });
    expect(Math.max(...[...nd.matchAll(/-?[\d.]+,(-?[\d.]+)/g)].map((m) => Number(m[1])))).toBe(50);
    // A forward edge keeps React Flow's bezier, and its label is between the ports.
    const [fd, flx, fly] = edgeGeometry(ends(10, 20));
    expect(fd).toContain('C');
    expect([flx, fly]).toEqual([60, 40]);
  });
});

describe('EdgePaths: the edge layer redraws only what moves', () => {
  const edges = (xs: number[], groups: EdgeGroup[] = xs.map(() => 'plain')) => xs.map((x, i) => ({ ends: ends(x, i * 50), group: groups[i]! }));

  it('at rest every edge is in the fixed paths, by group, and edges not yet measured nowhere', () => {
    const p = new EdgePaths();
    p.update([...edges([0, 10, 20], ['plain', 'lost', 'selected']), { ends: undefined, group: 'plain' }], false);
    expect(count(p.fixed.plain)).toBe(1);
    expect(count(p.fixed.lost)).toBe(1);
    expect(count(p.fixed.selected)).toBe(1);
    expect(p.moving).toEqual({ plain: '', lost: '', selected: '' });
  });

  it('during a drag, moved edges leave the fixed paths once and are redrawn in the moving ones each frame', () => {
    const p = new EdgePaths();
    p.update(edges([0, 10, 20]), false);
    const atRest = p.fixed.plain;
    p.update(edges([0, 10, 20]), true); // the drag starts, nothing moved yet
    expect(p.fixed.plain).toBe(atRest);
    p.update(edges([0, 15, 20]), true); // edge 1 moves
    const fixed = p.fixed.plain;
    expect(count(fixed)).toBe(2);
    expect(fixed).not.toContain(edgePathD(ends(10, 50)));
    expect(p.moving.plain).toBe(edgePathD(ends(15, 50)));
    p.update(edges([0, 25, 20]), true); // and again: the fixed paths are the same string, not rebuilt
    expect(p.fixed.plain).toBe(fixed);
    expect(p.moving.plain).toBe(edgePathD(ends(25, 50)));
    p.update(edges([0, 10, 20]), true); // back where it started: still drawn as moving until the drag ends
    expect(count(p.fixed.plain) + count(p.moving.plain)).toBe(3);
    p.update(edges([0, 25, 20]), false); // the drop: all fixed again
    expect(count(p.fixed.plain)).toBe(3);
    expect(p.moving.plain).toBe('');
  });
});

describe('markMoving', () => {
  const node = (id: string, parentId?: string): StudioFlowNode => ({ id, type: parentId ? 'studio' : 'kernel', position: { x: 0, y: 0 }, data: { node: { id, kind: parentId ? 'process' : 'kernel', name: id, position: { x: 0, y: 0 }, params: {} }, summary: '' }, ...(parentId ? { parentId } : {}) });
  const edge = (id: string, source: string, target: string): StudioFlowEdge => ({ id, source, target, sourceHandle: 'out', targetHandle: 'in', data: { label: '', category: 'none' } });
  const nodes = [node('k1'), node('k2'), node('a', 'k1'), node('b', 'k1'), node('c', 'k2')];
  const edges = [edge('ab', 'a', 'b'), edge('bc', 'b', 'c')];

  it('a dragged kernel: marked, and it carries its cards (hidden in React Flow) and the edges between them', () => {
    const m = markMoving(nodes, edges, new Set(['k1']));
    expect(m.nodes.filter((n) => n.className?.includes(MOVING_CLASS)).map((n) => n.id)).toEqual(['k1']);
    expect(m.nodes.filter((n) => n.hidden).map((n) => n.id)).toEqual(['a', 'b']);
    expect([...m.carried.keys()]).toEqual(['k1']);
    expect(m.carried.get('k1')!.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(m.carried.get('k1')!.edges.map((e) => e.id)).toEqual(['ab']);
    // React Flow keeps the edge that leaves the kernel (it still places the hidden card for it).
    expect(m.edges.map((e) => e.id)).toEqual(['bc']);
    // What does not move keeps its identity (React Flow re-renders only what changed).
    expect(m.nodes[1]).toBe(nodes[1]);
    expect(m.nodes[4]).toBe(nodes[4]);
    expect(m.edges[0]).toBe(edges[1]);
  });

  it('a dragged card: marked, nothing carried, React Flow keeps every edge', () => {
    const m = markMoving(nodes, edges, new Set(['b']));
    expect(m.nodes.filter((n) => n.className?.includes(MOVING_CLASS)).map((n) => n.id)).toEqual(['b']);
    expect(m.nodes.some((n) => n.hidden)).toBe(false);
    expect(m.carried.size).toBe(0);
    expect(m.edges).toBe(edges);
  });
});
