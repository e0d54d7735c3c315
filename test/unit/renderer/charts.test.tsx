import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { barLayout } from '../../../src-renderer/results/charts/BarChart';
import { integerTicks, logTicks } from '../../../src-renderer/results/charts/Axis';
import { CdfChart, cdfAt, cdfLayout, type CdfSeries } from '../../../src-renderer/results/charts/CdfChart';
import { timeUnitFor } from '../../../src-renderer/results/charts/common';
import { HistogramChart, histogramLayout } from '../../../src-renderer/results/charts/HistogramChart';
import { stackLayout } from '../../../src-renderer/results/charts/StackedBarChart';
import { StepChart } from '../../../src-renderer/results/charts/StepChart';
import { TimeChart, timeLayout } from '../../../src-renderer/results/charts/TimeChart';
import { TimelineChart, timelineSpans } from '../../../src-renderer/results/charts/TimelineChart';
import type { TraceEvent } from '../../../src-shared/results/runStore';

afterEach(cleanup);

const series = (over: Partial<CdfSeries> = {}): CdfSeries => ({
  id: 'a',
  label: 'flow a',
  colour: 'red',
  latencyNs: [10_000, 20_000, 40_000, 80_000],
  fraction: [0.1, 0.5, 0.9, 1],
  samples: 1_000_000,
  ...over,
});

describe('CDF', () => {
  it('runs from (min, 0) to (max latency, 1): the last point is at x = max, y = top', () => {
    const L = cdfLayout([series()], { width: 600, height: 300 });
    const line = L.lines[0]!;
    expect(line.points[0]).toEqual([10_000, 0]);
    expect(line.points[line.points.length - 1]).toEqual([80_000, 1]);
    expect(line.end.x).toBeCloseTo(L.x(80_000));
    expect(line.end.y).toBeCloseTo(0); // y(1) is the top of the plot
    expect(L.y(0)).toBeCloseTo(L.ih);
    // The data start near 0, so the linear axis starts at 0 and ends just past the max.
    expect(L.x.domain()[0]).toBe(0);
    expect(L.x.domain()[1]).toBeGreaterThanOrEqual(80_000);
    expect(L.unit.suffix).toBe('µs');
  });

  it('is a step function: the value at a latency is the share of samples at or below it', () => {
    const s = series();
    expect(cdfAt(s, 5_000)).toBe(0);
    expect(cdfAt(s, 10_000)).toBe(0.1);
    expect(cdfAt(s, 39_999)).toBe(0.5);
    expect(cdfAt(s, 80_000)).toBe(1);
    expect(cdfAt(s, 1e9)).toBe(1);
  });

  it('log axis: positive domain with 1-2-5 ticks; a zoomed domain is honoured', () => {
    const L = cdfLayout([series()], { width: 600, height: 300, logX: true });
    expect(L.x.domain()[0]).toBeGreaterThan(0);
    expect(logTicks([10, 1000])).toEqual([10, 20, 50, 100, 200, 500, 1000]);
    const Z = cdfLayout([series()], { width: 600, height: 300, xDomain: [20_000, 40_000] });
    expect(Z.x(20_000)).toBeCloseTo(0);
    expect(Z.x(40_000)).toBeCloseTo(Z.iw);
  });

  it('draws one path and an end marker per series, with text ticks and the unit on the axis', () => {
    const { container } = render(<CdfChart series={[series(), series({ id: 'b', colour: 'blue', latencyNs: [5_000, 100_000], fraction: [0.5, 1] })]} width={600} height={300} />);
    expect(container.querySelectorAll('path.cdf-line')).toHaveLength(2);
    const end = container.querySelector('circle.cdf-end[data-series="a"]')!;
    expect(Number(end.getAttribute('data-max-ns'))).toBe(80_000);
    expect(Number(end.getAttribute('data-fraction'))).toBe(1);
    expect(Number(end.getAttribute('cy'))).toBeCloseTo(0);
    const labels = [...container.querySelectorAll('.axis-label')].map((t) => t.textContent);
    expect(labels).toContain('latency (µs)');
    expect(labels.some((l) => l?.includes('%'))).toBe(true);
    expect([...container.querySelectorAll('.axis-bottom .tick text')].map((t) => t.textContent)).toEqual(['0', '20', '40', '60', '80', '100']);
  });

  it('hidden series are not drawn', () => {
    const { container } = render(<CdfChart series={[series(), series({ id: 'b' })]} hidden={new Set(['a'])} width={600} height={300} />);
    expect([...container.querySelectorAll('path.cdf-line')].map((p) => p.getAttribute('data-series'))).toEqual(['b']);
  });
});

describe('histogram', () => {
  const edges = [0, 10_000, 20_000, 30_000, 40_000];
  const counts = [100, 50, 25, 0];

  it('bar heights are proportional to counts and bars tile the bins', () => {
    const L = histogramLayout(edges, counts, { width: 500, height: 260 });
    const [a, b, c, d] = L.bars;
    expect(a!.height / b!.height).toBeCloseTo(2);
    expect(b!.height / c!.height).toBeCloseTo(2);
    expect(d!.height).toBe(0);
    expect(a!.y + a!.height).toBeCloseTo(L.ih);
    expect(L.total).toBe(175);
    expect(L.x(edges[1]!)).toBeCloseTo(L.iw / 4);
  });

  it('renders a rect per non-empty bin with its count', () => {
    const { container } = render(<HistogramChart edgesNs={edges} counts={counts} width={500} height={260} markers={[{ label: 'p50', valueNs: 12_000 }, { label: 'p99', valueNs: 35_000 }]} />);
    const rects = [...container.querySelectorAll('rect.bar')];
    expect(rects.map((r) => Number(r.getAttribute('data-count')))).toEqual([100, 50, 25]);
    const h = rects.map((r) => Number(r.getAttribute('height')));
    expect(h[0]! / h[2]!).toBeCloseTo(4);
    expect([...container.querySelectorAll('.marker text')].map((t) => t.textContent)).toEqual(['p50', 'p99']);
  });

  it('every sample at one latency: the bar sits at that latency with room around it', () => {
    const L = histogramLayout([386_000, 386_001, 386_002], [100, 0], { width: 500, height: 260 });
    const [lo, hi] = L.x.domain() as [number, number];
    expect(lo).toBeLessThan(386_000);
    expect(hi).toBeGreaterThan(386_002);
    expect(L.bars[0]!.width).toBeGreaterThanOrEqual(3);
  });
});

describe('time charts', () => {
  const s = { id: 's', label: 'queue', colour: 'blue', t: [0, 100, 200, 300], bucketNs: 100, min: [0, 1, null, 2], max: [2, 4, null, 2], mean: [1, 2, null, 2] };

  it('x spans the range and y the values; a bucket between gaps is drawn as a dot', () => {
    const L = timeLayout([s], { width: 500, height: 200, xDomain: [0, 400], valueKind: 'count' });
    expect(L.x(0)).toBe(0);
    expect(L.x(400)).toBeCloseTo(L.iw);
    expect(L.y.domain()[0]).toBe(0);
    expect(L.y.domain()[1]).toBeGreaterThanOrEqual(4);
    expect(L.paths[0]!.band).toMatch(/^M/);
    expect(L.paths[0]!.dots).toHaveLength(1);
    expect(L.paths[0]!.dots[0]!.x).toBeCloseTo(L.x(350));
  });

  it('durations get one unit on the axis', () => {
    const L = timeLayout([{ ...s, min: [40_000], max: [90_000], mean: [50_000], t: [0], bucketNs: 400 }], { width: 500, height: 200, xDomain: [0, 400], valueKind: 'duration' });
    expect(L.yUnit?.suffix).toBe('µs');
    expect(timeUnitFor(2_500_000).suffix).toBe('ms');
  });

  it('the MPU step chart draws the capacity line at the capacity value and a step of the peaks', () => {
    const mpu = { id: 'p', label: 'producer', colour: 'blue', t: [0, 250, 500, 750], bucketNs: 250, min: [2, 2, 3, 3], max: [2, 3, 3, 3], mean: [2, 2.5, 3, 3] };
    const { container } = render(<StepChart series={mpu} capacity={8} xDomain={[0, 1000]} width={400} height={180} note="alignment waste 512 B" />);
    const ref = container.querySelector('.ref-line[data-value="8"]')!;
    expect(ref.textContent).toBe('capacity 8');
    const L = timeLayout([{ ...mpu, step: 'peak' }], { width: 400, height: 180, xDomain: [0, 1000], valueKind: 'count', yDomain: [0, 9], refLines: [{ value: 8, label: 'capacity 8' }] });
    expect(Number(ref.querySelector('line')!.getAttribute('y1'))).toBeCloseTo(L.y(8));
    expect(L.refs[0]!.y).toBeCloseTo(L.ih * (1 - 8 / 9));
    const step = container.querySelector('path.step-line')!.getAttribute('d')!;
    expect(step).toMatch(/^M0,/);
    // Step-after: the peak 3 starts at t = 250 (x = iw/4) and holds to the end.
    expect(step).toContain(`${+L.x(250).toFixed(3)},${+L.y(3).toFixed(3)}`);
    expect(container.querySelector('.chart-note')!.textContent).toBe('alignment waste 512 B');
    expect([...container.querySelectorAll('.axis-left .tick text')].map((t) => t.textContent)).toEqual(['0', '2', '4', '6', '8']);
  });

  it('fraction charts read in %', () => {
    const { container } = render(<TimeChart series={[{ ...s, min: [0.1], max: [0.5], mean: [0.25], t: [0], bucketNs: 400 }]} xDomain={[0, 400]} valueKind="fraction" yLabel="CPU busy" yDomain={[0, 1]} width={400} height={200} />);
    expect([...container.querySelectorAll('.axis-label')].map((t) => t.textContent)).toContain('CPU busy (%)');
    expect([...container.querySelectorAll('.axis-left .tick text')].map((t) => t.textContent)).toContain('100');
  });
});

describe('bars', () => {
  it('bar widths are proportional to values from 0', () => {
    const L = barLayout(
      [
        { id: 'a', label: 'a', value: 2 },
        { id: 'b', label: 'b', value: 1 },
        { id: 'c', label: 'c', value: 0 },
      ],
      500,
      150,
    );
    expect(L.bars[0]!.width / L.bars[1]!.width).toBeCloseTo(2);
    expect(L.bars[2]!.width).toBe(0);
    expect(L.x(0)).toBe(0);
  });

  it('stacked segments are contiguous per item, in key order, widths ∝ values', () => {
    const keys = [
      { key: 'dropped', label: 'dropped', colour: 'red' },
      { key: 'overwritten', label: 'overwritten', colour: 'orange' },
    ];
    const L = stackLayout(
      [
        { id: 'f1', label: 'f1', values: { dropped: 10, overwritten: 30 } },
        { id: 'f2', label: 'f2', values: { dropped: 0, overwritten: 20 } },
      ],
      keys,
      500,
      120,
    );
    const f1 = L.segments.filter((g) => g.item === 'f1');
    expect(f1.map((g) => g.key)).toEqual(['dropped', 'overwritten']);
    expect(f1[1]!.x).toBeCloseTo(f1[0]!.x + f1[0]!.width);
    expect(f1[1]!.width / f1[0]!.width).toBeCloseTo(3);
    expect(L.segments.filter((g) => g.item === 'f2')).toHaveLength(1);
    expect(L.totals.get('f1')).toBe(40);
  });

  it('integer ticks step evenly', () => {
    expect(integerTicks([0, 9], 6)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe('timeline', () => {
  const ev = (seq: number, timeNs: number, kind: string, processId: string | null, kernelId = 'k0'): TraceEvent => ({ seq, timeNs, kernelId, processId, kind, detail: '' });
  const events = [ev(1, 0, 'run', 'p1'), ev(2, 10, 'contextSwitch', 'p2'), ev(3, 10, 'run', 'p2'), ev(4, 15, 'idle', null), ev(5, 20, 'run', null), ev(6, 30, 'upcallDropped', 'p1'), ev(7, 40, 'kernelFailed', null)];

  it('a run lasts until the kernel’s next run, idle or failure; instants are marks', () => {
    const { spans, marks } = timelineSpans(events, [0, 50]);
    expect(spans.map((s) => [s.lane, s.fromNs, s.toNs, s.kind])).toEqual([
      ['p1', 0, 10, 'run'],
      ['p2', 10, 15, 'run'],
      ['', 20, 40, 'run'],
      ['', 40, 50, 'failed'],
    ]);
    expect(marks.map((m) => m.kind)).toEqual(['contextSwitch', 'upcallDropped', 'kernelFailed']);
  });

  it('cuts spans at the window and merges spans closer than the merge distance', () => {
    expect(timelineSpans(events, [5, 12]).spans.map((s) => [s.lane, s.fromNs, s.toNs])).toEqual([
      ['p1', 5, 10],
      ['p2', 10, 12],
    ]);
    const dense = [ev(1, 0, 'run', 'p1'), ev(2, 1, 'idle', null), ev(3, 2, 'run', 'p1'), ev(4, 3, 'idle', null)];
    const merged = timelineSpans(dense, [0, 10], 1.5).spans;
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ fromNs: 0, toNs: 3, merged: 1 });
  });

  it('renders a lane per process under each kernel', () => {
    const { container } = render(<TimelineChart events={events} kernels={[{ id: 'k0', name: 'core 0', processes: [{ id: 'p1', name: 'producer' }, { id: 'p2', name: 'consumer' }] }]} window={[0, 50]} width={600} bounds={[0, 100]} />);
    expect([...container.querySelectorAll('.tl-label')].map((t) => t.lastChild?.textContent)).toEqual(['kernel work', 'producer', 'consumer']);
    expect(container.querySelector('.tl-kernel')!.textContent).toBe('core 0');
    expect(container.querySelectorAll('rect.tl-span')).toHaveLength(3);
    expect(container.querySelectorAll('.tl-mark')).toHaveLength(2);
    expect(container.querySelector('rect.tl-failed')).not.toBeNull();
  });
});
