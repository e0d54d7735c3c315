/**
 * The Export dialog's work, apart from the dialog: builds the file for a format from the design on the canvas and
 * the runs chosen (read through the API, as the results dock reads them), with the same pure exporters as
 * `tock-studio export`. PNG is the SVG drawn on a canvas at a chosen scale.
 */
import { designReportHtml, designToMermaid, designToSvg, svgSize, type ReportRun, type SvgOptions, type ThemeName } from '../../src-shared/export';
import { serializeDesign, type Design } from '../../src-shared/model';
import type { RunRecord } from '../../src-shared/results/runStore';
import { fileNameFor } from './files';

export type ExportFormat = 'svg' | 'png' | 'html' | 'mermaid' | 'json';

/** The formats, as the dialog lists them. */
export const EXPORT_FORMATS: readonly { id: ExportFormat; label: string; note: string; ext: string; mime: string }[] = [
  { id: 'svg', label: 'SVG image', note: 'Vector, real text: for slides and documents', ext: 'svg', mime: 'image/svg+xml' },
  { id: 'png', label: 'PNG image', note: 'Pixels, at 1–3× the diagram’s size', ext: 'png', mime: 'image/png' },
  { id: 'html', label: 'HTML report', note: 'One self-contained file: diagram, tables, latency chart, comparison, design', ext: 'html', mime: 'text/html' },
  { id: 'mermaid', label: 'Mermaid text', note: 'A flowchart for wikis, issues and Markdown', ext: 'mmd', mime: 'text/plain' },
  { id: 'json', label: 'Design file', note: 'The design itself (.json), as Save writes it', ext: 'json', mime: 'application/json' },
];

/** What to export. */
export interface ExportRequest {
  format: ExportFormat;
  design: Design;
  /** The run whose results are drawn (null: the design only). */
  runId: number | null;
  /** Further runs the HTML report compares against `runId`. */
  compareIds: readonly number[];
  /** The run made the baseline by hand in Compare (null: the oldest is). */
  baselineRunId?: number | null;
  /** Said with the results when the run is not exactly the design on the canvas (edited since). */
  note?: string;
  theme: ThemeName;
  /** Device pixels per diagram pixel (PNG). */
  scale: number;
}

/** What the exporter needs from outside: the API, and a rasteriser (a canvas in the app; a fake in tests). */
export interface ExportDeps {
  getRun(runId: number): Promise<RunRecord>;
  latencyCdf(runId: number, flow: string): Promise<{ samples: number; latencyNs: number[]; fraction: number[] }>;
  /** The design a run was recorded from (the report's "what changed"); absent: the report says only whether they differ. */
  runDesign?(runId: number): Promise<Design>;
  rasterise(svg: string, width: number, height: number, scale: number): Promise<Blob>;
  /** The time of the export, for the report's footer. */
  now(): Date;
}

/** A built export, ready to save. */
export interface ExportedBlob {
  fileName: string;
  blob: Blob;
}

function stem(design: Design): string {
  return fileNameFor(design.name).replace(/\.json$/, '');
}

/** The results a picture or the Mermaid text draws of a run. */
export type DrawnRun = NonNullable<SvgOptions['run']>;

/**
 * The results of run `runId` as an export draws them, from its record: the summary, the note, and the warm-up the
 * run was recorded with (so "counted from …" says what the figures cover, whatever the design's warm-up is now).
 * The export and the dialog's preview both take them from here. Undefined when the run has no results.
 */
export function drawnRun(runId: number, rec: Pick<RunRecord, 'summary' | 'settings'>, note?: string): DrawnRun | undefined {
  if (!rec.summary) return undefined;
  const warmupNs = rec.settings.warmupNs;
  return { runId, summary: rec.summary, ...(note ? { note } : {}), ...(typeof warmupNs === 'number' ? { warmupNs } : {}) };
}

async function readRun(deps: ExportDeps, runId: number, withCdfs: boolean): Promise<ReportRun> {
  const rec = await deps.getRun(runId);
  const drawn = drawnRun(runId, rec);
  if (!drawn) throw new Error(`run #${runId} has no results (${rec.status})`);
  const run: ReportRun = { ...drawn, label: rec.label, createdAt: new Date(rec.createdAt).toLocaleString() };
  if (withCdfs) {
    const cdfs: Record<string, { latencyNs: number[]; fraction: number[] }> = {};
    for (const f of drawn.summary.flows) {
      if (f.delivered === 0) continue;
      const c = await deps.latencyCdf(runId, f.id);
      if (c.samples > 0) cdfs[f.id] = { latencyNs: c.latencyNs, fraction: c.fraction };
    }
    run.cdfs = cdfs;
    if (deps.runDesign) run.design = await deps.runDesign(runId);
  }
  return run;
}

/** Builds the export file. Throws with a sentence when a run cannot be read. */
export async function buildExport(req: ExportRequest, deps: ExportDeps): Promise<ExportedBlob> {
  const def = EXPORT_FORMATS.find((f) => f.id === req.format)!;
  const suffix = req.runId !== null && req.format !== 'json' ? `-run-${req.runId}` : '';
  const fileName = `${stem(req.design)}${suffix}.${def.ext}`;
  if (req.format === 'json') return { fileName, blob: new Blob([serializeDesign(req.design)], { type: def.mime }) };
  const read = req.runId !== null ? await readRun(deps, req.runId, req.format === 'html') : null;
  const main = read && req.note ? { ...read, note: req.note } : read;
  const run = main ? { runId: main.runId, summary: main.summary, ...(main.note ? { note: main.note } : {}), ...(main.warmupNs !== undefined ? { warmupNs: main.warmupNs } : {}) } : undefined;
  switch (req.format) {
    case 'mermaid':
      return { fileName, blob: new Blob([designToMermaid(req.design, run ? { run } : {})], { type: def.mime }) };
    case 'html': {
      const others = main ? await Promise.all(req.compareIds.filter((id) => id !== main.runId).map((id) => readRun(deps, id, true))) : [];
      const html = designReportHtml({ design: req.design, runs: main ? [main, ...others] : [], baselineRunId: req.baselineRunId ?? null, generated: `Exported from Tock IPC Studio on ${deps.now().toLocaleString()}` });
      return { fileName, blob: new Blob([html], { type: def.mime }) };
    }
    default: {
      const svg = designToSvg(req.design, { ...(run ? { run } : {}), theme: req.theme });
      if (req.format === 'svg') return { fileName, blob: new Blob([svg], { type: def.mime }) };
      const { width, height } = svgSize(svg);
      return { fileName, blob: await deps.rasterise(svg, width, height, req.scale) };
    }
  }
}

/** Draws an SVG document on a canvas at `scale` and encodes it as PNG (the studio's window does the drawing). */
export function rasteriseInBrowser(svg: string, width: number, height: number, scale: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('this window cannot draw on a canvas');
        ctx.scale(scale, scale);
        ctx.drawImage(img, 0, 0, width, height);
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(`the image (${canvas.width} × ${canvas.height} px) is too large to encode; try a smaller scale`))), 'image/png');
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      } finally {
        URL.revokeObjectURL(url);
      }
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the diagram could not be drawn as an image'));
    };
    img.src = url;
  });
}
