// A design's content address, computable anywhere (the renderer too). The store computes the same value with
// node:crypto (src-main/store/hash.ts); a test holds the two equal on every template.
import { canonicalJson } from '../util/canonical';
import { sha256Hex } from '../util/sha256';
import type { Design } from './design';

/** The design as stored and hashed: everything but `ui` (viewport, theme — editor state, not the model). */
export function designSnapshot(design: Design): Omit<Design, 'ui'> {
  const { ui: _ui, ...rest } = design;
  return rest;
}

/**
 * The design's content address: sha256 (hex) of the canonical JSON of the design without `ui` (viewport, theme:
 * editor state, not the model). Invariant: equal to the `designHash` a run of this design is recorded with —
 * which includes the `run` block (seed, duration, warm-up) as the design carries it, not as a run overrode it.
 */
export function designContentHash(design: Design): string {
  return sha256Hex(canonicalJson(designSnapshot(design)));
}
