import { describe, expect, it } from 'vitest';
import { getKind, getParamDef, type ParamDef } from '../../../src-shared/catalog';
import { displayValue, formatParamValue, formatRange, parseParamInput } from '../../../src-shared/catalog/paramField';

function def(kind: string, key: string): ParamDef {
  const d = getParamDef(getKind(kind)!, key);
  if (!d) throw new Error(`${kind}.${key}`);
  return d;
}

describe('inspector fields: parsing what people type', () => {
  const period = def('process', 'periodNs');
  it.each([
    ['40us', 40_000],
    ['40µs', 40_000],
    ['40 µs', 40_000],
    ['5ms', 5_000_000],
    ['1.5 ms', 1_500_000],
    ['10s', 10_000_000_000],
    ['250000ns', 250_000],
  ])('duration %s → %d ns', (text, ns) => {
    expect(parseParamInput(period, text)).toEqual({ ok: true, value: ns });
  });

  it('asks for the unit of a bare number in a field shown with one (100 over “50 µs” is not 100 ns); 0 needs none', () => {
    expect(parseParamInput(period, '1000')).toEqual({ ok: false, error: 'Period / think time: “1000” needs a unit (e.g. 250ns, 40us, 5ms, 10s)' });
    expect(parseParamInput(period, '1.5')).toEqual({ ok: false, error: 'Period / think time: “1.5” needs a unit (e.g. 250ns, 40us, 5ms, 10s)' });
    expect(parseParamInput(def('process', 'jitterNs'), '0')).toEqual({ ok: true, value: 0 });
    expect(parseParamInput(def('kernel', 'clockHz'), '168')).toEqual({ ok: false, error: expect.stringMatching(/“168” needs a unit \(e\.g\. 125MHz/) });
    expect(parseParamInput(def('canSource', 'bitrateBps'), '500000')).toEqual({ ok: false, error: expect.stringMatching(/“500000” needs a unit/) });
    // Sizes read a bare number as bytes, their base unit.
    expect(parseParamInput(def('process', 'payloadBytes'), '64')).toEqual({ ok: true, value: 64 });
  });

  it('refuses a unit that is not a time, with the reason', () => {
    const r = parseParamInput(period, '5 parsecs');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/not a time unit/);
  });

  it('refuses values out of range, naming the range in the unit', () => {
    const r = parseParamInput(period, '500ns');
    expect(r).toEqual({ ok: false, error: '500 ns is outside the allowed range 1 µs – 3600 s' });
  });

  it('refuses empty input', () => {
    expect(parseParamInput(period, '  ').ok).toBe(false);
  });

  it('sizes: 4KiB, 1518B, plain bytes; whole numbers only', () => {
    const slice = def('relayMessage', 'sliceBytes');
    expect(parseParamInput(slice, '4KiB')).toEqual({ ok: true, value: 4096 });
    expect(parseParamInput(slice, '1518B')).toEqual({ ok: true, value: 1518 });
    expect(parseParamInput(slice, '2048')).toEqual({ ok: true, value: 2048 });
    const half = parseParamInput(slice, '1.5B');
    expect(half.ok).toBe(false);
    if (!half.ok) expect(half.error).toMatch(/whole number/);
    const big = parseParamInput(slice, '2MiB');
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error).toMatch(/16 B – 1 MiB/);
  });

  it('sizes in GiB and GB: parsed, and refused out of range in the unit typed', () => {
    const capacity = def('packetFifo', 'capacityBytes');
    expect(parseParamInput(capacity, '0.015625 GiB')).toEqual({ ok: true, value: 16_777_216 });
    expect(parseParamInput(capacity, '0.016GB')).toEqual({ ok: true, value: 16_000_000 });
    expect(parseParamInput(capacity, '1.001 kB')).toEqual({ ok: true, value: 1001 });
    expect(parseParamInput(capacity, '2GiB')).toEqual({ ok: false, error: '2 GiB is outside the allowed range 0 B – 16 MiB' });
    expect(parseParamInput(capacity, '1 GB')).toEqual({ ok: false, error: '1000000000 B is outside the allowed range 0 B – 16 MiB' });
  });

  it('frequencies and bit rates', () => {
    expect(parseParamInput(def('kernel', 'clockHz'), '125MHz')).toEqual({ ok: true, value: 125_000_000 });
    expect(parseParamInput(def('cyw43439', 'gspiClockHz'), '31.25 MHz')).toEqual({ ok: true, value: 31_250_000 });
    expect(parseParamInput(def('canSource', 'bitrateBps'), '500kbit/s')).toEqual({ ok: true, value: 500_000 });
    expect(parseParamInput(def('kernel', 'clockHz'), '5 furlongs').ok).toBe(false);
  });

  it('unit-less numbers accept the unit typed after them and thousands separators', () => {
    const cycles = def('kernel', 'syscallCycles');
    expect(parseParamInput(cycles, '550')).toEqual({ ok: true, value: 550 });
    expect(parseParamInput(cycles, '550 cycles')).toEqual({ ok: true, value: 550 });
    expect(parseParamInput(cycles, '1,500')).toEqual({ ok: true, value: 1500 });
    expect(parseParamInput(cycles, 'lots').ok).toBe(false);
    expect(parseParamInput(def('kernel', 'kernelCopyBytesPerCycle'), '0.25')).toEqual({ ok: true, value: 0.25 });
  });

  it('enums, booleans, node references, text', () => {
    expect(parseParamInput(def('process', 'workload'), 'poisson')).toEqual({ ok: true, value: 'poisson' });
    expect(parseParamInput(def('process', 'workload'), 'sometimes').ok).toBe(false);
    expect(parseParamInput(def('sharedMemory', 'keepActive'), 'false')).toEqual({ ok: true, value: false });
    expect(parseParamInput(def('processCrash', 'targetId'), '').ok).toBe(false);
    expect(parseParamInput(def('service', 'allowlist'), 'a'.repeat(1001)).ok).toBe(false);
  });
});

describe('inspector fields: display', () => {
  it('formats so that parsing gives the value back exactly', () => {
    const period = def('process', 'startNs');
    for (const ns of [0, 1000, 40_000, 1_234_567, 10_000_000, 3_600_000_000_000]) {
      const r = parseParamInput(period, formatParamValue(period, ns));
      expect(r).toEqual({ ok: true, value: ns });
    }
    const bytesDef = def('packetFifo', 'maxPacketBytes');
    expect(formatParamValue(bytesDef, 1518)).toBe('1518 B');
    expect(formatParamValue(bytesDef, 4096)).toBe('4 KiB');
    expect(formatParamValue(def('kernel', 'clockHz'), 125_000_000)).toBe('125 MHz');
    expect(formatParamValue(def('canSource', 'bitrateBps'), 500_000)).toBe('500 kbit/s');
  });

  it('shows ranges and defaults in the unit', () => {
    expect(formatRange(def('kernel', 'timesliceNs'))).toBe('500 µs – 1 s');
    expect(formatRange(def('kernel', 'syscallCycles'))).toBe('1 – 100,000 cycles (whole)');
    expect(formatRange(def('process', 'workload'))).toBeUndefined();
    expect(displayValue(def('process', 'workload'), 'periodic')).toBe('Periodic with jitter');
  });
});

describe('values shown with their unit', () => {
  it('counts one of a counted unit in the singular', () => {
    const words = def('notification', 'payloadWords');
    expect([displayValue(words, 1), displayValue(words, 3)]).toEqual(['1 word', '3 words']);
    const entries = def('virtioNet', 'rxQueueSize');
    expect([displayValue(entries, 1), displayValue(entries, 2)]).toEqual(['1 entry', '2 entries']);
  });

  it('names the CAN source’s only port by what leaves it (frames), not “receive”', () => {
    expect(getKind('canSource')!.ports.map((p) => [p.direction, p.label])).toEqual([['out', 'frames']]);
  });
});
