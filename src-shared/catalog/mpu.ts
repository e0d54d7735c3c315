import type { Source } from './types';

/** MPU/PMP alignment rule: `pow2` = ARMv7-M (size a power of two ≥ min, base aligned to size); `granule` = size
 * and base multiples of the granule (ARMv8-M 32 B, RISC-V PMP TOR 4 B). */
export type AlignmentRule = 'pow2' | 'granule';

/** One memory-protection architecture from tock-model.md §4. Invariant: `usedPerProcess < regions`. */
export interface MpuArch {
  id: string;
  label: string;
  regions: number;
  rule: AlignmentRule;
  /** Minimum region size (pow2) or granule (granule rule), in bytes. */
  minRegionBytes: number;
  /** Regions every process uses for its own flash and RAM. */
  usedPerProcess: number;
  source: Source;
}

/** Extra regions per process are capped by the kernel at 6 (`mpu_regions: [_; 6]`), tock-model.md §4. */
export const KERNEL_EXTRA_REGION_CAP = 6;

const MPU_SRC = 'tock-model §4; arch/cortex-m/src/mpu.rs, arch/cortex-m33/src/mpu_v8m.rs, arch/riscv/src/pmp.rs';

/** The architectures of tock-model.md §4, by id. */
export const MPU_ARCHS: Readonly<Record<string, MpuArch>> = {
  armv7m: { id: 'armv7m', label: 'ARMv7-M M3/M4 MPU<8,32>', regions: 8, rule: 'pow2', minRegionBytes: 32, usedPerProcess: 3, source: { tag: 'V', ref: MPU_SRC } },
  armv6m: { id: 'armv6m', label: 'M0+ RP2040 MPU<8,256>', regions: 8, rule: 'pow2', minRegionBytes: 256, usedPerProcess: 3, source: { tag: 'V', ref: MPU_SRC } },
  armv7m_m7: { id: 'armv7m_m7', label: 'ARMv7-M M7 MPU<16,32>', regions: 16, rule: 'pow2', minRegionBytes: 32, usedPerProcess: 3, source: { tag: 'V', ref: MPU_SRC } },
  armv8m: { id: 'armv8m', label: 'ARMv8-M M33 MPU<8> (32 B granules)', regions: 8, rule: 'granule', minRegionBytes: 32, usedPerProcess: 2, source: { tag: 'V', ref: MPU_SRC } },
  pmp_qemu_virt: { id: 'pmp_qemu_virt', label: 'RISC-V PMP qemu_rv32_virt (5 user regions)', regions: 5, rule: 'granule', minRegionBytes: 4, usedPerProcess: 2, source: { tag: 'V', ref: MPU_SRC } },
  pmp_esp32c3: { id: 'pmp_esp32c3', label: 'RISC-V PMP esp32-c3 SimplePMP<16>', regions: 8, rule: 'granule', minRegionBytes: 4, usedPerProcess: 2, source: { tag: 'V', ref: MPU_SRC } },
  pmp_e310x: { id: 'pmp_e310x', label: 'RISC-V PMP e310x SimplePMP<8>', regions: 4, rule: 'granule', minRegionBytes: 4, usedPerProcess: 2, source: { tag: 'V', ref: MPU_SRC } },
};

/** Regions a process can use for IPC shares: hardware regions left after its own, capped by the kernel at 6. */
export function freeRegionsForIpc(arch: MpuArch): number {
  return Math.min(arch.regions - arch.usedPerProcess, KERNEL_EXTRA_REGION_CAP);
}

/** Total regions a process may hold (its own plus IPC shares): the capacity drawn on charts. */
export function regionCapacity(arch: MpuArch): number {
  return arch.usedPerProcess + freeRegionsForIpc(arch);
}

/** How a shared buffer is placed in memory: `aligned` = the allocator rounds it up to what the MPU needs;
 * `unaligned` = packed at 4-byte alignment (the share fails when the MPU rule needs more). */
export type BufferPlacement = 'aligned' | 'unaligned';

/** Outcome of mapping one shared buffer into a process's MPU. */
export interface ShareFit {
  ok: boolean;
  /** Size of the region that covers the buffer (bytes), when it fits. */
  regionBytes: number;
  /** regionBytes − requested bytes: memory wasted by rounding up (0 when it does not fit). */
  wasteBytes: number;
  /** Why it does not fit, in a sentence (empty when ok). */
  reason: string;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Whether a shared buffer of `bytes` can be mapped under `arch`'s alignment rule (the conservative check of
 * tock-model.md §4), and what the rounding wastes. Aligned placement always fits by rounding up; unaligned
 * placement (4-byte base) fits only when the rule needs no more than that.
 */
export function fitShare(arch: MpuArch, bytes: number, placement: BufferPlacement): ShareFit {
  if (arch.rule === 'pow2') {
    const regionBytes = nextPow2(Math.max(bytes, arch.minRegionBytes));
    if (placement === 'aligned') return { ok: true, regionBytes, wasteBytes: regionBytes - bytes, reason: '' };
    return {
      ok: false,
      regionBytes: 0,
      wasteBytes: 0,
      reason: `${arch.label} needs a power-of-two size ≥ ${arch.minRegionBytes} B with its base aligned to the size; a ${bytes} B buffer packed at 4-byte alignment breaks that (aligned it would take a ${regionBytes} B region, wasting ${regionBytes - bytes} B)`,
    };
  }
  const g = arch.minRegionBytes;
  const regionBytes = Math.ceil(bytes / g) * g;
  if (placement === 'aligned' || g <= 4) return { ok: true, regionBytes, wasteBytes: regionBytes - bytes, reason: '' };
  return {
    ok: false,
    regionBytes: 0,
    wasteBytes: 0,
    reason: `${arch.label} needs base and size in ${g} B granules; a ${bytes} B buffer packed at 4-byte alignment breaks that (aligned it would take ${regionBytes} B, wasting ${regionBytes - bytes} B)`,
  };
}
