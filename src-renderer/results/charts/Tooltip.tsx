import type { ReactNode } from 'react';

/**
 * A tooltip over a chart, placed at (x, y) in the chart's pixel box and flipped to stay inside it.
 * The chart's container must be `position: relative`.
 */
export function ChartTooltip({ x, y, width, height, children }: { x: number; y: number; width: number; height: number; children: ReactNode }) {
  const right = x > width * 0.6;
  const below = y < height * 0.35;
  const style = {
    left: right ? undefined : x + 12,
    right: right ? width - x + 12 : undefined,
    top: below ? y + 12 : undefined,
    bottom: below ? undefined : height - y + 12,
  };
  return (
    <div className="chart-tip" role="tooltip" style={style}>
      {children}
    </div>
  );
}

/** A legend: a swatch and a label per series; clicking toggles a series when `onToggle` is given. */
export function Legend({ items, hidden, onToggle }: { items: readonly { id: string; label: string; colour: string; dashed?: boolean }[]; hidden?: ReadonlySet<string>; onToggle?: (id: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ul className="chart-legend">
      {items.map((it) => {
        const off = hidden?.has(it.id) ?? false;
        const body = (
          <>
            <span className={`swatch${it.dashed ? ' dashed' : ''}`} style={{ background: it.dashed ? undefined : it.colour, borderColor: it.colour }} />
            <span className="legend-label" title={it.label}>
              {it.label}
            </span>
          </>
        );
        return (
          <li key={it.id} className={off ? 'is-off' : ''}>
            {onToggle ? (
              <button type="button" onClick={() => onToggle(it.id)} aria-pressed={!off} title={off ? 'Show this series' : 'Hide this series'}>
                {body}
              </button>
            ) : (
              body
            )}
          </li>
        );
      })}
    </ul>
  );
}
