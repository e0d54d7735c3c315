/** MPU regions in use over time for one process: a step line of the per-bucket peak against the capacity line. */
import { TimeChart, type TimeMark, type TimeSeries } from './TimeChart';
import type { ChartSize } from './common';

export interface StepChartProps extends ChartSize {
  /** The `mpu:<process>` series (per-bucket min/max/mean). */
  series: TimeSeries;
  /** Regions the process may use (the capacity line). */
  capacity: number;
  xDomain: readonly [number, number];
  /** Shown in the plot: bytes lost to alignment (regions rounded up). */
  note?: string;
  onBrush?: (rangeNs: [number, number]) => void;
  /** The run's faults and warm-up (see `useTimeAnnotations`). */
  marks?: readonly TimeMark[];
  warmupNs?: number;
}

export function StepChart({ series, capacity, xDomain, width, height, note, onBrush, marks, warmupNs }: StepChartProps) {
  const peak = Math.max(capacity, ...series.max.map((v) => v ?? 0));
  return (
    <TimeChart
      series={[{ ...series, step: 'peak' }]}
      xDomain={xDomain}
      valueKind="count"
      yLabel="regions in use"
      yDomain={[0, peak + 1]}
      refLines={[{ value: capacity, label: `capacity ${capacity}`, tone: 'danger' }]}
      width={width}
      height={height}
      {...(note ? { note } : {})}
      {...(onBrush ? { onBrush } : {})}
      {...(marks ? { marks } : {})}
      {...(warmupNs ? { warmupNs } : {})}
      title={`MPU regions of ${series.label}`}
    />
  );
}
