import { loadDesignObject, type Design } from '../../src-shared/model';

/** A template of the gallery: one example design of `resources/examples`. */
export interface Template {
  id: string;
  design: Design;
}

const modules = import.meta.glob('../../resources/examples/*.json', { eager: true, import: 'default' });

/** The ordered list of templates (by file name). Invalid example files are skipped, never shown broken. */
export const TEMPLATES: readonly Template[] = Object.entries(modules)
  .sort(([a], [b]) => a.localeCompare(b))
  .flatMap(([path, raw]) => {
    const r = loadDesignObject(raw);
    if (!r.ok) return [];
    const id = path.replace(/^.*\//, '').replace(/\.json$/, '');
    return [{ id, design: r.design }];
  });

/** A fresh copy of a template's design (so edits never touch the gallery's copy). */
export function instantiateTemplate(t: Template): Design {
  return structuredClone(t.design);
}
