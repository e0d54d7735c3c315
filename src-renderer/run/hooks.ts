import { useEffect } from 'react';
import { getApi } from '../api';
import { useRun, useStudio } from '../editor/context';
import type { EdgeOverlay, NodeOverlay } from '../../src-shared/results/overlay';

/** Feeds run progress from the contract's subscription into the run store while the window lives. */
export function useRunEvents(): void {
  const { run } = useStudio();
  useEffect(() => {
    let unsubscribe: () => void = () => undefined;
    try {
      unsubscribe = getApi().onRunProgress((p) => run.getState().handleProgress(p));
    } catch {
      // No transport (unit tests without a fake API): runs still end through the status poll.
    }
    return () => {
      unsubscribe();
    };
  }, [run]);
}

/** The results shown on a node card (undefined when there are none or the overlay is hidden). */
export function useNodeOverlay(id: string): NodeOverlay | undefined {
  return useRun((s) => (s.overlayVisible ? s.overlay?.nodes.get(id) : undefined));
}

/** The results shown on an edge. */
export function useEdgeOverlay(id: string): EdgeOverlay | undefined {
  return useRun((s) => (s.overlayVisible ? s.overlay?.edges.get(id) : undefined));
}
