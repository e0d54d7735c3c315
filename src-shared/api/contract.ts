// The contract between the renderer and the main process: one typed interface, served over Electron IPC
// (preload + ipcMain) and over HTTP (serve mode). Every request payload has a zod schema, validated by main.

import { z } from 'zod';
import type { Design, Finding } from '../model';
import type {
  DownsampledSeries,
  LatencyCdf,
  LatencyHistogram,
  LatencyOverTime,
  RunComparison,
  RunListPage,
  RunRecord,
  SeriesInfo,
  TraceEvent,
} from '../results/runStore';
import type { DesignDiff } from '../model/diff';

import { type METHOD_NAMES } from './methods';

export { PROGRESS_CHANNEL, MENU_CHANNEL, channelOf } from './methods';

/** Progress of one run (pushed by main). `fraction` = simulated time done / duration. */
export interface RunProgress {
  runId: number;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  simTimeNs: number;
  durationNs: number;
  fraction: number;
  events: number;
  eventsPerSec: number;
  wallMs: number;
  error?: string;
}

/** About the running studio. */
export interface StudioInfo {
  version: string;
  engineVersion: string;
  mode: 'electron' | 'serve';
  dbPath: string;
  /** True when main can show native open/save dialogs (Electron). */
  nativeFiles: boolean;
}

/** A template of resources/examples. */
export interface TemplateInfo {
  file: string;
  name: string;
  description: string;
}

/** A design file opened by main. */
export interface OpenedDesign {
  path: string;
  design: Design;
  findings: Finding[];
}

/** A recently opened or saved design file. */
export interface RecentDesign {
  path: string;
  name: string;
  at: number;
}

/** An export produced by main, ready to save or download. */
export interface ExportedFile {
  fileName: string;
  mime: string;
  text: string;
}

const runId = z.number().int().positive();
const flow = z.union([z.string().min(1).max(300), z.number().int().min(0)]);
const range = { fromNs: z.number().min(0).optional(), toNs: z.number().min(0).optional() };

/** Request schemas by method. A method's request is validated against its schema before any handler runs. */
export const REQUEST_SCHEMAS = {
  info: z.strictObject({}),
  listTemplates: z.strictObject({}),
  getTemplate: z.strictObject({ file: z.string().regex(/^[A-Za-z0-9_.-]+\.json$/) }),
  validateDesign: z.strictObject({ design: z.unknown() }),
  openDesign: z.strictObject({ path: z.string().min(1).max(4096).optional() }),
  saveDesign: z.strictObject({ design: z.unknown(), path: z.string().min(1).max(4096).optional(), saveAs: z.boolean().optional() }),
  recentDesigns: z.strictObject({}),
  setDocumentState: z.strictObject({ dirty: z.boolean(), title: z.string().max(300) }),
  startRun: z.strictObject({ design: z.unknown(), seed: z.number().int().min(0).max(0xffff_ffff).optional(), durationNs: z.number().int().min(1).max(3.6e12).optional(), label: z.string().max(200).optional() }),
  cancelRun: z.strictObject({ runId }),
  listRuns: z.strictObject({
    designName: z.string().max(200).optional(),
    designHash: z.string().max(64).optional(),
    status: z.union([z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']), z.array(z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']))]).optional(),
    seed: z.number().int().min(0).optional(),
    text: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).optional(),
  }),
  getRun: z.strictObject({ runId }),
  deleteRun: z.strictObject({ runId }),
  listSeries: z.strictObject({ runId }),
  getSeries: z.strictObject({ runId, key: z.string().min(1).max(300), buckets: z.number().int().min(1).max(10_000), ...range }),
  latencyHistogram: z.strictObject({ runId, flow, bins: z.number().int().min(1).max(10_000), ...range }),
  latencyCdf: z.strictObject({ runId, flow, points: z.number().int().min(2).max(10_000) }),
  latencyOverTime: z.strictObject({ runId, flow, buckets: z.number().int().min(1).max(10_000), ...range }),
  trace: z.strictObject({ runId, ...range, kernelId: z.string().max(64).optional(), kind: z.string().max(64).optional(), limit: z.number().int().min(1).max(100_000).optional() }),
  compareRuns: z.strictObject({ runIds: z.array(runId).min(2).max(12) }),
  designDiff: z.strictObject({ a: runId, b: runId }),
  exportRun: z.strictObject({ runId, format: z.enum(['csv', 'json']), rows: z.enum(['messages', 'flows']).optional() }),
} as const;

/** Method names of the contract. */
export type ApiMethod = keyof typeof REQUEST_SCHEMAS;
/** Request type of a method. */
export type ApiRequest<M extends ApiMethod> = z.infer<(typeof REQUEST_SCHEMAS)[M]>;

/** Response type of each method. */
export interface ApiResponses {
  info: StudioInfo;
  listTemplates: TemplateInfo[];
  getTemplate: Design;
  validateDesign: { ok: boolean; findings: Finding[]; design: Design | null };
  openDesign: OpenedDesign | null;
  saveDesign: { path: string } | null;
  recentDesigns: RecentDesign[];
  setDocumentState: { ok: true };
  startRun: { runId: number };
  cancelRun: { cancelled: boolean };
  listRuns: RunListPage;
  getRun: RunRecord;
  deleteRun: { deleted: boolean };
  listSeries: SeriesInfo[];
  getSeries: DownsampledSeries;
  latencyHistogram: LatencyHistogram;
  latencyCdf: LatencyCdf;
  latencyOverTime: LatencyOverTime;
  trace: TraceEvent[];
  compareRuns: RunComparison;
  designDiff: DesignDiff;
  exportRun: ExportedFile;
}

/** Every method of the contract as an async function, plus the progress subscription. */
export type StudioApi = { [M in ApiMethod]: (req: ApiRequest<M>) => Promise<ApiResponses[M]> } & {
  /** Subscribes to run progress; returns the unsubscribe function. */
  onRunProgress(listener: (p: RunProgress) => void): () => void;
};

/** The method names, for binding loops (Electron ipcMain, preload, HTTP). Same list as METHOD_NAMES. */
export const API_METHODS = Object.keys(REQUEST_SCHEMAS) as ApiMethod[];

// The names list used by the preload must match the schemas exactly (checked by the compiler both ways).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const METHODS_MATCH: Same<(typeof METHOD_NAMES)[number], ApiMethod> = true;

/** An error crossing the contract: a code and a sentence for the user (never a stack trace). */
export interface ApiErrorBody {
  code: 'bad-request' | 'not-found' | 'unsupported' | 'invalid-design' | 'store' | 'internal';
  message: string;
  findings?: Finding[];
}

/** Thrown by handlers for errors the user should see as they are. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
    readonly findings?: Finding[],
  ) {
    super(message);
  }
}

/** Validates a request against its schema; an ApiError('bad-request') names each path and reason. */
export function parseRequest<M extends ApiMethod>(method: M, payload: unknown): ApiRequest<M> {
  const schema = REQUEST_SCHEMAS[method];
  const r = schema.safeParse(payload ?? {});
  if (!r.success) {
    const issues = r.error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`);
    throw new ApiError('bad-request', `${method}: invalid request — ${issues.join('; ')}`);
  }
  return r.data as ApiRequest<M>;
}
