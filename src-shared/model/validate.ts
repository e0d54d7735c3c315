import {
  KIND_MAP,
  KINDS,
  effectiveParams,
  fitShare,
  freeRegionsForIpc,
  getKind,
  isChannelKind,
  mpuArchOf,
  SLICE_HEADER_BYTES,
  TAP_HEADER_BYTES,
  type BufferPlacement,
  type KindDef,
  type MpuArch,
  type ParamDef,
} from '../catalog';
import { displayValue, formatRange } from '../catalog/paramField';
import { formatBytes, formatDuration, parseBitRate, parseBytes, parseDuration, parseHz } from '../util/units';
import { checkConnection, kernelOf } from './connect';
import { cywBootNs } from './deviceTiming';
import type { Design, DesignEdge, DesignNode, ParamValue } from './design';
import type { Finding } from './findings';
import { formatPath, whereIn } from './findings';

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** A "did you mean" suffix naming the closest candidate, when one is close enough. */
export function suggest(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best && bestD <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${best}"?` : '';
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/**
 * Checks one parameter value against its definition. Returns the normalised value (a duration string such as
 * `5ms` becomes 5000000) or an error sentence. Numbers given as strings with a unit (`125MHz`, `4KiB`) are accepted.
 */
export function checkParamValue(def: ParamDef, value: unknown): { ok: true; value: ParamValue } | { ok: false; error: string } {
  switch (def.type) {
    case 'number':
    case 'integer': {
      let n: number;
      if (typeof value === 'number') n = value;
      else if (typeof value === 'string') {
        const parsed =
          def.unit === 'ns' ? parseDuration(value) : def.unit === 'B' ? parseBytes(value) : def.unit === 'Hz' ? parseHz(value) : def.unit === 'bit/s' ? parseBitRate(value) : parseBytes(value);
        if (!parsed.ok) return { ok: false, error: `${def.label}: ${parsed.error}` };
        n = parsed.value;
      } else return { ok: false, error: `${def.label} must be a number${def.unit ? ` (${def.unit})` : ''}, not ${typeof value === 'boolean' ? 'a boolean' : describeValue(value)}` };
      if (!Number.isFinite(n)) return { ok: false, error: `${def.label} must be a finite number` };
      if (def.type === 'integer' && !Number.isInteger(n)) return { ok: false, error: `${def.label} must be a whole number${def.unit ? ` of ${def.unit}` : ''}, not ${n}` };
      if (n < def.min || n > def.max) {
        return { ok: false, error: `${def.label} is ${displayValue(def, n)}, outside the allowed range ${formatRange(def) ?? `${def.min}–${def.max}`}` };
      }
      return { ok: true, value: n };
    }
    case 'enum':
      if (typeof value !== 'string' || !def.options.some((o) => o.value === value)) {
        const opts = def.options.map((o) => o.value);
        return { ok: false, error: `${def.label} is ${describeValue(value)}; choose one of ${opts.join(', ')}${typeof value === 'string' ? suggest(value, opts) : ''}` };
      }
      return { ok: true, value };
    case 'boolean':
      if (typeof value !== 'boolean') return { ok: false, error: `${def.label} must be true or false, not ${describeValue(value)}` };
      return { ok: true, value };
    case 'string':
      if (typeof value !== 'string') return { ok: false, error: `${def.label} must be text, not ${describeValue(value)}` };
      if (value.length > def.maxLength) return { ok: false, error: `${def.label} is longer than ${def.maxLength} characters` };
      return { ok: true, value };
    case 'nodeRef':
      if (typeof value !== 'string' || value === '') return { ok: false, error: `${def.label} must name a node id` };
      return { ok: true, value };
  }
}

interface Ctx {
  design: Design;
  byId: Map<string, DesignNode>;
  index: Map<string, number>;
  out: Finding[];
}

function nodePath(ctx: Ctx, id: string, ...rest: PropertyKey[]): string {
  return formatPath(['nodes', ctx.index.get(id) ?? 0, ...rest]);
}

function err(ctx: Ctx, code: string, path: string, message: string, extra: Partial<Finding> = {}): void {
  ctx.out.push({ severity: 'error', code, path, message, ...extra });
}

function warn(ctx: Ctx, code: string, path: string, message: string, extra: Partial<Finding> = {}): void {
  ctx.out.push({ severity: 'warning', code, path, message, ...extra });
}

function refMatches(def: Extract<ParamDef, { type: 'nodeRef' }>, target: DesignNode): boolean {
  const k = getKind(target.kind);
  return !!k && (def.refKinds.includes(k.kind) || def.refKinds.includes(k.category));
}

function checkNodes(ctx: Ctx): void {
  const { design } = ctx;
  design.nodes.forEach((node, i) => {
    const kind = getKind(node.kind);
    if (!kind) {
      err(ctx, 'unknown-kind', formatPath(['nodes', i, 'kind']), `"${node.kind}" is not a kind the studio knows${suggest(node.kind, KINDS.map((k) => k.kind))}`, { nodeId: node.id });
      return;
    }
    // Parameters: known keys, right types and ranges; required ones present.
    for (const [key, value] of Object.entries(node.params)) {
      const def = kind.params.find((p) => p.key === key);
      const path = formatPath(['nodes', i, 'params', key]);
      if (!def) {
        err(ctx, 'unknown-param', path, `has no parameter "${key}"${suggest(key, kind.params.map((p) => p.key))}`, { nodeId: node.id, paramKey: key });
        continue;
      }
      const r = checkParamValue(def, value);
      if (!r.ok) {
        err(ctx, 'bad-param', path, r.error, { nodeId: node.id, paramKey: key });
        continue;
      }
      node.params[key] = r.value;
      if (def.type === 'nodeRef') {
        const target = ctx.byId.get(r.value as string);
        if (!target) err(ctx, 'dangling-ref', path, `${def.label} names node "${r.value}", which is not in the design`, { nodeId: node.id, paramKey: key });
        else if (!refMatches(def, target)) {
          err(ctx, 'bad-ref', path, `${def.label} must be a ${def.refKinds.join(' or ')}, but "${target.name}" is a ${getKind(target.kind)?.label ?? target.kind}`, { nodeId: node.id, paramKey: key });
        }
      }
    }
    for (const def of kind.params) {
      if (def.required && node.params[def.key] === undefined) {
        err(ctx, 'missing-param', formatPath(['nodes', i, 'params', def.key]), `${def.label} (${def.key}) is required but not set`, { nodeId: node.id, paramKey: def.key });
      }
    }
    // Placement: kernels are containers at the root; kernel-placed kinds need a kernel parent.
    const ppath = formatPath(['nodes', i, 'parent']);
    if (node.parent !== undefined) {
      const parent = ctx.byId.get(node.parent);
      if (!parent) err(ctx, 'dangling-parent', ppath, `parent "${node.parent}" is not in the design`, { nodeId: node.id });
      else if (parent.kind !== 'kernel') err(ctx, 'bad-parent', ppath, `is inside "${parent.name}", which is a ${getKind(parent.kind)?.label ?? parent.kind}; only kernels contain nodes`, { nodeId: node.id });
      else if (kind.placement === 'root') {
        err(ctx, 'bad-placement', ppath, kind.container ? 'a kernel cannot be inside another kernel; each kernel is one core' : `${kind.label} links kernels and lives outside them; remove its parent`, { nodeId: node.id });
      }
    } else if (kind.placement === 'kernel') {
      err(ctx, 'no-kernel', ppath, `is outside any kernel; place it inside one (set "parent" to a kernel id)`, { nodeId: node.id });
    }
  });
}

function checkEdges(ctx: Ctx): void {
  const { design } = ctx;
  design.edges.forEach((edge, i) => {
    const path = formatPath(['edges', i]);
    if (!ctx.byId.has(edge.source)) {
      err(ctx, 'dangling-edge', formatPath(['edges', i, 'source']), `source "${edge.source}" is not a node of the design${suggest(edge.source, [...ctx.byId.keys()])}`, { edgeId: edge.id });
      return;
    }
    if (!ctx.byId.has(edge.target)) {
      err(ctx, 'dangling-edge', formatPath(['edges', i, 'target']), `target "${edge.target}" is not a node of the design${suggest(edge.target, [...ctx.byId.keys()])}`, { edgeId: edge.id });
      return;
    }
    const s = ctx.byId.get(edge.source)!;
    const t = ctx.byId.get(edge.target)!;
    if (!KIND_MAP.has(s.kind) || !KIND_MAP.has(t.kind)) return; // already reported as unknown kind
    const r = checkConnection(ctx.byId, design.edges.slice(0, i), edge, edge.id);
    if (!r.ok) err(ctx, 'illegal-connection', path, r.reason, { edgeId: edge.id });
    for (const key of Object.keys(edge.params)) {
      err(ctx, 'unknown-param', formatPath(['edges', i, 'params', key]), `connections have no parameter "${key}"`, { edgeId: edge.id, paramKey: key });
    }
  });
}

function checkIds(ctx: Ctx): void {
  const seen = new Map<string, string>();
  ctx.design.nodes.forEach((n, i) => {
    const p = formatPath(['nodes', i, 'id']);
    if (seen.has(n.id)) err(ctx, 'duplicate-id', p, `id "${n.id}" is used twice (also at ${seen.get(n.id)})`, { nodeId: n.id });
    else seen.set(n.id, p);
  });
  ctx.design.edges.forEach((e, i) => {
    const p = formatPath(['edges', i, 'id']);
    if (seen.has(e.id)) err(ctx, 'duplicate-id', p, `id "${e.id}" is used twice (also at ${seen.get(e.id)})`, { edgeId: e.id });
    else seen.set(e.id, p);
  });
}

/** The MPU architecture of the kernel a node lives in (ARMv7-M when it has none). */
export function archOfNode(byId: ReadonlyMap<string, DesignNode>, node: DesignNode): MpuArch {
  const k = kernelOf(node);
  const kernel = k ? byId.get(k) : undefined;
  return mpuArchOf(kernel ? effectiveParams(KIND_MAP.get('kernel')!, kernel.params) : {});
}

/** The static MPU shares a design asks of each process: which node needs a region, for which buffer. */
export interface ShareNeed {
  processId: string;
  mechanismId: string;
  bytes: number;
  placement: BufferPlacement;
  paramKey: string;
}

/**
 * Shares that hold an MPU region for the whole run (tock-model §8): legacy IPC maps each client's buffer into
 * the service, never freed; shared memory kept active maps each client's chunk into the service; an inter-kernel
 * channel by reference maps the sender's buffer into the receiver.
 */
export function staticShareNeeds(design: Design): ShareNeed[] {
  const byId = new Map(design.nodes.map((n) => [n.id, n]));
  const needs: ShareNeed[] = [];
  for (const mech of design.nodes) {
    const kind = getKind(mech.kind);
    if (!kind || !isChannelKind(kind)) continue;
    const eff = effectiveParams(kind, mech.params);
    const senders = design.edges.filter((e) => e.target === mech.id && byId.has(e.source)).map((e) => e.source);
    const receivers = design.edges.filter((e) => e.source === mech.id && byId.has(e.target)).map((e) => e.target);
    let bytes: number;
    let placement: BufferPlacement = 'aligned';
    let paramKey: string;
    if (kind.kind === 'legacyIpc') {
      bytes = eff.bufferBytes as number;
      placement = eff.bufferPlacement as BufferPlacement;
      paramKey = 'bufferBytes';
    } else if (kind.kind === 'sharedMemory' && eff.keepActive === true) {
      bytes = eff.chunkBytes as number;
      placement = eff.chunkPlacement as BufferPlacement;
      paramKey = 'chunkBytes';
    } else if (kind.kind === 'interKernelChannel' && eff.mode === 'byReference') {
      bytes = eff.slotBytes as number;
      paramKey = 'slotBytes';
    } else continue;
    for (const r of receivers) for (let s = 0; s < senders.length; s++) needs.push({ processId: r, mechanismId: mech.id, bytes, placement, paramKey });
  }
  return needs;
}

/** Mechanisms with a largest message: the parameter that sets it, and whether a longer one is refused or cut. */
const MESSAGE_LIMITS: Record<string, { key: string; refused: boolean }> = {
  twoCopyChannel: { key: 'maxMessageBytes', refused: false },
  ringBuffer: { key: 'entryBytes', refused: false },
  packetFifo: { key: 'maxPacketBytes', refused: true },
  relayRequest: { key: 'serverBufferBytes', refused: false },
};

/**
 * Mechanisms whose delivery checks the receiving service's allowlist (src-main/engine/tock/mechanisms.ts calls
 * `accepts(receiver, sender)`): a sender left off the list has every message it sends through them fail. Legacy
 * IPC, latest value and event counter do not consult it.
 */
const ALLOWLIST_ENFORCED: ReadonlySet<string> = new Set(['notification', 'twoCopyChannel', 'numericFifo', 'packetFifo', 'ringBuffer', 'relayMessage', 'relayRequest', 'sharedMemory', 'interKernelChannel']);

/**
 * The names a service's allowlist lets through, as the engine reads it: comma-separated, each trimmed, compared
 * exactly with the sending process's name. Null when the list is empty (everyone may send); an empty array when it
 * holds only commas (nobody may).
 */
export function allowlistNames(value: ParamValue | undefined): string[] | null {
  const text = typeof value === 'string' ? value : '';
  if (text.trim() === '') return null;
  return [...new Set(text.split(',').map((x) => x.trim()).filter(Boolean))];
}

/** The label of a node's kind, with its name: `Process “sensor”` (as `where` names a node). */
function labelled(node: DesignNode): string {
  return `${getKind(node.kind)?.label ?? node.kind} “${node.name}”`;
}

/** Edges grouped by the node they leave and the node they reach. */
function adjacency(edges: readonly DesignEdge[]): { ins: Map<string, DesignEdge[]>; outs: Map<string, DesignEdge[]> } {
  const ins = new Map<string, DesignEdge[]>();
  const outs = new Map<string, DesignEdge[]>();
  const add = (m: Map<string, DesignEdge[]>, id: string, e: DesignEdge): void => {
    const list = m.get(id);
    if (list) list.push(e);
    else m.set(id, [e]);
  };
  for (const e of edges) {
    add(ins, e.target, e);
    add(outs, e.source, e);
  }
  return { ins, outs };
}

/**
 * Two processes or services with one name: allowlists name senders, and the run's reports list processes, by name.
 * Checked on every design, errors or not (a name is always well-formed).
 */
function lintNames(ctx: Ctx): void {
  const first = new Map<string, number>();
  ctx.design.nodes.forEach((node, i) => {
    if (getKind(node.kind)?.category !== 'process') return;
    const j = first.get(node.name);
    if (j === undefined) {
      first.set(node.name, i);
      return;
    }
    const other = ctx.design.nodes[j]!;
    warn(ctx, 'duplicate-name', formatPath(['nodes', i, 'name']), `has the same name as ${labelled(other)} (id "${other.id}", nodes[${j}]): allowlists name senders, and the run's reports list processes, by name, so the two cannot be told apart; rename one`, { nodeId: node.id });
  });
}

/**
 * A service's allowlist against the design: each name must be a process or service that can send to it (a
 * connection into a mechanism that delivers to the service), and a process that does send to it through a
 * mechanism that checks the list must be on it, or every such message fails.
 */
function lintAllowlist(ctx: Ctx, service: DesignNode, all: ReturnType<typeof adjacency>, sound: ReturnType<typeof adjacency>, soundById: ReadonlyMap<string, DesignNode>): void {
  const names = allowlistNames(service.params.allowlist);
  if (names === null) return;
  const path = nodePath(ctx, service.id, 'params', 'allowlist');
  const extra = { nodeId: service.id, paramKey: 'allowlist' };
  if (names.length === 0) {
    warn(ctx, 'allowlist-empty', path, 'Allowlist (allowlist) holds no name, only commas, so every sender is refused; leave it empty to accept everyone', extra);
    return;
  }
  const processes = ctx.design.nodes.filter((n) => getKind(n.kind)?.category === 'process');
  // Whoever sends through a mechanism (any connection, even one with an error: that is reported on its own).
  const reaching = new Set<string>();
  for (const into of all.ins.get(service.id) ?? []) {
    const via = ctx.byId.get(into.source);
    const viaKind = via && getKind(via.kind);
    if (!viaKind || !isChannelKind(viaKind) || viaKind.kind === 'registry') continue;
    for (const e of all.ins.get(via!.id) ?? []) reaching.add(e.source);
  }
  for (const name of names) {
    const matches = processes.filter((p) => p.name === name);
    if (matches.length === 0) {
      if (ctx.design.nodes.some((n) => n.name === name && !getKind(n.kind))) continue; // a node of unknown kind: fix that first
      const other = ctx.design.nodes.find((n) => n.name === name);
      const why = other ? `, which is a ${getKind(other.kind)!.label}, not a process or service: only processes send` : `, which is not the name of any process or service in the design (names must match exactly)${suggest(name, processes.map((p) => p.name))}`;
      warn(ctx, 'allowlist-unknown', path, `Allowlist (allowlist) names "${name}"${why}`, extra);
    } else if (!matches.some((p) => reaching.has(p.id))) {
      warn(ctx, 'allowlist-unreachable', path, `Allowlist (allowlist) names "${name}", but ${matches.length > 1 ? 'no process of that name has' : `${labelled(matches[0]!)} has no`} connection into a mechanism that delivers to this service, so it never sends here`, extra);
    }
  }
  // Senders on sound connections through a mechanism that checks the list, left off it.
  const allowed = new Set(names);
  for (const into of sound.ins.get(service.id) ?? []) {
    const via = soundById.get(into.source);
    if (!via || !ALLOWLIST_ENFORCED.has(via.kind)) continue;
    for (const e of sound.ins.get(via.id) ?? []) {
      const sender = soundById.get(e.source);
      const senderKind = sender && getKind(sender.kind);
      if (!sender || senderKind?.category !== 'process' || allowed.has(sender.name)) continue;
      if (effectiveParams(senderKind, sender.params).workload === 'none') continue; // it sends nothing to refuse
      warn(ctx, 'allowlist-refused', path, `Allowlist (allowlist) leaves out "${sender.name}", which sends to this service through "${via.name}": every message it sends this way is refused (counted as failed)`, extra);
    }
  }
}

/**
 * The lint: warnings about a design that runs but will surprise. It also runs on a design with errors, over the
 * part the errors leave sound: a node with no error of its own, whose kernel has none, and connections with no
 * error between such nodes. A check that would read an element with an error is skipped (it is checked once the
 * error is fixed); a check for something missing (no clients, no senders) counts every connection, so an erroneous
 * one does not make it fire.
 */
function lint(ctx: Ctx): void {
  const { design } = ctx;
  const badNodes = new Set<string>();
  const badEdges = new Set<string>();
  for (const f of ctx.out) {
    if (f.severity !== 'error') continue;
    if (f.nodeId !== undefined) badNodes.add(f.nodeId);
    if (f.edgeId !== undefined) badEdges.add(f.edgeId);
  }
  const soundNodes = design.nodes.filter((n) => !badNodes.has(n.id) && getKind(n.kind) && (n.parent === undefined || !badNodes.has(n.parent)));
  const byId = new Map(soundNodes.map((n) => [n.id, n]));
  const soundEdges = design.edges.filter((e) => !badEdges.has(e.id) && byId.has(e.source) && byId.has(e.target));
  const sound: Design = { ...design, nodes: soundNodes, edges: soundEdges };
  const all = adjacency(design.edges);
  const live = adjacency(soundEdges);
  lintNames(ctx);
  // MPU budget and alignment of the shares each process needs.
  const needs = staticShareNeeds(sound);
  const perProcess = new Map<string, ShareNeed[]>();
  for (const n of needs) perProcess.set(n.processId, [...(perProcess.get(n.processId) ?? []), n]);
  for (const [pid, list] of perProcess) {
    const proc = byId.get(pid);
    if (!proc) continue;
    const arch = archOfNode(byId, proc);
    const free = freeRegionsForIpc(arch);
    if (list.length > free) {
      warn(ctx, 'mpu-budget', nodePath(ctx, pid), `needs ${list.length} MPU regions for shared buffers but ${arch.label} leaves ${free} free (${arch.regions} in all, ${arch.usedPerProcess} for its own flash and RAM, at most 6 extra); ${list.length - free} share${list.length - free === 1 ? '' : 's'} will fail`, { nodeId: pid });
    }
  }
  const reported = new Set<string>();
  for (const n of needs) {
    const key = `${n.mechanismId}|${n.processId}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const proc = byId.get(n.processId)!;
    const fit = fitShare(archOfNode(byId, proc), n.bytes, n.placement);
    const mech = byId.get(n.mechanismId)!;
    const path = nodePath(ctx, n.mechanismId, 'params', n.paramKey);
    if (!fit.ok) warn(ctx, 'mpu-alignment', path, `the buffer cannot be mapped into "${proc.name}": ${fit.reason}`, { nodeId: mech.id, paramKey: n.paramKey });
    else if (fit.wasteBytes > 0) {
      warn(ctx, 'mpu-alignment', path, `a ${n.bytes} B buffer takes a ${fit.regionBytes} B region in "${proc.name}" — ${fit.wasteBytes} B wasted by the MPU alignment rule; ${fit.regionBytes} B would waste nothing`, { nodeId: mech.id, paramKey: n.paramKey });
    }
  }
  for (const node of soundNodes) {
    const kind = getKind(node.kind)!;
    const eff = effectiveParams(kind, node.params);
    const unbounded = (key: string, what: string): void => {
      if (eff[key] === 0) warn(ctx, 'unbounded-queue', nodePath(ctx, node.id, 'params', key), `has an unbounded ${what}: memory grows without limit under load, and Tock's grants and kernel buffers are fixed-size; give it a capacity`, { nodeId: node.id, paramKey: key });
    };
    if (kind.kind === 'twoCopyChannel' || kind.kind === 'numericFifo') unbounded('capacity', 'queue');
    if (kind.kind === 'packetFifo') unbounded('capacityBytes', 'packet queue');
    if (kind.kind === 'sharedMemory' && eff.access === 'writableBoth') {
      warn(ctx, 'toctou', nodePath(ctx, node.id, 'params', 'access'), `is writable by both sides: a client can change data after the service checked it (time-of-check to time-of-use); make it exclusive or read-only`, { nodeId: node.id, paramKey: 'access' });
    }
    if (kind.kind === 'interKernelChannel' && eff.mode === 'byReference') {
      warn(ctx, 'fate-sharing', nodePath(ctx, node.id, 'params', 'mode'), `passes references across kernels: the kernels now share memory, so one kernel's failure can poison the other (fate-sharing); by copy avoids it`, { nodeId: node.id, paramKey: 'mode' });
    }
    // Connections that carry (both ends and the connection sound), and every connection (for what is missing).
    const ins = live.ins.get(node.id) ?? [];
    const outs = live.outs.get(node.id) ?? [];
    const anyIn = (all.ins.get(node.id) ?? []).length > 0;
    const anyOut = (all.outs.get(node.id) ?? []).length > 0;
    if (kind.kind === 'cyw43439' && (ins.length > 0 || (outs.length > 0 && eff.rxWorkload !== 'none'))) {
      // Nothing crosses before the driver has brought the link up.
      const upNs = cywBootNs(eff);
      const path = nodePath(ctx, node.id, 'params', 'bootWaitNs');
      const hint = 'run longer, or set its driver waits at boot to 0 to start with the link up';
      if (upNs >= design.run.durationNs) {
        warn(ctx, 'link-not-up', path, `brings its link up only at ${formatDuration(upNs)} (the driver's boot), after this ${formatDuration(design.run.durationNs)} run: no frame crosses it; ${hint}`, { nodeId: node.id, paramKey: 'bootWaitNs' });
      } else if (upNs - design.run.warmupNs > 0.1 * (design.run.durationNs - design.run.warmupNs)) {
        // (A boot within a tenth of the measured time, e.g. the bus time alone, is not worth a warning.)
        const refused = ins.length > 0 ? ', and frames sent to it are refused (counted as dropped)' : '';
        warn(ctx, 'link-not-up', path, `brings its link up only at ${formatDuration(upNs)} (the driver's boot), after the warm-up (${formatDuration(design.run.warmupNs)}): nothing crosses it before then${refused}; set the warm-up to at least ${formatDuration(upNs)} to measure the link once it is up, or its driver waits at boot to 0`, { nodeId: node.id, paramKey: 'bootWaitNs' });
      }
    }
    if (typeof eff.rxSliceBytes === 'number' && eff.rxWorkload !== 'none' && outs.length > 0) {
      // The ethernet tap appends header + frame to each app's slice, or drops the frame when it does not fit.
      const frame = (typeof eff.tapHeaderBytes === 'number' ? eff.tapHeaderBytes : TAP_HEADER_BYTES) + (eff.rxPayloadBytes as number);
      const room = eff.rxSliceBytes - SLICE_HEADER_BYTES;
      if (frame > room) {
        warn(ctx, 'slice-too-small', nodePath(ctx, node.id, 'params', 'rxSliceBytes'), `an app's RX slice of ${formatBytes(eff.rxSliceBytes)} holds ${formatBytes(room)} after its ${SLICE_HEADER_BYTES}-byte header, less than one inbound frame with the tap's header (${formatBytes(frame)}): every inbound frame is dropped`, { nodeId: node.id, paramKey: 'rxSliceBytes' });
      }
    }
    if (kind.kind === 'service' && !anyIn) {
      warn(ctx, 'unused-service', nodePath(ctx, node.id), `has no clients: nothing connects to this service`, { nodeId: node.id });
    }
    if (kind.kind === 'service') lintAllowlist(ctx, node, all, live, byId);
    if (isChannelKind(kind) && kind.kind !== 'registry' && (!anyIn || !anyOut)) {
      warn(ctx, 'idle-mechanism', nodePath(ctx, node.id), `has ${!anyIn ? 'no senders' : 'no receivers'}, so it carries nothing`, { nodeId: node.id });
    }
    if (kind.category === 'process' && eff.workload !== 'none' && eff.workload !== 'forward' && !anyOut) {
      warn(ctx, 'idle-workload', nodePath(ctx, node.id, 'params', 'workload'), `has a ${eff.workload} workload but no outgoing connection, so it sends nothing`, { nodeId: node.id, paramKey: 'workload' });
    }
    if (kind.category === 'process' && eff.workload !== 'none') {
      for (const e of outs) {
        const via = byId.get(e.target);
        if (via?.kind === 'relayMessage') {
          // Header + message are copied into the receiver's slice after its own header: one that cannot fit even an
          // empty slice always fails.
          const rm = effectiveParams(getKind('relayMessage')!, via.params);
          const need = (rm.headerBytes as number) + (eff.payloadBytes as number);
          const room = (rm.sliceBytes as number) - SLICE_HEADER_BYTES;
          if (need > room) {
            warn(ctx, 'message-too-long', nodePath(ctx, node.id, 'params', 'payloadBytes'), `sends ${formatBytes(eff.payloadBytes as number)} messages into "${via.name}": with its ${formatBytes(rm.headerBytes as number)} header that is ${formatBytes(need)}, more than the ${formatBytes(room)} the receiver slice of ${formatBytes(rm.sliceBytes as number)} holds after its ${SLICE_HEADER_BYTES}-byte header: every message is refused (exceeded, counted as dropped)`, { nodeId: node.id, paramKey: 'payloadBytes' });
          }
          continue;
        }
        if (via?.kind === 'notification') {
          // A notification is the upcall's arguments: up to 3 words, whatever the sender meant to send.
          const words = effectiveParams(getKind('notification')!, via.params).payloadWords as number;
          if ((eff.payloadBytes as number) > words * 4) {
            warn(ctx, 'message-too-long', nodePath(ctx, node.id, 'params', 'payloadBytes'), `sends ${formatBytes(eff.payloadBytes as number)} messages into "${via.name}", a notification whose upcall carries ${words} word${words === 1 ? '' : 's'} (${formatBytes(words * 4)}): only that arrives; a payload needs a buffer (a two-copy channel, Relay Message or shared memory)`, { nodeId: node.id, paramKey: 'payloadBytes' });
          }
          continue;
        }
        const limit = via && MESSAGE_LIMITS[via.kind];
        if (!via || !limit) continue;
        const viaKind = getKind(via.kind)!;
        const max = effectiveParams(viaKind, via.params)[limit.key] as number;
        const bytes = eff.payloadBytes as number;
        if (bytes <= max) continue;
        const label = viaKind.params.find((d) => d.key === limit.key)?.label ?? limit.key;
        const fate = limit.refused ? 'refused (counted as dropped)' : `cut to ${formatBytes(max)} (delivered, counted as truncated)`;
        warn(ctx, 'message-too-long', nodePath(ctx, node.id, 'params', 'payloadBytes'), `sends ${formatBytes(bytes)} messages into "${via.name}", whose ${label.toLowerCase()} is ${formatBytes(max)}: every message is ${fate}`, { nodeId: node.id, paramKey: 'payloadBytes' });
      }
    }
  }
  // (An empty design is simply not started yet: the canvas says what to do, a run refuses to start.)
  if (design.nodes.length > 0 && !design.nodes.some((n) => n.kind === 'kernel')) {
    warn(ctx, 'no-kernel', 'nodes', 'the design has no kernel, so a run has nothing to simulate: add a Kernel, then processes and mechanisms inside it');
  }
  if (design.run.warmupNs >= design.run.durationNs) {
    warn(ctx, 'warmup', 'run.warmupNs', 'the warm-up is as long as the run, so no sample is kept');
  }
}

/**
 * Validates a structurally sound design against the catalog: errors (unknown kind, bad or missing parameter,
 * dangling reference, illegal connection, a process outside any kernel, a kernel-local mechanism across kernels)
 * and lint warnings (MPU budget, alignment waste, unbounded queues, TOCTOU, fate-sharing, unused services, an
 * allowlist naming no sender, two processes with one name). The warnings come with the errors too, for the part of
 * the design the errors leave sound (see `lint`). Each finding names its place once: `path` and `where` say which
 * element, `message` says what is wrong with it without naming it again. Normalises parameter values in place (e.g.
 * `"5ms"` → 5000000). Never throws on any design the schema admits.
 */
export function validateDesign(design: Design): Finding[] {
  const ctx: Ctx = {
    design,
    byId: new Map(),
    index: new Map(),
    out: [],
  };
  design.nodes.forEach((n, i) => {
    if (!ctx.byId.has(n.id)) {
      ctx.byId.set(n.id, n);
      ctx.index.set(n.id, i);
    }
  });
  checkIds(ctx);
  checkNodes(ctx);
  checkEdges(ctx);
  lint(ctx);
  return withWhere(ctx.out, design);
}

/** Names the element each finding's path points into (`nodes[3]…` → that node's name and kind). */
export function withWhere(findings: Finding[], design: unknown): Finding[] {
  for (const f of findings) {
    if (f.where !== undefined) continue;
    const m = /^(nodes|edges)\[(\d+)\]/.exec(f.path);
    const where = m ? whereIn(design, [m[1]!, Number(m[2])], (k) => getKind(k)?.label ?? k) : undefined;
    if (where !== undefined) f.where = where;
  }
  return findings;
}

/** Convenience: the kind of a node (asserting the design was validated). */
export function kindOf(node: DesignNode): KindDef {
  const k = getKind(node.kind);
  if (!k) throw new Error(`unknown kind ${node.kind}`);
  return k;
}

/** Edges whose target is `id`. */
export function edgesInto(design: Design, id: string): DesignEdge[] {
  return design.edges.filter((e) => e.target === id);
}
