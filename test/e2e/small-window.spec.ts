// A small window (1024 × 700): the studio fits it. The page never scrolls sideways and every top-bar control is on
// screen, before and after a run.
import { expect, test } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

test.use({ viewport: { width: 1024, height: 700 } });

test('at 1024 × 700 nothing is pushed off screen', async ({ page }) => {
  await page.goto(studioUrl());
  await page.click('[data-template="queues"]');
  const fits = async (): Promise<void> => {
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
    for (const name of ['Keyboard shortcuts', 'Dark / light theme', 'Results']) {
      const box = await page.getByRole('button', { name }).first().boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(1024);
    }
  };
  await fits();
  await page.keyboard.press('Control+r');
  await expect(page.getByText(/Run #\d+ finished/)).toBeVisible({ timeout: 30_000 });
  await fits();
  await page.screenshot({ path: `${SHOTS}/small-window-ran.png` });
});
