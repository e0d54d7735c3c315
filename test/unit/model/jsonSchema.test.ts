import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogMarkdown } from '../../../src-shared/catalog/markdown';
import { designJsonSchemaText } from '../../../src-shared/model';

const root = join(__dirname, '../../..');

describe('generated references (run `npm run gen:schema` after changing their source)', () => {
  it('resources/design.schema.json matches the zod schema', () => {
    expect(readFileSync(join(root, 'resources/design.schema.json'), 'utf8')).toBe(designJsonSchemaText());
  });
  it('docs/catalog.md matches the catalog', () => {
    expect(readFileSync(join(root, 'docs/catalog.md'), 'utf8')).toBe(catalogMarkdown());
  });
});
