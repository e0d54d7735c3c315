import { CHIPS } from './chips';
import { KINDS } from './kinds';
import { MPU_ARCHS, type MpuArch } from './mpu';
import type { Category, KindDef, ParamDef, ParamValue, PortDef, Source } from './types';

export * from './types';
export * from './mpu';
export { CHIPS, type ChipPreset, type PresetValue } from './chips';
export { KINDS, SLICE_HEADER_BYTES, TAP_HEADER_BYTES } from './kinds';

/** Kinds by name. */
export const KIND_MAP: ReadonlyMap<string, KindDef> = new Map(KINDS.map((k) => [k.kind, k]));

/** Palette groups, in order, with their headings. */
export const CATEGORIES: readonly { id: Category; label: string }[] = [
  { id: 'kernel', label: 'Kernels' },
  { id: 'process', label: 'Processes & services' },
  { id: 'mechanism', label: 'IPC mechanisms' },
  { id: 'pattern', label: 'Patterns' },
  { id: 'peripheral', label: 'Peripherals' },
  { id: 'fault', label: 'Faults' },
];

/** Looks a kind up; undefined when the catalog has no such kind. */
export function getKind(kind: string): KindDef | undefined {
  return KIND_MAP.get(kind);
}

/** The parameter `key` of `kind`, if any. */
export function getParamDef(kind: KindDef, key: string): ParamDef | undefined {
  return kind.params.find((p) => p.key === key);
}

/** The port `id` of `kind`, if any. */
export function getPort(kind: KindDef, id: string): PortDef | undefined {
  return kind.ports.find((p) => p.id === id);
}

/** Default of a parameter for a node whose (explicit) params are `params`: the chip preset when it gives one. */
export function defaultFor(kind: KindDef, def: ParamDef, params: Readonly<Record<string, ParamValue>>): { value: ParamValue; source: Source } {
  if (kind.kind === 'kernel' && def.key !== 'chip') {
    const chipId = typeof params.chip === 'string' ? params.chip : 'stm32f429';
    const preset = CHIPS[chipId]?.values[def.key];
    if (preset) return preset;
  }
  return { value: def.default, source: def.source };
}

/** The effective parameters of a node: every catalog parameter, explicit values over (preset-aware) defaults. */
export function effectiveParams(kind: KindDef, params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const def of kind.params) {
    const v = params[def.key];
    out[def.key] = v !== undefined ? v : defaultFor(kind, def, params).value;
  }
  return out;
}

/** The MPU architecture of a kernel's effective params (falls back to ARMv7-M for an unknown id). */
export function mpuArchOf(kernelParams: Readonly<Record<string, ParamValue>>): MpuArch {
  return MPU_ARCHS[String(kernelParams.mpuArch)] ?? MPU_ARCHS.armv7m!;
}

/** Whether a parameter is shown given the node's effective params (`visibleWhen`). */
export function isParamVisible(def: ParamDef, eff: Readonly<Record<string, ParamValue>>): boolean {
  if (!def.visibleWhen) return true;
  const v = eff[def.visibleWhen.key];
  const eq = def.visibleWhen.equals;
  return Array.isArray(eq) ? (eq as readonly ParamValue[]).includes(v as ParamValue) : v === eq;
}

/** True for kinds that are IPC mechanisms or use-case patterns (they carry flows). */
export function isChannelKind(kind: KindDef): boolean {
  return kind.category === 'mechanism' || kind.category === 'pattern';
}
