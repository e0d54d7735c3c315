/** Severity of a finding: errors make a design unusable (load refused, run refused); warnings are lint. */
export type Severity = 'error' | 'warning';

/**
 * One problem found in a design. `path` names the place in the file (`nodes[3].params.periodNs`, `(root)` for
 * the file itself) and `where` the element it is in, by the names a person sees; `message` says what is wrong
 * there, without naming that element again (it reads after the place: `Process “a”: sends 1 KiB messages into
 * "m", …`; other elements it involves it names). `nodeId`/`edgeId`/`paramKey` let the editor select the culprit.
 */
export interface Finding {
  severity: Severity;
  code: string;
  path: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  paramKey?: string;
  /** The element by the names a person sees (`Process “controller”`, `connection “a” → “b”`), when there is one. */
  where?: string;
}

/** Formats a path from its segments: `['nodes', 3, 'params', 'periodNs']` → `nodes[3].params.periodNs`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else {
      const key = String(s);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(root)';
}

/**
 * One line per finding, as the CLI prints it: `error nodes[3].params.periodNs: … (Process “producer”)` — the path
 * first, as it always was (tools split at the first ": "), the element's name last.
 */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.path}: ${f.message}${f.where ? ` (${f.where})` : ''}`;
}

/**
 * A finding as one sentence for a place that shows no path or element of its own (a note, a tooltip): its element
 * first, then what is wrong there — `Process “producer”: sends 1 KiB messages into "m", …`.
 */
export function describeFinding(f: Finding): string {
  return f.where ? `${f.where}: ${f.message}` : f.message;
}

/**
 * Where a path into a design file points, by the names a person sees: `nodes[i]…` names that node (its name and
 * kind), `edges[i]…` that connection (its ends' names). `kindLabel` turns a kind id into its label. Undefined when
 * the path is elsewhere or the element has no usable name (a file too broken to say).
 */
export function whereIn(design: unknown, segments: readonly PropertyKey[], kindLabel: (kind: string) => string): string | undefined {
  const list = (key: string): unknown[] => {
    const v = design !== null && typeof design === 'object' ? (design as Record<string, unknown>)[key] : undefined;
    return Array.isArray(v) ? v : [];
  };
  const field = (o: unknown, key: string): string | undefined => {
    const v = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const [top, i] = segments;
  if (typeof i !== 'number') return undefined;
  if (top === 'nodes') {
    const n = list('nodes')[i];
    const name = field(n, 'name') ?? field(n, 'id');
    const kind = field(n, 'kind');
    return name === undefined ? undefined : `${kind ? `${kindLabel(kind)} ` : ''}“${name}”`;
  }
  if (top === 'edges') {
    const e = list('edges')[i];
    const nameOf = (id: string | undefined): string | undefined => {
      if (id === undefined) return undefined;
      const n = list('nodes').find((x) => field(x, 'id') === id);
      return field(n, 'name') ?? id;
    };
    const a = nameOf(field(e, 'source'));
    const b = nameOf(field(e, 'target'));
    return a !== undefined && b !== undefined ? `connection “${a}” → “${b}”` : undefined;
  }
  return undefined;
}
