// The charts: each takes arrays and sizes and draws SVG; none of them calls the API (architecture-and-style.md).
export { Axis, logTicks, integerTicks } from './Axis';
export { BarChart, barLayout, barChartHeight, type BarItem } from './BarChart';
export { CdfChart, cdfLayout, cdfAt, type CdfSeries } from './CdfChart';
export { HistogramChart, histogramLayout } from './HistogramChart';
export { PercentileTable } from './PercentileTable';
export { StackedBarChart, stackLayout, stackedBarHeight, type StackItem, type StackKey } from './StackedBarChart';
export { StepChart } from './StepChart';
export { TimeChart, timeLayout, formatValue, type TimeSeries, type ValueKind, type RefLine } from './TimeChart';
export { TimelineChart, timelineLayout, timelineSpans, type TimelineKernel } from './TimelineChart';
export { ChartTooltip, Legend } from './Tooltip';
export * from './common';
