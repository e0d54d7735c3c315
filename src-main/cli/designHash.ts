import { createHash } from 'node:crypto';
import type { Design } from '../../src-shared/model';
import { canonicalJson } from '../../src-shared/util/canonical';

/** sha256 (hex) of the design's canonical JSON, without editor-only state (`ui`): equal models, equal hashes. */
export function designHash(design: Design): string {
  const { ui: _ui, ...model } = design;
  return createHash('sha256').update(canonicalJson(model)).digest('hex');
}
