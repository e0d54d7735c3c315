import { useEffect } from 'react';
import { getApi } from '../api';
import { useEditor, useRun, useStudio } from '../editor/context';
import type { EdgeOverlay, NodeOverlay } from '../../src-shared/results/overlay';
import type { RunRecord } from '../../src-shared/results/runStore';
import { runSettingsDiffer, runSettingsUsed, runVersusCanvas, type RunSettingsUsed, type RunVersusCanvas } from './runStore';

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

/** The run whose results are drawn on the canvas, and how it stands to the design there. */
export interface RunOnCanvas {
  record: RunRecord;
  /** `edited`: the canvas is another version than the run's (edited since, or the run recorded from another one). */
  versus: Exclude<RunVersusCanvas, 'other'>;
  used: RunSettingsUsed;
  /** The run ran with another seed, duration or warm-up than the design's run settings (the top bar). */
  otherSettings: boolean;
}

/** The run drawn on the canvas (null: none, or — with `visibleOnly` — its results are hidden). */
export function useRunOnCanvas(visibleOnly = true): RunOnCanvas | null {
  const record = useRun((s) => (s.overlay && (s.overlayVisible || !visibleOnly) ? s.overlayRecord : null));
  const origin = useRun((s) => (record ? s.origins[record.id] : undefined));
  const versus = useEditor((s) => (record ? runVersusCanvas(record, origin, s) : 'other'));
  const designRun = useEditor((s) => s.design.run);
  if (!record || versus === 'other') return null;
  const used = runSettingsUsed(record);
  return { record, versus, used, otherSettings: runSettingsDiffer(used, designRun) };
}
