// The diagram as a standalone SVG for design reviews: real text (searchable, selectable, crisp when zoomed), the
// canvas's layout (kernels as containers, cards, bezier edges from out ports to in ports, back edges looped below)
// and, given a run, its results drawn where the canvas draws them (p99 and losses on edges, MPU / depth / CPU badges
// on cards).
// Pure: the same design and summary give the same bytes, so exports diff cleanly in a review.

import { getKind } from '../catalog';
import { connectionCarrier, nodeSummary, shortKindLabel } from '../catalog/summary';
import type { Design, DesignEdge, DesignNode } from '../model';
import { absolutePosition, DEFAULT_KERNEL_SIZE, KERNEL_HEADER, NODE_SIZE } from '../model/geometry';
import { computeOverlay, edgeLabel, type CanvasOverlay, type NodeOverlay } from '../results/overlay';
import type { RunSummary } from '../results/summary';
import { runWarmupNs, spanText } from './runSpan';

/** Colours of one theme (the studio's light and dark palettes). */
export interface ExportTheme {
  bg: string;
  text: string;
  muted: string;
  card: string;
  cardBorder: string;
  kernelFill: string;
  kernelBorder: string;
  edge: string;
  labelBg: string;
  labelBorder: string;
  /** Result badges, as on the canvas: text and fill per tone (ok is the accent colour). */
  ok: string;
  okSoft: string;
  warn: string;
  warnSoft: string;
  danger: string;
  dangerSoft: string;
  categories: Readonly<Record<string, string>>;
}

export const THEMES: Readonly<Record<'light' | 'dark', ExportTheme>> = {
  light: {
    bg: '#ffffff',
    text: '#1b2230',
    muted: '#667085',
    card: '#ffffff',
    cardBorder: '#d5dae2',
    kernelFill: '#f3f5f8',
    kernelBorder: '#b9c0cb',
    edge: '#8b95a7',
    labelBg: '#ffffff',
    labelBorder: '#d5dae2',
    ok: '#2a52c9',
    okSoft: '#e7edfc',
    warn: '#b54708',
    warnSoft: '#fffaeb',
    danger: '#d92d20',
    dangerSoft: '#fef3f2',
    categories: { kernel: '#4b5563', process: '#2563eb', mechanism: '#0d9488', pattern: '#7c3aed', peripheral: '#c26a04', fault: '#dc2626' },
  },
  dark: {
    bg: '#0e1116',
    text: '#e4e7ec',
    muted: '#98a1b0',
    card: '#1b2029',
    cardBorder: '#323a47',
    kernelFill: '#161a21',
    kernelBorder: '#3b4350',
    edge: '#7a8496',
    labelBg: '#1b2029',
    labelBorder: '#363e4b',
    ok: '#9db2ff',
    okSoft: '#252d47',
    warn: '#fdb022',
    warnSoft: '#2d2719',
    danger: '#f97066',
    dangerSoft: '#2b1a1a',
    categories: { kernel: '#6b7280', process: '#4f83f1', mechanism: '#14a394', pattern: '#9368f0', peripheral: '#d98a1c', fault: '#ef5350' },
  },
};

export type ThemeName = keyof typeof THEMES;

/** What to draw. */
export interface SvgOptions {
  /**
   * Results to overlay (matched to the design by id), with the run's id for the caption and, when the run is not
   * exactly of this design (edited since, another version), a note saying so.
   */
  run?: {
    runId: number;
    summary: RunSummary;
    note?: string;
    /** The run's warm-up (its record's `settings.warmupNs`); without it, the design's when the run is of it (`runWarmupNs`). */
    warmupNs?: number;
  };
  theme?: ThemeName;
  /** Caption above the diagram (default: the design's name, and the run's when one is given). */
  title?: string | null;
}

const HEAD_H = 26;
const LINE_H = 16;
const PORT_ROW_H = 16;
const MARGIN = 24;
const CAPTION_H = 44;
const BADGE_FONT = 10;
/**
 * A back edge runs BACK_OUT out of its ports before turning, and back BACK_DROP below the lower of its two boxes (and
 * of any card it would cross), far enough for its label to clear them. Below another back edge across the same
 * stretch, it runs BACK_LANE lower and turns BACK_SPREAD further out, around it. Corners are rounded as on the canvas.
 */
const BACK_OUT = 18;
const BACK_DROP = 20;
const BACK_LANE = 20;
const BACK_SPREAD = 6;
const BACK_RADIUS = 8;
/** Where along its path an edge's label may sit, best first: the middle, else either side of it. */
const LABEL_AT = [0.5, 0.3, 0.7];
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** An estimate of a text's width in px (average glyph widths of a sans-serif face); no font metrics here. */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const ch of text) {
    if (/[il.,:;|!'’ ]/.test(ch)) w += 0.3;
    else if (/[mwMW@%]/.test(ch)) w += 0.85;
    else if (/[A-Z0-9µ]/.test(ch)) w += 0.64;
    else w += 0.54;
  }
  // Calibrated against DejaVu Sans (Linux's default sans-serif, among the widest): other faces only leave room.
  return w * size * 1.05 * (bold ? 1.08 : 1);
}

/** `text` cut with an ellipsis to fit `maxPx` at `size`. */
export function fitText(text: string, maxPx: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= maxPx) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size, bold) > maxPx) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** A laid-out box: absolute position and size. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each node is drawn (absolute coordinates) and the rows of its ports, for edges to attach to. */
export interface DiagramLayout {
  boxes: Map<string, Box>;
  /** The smallest box around every node. */
  bounds: Box;
}

function portRows(node: DesignNode): { ins: string[]; outs: string[] } {
  const kind = getKind(node.kind);
  const ports = kind?.ports ?? [];
  return { ins: ports.filter((p) => p.direction === 'in').map((p) => p.id), outs: ports.filter((p) => p.direction === 'out').map((p) => p.id) };
}

/** A card's height: header, summary line, result badge (when results are drawn) and one row per port pair. */
function cardHeight(node: DesignNode, hasBadge: boolean): number {
  const { ins, outs } = portRows(node);
  return HEAD_H + LINE_H + (hasBadge ? 22 : 0) + Math.max(ins.length, outs.length) * PORT_ROW_H + 8;
}

/** Absolute boxes of every node (kernels from their stored size, cards from their content). */
export function layoutDiagram(design: Design, overlay: CanvasOverlay | null = null): DiagramLayout {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const boxes = new Map<string, Box>();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of design.nodes) {
    const at = absolutePosition(byId, n);
    const size = n.kind === 'kernel' ? (n.size ?? DEFAULT_KERNEL_SIZE) : { width: NODE_SIZE.width, height: cardHeight(n, overlay?.nodes.has(n.id) ?? false) };
    const box = { x: at.x, y: at.y, width: size.width, height: size.height };
    boxes.set(n.id, box);
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  if (boxes.size === 0) return { boxes, bounds: { x: 0, y: 0, width: 320, height: 120 } };
  return { boxes, bounds: { x: minX, y: minY, width: maxX - minX, height: maxY - minY } };
}

function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** Text and fill of a result badge of `tone`. */
function toneColors(theme: ExportTheme, tone: NodeOverlay['tone']): { fg: string; bg: string } {
  return tone === 'danger' ? { fg: theme.danger, bg: theme.dangerSoft } : tone === 'warn' ? { fg: theme.warn, bg: theme.warnSoft } : { fg: theme.ok, bg: theme.okSoft };
}

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

function badge(x: number, y: number, content: string, tone: NodeOverlay['tone'], theme: ExportTheme, anchorEnd = false): string {
  const { fg, bg } = toneColors(theme, tone);
  const w = textWidth(content, BADGE_FONT, true) + 12;
  const left = anchorEnd ? x - w : x;
  const border = tone === 'danger' ? ` stroke="${fg}" stroke-width="1"` : '';
  return `<rect x="${num(left)}" y="${num(y)}" width="${num(w)}" height="18" rx="4" fill="${bg}"${border}/>` + text(left + 6, y + 12.5, content, `font-size="${BADGE_FONT}" font-weight="600" fill="${fg}"`);
}

/** The caption: the design's name, and which run's results are drawn. */
function caption(design: Design, opts: SvgOptions): { title: string; sub: string } {
  const title = opts.title ?? design.name;
  if (!opts.run) return { title, sub: `${design.nodes.length} nodes · ${design.edges.length} connections` };
  const s = opts.run.summary;
  // A run with a warm-up counts only what follows it: the caption says so wherever it states the run's span.
  return { title, sub: `Results of run #${opts.run.runId} · seed ${s.seed} · ${spanText(s.simTimeNs, runWarmupNs(opts.run, design))} · engine ${s.engineVersion}${opts.run.note ? ` · ${opts.run.note}` : ''}` };
}

/** The size an exported SVG declares (its width and height attributes). */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
  return { width: Number(m?.[1] ?? 800), height: Number(m?.[2] ?? 600) };
}

/** The design (and a run's results) as an SVG document. */
export function designToSvg(design: Design, opts: SvgOptions = {}): string {
  const theme = THEMES[opts.theme ?? 'light'];
  const overlay = opts.run ? computeOverlay(opts.run.runId, opts.run.summary, design) : null;
  const layout = layoutDiagram(design, overlay);
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const names = (id: string): string | undefined => byId.get(id)?.name;
  const ends = edgeEnds(design.edges, byId, layout, overlay);
  const showCaption = opts.title !== null;
  const top = showCaption ? CAPTION_H : 0;
  const area = withLoops(layout.bounds, ends);
  const cap = caption(design, opts);
  // Wide enough for the caption too (a small design's run line would be cut at the edge).
  const captionWidth = showCaption ? Math.max(textWidth(cap.title, 16, true), textWidth(cap.sub, 11.5)) : 0;
  const width = Math.ceil(Math.max(area.width, captionWidth) + 2 * MARGIN);
  const height = Math.ceil(area.height + 2 * MARGIN + top);
  // Design coordinates → SVG: the drawing's corner sits at (MARGIN, MARGIN + caption).
  const ox = MARGIN - area.x;
  const oy = MARGIN + top - area.y;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(cap.title)}" font-family="${escapeXml(FONT)}">`,
    `<title>${escapeXml(cap.title)}</title>`,
    `<desc>${escapeXml(`Tock IPC Studio diagram of “${design.name}”. ${cap.sub}.`)}</desc>`,
    '<defs>',
    `<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${theme.edge}"/></marker>`,
    `<marker id="arrow-lost" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${theme.danger}"/></marker>`,
    '</defs>',
    `<rect width="100%" height="100%" fill="${theme.bg}"/>`,
  );
  if (showCaption) {
    out.push(text(MARGIN, MARGIN + 6, cap.title, `font-size="16" font-weight="650" fill="${theme.text}"`));
    out.push(text(MARGIN, MARGIN + 24, cap.sub, `font-size="11.5" fill="${theme.muted}"`));
  }
  if (design.nodes.length === 0) out.push(text(MARGIN, top + MARGIN + 30, 'This design is empty.', `font-size="13" fill="${theme.muted}"`));

  // Kernels first (containers under everything), then edges, then cards (as on the canvas).
  for (const n of design.nodes) {
    if (n.kind !== 'kernel') continue;
    const b = layout.boxes.get(n.id)!;
    const x = b.x + ox;
    const y = b.y + oy;
    const o = overlay?.nodes.get(n.id);
    const color = theme.categories.kernel!;
    out.push(`<g class="kernel" data-id="${escapeXml(n.id)}">`);
    out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(b.width)}" height="${num(b.height)}" rx="10" fill="${theme.kernelFill}" stroke="${theme.kernelBorder}" stroke-width="1.5"/>`);
    out.push(`<rect x="${num(x + 10)}" y="${num(y + 9)}" width="18" height="18" rx="4" fill="${color}"/>`);
    out.push(text(x + 19, y + 22, getKind('kernel')?.icon ?? 'K', `font-size="10" font-weight="700" fill="#ffffff" text-anchor="middle"`));
    const badgeW = o ? textWidth(o.badge, BADGE_FONT, true) + 20 : 0;
    const nameRoom = b.width - 44 - badgeW;
    const name = fitText(n.name, Math.max(40, nameRoom * 0.5), 13, true);
    out.push(text(x + 36, y + 22, name, `font-size="13" font-weight="650" fill="${theme.text}"`));
    const sub = fitText(nodeSummary(n, names), Math.max(0, nameRoom - textWidth(name, 13, true) - 12), 11);
    if (sub !== '…') out.push(text(x + 36 + textWidth(name, 13, true) + 10, y + 22, sub, `font-size="11" fill="${theme.muted}"`));
    if (o) out.push(badge(x + b.width - 10, y + 9, o.badge, o.tone, theme, true));
    out.push(`<line x1="${num(x)}" y1="${num(y + KERNEL_HEADER)}" x2="${num(x + b.width)}" y2="${num(y + KERNEL_HEADER)}" stroke="${theme.kernelBorder}" stroke-width="1"/>`);
    out.push('</g>');
  }

  const labels: string[] = [];
  const placed: Box[] = [];
  for (const a of ends) {
    const { edge: e, source: s, target: t } = a;
    const x1 = a.x1 + ox;
    const y1 = a.y1 + oy;
    const x2 = a.x2 + ox;
    const y2 = a.y2 + oy;
    const route = a.loop ? loopRoute(x1, y1, x2, y2, a.loop.y + oy, a.loop.out) : bezierRoute(x1, y1, x2, y2);
    const o = overlay?.edges.get(e.id);
    const lost = o !== undefined && o.lost > 0;
    out.push(`<path d="${route.d}" fill="none" stroke="${lost ? theme.danger : theme.edge}" stroke-width="${lost ? 2 : 1.5}" marker-end="url(#${lost ? 'arrow-lost' : 'arrow'})" data-edge="${escapeXml(e.id)}"/>`);
    // Labelled as on the canvas: with the kind that carries it when there is room for the text (edges shorter
    // than their label go without), or with its run results.
    const carrier = connectionCarrier(s, t);
    const kindText = carrier ? shortKindLabel(carrier) : '';
    const base = kindText && Math.hypot(x2 - x1, y2 - y1) >= textWidth(kindText, 10.5) + 28 ? kindText : '';
    const label = edgeLabel(base, o, undefined);
    if (label) {
      const w = textWidth(label, 10.5, lost) + 10;
      const [mx, my] = labelSpot(route.spots, w, placed);
      const lostHere = o !== undefined && o.lostHere > 0;
      labels.push(
        `<rect x="${num(mx - w / 2)}" y="${num(my - 9)}" width="${num(w)}" height="17" rx="4" fill="${lostHere ? theme.dangerSoft : theme.labelBg}" stroke="${lostHere ? theme.danger : theme.labelBorder}" stroke-width="1"/>` +
          text(mx, my + 3.5, label, `font-size="10.5" font-weight="${lostHere ? 600 : 500}" fill="${lostHere ? theme.danger : theme.text}" text-anchor="middle"`),
      );
    }
  }

  for (const n of design.nodes) {
    if (n.kind === 'kernel') continue;
    const kind = getKind(n.kind);
    const b = layout.boxes.get(n.id)!;
    const x = b.x + ox;
    const y = b.y + oy;
    const color = theme.categories[kind?.category ?? 'process'] ?? theme.muted;
    const o = overlay?.nodes.get(n.id);
    out.push(`<g class="card" data-id="${escapeXml(n.id)}">`);
    out.push(`<title>${escapeXml(`${n.name} — ${kind ? kind.label : n.kind}`)}</title>`);
    out.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(b.width)}" height="${num(b.height)}" rx="8" fill="${theme.card}" stroke="${o?.tone === 'danger' ? theme.danger : theme.cardBorder}" stroke-width="1"/>`);
    out.push(`<rect x="${num(x)}" y="${num(y)}" width="4" height="${num(b.height)}" rx="2" fill="${color}"/>`);
    const icon = kind?.icon ?? '?';
    const iconW = Math.max(16, Math.ceil(textWidth(icon, 8.5, true)) + 5);
    out.push(`<rect x="${num(x + 10)}" y="${num(y + 6)}" width="${iconW}" height="16" rx="4" fill="${color}"/>`);
    out.push(text(x + 10 + iconW / 2, y + 17.5, icon, `font-size="8.5" font-weight="700" fill="#ffffff" text-anchor="middle"`));
    out.push(text(x + 16 + iconW, y + 18.5, fitText(n.name, b.width - 22 - iconW, 12, true), `font-size="12" font-weight="600" fill="${theme.text}"`));
    const sub = kind ? fitText(nodeSummary(n, names), b.width - 20, 10.5) : n.kind;
    out.push(text(x + 10, y + HEAD_H + 11, sub, `font-size="10.5" fill="${theme.muted}"`));
    let rowY = y + HEAD_H + LINE_H;
    if (o) {
      out.push(badge(x + 8, rowY + 1, fitText(o.badge, b.width - 28, BADGE_FONT, true), o.tone, theme));
      rowY += 22;
    }
    const ports = kind?.ports ?? [];
    const ins = ports.filter((p) => p.direction === 'in');
    const outs = ports.filter((p) => p.direction === 'out');
    for (let i = 0; i < Math.max(ins.length, outs.length); i++) {
      const py = rowY + i * PORT_ROW_H + PORT_ROW_H / 2;
      const pin = ins[i];
      const pout = outs[i];
      if (pin) {
        out.push(`<circle cx="${num(x)}" cy="${num(py)}" r="3.5" fill="${theme.card}" stroke="${theme.edge}" stroke-width="1.5"/>`);
        out.push(text(x + 9, py + 3.5, pin.label, `font-size="9.5" fill="${theme.muted}"`));
      }
      if (pout) {
        out.push(`<circle cx="${num(x + b.width)}" cy="${num(py)}" r="3.5" fill="${theme.edge}"/>`);
        out.push(text(x + b.width - 9, py + 3.5, pout.label, `font-size="9.5" fill="${theme.muted}" text-anchor="end"`));
      }
    }
    out.push('</g>');
  }
  out.push(...labels);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Where an edge is drawn from and to: its source's out port and its target's in port (design coordinates). */
interface EdgeEnds {
  edge: DesignEdge;
  source: DesignNode;
  target: DesignNode;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** How a back edge runs around its boxes; null for a forward edge. */
  loop: Loop | null;
}

/** A back edge's way around: the y it runs back at (below both its boxes), and how far out of its ports it turns. */
interface Loop {
  y: number;
  out: number;
}

/**
 * The ends of every edge whose nodes exist. An edge is a back edge when its target's port is left of its source's,
 * as on the canvas: boxes side by side with a narrow gap between them are joined forward.
 */
function edgeEnds(edges: readonly DesignEdge[], byId: ReadonlyMap<string, DesignNode>, layout: DiagramLayout, overlay: CanvasOverlay | null): EdgeEnds[] {
  const cards = [...layout.boxes].filter(([id]) => byId.get(id)?.kind !== 'kernel').map(([, b]) => b);
  const ends: EdgeEnds[] = [];
  for (const edge of edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    const sb = layout.boxes.get(edge.source);
    const tb = layout.boxes.get(edge.target);
    if (!source || !target || !sb || !tb) continue;
    const x1 = sb.x + sb.width;
    const x2 = tb.x;
    ends.push({
      edge,
      source,
      target,
      x1,
      y1: portY(source, edge.sourceHandle, 'out', sb, overlay?.nodes.has(source.id) ?? false),
      x2,
      y2: portY(target, edge.targetHandle, 'in', tb, overlay?.nodes.has(target.id) ?? false),
      loop: x2 < x1 ? loopAround(x1, x2, Math.max(sb.y + sb.height, tb.y + tb.height) + BACK_DROP, cards, ends) : null,
    });
  }
  return ends;
}

/**
 * How a back edge from `x1` back to `x2` runs around, from `y` down: clear of the cards it would pass behind (drawn
 * over edges, they would hide it and its label) and of the back edges before it, whose stretch or turns it would
 * otherwise run along (whose edge is which, and whose label?). Each step goes lower, so it ends.
 */
function loopAround(x1: number, x2: number, y: number, cards: readonly Box[], ends: readonly EdgeEnds[]): Loop {
  let out = BACK_OUT;
  for (;;) {
    const left = x2 - out;
    const right = x1 + out;
    const across = (l: number, r: number): boolean => l < right && left < r;
    const card = cards.find((b) => across(b.x, b.x + b.width) && b.y < y + 9 && y - 9 < b.y + b.height);
    const other = ends.find((a) => a.loop && across(a.x2 - a.loop.out, a.x1 + a.loop.out) && Math.abs(a.loop.y - y) < BACK_LANE)?.loop;
    if (card) y = card.y + card.height + BACK_DROP;
    else if (other) {
      y = other.y + BACK_LANE;
      out = Math.max(out, other.out + BACK_SPREAD);
    } else return { y, out };
  }
}

/** `bounds` grown to hold the back edges' loops and their labels, which run outside the boxes they join. */
function withLoops(bounds: Box, ends: readonly EdgeEnds[]): Box {
  let minX = bounds.x;
  let maxX = bounds.x + bounds.width;
  let maxY = bounds.y + bounds.height;
  for (const { x1, x2, loop } of ends) {
    if (!loop) continue;
    minX = Math.min(minX, x2 - loop.out);
    maxX = Math.max(maxX, x1 + loop.out);
    maxY = Math.max(maxY, loop.y + 9);
  }
  return { x: minX, y: bounds.y, width: maxX - minX, height: maxY - bounds.y };
}

/** An edge's path (SVG coordinates) and the points on it where its label may sit, best first. */
interface Route {
  d: string;
  spots: [number, number][];
}

/**
 * A forward edge: the canvas's bezier (React Flow's), its control points half the horizontal distance out of the
 * ports.
 */
function bezierRoute(x1: number, y1: number, x2: number, y2: number): Route {
  const c = Math.max(20, 0.5 * (x2 - x1));
  const at = (t: number): [number, number] => {
    const u = 1 - t;
    return [u * u * u * x1 + 3 * u * u * t * (x1 + c) + 3 * u * t * t * (x2 - c) + t * t * t * x2, (u * u * u + 3 * u * u * t) * y1 + (3 * u * t * t + t * t * t) * y2];
  };
  return { d: `M${num(x1)},${num(y1)} C${num(x1 + c)},${num(y1)} ${num(x2 - c)},${num(y2)} ${num(x2)},${num(y2)}`, spots: LABEL_AT.map(at) };
}

/**
 * A back edge (e.g. a reply to the process that sent the request), routed as the canvas routes it: out to the
 * right, down below both boxes to `y`, left, and up into the target (turning `out` from its ports), its label on the
 * stretch below the boxes. A bezier would run through both boxes, onto the forward edge between them when the ports
 * are level, and its label would sit on that edge's.
 */
function loopRoute(x1: number, y1: number, x2: number, y2: number, y: number, out: number): Route {
  const right = x1 + out;
  const left = x2 - out;
  // Every corner has room for its radius: the ports are at least BACK_DROP above `y` and 2 × BACK_OUT apart.
  const r = BACK_RADIUS;
  const d =
    `M${num(x1)},${num(y1)} L${num(right - r)},${num(y1)} Q${num(right)},${num(y1)} ${num(right)},${num(y1 + r)} ` +
    `L${num(right)},${num(y - r)} Q${num(right)},${num(y)} ${num(right - r)},${num(y)} L${num(left + r)},${num(y)} Q${num(left)},${num(y)} ${num(left)},${num(y - r)} ` +
    `L${num(left)},${num(y2 + r)} Q${num(left)},${num(y2)} ${num(left + r)},${num(y2)} L${num(x2)},${num(y2)}`;
  return { d, spots: LABEL_AT.map((t) => [right - r + t * (left - right + 2 * r), y]) };
}

/**
 * Where a label `w` wide goes: the first of its edge's spots where it overlaps no label placed before (labels of
 * nearby edges, e.g. of a loop just under a forward edge, would otherwise stack, one hiding the other), else its
 * first; placed then.
 */
function labelSpot(spots: readonly [number, number][], w: number, placed: Box[]): [number, number] {
  const boxAt = ([x, y]: [number, number]): Box => ({ x: x - w / 2, y: y - 9, width: w, height: 17 });
  const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const spot = spots.find((p) => !placed.some((b) => overlaps(b, boxAt(p)))) ?? spots[0]!;
  placed.push(boxAt(spot));
  return spot;
}

/** The y (design coordinates) of port `handle` on `node`'s `side` (below its result badge, if drawn); a kernel's ports sit at its header. */
function portY(node: DesignNode, handle: string, side: 'in' | 'out', b: Box, hasBadge: boolean): number {
  if (node.kind === 'kernel') return b.y + KERNEL_HEADER / 2;
  const { ins, outs } = portRows(node);
  const rows = side === 'in' ? ins : outs;
  const i = Math.max(0, rows.indexOf(handle));
  return b.y + HEAD_H + LINE_H + (hasBadge ? 22 : 0) + i * PORT_ROW_H + PORT_ROW_H / 2;
}
