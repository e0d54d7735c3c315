import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { actionById } from '../../../src-renderer/editor/actions';
import { Inspector } from '../../../src-renderer/editor/components/Inspector';
import { StudioProvider, type Studio } from '../../../src-renderer/editor/context';
import { browserFiles, safeFileName } from '../../../src-renderer/editor/files';
import { createStudio } from '../../../src-renderer/editor/studio';
import { deleteElements } from '../../../src-renderer/editor/commands';
import { parseDesignText, serializeDesign, type Design } from '../../../src-shared/model';
import { fakeFiles, node, twoKernels } from './helpers';

afterEach(cleanup);

function withFault(): Design {
  const d = twoKernels();
  d.nodes.push(node('kf', 'kernelFailure', { name: 'k1 fails', position: { x: 0, y: 400 }, params: { targetId: 'k1' } }));
  return d;
}

/** A studio with the inspector on `p` of `twoKernels()`, and the files it saved. */
function studioWithInspector(select = ['p']) {
  const files = fakeFiles();
  const studio: Studio = createStudio({ files, galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), { name: 'two.json', handle: '/tmp/two.json' });
  studio.editor.getState().setSelection({ nodes: select, edges: [] });
  render(
    <StudioProvider studio={studio}>
      <Inspector />
    </StudioProvider>,
  );
  const field = (key: string) => document.querySelector<HTMLInputElement>(`#param-${key}`)!;
  /** Types into a field and leaves focus there, as a user who has not pressed Enter. */
  const type = (key: string, text: string): void => {
    const el = field(key);
    act(() => el.focus());
    fireEvent.change(el, { target: { value: text } });
  };
  const toasts = () => studio.ui.getState().toasts.map((t) => t.message);
  return { studio, files, field, type, toasts };
}

const savedDesign = (text: string): Design => {
  const r = parseDesignText(text, { forEditing: true });
  if (!r.ok) throw new Error('saved text does not load');
  return r.design;
};

describe('the studio opens what it saves', () => {
  it('opens a design whose fault has no target yet, shows the problems and says so', () => {
    const { studio, files } = studioWithInspector([]);
    const d = withFault();
    delete d.nodes.find((n) => n.id === 'kf')!.params.targetId;
    studio.ui.getState().setLintOpen(false);
    const ok = studio.ctl.openText('wip.json', serializeDesign(d));
    expect(ok).toBe(true);
    expect(studio.ui.getState().dialog).toBeNull();
    expect(studio.editor.getState().design.nodes.map((n) => n.id)).toContain('kf');
    expect(studio.ui.getState().lintOpen).toBe(true);
    expect(studio.ui.getState().toasts.map((t) => t.message)).toContainEqual(expect.stringMatching(/^Opened wip\.json with 1 problem\b/));
    expect(files.saved).toHaveLength(0);
  });

  it('round-trips a deleted kernel: the fault loses its target, and the saved file opens again', async () => {
    const { studio, files } = studioWithInspector([]);
    studio.editor.getState().loadDesign(withFault(), { name: 'dual.json', handle: '/tmp/dual.json' });
    studio.editor.getState().execute(deleteElements(['k1'], []));
    expect(await studio.ctl.save()).toBe(true);
    expect(studio.ctl.openText('dual.json', files.saved[0]!.text)).toBe(true);
    expect(studio.ui.getState().dialog).toBeNull();
  });

  it('still refuses a design it cannot show (a card whose kernel is missing)', () => {
    const { studio } = studioWithInspector([]);
    const d = twoKernels();
    d.nodes.find((n) => n.id === 'p')!.parent = 'gone';
    expect(studio.ctl.openText('bad.json', serializeDesign(d))).toBe(false);
    expect(studio.ui.getState().dialog?.kind).toBe('loadErrors');
  });
});

describe('a value typed but not committed is applied before the document is saved or replaced', () => {
  it('Save (Ctrl+S while typing) writes the typed value', async () => {
    const { studio, files, type } = studioWithInspector();
    type('periodNs', '40us');
    actionById('save').perform(studio);
    await act(async () => {});
    expect(files.saved).toHaveLength(1);
    expect(savedDesign(files.saved[0]!.text).nodes.find((n) => n.id === 'p')!.params.periodNs).toBe(40_000);
  });

  it('Save as writes the typed value', async () => {
    const { studio, files, type } = studioWithInspector();
    type('payloadBytes', '1KiB');
    await act(async () => void (await studio.ctl.saveAs()));
    expect(savedDesign(files.saved[0]!.text).nodes.find((n) => n.id === 'p')!.params.payloadBytes).toBe(1024);
  });

  it('an invalid typed value refuses the save with the field’s error', async () => {
    const { studio, files, type, toasts } = studioWithInspector();
    type('periodNs', '3 parsecs');
    let saved = true;
    await act(async () => void (saved = await studio.ctl.save()));
    expect(saved).toBe(false);
    expect(files.saved).toHaveLength(0);
    expect(toasts()).toContainEqual(expect.stringMatching(/^Can’t save: .*"parsecs" is not a time unit/));
    expect(studio.editor.getState().file?.name).toBe('two.json');
  });

  it('New asks about the typed value instead of dropping it', async () => {
    const { studio, type } = studioWithInspector();
    type('periodNs', '40us');
    let done: Promise<boolean> | undefined;
    act(() => void (done = studio.ctl.newBlank()));
    expect(studio.editor.getState().design.nodes.find((n) => n.id === 'p')!.params.periodNs).toBe(40_000);
    const dialog = studio.ui.getState().dialog;
    expect(dialog?.kind).toBe('unsaved');
    act(() => (dialog as { resolve(c: 'cancel'): void }).resolve('cancel'));
    expect(await done).toBe(false);
    expect(studio.editor.getState().design.nodes).toHaveLength(5);
  });

  it('Open asks about an invalid typed value too', async () => {
    const { studio, files, type } = studioWithInspector();
    files.toOpen.push({ name: 'other.json', text: serializeDesign(twoKernels()) });
    type('periodNs', '3 parsecs');
    let done: Promise<boolean> | undefined;
    act(() => void (done = studio.ctl.open()));
    const dialog = studio.ui.getState().dialog;
    expect(dialog?.kind).toBe('unsaved');
    act(() => (dialog as { resolve(c: 'cancel'): void }).resolve('cancel'));
    expect(await done).toBe(false);
  });
});

describe('the save toast names the file the browser saved', () => {
  it('safeFileName replaces what browsers replace and adds .json', () => {
    expect(safeFileName('we"ird<>:|?*name.json')).toBe('we_ird______name.json');
    expect(safeFileName('no-extension')).toBe('no-extension.json');
    expect(safeFileName('design.JSON')).toBe('design.JSON');
    expect(safeFileName('design.JSON.txt')).toBe('design.JSON.txt.json');
    expect(safeFileName('my design (v2) #1 ñ 日本.json')).toBe('my design (v2) #1 ñ 日本.json');
    expect(safeFileName('  .hidden. ')).toBe('hidden.json');
    expect(safeFileName('a/b\\c')).toBe('a_b_c.json');
    expect(safeFileName('')).toBe('design.json');
    expect(safeFileName('CON.json')).toBe('_CON.json');
    const long = safeFileName(`${'日'.repeat(100)}.json`);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(200);
    expect(long.endsWith('日.json')).toBe(true);
  });

  it.each([
    ['we"ird<>:|?*name.json', 'we_ird______name.json'],
    ['no-extension', 'no-extension.json'],
  ])('opened as %s, downloaded and reported as %s', async (opened, downloaded) => {
    const studio = createStudio({ files: browserFiles(document), galleryOpen: false });
    expect(studio.ctl.openText(opened, serializeDesign(twoKernels()))).toBe(true);
    const names: string[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      names.push(this.download);
    };
    try {
      expect(await studio.ctl.save()).toBe(true);
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(names).toEqual([downloaded]);
    expect(studio.ui.getState().toasts.map((t) => t.message)).toContain(`Downloaded ${downloaded}`);
    expect(studio.ui.getState().recent[0]!.name).toBe(downloaded);
    expect(studio.editor.getState().file?.name).toBe(downloaded);
  });
});
