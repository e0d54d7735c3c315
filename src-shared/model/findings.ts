/** Severity of a finding: errors make a design unusable (load refused, run refused); warnings are lint. */
export type Severity = 'error' | 'warning';

/**
 * One problem found in a design. `path` names the place in the file (`nodes[3].params.periodNs`, `(root)` for
 * the file itself); `message` is a sentence a person understands. `nodeId`/`edgeId`/`paramKey` let the editor
 * select the culprit.
 */
export interface Finding {
  severity: Severity;
  code: string;
  path: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  paramKey?: string;
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

/** One line per finding, as the CLI prints it: `error nodes[3].params.periodNs: …`. */
export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.path}: ${f.message}`;
}
