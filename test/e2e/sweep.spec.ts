// A parameter sweep as an architect runs one: the payload of every producer in the mechanisms template from 8 B to
// 1,500 B; each value is a recorded run (listed in History with its label), the Sweep tab plots p99 against the
// payload for each mechanism, and a point opens its run.
import { expect, test } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

test('sweep the producers’ payload across mechanisms and plot p99 against it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(studioUrl());
  await page.click('[data-template="mechanisms-compare"]');
  await page.locator('.react-flow__node[data-id="prod0"]').click();

  await page.keyboard.press('Control+Shift+P');
  const dialog = page.getByTestId('sweep-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Parameter')).toHaveValue('payloadBytes');
  await expect(dialog).toContainText('Set it on all 5 Process nodes');
  await dialog.getByRole('radio', { name: 'List' }).click();
  await dialog.getByLabel('Values list').fill('8, 64, 512, 1500 B');
  await expect(page.getByTestId('sweep-preview')).toHaveText('4 runs: 8 B, 64 B, 512 B, 1500 B');
  await page.screenshot({ path: `${SHOTS}/sweep-01-dialog.png` });
  await page.getByTestId('sweep-go').click();
  // The top bar follows the whole sweep (run i of n, share of all the runs), not just the run under way.
  await expect(page.locator('.run-controls').getByRole('progressbar', { name: 'Sweep progress' })).toContainText(/Sweep run [1-4] of 4 · \d+ %/);
  await expect(page.locator('.run-controls').getByRole('button', { name: /Cancel sweep/ })).toBeVisible();

  const view = page.getByTestId('sweep-view');
  await expect(view).toBeVisible();
  await expect(view).toContainText('· 4 runs', { timeout: 60_000 });
  // One line per flow (five mechanisms), a point per run that delivered.
  await expect(view.locator('.sweep-line')).toHaveCount(5);
  const rows = page.getByTestId('sweep-table').locator('tbody tr');
  await expect(rows).toHaveCount(4);
  // 8 B on every producer: the lint says the notification's producer now sends a payload a notification cannot carry.
  await expect(rows.first().locator('td').first()).toHaveText('8 B ⚠');
  await expect(rows.first().getByTestId('sweep-note')).toHaveAttribute('title', /sends 8 B messages into "notification"/);
  await page.getByRole('button', { name: 'Maximise results' }).click();
  await page.screenshot({ path: `${SHOTS}/sweep-02-plot.png` });

  // The runs are recorded and labelled; a row opens its run.
  await rows.nth(2).click();
  await expect(page.getByTestId('summary-view')).toBeVisible();
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByTestId('runs-table')).toContainText('sweep Payload (5 nodes) = 512 B');
  expect(errors).toEqual([]);
});
