/** Axes drawn by React from a D3 scale: real `<text>` ticks, one label with the unit, optional grid lines. */

/** What an axis needs of a D3 continuous scale. */
export interface AxisScale {
  (v: number): number | undefined;
  ticks(count?: number): number[];
  range(): number[];
}

export interface AxisProps {
  scale: AxisScale;
  orient: 'bottom' | 'left' | 'right';
  /** Approximate tick count (D3 picks round values). */
  ticks?: number;
  /** Explicit tick values (log scales, integer axes). */
  tickValues?: readonly number[];
  format: (v: number) => string;
  /** The axis title, with its unit: `latency (µs)`. */
  label?: string;
  /** Length of grid lines across the plot (0 = none). */
  grid?: number;
  /** Offset of the axis line in the plot's coordinates (e.g. the plot height for a bottom axis). */
  offset?: number;
  /** Distance of the label from the axis line. */
  labelOffset?: number;
}

/** One axis in plot coordinates (the caller translates the plot group by the margin). */
export function Axis({ scale, orient, ticks = 6, tickValues, format, label, grid = 0, offset = 0, labelOffset }: AxisProps) {
  const values = tickValues ?? scale.ticks(ticks);
  const [r0, r1] = scale.range() as [number, number];
  const lo = Math.min(r0, r1);
  const hi = Math.max(r0, r1);
  const horizontal = orient === 'bottom';
  const sign = orient === 'left' ? -1 : 1;
  return (
    <g className={`axis axis-${orient}`} transform={horizontal ? `translate(0,${offset})` : `translate(${offset},0)`}>
      {grid > 0 &&
        values.map((v) => {
          const p = scale(v) ?? 0;
          return horizontal ? <line key={`g${v}`} className="grid" x1={p} x2={p} y1={0} y2={-grid} /> : <line key={`g${v}`} className="grid" x1={0} x2={orient === 'left' ? grid : -grid} y1={p} y2={p} />;
        })}
      {horizontal ? <line className="domain" x1={lo} x2={hi} y1={0} y2={0} /> : <line className="domain" x1={0} x2={0} y1={lo} y2={hi} />}
      {values.map((v) => {
        const p = scale(v) ?? 0;
        const text = format(v);
        return horizontal ? (
          <g key={v} className="tick" transform={`translate(${p},0)`}>
            <line y2={5} />
            {text && (
              <text y={16} textAnchor="middle">
                {text}
              </text>
            )}
          </g>
        ) : (
          <g key={v} className="tick" transform={`translate(0,${p})`}>
            <line x2={5 * sign} />
            {text && (
              <text x={8 * sign} dy="0.32em" textAnchor={orient === 'left' ? 'end' : 'start'}>
                {text}
              </text>
            )}
          </g>
        );
      })}
      {label &&
        (horizontal ? (
          <text className="axis-label" x={(lo + hi) / 2} y={labelOffset ?? 34} textAnchor="middle">
            {label}
          </text>
        ) : (
          <text className="axis-label" transform={`translate(${sign * (labelOffset ?? 44)},${(lo + hi) / 2}) rotate(-90)`} textAnchor="middle">
            {label}
          </text>
        ))}
    </g>
  );
}

/** Tick values for a log axis: 1, 2, 5 × powers of ten inside the domain (labels stay readable). */
export function logTicks(domain: readonly [number, number]): number[] {
  const [a, b] = domain[0] <= domain[1] ? domain : [domain[1], domain[0]];
  if (!(a > 0)) return [];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(a)); e <= Math.ceil(Math.log10(b)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= a * 0.999 && v <= b * 1.001) out.push(Number(v.toPrecision(6)));
    }
  }
  return out.length >= 2 ? out : [a, b];
}

/** Integer ticks for a count axis with at most `max` ticks. */
export function integerTicks(domain: readonly [number, number], max = 6): number[] {
  const lo = Math.ceil(Math.min(domain[0], domain[1]));
  const hi = Math.floor(Math.max(domain[0], domain[1]));
  const span = Math.max(1, hi - lo);
  const step = Math.max(1, Math.ceil(span / max));
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}
