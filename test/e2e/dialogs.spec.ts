// Modal dialogs with a real keyboard: focus moves in when one opens, Tab and Shift+Tab stay inside it, Escape closes
// it, and focus goes back to what had it.
import { expect, test, type Page } from '@playwright/test';
import { SHOTS, studioUrl } from './env';

/** Whether focus is inside the dialog named `name`. */
const focusIn = (page: Page, name: string): Promise<boolean> =>
  page.evaluate((n) => {
    const d = document.activeElement?.closest('[role="dialog"]');
    return !!d && (d.getAttribute('aria-label') === n || document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent?.startsWith(n) === true);
  }, name);

test('dialogs take focus, keep it on Tab and Shift+Tab, close on Escape and give focus back', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(studioUrl());

  // The gallery on first load starts focused.
  await expect(page.locator('[data-template="blank"]')).toBeFocused();
  await page.click('[data-template="queues"]');

  // Export: Tab through every control and around, Shift+Tab back; focus never leaves; Escape closes.
  await page.keyboard.press('Control+e');
  await expect(page.getByTestId('export-go')).toBeFocused();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    expect(await focusIn(page, 'Export')).toBe(true);
  }
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Shift+Tab');
    expect(await focusIn(page, 'Export')).toBe(true);
  }
  await page.screenshot({ path: `${SHOTS}/dialogs-01-export-tabbed.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toHaveCount(0);

  // File ▸ New from template: focus in the gallery, Escape closes it, focus back on the File button.
  const file = page.getByRole('button', { name: /File/ });
  await file.click();
  await page.getByRole('menuitem', { name: /New from template/ }).click();
  await expect(page.locator('[data-template="blank"]')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focusIn(page, 'Start a design')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Start a design' })).toHaveCount(0);
  await expect(file).toBeFocused();

  // The sweep dialog and the shortcuts list too.
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByTestId('sweep-dialog').getByLabel('Node', { exact: true })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  expect(await focusIn(page, 'Sweep a parameter')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sweep-dialog')).toHaveCount(0);
  await expect(file).toBeFocused();
  await page.keyboard.press('?');
  expect(await focusIn(page, 'Keyboard shortcuts')).toBe(true);
  await page.keyboard.press('Tab');
  expect(await focusIn(page, 'Keyboard shortcuts')).toBe(true);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  expect(errors).toEqual([]);
});
