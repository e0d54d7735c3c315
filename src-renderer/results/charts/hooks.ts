import { useId, useLayoutEffect } from 'react';

/** A clip-path id unique in the document (React's id without the characters `url(#…)` dislikes). */
export function useClipId(prefix: string): string {
  return `${prefix}-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
}

/** Names of the render-time measures the charts leave in the Performance timeline (`chart:<name>`). */
export const CHART_MEASURE_PREFIX = 'chart:';

/**
 * Records how long a chart took from the start of its render to its DOM being committed, as a
 * `performance.measure('chart:<name>')` entry (visible in DevTools; read by the render-time script).
 * Call it first in the component body.
 */
export function useRenderTiming(name: string): void {
  const t0 = typeof performance !== 'undefined' ? performance.now() : 0;
  useLayoutEffect(() => {
    if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
    try {
      performance.measure(`${CHART_MEASURE_PREFIX}${name}`, { start: t0, end: performance.now() });
    } catch {
      // Some environments (old happy-dom) lack measure options; timing is a diagnostic only.
    }
  });
}
