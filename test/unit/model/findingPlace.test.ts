// Each finding names its place once: `path` and `where` say which element, the message says what is wrong with
// it and does not name that element again (the open-file dialog showed 'Process crash “Process crash 1”: Process
// crash "Process crash 1" needs Process (targetId)', the command line the same twice over).
import { describe, expect, it } from 'vitest';
import { describeFinding, formatFinding, validateDesign, type Design, type Finding } from '../../../src-shared/model';
import { DesignBuilder } from '../../fixtures/builder';

/** Gives every node a name of its own (`Name-<id>`), so a message naming it can be told from one naming its id. */
function named(d: Design): Design {
  for (const n of d.nodes) n.name = `Name-${n.id}`;
  return d;
}

const pair = (mech: string, mechParams = {}): DesignBuilder =>
  new DesignBuilder().kernel('k').node('a', 'process', 'k').node('m', mech, 'k', mechParams).node('b', 'process', 'k', { workload: 'none' }).edge('a', 'm').edge('m', 'b');

/** Designs between them giving nearly every finding the validator has. */
function designs(): Design[] {
  const out: Design[] = [];
  out.push(new DesignBuilder().kernel('k').node('f', 'processCrash', undefined).build()); // missing-param
  out.push(new DesignBuilder().kernel('k').node('f', 'processCrash', undefined, { targetId: 'ghost' }).build()); // dangling-ref
  out.push(new DesignBuilder().kernel('k').node('f', 'processCrash', undefined, { targetId: 'k' }).build()); // bad-ref
  out.push(new DesignBuilder().kernel('k').node('p', 'process', undefined).node('q', 'process', 'p').build()); // no-kernel, bad-parent
  out.push(pair('twoCopyChannel', { bogus: 1, capacity: -1 }).build()); // unknown-param, bad-param
  out.push(new DesignBuilder().kernel('k').node('a', 'process', 'k').node('b', 'process', 'k').edge('a', 'b').build()); // illegal-connection
  const mpu = new DesignBuilder().kernel('k').node('svc', 'service', 'k').node('m', 'legacyIpc', 'k').edge('m', 'svc');
  for (let i = 0; i < 6; i++) mpu.node(`c${i}`, 'process', 'k').edge(`c${i}`, 'm');
  out.push(mpu.build()); // mpu-budget
  out.push(pair('sharedMemory', { chunkBytes: 100, access: 'writableBoth' }).build()); // mpu-alignment, toctou
  out.push(pair('twoCopyChannel', { capacity: 0, maxMessageBytes: 16 }).build()); // unbounded-queue, message-too-long
  out.push(pair('notification', { payloadWords: 1 }).build());
  out.push(pair('relayMessage', { sliceBytes: 32 }).build());
  out.push(new DesignBuilder().kernel('k0').kernel('k1').node('a', 'process', 'k0').node('m', 'interKernelChannel', undefined, { mode: 'byReference' }).node('b', 'process', 'k1', { workload: 'none' }).edge('a', 'm').edge('m', 'b').build()); // fate-sharing
  out.push(new DesignBuilder().kernel('k').node('s', 'service', 'k').node('m', 'twoCopyChannel', 'k').node('p', 'process', 'k').build()); // unused-service, idle-mechanism, idle-workload
  out.push(new DesignBuilder().kernel('k').node('dev', 'virtioNet', 'k', { rxWorkload: 'periodic', rxSliceBytes: 64, rxPayloadBytes: 512 }).node('r', 'process', 'k', { workload: 'none' }).edge('dev', 'r', 'rx', 'in').build()); // slice-too-small
  out.push(new DesignBuilder().kernel('k', { chip: 'rp2040' }).node('dev', 'cyw43439', 'k', { rxWorkload: 'none' }).node('s', 'process', 'k').edge('s', 'dev', 'out', 'tx').build()); // link-not-up
  const allow = new DesignBuilder().kernel('k').node('a', 'process', 'k').node('m', 'twoCopyChannel', 'k').node('s', 'service', 'k').node('z', 'process', 'k', { workload: 'none' }).edge('a', 'm').edge('m', 's').build();
  named(allow).nodes.find((n) => n.id === 's')!.params.allowlist = 'Name-z, Name-ghost';
  out.push(allow); // allowlist-unknown, allowlist-unreachable, allowlist-refused
  return out.map(named);
}

/** The names of the element a finding's path points into. */
function ownNames(f: Finding, d: Design): string[] {
  const m = /^(nodes|edges)\[(\d+)\]/.exec(f.path);
  if (!m) return [];
  if (m[1] === 'nodes') return [d.nodes[Number(m[2])]!.name];
  const e = d.edges[Number(m[2])]!;
  const name = (id: string): string => d.nodes.find((n) => n.id === id)?.name ?? id;
  return [`"${name(e.source)}" → "${name(e.target)}"`];
}

describe('findings name their place once', () => {
  const all = designs().flatMap((d) => validateDesign(d).map((f) => ({ f, d })));

  it('cover the findings the validator has', () => {
    const codes = new Set(all.map((x) => x.f.code));
    for (const c of ['missing-param', 'dangling-ref', 'bad-ref', 'no-kernel', 'bad-parent', 'unknown-param', 'bad-param', 'illegal-connection', 'mpu-budget', 'mpu-alignment', 'toctou', 'unbounded-queue', 'message-too-long', 'fate-sharing', 'unused-service', 'idle-mechanism', 'idle-workload', 'slice-too-small', 'link-not-up', 'allowlist-unknown', 'allowlist-unreachable', 'allowlist-refused']) {
      expect(codes, c).toContain(c);
    }
  });

  it('with the element in `where` and not again in the message', () => {
    for (const { f, d } of all) {
      const own = ownNames(f, d);
      if (own.length === 0) continue;
      expect(f.where, `${f.code} at ${f.path}`).toBeDefined();
      for (const name of own) {
        expect(f.message, `${f.code}: ${formatFinding(f)}`).not.toContain(name.startsWith('"') ? name : `"${name}"`);
        expect(f.message, `${f.code}: ${formatFinding(f)}`).not.toContain(`“${name}”`);
      }
    }
  });

  it('the reviewer’s fault with no target: once on the command line and once in a sentence', () => {
    const d = new DesignBuilder().kernel('k').node('processCrash-1', 'processCrash', undefined).build();
    d.nodes[1]!.name = 'Process crash 1';
    const g = validateDesign(d)[0]!;
    expect(describeFinding(g)).toBe('Process crash “Process crash 1”: Process (targetId) is required but not set');
    expect(formatFinding(g)).toBe('error nodes[1].params.targetId: Process (targetId) is required but not set (Process crash “Process crash 1”)');
    expect(describeFinding({ ...g, where: undefined })).toBe('Process (targetId) is required but not set');
  });

  it('an illegal connection says why, its ends named by `where` only', () => {
    const d = named(new DesignBuilder().kernel('k').node('a', 'process', 'k').node('b', 'process', 'k').edge('a', 'b').build());
    const f = validateDesign(d)[0]!;
    expect(f).toMatchObject({ code: 'illegal-connection', where: 'connection “Name-a” → “Name-b”' });
    expect(f.message).toMatch(/^Processes cannot talk to each other directly/);
  });
});
