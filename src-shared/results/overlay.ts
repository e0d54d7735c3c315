/**
 * Results drawn on the canvas: p99 latency and lost messages on edges, MPU regions used / capacity on processes,
 * lost messages on mechanisms (`mechanismLoss`, as every table shows them), CPU load on kernels. Derived from a run summary and the design on the canvas,
 * matched by id (flow ids are `sender>carrier>receiver`, so each hop names an edge).
 */
import type { Design } from '../model';
import type { FlowSummary, MechanismSummary, RunSummary } from './summary';
import { formatBytes, formatDuration } from '../util/units';

/**
 * What an edge shows. Latency is end to end, so `p99Ns` (the worst p99 of the flows ending there) and `lostHere`
 * are labelled on a flow's last hop only; `lost` (dropped + overwritten + timed out + failed of every flow crossing
 * the edge) colours every hop.
 */
export interface EdgeOverlay {
  p99Ns?: number;
  lost: number;
  lostHere: number;
  flows: number;
}

/** What a node shows: a short badge, its tone and a longer tooltip. */
export interface NodeOverlay {
  badge: string;
  tone: 'ok' | 'warn' | 'danger';
  title: string;
}

/** The overlay of one run on one design. Invariant: only ids present in the design appear. */
export interface CanvasOverlay {
  runId: number;
  edges: ReadonlyMap<string, EdgeOverlay>;
  nodes: ReadonlyMap<string, NodeOverlay>;
}

/** Messages of a flow that never arrived. */
export function lostOf(f: Pick<FlowSummary, 'dropped' | 'overwritten' | 'timedOut' | 'failed'>): number {
  return f.dropped + f.overwritten + f.timedOut + (f.failed ?? 0);
}

/**
 * The node that carries a flow: the mechanism or pattern `m` of `a>m>b`; of a two-part id (`p>b` or `a>p`, a
 * peripheral's own flow) the end that is a mechanism node of the run of the flow's kind (`FlowSummary.mechanism`).
 */
export function flowCarrier(f: Pick<FlowSummary, 'id' | 'mechanism'>, mechanisms: readonly Pick<MechanismSummary, 'id' | 'kind'>[]): string | undefined {
  const parts = f.id.split('>');
  if (parts.length === 3) return parts[1];
  if (parts.length !== 2) return undefined;
  const ends = parts.filter((id) => mechanisms.some((m) => m.id === id));
  return ends.find((id) => mechanisms.find((m) => m.id === id)!.kind === f.mechanism) ?? ends[0];
}

/**
 * What a mechanism, pattern or peripheral lost, in the words every view uses.
 * - `lost`: messages of the flows it carries that never arrived — dropped + overwritten + timed out + failed, the
 *   flows' `lost` added up (so the mechanisms' `lost` add up to the run's), counted as the flows count them (the
 *   messages sent after the warm-up).
 * - `discarded`: messages the node itself threw away — refused when full, dropped in flight, overwritten or refused
 *   for want of an MPU region (`MechanismSummary.drops`). Part of what its flows lost (timeouts and peers that were
 *   gone are not its doing), except a message sent before the warm-up and discarded after it, counted here only.
 * Two words for two numbers: no view shows `discarded` under the word "lost".
 */
export interface MechanismLoss {
  lost: number;
  dropped: number;
  overwritten: number;
  timedOut: number;
  failed: number;
  discarded: number;
}

/** What a mechanism's `lost` counts (column tooltips and report notes say it in these words). */
export const MECHANISM_LOST_MEANS =
  'messages of the flows it carries that never arrived: dropped, overwritten, timed out or failed, as the flows count them (so the mechanisms’ lost add up to the run’s Lost)';

/** What a mechanism's `discarded` counts. */
export const DISCARDED_MEANS =
  'messages the mechanism itself threw away: refused when full, dropped in flight, overwritten, or refused for want of an MPU region — part of lost, which also counts timeouts and peers that were gone (a message sent before the warm-up and discarded after it counts here only)';

/** The loss of mechanism `m` in the run `summary` (see `MechanismLoss`): the one definition the studio shows. */
export function mechanismLoss(summary: Pick<RunSummary, 'flows' | 'mechanisms'>, m: Pick<MechanismSummary, 'id' | 'drops'>): MechanismLoss {
  const out: MechanismLoss = { lost: 0, dropped: 0, overwritten: 0, timedOut: 0, failed: 0, discarded: m.drops };
  for (const f of summary.flows) {
    if (flowCarrier(f, summary.mechanisms) !== m.id) continue;
    out.lost += lostOf(f);
    out.dropped += f.dropped;
    out.overwritten += f.overwritten;
    out.timedOut += f.timedOut;
    out.failed += f.failed ?? 0;
  }
  return out;
}

/** How a loss breaks down: `166 dropped, 33 timed out` (the non-zero parts). */
export function lossParts(l: Pick<MechanismLoss, 'dropped' | 'overwritten' | 'timedOut' | 'failed'>): string {
  const parts: [number, string][] = [
    [l.dropped, 'dropped'],
    [l.overwritten, 'overwritten'],
    [l.timedOut, 'timed out'],
    [l.failed, 'failed'],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${n.toLocaleString('en-US')} ${w}`)
    .join(', ');
}

/** The hops of a flow id (`a>m>b` → [a,m],[m,b]). */
export function flowHops(flowId: string): [string, string][] {
  const parts = flowId.split('>');
  const hops: [string, string][] = [];
  for (let i = 0; i + 1 < parts.length; i++) hops.push([parts[i]!, parts[i + 1]!]);
  return hops;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Computes the overlay (pure). */
export function computeOverlay(runId: number, summary: RunSummary, design: Design): CanvasOverlay {
  const nodeIds = new Set(design.nodes.map((n) => n.id));
  const edgeByHop = new Map<string, string[]>();
  for (const e of design.edges) {
    const k = `${e.source}\u0000${e.target}`;
    const list = edgeByHop.get(k);
    if (list) list.push(e.id);
    else edgeByHop.set(k, [e.id]);
  }
  const edges = new Map<string, EdgeOverlay>();
  for (const f of summary.flows) {
    const hops = flowHops(f.id);
    hops.forEach(([a, b], i) => {
      const last = i === hops.length - 1;
      for (const id of edgeByHop.get(`${a}\u0000${b}`) ?? []) {
        const o = edges.get(id) ?? { lost: 0, lostHere: 0, flows: 0 };
        o.flows += 1;
        o.lost += lostOf(f);
        if (last) {
          o.lostHere += lostOf(f);
          if (f.delivered > 0) o.p99Ns = Math.max(o.p99Ns ?? 0, f.latencyNs.p99);
        }
        edges.set(id, o);
      }
    });
  }
  const nodes = new Map<string, NodeOverlay>();
  for (const p of summary.processes) {
    if (!nodeIds.has(p.id)) continue;
    const over = p.mpuRegionsPeak > p.mpuRegionsCapacity || p.mpuMapFailures > 0;
    const full = p.mpuRegionsPeak === p.mpuRegionsCapacity;
    const extra = [p.mpuMapFailures > 0 ? plural(p.mpuMapFailures, 'map failure') : '', p.restarts > 0 ? plural(p.restarts, 'restart') : ''].filter(Boolean);
    nodes.set(p.id, {
      badge: `MPU ${p.mpuRegionsPeak}/${p.mpuRegionsCapacity}${extra.length ? ` · ${extra.join(' · ')}` : ''}`,
      tone: over ? 'danger' : full || p.restarts > 0 ? 'warn' : 'ok',
      title: `MPU regions in use at peak: ${p.mpuRegionsPeak} of ${p.mpuRegionsCapacity}${p.alignmentWasteBytes > 0 ? `; ${formatBytes(p.alignmentWasteBytes)} lost to alignment` : ''}${extra.length ? `; ${extra.join(', ')}` : ''}`,
    });
  }
  for (const m of summary.mechanisms) {
    if (!nodeIds.has(m.id) || nodes.has(m.id)) continue;
    const loss = mechanismLoss(summary, m);
    const discarded = `${plural(loss.discarded, 'message')} discarded by the mechanism itself (refused when full, dropped in flight, overwritten or not mappable)`;
    if (loss.lost > 0) nodes.set(m.id, { badge: `${loss.lost.toLocaleString('en-US')} lost`, tone: 'danger', title: `${plural(loss.lost, 'message')} carried here never arrived: ${lossParts(loss)}; ${discarded}; peak depth ${m.maxDepth}` });
    else if (loss.discarded > 0) nodes.set(m.id, { badge: `depth ≤ ${m.maxDepth} · ${loss.discarded.toLocaleString('en-US')} discarded`, tone: 'warn', title: `No counted message of its flows was lost, but ${discarded}: messages its flows do not count (e.g. sent before the warm-up); peak depth ${m.maxDepth}` });
    else if (m.maxDepth > 0 || m.copies > 0) {
      const where = (m.copySites ?? []).map((x) => `${x.copies.toLocaleString('en-US')} ${x.site}`).join('; ');
      nodes.set(m.id, { badge: `depth ≤ ${m.maxDepth} · ${plural(m.copies, 'copy', 'copies')}`, tone: 'ok', title: `Peak queue depth ${m.maxDepth}; ${plural(m.copies, 'copy', 'copies')} (${formatBytes(m.bytesCopied)})${where ? `: ${where}` : ''}` });
    }
  }
  for (const k of summary.kernels) {
    if (!nodeIds.has(k.id)) continue;
    const pct = Math.round(k.cpuUtilization * 1000) / 10;
    nodes.set(k.id, {
      badge: `CPU ${pct} %${k.upcallsDropped > 0 ? ` · ${plural(k.upcallsDropped, 'upcall')} dropped` : ''}`,
      // A dropped upcall is a lost notification, not a lost message: the data waits (in a slice, a FIFO) and the
      // next upcall reads it. Messages lost with their upcall are counted on their flows.
      tone: k.upcallsDropped > 0 || k.cpuUtilization > 0.9 ? 'warn' : 'ok',
      title: `CPU ${pct} % busy; ${plural(k.contextSwitches, 'context switch', 'context switches')}; ${plural(k.syscalls, 'syscall')}${
        k.upcallsDropped > 0 ? `; ${plural(k.upcallsDropped, 'upcall')} lost to full 10-entry upcall queues (NOMEM): a lost notification, not a lost message — the data waits and the next upcall reads it; messages lost with their upcall count on their flows` : ''
      }`,
    });
  }
  return { runId, edges, nodes };
}

function sameEdge(a: EdgeOverlay, b: EdgeOverlay): boolean {
  return a.p99Ns === b.p99Ns && a.lost === b.lost && a.lostHere === b.lostHere && a.flows === b.flows;
}

function sameNode(a: NodeOverlay, b: NodeOverlay): boolean {
  return a.badge === b.badge && a.tone === b.tone && a.title === b.title;
}

/**
 * `next`, reusing the entry objects of `prev` that did not change, so cards and edges subscribed to one id do
 * not re-render when another changes.
 */
export function stabilise(prev: CanvasOverlay | null, next: CanvasOverlay): CanvasOverlay {
  if (!prev || prev.runId !== next.runId) return next;
  const edges = new Map<string, EdgeOverlay>();
  for (const [id, e] of next.edges) {
    const old = prev.edges.get(id);
    edges.set(id, old && sameEdge(old, e) ? old : e);
  }
  const nodes = new Map<string, NodeOverlay>();
  for (const [id, n] of next.nodes) {
    const old = prev.nodes.get(id);
    nodes.set(id, old && sameNode(old, n) ? old : n);
  }
  return { runId: next.runId, edges, nodes };
}

/**
 * The edge label: the carrier's name without results; with them the results only (`p99 52.6 µs · 12 lost`),
 * short enough for the edge (the carrier is named on its own card).
 */
export function edgeLabel(base: string, o: EdgeOverlay | undefined, p99Ns: number | undefined): string {
  const p99 = p99Ns ?? o?.p99Ns;
  const hasResults = p99 !== undefined || (o !== undefined && o.lostHere > 0);
  const parts = hasResults ? [] : [base];
  if (p99 !== undefined) parts.push(`p99 ${formatDuration(p99, 3)}`);
  if (o && o.lostHere > 0) parts.push(`${o.lostHere.toLocaleString('en-US')} lost`);
  return parts.filter(Boolean).join(' · ');
}
