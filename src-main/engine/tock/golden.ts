// The golden-fingerprint protocol: each example design is run with a fixed seed and duration and its event
// fingerprint compared with the one recorded in test/fixtures/golden-fingerprints.json. A mismatch means the
// engine's behaviour changed: if intended, bump ENGINE_VERSION and re-record (`npm run golden:update`).

import type { Design } from '../../../src-shared/model';
import { runDesign } from './run';

/**
 * Settings every golden run uses (short enough for the test suite, long enough to exercise every path): 200 ms after
 * the design's own warm-up (e.g. a WiFi link that is up only after the driver's boot).
 */
export const GOLDEN_RUN = { seed: 7, durationNs: 200_000_000 };

/**
 * What is recorded per example: the run as the studio makes it, and the same run with no trace budget, where
 * the model defers quiet job completions from the start (TockModel.dispatch) — a different event sequence for
 * the same results, guarded separately.
 */
export interface GoldenEntry {
  seed: number;
  durationNs: number;
  events: number;
  fingerprint: string;
  eventsUntraced: number;
  fingerprintUntraced: string;
}

/** Runs `design` with the golden settings. */
export function goldenOf(design: Design): GoldenEntry {
  const settings = { seed: GOLDEN_RUN.seed, durationNs: design.run.warmupNs + GOLDEN_RUN.durationNs };
  const out = runDesign(design, 'golden', settings);
  const untraced = runDesign(design, 'golden', { ...settings, maxTrace: 0 });
  return { ...settings, events: out.summary.events, fingerprint: out.fingerprint, eventsUntraced: untraced.summary.events, fingerprintUntraced: untraced.fingerprint };
}
