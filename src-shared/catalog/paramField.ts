import type { NumberParam, ParamDef, ParamValue } from './index';
import { formatDuration, formatHz, isBareNonZero, parseBitRate, parseBytes, parseDuration, parseHz, type ParseResult } from '../util/units';

/** The outcome of reading what a person typed into a parameter field. */
export type FieldParse = { ok: true; value: ParamValue } | { ok: false; error: string };

const PLAIN_NUMBER = /^\s*([+-]?(?:\d+(?:[_,]\d{3})*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

/** Units a person may type after a plain number (`12 cycles`, `100/s`); the catalog unit is always accepted. */
const UNIT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  cycles: ['cycles', 'cycle', 'cyc'],
  entries: ['entries', 'entry'],
  words: ['words', 'word'],
  count: ['count', 'x', '×'],
  '/s': ['/s', 'per s', 'hz'],
  'B/cycle': ['b/cycle', 'b/cyc'],
};

function parsePlain(text: string, unit: string): ParseResult {
  let t = text.trim();
  const aliases = [unit.toLowerCase(), ...(UNIT_ALIASES[unit] ?? [])].filter((a) => a !== '');
  const lower = t.toLowerCase();
  for (const a of aliases.sort((x, y) => y.length - x.length)) {
    if (lower.endsWith(a)) {
      t = t.slice(0, t.length - a.length);
      break;
    }
  }
  const m = PLAIN_NUMBER.exec(t);
  if (!m) return { ok: false, error: `"${text.trim()}" is not a number${unit ? ` of ${unit}` : ''}` };
  const n = Number(m[1]!.replace(/[_,]/g, ''));
  if (!Number.isFinite(n)) return { ok: false, error: `"${text.trim()}" is not a finite number` };
  return { ok: true, value: n };
}

/** Parses the text of a numeric field in the parameter's unit (durations, sizes, frequencies, bit rates). */
export function parseNumberText(def: NumberParam, text: string): ParseResult {
  switch (def.unit) {
    case 'ns':
      return parseDuration(text);
    case 'B':
      return parseBytes(text);
    case 'Hz':
      return parseHz(text);
    case 'bit/s':
      return parseBitRate(text);
    default:
      return parsePlain(text, def.unit);
  }
}

function exactOr(v: number, formatted: string, parse: (t: string) => ParseResult, fallback: string): string {
  const r = parse(formatted);
  return r.ok && Math.abs(r.value - v) <= Math.abs(v) * 1e-12 ? formatted : fallback;
}

/** Formats a size exactly: `64 B`, `4 KiB`, `1 MiB`, `2 GiB`, `1518 B` (never a rounded `1.482 KiB`). */
export function formatBytesExact(bytes: number): string {
  if (bytes !== 0 && Number.isInteger(bytes / 1_073_741_824)) return `${bytes / 1_073_741_824} GiB`;
  if (bytes !== 0 && Number.isInteger(bytes / 1_048_576)) return `${bytes / 1_048_576} MiB`;
  if (bytes !== 0 && Number.isInteger(bytes / 1_024)) return `${bytes / 1_024} KiB`;
  return `${bytes} B`;
}

/** Formats a bit rate: `500 kbit/s`, `10 Mbit/s`. */
export function formatBitRate(bps: number): string {
  const f = bps >= 1e6 ? `${Number((bps / 1e6).toPrecision(12))} Mbit/s` : bps >= 1e3 ? `${Number((bps / 1e3).toPrecision(12))} kbit/s` : `${bps} bit/s`;
  return exactOr(bps, f, parseBitRate, `${bps} bit/s`);
}

/**
 * Formats a value for an input field so that parsing the text gives the value back exactly
 * (`40 µs`, `4 KiB`, `125 MHz`); unit-less numbers are plain (the unit is shown beside the field).
 */
export function formatParamValue(def: ParamDef, value: ParamValue | undefined): string {
  if (value === undefined) return '';
  if (def.type !== 'number' && def.type !== 'integer') return String(value);
  if (typeof value !== 'number') return String(value);
  switch (def.unit) {
    case 'ns':
      return exactOr(value, formatDuration(value, 12), parseDuration, `${value} ns`);
    case 'B':
      return formatBytesExact(value);
    case 'Hz':
      return exactOr(value, formatHz(value), parseHz, `${value} Hz`);
    case 'bit/s':
      return formatBitRate(value);
    default:
      return String(value);
  }
}

/** Whether the field's text already carries its unit (so the unit is not repeated beside the input). */
export function unitInText(def: ParamDef): boolean {
  return def.type === 'number' || def.type === 'integer' ? ['ns', 'B', 'Hz', 'bit/s'].includes(def.unit) : false;
}

/** Units that are counted nouns, in the singular ("1 word", not "1 words"). */
const SINGULAR: Readonly<Record<string, string>> = { words: 'word', entries: 'entry' };

/** A short display of a value with its unit, for defaults, ranges and node summaries. */
export function displayValue(def: ParamDef, value: ParamValue | undefined): string {
  if (value === undefined) return '—';
  if (def.type === 'enum') return def.options.find((o) => o.value === value)?.label ?? String(value);
  if (def.type === 'boolean') return value ? 'yes' : 'no';
  if (def.type === 'string') return value === '' ? '(empty)' : String(value);
  if (def.type === 'nodeRef') return value === '' ? '(none)' : String(value);
  if (unitInText(def)) return formatParamValue(def, value);
  const text = typeof value === 'number' && Math.abs(value) >= 10_000 ? value.toLocaleString('en-US', { maximumFractionDigits: 6 }) : formatParamValue(def, value);
  const unit = value === 1 ? (SINGULAR[def.unit] ?? def.unit) : def.unit;
  return unit && unit !== 'count' ? `${text} ${unit}` : text; // "8", not "8 count"
}

/** The allowed range of a numeric parameter in its unit (`1 µs – 3600 s`), or undefined for other types. */
export function formatRange(def: ParamDef): string | undefined {
  if (def.type !== 'number' && def.type !== 'integer') return undefined;
  const whole = (def.type === 'integer' && !unitInText(def) ? ' (whole)' : '') + (def.zeroMeans ? ` · 0 = ${def.zeroMeans}` : '');
  if (unitInText(def) || !def.unit) return `${displayValue(def, def.min)} – ${displayValue(def, def.max)}${whole}`;
  const bare = { ...def, unit: '' as const };
  return `${displayValue(bare, def.min)} – ${displayValue(def, def.max)}${whole}`;
}

/** An example of what to type, shown as the placeholder of a numeric field. */
export function inputHint(def: ParamDef): string {
  if (def.type !== 'number' && def.type !== 'integer') return '';
  switch (def.unit) {
    case 'ns':
      return 'e.g. 250ns, 40us, 5ms, 10s';
    case 'B':
      return 'e.g. 64, 1518B, 4KiB';
    case 'Hz':
      return 'e.g. 125MHz, 32kHz';
    case 'bit/s':
      return 'e.g. 500kbit/s, 100Mbit/s';
    default:
      return def.type === 'integer' ? 'a whole number' : 'a number';
  }
}

/**
 * Reads what a person typed into a parameter field: the value to store, or a sentence saying what is wrong
 * (unit, whole number, range, allowed options), in the parameter's own unit.
 */
export function parseParamInput(def: ParamDef, text: string): FieldParse {
  switch (def.type) {
    case 'number':
    case 'integer': {
      if (text.trim() === '') return { ok: false, error: `${def.label} needs a value (${inputHint(def)})` };
      // Durations, frequencies and bit rates are shown with a prefixed unit (50 µs, 168 MHz): a bare number typed
      // over one would be read in ns, Hz or bit/s, an in-range value nobody meant. Sizes read a bare number as bytes.
      if ((def.unit === 'ns' || def.unit === 'Hz' || def.unit === 'bit/s') && isBareNonZero(text)) {
        return { ok: false, error: `${def.label}: “${text.trim()}” needs a unit (${inputHint(def)})` };
      }
      const r = parseNumberText(def, text);
      if (!r.ok) return { ok: false, error: r.error };
      const n = r.value;
      if (def.type === 'integer' && !Number.isInteger(n)) {
        return { ok: false, error: `${def.label} must be a whole number${def.unit ? ` of ${def.unit === 'ns' ? 'nanoseconds' : def.unit}` : ''}; ${displayValue(def, n)} is not` };
      }
      if (n < def.min || n > def.max) {
        return { ok: false, error: `${displayValue(def, n)} is outside the allowed range ${displayValue(def, def.min)} – ${displayValue(def, def.max)}` };
      }
      return { ok: true, value: n };
    }
    case 'enum': {
      const opt = def.options.find((o) => o.value === text);
      return opt ? { ok: true, value: opt.value } : { ok: false, error: `choose one of ${def.options.map((o) => o.label).join(', ')}` };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, error: `${def.label} is yes or no` };
    case 'string':
      if (text.length > def.maxLength) return { ok: false, error: `${def.label} is ${text.length} characters; at most ${def.maxLength}` };
      return { ok: true, value: text };
    case 'nodeRef':
      if (text === '') return { ok: false, error: `${def.label} must name a node` };
      return { ok: true, value: text };
  }
}
