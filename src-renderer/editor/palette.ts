import { CATEGORIES, KINDS, type Category, type KindDef } from '../../src-shared/catalog';

/** One palette section: a category heading and its kinds, in catalog order. */
export interface PaletteGroup {
  category: Category;
  label: string;
  kinds: KindDef[];
}

function haystack(kind: KindDef, categoryLabel: string): string {
  return `${kind.label} ${kind.kind} ${kind.icon} ${categoryLabel} ${kind.description}`.toLowerCase();
}

/**
 * The palette for a search query: every word of the query must appear in a kind's label, id, icon, category
 * or description (case-insensitive). Empty groups are left out; an empty query lists the whole catalog.
 */
export function filterPalette(query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const groups: PaletteGroup[] = [];
  for (const cat of CATEGORIES) {
    const kinds = KINDS.filter((k) => k.category === cat.id).filter((k) => {
      const h = haystack(k, cat.label);
      return words.every((w) => h.includes(w));
    });
    if (kinds.length) groups.push({ category: cat.id, label: cat.label, kinds });
  }
  return groups;
}

/** The drag-and-drop data type carrying a kind id from the palette to the canvas. */
export const PALETTE_MIME = 'application/x-tock-studio-kind';
