// The editor journey in Chromium against `tock-studio serve`: drag a kernel, two processes and a two-copy
// channel from the palette, connect them (an illegal connection is refused with its reason), set a parameter,
// undo and redo (a card dragged on the canvas is one step; one dropped outside its kernel is refused), pan with
// the minimap, run and read the summary and the results on the canvas, save (download) and reopen the file.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type FileChooser, type Locator, type Page } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

async function dropFromPalette(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page.locator(`.palette-item[data-kind="${kind}"]`).dragTo(page.locator('.canvas'), { targetPosition: { x, y } });
}

async function centre(l: Locator): Promise<{ x: number; y: number }> {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags a connection from an out port to an in port with the mouse. */
async function connect(page: Page, from: string, to: string): Promise<void> {
  const a = await centre(page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle[data-handleid="out"]`));
  const b = await centre(page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle[data-handleid="in"]`));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

/** Drags a card by its title bar with the mouse, in several moves. */
async function dragBy(page: Page, card: Locator, dx: number, dy: number): Promise<void> {
  const a = await centre(card.locator('.snode-head'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + dx / 2, a.y + dy / 2, { steps: 6 });
  await page.mouse.move(a.x + dx, a.y + dy, { steps: 6 });
  await page.mouse.up();
}

test('draw, connect, set a parameter, undo/redo, run and read the summary, save and reopen', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // What the page said, for the failure message of a step that waits on the browser (e.g. the file chooser).
  const said: string[] = [];
  page.on('console', (m) => said.push(`${m.type()}: ${m.text()}`));
  // File choosers are intercepted from the start (not only from the moment one is awaited), so the interception is
  // in place in the browser whatever the timing of the shortcut that opens one.
  const choosers: FileChooser[] = [];
  page.on('filechooser', (c) => choosers.push(c));
  await page.goto(studioUrl());
  await expect(page.getByRole('dialog', { name: 'Start a design' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/e2e-01-gallery.png` });
  await page.click('[data-template="blank"]');

  // A kernel, then two processes and a two-copy channel inside it.
  await dropFromPalette(page, 'kernel', 330, 60);
  const kernel = page.locator('.react-flow__node[data-id="kernel-1"]');
  await expect(kernel).toBeVisible();
  const canvasBox = (await page.locator('.canvas').boundingBox())!;
  const kb = (await kernel.boundingBox())!;
  const kx = kb.x - canvasBox.x;
  const ky = kb.y - canvasBox.y;
  await dropFromPalette(page, 'process', kx + 90, ky + 90);
  await dropFromPalette(page, 'twoCopyChannel', kx + kb.width / 2, ky + 90);
  await dropFromPalette(page, 'process', kx + kb.width - 90, ky + 90);
  for (const id of ['process-1', 'twoCopyChannel-1', 'process-2']) await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toBeVisible();
  await expect(page.locator(`.react-flow__node[data-id="process-1"]`)).toContainText('Process 1');

  // An illegal connection (a process straight into a process) is refused with the reason.
  await connect(page, 'process-1', 'process-2');
  await expect(page.locator('.toast.error')).toContainText('Can’t connect');
  await page.screenshot({ path: `${SHOTS}/e2e-02-illegal-connection.png` });
  expect(await page.locator('.react-flow__edge').count()).toBe(0);
  await page.locator('.toast.error').click(); // dismiss

  await connect(page, 'process-1', 'twoCopyChannel-1');
  await connect(page, 'twoCopyChannel-1', 'process-2');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // A parameter in the inspector: the channel's capacity.
  await page.locator('.react-flow__node[data-id="twoCopyChannel-1"]').click();
  const capacity = page.locator('#param-capacity');
  await capacity.fill('4');
  await capacity.press('Enter');
  await expect(page.locator('.react-flow__node[data-id="twoCopyChannel-1"]')).toContainText('4 entries');
  await page.screenshot({ path: `${SHOTS}/e2e-03-inspector.png` });

  // Undo and redo (focus on the canvas, not in a field).
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node[data-id="twoCopyChannel-1"]')).toContainText('8 entries');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.react-flow__node[data-id="twoCopyChannel-1"]')).toContainText('4 entries');

  // Dragging a card is one undo step (React Flow draws the drag; the design takes the drop), and a process
  // dropped outside every kernel is refused and goes back.
  const receiver = page.locator('.react-flow__node[data-id="process-2"]');
  const at = (): Promise<string> => receiver.evaluate((el: HTMLElement) => el.style.transform);
  const placed = await at();
  await dragBy(page, receiver, 0, 70);
  await expect.poll(at).not.toBe(placed);
  const moved = await at();
  await page.keyboard.press('Control+z');
  await expect.poll(at).toBe(placed);
  await expect(page.locator('.react-flow__node[data-id="twoCopyChannel-1"]')).toContainText('4 entries');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(at).toBe(moved);
  await dragBy(page, receiver, kb.width, 0);
  await expect(page.locator('.toast.error')).toContainText('cannot leave its kernel');
  await expect.poll(at).toBe(moved);
  await page.locator('.toast.error').click();
  await page.getByRole('button', { name: 'Fit view' }).first().click(); // (the drag to the edge panned the canvas)

  // Dragging in the minimap pans the canvas.
  const viewport = (): Promise<string | null> => page.locator('.react-flow__viewport').getAttribute('style');
  const fitted = await viewport();
  const m = await centre(page.locator('.react-flow__minimap svg'));
  await page.mouse.move(m.x, m.y);
  await page.mouse.down();
  await page.mouse.move(m.x + 12, m.y + 6, { steps: 4 });
  await page.mouse.up();
  await expect.poll(viewport).not.toBe(fitted);
  await page.getByRole('button', { name: 'Fit view' }).first().click();

  // Run (Ctrl+R) and read the summary.
  await page.keyboard.press('Control+r');
  const summary = page.getByTestId('summary-view');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const row = summary.getByTestId('flows-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Process 1 → Two-copy channel 1 → Process 2');
  const p99 = await row.locator('td.strong').textContent();
  expect(p99).toMatch(/\d+(\.\d+)? (ns|µs|ms)/);
  await expect(summary.getByTestId('processes-table')).toContainText('/ 8');
  // Results on the canvas: MPU badges and p99 on the edge into the receiver.
  await expect(page.getByTestId('result-process-1')).toContainText(/MPU \d+\/\d+/);
  await expect(page.locator('.react-flow__edge-text').filter({ hasText: 'p99' })).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/e2e-04-run-summary.png` });
  await page.getByRole('checkbox', { name: 'On canvas' }).uncheck();
  await expect(page.getByTestId('result-process-1')).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'On canvas' }).check();

  // Save (a download in the browser), start over, and reopen the file through the file chooser.
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+s')]);
  const file = join(tmpdir(), `journey-${Date.now()}.json`);
  await download.saveAs(file);
  expect(download.suggestedFilename()).toBe('untitled-design.json');
  await page.keyboard.press('Control+n');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.keyboard.press('Control+o');
  try {
    await expect.poll(() => choosers.length, { timeout: 15_000 }).toBe(1);
  } catch (e) {
    const focus = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    const dialogs = await page.getByRole('dialog').allTextContents();
    throw new Error(`Ctrl+O opened no file chooser. Focus: ${focus}; dialogs: ${JSON.stringify(dialogs)}; the page said: ${said.slice(-8).join(' | ')}`, { cause: e });
  }
  await choosers[0]!.setFiles(file);
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  await expect(page.locator('.react-flow__node[data-id="twoCopyChannel-1"]')).toContainText('4 entries');
  await page.screenshot({ path: `${SHOTS}/e2e-05-reopened.png` });
  expect(errors).toEqual([]);
});
