import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { Design } from '../../src-shared/model';
import type { LayoutResult } from './commands';
import { KERNEL_HEADER, sizeOf, type MeasuredSizes } from './geometry';

let elk: InstanceType<typeof ELK> | undefined;

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '150',
  'elk.spacing.nodeNode': '40',
  'elk.spacing.componentComponent': '60',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

const KERNEL_OPTIONS = {
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.padding': `[top=${KERNEL_HEADER + 24},left=32,bottom=32,right=32]`,
  'elk.spacing.nodeNode': '44',
  'elk.layered.spacing.nodeNodeBetweenLayers': '150',
};

/**
 * Lays the design out with ELK's layered algorithm, left to right: kernels are compound nodes sized to fit their
 * contents; edges inside one kernel are laid out there, the others (inter-kernel channels) at the top level.
 * Returns positions relative to each node's parent, as the design format stores them.
 */
export async function computeLayout(design: Design, measured: MeasuredSizes = {}): Promise<LayoutResult> {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const graphNodes = new Map<string, ElkNode>();
  const root: ElkNode = { id: '__root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const n of design.nodes) {
    const size = sizeOf(n, measured);
    const en: ElkNode = n.kind === 'kernel' ? { id: n.id, layoutOptions: KERNEL_OPTIONS, children: [], edges: [] } : { id: n.id, width: size.width, height: size.height };
    graphNodes.set(n.id, en);
  }
  for (const n of design.nodes) {
    const parent = n.parent && byId.get(n.parent)?.kind === 'kernel' ? graphNodes.get(n.parent)! : root;
    parent.children!.push(graphNodes.get(n.id)!);
  }
  for (const e of design.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    const edge: ElkExtendedEdge = { id: e.id, sources: [e.source], targets: [e.target] };
    const container = s.parent && s.parent === t.parent ? graphNodes.get(s.parent) : root;
    (container ?? root).edges!.push(edge);
  }
  // An empty kernel still needs a size.
  for (const n of design.nodes) {
    const g = graphNodes.get(n.id)!;
    if (n.kind === 'kernel' && g.children!.length === 0) {
      g.width = sizeOf(n).width;
      g.height = sizeOf(n).height;
    }
  }
  elk ??= new ELK();
  const out = await elk.layout(root);
  const positions = new Map<string, { x: number; y: number }>();
  const sizes = new Map<string, { width: number; height: number }>();
  const visit = (node: ElkNode): void => {
    for (const c of node.children ?? []) {
      positions.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
      if (byId.get(c.id)?.kind === 'kernel') sizes.set(c.id, { width: Math.round(c.width ?? 0), height: Math.round(c.height ?? 0) });
      visit(c);
    }
  };
  visit(out);
  return { positions, sizes };
}
