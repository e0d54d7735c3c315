import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { buildExport, type ExportDeps, type ExportRequest } from '../../../src-renderer/editor/exporter';
import { fileNameFor } from '../../../src-renderer/editor/files';
import { createStudio } from '../../../src-renderer/editor/studio';
import { canvasDesignHash } from '../../../src-renderer/run/runStore';
import type { RunRecord } from '../../../src-shared/results/runStore';
import type { RunSummary } from '../../../src-shared/results/summary';
import { installFakeApi, record } from './fakeApi';
import { fakeFiles, twoKernels } from './helpers';

afterEach(cleanup);

function summary(seed: number, p99: number): RunSummary {
  return {
    runId: String(seed),
    design: 'Test design',
    designHash: 'h',
    seed,
    engineVersion: 'e',
    simTimeNs: 1e9,
    events: 10,
    wallMs: 1,
    flows: [{ id: 'p>m>c', name: 'producer → channel → consumer', source: 'p', target: 'c', mechanism: 'twoCopyChannel', sent: 10, delivered: 9, dropped: 1, overwritten: 0, timedOut: 0, failed: 0, truncated: 0, stale: 0, latencyNs: { mean: 50_000, p50: 48_000, p90: 60_000, p99: p99, max: 90_000 }, copiesPerMessage: 2, bytesCopied: 1152 }],
    mechanisms: [{ id: 'm', name: 'channel', kind: 'twoCopyChannel', copies: 18, bytesCopied: 1152, maxDepth: 2, drops: 1 }],
    processes: [{ id: 'p', name: 'producer', kernel: 'k0', mpuRegionsPeak: 3, mpuRegionsCapacity: 8, mpuMapFailures: 0, alignmentWasteBytes: 0, restarts: 0 }],
    kernels: [{ id: 'k0', name: 'k0', cpuUtilization: 0.12, contextSwitches: 40, syscalls: 80, upcallsDropped: 0 }],
  };
}

function deps(log: string[] = []): ExportDeps {
  const runs: Record<number, RunRecord> = {
    4: { id: 4, status: 'done', summary: summary(1, 70_000), label: null, createdAt: 0, settings: { durationNs: 1e9, warmupNs: 0 } } as unknown as RunRecord,
    5: { id: 5, status: 'done', summary: summary(2, 65_000), label: 'variant', createdAt: 0, settings: { durationNs: 1e9, warmupNs: 0 } } as unknown as RunRecord,
    6: { id: 6, status: 'failed', summary: null, label: null, createdAt: 0, settings: { durationNs: 1e9, warmupNs: 0 } } as unknown as RunRecord,
    // Recorded with a warm-up its design (the canvas's) does not have: the record says what the figures cover.
    7: { id: 7, status: 'done', summary: summary(3, 60_000), label: null, createdAt: 0, settings: { durationNs: 1e9, warmupNs: 400_000_000 } } as unknown as RunRecord,
  };
  return {
    getRun: (id) => {
      log.push(`getRun ${id}`);
      const r = runs[id];
      return r ? Promise.resolve(r) : Promise.reject(new Error(`no run ${id}`));
    },
    latencyCdf: (id, flow) => {
      log.push(`cdf ${id} ${flow}`);
      return Promise.resolve({ samples: 9, latencyNs: [40_000, 48_000, 90_000], fraction: [0.2, 0.5, 1] });
    },
    rasterise: (svg, w, h, scale) => {
      log.push(`rasterise ${w}x${h}@${scale} ${svg.includes('Results of run #4') ? 'with results' : 'plain'}`);
      return Promise.resolve(new Blob(['png'], { type: 'image/png' }));
    },
    now: () => new Date(0),
  };
}

const base = (over: Partial<ExportRequest>): ExportRequest => ({ format: 'svg', design: twoKernels(), runId: null, compareIds: [], theme: 'light', scale: 2, ...over });

describe('export builder', () => {
  it('says the figures start after the warm-up the run was recorded with, in every format that states its span', async () => {
    const d = deps();
    for (const format of ['svg', 'mermaid', 'html'] as const) {
      const text = await (await buildExport(base({ format, runId: 7 }), d)).blob.text();
      expect(text, format).toContain('counted from 400 ms (warm-up excluded)');
    }
    expect(await (await buildExport(base({ runId: 4 }), d)).blob.text()).not.toContain('warm-up');
  });

  it('names files after the design (and the run) and builds each format from the same exporters', async () => {
    const log: string[] = [];
    const d = deps(log);
    const svg = await buildExport(base({ runId: 4 }), d);
    expect(svg.fileName).toBe('test-design-run-4.svg');
    const text = await svg.blob.text();
    expect(text).toContain('Results of run #4');
    expect(text).toContain('p99 70 µs · 1 lost');
    expect(log).toEqual(['getRun 4']); // no CDFs for a picture

    const mmd = await buildExport(base({ format: 'mermaid' }), d);
    expect(mmd.fileName).toBe('test-design.mmd');
    expect(await mmd.blob.text()).toContain('flowchart LR');

    const json = await buildExport(base({ format: 'json', runId: 4 }), d);
    expect(json.fileName).toBe('test-design.json');
    expect(JSON.parse(await json.blob.text())).toMatchObject({ format: 'tock-ipc-studio/design', name: 'Test design' });

    log.length = 0;
    const png = await buildExport(base({ format: 'png', runId: 4, scale: 3 }), d);
    expect(png.fileName).toBe('test-design-run-4.png');
    expect(png.blob.type).toBe('image/png');
    expect(log[1]).toMatch(/^rasterise \d+x\d+@3 with results$/);
  });

  it('reads the CDFs of the main run and the compared runs for the HTML report', async () => {
    const log: string[] = [];
    const html = await buildExport(base({ format: 'html', runId: 4, compareIds: [4, 5] }), deps(log));
    expect(log).toEqual(['getRun 4', 'cdf 4 p>m>c', 'getRun 5', 'cdf 5 p>m>c']);
    const text = await html.blob.text();
    expect(text).toContain('Run <b>#4</b>');
    expect(text).toContain('<h2>Comparison</h2>');
    expect(text).toContain('#5 p99');
    expect(text).toContain('65 µs (-7.1 %)');
  });

  it('compares oldest first when a newer run is exported, and charts MPU, CPU, copies and depth', async () => {
    const text = await (await buildExport(base({ format: 'html', runId: 5, compareIds: [4] }), deps())).blob.text();
    expect(text).toContain('Run <b>#5</b> (variant)');
    expect(text).toContain('against run #4 (the baseline)');
    expect(text).toContain('65 µs (-7.1 %)'); // run 5 against run 4, not 4 against 5 (+7.7 %)
    expect(text).not.toContain('+7.7 %');
    expect(text).toContain('aria-label="MPU regions per process (peak / capacity)"');
    expect(text).toContain('>3 / 8</text>');
    expect(text).toContain('aria-label="CPU utilisation per kernel"');
    expect(text).toContain('>12 %</text>');
    expect(text).toContain('aria-label="Copies per mechanism (count · bytes)"');
    expect(text).toContain('>18 · 1.125 KiB</text>');
    expect(text).toContain('aria-label="Max queue depth per mechanism (red: it lost messages)"');
    expect(text).toContain('<b>#4 → #5</b>: the same design (h). Run settings: seed 1 → 2.');
  });

  it('says when the design was edited after the run whose results it draws', async () => {
    const svg = await (await buildExport(base({ runId: 4, note: 'the design was edited after this run' }), deps())).blob.text();
    expect(svg).toContain('Results of run #4 · seed 1 · 1 s simulated · engine e · the design was edited after this run');
    const html = await (await buildExport(base({ format: 'html', runId: 4, note: 'the design was edited after this run' }), deps())).blob.text();
    expect(html).toContain('Note: the design was edited after this run; results are drawn where ids match.');
    const mmd = await (await buildExport(base({ format: 'mermaid', runId: 4, note: 'the design was edited after this run' }), deps())).blob.text();
    expect(mmd.split('\n')[0]).toContain('· the design was edited after this run');
  });

  it('fails with a sentence when a run has no results', async () => {
    await expect(buildExport(base({ runId: 6 }), deps())).rejects.toThrow('run #6 has no results (failed)');
  });

  it('cuts long file names at a word', () => {
    expect(fileNameFor('Dual-core RP2040: inter-kernel channel, copy vs reference, a kernel fails')).toBe('dual-core-rp2040-inter-kernel-channel-copy-vs-reference-a.json');
    expect(fileNameFor('short name')).toBe('short-name.json');
    expect(fileNameFor('x'.repeat(80))).toBe(`${'x'.repeat(60)}.json`);
  });
});

describe('the Export dialog', () => {
  it('opens from Mod+E and from the File menu, previews the diagram, and closes on Escape', async () => {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    render(<App studio={studio} />);
    fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
    const dialog = await screen.findByTestId('export-dialog');
    expect(dialog.textContent).toContain('Export “Test design”');
    expect(dialog.textContent).toContain('Run this design (or show one of its runs) to include results');
    expect((dialog.querySelector('input[type=checkbox]') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('export-preview').getAttribute('src')).toMatch(/^blob:/);
    fireEvent.click(screen.getByText('PNG image'));
    expect(dialog.textContent).toMatch(/Scale1×2×3×[\d,]+ × [\d,]+ px/);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('export-dialog')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: /File/ }));
    fireEvent.click(screen.getByRole('menuitem', { name: /Export…/ }));
    expect(await screen.findByTestId('export-dialog')).toBeTruthy();
  });

  it('previews the span the run was recorded with, as the export states it, not the warm-up the design has now', async () => {
    // A run of the design on the canvas (same content), recorded with a warm-up the design no longer has.
    const api = installFakeApi();
    const design = twoKernels();
    design.run.warmupNs = 100_000_000;
    api.records.set(7, record(7, { designHash: canvasDesignHash(design), settings: { durationNs: 1e9, warmupNs: 400_000_000 } }));
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(design, null);
    const svgs: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = ((b: Blob) => {
      if (b.type === 'image/svg+xml') svgs.push(b);
      return original(b);
    }) as typeof URL.createObjectURL;
    try {
      render(<App studio={studio} />);
      await act(async () => studio.run.getState().show(7));
      await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(7));
      fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
      await screen.findByTestId('export-dialog');
      const preview = await svgs.at(-1)!.text();
      expect(preview).toContain('Results of run #7');
      expect(preview).toContain('counted from 400 ms (warm-up excluded)');
    } finally {
      URL.createObjectURL = original;
    }
    fireEvent.click(screen.getByText('Mermaid text'));
    const text = screen.getByTestId('export-preview-text').textContent!;
    expect(text).toContain('counted from 400 ms (warm-up excluded)');
    expect(text).not.toContain('100 ms');
  });
});

describe('the Export dialog’s comparison', () => {
  it('leaves out runs of another design unless ticked back in, and says why', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7));
    api.records.set(8, record(8));
    api.records.set(9, record(9, { designName: 'CAN bus' }));
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    render(<App studio={studio} />);
    await act(async () => studio.run.getState().show(7));
    await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(7));
    act(() => studio.run.getState().setCompare([8, 9]));
    fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
    await screen.findByTestId('export-dialog');
    fireEvent.click(screen.getByText('HTML report'));
    const list = await screen.findByTestId('export-compare');
    await waitFor(() => expect(list.textContent).toContain('a run of “CAN bus”, another design'));
    const boxes = [...list.querySelectorAll('input[type=checkbox]')] as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, false]);
    expect(list.textContent).toContain('Compares with run #8 (chosen in Compare)');
    fireEvent.click(boxes[1]!);
    expect(list.textContent).toContain('Compares with runs #8, #9');
  });

  it('passes the baseline made in Compare to the report, also when it is the run drawn on the canvas', async () => {
    const api = installFakeApi();
    api.records.set(7, record(7));
    api.records.set(8, record(8));
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    render(<App studio={studio} />);
    await act(async () => studio.run.getState().show(8));
    await waitFor(() => expect(studio.run.getState().overlay?.runId).toBe(8));
    act(() => {
      studio.run.getState().setCompare([7, 8]);
      studio.run.getState().makeBaseline(8);
    });
    fireEvent.keyDown(window, { key: 'e', ctrlKey: true });
    await screen.findByTestId('export-dialog');
    fireEvent.click(screen.getByText('HTML report'));
    const list = await screen.findByTestId('export-compare');
    await waitFor(() => expect(list.textContent).toContain('against #8, the baseline made there'));
    await waitFor(() => expect((screen.getByTestId('export-go') as HTMLButtonElement).disabled).toBe(false));
    let saved: Blob | null = null;
    const original = URL.createObjectURL;
    URL.createObjectURL = ((b: Blob) => {
      if (b.type.startsWith('text/html')) saved = b; // the download, not the preview's SVG
      return original(b);
    }) as typeof URL.createObjectURL;
    try {
      fireEvent.click(screen.getByTestId('export-go'));
      await waitFor(() => expect(saved).not.toBeNull());
    } finally {
      URL.createObjectURL = original;
    }
    const html = await (saved as unknown as Blob).text();
    expect(html).toContain('Against run #8 (made the baseline in Compare)');
  });
});
