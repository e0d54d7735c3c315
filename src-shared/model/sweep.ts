// Parameter sweeps (product.md, journey step 6): one numeric parameter of one node — or of every node of that kind
// which has it, e.g. the payload of every producer in the mechanisms template — set to a series of values, one
// recorded run per value, and a metric of each run plotted against the value. This module is the pure part: which
// parameters can be swept, the values (typed lists or ranges, checked against the parameter's range), the design
// of each point, and the metrics read from a run summary.

import { getKind, getParamDef, type NumberParam, type ParamDef } from '../catalog';
import { displayValue, parseParamInput } from '../catalog/paramField';
import { lostOf } from '../results/overlay';
import type { RunSummary } from '../results/summary';
import type { Design, DesignNode } from './design';

/** Most points one sweep may have (each is a recorded run). */
export const MAX_SWEEP_POINTS = 40;

/** What is swept. Invariant: every target has a node whose kind defines `param` as a number. */
export interface SweepTarget {
  param: string;
  /** Node ids set to each value (one node, or every node of its kind that has the parameter). */
  nodeIds: string[];
}

/** The numeric parameters of a node that a sweep can vary. */
export function sweepableParams(node: DesignNode): NumberParam[] {
  const kind = getKind(node.kind);
  if (!kind) return [];
  return kind.params.filter((p): p is NumberParam => p.type === 'number' || p.type === 'integer');
}

/**
 * The nodes a sweep can set together with `node` (`node` included, in design order): those of its kind (so they
 * have the same parameters) in the same role — senders with senders, receivers with receivers — so sweeping the
 * payload of the producers in the mechanisms template leaves the consumers alone.
 */
export function sameKindNodes(design: Design, node: DesignNode): DesignNode[] {
  const sends = new Set(design.edges.map((e) => e.source));
  return design.nodes.filter((n) => n.kind === node.kind && sends.has(n.id) === sends.has(node.id));
}

/** The input of the sweep dialog that an error is about. */
export type SweepField = 'list' | 'from' | 'to' | 'steps' | 'log';

/** The result of reading sweep values: the values in order, or a sentence saying what is wrong (and where). */
export type SweepValues = { ok: true; values: number[]; note?: string } | { ok: false; error: string; field?: SweepField };

/**
 * Reads a typed list (`8, 64, 256, 1500 B` — each item in the parameter's unit, separated by a comma and a space,
 * a semicolon or spaces) into values, each checked as the inspector checks it (unit, whole number, range). A comma
 * with no space after it is a thousands separator (`1,500`). Duplicates are dropped; order kept.
 */
export function parseSweepList(def: NumberParam, text: string): SweepValues {
  const items = text
    .split(/;|,\s+|\s+(?=[\d.])/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return { ok: false, error: `type the values of ${def.label}, separated by commas`, field: 'list' };
  // A unit typed once at the end applies to every bare number (`8, 64, 1500 B`).
  const tail = /^[\d.,_]+\s*([A-Za-zµμ/%].*)$/.exec(items[items.length - 1]!)?.[1];
  const values: number[] = [];
  for (const item of items) {
    const text1 = tail && /^[\d._]+$/.test(item) ? `${item} ${tail}` : item;
    const r = parseParamInput(def, text1);
    if (!r.ok) return { ok: false, error: `“${item}”: ${r.error}`, field: 'list' };
    const v = r.value as number;
    if (!values.includes(v)) values.push(v);
  }
  const counted = checkCount(values, 'list');
  const dropped = items.length - values.length;
  return counted.ok && dropped > 0 ? { ...counted, note: `${dropped} repeated value${dropped === 1 ? '' : 's'} left out` } : counted;
}

function checkCount(values: number[], field: SweepField): SweepValues {
  if (values.length < 2) return { ok: false, error: 'a sweep needs at least two different values', field };
  if (values.length > MAX_SWEEP_POINTS) return { ok: false, error: `${values.length} values; a sweep has at most ${MAX_SWEEP_POINTS} (each is a recorded run)`, field };
  return { ok: true, values };
}

/**
 * `steps` values from `from` to `to` (both typed in the parameter's unit), evenly spaced or (log) evenly spaced by
 * ratio; whole-number parameters are rounded, and values that round to the same number appear once.
 */
export function sweepRange(def: NumberParam, from: string, to: string, steps: number, log: boolean): SweepValues {
  const a = parseParamInput(def, from);
  if (!a.ok) return { ok: false, error: `from: ${a.error}`, field: 'from' };
  const b = parseParamInput(def, to);
  if (!b.ok) return { ok: false, error: `to: ${b.error}`, field: 'to' };
  const lo = a.value as number;
  const hi = b.value as number;
  if (!(Number.isInteger(steps) && steps >= 2 && steps <= MAX_SWEEP_POINTS)) return { ok: false, error: `steps: a whole number from 2 to ${MAX_SWEEP_POINTS}`, field: 'steps' };
  if (lo === hi) return { ok: false, error: 'from and to are the same value', field: 'to' };
  if (log && (lo <= 0 || hi <= 0)) return { ok: false, error: 'a log scale needs values above 0', field: 'log' };
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = i / (steps - 1);
    let v = log ? lo * (hi / lo) ** t : lo + (hi - lo) * t;
    // Log steps are rounded to 3 significant digits (1.78 ms, not 1.778279 ms); times and counts are whole.
    if (log) v = Number(v.toPrecision(3));
    v = def.type === 'integer' || def.unit === 'ns' ? Math.round(v) : Number(v.toPrecision(6));
    if (i === steps - 1) v = hi; // exactly the typed end, whatever the rounding
    if (i === 0) v = lo;
    if (!out.includes(v)) out.push(v);
  }
  return checkCount(out, 'steps');
}

/** The design of one sweep point: `target.param` set to `value` on every target node (a new object; input kept). */
export function designAtPoint(design: Design, target: SweepTarget, value: number): Design {
  const ids = new Set(target.nodeIds);
  return { ...design, nodes: design.nodes.map((n) => (ids.has(n.id) ? { ...n, params: { ...n.params, [target.param]: value } } : n)) };
}

/** A label for a sweep point's run (shown in History): `sweep payload = 64 B`. */
export function pointLabel(def: ParamDef, value: number, nodes: number): string {
  return `sweep ${def.label}${nodes > 1 ? ` (${nodes} nodes)` : ''} = ${displayValue(def, value)}`;
}

/** What a sweep can plot, read from each run's summary. */
export interface SweepMetric {
  id: string;
  label: string;
  /** Per flow, or per kernel. */
  of: 'flow' | 'kernel';
  unit: 'ns' | 'count' | 'fraction' | 'bytes' | 'copies';
  /** The value, or null when the run has none (no message delivered on the flow). */
  read(s: RunSummary, id: string): number | null;
}

const flowOf = (s: RunSummary, id: string) => s.flows.find((f) => f.id === id);
const latency = (key: 'mean' | 'p50' | 'p90' | 'p99' | 'max') => (s: RunSummary, id: string) => {
  const f = flowOf(s, id);
  return f && f.delivered > 0 ? f.latencyNs[key] : null;
};

export const SWEEP_METRICS: readonly SweepMetric[] = [
  { id: 'p99', label: 'p99 latency', of: 'flow', unit: 'ns', read: latency('p99') },
  { id: 'p50', label: 'median latency', of: 'flow', unit: 'ns', read: latency('p50') },
  { id: 'mean', label: 'mean latency', of: 'flow', unit: 'ns', read: latency('mean') },
  { id: 'max', label: 'max latency', of: 'flow', unit: 'ns', read: latency('max') },
  { id: 'delivered', label: 'messages delivered', of: 'flow', unit: 'count', read: (s, id) => flowOf(s, id)?.delivered ?? null },
  { id: 'lost', label: 'messages lost', of: 'flow', unit: 'count', read: (s, id) => { const f = flowOf(s, id); return f ? lostOf(f) : null; } },
  { id: 'cut', label: 'messages cut short', of: 'flow', unit: 'count', read: (s, id) => { const f = flowOf(s, id); return f ? (f.truncated ?? 0) : null; } },
  { id: 'copies', label: 'copies per message', of: 'flow', unit: 'copies', read: (s, id) => { const f = flowOf(s, id); return f && f.delivered > 0 ? f.copiesPerMessage : null; } },
  { id: 'bytes', label: 'bytes copied', of: 'flow', unit: 'bytes', read: (s, id) => flowOf(s, id)?.bytesCopied ?? null },
  { id: 'cpu', label: 'CPU load', of: 'kernel', unit: 'fraction', read: (s, id) => s.kernels.find((k) => k.id === id)?.cpuUtilization ?? null },
  { id: 'dropped-upcalls', label: 'upcalls dropped', of: 'kernel', unit: 'count', read: (s, id) => s.kernels.find((k) => k.id === id)?.upcallsDropped ?? null },
];

/** The parameter definition of a sweep target (from its first node). */
export function targetParam(design: Design, target: SweepTarget): NumberParam | undefined {
  const n = design.nodes.find((x) => x.id === target.nodeIds[0]);
  const kind = n ? getKind(n.kind) : undefined;
  const def = kind ? getParamDef(kind, target.param) : undefined;
  return def && (def.type === 'number' || def.type === 'integer') ? def : undefined;
}
