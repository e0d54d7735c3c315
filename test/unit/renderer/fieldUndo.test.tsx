// A field shows the design's value whenever nothing was typed in it since it last did: after its own commit, and
// after the value changed underneath it (undo, redo, another edit). Undo and redo pressed in such a field are the
// design's; with typing in it they are left to the browser's text undo. Leaving a field that shows the design's value
// commits nothing.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renameNode, setDesignInfo, setParam } from '../../../src-renderer/editor/commands';
import { Inspector } from '../../../src-renderer/editor/components/Inspector';
import { StudioProvider, type Studio } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { fakeFiles, twoKernels } from './helpers';
import { mountStudio } from './mount';

afterEach(cleanup);

/** The inspector on its own, on `twoKernels()` with `select` selected. */
function inspector(select: string[]) {
  const studio: Studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), null);
  studio.editor.getState().setSelection({ nodes: select, edges: [] });
  render(
    <StudioProvider studio={studio}>
      <Inspector />
    </StudioProvider>,
  );
  return helpers(studio);
}

/** The whole studio (its window shortcuts included), with `select` selected. */
function app(select: string[]) {
  const studio = mountStudio();
  act(() => studio.editor.getState().setSelection({ nodes: select, edges: [] }));
  return helpers(studio);
}

function helpers(studio: Studio) {
  const ed = studio.editor;
  const field = (id: string) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)!;
  const p = () => ed.getState().design.nodes.find((n) => n.id === 'p')!;
  /** Types `text` into the field and presses Enter. */
  const enter = (id: string, text: string) => {
    fireEvent.change(field(id), { target: { value: text } });
    fireEvent.keyDown(field(id), { key: 'Enter' });
  };
  /** Presses a key in the field; false when its default was prevented (the field or the app handled it). */
  const key = (id: string, init: { key: string; ctrlKey?: boolean; shiftKey?: boolean }) => fireEvent.keyDown(field(id), { ctrlKey: false, ...init });
  const run = (f: () => void) => act(f);
  return { studio, ed, field, p, enter, key, run };
}

const CTRL_Z = { key: 'z', ctrlKey: true };
const CTRL_SHIFT_Z = { key: 'Z', ctrlKey: true, shiftKey: true };

describe('undo pressed in a field that shows the design’s value', () => {
  it('undoes the value just committed there, once; the field shows the value undone to, and leaving it commits nothing', () => {
    const { ed, field, p, enter, key } = app(['p']);
    expect(field('param-payloadBytes').value).toBe('64 B');
    enter('param-payloadBytes', '16');
    enter('param-payloadBytes', '32');
    expect(p().params.payloadBytes).toBe(32);
    expect(ed.getState().past).toHaveLength(2);

    // The field keeps the focus (the user never left it) and Ctrl+Z is pressed there.
    expect(key('param-payloadBytes', CTRL_Z)).toBe(false);
    expect(p().params.payloadBytes).toBe(16); // one step: the window's shortcut does not undo a second time
    expect(field('param-payloadBytes').value).toBe('16 B');
    expect(key('param-payloadBytes', CTRL_Z)).toBe(false);
    expect(p().params.payloadBytes).toBeUndefined();
    expect(field('param-payloadBytes').value).toBe('64 B');

    fireEvent.blur(field('param-payloadBytes'));
    expect(p().params.payloadBytes).toBeUndefined();
    expect(ed.getState().past).toHaveLength(0);
    expect(ed.getState().future).toHaveLength(2); // the undo was not turned into a new edit: redo is still there

    expect(key('param-payloadBytes', CTRL_SHIFT_Z)).toBe(false);
    expect(p().params.payloadBytes).toBe(16);
    expect(field('param-payloadBytes').value).toBe('16 B');
  });

  it('with typing in the field, Ctrl+Z is left to the browser (text undo) and the design is not undone', () => {
    const { ed, field, p, enter, key } = app(['p']);
    enter('param-payloadBytes', '16');
    fireEvent.change(field('param-payloadBytes'), { target: { value: '162' } });
    expect(key('param-payloadBytes', CTRL_Z)).toBe(true);
    expect(p().params.payloadBytes).toBe(16);
    expect(ed.getState().past).toHaveLength(1);
    expect(field('param-payloadBytes').value).toBe('162');
    // The browser's text undo takes the text back to what the field showed: nothing is typed any more, so the
    // next Ctrl+Z is the design's.
    fireEvent.change(field('param-payloadBytes'), { target: { value: '16 B' } });
    expect(key('param-payloadBytes', CTRL_Z)).toBe(false);
    expect(p().params.payloadBytes).toBeUndefined();
  });

  it('a choice (select) undoes the change just made in it', () => {
    const { field, p, key } = app(['p']);
    fireEvent.change(field('param-workload'), { target: { value: 'poisson' } });
    expect(p().params.workload).toBe('poisson');
    expect(key('param-workload', CTRL_Z)).toBe(false);
    expect(p().params.workload).toBeUndefined();
  });

  it('the node’s name: Ctrl+Z after Enter undoes the rename, and leaving commits nothing', () => {
    const { ed, field, p, enter, key } = app(['p']);
    enter('node-name', 'sensor');
    expect(p().name).toBe('sensor');
    expect(key('node-name', CTRL_Z)).toBe(false);
    expect(p().name).toBe('producer');
    expect(field('node-name').value).toBe('producer');
    fireEvent.blur(field('node-name'));
    expect(p().name).toBe('producer');
    expect(ed.getState().future).toHaveLength(1);
  });

  it('the top bar’s seed: Ctrl+Z after Enter undoes it, and the field shows the seed undone to', () => {
    const { ed } = app([]);
    const seed = screen.getByRole('textbox', { name: 'seed' }) as HTMLInputElement;
    fireEvent.change(seed, { target: { value: '7' } });
    fireEvent.keyDown(seed, { key: 'Enter' });
    expect(ed.getState().design.run.seed).toBe(7);
    expect(fireEvent.keyDown(seed, CTRL_Z)).toBe(false);
    expect(ed.getState().design.run.seed).toBe(1);
    expect(seed.value).toBe('1');
    fireEvent.blur(seed);
    expect(ed.getState().design.run.seed).toBe(1);
    expect(ed.getState().past).toHaveLength(0);
  });
});

describe('a value changed underneath a field replaces what was typed there and not committed', () => {
  it('a parameter: the field shows the new value, leaving it commits nothing, and the typing does not come back', () => {
    const { ed, field, p, run } = inspector(['p']);
    fireEvent.change(field('param-periodNs'), { target: { value: '40us' } });
    run(() => void ed.getState().execute(setParam('p', 'periodNs', 20_000_000)));
    expect(field('param-periodNs').value).toBe('20 ms');
    fireEvent.blur(field('param-periodNs'));
    expect(p().params.periodNs).toBe(20_000_000);
    expect(ed.getState().past).toHaveLength(1);
    // Undo and redo bring the values back, not the text typed over the first of them.
    run(() => void ed.getState().undo());
    expect(field('param-periodNs').value).toBe('10 ms');
    run(() => void ed.getState().redo());
    expect(field('param-periodNs').value).toBe('20 ms');
  });

  it('a refused value too: the field shows the design’s value and nothing is left pending', () => {
    const { studio, ed, field, run } = inspector(['p']);
    fireEvent.change(field('param-periodNs'), { target: { value: '5 parsecs' } });
    expect(Object.keys(studio.ui.getState().unapplied)).toHaveLength(1);
    run(() => void ed.getState().execute(setParam('p', 'periodNs', 20_000_000)));
    expect(field('param-periodNs').value).toBe('20 ms');
    expect(field('param-periodNs').getAttribute('aria-invalid')).toBe('false');
    expect(studio.ui.getState().unapplied).toEqual({});
  });

  it('the node’s name and the design’s name and description', () => {
    const { ed, field, p, run } = inspector(['p']);
    fireEvent.change(field('node-name'), { target: { value: 'typed' } });
    run(() => void ed.getState().execute(renameNode('p', 'renamed')));
    expect(field('node-name').value).toBe('renamed');
    fireEvent.blur(field('node-name'));
    expect(p().name).toBe('renamed');
    expect(ed.getState().past).toHaveLength(1);

    run(() => ed.getState().setSelection({ nodes: [], edges: [] }));
    fireEvent.change(field('design-name'), { target: { value: 'typed name' } });
    fireEvent.change(field('design-description'), { target: { value: 'typed description' } });
    run(() => void ed.getState().execute(setDesignInfo({ name: 'Other name', description: 'Other description' })));
    expect(field('design-name').value).toBe('Other name');
    expect(field('design-description').value).toBe('Other description');
    fireEvent.blur(field('design-name'));
    fireEvent.blur(field('design-description'));
    expect(ed.getState().design.name).toBe('Other name');
    expect(ed.getState().design.description).toBe('Other description');
    expect(ed.getState().past).toHaveLength(2);
  });
});

describe('leaving a field whose text is the value it shows commits nothing', () => {
  it('a default typed over and typed back stays a default', () => {
    const { ed, field, p } = inspector(['p']);
    fireEvent.change(field('param-periodNs'), { target: { value: '10 m' } });
    fireEvent.change(field('param-periodNs'), { target: { value: '10 ms' } });
    fireEvent.blur(field('param-periodNs'));
    expect(p().params.periodNs).toBeUndefined();
    fireEvent.change(field('param-periodNs'), { target: { value: '10 m' } });
    fireEvent.change(field('param-periodNs'), { target: { value: '10 ms' } });
    fireEvent.keyDown(field('param-periodNs'), { key: 'Enter' });
    expect(p().params.periodNs).toBeUndefined();
    expect(ed.getState().past).toHaveLength(0);
  });
});
