import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * The content width of an element, kept up to date with a ResizeObserver (charts are drawn for it).
 * `fallback` is used where layout is not available (unit tests).
 */
export function useWidth<E extends HTMLElement>(fallback = 640): [RefObject<E | null>, number] {
  const ref = useRef<E>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => {
      const w = Math.floor(el.getBoundingClientRect().width);
      setWidth((old) => (Math.abs(old - w) >= 1 ? w : old));
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
  }, []);
  return [ref, width > 0 ? width : fallback];
}
