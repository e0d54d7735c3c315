import type { BooleanParam, EnumParam, NodeRefParam, NumberParam, ParamValue, Source, StringParam, Unit } from './types';

/** Shorthands to declare parameters compactly in `kinds.ts`. */
export const V = (ref: string): Source => ({ tag: 'V', ref });
export const M = (ref: string): Source => ({ tag: 'M', ref });
export const E = (ref: string): Source => ({ tag: 'E', ref });

type Extra = { required?: boolean; visibleWhen?: { key: string; equals: ParamValue | readonly ParamValue[] }; zeroMeans?: string };

function numeric(type: 'number' | 'integer') {
  return (key: string, label: string, unit: Unit, dflt: number, min: number, max: number, source: Source, description: string, extra: Extra = {}): NumberParam => ({
    key,
    label,
    type,
    unit,
    default: dflt,
    min,
    max,
    source,
    description,
    ...extra,
  });
}

/** A real-valued parameter. */
export const num = numeric('number');
/** A whole-number parameter. */
export const int = numeric('integer');

export function choice(
  key: string,
  label: string,
  options: readonly (readonly [string, string])[],
  dflt: string,
  source: Source,
  description: string,
  extra: Extra = {},
): EnumParam {
  return { key, label, type: 'enum', options: options.map(([value, l]) => ({ value, label: l })), default: dflt, source, description, ...extra };
}

export function flag(key: string, label: string, dflt: boolean, source: Source, description: string, extra: Extra = {}): BooleanParam {
  return { key, label, type: 'boolean', default: dflt, source, description, ...extra };
}

export function text(key: string, label: string, dflt: string, maxLength: number, source: Source, description: string): StringParam {
  return { key, label, type: 'string', default: dflt, maxLength, source, description };
}

export function ref(key: string, label: string, refKinds: readonly string[], description: string): NodeRefParam {
  return { key, label, type: 'nodeRef', default: '', refKinds, source: E('chosen by the designer'), description, required: true };
}

/** 1 µs, 1 ms, 1 s in nanoseconds. */
export const US = 1_000;
export const MS = 1_000_000;
export const SEC = 1_000_000_000;
/** One hour of simulated time: the upper bound of every duration parameter. */
export const MAX_DURATION_NS = 3_600 * SEC;
