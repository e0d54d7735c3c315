/** The space the canvas keeps free around a fitted diagram, in screen pixels. */
export interface FitPadding {
  top: `${number}px`;
  right: `${number}px`;
  bottom: `${number}px`;
  left: `${number}px`;
}

/** Footprint of the minimap (bottom right) plus a margin. */
const MINIMAP_CLEARANCE = { width: 196, height: 136 };
const BASE = { top: 32, right: 36, bottom: 32, left: 60 };

/**
 * Fit-view margins that keep the diagram clear of the minimap: either beside it (wide canvas, tall diagram) or
 * above it (wide diagram), whichever leaves the diagram larger.
 */
export function fitPadding(bounds: { width: number; height: number }, canvas: { width: number; height: number }): FitPadding {
  const zoom = (p: typeof BASE): number => Math.min((canvas.width - p.left - p.right) / Math.max(bounds.width, 1), (canvas.height - p.top - p.bottom) / Math.max(bounds.height, 1));
  const beside = { ...BASE, right: MINIMAP_CLEARANCE.width };
  const above = { ...BASE, bottom: MINIMAP_CLEARANCE.height };
  const p = zoom(beside) >= zoom(above) ? beside : above;
  return { top: `${p.top}px`, right: `${p.right}px`, bottom: `${p.bottom}px`, left: `${p.left}px` };
}
