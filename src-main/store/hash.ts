import { createHash } from 'node:crypto';
import type { Design } from '../../src-shared/model/design';
import { canonicalJson } from '../../src-shared/util/canonical';

export { canonicalJson };

/** The design as stored and hashed: everything but `ui` (viewport, theme — editor state, not the model). */
export function designSnapshot(design: Design): Omit<Design, 'ui'> {
  const { ui: _ui, ...rest } = design;
  return rest;
}

/** The design's content address: sha256 (hex) of the canonical JSON of `designSnapshot(design)`. */
export function designHash(design: Design): string {
  return createHash('sha256').update(canonicalJson(designSnapshot(design))).digest('hex');
}
