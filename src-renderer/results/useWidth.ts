import { useLayoutEffect, useState } from 'react';

/**
 * The content width (inside the padding) of an element, kept up to date with a ResizeObserver (charts are drawn
 * for it). Returns a callback ref, so an element mounted later (after a loading state) is measured too;
 * `fallback` is used until then and where layout is not available (unit tests). The third value says whether the
 * element was measured: views wait for it before they query, so they never ask twice (fallback, then real width).
 */
export function useWidth<E extends HTMLElement>(fallback = 640): [(el: E | null) => void, number, boolean] {
  const [el, setEl] = useState<E | null>(null);
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (!el) return;
    const measure = (): void => {
      const cs = getComputedStyle(el);
      const pad = (parseFloat(cs.paddingLeft) || 0) + (parseFloat(cs.paddingRight) || 0);
      const w = Math.floor(el.getBoundingClientRect().width - pad);
      setWidth((old) => (old === null || Math.abs(old - w) >= 1 ? w : old));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
    };
  }, [el]);
  return [setEl, width !== null && width > 0 ? width : fallback, width !== null];
}
