import { z } from 'zod';
import { MAX_DURATION_NS } from '../catalog/params';

/** The `format` marker every design file carries. */
export const DESIGN_FORMAT = 'tock-ipc-studio/design';
/** The version this build writes. Older versions are migrated on load (`migrations.ts`); newer ones refused. */
export const DESIGN_VERSION = 1;

/** Largest design file the loader reads (bytes); bigger files are refused before parsing. */
export const MAX_DESIGN_BYTES = 20 * 1024 * 1024;
/** Upper bounds that keep a design something a person drew (and the simulator can hold). */
export const MAX_NODES = 5_000;
export const MAX_EDGES = 20_000;
/** Seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A node or edge id: 1–64 letters, digits, `_ . : -`. */
export const IdSchema = z.string().regex(ID_RE, { message: 'an id is 1–64 letters, digits, or _ . : -' });

/** A duration in a design file: integer nanoseconds, or a string with a unit (`5ms`) normalised on load. */
export const DurationSchema = z.union([
  z.number().int().min(0).max(MAX_DURATION_NS),
  z.string().regex(/^\s*[0-9.eE+_,]+\s*(ns|us|µs|μs|ms|s|min)?\s*$/, { message: 'a duration such as 250ns, 40us, 5ms or 10s' }),
]);

/** A parameter value as written in the file; the catalog decides which type each key needs. */
export const ParamValueSchema = z.union([z.number(), z.string().max(1_000), z.boolean()]);

export const ParamsSchema = z.record(z.string().max(64), ParamValueSchema);

export const PositionSchema = z.strictObject({ x: z.number().min(-1e7).max(1e7), y: z.number().min(-1e7).max(1e7) });

export const NodeSchema = z.strictObject({
  id: IdSchema,
  kind: z.string().min(1).max(64),
  name: z.string().min(1).max(120),
  /** The id of the kernel this node lives in (processes, services, kernel-local mechanisms, peripherals). */
  parent: IdSchema.optional(),
  position: PositionSchema,
  /** Size on the canvas (kernels are resized by the user). */
  size: z.strictObject({ width: z.number().min(10).max(1e5), height: z.number().min(10).max(1e5) }).optional(),
  params: ParamsSchema.default({}),
});

export const EdgeSchema = z.strictObject({
  id: IdSchema,
  source: IdSchema,
  sourceHandle: z.string().min(1).max(32),
  target: IdSchema,
  targetHandle: z.string().min(1).max(32),
  params: ParamsSchema.default({}),
});

export const RunSettingsSchema = z.strictObject({
  durationNs: DurationSchema,
  seed: z.number().int().min(0).max(MAX_SEED),
  warmupNs: DurationSchema.default(0),
});

export const DesignSchema = z.strictObject({
  format: z.literal(DESIGN_FORMAT),
  version: z.literal(DESIGN_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(10_000).optional(),
  nodes: z.array(NodeSchema).max(MAX_NODES),
  edges: z.array(EdgeSchema).max(MAX_EDGES),
  run: RunSettingsSchema,
  /** Editor state that is not part of the model (viewport, theme). Never read by the engine. */
  ui: z.record(z.string(), z.unknown()).optional(),
});

/** A parameter value after loading. */
export type ParamValue = z.infer<typeof ParamValueSchema>;

/** A node of a loaded design. Invariant after `loadDesign`: ids unique, `kind` in the catalog, params valid. */
export type DesignNode = Omit<z.infer<typeof NodeSchema>, 'params'> & { params: Record<string, ParamValue> };

/** An edge from an `out` port (`sourceHandle`) to an `in` port (`targetHandle`). */
export type DesignEdge = Omit<z.infer<typeof EdgeSchema>, 'params'> & { params: Record<string, ParamValue> };

/** Run settings after loading: durations are integer nanoseconds. */
export interface RunSettings {
  durationNs: number;
  seed: number;
  warmupNs: number;
}

/** A loaded, normalised design: every duration a number of ns. This is what the engine and editor hold. */
export interface Design {
  format: typeof DESIGN_FORMAT;
  version: typeof DESIGN_VERSION;
  name: string;
  description?: string;
  nodes: DesignNode[];
  edges: DesignEdge[];
  run: RunSettings;
  ui?: Record<string, unknown>;
}

/** A new, empty design. */
export function emptyDesign(name = 'Untitled design'): Design {
  return { format: DESIGN_FORMAT, version: DESIGN_VERSION, name, nodes: [], edges: [], run: { durationNs: 1_000_000_000, seed: 1, warmupNs: 0 } };
}
