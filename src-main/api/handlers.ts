// The implementation of the contract, shared by Electron (ipcMain) and serve mode (HTTP). Handlers receive
// validated requests and return plain data; user-facing failures are ApiErrors with a sentence.

import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiError, type ApiMethod, type ApiRequest, type ApiResponses, type StudioInfo, type TemplateInfo, type RecentDesign } from '../../src-shared/api/contract';
import { describeFinding, DesignSchema, loadDesignObject, parseDesignText, serializeDesign, type Design } from '../../src-shared/model';
import { ENGINE_VERSION } from '../engine/tock/run';
import type { Runner } from '../runner/runner';
import { checkRecordSpace, notEnoughSpace } from '../store/diskSpace';
import { StoreError } from '../store/errors';
import type { RunStore } from '../store/store';

/** Native dialogs (Electron only). */
export interface Dialogs {
  open(): Promise<string | null>;
  save(defaultName: string): Promise<string | null>;
}

/** What the handlers need from their host. */
export interface HandlerDeps {
  store: RunStore;
  runner: Runner;
  mode: StudioInfo['mode'];
  version: string;
  dbPath: string;
  examplesDir: string;
  /** File holding the recent-designs list (JSON). */
  recentFile: string;
  dialogs?: Dialogs;
  /** Told when the renderer's document changes (Electron: title bar, close prompt). */
  onDocumentState?: (s: { dirty: boolean; title: string }) => void;
  /** Bytes free on the file system of the database (null: unknown); default: `statfs` of its folder. Tests inject it. */
  freeBytes?: (dbPath: string) => number | null;
}

/** The handler map: one async function per contract method. */
export type Handlers = { [M in ApiMethod]: (req: ApiRequest<M>) => Promise<ApiResponses[M]> };

const MAX_RECENT = 10;

async function readRecent(file: string): Promise<RecentDesign[]> {
  try {
    const list = JSON.parse(await fs.readFile(file, 'utf8')) as RecentDesign[];
    return Array.isArray(list) ? list.filter((r) => typeof r?.path === 'string').slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

async function remember(file: string, path: string, name: string): Promise<void> {
  const list = (await readRecent(file)).filter((r) => r.path !== path);
  list.unshift({ path, name, at: Date.now() });
  try {
    await fs.mkdir(join(file, '..'), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(list.slice(0, MAX_RECENT), null, 2));
  } catch {
    // The recent list is a convenience; failing to write it never fails the open or save.
  }
}

function storeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StoreError) throw new ApiError(e.code === 'not-found' ? 'not-found' : 'store', e.message);
    throw e;
  }
}

/** A loaded, valid design from an untrusted payload, or an ApiError listing the findings. */
export function requireValidDesign(raw: unknown): Design {
  const r = loadDesignObject(raw);
  if (!r.ok) {
    const errors = r.findings.filter((f) => f.severity === 'error');
    throw new ApiError('invalid-design', `the design has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.slice(0, 3).map((f) => `${f.path}: ${describeFinding(f)}`).join('; ')}`, r.findings);
  }
  return r.design;
}

/** Builds the handler map. */
/** Runs queued or running at once (a bound on what a page, or a stuck sweep, can pile up). */
export const MAX_QUEUED_RUNS = 64;

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, runner } = deps;
  /**
   * Files the user chose in a native Open or Save dialog this session. A request naming a file by its path may only
   * name one of these or one of the recent designs (which got there the same way): the renderer cannot make main
   * read or overwrite any other file. Without dialogs (serve mode) no path is ever accepted.
   */
  const granted = new Set<string>();
  /**
   * The file a path names as the file system sees it: its folder with symlinks and `..` resolved (realpath), then its
   * name; null when the folder does not exist. Paths are compared, read and written in this form, so `granted/l/..`
   * through a symlink `l` cannot reach another folder.
   */
  const canonical = async (path: string): Promise<string | null> => {
    try {
      return join(await fs.realpath(dirname(resolve(path))), basename(path));
    } catch {
      return null;
    }
  };
  /** The canonical file of `path` when the user chose it in a dialog or it is a recent design; else refused. */
  const requireGranted = async (path: string, what: 'open' | 'save'): Promise<string> => {
    const file = deps.dialogs ? await canonical(path) : null;
    if (file !== null) {
      if (granted.has(file)) return file;
      for (const r of await readRecent(deps.recentFile)) if ((await canonical(r.path)) === file) return file;
    }
    throw new ApiError('bad-request', `a design can only be ${what === 'open' ? 'opened' : 'saved'} by path when it was chosen in an Open or Save dialog (or is a recent design); use File › ${what === 'open' ? 'Open' : 'Save as'}`);
  };
  /** A file the user chose in a dialog: granted from now on (by its canonical form). */
  const grant = async (path: string): Promise<string> => {
    const file = (await canonical(path)) ?? resolve(path);
    granted.add(file);
    return file;
  };
  return {
    async info() {
      return { version: deps.version, engineVersion: ENGINE_VERSION, mode: deps.mode, dbPath: deps.dbPath, nativeFiles: !!deps.dialogs };
    },
    async listTemplates() {
      const files = (await fs.readdir(deps.examplesDir)).filter((f) => f.endsWith('.json')).sort();
      const out: TemplateInfo[] = [];
      for (const file of files) {
        try {
          const d = JSON.parse(await fs.readFile(join(deps.examplesDir, file), 'utf8')) as { name?: string; description?: string };
          out.push({ file, name: String(d.name ?? file), description: String(d.description ?? '') });
        } catch {
          // a broken template is skipped (the examples test guards them)
        }
      }
      return out;
    },
    async getTemplate({ file }) {
      let text: string;
      try {
        text = await fs.readFile(join(deps.examplesDir, basename(file)), 'utf8');
      } catch {
        throw new ApiError('not-found', `no template "${file}"`);
      }
      const r = parseDesignText(text);
      if (!r.ok) throw new ApiError('invalid-design', `template ${file} does not load`, r.findings);
      return r.design;
    },
    async validateDesign({ design }) {
      const r = loadDesignObject(design);
      return { ok: r.ok, findings: r.findings, design: r.ok ? r.design : null };
    },
    async openDesign({ path }) {
      let file: string;
      if (path) file = await requireGranted(path, 'open');
      else {
        if (!deps.dialogs) throw new ApiError('unsupported', 'opening a file by dialog needs the desktop app; in the browser, use File › Open');
        const chosen = await deps.dialogs.open();
        if (!chosen) return null;
        file = await grant(chosen);
      }
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (e) {
        throw new ApiError('not-found', `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it'}`);
      }
      // Into the editor: work in progress whose errors the editor shows in its problems list opens (the studio saves such
      // designs); what it cannot hold is refused, as in the browser.
      const r = parseDesignText(text, { forEditing: true });
      if (!r.ok) throw new ApiError('invalid-design', `${file} is not a valid design`, r.findings);
      await remember(deps.recentFile, file, r.design.name);
      return { path: file, design: r.design, findings: r.findings };
    },
    async saveDesign({ design, path, saveAs }) {
      // Work in progress may have lint errors; it must only have the file's shape.
      const shape = DesignSchema.safeParse(design);
      if (!shape.success) throw new ApiError('bad-request', `the design is malformed: ${shape.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const d = shape.data as unknown as Design;
      let file: string;
      if (path && !saveAs) file = await requireGranted(path, 'save');
      else {
        if (!deps.dialogs) throw new ApiError('unsupported', 'saving by dialog needs the desktop app; in the browser the design is downloaded');
        const chosen = await deps.dialogs.save(path ? basename(path) : `${d.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.json`);
        if (!chosen) return null;
        file = await grant(chosen);
      }
      await writeFileAtomic(file, serializeDesign(d));
      await remember(deps.recentFile, file, d.name);
      return { path: file };
    },
    async recentDesigns() {
      return readRecent(deps.recentFile);
    },
    async setDocumentState(s) {
      deps.onDocumentState?.(s);
      return { ok: true as const };
    },
    async startRun({ design, seed, durationNs, label }) {
      const d = requireValidDesign(design);
      if (runner.pending.length >= MAX_QUEUED_RUNS) throw new ApiError('bad-request', `${runner.pending.length} runs are queued or running already: wait for them, or cancel some`);
      const runNs = durationNs ?? d.run.durationNs;
      // A run that would fill the disk is refused before anything is recorded (the command line's check; no override
      // here: a shorter run, or `tock-studio run --no-space-check`).
      if (deps.dbPath !== ':memory:') {
        const space = checkRecordSpace(d, { durationNs: runNs, warmupNs: Math.min(d.run.warmupNs, runNs) }, deps.dbPath, deps.freeBytes);
        if (!space.fits) throw new ApiError('store', `${notEnoughSpace(space, deps.dbPath)}. Shorten the run or free some space.`);
      }
      const runId = runner.start({ design: d, seed: seed ?? d.run.seed, durationNs: runNs, warmupNs: d.run.warmupNs, ...(label ? { label } : {}) });
      return { runId };
    },
    async cancelRun({ runId }) {
      return { cancelled: runner.cancel(runId) };
    },
    async listRuns(q) {
      return storeCall(() => store.listRuns(q));
    },
    async getRun({ runId }) {
      return storeCall(() => store.getRun(runId));
    },
    async deleteRun({ runId }) {
      if (runner.pending.includes(runId)) throw new ApiError('bad-request', `run ${runId} is still queued or running; cancel it first`);
      return { deleted: storeCall(() => store.deleteRun(runId)) };
    },
    async listSeries({ runId }) {
      return storeCall(() => store.listSeries(runId));
    },
    async getSeries({ runId, key, buckets, fromNs, toNs }) {
      return storeCall(() => store.series(runId, key, buckets, { ...(fromNs !== undefined ? { fromNs } : {}), ...(toNs !== undefined ? { toNs } : {}) }));
    },
    async latencyHistogram({ runId, flow, bins, fromNs, toNs }) {
      return storeCall(() => store.latencyHistogram(runId, flow, bins, { ...(fromNs !== undefined ? { fromNs } : {}), ...(toNs !== undefined ? { toNs } : {}) }));
    },
    async latencyCdf({ runId, flow, points }) {
      return storeCall(() => store.latencyCdf(runId, flow, points));
    },
    async latencyOverTime({ runId, flow, buckets, fromNs, toNs }) {
      return storeCall(() => store.latencyOverTime(runId, flow, buckets, { ...(fromNs !== undefined ? { fromNs } : {}), ...(toNs !== undefined ? { toNs } : {}) }));
    },
    async trace({ runId, ...q }) {
      return storeCall(() => store.trace(runId, q));
    },
    async compareRuns({ runIds }) {
      return storeCall(() => store.compareRuns(runIds));
    },
    async designDiff({ a, b }) {
      return storeCall(() => store.designDiff(a, b));
    },
    async exportRun({ runId, format, rows }) {
      return storeCall(() => {
        if (format === 'json') return { fileName: `run-${runId}.json`, mime: 'application/json', text: `${JSON.stringify(store.exportJson(runId), null, 2)}\n` };
        return { fileName: `run-${runId}-${rows ?? 'messages'}.csv`, mime: 'text/csv', text: [...store.exportCsv(runId, rows ?? 'messages')].join('') };
      });
    },
  };
}
