// Writes resources/design.schema.json from the zod schema (the test in test/unit/model fails when they drift).
import { writeFileSync } from 'node:fs';
import { designJsonSchemaText } from '../src-shared/model/jsonSchema';

const out = new URL('../resources/design.schema.json', import.meta.url);
writeFileSync(out, designJsonSchemaText());
console.log(`wrote ${out.pathname}`);
