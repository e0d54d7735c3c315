import { useEffect, useMemo, useRef, useState } from 'react';
import { designToMermaid, designToSvg, svgSize, type ThemeName } from '../../../src-shared/export';
import type { Design } from '../../../src-shared/model/design';
import { call } from '../../api';
import { Segmented } from '../../results/parts';
import { cachedCall, useQuery } from '../../results/useQuery';
import { useEditor, useRun, useStudio, useUi } from '../context';
import { buildExport, drawnRun, EXPORT_FORMATS, rasteriseInBrowser, type ExportFormat } from '../exporter';
import { downloadBlob } from '../files';
import { Modal } from './Modal';
import { useRunOnCanvas } from '../../run/hooks';

const FORMAT_KEY = 'tock-studio.export-format';
const NOTE_EDITED = 'the design was edited after this run';

function lastFormat(): ExportFormat {
  try {
    const f = globalThis.localStorage?.getItem(FORMAT_KEY);
    return EXPORT_FORMATS.some((x) => x.id === f) ? (f as ExportFormat) : 'svg';
  } catch {
    return 'svg';
  }
}

/**
 * File ▸ Export… (Mod+E): the design on the canvas as SVG, PNG, an HTML report, Mermaid or the design file, with
 * the results of the run shown on the canvas drawn in (when there is one), previewed before it is saved.
 */
export function ExportDialog() {
  const studio = useStudio();
  const design = useEditor((s) => s.design);
  const uiTheme = useUi((s) => s.theme);
  const overlayRun = useRun((s) => s.overlay?.runId ?? null);
  const shown = useRun((s) => s.shown);
  const compareIds = useRun((s) => s.compareIds);
  const compareBaseline = useRun((s) => s.compareBaseline);
  // Edited after the run, or a run of another version of the design (the CLI's, an earlier session's): the results
  // drawn are the run's, and the export says so.
  const onCanvas = useRunOnCanvas(false);
  const editedSince = onCanvas?.versus === 'edited';
  const [format, setFormat] = useState<ExportFormat>(lastFormat);
  const [withResults, setWithResults] = useState(overlayRun !== null);
  const [theme, setTheme] = useState<ThemeName>(uiTheme);
  const [scale, setScale] = useState<'1' | '2' | '3'>('2');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  const runId = withResults ? overlayRun : null;
  const runRecord = runId === null ? null : onCanvas?.record.id === runId ? onCanvas.record : shown?.runId === runId ? shown.record : null;
  const picked = compareIds.filter((id) => id !== runId);
  // The design each compared run was recorded from: a run of another design is left out unless ticked back in (its
  // flows would be matched by id against this design's, a comparison nobody asked for).
  const designsOf = useQuery(format === 'html' && runId !== null && picked.length > 0 ? `export-designs:${[runId, ...picked].join(',')}` : null, async () => {
    const recs = await Promise.all([runId!, ...picked].map((id) => cachedCall('getRun', { runId: id }, true)));
    return new Map(recs.map((r) => [r.id, r.designName]));
  });
  const mainDesign = runId !== null ? designsOf.data?.get(runId) : undefined;
  const [toggled, setToggled] = useState<ReadonlySet<number>>(new Set());
  const otherDesign = (id: number): boolean => mainDesign !== undefined && designsOf.data?.get(id) !== undefined && designsOf.data.get(id) !== mainDesign;
  const included = (id: number): boolean => otherDesign(id) === toggled.has(id);
  const others = picked.filter(included);
  // Until the compared runs' designs are known, an HTML export would not know which to leave out: it waits.
  const waiting = format === 'html' && runId !== null && picked.length > 0 && designsOf.data === undefined && !designsOf.error;
  const note = runId !== null && editedSince ? NOTE_EDITED : undefined;
  // The run's results as the export draws them, with the warm-up the run was recorded with.
  const drawn = useMemo(() => (runId !== null && runRecord ? drawnRun(runId, runRecord, note) : undefined), [runId, runRecord, note]);
  const previewSvg = useMemo(() => designToSvg(design, { ...(drawn ? { run: drawn } : {}), theme: format === 'svg' || format === 'png' ? theme : 'light' }), [design, drawn, theme, format]);
  const previewUrl = useMemo(() => URL.createObjectURL(new Blob([previewSvg], { type: 'image/svg+xml' })), [previewSvg]);
  useEffect(() => () => URL.revokeObjectURL(previewUrl), [previewUrl]);
  const size = svgSize(previewSvg);
  const mermaidText = useMemo(() => (format === 'mermaid' ? designToMermaid(design, drawn ? { run: drawn } : {}) : ''), [format, design, drawn]);

  const close = (): void => studio.ui.getState().setDialog(null);
  const doExport = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const out = await buildExport(
        { format, design, runId, compareIds: format === 'html' ? others : [], baselineRunId: compareBaseline !== null && (compareBaseline === runId || others.includes(compareBaseline)) ? compareBaseline : null, theme, scale: Number(scale), ...(runId !== null && editedSince ? { note: NOTE_EDITED } : {}) },
        {
          getRun: (id) => call('getRun', { runId: id }),
          latencyCdf: (id, flow) => call('latencyCdf', { runId: id, flow, points: 200 }),
          runDesign: async (id) => (JSON.parse((await call('exportRun', { runId: id, format: 'json' })).text) as { design: Design }).design,
          rasterise: rasteriseInBrowser,
          now: () => new Date(),
        },
      );
      try {
        globalThis.localStorage?.setItem(FORMAT_KEY, format);
      } catch {
        // not remembered
      }
      downloadBlob(out.blob, out.fileName);
      close();
      studio.ui.getState().toast(`Exported ${out.fileName} (${Math.max(1, Math.round(out.blob.size / 1024)).toLocaleString('en-US')} KiB)`, { tone: 'success' });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const def = EXPORT_FORMATS.find((f) => f.id === format)!;
  const picture = format === 'svg' || format === 'png';
  return (
    <Modal titleId="export-title" className="export-dialog" testId="export-dialog" onClose={close} onSubmit={busy || waiting ? undefined : () => void doExport()} initialFocus={first}>
      <h2 id="export-title">Export “{design.name}”</h2>
      <div className="export-body">
        <div className="export-options">
          <fieldset className="export-formats">
            <legend>Format</legend>
            {EXPORT_FORMATS.map((f) => (
              <label key={f.id} className={`export-format${format === f.id ? ' active' : ''}`}>
                <input type="radio" name="export-format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
                <span>
                  <b>{f.label}</b>
                  <small className="muted">{f.note}</small>
                </span>
              </label>
            ))}
          </fieldset>
          {format !== 'json' && (
            <label className="export-check">
              <input type="checkbox" checked={withResults && overlayRun !== null} disabled={overlayRun === null} onChange={(e) => setWithResults(e.target.checked)} />
              <span>
                {overlayRun !== null ? `Draw the results of run #${overlayRun}` : 'Draw results'}
                <small className="muted">{overlayRun !== null ? `p99 and losses on connections, MPU, depth and CPU badges${editedSince ? '. The design was edited after this run: the export says so.' : ''}` : 'Run this design (or show one of its runs) to include results'}</small>
              </span>
            </label>
          )}
          {format === 'html' && runId !== null && (
            <div className="export-compare" data-testid="export-compare">
              {picked.length === 0 ? (
                <p className="muted export-note">Tick runs in History or Compare to add a comparison.</p>
              ) : (
                <>
                  <p className="muted export-note">
                    {others.length > 0
                      ? `Compares with run${others.length === 1 ? '' : 's'} ${others.map((id) => `#${id}`).join(', ')} (chosen in Compare), against ${compareBaseline !== null && (compareBaseline === runId || others.includes(compareBaseline)) ? `#${compareBaseline}, the baseline made there` : 'the oldest run'}.`
                      : 'No comparison: tick a run below to add it.'}
                  </p>
                  <ul className="export-runs">
                    {picked.map((id) => (
                      <li key={id}>
                        <label>
                          <input type="checkbox" checked={included(id)} onChange={() => setToggled((t) => { const n = new Set(t); if (n.has(id)) n.delete(id); else n.add(id); return n; })} />
                          <span>
                            #{id}
                            {otherDesign(id) && <small className="warn-text"> — a run of “{designsOf.data!.get(id)}”, another design: its flows are matched by id</small>}
                          </span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
          {picture && (
            <div className="export-row">
              <span className="muted">Theme</span>
              <Segmented label="Theme" value={theme} options={[{ value: 'light', label: 'Light' }, { value: 'dark', label: 'Dark' }]} onChange={setTheme} />
            </div>
          )}
          {format === 'png' && (
            <div className="export-row">
              <span className="muted">Scale</span>
              <Segmented label="Scale" value={scale} options={[{ value: '1', label: '1×' }, { value: '2', label: '2×' }, { value: '3', label: '3×' }]} onChange={setScale} />
              <span className="muted">
                {(size.width * Number(scale)).toLocaleString('en-US')} × {(size.height * Number(scale)).toLocaleString('en-US')} px
              </span>
            </div>
          )}
        </div>
        <figure className="export-preview" aria-label="Preview">
          {format === 'mermaid' ? (
            <pre className="export-text" data-testid="export-preview-text">
              {mermaidText}
            </pre>
          ) : (
            <img src={previewUrl} alt={`Diagram of ${design.name}`} data-testid="export-preview" />
          )}
          <figcaption className="muted">{format === 'json' ? 'The design file holds this diagram and every parameter.' : format === 'html' ? 'The report opens with this diagram, then the tables and charts.' : format === 'mermaid' ? 'The text; Mermaid lays the diagram out itself.' : format === 'svg' ? `${size.width.toLocaleString('en-US')} × ${size.height.toLocaleString('en-US')} px` : ''}</figcaption>
        </figure>
      </div>
      {error && (
        <p className="export-error" role="alert">
          Could not export: {error}
        </p>
      )}
      <div className="btn-row end">
        <button className="btn" onClick={close}>
          Cancel
        </button>
        <button ref={first} className="btn primary" onClick={() => void doExport()} disabled={busy || waiting} title={waiting ? 'Reading the compared runs…' : undefined} data-testid="export-go">
          {busy ? 'Exporting…' : `Export ${def.label.replace(/ (image|text|file)$/, '')}`}
        </button>
      </div>
    </Modal>
  );
}
