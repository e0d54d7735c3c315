// The canvas's level of detail and drags of a kernel, in Chromium against `tock-studio serve` (see
// src-renderer/editor/lod.ts): zoomed out, cards are boxes with their names, kernels keep a legible title and the
// edges are the edge layer's few paths (React Flow draws none, and the cards' ports are plain elements); zoomed in,
// full cards, React Flow's edges and ports again. A dragged kernel carries its cards and their edges in its own
// element for the drag and hands them back to React Flow at the drop, which is one undo step. Screenshots in light
// and dark.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SHOTS } from './env';

const KERNELS = 4;
const PRODUCERS = 6;
const MECHS = 3;
const CONSUMERS = 6;
/** Edges per kernel: two out of each producer, two into each consumer. */
const EDGES_PER_KERNEL = 2 * PRODUCERS + 2 * CONSUMERS;
const CARDS_PER_KERNEL = MECHS + PRODUCERS + CONSUMERS;

/** Four kernels of producers → mechanisms → consumers, two by two (the layout of scripts/bench-editor.ts, smaller). */
function design(): unknown {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  const edge = (source: string, target: string): void => void edges.push({ id: `e${edges.length}`, source, sourceHandle: 'out', target, targetHandle: 'in', params: {} });
  for (let k = 0; k < KERNELS; k++) {
    const kid = `k${k}`;
    nodes.push({ id: kid, kind: 'kernel', name: `Kernel ${k + 1}`, position: { x: (k % 2) * 1050, y: Math.floor(k / 2) * 760 }, size: { width: 990, height: 700 }, params: {} });
    for (let m = 0; m < MECHS; m++) nodes.push({ id: `${kid}-m${m}`, kind: 'twoCopyChannel', name: `mechanism ${k + 1}.${m + 1}`, parent: kid, position: { x: 410, y: 106 + m * 200 }, params: {} });
    for (let p = 0; p < PRODUCERS; p++) {
      const id = `${kid}-p${p}`;
      nodes.push({ id, kind: 'process', name: `producer ${k + 1}.${p + 1}`, parent: kid, position: { x: 30 + (p % 2) * 190, y: 56 + Math.floor(p / 2) * 200 }, params: { workload: 'periodic', periodNs: 10_000_000, payloadBytes: 64 } });
      edge(id, `${kid}-m${p % MECHS}`);
      edge(id, `${kid}-m${(p + 1) % MECHS}`);
    }
    for (let c = 0; c < CONSUMERS; c++) {
      const id = `${kid}-c${c}`;
      nodes.push({ id, kind: 'process', name: `consumer ${k + 1}.${c + 1}`, parent: kid, position: { x: 600 + (c % 2) * 190, y: 56 + Math.floor(c / 2) * 200 }, params: { workload: 'none' } });
      edge(`${kid}-m${c % MECHS}`, id);
      edge(`${kid}-m${(c + 2) % MECHS}`, id);
    }
  }
  return { format: 'tock-ipc-studio/design', version: 1, name: 'Level of detail', nodes, edges, run: { durationNs: 10_000_000, seed: 1, warmupNs: 0 } };
}

async function zoom(page: Page): Promise<number> {
  const t = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  return Number(/scale\(([\d.]+)\)/.exec(t)?.[1]);
}

/** Edges drawn by the edge layer's fixed paths (one `M` per edge). */
async function layerEdges(page: Page, selector = '[data-testid="edge-layer-fixed"] path'): Promise<number> {
  return page.locator(selector).evaluateAll((paths) => paths.reduce((n, p) => n + (p.getAttribute('d') ?? '').split('M').length - 1, 0));
}

async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const b = (await page.locator(selector).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

test('zoomed out: boxes, titles and one edge layer; zoomed in: full cards; a dragged kernel carries its cards and edges', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(process.env.STUDIO_URL!);
  await page.click('[data-template="blank"]');
  const file = join(tmpdir(), `lod-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(design()));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Control+o')]);
  await chooser.setFiles(file);
  const nodes = KERNELS * (1 + MECHS + PRODUCERS + CONSUMERS);
  const edges = KERNELS * EDGES_PER_KERNEL;
  await expect(page.locator('.react-flow__node')).not.toHaveCount(0);

  // Zoomed out until the level of detail.
  const canvas = page.locator('.canvas');
  for (let i = 0; i < 20 && !((await canvas.getAttribute('class')) ?? '').includes(' lod'); i++) {
    await page.locator('.react-flow__controls-zoomout').click();
    await page.waitForTimeout(100);
  }
  await expect(canvas).toHaveClass(/\blod\b/);
  expect(await zoom(page)).toBeLessThan(0.4);
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await expect.poll(() => layerEdges(page)).toBe(edges);
  // Ports are still there for React Flow to measure, but not React Flow's handles (nothing to connect from).
  await expect(page.locator('.react-flow__node .react-flow__handle.source')).not.toHaveCount(0);
  await expect(page.locator('.react-flow__node .react-flow__handle.connectable')).toHaveCount(0);
  // A card is a box with its name (generated content); a kernel has its title above it.
  const card = page.locator('.react-flow__node[data-id="k0-p0"] .snode');
  expect(await card.evaluate((el) => getComputedStyle(el, '::after').content)).toContain('producer 1.1');
  expect(await card.locator('.snode-name').evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
  await expect(page.locator('.kernel-title')).toHaveCount(KERNELS);
  await expect(page.getByTestId('kernel-title-k0')).toHaveText('Kernel 1');
  await page.screenshot({ path: `${SHOTS}/lod-01-zoomed-out.png` });
  await page.keyboard.press('Control+Shift+D');
  await page.screenshot({ path: `${SHOTS}/lod-02-zoomed-out-dark.png` });
  await page.keyboard.press('Control+Shift+D');

  // Dragging a kernel zoomed out: its cards and edges move in its own element (React Flow hides its cards for the
  // drag), the other edges stay in the layer; one undo step.
  const k0 = page.locator('.react-flow__node[data-id="k0"]');
  const at = (): Promise<string> => k0.evaluate((el: HTMLElement) => el.style.transform);
  const placed = await at();
  let a = await centre(page, '.react-flow__node[data-id="k0"] .kernel-head');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 20, a.y + 10, { steps: 4 });
  await page.mouse.move(a.x + 40, a.y + 20, { steps: 4 });
  await expect.poll(() => layerEdges(page, '.react-flow__node[data-id="k0"] .moving-edges path')).toBe(EDGES_PER_KERNEL);
  await expect.poll(() => layerEdges(page)).toBe(edges - EDGES_PER_KERNEL);
  await expect(page.locator('.react-flow__node[data-id="k0"] .carried-node')).toHaveCount(CARDS_PER_KERNEL);
  await expect(page.locator('.react-flow__node[data-id="k0-p0"]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/lod-02b-kernel-drag-zoomed-out.png` });
  await page.mouse.up();
  await expect(page.locator('.moving-edges, .carried-node')).toHaveCount(0);
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
  await expect.poll(() => layerEdges(page)).toBe(edges);
  expect(await at()).not.toBe(placed);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect.poll(at).toBe(placed);

  // Zoomed in over the first kernel: full cards, React Flow's edges and handles, no titles or edge layer.
  a = await centre(page, '.react-flow__node[data-id="k0"] .kernel-head');
  await page.mouse.move(a.x, a.y);
  for (let i = 0; i < 40 && (await zoom(page)) < 0.9; i++) {
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(40);
  }
  await expect(canvas).not.toHaveClass(/\blod\b/);
  await expect(page.locator('.react-flow__edge')).not.toHaveCount(0);
  await expect(page.locator('.react-flow__node .react-flow__handle.connectable')).not.toHaveCount(0);
  await expect(page.locator('.kernel-title')).toHaveCount(0);
  await expect(page.locator('[data-testid^="edge-layer"]')).toHaveCount(0);
  expect(await page.locator('.react-flow__node-studio .snode-name').first().evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
  await page.screenshot({ path: `${SHOTS}/lod-03-zoomed-in.png` });

  // Dragging the kernel zoomed in: React Flow hands its cards and edges to the kernel's element for the drag, and
  // takes them back at the drop.
  const ownEdges = `.react-flow__edge:is(${Array.from({ length: EDGES_PER_KERNEL }, (_, i) => `[data-id="e${i}"]`).join(',')})`;
  const before = await page.locator(ownEdges).count();
  expect(before).toBeGreaterThan(0);
  const placed2 = await at();
  a = await centre(page, '.react-flow__node[data-id="k0"] .kernel-head');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 30, a.y + 10, { steps: 4 });
  await page.mouse.move(a.x + 60, a.y + 20, { steps: 4 });
  await expect(page.locator('.react-flow__node[data-id="k0"] .moving-edges .studio-edge')).toHaveCount(EDGES_PER_KERNEL);
  await expect(page.locator('.react-flow__node[data-id="k0"] .carried-node .snode')).toHaveCount(CARDS_PER_KERNEL);
  await expect(page.locator(ownEdges)).toHaveCount(0);
  await expect(page.locator('.react-flow__node-studio[data-id^="k0-"]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/lod-04-kernel-drag.png` });
  await page.mouse.up();
  await expect(page.locator('.moving-edges, .carried-node')).toHaveCount(0);
  await expect(page.locator('.react-flow__node-studio[data-id^="k0-"]')).not.toHaveCount(0);
  await expect(page.locator(ownEdges)).not.toHaveCount(0);
  expect(await at()).not.toBe(placed2);
  await page.keyboard.press('Control+z');
  await expect.poll(at).toBe(placed2);
  expect(errors).toEqual([]);
});
