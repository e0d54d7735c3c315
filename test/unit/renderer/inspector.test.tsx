import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Inspector } from '../../../src-renderer/editor/components/Inspector';
import { LintPanel } from '../../../src-renderer/editor/components/LintPanel';
import { StudioProvider, type Studio } from '../../../src-renderer/editor/context';
import { createStudio } from '../../../src-renderer/editor/studio';
import { fakeFiles, twoKernels } from './helpers';

afterEach(cleanup);

/** The inspector on its own, with a studio whose design is `twoKernels()`. */
function ui(select: string[]) {
  const studio: Studio = createStudio({ files: fakeFiles(), galleryOpen: false });
  studio.editor.getState().loadDesign(twoKernels(), null);
  studio.editor.getState().setSelection({ nodes: select, edges: [] });
  render(
    <StudioProvider studio={studio}>
      <Inspector />
    </StudioProvider>,
  );
  const param = (key: string) => document.querySelector<HTMLInputElement>(`#param-${key}`)!;
  const node = (id: string) => studio.editor.getState().design.nodes.find((n) => n.id === id)!;
  return { studio, param, node };
}

describe('inspector', () => {
  it('shows a typed field per visible parameter with its default, range and source tag', () => {
    const { param } = ui(['p']);
    expect(param('periodNs').value).toBe('10 ms');
    const field = document.querySelector('[data-param="periodNs"]')!;
    expect(field.textContent).toContain('default 10 ms');
    expect(field.textContent).toContain('range 1 µs – 3600 s');
    expect(field.querySelector('.src-tag')!.textContent).toBe('E');
    expect(field.querySelector('.src-tag')!.getAttribute('title')).toMatch(/^Estimate: designer's choice/);
    // burst fields are hidden for a periodic workload
    expect(param('burstSize')).toBeNull();
  });

  it('commits a valid duration typed with a unit, as one undo entry', () => {
    const { studio, param, node } = ui(['p']);
    fireEvent.change(param('periodNs'), { target: { value: '40us' } });
    expect(document.querySelector('.field-error')).toBeNull();
    fireEvent.keyDown(param('periodNs'), { key: 'Enter' });
    expect(node('p').params.periodNs).toBe(40_000);
    expect(studio.editor.getState().past).toHaveLength(1);
    expect(param('periodNs').value).toBe('40 µs');
  });

  it('shows why invalid input is wrong and does not commit it', () => {
    const { studio, param, node } = ui(['p']);
    fireEvent.change(param('periodNs'), { target: { value: '5 parsecs' } });
    expect(screen.getByRole('alert').textContent).toMatch(/"parsecs" is not a time unit/);
    fireEvent.keyDown(param('periodNs'), { key: 'Enter' });
    fireEvent.blur(param('periodNs'));
    expect(node('p').params.periodNs).toBeUndefined();
    expect(studio.editor.getState().past).toHaveLength(0);
    // out of range
    fireEvent.change(param('periodNs'), { target: { value: '2h' } });
    expect(screen.getByRole('alert').textContent).toMatch(/not a time unit/);
    fireEvent.change(param('periodNs'), { target: { value: '100ns' } });
    expect(screen.getByRole('alert').textContent).toMatch(/outside the allowed range 1 µs – 3600 s/);
    // Escape restores the model value
    fireEvent.keyDown(param('periodNs'), { key: 'Escape' });
    expect(param('periodNs').value).toBe('10 ms');
  });

  it('a refused value is not dropped silently: it counts as pending while shown, and a toast says so when its node is left', () => {
    const { studio, param } = ui(['p']);
    fireEvent.change(param('periodNs'), { target: { value: '100ns' } });
    expect(Object.values(studio.ui.getState().unapplied)).toEqual([expect.stringMatching(/Period \/ think time: 100 ns is outside the allowed range/)]);
    act(() => studio.editor.getState().setSelection({ nodes: ['c'], edges: [] }));
    expect(studio.ui.getState().unapplied).toEqual({});
    expect(studio.ui.getState().toasts.map((t) => t.message)).toEqual([expect.stringMatching(/^Not applied: .*Period \/ think time: 100 ns is outside .* the typed value was dropped\.$/)]);
  });

  it('the Problems panel counts and lists refused values still in their fields as errors', () => {
    const studio: Studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    studio.ui.getState().setLintOpen(true);
    render(
      <StudioProvider studio={studio}>
        <LintPanel />
      </StudioProvider>,
    );
    expect(screen.getByTitle('Show only errors').textContent).toMatch(/0 errors/);
    act(() => studio.ui.getState().setUnapplied('x', 'producer › Payload: 0 B is outside the allowed range 1 B – 64 KiB'));
    expect(screen.getByTitle('Show only errors').textContent).toMatch(/1 error$/);
    expect(screen.getByTestId('lint-unapplied').textContent).toMatch(/producer › Payload: 0 B is outside .*typed, not applied/);
  });

  it('reset to default removes the explicit value', () => {
    const { param, node } = ui(['p']);
    fireEvent.change(param('payloadBytes'), { target: { value: '1KiB' } });
    fireEvent.blur(param('payloadBytes'));
    expect(node('p').params.payloadBytes).toBe(1024);
    fireEvent.click(screen.getByLabelText('Reset Payload to default'));
    expect(node('p').params.payloadBytes).toBeUndefined();
    expect(param('payloadBytes').value).toBe('64 B');
  });

  it('kernels show preset-aware defaults that follow the chip', () => {
    const { studio, param } = ui(['k0']);
    const clock = () => document.querySelector('[data-param="clockHz"]')!.textContent!;
    expect(param('clockHz').value).toBe('50 MHz');
    expect(clock()).toContain('default 50 MHz');
    const chip = document.querySelector<HTMLSelectElement>('#param-chip')!;
    fireEvent.change(chip, { target: { value: 'rp2040' } });
    expect(studio.editor.getState().design.nodes[0]!.params.chip).toBe('rp2040');
    expect(param('clockHz').value).toBe('125 MHz');
    expect(clock()).toContain('default 125 MHz');
  });

  it('enums are selects and change visibility of dependent fields', () => {
    const { param, node } = ui(['p']);
    const wl = document.querySelector<HTMLSelectElement>('#param-workload')!;
    fireEvent.change(wl, { target: { value: 'burst' } });
    expect(node('p').params.workload).toBe('burst');
    expect(param('burstSize')).not.toBeNull();
    expect(param('periodNs')).toBeNull();
  });

  it('a fault target is a select of eligible nodes only', () => {
    const { studio } = ui([]);
    act(() => {
      studio.editor.getState().execute({
        name: 'add fault',
        perform: (d) => ({ ok: true, design: { ...d, nodes: [...d.nodes, { id: 'f', kind: 'processCrash', name: 'crash', position: { x: 0, y: 600 }, params: {} }] }, selection: { nodes: ['f'], edges: [] } }),
      });
    });
    const sel = document.querySelector<HTMLSelectElement>('#param-targetId')!;
    const options = [...sel.options].map((o) => o.value);
    expect(options).toEqual(['', 'p', 'c']);
  });

  it('renames a node; an empty name is refused', () => {
    const { node } = ui(['p']);
    const name = document.querySelector<HTMLInputElement>('#node-name')!;
    fireEvent.change(name, { target: { value: '  ' } });
    expect(screen.getByRole('alert').textContent).toMatch(/cannot be empty/);
    fireEvent.blur(name);
    expect(node('p').name).toBe('producer');
    fireEvent.change(name, { target: { value: 'sensor' } });
    fireEvent.keyDown(name, { key: 'Enter' });
    expect(node('p').name).toBe('sensor');
  });

  it('an edge shows its source, target and mechanism', () => {
    const studio: Studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    studio.editor.getState().setSelection({ nodes: [], edges: ['e1'] });
    render(
      <StudioProvider studio={studio}>
        <Inspector />
      </StudioProvider>,
    );
    const text = document.querySelector('.inspector')!.textContent!;
    expect(text).toContain('Source');
    expect(text).toContain('producer');
    expect(text).toContain('Mechanism');
    expect(text).toContain('Two-copy channel');
  });
});
