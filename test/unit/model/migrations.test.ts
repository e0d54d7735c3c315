import { describe, expect, it } from 'vitest';
import { DESIGN_MIGRATIONS, DESIGN_VERSION, loadDesignObject, migrateDesign, type DesignMigration } from '../../../src-shared/model';
import { DesignBuilder } from '../../fixtures/builder';

describe('design migrations', () => {
  it('form a contiguous chain up to the current version', () => {
    DESIGN_MIGRATIONS.forEach((m, i) => expect(m.from).toBe(i + 1));
    expect(DESIGN_MIGRATIONS.length).toBe(DESIGN_VERSION - 1);
  });

  it('apply in order and bump the version (exercised with synthetic steps)', () => {
    const steps: DesignMigration[] = [
      { from: 1, description: 'rename title → name', up: (r) => ({ ...r, name: r.title, title: undefined }) },
      { from: 2, description: 'add run.seed', up: (r) => ({ ...r, seed: 7 }) },
    ];
    const r = migrateDesign({ version: 1, title: 'old' }, steps, 3);
    expect(r).toMatchObject({ ok: true, from: 1, raw: { version: 3, name: 'old', seed: 7 } });
    expect(migrateDesign({ version: 2 }, steps.slice(0, 1), 3)).toMatchObject({ ok: false });
    expect(migrateDesign({ version: 4 }, steps, 3)).toMatchObject({ ok: false });
  });

  it('loads an old-version file through the migration list (synthetic v0 → v1 step)', () => {
    const current = new DesignBuilder('migrated').kernel('k').build() as unknown as Record<string, unknown>;
    const { name, ...rest } = current;
    const old = { ...rest, version: 0, title: name };
    // The real list has no step from 0: refused, saying so.
    const refused = loadDesignObject(old);
    expect(refused.ok).toBe(false);
    expect(refused.findings[0]).toMatchObject({ path: 'version' });
    const steps: DesignMigration[] = [{ from: 0, description: 'title → name', up: ({ title, ...r }) => ({ ...r, name: title }) }];
    const r = loadDesignObject(old, steps);
    expect(r).toMatchObject({ ok: true, migratedFrom: 0 });
    if (r.ok) expect(r.design.name).toBe('migrated');
  });
});
