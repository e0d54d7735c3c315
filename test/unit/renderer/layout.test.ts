import { describe, expect, it } from 'vitest';
import { applyLayout } from '../../../src-renderer/editor/commands';
import { absolutePosition, contains, nodesById, sizeOf } from '../../../src-renderer/editor/geometry';
import { computeLayout } from '../../../src-renderer/editor/layout';
import { createEditorStore } from '../../../src-renderer/editor/store';
import { TEMPLATES } from '../../../src-renderer/editor/templates';

describe('auto-layout (elkjs, kernels as compound nodes)', () => {
  it.each(TEMPLATES.map((t) => t.id))('%s: children stay inside their kernels, kernels do not overlap, one undo entry', async (id) => {
    const t = TEMPLATES.find((x) => x.id === id)!;
    const s = createEditorStore(structuredClone(t.design));
    const layout = await computeLayout(s.getState().design);
    s.getState().execute(applyLayout(layout));
    expect(s.getState().past).toHaveLength(1);
    const d = s.getState().design;
    const byId = nodesById(d);
    for (const n of d.nodes.filter((x) => x.parent)) {
      const k = byId.get(n.parent!)!;
      const kp = absolutePosition(byId, k);
      const p = absolutePosition(byId, n);
      const size = sizeOf(n);
      expect(contains(kp, sizeOf(k), p)).toBe(true);
      expect(contains(kp, sizeOf(k), { x: p.x + size.width, y: p.y + size.height })).toBe(true);
      expect(n.position.y).toBeGreaterThanOrEqual(36); // below the kernel's title bar
    }
    const kernels = d.nodes.filter((n) => n.kind === 'kernel');
    for (const a of kernels)
      for (const b of kernels) {
        if (a === b) continue;
        const ap = absolutePosition(byId, a);
        const bp = absolutePosition(byId, b);
        const overlap = ap.x < bp.x + sizeOf(b).width && bp.x < ap.x + sizeOf(a).width && ap.y < bp.y + sizeOf(b).height && bp.y < ap.y + sizeOf(a).height;
        expect(overlap).toBe(false);
      }
    // parents, edges and params untouched
    expect(d.edges).toEqual(t.design.edges);
    expect(d.nodes.map((n) => [n.id, n.parent, n.params])).toEqual(t.design.nodes.map((n) => [n.id, n.parent, n.params]));
    s.getState().undo();
    expect(s.getState().design.nodes).toEqual(t.design.nodes);
  });
});
