import { describe, expect, it } from 'vitest';
import { addNodeAt, connect, connectionRefusal, settleMove } from '../../../src-renderer/editor/commands';
import { setPositions } from '../../../src-renderer/editor/commands';
import { createEditorStore } from '../../../src-renderer/editor/store';
import { edge, node, twoKernels } from './helpers';

describe('connections are checked with the catalog rules', () => {
  it('refuses process → process with the reason', () => {
    const d = twoKernels();
    expect(connectionRefusal(d, { source: 'p', sourceHandle: 'out', target: 'c', targetHandle: 'in' })).toBe(
      'Processes cannot talk to each other directly: Tock isolates them. Put an IPC mechanism or pattern between them.',
    );
  });

  it('refuses a kernel-local mechanism across kernels', () => {
    const d = twoKernels();
    d.nodes.push(node('far', 'process', { parent: 'k1', position: { x: 20, y: 60 }, name: 'far away' }));
    const reason = connectionRefusal(d, { source: 'm', sourceHandle: 'out', target: 'far', targetHandle: 'in' });
    expect(reason).toMatch(/kernel-local mechanism cannot cross kernels/);
  });

  it('the connect command refuses with the same reason and changes nothing', () => {
    const s = createEditorStore(twoKernels());
    const before = s.getState().design;
    const r = s.getState().execute(connect({ source: 'p', sourceHandle: 'out', target: 'c', targetHandle: 'in' }));
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/cannot talk to each other directly/) });
    expect(s.getState().design).toBe(before);
    expect(s.getState().past).toHaveLength(0);
  });

  it('refuses a duplicate connection', () => {
    const d = twoKernels();
    expect(connectionRefusal(d, { source: 'p', sourceHandle: 'out', target: 'm', targetHandle: 'in' })).toMatch(/already connected/);
  });
});

describe('placement: dropping from the palette', () => {
  it('refuses a process outside every kernel, explaining why', () => {
    const r = addNodeAt('process', { x: 600, y: 600 }).perform(twoKernels());
    expect(r).toEqual({ ok: false, reason: 'Process runs inside a kernel. Drop it onto a kernel.' });
  });

  it('tells the user to add a kernel first on an empty canvas', () => {
    const d = twoKernels();
    d.nodes = [];
    d.edges = [];
    const r = addNodeAt('service', { x: 0, y: 0 }).perform(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/Add a Kernel first/);
  });

  it('puts a process dropped on a kernel inside it, positioned relative to the kernel', () => {
    const r = addNodeAt('process', { x: 900, y: 150 }).perform(twoKernels());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const n = r.design.nodes.at(-1)!;
    expect(n.parent).toBe('k1');
    expect(n.position.x).toBeGreaterThanOrEqual(0);
    expect(n.position.x).toBeLessThan(500);
    expect(n.position).toEqual({ x: 900 - 700 - 80, y: 150 - 35 });
  });

  it('refuses a kernel or an inter-kernel channel dropped inside a kernel', () => {
    expect(addNodeAt('kernel', { x: 100, y: 100 }).perform(twoKernels()).ok).toBe(false);
    const r = addNodeAt('interKernelChannel', { x: 100, y: 100 }).perform(twoKernels());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/lives outside them/);
    expect(addNodeAt('interKernelChannel', { x: 600, y: 100 }).perform(twoKernels()).ok).toBe(true);
  });

  it('faults may go inside a kernel or outside', () => {
    const inside = addNodeAt('processCrash', { x: 100, y: 100 }).perform(twoKernels());
    const outside = addNodeAt('processCrash', { x: 600, y: 600 }).perform(twoKernels());
    expect(inside.ok && inside.design.nodes.at(-1)!.parent).toBe('k0');
    expect(outside.ok && outside.design.nodes.at(-1)!.parent).toBeUndefined();
  });
});

describe('moving nodes between kernels', () => {
  it('re-parents a node dragged into another kernel when its connections stay legal', () => {
    const d = twoKernels();
    // an unconnected process moves freely
    d.nodes.push(node('lone', 'process', { parent: 'k0', position: { x: 300, y: 200 } }));
    const moved = setPositions(d, new Map([['lone', { x: 800, y: 100 }]])); // relative to k0 → absolute (800,100) in k1
    const r = settleMove(moved, ['lone']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const n = r.design.nodes.find((x) => x.id === 'lone')!;
    expect(n.parent).toBe('k1');
    expect(n.position).toEqual({ x: 100, y: 100 });
  });

  it('refuses a move that would break a connection, with the reason', () => {
    const d = twoKernels();
    const moved = setPositions(d, new Map([['c', { x: 800, y: 100 }]]));
    const r = settleMove(moved, ['c']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^Moving "consumer" into kernel "k1" would break a connection: .*kernel-local mechanism cannot cross kernels/);
  });

  it('refuses a process dragged out of every kernel', () => {
    const moved = setPositions(twoKernels(), new Map([['p', { x: 20, y: 600 }]]));
    const r = settleMove(moved, ['p']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/cannot leave its kernel/);
  });

  it('moves a process and its mechanism together into another kernel', () => {
    const d = twoKernels();
    d.edges = [edge('e1', 'p', 'out', 'm', 'in')];
    const moved = setPositions(d, new Map([
      ['p', { x: 720, y: 60 }],
      ['m', { x: 900, y: 60 }],
    ]));
    const r = settleMove(moved, ['p', 'm']);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.design.nodes.filter((n) => n.parent === 'k1').map((n) => n.id)).toEqual(['p', 'm']);
  });
});
