import { formatFinding, type Design } from '../../src-shared/model';
import { designToMermaid } from '../../src-shared/export/mermaid';
import { designReportHtml, type ReportRun } from '../../src-shared/export/report';
import { designToSvg, svgSize, THEMES, type ThemeName } from '../../src-shared/export/svg';
import type { RunStore } from '../store';
import { designHash } from '../store/hash';
import { parseArgs } from './args';
import { CliError, outputTarget, readDesignFile, type CliIo } from './io';
import { svgToPng } from './png';
import { defaultDbPath, parseId, storeCall, withStore, writeFileAtomically, writeOut } from './runs';

export const EXPORT_USAGE = 'usage: tock-studio export <design.json> --format svg|png|html|mermaid [--out <file>] [--run <id>[,<id>…]] [--db <file>] [--theme light|dark] [--scale 1-4]';

const FORMATS = ['svg', 'png', 'html', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

/** CDF resolution of the report's latency chart (points per flow). */
const CDF_POINTS = 200;

/** The runs named by --run, read from the store (the first is overlaid; the others compared in HTML). */
function readRuns(store: RunStore, ids: readonly number[], design: Design, format: Format, io: CliIo): ReportRun[] {
  const hash = designHash(design);
  return ids.map((id) => {
    const run = storeCall(() => store.getRun(id));
    if (!run.summary) throw new CliError(`run ${id} has no results (it is ${run.status}${run.error ? `: ${run.error}` : ''})`);
    const note = run.designHash === hash ? undefined : `recorded from ${run.designName === design.name ? 'another version of this design' : `the design “${run.designName}”`}`;
    if (note) io.stderr.write(`note: run ${id} was ${note}; its results are drawn where ids match\n`);
    const warmupNs = run.settings.warmupNs;
    const out: ReportRun = { runId: id, summary: run.summary, label: run.label, createdAt: new Date(run.createdAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC', ...(note ? { note } : {}), ...(typeof warmupNs === 'number' ? { warmupNs } : {}) };
    if (format === 'html') {
      // Every run's latency CDFs (overlaid in the comparison) and the design it was recorded from (what changed).
      out.design = storeCall(() => store.getDesign(id));
      const cdfs: Record<string, { latencyNs: number[]; fraction: number[] }> = {};
      for (const f of run.summary.flows) {
        if (f.delivered === 0) continue;
        const c = storeCall(() => store.latencyCdf(id, f.id, CDF_POINTS));
        if (c.samples > 0) cdfs[f.id] = { latencyNs: c.latencyNs, fraction: c.fraction };
      }
      out.cdfs = cdfs;
    }
    return out;
  });
}

/**
 * `tock-studio export <design.json> --format svg|png|html|mermaid [--out <file>] [--run <id>]`: the diagram for a
 * review, with a recorded run's results drawn on it (and, in HTML, its tables, latency chart and a comparison
 * with further runs). Text formats go to stdout without --out; files are written atomically.
 */
export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const a = parseArgs(args, ['format', 'out', 'run', 'db', 'theme', 'scale', 'baseline'], []);
  if (a.positionals.length !== 1) throw new CliError(EXPORT_USAGE, 2);
  const format = a.flags.format;
  if (!FORMATS.includes(format as Format)) throw new CliError(`--format ${format === undefined ? '(missing)' : String(format)}: one of ${FORMATS.join(', ')}`, 2);
  const fmt = format as Format;
  const theme = a.flags.theme === undefined ? 'light' : String(a.flags.theme);
  if (!(theme in THEMES)) throw new CliError(`--theme ${theme}: light or dark`, 2);
  const scale = a.flags.scale === undefined ? 2 : Number(a.flags.scale);
  if (!(Number.isInteger(scale) && scale >= 1 && scale <= 4)) throw new CliError(`--scale ${String(a.flags.scale)}: a whole number from 1 to 4 (device pixels per px, PNG only)`, 2);
  const out = typeof a.flags.out === 'string' && a.flags.out !== '-' ? a.flags.out : undefined;
  if (fmt === 'png' && !out) throw new CliError('--format png needs --out <file.png> (binary output does not go to a terminal)', 2);
  const ids = typeof a.flags.run === 'string' ? a.flags.run.split(',').map((s) => parseId(s.trim())) : [];
  if (ids.length > 1 && fmt !== 'html') throw new CliError(`--run ${String(a.flags.run)}: ${fmt} shows one run; only html compares several`, 2);
  const baseline = a.flags.baseline === undefined ? null : parseId(String(a.flags.baseline));
  if (baseline !== null && !(ids.length > 1 && ids.includes(baseline))) throw new CliError(`--baseline ${String(a.flags.baseline)}: one of the runs compared (--run with two or more ids, html)`, 2);

  const file = a.positionals[0]!;
  const db = typeof a.flags.db === 'string' ? a.flags.db : defaultDbPath();
  const target = out === undefined ? undefined : outputTarget(out, [{ file, what: 'the design file being exported' }, { file: db, what: 'the run database' }]);
  const loaded = await readDesignFile(file);
  if (!loaded.ok) {
    for (const f of loaded.findings.filter((x) => x.severity === 'error')) io.stderr.write(`${file}: ${formatFinding(f)}\n`);
    throw new CliError(`${file}: invalid design, nothing exported`);
  }
  const design = loaded.design;
  const runs = ids.length > 0 ? await withStore(a, `no run ${ids[0]}`, (store) => Promise.resolve(readRuns(store, ids, design, fmt, io))) : [];
  const run = runs[0] ? { runId: runs[0].runId, summary: runs[0].summary, ...(runs[0].note ? { note: runs[0].note } : {}), ...(runs[0].warmupNs !== undefined ? { warmupNs: runs[0].warmupNs } : {}) } : undefined;
  const themeName = theme as ThemeName;

  let text: string;
  switch (fmt) {
    case 'mermaid':
      text = designToMermaid(design, run ? { run } : {});
      break;
    case 'html':
      text = designReportHtml({ design, runs, baselineRunId: baseline, generated: `Exported by tock-studio export on ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC from ${file}` });
      break;
    default:
      text = designToSvg(design, { ...(run ? { run } : {}), theme: themeName });
  }
  if (fmt === 'png') {
    const { width, height } = svgSize(text);
    const bytes = await svgToPng(text, width, height, scale, target!);
    io.stderr.write(`${file}: wrote ${bytes.toLocaleString('en-US')} bytes of PNG (${width * scale} × ${height * scale} px) to ${out}\n`);
    return 0;
  }
  if (target) {
    const bytes = await writeFileAtomically(target, [text]);
    io.stderr.write(`${file}: wrote ${bytes.toLocaleString('en-US')} bytes of ${fmt === 'mermaid' ? 'Mermaid' : fmt.toUpperCase()}${run ? ` with the results of run ${run.runId}` : ''} to ${out}\n`);
  } else await writeOut(io, text);
  return 0;
}
