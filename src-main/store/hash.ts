import { createHash } from 'node:crypto';
import type { Design } from '../../src-shared/model/design';
import { designSnapshot } from '../../src-shared/model/designHash';
import { canonicalJson } from '../../src-shared/util/canonical';

export { canonicalJson, designSnapshot };

/**
 * The design's content address: sha256 (hex) of the canonical JSON of `designSnapshot(design)`; node:crypto's, faster
 * than the pure one the renderer uses (`designContentHash`, held equal by a test).
 */
export function designHash(design: Design): string {
  return createHash('sha256').update(canonicalJson(designSnapshot(design))).digest('hex');
}
