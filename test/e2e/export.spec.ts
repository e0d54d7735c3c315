// Export for a design review: a template is run, then File ▸ Export… (Ctrl+E) saves the diagram with the run's
// results as SVG and PNG (drawn in the page), the HTML report with its latency chart, Mermaid and the design
// file. Each download is read back and checked.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

/** Opens the dialog, picks `label`, exports, and returns the saved file's name and path. */
async function exportAs(page: Page, label: string, dir: string): Promise<{ name: string; path: string }> {
  await page.keyboard.press('Control+e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByText(label, { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('export-go').click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  await expect(dialog).toBeHidden();
  return { name: download.suggestedFilename(), path };
}

test('export the diagram with results as SVG, PNG, an HTML report, Mermaid and the design file', async ({ page }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(studioUrl());
  await page.click('[data-template="dual-core-rp2040"]');
  await expect(page.locator('.react-flow__node[data-id="copy"]')).toBeVisible();

  // Before any run: no results to draw, and the dialog says how to get them.
  await page.keyboard.press('Control+e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('checkbox')).toBeDisabled();
  await expect(dialog).toContainText('Run this design (or show one of its runs) to include results');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: '▶ Run', exact: true }).click();
  await expect(page.getByTestId('summary-view')).toBeVisible({ timeout: 30_000 });
  const runId = Number((await page.getByTestId('shown-run').locator('.mono').textContent())!.slice(1));

  await page.keyboard.press('Control+e');
  await expect(dialog.getByRole('checkbox')).toBeChecked();
  await expect(dialog).toContainText(`Draw the results of run #${runId}`);
  await expect(page.getByTestId('export-preview')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/export-01-dialog.png` });
  await page.keyboard.press('Escape');

  const dir = info.outputPath('exports');
  mkdirSync(dir, { recursive: true });

  const svg = await exportAs(page, 'SVG image', dir);
  expect(svg.name).toBe(`dual-core-rp2040-inter-kernel-channel-copy-vs-reference-a-run-${runId}.svg`);
  const svgText = readFileSync(svg.path, 'utf8');
  expect(svgText).toContain(`Results of run #${runId}`);
  expect(svgText).toContain('ikc by copy');
  expect(svgText).toMatch(/p99 [\d.]+ [µm]?s/);

  const png = await exportAs(page, 'PNG image', dir);
  const bytes = readFileSync(png.path);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const [, w] = /width="(\d+)"/.exec(svgText)!;
  expect(bytes.readUInt32BE(16)).toBe(Number(w) * 2); // 2× by default

  const html = readFileSync((await exportAs(page, 'HTML report', dir)).path, 'utf8');
  expect(html).toContain(`Run <b>#${runId}</b>`);
  expect(html).toContain('<h2>Latency distribution</h2>');
  expect(html).toMatch(/<path d="M[\d.]+,[\d.]+ V/);
  expect(html).not.toContain('<script');

  const mmd = readFileSync((await exportAs(page, 'Mermaid text', dir)).path, 'utf8');
  expect(mmd).toContain('flowchart LR');
  expect(mmd).toMatch(/-->\|"p99 /);

  const json = JSON.parse(readFileSync((await exportAs(page, 'Design file', dir)).path, 'utf8')) as { format: string; nodes: unknown[] };
  expect(json.format).toBe('tock-ipc-studio/design');
  expect(json.nodes.length).toBeGreaterThan(5);

  await expect(page.locator('.toast').last()).toContainText('Exported');
  expect(errors).toEqual([]);
});
