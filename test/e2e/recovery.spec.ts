// Crash and reload recovery in Chromium against `tock-studio serve`: an edit to a template is kept as a draft in
// the browser; after a reload the start gallery offers it back, and restoring it brings the edit back as an unsaved
// document. A discarded draft is not offered again.
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

async function draftCount(page: Page): Promise<number> {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tock-studio.draft.')).length);
}

test('an edit survives a reload: the gallery offers the draft, restoring brings it back unsaved', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(studioUrl());
  const gallery = page.getByRole('dialog', { name: 'Start a design' });
  await expect(gallery).toBeVisible();
  await expect(page.getByTestId('draft-offers')).toHaveCount(0);
  await page.click('[data-template="queues"]');
  await expect(gallery).toHaveCount(0);

  // Edit: rename the design in the inspector (nothing selected shows the design's settings).
  const name = page.getByRole('textbox', { name: 'Name' });
  await name.fill('Queues after my edit');
  await name.press('Enter');
  await expect(page.locator('.title .dirty')).toBeVisible();
  await expect.poll(() => draftCount(page)).toBe(1);

  // Reload (the browser asks first because of the unsaved changes: accept, as after a crash nothing asks).
  page.on('dialog', (d) => void d.accept());
  await page.reload();
  await expect(gallery).toBeVisible();
  const restore = page.getByRole('button', { name: /^Restore unsaved design “Queues after my edit” \(edited (just now|\d+ min ago)\)$/ });
  await expect(restore).toBeVisible();
  await expect(restore).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/recovery-01-offer.png` });

  await restore.click();
  await expect(gallery).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveValue('Queues after my edit');
  await expect(page.locator('.title .dirty')).toBeVisible();
  expect(await page.title()).toMatch(/^● Queues after my edit/);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.locator('.toast.success')).toContainText('Restored “Queues after my edit”');
  await page.screenshot({ path: `${SHOTS}/recovery-02-restored.png` });
  // The restored work is kept under this page's session; the old draft is gone.
  await expect.poll(() => draftCount(page)).toBe(1);

  // Reload again and discard: the draft is not offered any more.
  await page.reload();
  await page.getByRole('button', { name: /^Discard unsaved design “Queues after my edit”/ }).click();
  await expect(page.getByTestId('draft-discarded')).toContainText('Discarded');
  expect(await draftCount(page)).toBe(0);
  await page.reload();
  await expect(gallery).toBeVisible();
  await expect(page.getByTestId('draft-offers')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('saving clears the draft', async ({ page }) => {
  await page.goto(studioUrl());
  await page.click('[data-template="event-counters"]');
  const name = page.getByRole('textbox', { name: 'Name' });
  await name.fill('Counters, saved');
  await name.press('Enter');
  await expect.poll(() => draftCount(page)).toBe(1);
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  await download;
  await expect(page.locator('.title .dirty')).toHaveCount(0);
  expect(await draftCount(page)).toBe(0);
  await page.reload();
  await expect(page.getByRole('dialog', { name: 'Start a design' })).toBeVisible();
  await expect(page.getByTestId('draft-offers')).toHaveCount(0);
});

test('a refused access token (serve restarted) says to save first, and the reloaded page still offers the draft', async ({ page }) => {
  await page.goto(studioUrl());
  await page.click('[data-template="mechanisms-compare"]');
  const name = page.getByRole('textbox', { name: 'Name' });
  await name.fill('Compare, before the restart');
  await name.press('Enter');
  await expect.poll(() => draftCount(page)).toBe(1);
  // What a restarted server looks like from this tab: its token is no longer accepted.
  await page.evaluate(() => sessionStorage.setItem('tock-studio.token', 'from-before-the-restart'));
  page.on('dialog', (d) => void d.accept());
  await page.reload();
  await page.getByRole('button', { name: /^Restore unsaved design “Compare, before the restart”/ }).click();
  await expect(page.locator('.title .dirty')).toBeVisible();
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+r');
  const toast = page.locator('.toast.error').filter({ hasText: 'access token' });
  await expect(toast).toContainText('Save your design first — Ctrl+S downloads it — then open the URL tock-studio serve printed');
  await expect(toast).toContainText('recovery draft');
  await page.screenshot({ path: `${SHOTS}/recovery-03-token-refused.png` });
});
