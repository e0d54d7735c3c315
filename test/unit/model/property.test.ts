import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { KINDS } from '../../../src-shared/catalog';
import { loadDesignObject, parseDesignText, type LoadResult } from '../../../src-shared/model';

const dir = join(__dirname, '../../../resources/examples');
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);

let cases = 0;
let rejected = 0;

/** Every outcome must be a result (never a throw); every rejection names a path; no internal errors. */
function check(r: LoadResult): void {
  cases++;
  for (const f of r.findings) {
    expect(f.path.length).toBeGreaterThan(0);
    expect(f.message.length).toBeGreaterThan(3);
    expect(f.code).not.toBe('internal');
  }
  if (!r.ok) {
    rejected++;
    expect(r.findings.some((f) => f.severity === 'error')).toBe(true);
  }
}

type Json = unknown;

/** Mutations a person (or a broken tool) could make to a design file. */
const interesting: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1, 1.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 2 ** 32),
  fc.string(),
  fc.constantFrom('5ms', '40us', 'abc', '', 'kernel', 'process', 'twoCopyChannel', 'k0', 'out', 'in', 'rx', 'tx', 'aligned'),
  fc.constantFrom(...KINDS.map((k) => k.kind)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

function pathsOf(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (v && typeof v === 'object') {
    for (const [k, c] of Object.entries(v as Record<string, Json>)) pathsOf(c, [...prefix, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

function setAt(root: Json, path: (string | number)[], value: Json, op: 'set' | 'delete'): Json {
  if (path.length === 0) return op === 'set' ? value : undefined;
  const copy = JSON.parse(JSON.stringify(root)) as Record<string, Json>;
  let cur: Record<string, Json> = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string, Json>;
  const last = path[path.length - 1]!;
  if (op === 'delete') {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}

describe('loader and validator under random and mutated input (fast-check)', () => {
  afterAll(() => {
    console.log(`property tests: ${cases} designs loaded, ${rejected} rejected with a path, 0 uncaught exceptions`);
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => check(loadDesignObject(v))), { numRuns: 3000, seed: 42 });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => check(parseDesignText(s))), { numRuns: 2000, seed: 43 });
  });

  it('never throws on designs with one to three mutations, and names a path for every rejection', () => {
    const mutation = fc.record({ pick: fc.nat(), op: fc.constantFrom<'set' | 'delete'>('set', 'set', 'delete'), value: interesting });
    fc.assert(
      fc.property(fc.nat(examples.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (ex, muts) => {
        let d: Json = examples[ex];
        for (const m of muts) {
          const paths = pathsOf(d);
          const p = paths[m.pick % paths.length]!;
          d = setAt(d, p, m.value, m.op);
        }
        check(loadDesignObject(d));
      }),
      { numRuns: 6000, seed: 44 },
    );
  });

  it('never throws on structurally valid designs with random kinds, parents and edges', () => {
    const kindNames = KINDS.map((k) => k.kind);
    const design = fc.record({
      nodes: fc.array(
        fc.record({ kind: fc.constantFrom(...kindNames, 'nope'), parent: fc.option(fc.nat(7), { nil: undefined }), params: fc.dictionary(fc.constantFrom('periodNs', 'capacity', 'chip', 'targetId', 'mode', 'payloadBytes', 'x'), interesting.filter((v) => v !== undefined && v !== null && typeof v !== 'object'), { maxKeys: 3 }) }),
        { maxLength: 8 },
      ),
      edges: fc.array(fc.record({ s: fc.nat(7), t: fc.nat(7), sh: fc.constantFrom('out', 'in', 'rx', 'tx'), th: fc.constantFrom('out', 'in', 'rx', 'tx') }), { maxLength: 10 }),
    });
    fc.assert(
      fc.property(design, ({ nodes, edges }) => {
        const raw = {
          format: 'tock-ipc-studio/design',
          version: 1,
          name: 'random',
          nodes: nodes.map((n, i) => ({ id: `n${i}`, kind: n.kind, name: `n${i}`, ...(n.parent !== undefined ? { parent: `n${n.parent}` } : {}), position: { x: i, y: 0 }, params: n.params })),
          edges: edges.map((e, i) => ({ id: `e${i}`, source: `n${e.s}`, sourceHandle: e.sh, target: `n${e.t}`, targetHandle: e.th, params: {} })),
          run: { durationNs: 1_000_000, seed: 1 },
        };
        check(loadDesignObject(raw));
      }),
      { numRuns: 4000, seed: 45 },
    );
  });
});
