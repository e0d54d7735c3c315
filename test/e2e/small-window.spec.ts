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

// The desktop app's smallest window (900 × 600): the top bar fits on one line, idle and while a run goes, with the
// view tools in its ⋯ menu; the page never scrolls sideways.
test.describe('at 900 × 600', () => {
  test.use({ viewport: { width: 900, height: 600 } });

  test('the top bar fits, running or not, and every tool stays reachable', async ({ page }) => {
    await page.goto(studioUrl());
    await page.click('[data-template="queues"]');
    const fits = async (): Promise<void> => {
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(scroll).toBeLessThanOrEqual(client);
      expect(client).toBe(900);
      for (const name of ['File', 'Undo', 'seed', 'for', 'Results', 'More view tools', 'Keyboard shortcuts']) {
        const box = await page.getByRole(name === 'seed' || name === 'for' ? 'textbox' : 'button', { name, exact: true }).boundingBox();
        expect(box, name).not.toBeNull();
        expect(box!.x + box!.width, name).toBeLessThanOrEqual(900);
      }
      // One line of 48 px.
      expect((await page.locator('.topbar').boundingBox())!.height).toBeLessThanOrEqual(49);
    };
    await fits();
    await page.screenshot({ path: `${SHOTS}/small-window-900.png` });

    // The view and theme tools, by keyboard from the ⋯ menu (same names and shortcuts as the buttons they stand for).
    await page.getByRole('button', { name: 'More view tools' }).focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    for (const name of [/Auto-layout/, /Fit view/, /Snap to grid/, /Minimap/, /Dark \/ light theme/]) await expect(menu.getByRole(/Snap|Minimap/.test(name.source) ? 'menuitemcheckbox' : 'menuitem', { name })).toBeVisible();
    const pop = (await menu.boundingBox())!;
    expect(pop.x + pop.width).toBeLessThanOrEqual(900);
    await page.screenshot({ path: `${SHOTS}/small-window-900-more.png` });
    await expect(page.locator('.react-flow__minimap')).toHaveCount(1);
    await menu.getByRole('menuitemcheckbox', { name: /Minimap/ }).press('Enter');
    await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
    await expect(menu).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'More view tools' })).toBeFocused();

    // While a run goes (its progress and Cancel take Run's place) and after it.
    const f = page.getByRole('textbox', { name: 'for' });
    await f.fill('60min');
    await f.press('Enter');
    await page.keyboard.press('Control+r');
    await expect(page.getByRole('progressbar', { name: 'Run progress' })).toBeVisible();
    await fits();
    await page.screenshot({ path: `${SHOTS}/small-window-900-running.png` });
    await page.keyboard.press('Control+.');
    await expect(page.getByRole('button', { name: '▶ Run', exact: true })).toBeVisible({ timeout: 30_000 });
    await fits();
  });
});

// Narrower than the desktop app allows (the browser only): the top bar wraps onto a second line rather than push
// the page sideways.
test.describe('at 800 × 600', () => {
  test.use({ viewport: { width: 800, height: 600 } });

  test('the page does not scroll sideways', async ({ page }) => {
    await page.goto(studioUrl());
    await page.click('[data-template="queues"]');
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll).toBeLessThanOrEqual(client);
    const help = (await page.getByRole('button', { name: 'Keyboard shortcuts' }).boundingBox())!;
    expect(help.x + help.width).toBeLessThanOrEqual(800);
    await page.screenshot({ path: `${SHOTS}/small-window-800.png` });
  });
});
