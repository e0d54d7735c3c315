// Writes the generated references: resources/design.schema.json (from the zod schema) and docs/catalog.md (from
// the catalog). Tests in test/unit/model fail when either drifts from its source.
import { writeFileSync } from 'node:fs';
import { catalogMarkdown } from '../src-shared/catalog/markdown';
import { designJsonSchemaText } from '../src-shared/model/jsonSchema';

for (const [rel, text] of [
  ['../resources/design.schema.json', designJsonSchemaText()],
  ['../docs/catalog.md', catalogMarkdown()],
] as const) {
  const out = new URL(rel, import.meta.url);
  writeFileSync(out, text);
  console.log(`wrote ${out.pathname}`);
}
