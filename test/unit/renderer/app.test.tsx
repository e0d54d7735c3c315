import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { actionForKey, matchesKeys } from '../../../src-renderer/editor/actions';
import { createStudio } from '../../../src-renderer/editor/studio';
import { TEMPLATES } from '../../../src-renderer/editor/templates';
import { fakeFiles } from './helpers';

afterEach(cleanup);

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; code: string }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('shortcuts', () => {
  it('match Ctrl or Cmd, Shift exactly, and skip most actions while typing', () => {
    expect(matchesKeys(key('z', { ctrlKey: true }), 'Mod+Z')).toBe(true);
    expect(matchesKeys(key('z', { metaKey: true }), 'Mod+Z')).toBe(true);
    expect(matchesKeys(key('Z', { ctrlKey: true, shiftKey: true }), 'Mod+Z')).toBe(false);
    expect(actionForKey(key('Z', { ctrlKey: true, shiftKey: true }), false)?.id).toBe('redo');
    expect(actionForKey(key('y', { ctrlKey: true }), false)?.id).toBe('redo');
    expect(actionForKey(key('?', { shiftKey: true }), false)?.id).toBe('help');
    expect(actionForKey(key('Delete'), false)?.id).toBe('delete');
    expect(actionForKey(key('Backspace'), true)).toBeUndefined();
    expect(actionForKey(key('s', { ctrlKey: true }), true)?.id).toBe('save');
    expect(actionForKey(key('!', { shiftKey: true, code: 'Digit1' }), false)?.id).toBe('fit');
  });
});

describe('templates', () => {
  it('ship every example of resources/examples', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual([
      'can-latest-value',
      'dual-core-rp2040',
      'event-counters',
      'mechanisms-compare',
      'queues',
      'stm32-ethernet',
      'virtio-qemu',
      'wifi-http-server',
    ]);
  });
});

describe('the app', () => {
  it('opens on the template gallery; a template loads onto the canvas', async () => {
    const studio = createStudio({ files: fakeFiles() });
    render(<App studio={studio} />);
    expect(screen.getByRole('dialog', { name: 'Start a design' })).toBeTruthy();
    fireEvent.click(document.querySelector('[data-template="wifi-http-server"]')!);
    await waitFor(() => expect(studio.editor.getState().design.name).toBe('WiFi HTTP server on the Pico W'));
    expect(screen.queryByRole('dialog', { name: 'Start a design' })).toBeNull();
    await waitFor(() => expect(document.querySelector('[data-testid="node-stack"]')).not.toBeNull());
    expect(document.querySelectorAll('.palette-item').length).toBeGreaterThan(20);
  });

  it('opening a broken file shows path + reason and keeps the current design', async () => {
    const files = fakeFiles();
    const studio = createStudio({ files, galleryOpen: false });
    render(<App studio={studio} />);
    await act(async () => {
      await studio.ctl.newFromTemplate(TEMPLATES[0]!);
    });
    const before = studio.editor.getState().design;
    files.toOpen.push({ name: 'broken.json', text: '{"format":"tock-ipc-studio/design","version":1,"name":"x","nodes":[{"id":"a","kind":"warpDrive","name":"a","position":{"x":0,"y":0}}],"edges":[],"run":{"durationNs":1000,"seed":1}}' });
    await act(async () => {
      await studio.ctl.open();
    });
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('“broken.json” could not be opened');
    expect(dialog.textContent).toContain('nodes[0].kind');
    expect(dialog.textContent).toMatch(/"warpDrive" is not a kind/);
    expect(studio.editor.getState().design).toBe(before);
  });

  it('asks before discarding unsaved changes; Save writes the file and continues', async () => {
    const files = fakeFiles();
    const studio = createStudio({ files, galleryOpen: false });
    render(<App studio={studio} />);
    await act(async () => {
      await studio.ctl.newFromTemplate(TEMPLATES[0]!);
    });
    act(() => {
      studio.editor.getState().selectAll();
      studio.editor.getState().deleteSelection();
    });
    let opened: Promise<boolean> | undefined;
    act(() => {
      opened = studio.ctl.newBlank();
    });
    await screen.findByText('Unsaved changes');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await opened!).toBe(true);
    expect(files.saved).toHaveLength(1);
    expect(files.saved[0]!.name).toBe('can-signals-as-latest-values.json');
    expect(JSON.parse(files.saved[0]!.text).nodes).toEqual([]);
    expect(studio.editor.getState().design.name).toBe('Untitled design');
  });

  it('Cancel keeps the unsaved design', async () => {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    render(<App studio={studio} />);
    await act(async () => {
      await studio.ctl.newFromTemplate(TEMPLATES[0]!);
    });
    act(() => {
      studio.editor.getState().selectAll();
      studio.editor.getState().deleteSelection();
    });
    let p: Promise<boolean> | undefined;
    act(() => {
      p = studio.ctl.newFromTemplate(TEMPLATES[1]!);
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(await p!).toBe(false);
    expect(studio.editor.getState().design.nodes).toEqual([]);
    expect(studio.editor.getState().design.name).toBe(TEMPLATES[0]!.design.name);
  });

  it('Shift+M and the top-bar button hide and show the minimap, remembered for the next session', async () => {
    globalThis.localStorage?.removeItem('tock-studio.minimap');
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    render(<App studio={studio} />);
    expect(document.querySelector('[data-testid="rf__minimap"]')).not.toBeNull();
    act(() => {
      fireEvent.keyDown(window, { key: 'M', shiftKey: true });
    });
    expect(document.querySelector('[data-testid="rf__minimap"]')).toBeNull();
    expect(globalThis.localStorage?.getItem('tock-studio.minimap')).toBe('off');
    fireEvent.click(screen.getByRole('button', { name: 'Minimap on/off' }));
    expect(document.querySelector('[data-testid="rf__minimap"]')).not.toBeNull();
    expect(globalThis.localStorage?.getItem('tock-studio.minimap')).toBe('on');
  });

  it('keyboard: Ctrl+Z undoes, Ctrl+Shift+Z redoes', async () => {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    render(<App studio={studio} />);
    await act(async () => {
      await studio.ctl.newFromTemplate(TEMPLATES[0]!);
    });
    act(() => {
      studio.editor.getState().selectAll();
      studio.editor.getState().deleteSelection();
    });
    expect(studio.editor.getState().design.nodes).toHaveLength(0);
    act(() => {
      fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    });
    expect(studio.editor.getState().design.nodes.length).toBeGreaterThan(0);
    act(() => {
      fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    });
    expect(studio.editor.getState().design.nodes).toHaveLength(0);
  });

  it('the lint panel lists findings with counts; clicking one selects the node', async () => {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    render(<App studio={studio} />);
    const dual = TEMPLATES.find((t) => t.id === 'dual-core-rp2040')!;
    await act(async () => {
      await studio.ctl.newFromTemplate(dual);
    });
    // The lint runs after a pause: wait for the template's finding.
    await waitFor(() => expect(document.querySelector('.lint-item')?.textContent).toMatch(/passes references across kernels/));
    expect(document.querySelector('.count-pill.warning')!.textContent).toMatch(/1 warning/);
    fireEvent.click(document.querySelector('.lint-item')!);
    expect(studio.editor.getState().selection.nodes).toEqual(['refc']);
    expect(studio.editor.getState().focus).toMatchObject({ nodeId: 'refc', paramKey: 'mode' });
  });
});
