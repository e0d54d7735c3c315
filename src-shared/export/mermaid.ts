// The diagram as Mermaid flowchart text, for wikis, issues and Markdown design docs: kernels as subgraphs, a shape
// per category, each connection an arrow and, given a run, p99 and losses on the arrows and badges in the labels.
// Node ids are rewritten (n0, n1, …) because Mermaid gives `-`, `.` and some words (`end`) meaning.

import { getKind } from '../catalog';
import { nodeSummary } from '../catalog/summary';
import type { Design, DesignNode } from '../model';
import { computeOverlay, edgeLabel } from '../results/overlay';
import type { RunSummary } from '../results/summary';
import { runWarmupNs, spanText, warmupClause } from './runSpan';

/** What to write. */
export interface MermaidOptions {
  run?: {
    runId: number;
    summary: RunSummary;
    note?: string;
    /** The run's warm-up (its record's `settings.warmupNs`); without it, the design's when the run is of it (`runWarmupNs`). */
    warmupNs?: number;
  };
  /** Left to right (default, like the canvas) or top down. */
  direction?: 'LR' | 'TD';
}

/** Text safe inside a Mermaid quoted label: quotes and markup characters as entity codes. */
export function mermaidText(text: string): string {
  return text.replace(/["#<>&]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

const SHAPES: Readonly<Record<string, [string, string]>> = {
  process: ['["', '"]'],
  service: ['(["', '"])'],
  mechanism: ['[["', '"]]'],
  pattern: ['[/"', '"/]'],
  peripheral: ['{{"', '"}}'],
  fault: ['>"', '"]'],
};

const CLASSES: Readonly<Record<string, string>> = {
  process: 'fill:#eff4ff,stroke:#2563eb,color:#1b2230',
  mechanism: 'fill:#e6f6f4,stroke:#0d9488,color:#1b2230',
  pattern: 'fill:#f3eefe,stroke:#7c3aed,color:#1b2230',
  peripheral: 'fill:#fdf3e7,stroke:#c26a04,color:#1b2230',
  fault: 'fill:#fef3f2,stroke:#dc2626,color:#1b2230',
  lost: 'stroke:#d92d20,stroke-width:2px',
};

/** The design (and a run's results) as a Mermaid flowchart. */
export function designToMermaid(design: Design, opts: MermaidOptions = {}): string {
  const overlay = opts.run ? computeOverlay(opts.run.runId, opts.run.summary, design) : null;
  const ids = new Map(design.nodes.map((n, i) => [n.id, `n${i}`]));
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const names = (id: string): string | undefined => byId.get(id)?.name;
  // With a warm-up, the header says what span the figures cover (a run without one reads as before).
  const warmupNs = opts.run ? runWarmupNs(opts.run, design) : null;
  const span = opts.run && warmupClause(opts.run.summary.simTimeNs, warmupNs) ? ` · ${spanText(opts.run.summary.simTimeNs, warmupNs)}` : '';
  const lines: string[] = [
    `%% ${mermaidText(design.name)}${opts.run ? ` · results of run #${opts.run.runId} (seed ${opts.run.summary.seed})${mermaidText(span)}${opts.run.note ? ` · ${mermaidText(opts.run.note)}` : ''}` : ''}`,
    '%% Exported by Tock IPC Studio',
    `flowchart ${opts.direction ?? 'LR'}`,
  ];
  const used = new Set<string>();
  const label = (n: DesignNode): string => {
    const kind = getKind(n.kind);
    const parts = [`<b>${mermaidText(n.name)}</b>`, mermaidText(kind ? nodeSummary(n, names) : n.kind)];
    const badge = overlay?.nodes.get(n.id);
    if (badge) parts.push(mermaidText(badge.badge));
    return parts.join('<br/>');
  };
  const nodeLine = (n: DesignNode, indent: string): string => {
    const kind = getKind(n.kind);
    const category = n.kind === 'service' ? 'service' : (kind?.category ?? 'process');
    const [open, close] = SHAPES[category] ?? SHAPES.process!;
    const cls = kind?.category ?? 'process';
    used.add(cls);
    return `${indent}${ids.get(n.id)}${open}${label(n)}${close}:::${cls}`;
  };
  const children = new Map<string, DesignNode[]>();
  for (const n of design.nodes) {
    if (n.parent && byId.get(n.parent)?.kind === 'kernel') {
      const list = children.get(n.parent) ?? [];
      list.push(n);
      children.set(n.parent, list);
    }
  }
  for (const n of design.nodes) {
    if (n.kind === 'kernel') {
      const badge = overlay?.nodes.get(n.id);
      const title = [mermaidText(n.name), mermaidText(nodeSummary(n, names)), badge ? mermaidText(badge.badge) : ''].filter(Boolean).join(' · ');
      lines.push(`  subgraph ${ids.get(n.id)}["${title}"]`);
      for (const c of children.get(n.id) ?? []) lines.push(nodeLine(c, '    '));
      lines.push('  end');
    } else if (!(n.parent && byId.get(n.parent)?.kind === 'kernel')) lines.push(nodeLine(n, '  '));
  }
  const lostEdges: number[] = [];
  let link = 0; // linkStyle numbers links in the order they are written
  design.edges.forEach((e) => {
    const s = ids.get(e.source);
    const t = ids.get(e.target);
    if (!s || !t) return;
    const o = overlay?.edges.get(e.id);
    const text = o ? edgeLabel('', o, undefined) : '';
    if (o && o.lost > 0) lostEdges.push(link);
    link++;
    lines.push(text ? `  ${s} -->|"${mermaidText(text)}"| ${t}` : `  ${s} --> ${t}`);
  });
  for (const cls of [...used].sort()) if (CLASSES[cls]) lines.push(`  classDef ${cls} ${CLASSES[cls]}`);
  if (lostEdges.length > 0) lines.push(`  linkStyle ${lostEdges.join(',')} ${CLASSES.lost}`);
  return `${lines.join('\n')}\n`;
}
