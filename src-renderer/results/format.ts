/** Text for the results views: statuses, times of day, kinds, deltas. */
import { getKind } from '../../src-shared/catalog';
import type { RunStatus } from '../../src-shared/results/runStore';
import { formatBytes, formatDuration } from '../../src-shared/util/units';
import { formatCount } from './charts/common';

export const STATUS_LABEL: Record<RunStatus, string> = {
  queued: 'queued',
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** A kind id as people read it: `Two-copy channel` (no parenthesis). */
export function kindLabel(kind: string): string {
  const k = getKind(kind);
  return k ? k.label.replace(/\s*\(.*\)$/, '') : kind;
}

/** `14:03:12` today, `3 Mar 14:03` otherwise. */
export function formatWhen(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  const today = new Date(now);
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time.slice(0, 5)}`;
}

/** `3 min ago`, `just now`. */
export function formatAgo(epochMs: number, now = Date.now()): string {
  const s = Math.round((now - epochMs) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** Wall time: `850 ms`, `12.3 s`. */
export function formatWall(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toPrecision(3))} s`;
}

/** How a metric is shown and which direction is better. */
export type MetricKind = 'duration' | 'count' | 'ratio' | 'bytes' | 'percent';

/** Formats a metric value. */
export function formatMetric(v: number | null | undefined, kind: MetricKind): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  switch (kind) {
    case 'duration':
      return formatDuration(v);
    case 'bytes':
      return formatBytes(v);
    case 'percent':
      return `${Number((v * 100).toPrecision(3))} %`;
    case 'ratio':
      return Number(v.toPrecision(3)).toString();
    default:
      return formatCount(v);
  }
}

/**
 * Formats a delta with its sign: `+12.5 µs`, `−3`, `±0`. A change of a share is in percentage points (`+0.2 pp`),
 * so it cannot be read as the relative change shown beside it.
 */
export function formatDelta(d: number | null | undefined, kind: MetricKind): string {
  if (d === null || d === undefined || !Number.isFinite(d)) return '—';
  if (d === 0) return '±0';
  const sign = d > 0 ? '+' : '−';
  if (kind === 'percent') return `${sign}${Number((Math.abs(d) * 100).toPrecision(3))} pp`;
  return `${sign}${formatMetric(Math.abs(d), kind)}`;
}

/** For metrics where lower is better: 'better' | 'worse' | 'same' (null when unknown). */
export function judge(d: number | null | undefined, relTolerance = 0, base?: number | null): 'better' | 'worse' | 'same' | null {
  if (d === null || d === undefined || !Number.isFinite(d)) return null;
  const tol = base ? Math.abs(base) * relTolerance : 0;
  if (Math.abs(d) <= tol || d === 0) return 'same';
  return d < 0 ? 'better' : 'worse';
}
