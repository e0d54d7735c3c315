// What every end-to-end spec needs from its environment: where screenshots go and the studio's URL.
import { mkdirSync } from 'node:fs';

/** Screenshots of the journeys (looked at by a person; not compared by the tests). */
export const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots2';
mkdirSync(SHOTS, { recursive: true });

/** The serve-mode URL (with its token) that globalSetup started. */
export function studioUrl(): string {
  const url = process.env.STUDIO_URL;
  if (!url) throw new Error('STUDIO_URL is not set: run through playwright.config.ts (globalSetup starts tock-studio serve)');
  return url;
}
