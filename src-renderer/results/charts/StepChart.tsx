/** MPU regions in use over time for one process: a step line of the per-bucket peak against the capacity line. */
import { TimeChart, type TimeSeries } from './TimeChart';
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
}

export function StepChart({ series, capacity, xDomain, width, height, note, onBrush }: StepChartProps) {
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
      title={`MPU regions of ${series.label}`}
    />
  );
}
