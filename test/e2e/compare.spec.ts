// Two variants of one template, run and compared: the mechanisms-compare template as shipped, then with a
// bigger payload on the two-copy channel's producer and another seed. Compare shows both CDFs, the deltas
// (worse latency and copies marked) and what changed in the design. Also screenshots every results view.
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

async function runAndWait(page: Page): Promise<number> {
  const info = page.getByTestId('shown-run').locator('.mono');
  const before = (await info.count()) > 0 ? await info.textContent() : null;
  await page.getByRole('button', { name: '▶ Run', exact: true }).click();
  await expect(page.getByTestId('summary-view')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('shown-run').locator('.mono')).not.toHaveText(before ?? '#0', { timeout: 30_000 });
  const id = await page.getByTestId('shown-run').locator('.mono').textContent();
  return Number(id!.slice(1));
}

test('two variants of a template: run both, compare CDFs, deltas and the design diff', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(studioUrl());
  await page.click('[data-template="mechanisms-compare"]');
  await expect(page.locator('.react-flow__node[data-id="mech2"]')).toBeVisible();

  const first = await runAndWait(page);
  await page.screenshot({ path: `${SHOTS}/compare-01-first-run.png` });

  // Views of the first run, maximised, in light and dark.
  await page.getByRole('button', { name: 'Maximise results' }).click();
  for (const tab of ['Summary', 'Latency', 'Copies', 'MPU', 'Queues', 'CPU', 'Timeline']) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await page.waitForTimeout(600);
    await expect(page.locator('.rv-error')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/view-${tab.toLowerCase()}-light.png` });
  }
  await page.getByRole('button', { name: 'Restore results size' }).click();

  // The variant: 1 KiB payloads on producer 3 (two-copy channel), seed 7.
  await page.locator('.react-flow__node[data-id="prod2"]').click();
  const payload = page.locator('#param-payloadBytes');
  await payload.fill('1KiB');
  await payload.press('Enter');
  await expect(page.locator('.react-flow__node[data-id="prod2"]')).toContainText('1 KiB');
  const seed = page.getByRole('textbox', { name: 'seed' });
  await seed.fill('7');
  await seed.press('Enter');
  const second = await runAndWait(page);
  expect(second).toBeGreaterThan(first);

  // History: tick both, compare.
  await page.getByRole('tab', { name: 'History' }).click();
  const table = page.getByTestId('runs-table');
  await expect(table.locator(`tr[data-run="${second}"]`)).toContainText('done');
  await page.screenshot({ path: `${SHOTS}/compare-02-history.png` });
  // Ticked top-down (the list is newest first): the older run is the baseline all the same.
  await table.locator(`tr[data-run="${second}"] input[type="checkbox"]`).check();
  await table.locator(`tr[data-run="${first}"] input[type="checkbox"]`).check();
  await page.getByRole('button', { name: 'Compare (2)' }).click();

  const view = page.getByTestId('compare-view');
  await expect(view).toBeVisible();
  await expect(view.locator('.run-chip').first()).toContainText(`#${first} (baseline)`);
  await view.locator('select').first().selectOption('prod2>mech2>cons2');
  await expect(view.locator('path.cdf-line')).toHaveCount(2);
  await expect(view.locator('path.cdf-line.dashed')).toHaveAttribute('data-series', String(first));
  const flows = page.getByTestId('compare-flows');
  const row = flows.locator('tr', { hasText: 'producer 3 → two-copy channel → consumer 3' });
  await expect(row.locator('.delta.worse').first()).toBeVisible();
  await expect(page.getByTestId(`diff-${second}`)).toContainText('seed: 1 → 7');
  await expect(page.getByTestId(`diff-${second}`)).toContainText('Payload: 64 B → 1 KiB');
  await page.getByRole('button', { name: 'Maximise results' }).click();
  await page.screenshot({ path: `${SHOTS}/compare-03-compare-light.png`, fullPage: true });

  // Dark theme: the same comparison and the views.
  await page.keyboard.press('Control+Shift+D');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/compare-04-compare-dark.png` });
  await page.getByRole('tab', { name: 'History' }).click();
  await page.screenshot({ path: `${SHOTS}/view-history-dark.png` });
  await page.getByRole('tab', { name: 'Summary', exact: true }).click();
  for (const tab of ['Summary', 'Latency', 'Copies', 'MPU', 'Queues', 'CPU', 'Timeline']) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${SHOTS}/view-${tab.toLowerCase()}-dark.png` });
  }
  await page.getByRole('button', { name: 'Restore results size' }).click();
  await page.screenshot({ path: `${SHOTS}/compare-05-canvas-dark.png` });
  expect(errors).toEqual([]);
});
