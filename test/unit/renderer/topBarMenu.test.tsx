// The top bar in a narrow window: its view and theme buttons move into the ⋯ menu (styles.css hides one or the
// other), which offers the same actions with their state; the File button keeps its name when its word is hidden.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApiForTests } from '../../../src-renderer/api';
import { installFakeApi } from './fakeApi';
import { mountStudio } from './mount';

beforeEach(() => {
  installFakeApi();
});
afterEach(() => {
  cleanup();
  setApiForTests(null);
});

const more = () => screen.getByRole('button', { name: 'More view tools' });

describe('the top bar’s ⋯ menu', () => {
  it('holds the view and theme tools, with the state of the toggles, and closes on a choice', () => {
    const studio = mountStudio();
    expect(screen.queryByRole('menu')).toBeNull();
    fireEvent.click(more());
    expect(more().getAttribute('aria-expanded')).toBe('true');
    const menu = screen.getByRole('menu');
    const names = [...menu.querySelectorAll('[role^="menuitem"]')].map((b) => b.textContent);
    expect(names.map((n) => n?.replace(/^✓/, ''))).toEqual([
      expect.stringMatching(/^Auto-layout/),
      expect.stringMatching(/^Fit view/),
      expect.stringMatching(/^Snap to grid/),
      expect.stringMatching(/^Minimap/),
      expect.stringMatching(/^Dark \/ light theme/),
    ]);
    const minimap = screen.getByRole('menuitemcheckbox', { name: /Minimap/ });
    expect(minimap.getAttribute('aria-checked')).toBe(String(studio.ui.getState().minimap));
    const was = studio.ui.getState().minimap;
    act(() => void fireEvent.click(minimap));
    expect(studio.ui.getState().minimap).toBe(!was);
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(more());

    const theme = studio.ui.getState().theme;
    fireEvent.click(more());
    act(() => void fireEvent.click(screen.getByRole('menuitem', { name: /Dark \/ light theme/ })));
    expect(studio.ui.getState().theme).not.toBe(theme);
  });

  it('closes on Escape, focus back on its button', () => {
    mountStudio();
    fireEvent.click(more());
    expect(screen.getByRole('menu')).toBeTruthy();
    act(() => void fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' }));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(more());
  });

  it('leaves the File button its name, and the view buttons theirs', () => {
    mountStudio();
    expect(screen.getByRole('button', { name: 'File' }).getAttribute('title')).toBe('File');
    for (const name of [/Auto-layout/, /Fit view/, /Snap to grid/, /Minimap/, /Dark \/ light theme/, /Keyboard shortcuts/]) expect(screen.getAllByRole('button', { name }).length).toBeGreaterThan(0);
  });
});
