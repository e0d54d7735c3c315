import type { Design, DesignEdge, DesignNode } from '../../../src-shared/model';
import { emptyDesign } from '../../../src-shared/model';
import type { DesignFiles, FileHandle, OpenedFile } from '../../../src-renderer/editor/files';

/** A node literal with defaults for the fields a test does not care about. */
export function node(id: string, kind: string, extra: Partial<DesignNode> = {}): DesignNode {
  return { id, kind, name: extra.name ?? id, position: { x: 0, y: 0 }, params: {}, ...extra };
}

export function edge(id: string, source: string, sourceHandle: string, target: string, targetHandle: string): DesignEdge {
  return { id, source, sourceHandle, target, targetHandle, params: {} };
}

/**
 * Two kernels side by side: k0 at (0,0) 500×300 with producer p → two-copy channel m → consumer c (edges e1, e2);
 * k1 at (700,0) 500×300, empty.
 */
export function twoKernels(): Design {
  const d = emptyDesign('Test design');
  d.nodes = [
    node('k0', 'kernel', { size: { width: 500, height: 300 } }),
    node('k1', 'kernel', { position: { x: 700, y: 0 }, size: { width: 500, height: 300 } }),
    node('p', 'process', { parent: 'k0', position: { x: 20, y: 60 }, name: 'producer' }),
    node('m', 'twoCopyChannel', { parent: 'k0', position: { x: 200, y: 60 }, name: 'channel' }),
    node('c', 'process', { parent: 'k0', position: { x: 20, y: 180 }, name: 'consumer', params: { workload: 'none' } }),
  ];
  d.edges = [edge('e1', 'p', 'out', 'm', 'in'), edge('e2', 'm', 'out', 'c', 'in')];
  return d;
}

/** A file service that records what was saved and opens what the test queues. */
export function fakeFiles(): DesignFiles & { saved: { name: string; text: string }[]; toOpen: OpenedFile[] } {
  const saved: { name: string; text: string }[] = [];
  const toOpen: OpenedFile[] = [];
  return {
    mode: 'desktop',
    saved,
    toOpen,
    open: () => Promise.resolve(toOpen.shift() ?? null),
    save: (text: string, target: FileHandle | null, suggested: string) => {
      const name = target?.name ?? suggested;
      saved.push({ name, text });
      return Promise.resolve({ name, handle: `/tmp/${name}` });
    },
    saveAs: (text: string, suggested: string) => {
      saved.push({ name: suggested, text });
      return Promise.resolve({ name: suggested, handle: `/tmp/${suggested}` });
    },
  };
}
