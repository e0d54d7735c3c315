import { z } from 'zod';
import { DESIGN_VERSION, DesignSchema } from './design';

/** The published JSON Schema of the design file (input form: durations may be strings with units). */
export function designJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(DesignSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: `https://tock-ipc-studio.invalid/schema/design-v${DESIGN_VERSION}.json`,
    title: 'Tock IPC Studio design file',
    description: `A design: nodes (kernels, processes, services, mechanisms, patterns, peripherals, faults), edges between their ports, and run settings. Format version ${DESIGN_VERSION}. Parameter keys and ranges per kind come from the catalog (docs/design-format.md).`,
  };
}

/** The schema as the exact text stored in resources/design.schema.json. */
export function designJsonSchemaText(): string {
  return `${JSON.stringify(designJsonSchema(), null, 2)}\n`;
}
