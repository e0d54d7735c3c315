/** Latency percentiles per flow as a table (exact order statistics from the run summary). */
import type { FlowSummary } from '../../../src-shared/results/summary';
import { formatDuration } from '../../../src-shared/util/units';
import { formatCount } from './common';

export interface PercentileTableProps {
  flows: readonly FlowSummary[];
  /** Colour swatch per flow id (matches the CDF). */
  colours?: ReadonlyMap<string, string>;
  selected?: string;
  onSelect?: (flowId: string) => void;
}

const COLS = [
  ['mean', 'mean'],
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['max', 'max'],
] as const;

export function PercentileTable({ flows, colours, selected, onSelect }: PercentileTableProps) {
  return (
    <table className="data-table percentiles">
      <thead>
        <tr>
          <th className="left">Flow</th>
          <th>delivered</th>
          {COLS.map(([k, label]) => (
            <th key={k}>{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {flows.map((f) => (
          <tr key={f.id} className={`${selected === f.id ? 'is-selected' : ''}${onSelect ? ' clickable' : ''}`} onClick={onSelect ? () => onSelect(f.id) : undefined}>
            <td className="left">
              {colours?.get(f.id) && <span className="swatch" style={{ background: colours.get(f.id) }} />}
              <span title={f.id}>{f.name}</span>
            </td>
            <td>{formatCount(f.delivered)}</td>
            {COLS.map(([k]) => (
              <td key={k}>{f.delivered > 0 ? formatDuration(f.latencyNs[k]) : '—'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
