import { describe, expect, it } from 'vitest';
import { CATEGORIES, KINDS } from '../../../src-shared/catalog';
import { filterPalette } from '../../../src-renderer/editor/palette';

describe('palette filtering', () => {
  it('lists every catalog kind, grouped in category order, with an empty query', () => {
    const groups = filterPalette('');
    expect(groups.map((g) => g.label)).toEqual(CATEGORIES.map((c) => c.label));
    expect(groups.flatMap((g) => g.kinds.map((k) => k.kind)).sort()).toEqual(KINDS.map((k) => k.kind).sort());
  });

  it('matches labels case-insensitively and drops empty groups', () => {
    const groups = filterPalette('fifo');
    const kinds = groups.flatMap((g) => g.kinds.map((k) => k.kind));
    expect(kinds).toContain('numericFifo');
    expect(kinds).toContain('packetFifo');
    expect(kinds).not.toContain('process');
    expect(groups.map((g) => g.category)).not.toContain('kernel');
    expect(filterPalette('Ring Buffer').flatMap((g) => g.kinds.map((k) => k.kind))).toEqual(['ringBuffer']);
  });

  it('every word must match (label, id, icon, category or description)', () => {
    expect(filterPalette('virtio net').flatMap((g) => g.kinds.map((k) => k.kind))).toEqual(['virtioNet']);
    expect(filterPalette('relay message').flatMap((g) => g.kinds.map((k) => k.kind))).toEqual(['relayMessage']);
    expect(filterPalette('faults').flatMap((g) => g.kinds.map((k) => k.kind))).toEqual(['processCrash', 'kernelFailure', 'linkDown']);
    expect(filterPalette('kernel').some((g) => g.category === 'kernel')).toBe(true);
  });

  it('returns nothing for a query nothing matches', () => {
    expect(filterPalette('zzz-no-such-thing')).toEqual([]);
  });
});
