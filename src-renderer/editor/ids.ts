import type { Design } from '../../src-shared/model';

/** Every id used in a design (node and edge ids share one namespace). */
export function takenIds(design: Design): Set<string> {
  const s = new Set<string>();
  for (const n of design.nodes) s.add(n.id);
  for (const e of design.edges) s.add(e.id);
  return s;
}

/** A short id prefix per kind: `process` → `process`, `twoCopyChannel` → `twoCopyChannel`. */
function prefixFor(kind: string): string {
  return kind.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 40) || 'node';
}

/** A fresh id `<prefix>-<n>` not in `taken`; adds it to `taken` so a batch stays unique. */
export function freshId(taken: Set<string>, kindOrPrefix: string): string {
  const prefix = prefixFor(kindOrPrefix);
  let i = 1;
  while (taken.has(`${prefix}-${i}`)) i++;
  const id = `${prefix}-${i}`;
  taken.add(id);
  return id;
}

/** A name not used by any node: `base`, else `base 2`, `base 3`… (`numbered` always adds a number). */
export function freshName(names: Set<string>, base: string, numbered = false): string {
  const stem = base.replace(/ \d+$/, '');
  if (!numbered && !names.has(base)) {
    names.add(base);
    return base;
  }
  let i = numbered ? 1 : 2;
  while (names.has(`${stem} ${i}`)) i++;
  const name = `${stem} ${i}`;
  names.add(name);
  return name;
}

/** The names of a design's nodes. */
export function takenNames(design: Design): Set<string> {
  return new Set(design.nodes.map((n) => n.name));
}
