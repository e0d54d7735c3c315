import type { ParamValue, Source } from './types';

/** A value a chip preset gives a kernel parameter, with its own provenance. */
export interface PresetValue {
  value: ParamValue;
  source: Source;
}

/** A chip preset: the kernel parameter values that follow from the chip. Invariant: keys are kernel param keys. */
export interface ChipPreset {
  id: string;
  label: string;
  core: string;
  values: Readonly<Record<string, PresetValue>>;
}

const v = (value: ParamValue, ref: string): PresetValue => ({ value, source: { tag: 'V', ref } });
const e = (value: ParamValue, ref: string): PresetValue => ({ value, source: { tag: 'E', ref } });
const m = (value: ParamValue, ref: string): PresetValue => ({ value, source: { tag: 'M', ref } });

const T5 = 'tock-model §5';
const ARM_EXC = `${T5}: exception entry (ARM knowledge article 103489845)`;

function cortexM(core: 'M0+' | 'M4' | 'M33'): Record<string, PresetValue> {
  const m0 = core === 'M0+';
  const entry = m0 ? 15 : 12;
  const syscall = m0 ? 550 : 400;
  return {
    exceptionEntryCycles: v(entry, ARM_EXC),
    exceptionExitCycles: v(10, `${T5}: exception exit`),
    syscallCycles: e(syscall, `${T5}: syscall round trip ${m0 ? 'M0+' : 'M4/M33'} (anchored on OpenTitan Ibex 2,268 cycles)`),
    mpuReprogramCycles: e(40, 'tock-model §4: ~16 register writes, Cortex-M'),
    schedulerCycles: e(200, `${T5}: context switch = syscall + MPU reprogram + 200 scheduler`),
    upcallCycles: e(syscall + 40 + 200, `${T5}: upcall delivery ≈ context switch`),
    kernelCopyBytesPerCycle: e(m0 ? 0.25 : 0.33, `${T5}: byte-wise kernel copy ${m0 ? 'M0+' : 'M4/M33'}`),
    memcpyBytesPerCycle: e(m0 ? 1.0 : 1.5, `${T5}: optimized memcpy ${m0 ? 'M0+' : 'M4/M33'}`),
    ipiCycles: e(entry + 200, `${T5}: inter-processor interrupt = exception entry + 200`),
  };
}

function riscv(): Record<string, PresetValue> {
  return {
    // A device interrupt makes no syscall, so its trap costs count on their own (the syscall round trip has them).
    exceptionEntryCycles: e(80, 'Tock arch/rv32i _start_trap from user mode: ~31 register stores, CSR saves, interrupts off'),
    exceptionExitCycles: e(70, 'Tock arch/rv32i return to the app: ~31 register loads, mret'),
    syscallCycles: e(2300, `${T5}: syscall round trip RISC-V (OpenTitan Ibex measured 2,268)`),
    mpuReprogramCycles: e(60, 'tock-model §4: PMP reprogram ~60 cycles RISC-V'),
    schedulerCycles: e(200, `${T5}: context switch = syscall + PMP reprogram + 200 scheduler`),
    upcallCycles: e(2300 + 60 + 200, `${T5}: upcall delivery ≈ context switch`),
    kernelCopyBytesPerCycle: e(0.33, `${T5}: byte-wise kernel copy RISC-V`),
    memcpyBytesPerCycle: m(0.73, `${T5}: memcpy, OpenTitan Ibex measured 0.73 B/cycle`),
    ipiCycles: e(80 + 200, `${T5}: inter-processor interrupt = trap entry + 200`),
  };
}

/** The chip presets of product.md's catalog, by id. */
export const CHIPS: Readonly<Record<string, ChipPreset>> = {
  rp2040: {
    id: 'rp2040',
    label: 'RP2040 (Cortex-M0+)',
    core: 'M0+',
    values: {
      clockHz: v(125e6, `${T5}: clock RP2040 (Tock's RP2040 clock)`),
      mpuArch: v('armv6m', 'tock-model §4: M0+ RP2040 MPU<8,256>'),
      ...cortexM('M0+'),
    },
  },
  rp2350: {
    id: 'rp2350',
    label: 'RP2350 (Cortex-M33)',
    core: 'M33',
    values: {
      clockHz: v(150e6, `${T5}: clock RP2350 (M33)`),
      mpuArch: v('armv8m', 'tock-model §4: ARMv8-M M33 MPU<8>'),
      ...cortexM('M33'),
    },
  },
  stm32f429: {
    id: 'stm32f429',
    label: 'STM32F429 (Cortex-M4)',
    core: 'M4',
    values: {
      clockHz: v(50e6, `${T5}: clock STM32F429, nucleo_f429zi with Ethernet (silicon max 180 MHz)`),
      mpuArch: v('armv7m', 'tock-model §4: ARMv7-M M4 MPU<8,32>'),
      ...cortexM('M4'),
    },
  },
  nrf52840: {
    id: 'nrf52840',
    label: 'nRF52840 (Cortex-M4)',
    core: 'M4',
    values: {
      clockHz: v(64e6, 'Nordic nRF52840 product specification: 64 MHz CPU (not in tock-model.md)'),
      mpuArch: v('armv7m', 'tock-model §4: ARMv7-M M4 MPU<8,32>'),
      ...cortexM('M4'),
    },
  },
  esp32c3: {
    id: 'esp32c3',
    label: 'ESP32-C3 (RISC-V)',
    core: 'RV32IMC',
    values: {
      clockHz: v(160e6, `${T5}: clock ESP32-C3`),
      mpuArch: v('pmp_esp32c3', 'tock-model §4: RISC-V PMP esp32-c3 SimplePMP<16>'),
      ...riscv(),
    },
  },
  qemu_rv32_virt: {
    id: 'qemu_rv32_virt',
    label: 'QEMU rv32 virt (RISC-V)',
    core: 'RV32IMAC',
    values: {
      clockHz: e(100e6, `${T5}: clock QEMU virt, nominal (QEMU is not cycle accurate)`),
      mpuArch: v('pmp_qemu_virt', 'tock-model §4: RISC-V PMP qemu_rv32_virt (5 user regions)'),
      ...riscv(),
    },
  },
};
