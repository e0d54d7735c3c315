import { describe, expect, it } from 'vitest';
import { diffDesigns, formatDesignDiff, sameValue, splitRunSettings } from '../../../src-shared/model/diff';
import { DesignBuilder } from '../../fixtures/builder';

function designs() {
  const a = new DesignBuilder('before', { seed: 1 })
    .kernel('k', { chip: 'rp2040' })
    .node('p', 'process', 'k', { periodNs: 1000, payloadBytes: 8 })
    .node('m', 'twoCopyChannel', 'k', { capacity: 4 })
    .node('c', 'process', 'k')
    .node('old', 'process', 'k')
    .edge('p', 'm')
    .edge('m', 'c')
    .edge('old', 'm')
    .build();
  const b = JSON.parse(JSON.stringify(a)) as typeof a;
  b.name = 'after';
  b.run.seed = 2;
  b.nodes = b.nodes.filter((n) => n.id !== 'old');
  b.edges = b.edges.filter((e) => e.source !== 'old');
  const p = b.nodes.find((n) => n.id === 'p')!;
  p.params = { periodNs: 2000, jitterNs: 10 }; // periodNs changed, payloadBytes removed, jitterNs added
  p.position = { x: 999, y: 999 }; // layout only
  b.nodes.find((n) => n.id === 'm')!.name = 'channel';
  b.nodes.push({ id: 'n', kind: 'notification', name: 'n', parent: 'k', position: { x: 0, y: 0 }, params: {} });
  b.edges.push({ id: 'e9', source: 'p', sourceHandle: 'out', target: 'n', targetHandle: 'in', params: {} });
  b.edges.find((e) => e.id === 'e2')!.params = { latencyNs: 5 };
  return { a, b };
}

describe('design diff', () => {
  it('lists nodes, edges and parameters added, removed and changed', () => {
    const { a, b } = designs();
    const d = diffDesigns(a, b);
    expect(d.identical).toBe(false);
    expect(d.design).toEqual([
      { path: 'name', before: 'before', after: 'after' },
      { path: 'run.seed', before: 1, after: 2 },
    ]);
    expect(d.nodes.removed).toEqual([{ id: 'old', kind: 'process', name: 'old' }]);
    expect(d.nodes.added).toEqual([{ id: 'n', kind: 'notification', name: 'n' }]);
    expect(d.nodes.changed).toEqual([
      {
        id: 'p',
        kind: 'process',
        name: 'p',
        fields: [],
        params: [
          { key: 'periodNs', change: 'changed', before: 1000, after: 2000 },
          { key: 'payloadBytes', change: 'removed', before: 8 },
          { key: 'jitterNs', change: 'added', after: 10 },
        ],
      },
      { id: 'm', kind: 'twoCopyChannel', name: 'channel', fields: [{ path: 'name', before: 'm', after: 'channel' }], params: [] },
    ]);
    expect(d.edges.removed).toEqual([{ id: 'e3', source: 'old', sourceHandle: 'out', target: 'm', targetHandle: 'in' }]);
    expect(d.edges.added).toEqual([{ id: 'e9', source: 'p', sourceHandle: 'out', target: 'n', targetHandle: 'in' }]);
    expect(d.edges.changed).toEqual([{ id: 'e2', source: 'm', sourceHandle: 'out', target: 'c', targetHandle: 'in', fields: [], params: [{ key: 'latencyNs', change: 'added', after: 5 }] }]);
    expect(d.counts).toEqual({ nodesAdded: 1, nodesRemoved: 1, nodesChanged: 2, edgesAdded: 1, edgesRemoved: 1, edgesChanged: 1, paramsChanged: 4 });
  });

  it('ignores layout unless asked, and `ui` always', () => {
    const { a } = designs();
    const moved = JSON.parse(JSON.stringify(a)) as typeof a;
    moved.nodes[1]!.position = { x: 5, y: 6 };
    moved.ui = { viewport: { zoom: 3 } };
    expect(diffDesigns(a, moved).identical).toBe(true);
    expect(diffDesigns(a, moved, { layout: true }).nodes.changed).toEqual([
      { id: 'p', kind: 'process', name: 'p', fields: [{ path: 'position', before: a.nodes[1]!.position, after: { x: 5, y: 6 } }], params: [] },
    ]);
    expect(diffDesigns(a, a)).toMatchObject({ identical: true, design: [], nodes: { added: [], removed: [], changed: [] } });
    // Whether the layout differs is said either way (compare: "only the layout differs" vs "the same").
    expect(diffDesigns(a, moved).layoutChanged).toBe(true);
    expect(diffDesigns(a, a).layoutChanged).toBe(false);
  });

  it('splits run settings (seed, duration, warm-up) from the design’s changes', () => {
    const { a } = designs();
    const b = { ...a, run: { ...a.run, seed: a.run.seed + 1, durationNs: a.run.durationNs * 2 } };
    const d = diffDesigns(a, b);
    expect(d.identical).toBe(false);
    const split = splitRunSettings(d);
    expect(split.settings.map((f) => f.path)).toEqual(['run.durationNs', 'run.seed']);
    expect(split.model).toMatchObject({ identical: true, design: [] });
    const renamed = splitRunSettings(diffDesigns(a, { ...b, name: 'other' }));
    expect(renamed.model.identical).toBe(false);
    expect(renamed.model.design.map((f) => f.path)).toEqual(['name']);
  });

  it('formats one line per change', () => {
    const { a, b } = designs();
    expect(formatDesignDiff(diffDesigns(a, b))).toEqual([
      '~ design name: "before" → "after"',
      '~ design run.seed: 1 → 2',
      '- node old (process) "old"',
      '+ node n (notification) "n"',
      '~ node p (process) params.periodNs: 1000 → 2000',
      '- node p (process) params.payloadBytes: 8 → ∅',
      '+ node p (process) params.jitterNs: ∅ → 10',
      '~ node m (twoCopyChannel) name: "m" → "channel"',
      '- edge e3 old → m',
      '+ edge e9 p → n',
      '+ edge e2 params.latencyNs: ∅ → 5',
    ]);
  });

  it('compares values structurally', () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue('1', 1)).toBe(false);
  });
});
