/**
 * Types of the catalog: everything a user can place on the canvas. The palette, inspector, validator and
 * engine all read one catalog (`kinds.ts`); nothing about a kind is written twice.
 */

/** Where a default comes from (tock-model.md): V = checked in a public source, M = measured, E = estimate. */
export type SourceTag = 'V' | 'M' | 'E';

/** The provenance of a default value: its tag and a short human reference (section of tock-model.md, source). */
export interface Source {
  tag: SourceTag;
  ref: string;
}

/** Units a parameter is expressed in. Durations are stored as integer nanoseconds (`ns`). */
export type Unit =
  | 'ns'
  | 'B'
  | 'Hz'
  | 'bit/s'
  | 'cycles'
  | 'B/cycle'
  | 'entries'
  | 'words'
  | 'count'
  | '/s'
  | '';

/** A parameter value as stored in a design file (after normalisation). */
export type ParamValue = number | string | boolean;

interface ParamBase {
  /** Key in `params`, camelCase with the unit in the name where it has one (`periodNs`, `payloadBytes`). */
  key: string;
  label: string;
  description: string;
  /** Provenance of the default (and of chip-preset values, which carry their own source). */
  source: Source;
  /** When true the value has no default and must be present in the design file. */
  required?: boolean;
  /** Shown in the inspector only when this predicate on the node's effective params holds. */
  visibleWhen?: { key: string; equals: ParamValue | readonly ParamValue[] };
}

/** A numeric parameter. `integer` forbids fractions. `min`/`max` are inclusive. */
export interface NumberParam extends ParamBase {
  type: 'number' | 'integer';
  unit: Unit;
  default: number;
  min: number;
  max: number;
  /** What 0 stands for when it is not a quantity (e.g. "unbounded"); shown with the range. */
  zeroMeans?: string;
}

/** One of a fixed set of options. */
export interface EnumParam extends ParamBase {
  type: 'enum';
  unit?: undefined;
  default: string;
  options: readonly { value: string; label: string }[];
}

/** A yes/no flag. */
export interface BooleanParam extends ParamBase {
  type: 'boolean';
  unit?: undefined;
  default: boolean;
}

/** Free text (names, allowlists). `maxLength` bounds it. */
export interface StringParam extends ParamBase {
  type: 'string';
  unit?: undefined;
  default: string;
  maxLength: number;
}

/** A reference to another node of the design, restricted to some kinds (e.g. a fault's target). */
export interface NodeRefParam extends ParamBase {
  type: 'nodeRef';
  unit?: undefined;
  default: string;
  /** Categories or kinds the referenced node may have. */
  refKinds: readonly string[];
}

/** A parameter definition. */
export type ParamDef = NumberParam | EnumParam | BooleanParam | StringParam | NodeRefParam;

/** Categories, in palette order. */
export type Category = 'kernel' | 'process' | 'mechanism' | 'pattern' | 'peripheral' | 'fault';

/**
 * A connection point. An edge goes from an `out` port to an `in` port; it is legal when the target port's
 * `accepts` lists the source port's `type` (and the kinds' extra rules in `connect.ts` hold).
 */
export interface PortDef {
  id: string;
  direction: 'in' | 'out';
  /** What flows out of an `out` port. */
  type?: PortType;
  /** What an `in` port takes. */
  accepts?: readonly PortType[];
  label: string;
  /** Maximum edges on this port (absent: unbounded). */
  max?: number;
}

/**
 * Port types: `app` = a process talking to a mechanism or peripheral; `deliver` = a mechanism delivering to a
 * process; `serve` = a mechanism handing requests to a service; `device` = a peripheral delivering to a process.
 */
export type PortType = 'app' | 'deliver' | 'serve' | 'device';

/** Where a node may live. */
export type Placement = 'root' | 'kernel' | 'either';

/** Everything the studio knows about one kind of node. */
export interface KindDef {
  kind: string;
  category: Category;
  label: string;
  /** A short glyph for the palette and node header (text, so it exports as real text). */
  icon: string;
  description: string;
  /** Kernels are containers: processes and kernel-local mechanisms live inside one. */
  container?: boolean;
  placement: Placement;
  /** For mechanisms and patterns: kernel-local ones may only connect processes of their own kernel. */
  scope?: 'kernelLocal' | 'crossKernel';
  ports: readonly PortDef[];
  params: readonly ParamDef[];
  /** Parameters of edges whose target is this kind (e.g. per-connection settings). */
  inEdgeParams?: readonly ParamDef[];
}
