import { DESIGN_VERSION } from './design';

/**
 * A design-file migration: takes a raw object of version `from` and returns the object of version `from + 1`.
 * Migrations are append-only: once released, a step is never edited, so old files keep opening.
 */
export interface DesignMigration {
  from: number;
  description: string;
  up(raw: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The ordered migrations. Version 1 is the first released format, so the list is empty; the next format change
 * appends `{ from: 1, up }` here and bumps DESIGN_VERSION.
 */
export const DESIGN_MIGRATIONS: readonly DesignMigration[] = [];

/** What migrating produced: the raw object at the current version, or why it can't be opened. */
export type MigrateResult = { ok: true; raw: Record<string, unknown>; from: number } | { ok: false; message: string };

/**
 * Brings a raw design object (already known to be an object with an integer `version`) up to `target`, applying
 * each step in order. A file from a newer version is refused rather than guessed at.
 */
export function migrateDesign(
  raw: Record<string, unknown>,
  migrations: readonly DesignMigration[] = DESIGN_MIGRATIONS,
  target: number = DESIGN_VERSION,
): MigrateResult {
  const from = raw.version as number;
  if (from > target) {
    return { ok: false, message: `this file is format version ${from}, written by a newer Tock IPC Studio; this build reads up to version ${target}` };
  }
  let cur = raw;
  for (let v = from; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) return { ok: false, message: `version ${from} is not a format this build can read (no migration from version ${v} to ${v + 1}; the first released version is 1)` };
    cur = { ...step.up(structuredCloneJson(cur)), version: v + 1 };
  }
  return { ok: true, raw: cur, from };
}

function structuredCloneJson(o: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}
