import { describe, expect, it } from 'vitest';
import { CATEGORIES, CHIPS, KINDS, KIND_MAP, MPU_ARCHS, effectiveParams, fitShare, freeRegionsForIpc, getParamDef } from '../../../src-shared/catalog';
import { checkParamValue } from '../../../src-shared/model';

describe('catalog', () => {
  it('has every kind product.md lists, each in a palette category', () => {
    const expected = [
      'kernel', 'process', 'service',
      'legacyIpc', 'notification', 'relayRequest', 'relayMessage', 'twoCopyChannel', 'sharedMemory', 'interKernelChannel', 'registry',
      'latestValue', 'eventCounter', 'numericFifo', 'packetFifo', 'ringBuffer',
      'cyw43439', 'stm32Ethernet', 'virtioNet', 'virtioGpu', 'virtioInput', 'virtioRng', 'canSource',
      'processCrash', 'kernelFailure', 'linkDown',
    ];
    expect(KINDS.map((k) => k.kind).sort()).toEqual([...expected].sort());
    expect(KIND_MAP.size).toBe(KINDS.length);
    for (const c of CATEGORIES) expect(KINDS.some((k) => k.category === c.id)).toBe(true);
  });

  it('gives every parameter a valid default, a range holding it, and a source tag', () => {
    for (const kind of KINDS) {
      const keys = new Set<string>();
      for (const p of kind.params) {
        expect(keys.has(p.key), `${kind.kind}.${p.key} twice`).toBe(false);
        keys.add(p.key);
        expect(['V', 'M', 'E']).toContain(p.source.tag);
        expect(p.source.ref.length, `${kind.kind}.${p.key} source`).toBeGreaterThan(5);
        if (p.type === 'nodeRef') {
          expect(p.required).toBe(true);
          continue;
        }
        const r = checkParamValue(p, p.default);
        expect(r.ok, `${kind.kind}.${p.key} default ${String(p.default)}: ${r.ok ? '' : r.error}`).toBe(true);
        if (p.visibleWhen) expect(getParamDef(kind, p.visibleWhen.key), `${kind.kind}.${p.key} visibleWhen`).toBeDefined();
      }
    }
  });

  it('declares ports with a direction and a type (out) or accepted types (in)', () => {
    for (const kind of KINDS) {
      for (const port of kind.ports) {
        if (port.direction === 'out') expect(port.type, `${kind.kind}.${port.id}`).toBeDefined();
        else expect(port.accepts?.length, `${kind.kind}.${port.id}`).toBeGreaterThan(0);
      }
    }
  });

  it('chip presets only set kernel parameters, with values in range and their own source', () => {
    const kernel = KIND_MAP.get('kernel')!;
    for (const chip of Object.values(CHIPS)) {
      for (const [key, pv] of Object.entries(chip.values)) {
        const def = getParamDef(kernel, key);
        expect(def, `${chip.id}.${key}`).toBeDefined();
        expect(checkParamValue(def!, pv.value).ok, `${chip.id}.${key}=${String(pv.value)}`).toBe(true);
        expect(['V', 'M', 'E']).toContain(pv.source.tag);
      }
    }
  });

  it('resolves kernel defaults from the chip preset (tock-model §5)', () => {
    const kernel = KIND_MAP.get('kernel')!;
    const rp = effectiveParams(kernel, { chip: 'rp2040' });
    expect(rp.clockHz).toBe(125e6);
    expect(rp.mpuArch).toBe('armv6m');
    expect(rp.syscallCycles).toBe(550);
    expect(rp.kernelCopyBytesPerCycle).toBe(0.25);
    const stm = effectiveParams(kernel, {});
    expect(stm.clockHz).toBe(50e6);
    expect(stm.syscallCycles).toBe(400);
    // an explicit value wins over the preset
    expect(effectiveParams(kernel, { chip: 'rp2040', clockHz: 133e6 }).clockHz).toBe(133e6);
  });

  it('encodes the MPU table of tock-model §4', () => {
    expect(freeRegionsForIpc(MPU_ARCHS.armv7m!)).toBe(5);
    expect(freeRegionsForIpc(MPU_ARCHS.armv6m!)).toBe(5);
    expect(freeRegionsForIpc(MPU_ARCHS.armv7m_m7!)).toBe(6); // 13 free, capped at 6 by the kernel
    expect(freeRegionsForIpc(MPU_ARCHS.armv8m!)).toBe(6);
    expect(freeRegionsForIpc(MPU_ARCHS.pmp_qemu_virt!)).toBe(3);
    expect(freeRegionsForIpc(MPU_ARCHS.pmp_esp32c3!)).toBe(6);
    expect(freeRegionsForIpc(MPU_ARCHS.pmp_e310x!)).toBe(2);
  });

  it('computes alignment waste by the MPU rule', () => {
    expect(fitShare(MPU_ARCHS.armv7m!, 100, 'aligned')).toMatchObject({ ok: true, regionBytes: 128, wasteBytes: 28 });
    expect(fitShare(MPU_ARCHS.armv7m!, 16, 'aligned')).toMatchObject({ ok: true, regionBytes: 32, wasteBytes: 16 });
    expect(fitShare(MPU_ARCHS.armv6m!, 100, 'aligned')).toMatchObject({ ok: true, regionBytes: 256, wasteBytes: 156 });
    expect(fitShare(MPU_ARCHS.armv7m!, 256, 'aligned')).toMatchObject({ ok: true, regionBytes: 256, wasteBytes: 0 });
    expect(fitShare(MPU_ARCHS.armv8m!, 100, 'aligned')).toMatchObject({ ok: true, regionBytes: 128, wasteBytes: 28 });
    expect(fitShare(MPU_ARCHS.pmp_qemu_virt!, 100, 'aligned')).toMatchObject({ ok: true, regionBytes: 100, wasteBytes: 0 });
    expect(fitShare(MPU_ARCHS.armv7m!, 256, 'unaligned').ok).toBe(false);
    expect(fitShare(MPU_ARCHS.armv8m!, 256, 'unaligned').ok).toBe(false);
    expect(fitShare(MPU_ARCHS.pmp_esp32c3!, 102, 'unaligned')).toMatchObject({ ok: true, regionBytes: 104, wasteBytes: 2 });
  });
});
