import { getKind, getPort } from '../catalog';
import type { KindDef, PortDef } from '../catalog';
import type { DesignEdge, DesignNode } from './design';

/** A proposed connection from an `out` port to an `in` port. */
export interface Connection {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** Whether a connection is legal; `reason` is a sentence for the user when it is not. */
export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** The kernel a node lives in: itself for a kernel, its parent otherwise (undefined at the root). */
export function kernelOf(node: DesignNode): string | undefined {
  return node.kind === 'kernel' ? node.id : node.parent;
}

function refuse(reason: string): ConnectionCheck {
  return { ok: false, reason };
}

function portName(kind: KindDef, port: PortDef): string {
  return `${kind.label}'s "${port.label}" port`;
}

function typeMismatch(sk: KindDef, sp: PortDef, tk: KindDef, tp: PortDef): string {
  const t = sp.type;
  if (t === 'app' && (tk.category === 'process')) {
    return 'Processes cannot talk to each other directly: Tock isolates them. Put an IPC mechanism or pattern between them.';
  }
  if ((t === 'deliver' || t === 'serve') && (tk.category === 'mechanism' || tk.category === 'pattern')) {
    return 'A mechanism cannot feed another mechanism; a process must receive and send again.';
  }
  if (t === 'serve' && tk.kind === 'process') {
    return `${sk.label} hands requests to a service; make "${tk.label}" a Service (it needs a service time).`;
  }
  if (t === 'device' && tk.category !== 'process') {
    return `${sk.label} delivers to a process (the app its driver capsule serves), not to a ${tk.label}.`;
  }
  if ((t === 'deliver' || t === 'serve' || t === 'device') && tk.category === 'peripheral') {
    return `Only a process can drive a peripheral; ${sk.label} cannot transmit on ${tk.label}.`;
  }
  return `${portName(sk, sp)} cannot connect to ${portName(tk, tp)}.`;
}

/**
 * Checks whether `conn` may be added to a design with `nodes` and `edges` (the editor calls this on connect, the
 * validator on every edge with `ignoreEdgeId` set to that edge). Rules: ports exist with the right direction and
 * compatible types; port capacity; no duplicates or self-loops; kernel-local mechanisms and peripherals only
 * connect processes of their own kernel; an inter-kernel channel links two different kernels.
 */
export function checkConnection(
  nodes: ReadonlyMap<string, DesignNode>,
  edges: readonly DesignEdge[],
  conn: Connection,
  ignoreEdgeId?: string,
): ConnectionCheck {
  const s = nodes.get(conn.source);
  const t = nodes.get(conn.target);
  if (!s) return refuse(`there is no node "${conn.source}"`);
  if (!t) return refuse(`there is no node "${conn.target}"`);
  if (s.id === t.id) return refuse('a node cannot connect to itself');
  const sk = getKind(s.kind);
  const tk = getKind(t.kind);
  if (!sk || !tk) return refuse(`unknown kind "${!sk ? s.kind : t.kind}"`);
  if (sk.container || tk.container) return refuse('A kernel is a container, not an endpoint: connect the processes inside it.');
  if (sk.ports.length === 0 || tk.ports.length === 0) {
    return refuse(`${(sk.ports.length === 0 ? sk : tk).label} has no connections; it names its target in its parameters.`);
  }
  const sp = getPort(sk, conn.sourceHandle);
  const tp = getPort(tk, conn.targetHandle);
  if (!sp) return refuse(`${sk.label} has no port "${conn.sourceHandle}" (it has ${sk.ports.map((p) => p.id).join(', ')})`);
  if (!tp) return refuse(`${tk.label} has no port "${conn.targetHandle}" (it has ${tk.ports.map((p) => p.id).join(', ')})`);
  if (sp.direction !== 'out') return refuse(`${portName(sk, sp)} is an input; connections start at an output`);
  if (tp.direction !== 'in') return refuse(`${portName(tk, tp)} is an output; connections end at an input`);
  if (!sp.type || !tp.accepts?.includes(sp.type)) return refuse(typeMismatch(sk, sp, tk, tp));

  const others = edges.filter((e) => e.id !== ignoreEdgeId);
  if (others.some((e) => e.source === conn.source && e.target === conn.target && e.sourceHandle === conn.sourceHandle && e.targetHandle === conn.targetHandle)) {
    return refuse(`"${s.name}" is already connected to "${t.name}"`);
  }
  if (sp.max !== undefined && others.filter((e) => e.source === s.id && e.sourceHandle === sp.id).length >= sp.max) {
    return refuse(`${portName(sk, sp)} takes at most ${sp.max} connection${sp.max === 1 ? '' : 's'} (${sk.label} has one ${sp.label})`);
  }
  if (tp.max !== undefined && others.filter((e) => e.target === t.id && e.targetHandle === tp.id).length >= tp.max) {
    return refuse(`${portName(tk, tp)} takes at most ${tp.max} connection${tp.max === 1 ? '' : 's'}`);
  }

  // Kernel scope: which side is the process, which the mechanism / peripheral?
  const [proc, other, otherKind, procIsSender] = sk.category === 'process' ? [s, t, tk, true] : [t, s, sk, false];
  const procKernel = kernelOf(proc);
  if (otherKind.scope === 'crossKernel') {
    // Senders on one kernel, receivers on another.
    const oppositeIds = others
      .filter((e) => (procIsSender ? e.source === other.id : e.target === other.id))
      .map((e) => (procIsSender ? e.target : e.source));
    for (const id of oppositeIds) {
      const n = nodes.get(id);
      if (n && procKernel !== undefined && kernelOf(n) === procKernel) {
        return refuse(`"${proc.name}" and "${n.name}" run on the same kernel; an inter-kernel channel links two kernels — use a kernel-local mechanism`);
      }
    }
  } else if (other.parent !== undefined && nodes.get(other.parent)?.kind === 'kernel' && procKernel !== other.parent) {
    const kname = nodes.get(other.parent)?.name ?? other.parent;
    const pk = procKernel ? `kernel "${nodes.get(procKernel)?.name ?? procKernel}"` : 'no kernel';
    const what = otherKind.category === 'peripheral' ? 'a peripheral is reached only from its own kernel' : 'a kernel-local mechanism cannot cross kernels — use an inter-kernel channel';
    return refuse(`"${other.name}" lives in kernel "${kname}" but "${proc.name}" runs in ${pk}; ${what}`);
  }
  return { ok: true };
}

/** A port under the pointer at one end of a drag: its node, its id, and whether it is an output (`source`) or an input. */
export interface PortEnd {
  nodeId: string;
  portId: string;
  type: 'source' | 'target';
}

/** What a drag between ports makes: the connection the rules allow, or why there is none. */
export type ResolvedConnection = { ok: true; connection: Connection } | { ok: false; reason: string };

/**
 * The connection a drag from a port to a port makes. `from` and `to` are the ports under the pointer where the drag
 * started and where it ended, the one the canvas picked first (then topmost first): cards that touch overlap their
 * ports, so the port the canvas picks can be the dragged card's own, or another card's the user could not see under
 * it. Every pair of two different ports is tried in that order and the first the rules allow is made. When none is,
 * the refusal is that of the first pair on two different nodes (the card the user aimed at), or of the first pair
 * when every port there is the dragged card's own (a real self-connection).
 */
export function resolveConnection(nodes: ReadonlyMap<string, DesignNode>, edges: readonly DesignEdge[], from: readonly PortEnd[], to: readonly PortEnd[]): ResolvedConnection {
  let first: string | undefined;
  let aimed: string | undefined;
  for (const a of from) {
    for (const b of to) {
      if (a.nodeId === b.nodeId && a.portId === b.portId && a.type === b.type) continue;
      const [s, t] = a.type === 'source' ? [a, b] : [b, a];
      const connection: Connection = { source: s.nodeId, sourceHandle: s.portId, target: t.nodeId, targetHandle: t.portId };
      const r = checkConnection(nodes, edges, connection);
      if (r.ok) return { ok: true, connection };
      first ??= r.reason;
      if (a.nodeId !== b.nodeId) aimed ??= r.reason;
    }
  }
  // A drop on the dragged port itself: the rules' word for it.
  if (first === undefined && from[0] && to[0]) {
    const r = checkConnection(nodes, edges, { source: from[0].nodeId, sourceHandle: from[0].portId, target: to[0].nodeId, targetHandle: to[0].portId });
    if (!r.ok) first = r.reason;
  }
  return { ok: false, reason: aimed ?? first ?? 'there is no port to connect to here' };
}
