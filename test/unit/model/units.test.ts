import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, parseBytes, parseDuration, parseHz } from '../../../src-shared/util/units';

describe('units', () => {
  it('parses durations with the units of product.md', () => {
    expect(parseDuration('250ns')).toEqual({ ok: true, value: 250 });
    expect(parseDuration('40us')).toEqual({ ok: true, value: 40_000 });
    expect(parseDuration('40µs')).toEqual({ ok: true, value: 40_000 });
    expect(parseDuration('5ms')).toEqual({ ok: true, value: 5_000_000 });
    expect(parseDuration('10s')).toEqual({ ok: true, value: 10_000_000_000 });
    expect(parseDuration('1.5 ms')).toEqual({ ok: true, value: 1_500_000 });
    expect(parseDuration('1200')).toEqual({ ok: true, value: 1200 });
    expect(parseDuration('3', 'ms')).toEqual({ ok: true, value: 3_000_000 });
  });
  it('refuses what is not a duration, saying why', () => {
    for (const bad of ['', 'abc', '5 parsecs', '-3ms', '1e400s']) {
      const r = parseDuration(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    }
  });
  it('parses sizes and frequencies', () => {
    expect(parseBytes('4KiB')).toEqual({ ok: true, value: 4096 });
    expect(parseBytes('64 B')).toEqual({ ok: true, value: 64 });
    expect(parseHz('125MHz')).toEqual({ ok: true, value: 125e6 });
    expect(parseHz('31.25 MHz')).toEqual({ ok: true, value: 31.25e6 });
  });
  it('sizes: binary prefixes up to GiB, decimal ones (any case) up to GB, whole bytes where a decimal means them', () => {
    expect(parseBytes('2GiB')).toEqual({ ok: true, value: 2 * 1_073_741_824 });
    expect(parseBytes('0.5 gib')).toEqual({ ok: true, value: 536_870_912 });
    expect(parseBytes('3MiB')).toEqual({ ok: true, value: 3 * 1_048_576 });
    expect(parseBytes('2GB')).toEqual({ ok: true, value: 2_000_000_000 });
    expect(parseBytes('2.01 GB')).toEqual({ ok: true, value: 2_010_000_000 });
    expect(parseBytes('1.001kB')).toEqual({ ok: true, value: 1001 });
    expect(parseBytes('4KB')).toEqual({ ok: true, value: 4000 });
    expect(parseBytes('4kB')).toEqual({ ok: true, value: 4000 });
    expect(parseBytes('4kb')).toEqual({ ok: true, value: 4000 });
    expect(parseBytes('1.5B')).toEqual({ ok: true, value: 1.5 }); // a fraction that means one stays (whole-number checks refuse it)
    expect(parseBytes('4 TiB')).toEqual({ ok: false, error: '"TiB" is not a unit of a size; e.g. 64B, 4KiB' });
    expect(parseBytes('1e300GiB')).toEqual({ ok: false, error: '"1e300GiB" is too large' });
  });
  it('formats for people', () => {
    expect(formatDuration(812)).toBe('812 ns');
    expect(formatDuration(40_500)).toBe('40.5 µs');
    expect(formatDuration(5_000_000)).toBe('5 ms');
    expect(formatBytes(4096)).toBe('4 KiB');
    expect(formatBytes(1_572_864)).toBe('1.5 MiB');
    expect(formatBytes(1_073_741_824)).toBe('1 GiB');
    expect(formatBytes(3 * 1_073_741_824)).toBe('3 GiB');
    expect(formatBytes(1.5 * 1_073_741_824)).toBe('1.5 GiB');
  });
});
