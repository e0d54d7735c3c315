import type { z } from 'zod';
import { getKind } from '../catalog';
import { parseDuration } from '../util/units';
import { DESIGN_FORMAT, DESIGN_VERSION, DesignSchema, MAX_DESIGN_BYTES, type Design } from './design';
import { formatPath, type Finding } from './findings';
import { migrateDesign, type DesignMigration, DESIGN_MIGRATIONS } from './migrations';
import { validateDesign, withWhere } from './validate';

/**
 * The outcome of loading a design: the design with its warnings, or every error (and warning) found. With
 * `forEditing`, `ok` may also hold a design with errors the editor can show and fix; `errorCount` then counts them
 * (it is absent, never 0, when there are none, so a strict caller never sees it).
 */
export type LoadResult =
  | { ok: true; design: Design; findings: Finding[]; migratedFrom?: number; errorCount?: number }
  | { ok: false; findings: Finding[] };

/** How strict loading is. */
export interface LoadOptions {
  /**
   * Opening in the editor: accept a design whose only errors are ones the editor itself can produce, display and
   * fix (see `editorCanHold`), so that work in progress the studio saved also opens again. Runs, the CLI and the
   * API leave this unset and refuse any error.
   */
  forEditing?: boolean;
}

function fail(path: string, message: string, code = 'malformed'): LoadResult {
  return { ok: false, findings: [{ severity: 'error', code, path, message }] };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? `the text ${JSON.stringify(v).slice(0, 40)}` : `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** Turns a zod issue into a sentence that names what is wrong in words a person uses. */
function issueMessage(issue: z.core.$ZodIssue, root: unknown): string {
  const got = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined) return `missing; expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}`;
      return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}, found ${typeName(got)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${String(issue.minimum)} item(s)` : issue.origin === 'string' ? 'must not be empty' : `is ${String(got)}, below the minimum ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `has more than ${String(issue.maximum)} items` : issue.origin === 'string' ? `is longer than ${String(issue.maximum)} characters` : `is ${String(got)}, above the maximum ${String(issue.maximum)}`;
    case 'invalid_value':
      return `is ${typeName(got)}; expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    case 'invalid_union':
      return `is ${typeName(got)}, which is not allowed here (${issue.message === 'Invalid input' ? 'expected a number, text or true/false of the right form' : issue.message})`;
    case 'invalid_format':
      return `is ${typeName(got)}; ${issue.message}`;
    default:
      return issue.message;
  }
}

function jsonErrorLocation(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return ` at line ${line}, column ${col}`;
}

/**
 * Parses design-file text: JSON errors with their line and column; then `loadDesignObject`. Never throws.
 */
export function parseDesignText(text: string, opts: LoadOptions = {}): LoadResult {
  if (text.length > MAX_DESIGN_BYTES) return fail('(root)', `the file is ${(text.length / 1048576).toFixed(1)} MiB; a design file is at most ${MAX_DESIGN_BYTES / 1048576} MiB`, 'too-large');
  if (text.trim() === '') return fail('(root)', 'the file is empty; a design file is a JSON object', 'empty');
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return fail('(root)', `not valid JSON${jsonErrorLocation(text, msg)}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, 'json');
  }
  return loadDesignObject(raw, DESIGN_MIGRATIONS, opts);
}

function normaliseDurations(raw: Record<string, unknown>): void {
  const run = raw.run as Record<string, unknown>;
  for (const key of ['durationNs', 'warmupNs']) {
    if (typeof run[key] === 'string') {
      const r = parseDuration(run[key] as string);
      if (r.ok) run[key] = r.value;
    }
  }
}

/**
 * Loads a parsed JSON value as a design: checks `format` and `version`, migrates older versions, validates the
 * shape (zod) and then the meaning (catalog, connections, lint). Returns findings with paths. Never throws.
 */
export function loadDesignObject(raw: unknown, migrations: readonly DesignMigration[] = DESIGN_MIGRATIONS, opts: LoadOptions = {}): LoadResult {
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return fail('(root)', `a design file is a JSON object, but this is ${typeName(raw)}`);
    }
    const obj = raw as Record<string, unknown>;
    if (obj.format !== DESIGN_FORMAT) {
      return fail('format', obj.format === undefined ? `missing; a design file starts with "format": "${DESIGN_FORMAT}"` : `is ${typeName(obj.format)}; expected "${DESIGN_FORMAT}" (is this a Tock IPC Studio design?)`);
    }
    if (typeof obj.version !== 'number' || !Number.isInteger(obj.version)) {
      return fail('version', obj.version === undefined ? `missing; expected a whole number (this build writes ${DESIGN_VERSION})` : `is ${typeName(obj.version)}; expected a whole number`);
    }
    const mig = migrateDesign(JSON.parse(JSON.stringify(obj)) as Record<string, unknown>, migrations);
    if (!mig.ok) return fail('version', mig.message, 'version');
    const parsed = DesignSchema.safeParse(mig.raw);
    if (!parsed.success) {
      const findings: Finding[] = parsed.error.issues.slice(0, 200).map((issue) => ({
        severity: 'error' as const,
        code: 'schema',
        path: formatPath(issue.path),
        message: issueMessage(issue, mig.raw),
      }));
      return { ok: false, findings: withWhere(findings, mig.raw) };
    }
    const data = JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown>;
    normaliseDurations(data);
    const design = data as unknown as Design;
    const findings = validateDesign(design);
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0 && !(opts.forEditing === true && errors.every((f) => editorCanHold(f, design)))) return { ok: false, findings };
    const result: LoadResult = { ok: true, design, findings };
    if (mig.from !== DESIGN_VERSION) result.migratedFrom = mig.from;
    if (errors.length > 0) result.errorCount = errors.length;
    return result;
  } catch (e) {
    // A bug, not the user's fault; still a finding rather than a crash.
    return fail('(root)', `internal error while loading the design: ${e instanceof Error ? e.message : String(e)}`, 'internal');
  }
}

/** Error codes of a node parameter whose value the inspector shows as it is and lets the user choose again. */
const HOLDABLE_CODES: ReadonlySet<string> = new Set(['missing-param', 'dangling-ref', 'bad-ref', 'bad-param']);

/**
 * Whether the editor can hold a design with this error finding and show it in its problems list: a node
 * parameter that is missing, out of range or too long, or a reference not chosen or naming a node that is gone
 * (what editing itself can leave behind). A `bad-param` counts only when the value has the type the field edits
 * (a number in a numeric field, text in a text or reference field); text in a numeric field, an unknown option,
 * unknown kinds or parameters, placement, ids and connections stay refused: the canvas cannot show them safely.
 */
export function editorCanHold(finding: Finding, design: Design): boolean {
  if (finding.severity !== 'error') return true;
  if (!HOLDABLE_CODES.has(finding.code) || finding.nodeId === undefined || finding.paramKey === undefined) return false;
  if (finding.code !== 'bad-param') return true;
  const node = design.nodes.find((n) => n.id === finding.nodeId);
  const def = node && getKind(node.kind)?.params.find((p) => p.key === finding.paramKey);
  if (!node || !def) return false;
  const value = node.params[def.key];
  switch (def.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'nodeRef':
      return typeof value === 'string';
    default:
      return false;
  }
}

/** Serialises a design for saving: stable key order, two-space indent, trailing newline. */
export function serializeDesign(design: Design): string {
  return `${JSON.stringify(design, null, 2)}\n`;
}
