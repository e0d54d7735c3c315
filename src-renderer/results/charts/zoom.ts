import { brushX, select, zoom, zoomIdentity, type BrushBehavior, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/**
 * Wheel / drag zoom along x on a plot-local element (a rect inside the translated plot group, so pointer
 * coordinates are plot coordinates). Double-click resets. Returns the transform (apply it with `rescaleX`) and
 * a reset function. The zoom resets whenever `resetKey` changes (new data, new size).
 */
export function useXZoom(ref: RefObject<SVGRectElement | null>, iw: number, ih: number, resetKey: unknown, enabled = true): { transform: ZoomTransform; reset: () => void } {
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const behaviour = useRef<ZoomBehavior<SVGRectElement, unknown> | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled) return;
    const z = zoom<SVGRectElement, unknown>()
      .scaleExtent([1, 1000])
      .extent([
        [0, 0],
        [iw, ih],
      ])
      .translateExtent([
        [0, 0],
        [iw, ih],
      ])
      .on('zoom', (e: { transform: ZoomTransform }) => setTransform(e.transform));
    const sel = select(el);
    sel.call(z).on('dblclick.zoom', null);
    sel.on('dblclick.reset', () => sel.call(z.transform, zoomIdentity));
    sel.call(z.transform, zoomIdentity);
    behaviour.current = z;
    return () => {
      sel.on('.zoom', null).on('dblclick.reset', null);
      behaviour.current = null;
    };
  }, [ref, iw, ih, resetKey, enabled]);
  const reset = useCallback(() => {
    const el = ref.current;
    if (el && behaviour.current) select(el).call(behaviour.current.transform, zoomIdentity);
  }, [ref]);
  return { transform, reset };
}

/**
 * A horizontal brush on a plot-local `<g>`. `mode: 'zoom'` clears the brush after each selection and reports
 * it (brush to zoom); `mode: 'select'` keeps the selection visible (a window) and reports moves.
 * `selection` (plot pixels) positions the brush from outside in select mode.
 */
export function useXBrush(
  ref: RefObject<SVGGElement | null>,
  iw: number,
  ih: number,
  onBrush: ((px: [number, number]) => void) | undefined,
  mode: 'zoom' | 'select',
  selection?: [number, number] | null,
): void {
  const cb = useRef(onBrush);
  const brushRef = useRef<BrushBehavior<unknown> | null>(null);
  const quiet = useRef(false);
  useEffect(() => {
    cb.current = onBrush;
  });
  const active = onBrush !== undefined;
  useEffect(() => {
    const el = ref.current;
    if (!el || !active) return;
    const b = brushX<unknown>()
      .extent([
        [0, 0],
        [iw, ih],
      ])
      .on('end', (e: { selection: [number, number] | null; sourceEvent?: unknown }) => {
        if (quiet.current || !e.sourceEvent) return;
        const s = e.selection;
        if (!s || s[1] - s[0] < 3) return;
        cb.current?.([s[0], s[1]]);
        if (mode === 'zoom') {
          quiet.current = true;
          select(el).call(b.move, null);
          quiet.current = false;
        }
      });
    const sel = select(el);
    sel.call(b);
    brushRef.current = b;
    return () => {
      sel.on('.brush', null);
      sel.selectAll('*').remove();
      brushRef.current = null;
    };
  }, [ref, iw, ih, active, mode]);
  const s0 = selection?.[0];
  const s1 = selection?.[1];
  useEffect(() => {
    const el = ref.current;
    const b = brushRef.current;
    if (!el || !b || mode !== 'select') return;
    quiet.current = true;
    select(el).call(b.move, s0 !== undefined && s1 !== undefined ? [Math.max(0, s0), Math.min(iw, Math.max(s0 + 2, s1))] : null);
    quiet.current = false;
  }, [ref, s0, s1, iw, mode]);
}
