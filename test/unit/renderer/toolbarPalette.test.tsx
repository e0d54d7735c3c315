// The top bar's run duration ("for") refuses what it cannot read, visibly and for a run too; and adding from the
// palette without a drop point (double-click, Enter) puts the node in free space, not over other cards.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApiForTests } from '../../../src-renderer/api';
import type { Studio } from '../../../src-renderer/editor/context';
import { NODE_SIZE, absolutePosition, nodesById, sizeOf } from '../../../src-renderer/editor/geometry';
import { TEMPLATES, instantiateTemplate } from '../../../src-renderer/editor/templates';
import { parseRunDuration } from '../../../src-renderer/run/RunControls';
import type { Design, DesignNode } from '../../../src-shared/model';
import { installFakeApi, type FakeApi } from './fakeApi';
import { mountStudio } from './mount';

let api: FakeApi;

beforeEach(() => {
  api = installFakeApi();
});
afterEach(() => {
  cleanup();
  setApiForTests(null);
});

const setup = mountStudio;

const forField = () => screen.getByRole('textbox', { name: 'for' }) as HTMLInputElement;
const ctrlR = (target: Window | Element = window) =>
  act(() => {
    fireEvent.keyDown(target, { key: 'r', ctrlKey: true });
  });

describe('the top bar’s run duration', () => {
  it('keeps an invalid duration with a message naming the field and what it accepts (tooltip, aria-invalid, aria-describedby)', () => {
    const studio = setup();
    const field = forField();
    field.focus();
    fireEvent.change(field, { target: { value: '10 parsecs' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    fireEvent.blur(field);
    expect(field.value).toBe('10 parsecs');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = field.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    const message = document.getElementById(describedBy!)!;
    expect(message.getAttribute('role')).toBe('alert');
    expect(message.textContent).toMatch(/^Run for: “10 parsecs” is not a duration — use a number with a unit: 250ns, 40us, 5ms, 10s/);
    expect(message.textContent).toMatch(/at most 1 h/);
    expect(field.title).toMatch(/Run for: “10 parsecs” is not a duration/);
    // The field is widened to show what was typed.
    expect(parseFloat(field.style.width)).toBeGreaterThan(70);
    expect(studio.editor.getState().design.run.durationNs).toBe(1_000_000_000);
    expect(Object.values(studio.ui.getState().unapplied)).toEqual([expect.stringMatching(/^Run for: “10 parsecs”/)]);
  });

  it('Ctrl+R and the Run button refuse to run while it is invalid, saying why and keeping the text; Esc restores, then it runs', async () => {
    const studio = setup();
    const field = forField();
    field.focus();
    fireEvent.change(field, { target: { value: '10 parsecs' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    ctrlR(field);
    await waitFor(() => expect(document.querySelector('.toast')?.textContent).toMatch(/Can’t run: Run for: “10 parsecs” is not a duration/));
    expect(api.startRun).not.toHaveBeenCalled();
    expect(forField().value).toBe('10 parsecs');
    expect(forField().getAttribute('aria-invalid')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: /▶ Run/ }));
    await new Promise((r) => setTimeout(r, 20));
    expect(api.startRun).not.toHaveBeenCalled();
    expect(studio.run.getState().active).toBeNull();
    expect(forField().value).toBe('10 parsecs');

    fireEvent.keyDown(forField(), { key: 'Escape' });
    expect(forField().value).toBe('1 s');
    expect(forField().getAttribute('aria-invalid')).toBe('false');
    expect(studio.ui.getState().unapplied).toEqual({});
    ctrlR();
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
    expect(api.startRun.mock.calls[0]![0]).toMatchObject({ durationNs: 1_000_000_000 });
  });

  it('a valid duration still applies (Enter, or Ctrl+R while typing) and is the run’s', async () => {
    const studio = setup();
    const field = forField();
    fireEvent.change(field, { target: { value: '250ms' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(studio.editor.getState().design.run.durationNs).toBe(250_000_000);
    expect(field.getAttribute('aria-invalid')).toBe('false');
    field.focus();
    fireEvent.change(field, { target: { value: '2s' } });
    ctrlR(field);
    await waitFor(() => expect(api.startRun).toHaveBeenCalledTimes(1));
    expect(api.startRun.mock.calls[0]![0]).toMatchObject({ durationNs: 2_000_000_000 });
    expect(studio.editor.getState().design.run.durationNs).toBe(2_000_000_000);
  });

  it('says the limits: the shared duration parser, from 1 µs to 1 h', () => {
    expect(parseRunDuration('10 parsecs')).toEqual({ ok: false, error: expect.stringMatching(/^Run for: “10 parsecs” is not a duration — use a number with a unit/) });
    expect(parseRunDuration('90min')).toEqual({ ok: false, error: expect.stringMatching(/^Run for: “90min” is more than 1 h/) });
    // A number without a unit is refused, as the command line's --duration refuses it: 5000 is not 5 µs of run.
    expect(parseRunDuration('5000')).toEqual({ ok: false, error: expect.stringMatching(/^Run for: “5000” needs a unit — use a number with a unit/) });
    expect(parseRunDuration('5ns')).toEqual({ ok: false, error: expect.stringMatching(/^Run for: “5ns” is 5 ns, shorter than the 1 µs minimum/) });
    expect(parseRunDuration(' ')).toEqual({ ok: false, error: expect.stringMatching(/^Run for: needs a duration/) });
    expect(parseRunDuration('60min')).toEqual({ ok: true, value: 3_600_000_000_000 });
    expect(parseRunDuration('40us')).toEqual({ ok: true, value: 40_000 });
    expect(parseRunDuration('1 s')).toEqual({ ok: true, value: 1_000_000_000 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Palette: double-click / Enter
// ---------------------------------------------------------------------------------------------------------

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A card's box as drawn (kernels: their size; other cards: at least the default card). */
function box(d: Design, n: DesignNode): Box {
  const p = absolutePosition(nodesById(d), n);
  const s = n.kind === 'kernel' ? sizeOf(n) : NODE_SIZE;
  return { x: p.x, y: p.y, width: s.width, height: s.height };
}

function overlap(a: Box, b: Box, margin = 0): boolean {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}

/** Whether the straight line from a connection's source (right side) to its target (left side) crosses `b`. */
function edgeCrosses(d: Design, edge: Design['edges'][number], b: Box): boolean {
  const byId = nodesById(d);
  const s = box(d, byId.get(edge.source)!);
  const t = box(d, byId.get(edge.target)!);
  const from = { x: s.x + s.width, y: s.y + s.height - 10 };
  const to = { x: t.x, y: t.y + t.height - 10 };
  for (let i = 0; i <= 50; i++) {
    const x = from.x + ((to.x - from.x) * i) / 50;
    const y = from.y + ((to.y - from.y) * i) / 50;
    if (x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height) return true;
  }
  return false;
}

/** Checks that the nodes `ids` cover no other card (or each other) and no connection, and sit inside their kernel. */
function expectClear(d: Design, ids: readonly string[]): void {
  const byId = nodesById(d);
  for (const id of ids) {
    const n = byId.get(id)!;
    const b = box(d, n);
    for (const o of d.nodes) {
      if (o.id === id || o.id === n.parent) continue;
      if (o.kind === 'kernel' && n.kind !== 'kernel') continue;
      expect(overlap(b, box(d, o), 8), `${n.name} overlaps ${o.name}`).toBe(false);
    }
    for (const e of d.edges) expect(edgeCrosses(d, e, b), `${n.name} covers the connection ${e.source} → ${e.target}`).toBe(false);
    if (n.parent) {
      const k = box(d, byId.get(n.parent)!);
      expect(b.x >= k.x && b.y >= k.y + 36 && b.x + b.width <= k.x + k.width && b.y + b.height <= k.y + k.height, `${n.name} is inside its kernel`).toBe(true);
    }
  }
}

const template = (id: string): Design => instantiateTemplate(TEMPLATES.find((t) => t.id === id)!);
const paletteItem = (kind: string) => document.querySelector<HTMLElement>(`.palette-item[data-kind="${kind}"]`)!;
const added = (studio: Studio, before: Design): string[] => studio.editor.getState().design.nodes.filter((n) => !before.nodes.some((b) => b.id === n.id)).map((n) => n.id);

describe('adding from the palette without a drop point', () => {
  it('double-click and Enter put Processes into the queues kernel clear of every card and connection', () => {
    const studio = setup(template('queues'));
    const before = studio.editor.getState().design;
    fireEvent.doubleClick(paletteItem('process'));
    fireEvent.keyDown(paletteItem('process'), { key: 'Enter' });
    fireEvent.doubleClick(paletteItem('process'));
    const d = studio.editor.getState().design;
    const ids = added(studio, before);
    expect(ids).toHaveLength(3);
    expect(ids.map((id) => d.nodes.find((n) => n.id === id)!.parent)).toEqual(['k0', 'k0', 'k0']);
    expectClear(d, ids);
  });

  it('a Notification in the crowded dual-core kernel covers no process, port or connection (the kernel grows if it must), one undo step', () => {
    const studio = setup(template('dual-core-rp2040'));
    const before = studio.editor.getState().design;
    fireEvent.keyDown(paletteItem('notification'), { key: 'Enter' });
    fireEvent.keyDown(paletteItem('notification'), { key: 'Enter' });
    const d = studio.editor.getState().design;
    const ids = added(studio, before);
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => d.nodes.find((n) => n.id === id)!.parent)).toEqual(['core0', 'core0']);
    expectClear(d, ids);
    // The grown kernel covers nothing outside it either.
    const core0 = d.nodes.find((n) => n.id === 'core0')!;
    for (const o of d.nodes.filter((n) => !n.parent && n.id !== 'core0')) expect(overlap(box(d, core0), box(d, o)), `core 0 overlaps ${o.name}`).toBe(false);
    act(() => void studio.editor.getState().undo());
    act(() => void studio.editor.getState().undo());
    expect(studio.editor.getState().design).toEqual(before);
  });

  it('goes into the selected node’s kernel, clear of its cards', () => {
    const studio = setup(template('dual-core-rp2040'));
    act(() => studio.editor.getState().setSelection({ nodes: ['c1'], edges: [] }));
    const before = studio.editor.getState().design;
    fireEvent.doubleClick(paletteItem('service'));
    const d = studio.editor.getState().design;
    const ids = added(studio, before);
    expect(ids).toHaveLength(1);
    expect(d.nodes.find((n) => n.id === ids[0])!.parent).toBe('core1');
    expectClear(d, ids);
  });

  it('kernels and inter-kernel channels land on open canvas, clear of the kernels and cards there', () => {
    const studio = setup(template('dual-core-rp2040'));
    const before = studio.editor.getState().design;
    fireEvent.doubleClick(paletteItem('interKernelChannel'));
    fireEvent.doubleClick(paletteItem('kernel'));
    fireEvent.doubleClick(paletteItem('interKernelChannel'));
    const d = studio.editor.getState().design;
    const ids = added(studio, before);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(d.nodes.find((n) => n.id === id)!.parent).toBeUndefined();
    const byId = nodesById(d);
    for (const id of ids) {
      const b = box(d, byId.get(id)!);
      for (const o of d.nodes) if (o.id !== id && !o.parent) expect(overlap(b, box(d, o)), `${byId.get(id)!.name} overlaps ${o.name}`).toBe(false);
      for (const e of d.edges) expect(edgeCrosses(d, e, b)).toBe(false);
    }
  });
});
