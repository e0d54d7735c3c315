import { describe, expect, it } from 'vitest';
import { getKind, getParamDef, type NumberParam } from '../../../src-shared/catalog';
import { designAtPoint, MAX_SWEEP_POINTS, parseSweepList, pointLabel, sameKindNodes, sweepableParams, sweepRange, SWEEP_METRICS } from '../../../src-shared/model/sweep';
import type { RunSummary } from '../../../src-shared/results/summary';
import { DesignBuilder } from '../../fixtures/builder';

const payload = getParamDef(getKind('process')!, 'payloadBytes') as NumberParam;
const period = getParamDef(getKind('process')!, 'periodNs') as NumberParam;

describe('sweep values', () => {
  it('reads a typed list in the parameter’s unit, a unit at the end applying to bare numbers', () => {
    expect(parseSweepList(payload, '8, 64, 256, 1500 B')).toEqual({ ok: true, values: [8, 64, 256, 1500] });
    expect(parseSweepList(payload, '1 KiB; 2 KiB; 64')).toEqual({ ok: true, values: [1024, 2048, 64] });
    expect(parseSweepList(payload, '8 16 32')).toEqual({ ok: true, values: [8, 16, 32] });
    expect(parseSweepList(payload, '1,500, 3,000')).toEqual({ ok: true, values: [1500, 3000] });
    expect(parseSweepList(period, '1, 2, 5 ms')).toEqual({ ok: true, values: [1_000_000, 2_000_000, 5_000_000] });
    expect(parseSweepList(payload, '64, 64, 128')).toEqual({ ok: true, values: [64, 128], note: '1 repeated value left out' });
  });

  it('refuses what the inspector would refuse, naming the item', () => {
    const bad = parseSweepList(payload, '8 B, 64 B, 1 MiB');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^“1 MiB”: .*outside the allowed range/);
    const frac = parseSweepList(payload, '8, 2.5');
    expect(frac.ok || frac.error).toMatch(/“2.5”: .*whole number/);
    expect(parseSweepList(payload, '')).toEqual({ ok: false, error: 'type the values of Payload, separated by commas', field: 'list' });
    expect(parseSweepList(payload, '64')).toEqual({ ok: false, error: 'a sweep needs at least two different values', field: 'list' });
    const many = Array.from({ length: MAX_SWEEP_POINTS + 1 }, (_, i) => i + 1).join(', ');
    expect(parseSweepList(payload, many)).toEqual({ ok: false, error: `${MAX_SWEEP_POINTS + 1} values; a sweep has at most ${MAX_SWEEP_POINTS} (each is a recorded run)`, field: 'list' });
  });

  it('spaces a range evenly or by ratio, rounds whole-number parameters, and keeps the typed ends exact', () => {
    expect(sweepRange(payload, '0 B', '1 KiB', 5, false)).toEqual({ ok: false, error: expect.stringMatching(/^from: /) as unknown as string, field: 'from' });
    expect(sweepRange(payload, '64 B', '1 KiB', 5, false)).toEqual({ ok: true, values: [64, 304, 544, 784, 1024] });
    expect(sweepRange(payload, '8', '1500', 4, true)).toEqual({ ok: true, values: [8, 46, 262, 1500] });
    expect(sweepRange(payload, '1', '3', 5, false)).toEqual({ ok: true, values: [1, 2, 3] }); // rounding merges points
    expect(sweepRange(payload, '64', '64', 3, false)).toEqual({ ok: false, error: 'from and to are the same value', field: 'to' });
    expect(sweepRange(payload, '64', '128', 1, false)).toEqual({ ok: false, error: `steps: a whole number from 2 to ${MAX_SWEEP_POINTS}`, field: 'steps' });
    expect(sweepRange(period, '1 ms', '10 ms', 3, true)).toEqual({ ok: true, values: [1_000_000, 3_160_000, 10_000_000] }); // 3 significant digits
  });
});

describe('sweep targets and points', () => {
  const d = new DesignBuilder('sweep')
    .kernel('k')
    .node('p1', 'process', 'k')
    .node('p2', 'process', 'k')
    .node('m', 'twoCopyChannel', 'k')
    .node('c', 'process', 'k')
    .edge('p1', 'm')
    .edge('p2', 'm')
    .edge('m', 'c')
    .build();

  it('offers the numeric parameters and groups senders with senders', () => {
    const p1 = d.nodes.find((n) => n.id === 'p1')!;
    expect(sweepableParams(p1).map((p) => p.key)).toContain('payloadBytes');
    expect(sweepableParams(p1).every((p) => p.type === 'number' || p.type === 'integer')).toBe(true);
    expect(sameKindNodes(d, p1).map((n) => n.id)).toEqual(['p1', 'p2']);
    expect(sameKindNodes(d, d.nodes.find((n) => n.id === 'c')!).map((n) => n.id)).toEqual(['c']);
  });

  it('makes each point’s design without touching the original', () => {
    const at = designAtPoint(d, { param: 'payloadBytes', nodeIds: ['p1', 'p2'] }, 512);
    expect(at.nodes.filter((n) => n.params.payloadBytes === 512).map((n) => n.id)).toEqual(['p1', 'p2']);
    expect(d.nodes.some((n) => 'payloadBytes' in n.params)).toBe(false);
    expect(at.nodes.find((n) => n.id === 'c')).toBe(d.nodes.find((n) => n.id === 'c'));
    expect(pointLabel(payload, 1536, 2)).toBe('sweep Payload (2 nodes) = 1536 B');
  });

  it('reads metrics from a summary, null where a flow delivered nothing', () => {
    const s = {
      flows: [
        { id: 'a', delivered: 3, dropped: 1, overwritten: 0, timedOut: 0, failed: 2, copiesPerMessage: 2, bytesCopied: 100, latencyNs: { mean: 5, p50: 4, p90: 6, p99: 7, max: 8 } },
        { id: 'b', delivered: 0, dropped: 0, overwritten: 0, timedOut: 0, failed: 0, copiesPerMessage: 0, bytesCopied: 0, latencyNs: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 } },
      ],
      kernels: [{ id: 'k', cpuUtilization: 0.25, upcallsDropped: 4 }],
    } as unknown as RunSummary;
    const m = (id: string) => SWEEP_METRICS.find((x) => x.id === id)!;
    expect(m('p99').read(s, 'a')).toBe(7);
    expect(m('p99').read(s, 'b')).toBeNull();
    expect(m('lost').read(s, 'a')).toBe(3);
    expect(m('copies').read(s, 'b')).toBeNull();
    expect(m('cpu').read(s, 'k')).toBe(0.25);
    expect(m('dropped-upcalls').read(s, 'k')).toBe(4);
    expect(m('p50').read(s, 'missing')).toBeNull();
  });
});
