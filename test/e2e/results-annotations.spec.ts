// Layout of the results views in Chromium against `tock-studio serve`: every time chart marks the run's faults,
// the warm-up is shaded (and the timeline opens after it), wide tables say when columns are out of sight, and
// the summary explains dropped upcalls next to LOST.
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

async function runTemplate(page: Page, template: string): Promise<void> {
  await page.goto(studioUrl());
  await page.click(`[data-template="${template}"]`);
  await page.keyboard.press('Control+r');
  await expect(page.getByTestId('summary-view')).toBeVisible({ timeout: 60_000 });
}

test('faults on every time chart, the warm-up shaded, wide tables with a scroll cue', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await runTemplate(page, 'dual-core-rp2040');
  await page.getByRole('button', { name: 'Maximise results' }).click();
  // The Summary's flows table is wider than the dock: the cue says so and scrolls it to the last column.
  const flows = page.getByTestId('flows-table');
  const scroller = flows.locator('xpath=ancestor::div[contains(@class,"table-scroll")][1]');
  const wide = await flows.evaluate((t) => t.parentElement!.scrollWidth > t.parentElement!.clientWidth + 1);
  if (wide) {
    await expect(scroller).toHaveClass(/more-right/);
    await scroller.getByRole('button', { name: 'More columns: scroll right' }).click();
    await expect(scroller).not.toHaveClass(/more-right/, { timeout: 5_000 });
  }
  await expect(flows.locator('th', { hasText: 'in flight' })).toBeInViewport();
  // Summary cards wrap their detail instead of cutting it.
  const clipped = await page.locator('.stat-detail').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
  expect(clipped).toBe(0);
  await page.screenshot({ path: `${SHOTS}/ann-summary.png` });

  for (const [tab, sel] of [['Latency', '[data-testid="card-over-time"]'], ['MPU', '[data-testid="mpu-view"]'], ['Queues', '[data-testid="queues-view"]'], ['CPU', '[data-testid="card-cpu"]'], ['Timeline', '[data-testid="timeline-view"] .tl-overview']] as const) {
    await page.getByRole('tab', { name: tab, exact: true }).click();
    await expect(page.locator(`${sel} g.time-mark`).first()).toBeAttached({ timeout: 15_000 });
    expect(await page.locator(`${sel} g.time-mark title`).first().textContent()).toMatch(/^600 ms: .* kernel failed$/);
    await page.screenshot({ path: `${SHOTS}/ann-fault-${tab.toLowerCase()}.png` });
  }

  await runTemplate(page, 'wifi-http-server');
  await page.getByRole('tab', { name: 'CPU', exact: true }).click();
  const band = page.locator('[data-testid="card-cpu"] g.warmup-band');
  await expect(band).toBeAttached({ timeout: 15_000 });
  await expect(band.locator('text')).toHaveText('warm-up: not counted');
  await page.getByRole('tab', { name: 'Latency', exact: true }).click();
  await expect(page.getByTestId('over-time-warmup')).toContainText('from 3.5 s');
  await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
  await expect(page.getByTestId('card-timeline')).toContainText('Window 3.5 s');
  await page.screenshot({ path: `${SHOTS}/ann-timeline-warmup.png` });

  await runTemplate(page, 'stm32-ethernet');
  await expect(page.getByTestId('upcall-hint')).toContainText('dropped upcall');
  await expect(page.getByTestId('upcall-hint')).toHaveAttribute('title', /lost notification, not a lost message/);
  await page.screenshot({ path: `${SHOTS}/ann-upcalls.png` });
});
