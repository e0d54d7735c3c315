import { getKind, isChannelKind } from '../catalog';
import type { Design } from './design';

/**
 * A flow: one sender → one receiver through one mechanism, pattern or peripheral. Each (sender, receiver) pair
 * of a mechanism is a flow; a peripheral gives one flow per subscribed app (receive) and per transmitting app.
 * Invariant: `id` is unique in a design and stable across runs of the same design.
 */
export interface FlowDef {
  id: string;
  name: string;
  source: string;
  /** The node that carries the flow (mechanism, pattern or peripheral). */
  via: string;
  target: string;
  /** Kind of the carrying node (`twoCopyChannel`, `stm32Ethernet`, …). */
  mechanism: string;
}

/** The flows of a valid design, in a deterministic order (by carrying node, then sender, then receiver). */
export function deriveFlows(design: Design): FlowDef[] {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const flows: FlowDef[] = [];
  const name = (id: string): string => byId.get(id)?.name ?? id;
  for (const node of design.nodes) {
    const kind = getKind(node.kind);
    if (!kind) continue;
    const ins = design.edges.filter((e) => e.target === node.id && byId.has(e.source)).map((e) => e.source);
    const outs = design.edges.filter((e) => e.source === node.id && byId.has(e.target)).map((e) => e.target);
    if (isChannelKind(kind) && kind.kind !== 'registry') {
      for (const s of ins) {
        for (const r of outs) {
          flows.push({ id: `${s}>${node.id}>${r}`, name: `${name(s)} → ${node.name} → ${name(r)}`, source: s, via: node.id, target: r, mechanism: kind.kind });
        }
      }
    } else if (kind.category === 'peripheral') {
      for (const r of outs) flows.push({ id: `${node.id}>${r}`, name: `${node.name} → ${name(r)}`, source: node.id, via: node.id, target: r, mechanism: kind.kind });
      for (const s of ins) flows.push({ id: `${s}>${node.id}`, name: `${name(s)} → ${node.name}`, source: s, via: node.id, target: node.id, mechanism: kind.kind });
    }
  }
  return flows;
}
