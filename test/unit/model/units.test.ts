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
  it('formats for people', () => {
    expect(formatDuration(812)).toBe('812 ns');
    expect(formatDuration(40_500)).toBe('40.5 µs');
    expect(formatDuration(5_000_000)).toBe('5 ms');
    expect(formatBytes(4096)).toBe('4 KiB');
  });
});
