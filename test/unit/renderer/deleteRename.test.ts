import { describe, expect, it } from 'vitest';
import { actionById, deleteSelected } from '../../../src-renderer/editor/actions';
import { deleteElements, renameNode } from '../../../src-renderer/editor/commands';
import { createStudio } from '../../../src-renderer/editor/studio';
import { createEditorStore } from '../../../src-renderer/editor/store';
import { validateDesign, type Design } from '../../../src-shared/model';
import { fakeFiles, node, twoKernels } from './helpers';

/** `twoKernels()` with a fault on kernel k0, a crash of the producer, and a service whose allowlist names it. */
function withRefs(): Design {
  const d = twoKernels();
  d.nodes.push(
    node('kf', 'kernelFailure', { name: 'k0 fails', position: { x: 0, y: 400 }, params: { targetId: 'k0' } }),
    node('pc', 'processCrash', { parent: 'k1', position: { x: 20, y: 200 }, name: 'producer crash', params: { targetId: 'p' } }),
    node('svc', 'service', { parent: 'k0', position: { x: 300, y: 200 }, name: 'svc', params: { allowlist: 'producer, consumer' } }),
  );
  return d;
}

describe('deleting nodes clears references to them', () => {
  it('a fault naming a deleted kernel (or a card inside it) loses its target; one undo restores all', () => {
    const s = createEditorStore(withRefs());
    const before = s.getState().design;
    const r = s.getState().execute(deleteElements(['k0'], []));
    expect(r.ok).toBe(true);
    const d = s.getState().design;
    expect(d.nodes.find((n) => n.id === 'kf')!.params).not.toHaveProperty('targetId');
    expect(d.nodes.find((n) => n.id === 'pc')!.params).not.toHaveProperty('targetId');
    // The design says "choose a target", never names a node that is gone.
    const codes = validateDesign(structuredClone(d)).filter((f) => f.severity === 'error').map((f) => f.code);
    expect(codes).not.toContain('dangling-ref');
    expect(codes).toContain('missing-param');
    expect(s.getState().past).toHaveLength(1);
    s.getState().undo();
    expect(s.getState().design.nodes).toEqual(before.nodes);
    expect(s.getState().design.edges).toEqual(before.edges);
  });

  it('says what a deleted kernel took with it', () => {
    const d = twoKernels();
    d.nodes[0]!.name = 'core 1';
    const r = deleteElements(['k0'], []).perform(d);
    expect(r.ok && r.note).toBe('Deleted kernel “core 1” with 3 cards and 2 connections');
    const plain = deleteElements(['p'], []).perform(twoKernels());
    expect(plain.ok && plain.note).toBeUndefined();
    const ref = deleteElements(['p'], []).perform(withRefs());
    expect(ref.ok && ref.note).toBe('Deleted “producer”; “producer crash” now has no process: choose one');
  });

  it('the Delete action toasts it with the undo key', () => {
    const studio = createStudio({ files: fakeFiles(), galleryOpen: false });
    studio.editor.getState().loadDesign(twoKernels(), null);
    studio.editor.getState().setSelection({ nodes: ['k0'], edges: [] });
    actionById('delete').perform(studio);
    expect(studio.editor.getState().design.nodes.map((n) => n.id)).toEqual(['k1']);
    expect(studio.ui.getState().toasts.map((t) => t.message)).toEqual(['Deleted kernel “k0” with 3 cards and 2 connections — Ctrl+Z to undo']);
    studio.editor.getState().undo();
    studio.editor.getState().setSelection({ nodes: ['p'], edges: [] });
    deleteSelected(studio);
    expect(studio.ui.getState().toasts).toHaveLength(1);
  });
});

describe('renaming a process follows it in allowlists', () => {
  it('replaces the old name in the same undo step', () => {
    const s = createEditorStore(withRefs());
    s.getState().execute(renameNode('p', 'sensor'));
    const svc = () => s.getState().design.nodes.find((n) => n.id === 'svc')!;
    expect(svc().params.allowlist).toBe('sensor, consumer');
    expect(s.getState().design.nodes.find((n) => n.id === 'p')!.name).toBe('sensor');
    expect(s.getState().past).toHaveLength(1);
    s.getState().undo();
    expect(svc().params.allowlist).toBe('producer, consumer');
    expect(s.getState().design.nodes.find((n) => n.id === 'p')!.name).toBe('producer');
  });

  it('keeps the old name while another process still has it, and leaves other text alone', () => {
    const d = withRefs();
    d.nodes.push(node('p2', 'process', { parent: 'k0', name: 'producer', position: { x: 20, y: 250 } }));
    d.nodes.find((n) => n.id === 'svc')!.params.allowlist = 'producer-2,producer';
    const r = renameNode('p', '$& sensor').perform(d);
    expect(r.ok && r.design.nodes.find((n) => n.id === 'svc')!.params.allowlist).toBe('producer-2,producer, $& sensor');
    // A mechanism named like a process does not touch the list.
    const m = withRefs();
    m.nodes.find((n) => n.id === 'm')!.name = 'consumer';
    const r2 = renameNode('m', 'queue').perform(m);
    expect(r2.ok && r2.design.nodes.find((n) => n.id === 'svc')!.params.allowlist).toBe('producer, consumer');
  });
});

