// Warnings alongside errors: the lint runs on the part of a design its errors leave sound, so a work-in-progress
// design keeps its warnings, and a check that would read an element with an error waits for it to be fixed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesignObject, parseDesignText, validateDesign, type Design, type Finding } from '../../../src-shared/model';
import { DesignBuilder } from '../../fixtures/builder';

const examples = join(__dirname, '../../../resources/examples');

function template(file: string): Design {
  const r = parseDesignText(readFileSync(join(examples, file), 'utf8'));
  if (!r.ok) throw new Error(`${file} does not load`);
  return r.design;
}

const codes = (f: Finding[]): [string, string][] => f.map((x) => [x.severity, x.code]);

describe('validator: warnings alongside errors', () => {
  it('keeps the dual-core template’s warning when a Process crash fault with no target is added (the reviewer’s case)', () => {
    const d = template('dual-core-rp2040.json');
    expect(codes(validateDesign(structuredClone(d)))).toEqual([['warning', 'fate-sharing']]);
    d.nodes.push({ id: 'processCrash-1', kind: 'processCrash', name: 'Process crash 1', position: { x: 0, y: 600 }, params: {} });
    const f = validateDesign(d);
    expect(codes(f)).toEqual([
      ['error', 'missing-param'],
      ['warning', 'fate-sharing'],
    ]);
  });

  it('still says the design is invalid, and loading returns the warnings with the errors', () => {
    const d = template('dual-core-rp2040.json');
    d.nodes.push({ id: 'f', kind: 'processCrash', name: 'Process crash 1', position: { x: 0, y: 600 }, params: {} });
    const r = loadDesignObject(JSON.parse(JSON.stringify(d)));
    expect(r.ok).toBe(false);
    expect(codes(r.findings)).toEqual([
      ['error', 'missing-param'],
      ['warning', 'fate-sharing'],
    ]);
  });

  it('skips the checks that would read an element with an error (its value is not one to reason about)', () => {
    // A payload out of range into a notification: the payload is the error; "longer than the upcall" waits.
    const d = new DesignBuilder().kernel('k').node('a', 'process', 'k', { payloadBytes: 1e9 }).node('m', 'notification', 'k').node('b', 'process', 'k', { workload: 'none' }).edge('a', 'm').edge('m', 'b').build();
    expect(codes(validateDesign(structuredClone(d)))).toEqual([['error', 'bad-param']]);
    // Fixed to a value still too long for the upcall: now the warning comes.
    d.nodes[1]!.params.payloadBytes = 64;
    expect(codes(validateDesign(d))).toEqual([['warning', 'message-too-long']]);
  });

  it('skips what lives in a kernel with an error, and checks the other kernels', () => {
    const d = new DesignBuilder()
      .kernel('k0', { chip: 'nope' })
      .kernel('k1')
      .node('a', 'process', 'k0')
      .node('q', 'twoCopyChannel', 'k0', { capacity: 0 })
      .node('b', 'process', 'k0', { workload: 'none' })
      .node('c', 'process', 'k1')
      .node('r', 'twoCopyChannel', 'k1', { capacity: 0 })
      .node('d', 'process', 'k1', { workload: 'none' })
      .edge('a', 'q').edge('q', 'b').edge('c', 'r').edge('r', 'd')
      .build();
    const f = validateDesign(d);
    expect(codes(f)).toEqual([
      ['error', 'bad-param'],
      ['warning', 'unbounded-queue'],
    ]);
    expect(f[1]).toMatchObject({ nodeId: 'r' });
  });

  it('does not invent a missing connection out of one that has an error (no "no receivers" for an illegal edge)', () => {
    const d = new DesignBuilder().kernel('k0').kernel('k1').node('a', 'process', 'k0').node('m', 'twoCopyChannel', 'k0').node('b', 'process', 'k1', { workload: 'none' }).edge('a', 'm').edge('m', 'b').build();
    expect(codes(validateDesign(d))).toEqual([['error', 'illegal-connection']]);
  });

  it('counts only sound connections for what they carry: no MPU share through an illegal connection', () => {
    // Six clients of a legacy IPC service need six regions where five are free; one connection is illegal
    // (its client is in another kernel), so the budget check waits for it.
    const b = new DesignBuilder().kernel('k').kernel('k2').node('svc', 'service', 'k').node('m', 'legacyIpc', 'k').edge('m', 'svc');
    for (let i = 0; i < 5; i++) b.node(`c${i}`, 'process', 'k').edge(`c${i}`, 'm');
    b.node('far', 'process', 'k2').edge('far', 'm');
    expect(codes(validateDesign(b.build()))).toEqual([['error', 'illegal-connection']]);
  });

  it('never throws on designs with every kind of error, and keeps the design-level warnings', () => {
    const d = new DesignBuilder('broken', { durationNs: 1e6, warmupNs: 1e6 })
      .kernel('k')
      .node('p', 'process', undefined, { payloadBytes: 'lots' })
      .node('q', 'process', 'p')
      .node('x', 'quantumChannel', 'k')
      .node('s', 'service', 'k', { allowlist: 'p, ghost', bogus: 1 })
      .node('f', 'kernelFailure', undefined, { targetId: 'gone' })
      .edge('p', 'x')
      .edge('ghost', 's')
      .build();
    d.nodes.push({ ...d.nodes[1]! });
    const f = validateDesign(d);
    expect(f.filter((x) => x.severity === 'error').length).toBeGreaterThan(4);
    expect(f.filter((x) => x.severity === 'warning').map((x) => x.code)).toContain('warmup');
  });
});
