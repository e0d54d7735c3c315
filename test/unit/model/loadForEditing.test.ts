import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editorCanHold, parseDesignText, serializeDesign, type Design } from '../../../src-shared/model';

const examples = new URL('../../../resources/examples/', import.meta.url);

function dualCore(): Design {
  const r = parseDesignText(readFileSync(new URL('dual-core-rp2040.json', examples), 'utf8'));
  if (!r.ok) throw new Error('template does not load');
  return r.design;
}

/** The dual-core template after an edit, as the studio would save it. */
function edited(f: (d: Design) => void): string {
  const d = dualCore();
  f(d);
  return serializeDesign(d);
}

const faultTarget = (d: Design) => d.nodes.find((n) => n.kind === 'kernelFailure')!;

describe('opening work in progress in the editor (forEditing)', () => {
  it('opens a fault whose target was never chosen, with the error to fix; strict loading still refuses it', () => {
    const text = edited((d) => {
      delete faultTarget(d).params.targetId;
    });
    const strict = parseDesignText(text);
    expect(strict.ok).toBe(false);
    const r = parseDesignText(text, { forEditing: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.errorCount).toBe(1);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['missing-param']);
  });

  it('opens a fault whose target names a deleted kernel, and an empty reference', () => {
    const dangling = parseDesignText(edited((d) => void (faultTarget(d).params.targetId = 'gone')), { forEditing: true });
    expect(dangling.ok && dangling.errorCount).toBe(1);
    expect(dangling.findings[0]!.message).toMatch(/names node "gone", which is not in the design/);
    const empty = parseDesignText(edited((d) => void (faultTarget(d).params.targetId = '')), { forEditing: true });
    expect(empty.ok && empty.errorCount).toBe(1);
  });

  it('opens a number out of range, and counts every error', () => {
    const r = parseDesignText(
      edited((d) => {
        d.nodes.find((n) => n.kind === 'process')!.params.payloadBytes = 999_999;
        delete faultTarget(d).params.targetId;
      }),
      { forEditing: true },
    );
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.errorCount).toBe(2);
  });

  it('opens the reviewer’s file with a deleted kernel (fault names "core1")', () => {
    const text = edited((d) => {
      d.nodes = d.nodes.filter((n) => n.id !== 'core1' && n.parent !== 'core1');
      const ids = new Set(d.nodes.map((n) => n.id));
      d.edges = d.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    });
    expect(parseDesignText(text).ok).toBe(false);
    const r = parseDesignText(text, { forEditing: true });
    expect(r.ok).toBe(true);
  });

  it('a design without errors has no errorCount', () => {
    const r = parseDesignText(serializeDesign(dualCore()), { forEditing: true });
    expect(r.ok && r.errorCount).toBeUndefined();
  });

  it.each<[string, (d: Design) => void]>([
    ['a duplicate id', (d) => void (d.nodes[1]!.id = d.nodes[0]!.id)],
    ['a parent that is missing', (d) => void (d.nodes.find((n) => n.kind === 'process')!.parent = 'nowhere')],
    ['a parent that is not a kernel', (d) => void (d.nodes.find((n) => n.kind === 'process')!.parent = d.nodes.find((n) => n.kind === 'interKernelChannel')!.id)],
    ['an edge to a missing node', (d) => void (d.edges[0]!.target = 'nowhere')],
    ['an unknown kind', (d) => void (d.nodes[1]!.kind = 'proces')],
    ['an unknown parameter', (d) => void (d.nodes[1]!.params.colour = 'red')],
    ['text in a numeric field', (d) => void (d.nodes.find((n) => n.kind === 'process')!.params.periodNs = '5 parsecs')],
    ['an unknown option', (d) => void (d.nodes.find((n) => n.kind === 'process')!.params.workload = 'perodic')],
    ['an illegal connection', (d) => void (d.edges[0]!.targetHandle = 'nope')],
  ])('still refuses %s', (_what, f) => {
    const r = parseDesignText(edited(f), { forEditing: true });
    expect(r.ok).toBe(false);
  });

  it('still refuses bad JSON, another format or version, and schema failures', () => {
    expect(parseDesignText('{', { forEditing: true }).ok).toBe(false);
    expect(parseDesignText(JSON.stringify({ ...dualCore(), format: 'x' }), { forEditing: true }).ok).toBe(false);
    expect(parseDesignText(JSON.stringify({ ...dualCore(), version: 99 }), { forEditing: true }).ok).toBe(false);
    expect(parseDesignText(JSON.stringify({ ...dualCore(), nodes: 'none' }), { forEditing: true }).ok).toBe(false);
  });

  it('editorCanHold: warnings always, errors only of the kinds the inspector edits', () => {
    const d = dualCore();
    expect(editorCanHold({ severity: 'warning', code: 'toctou', path: 'x', message: '' }, d)).toBe(true);
    expect(editorCanHold({ severity: 'error', code: 'duplicate-id', path: 'x', message: '', nodeId: 'p0' }, d)).toBe(false);
    expect(editorCanHold({ severity: 'error', code: 'missing-param', path: 'x', message: '', nodeId: 'kf', paramKey: 'targetId' }, d)).toBe(true);
  });
});
